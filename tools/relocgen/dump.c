// SPDX-License-Identifier: MIT
/*
 * Printing a table. The site lines are the ones the kernel's debugfs
 * "sites" file prints before any patching:
 *
 *	0xADDRESS symbol+0xoff shape choice len=N regs=... clobbers=... bytes=...
 *
 * then a blank line and one line per choice:
 *
 *	choice NAME decider=D default=V sites=N variants=a(pred),b(pred)
 *
 * Keep both stable: tests compare them with golden files.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <relink/names.h>
#include <relink/table_check.h>

#include "dump.h"
#include "elf.h"
#include "table.h"
#include "util.h"

static void print_predicate(FILE *out, const struct relink_table_variant *v)
{
	const char *arg = NULL;

	fputs(relink_pred_name(v->pred), out);
	if (v->pred == RELINK_PRED_CPUID || v->pred == RELINK_PRED_NO_CPUID)
		arg = relink_cpu_feature_name(v->pred_arg);
	else if (v->pred == RELINK_PRED_HYPERVISOR ||
		 v->pred == RELINK_PRED_NOT_HYPERVISOR)
		arg = relink_hypervisor_name(v->pred_arg);
	else
		return;
	if (arg)
		fprintf(out, ":%s", arg);
	else
		fprintf(out, ":%u", v->pred_arg);
}

static void print_bytes(FILE *out, const struct elf_file *file,
			uint64_t address, unsigned length)
{
	const uint8_t *bytes = elf_file_bytes_at(file, address, length);
	unsigned i;

	if (!bytes) {
		fputs("?", out);
		return;
	}
	for (i = 0; i < length; i++)
		fprintf(out, "%s%02x", i ? " " : "", bytes[i]);
}

static void print_site(FILE *out, const struct elf_file *file,
		       const struct relink_table_view *t, unsigned c,
		       uint32_t i)
{
	const struct relink_form *f = relink_table_site_form(t, i);
	const struct relink_table_choice *tc = &t->choices[c];
	uint64_t address = relink_table_site_address(t, i);
	char where[256], regs[80], clobbers[80];

	elf_file_symbolize(file, address, where, sizeof(where));
	/* Operands in operand order (unlike the clobber mask): %0, %1, %2. */
	relink_format_registers(regs, sizeof(regs), f->regs, f->n_regs);
	relink_format_register_mask(clobbers, sizeof(clobbers), f->clobbers);
	/*
	 * The bytes in a file hold the compiled code: the default variant.
	 * Names come from the file: printed escaped.
	 */
	print_escaped(
		out,
		"0x%016" PRIx64 " %s %s %s variant=%s len=%u regs=%s "
		"clobbers=%s bytes=",
		address, where, relink_shape_name(f->shape),
		relink_table_string(t, tc->name),
		relink_table_string(
			t,
			t->variants[t->first_variant[c] + tc->default_variant]
				.name),
		f->length, regs, clobbers);
	print_bytes(out, file, address, f->length);
	fputc('\n', out);
}

static void print_choice(FILE *out, const struct relink_table_view *t,
			 unsigned c)
{
	const struct relink_table_choice *tc = &t->choices[c];
	const struct relink_table_variant *v =
		&t->variants[t->first_variant[c]];
	unsigned j;

	print_escaped(out, "choice %s decider=%s default=%s sites=%u variants=",
		      relink_table_string(t, tc->name),
		      relink_decider_name(tc->decider),
		      relink_table_string(t, v[tc->default_variant].name),
		      tc->n_sites);
	for (j = 0; j < tc->n_variants; j++) {
		print_escaped(out, "%s%s(", j ? "," : "",
			      relink_table_string(t, v[j].name));
		print_predicate(out, &v[j]);
		fputc(')', out);
	}
	fputc('\n', out);
}

static int load_table(const char *path, struct elf_file *file,
		      struct table_view *view)
{
	const uint8_t *data;
	size_t size;
	bool exact;

	memset(view, 0, sizeof(*view));
	if (elf_file_open(file, path) || table_find(file, &data, &size, &exact))
		return -1;
	return table_parse(path, data, size, view);
}

/* In table order, as the kernel's "sites" file: by choice, then address. */
int dump_sites(const char *path, FILE *out)
{
	const struct relink_table_view *t;
	struct elf_file file;
	struct table_view view;
	unsigned c;
	uint32_t i;
	int rc = load_table(path, &file, &view);

	t = &view.table;
	for (c = 0; !rc && c < t->header->n_choices; c++)
		for (i = t->first_site[c]; i < t->first_site[c + 1]; i++)
			print_site(out, &file, t, c, i);
	if (!rc)
		fputc('\n', out);
	for (c = 0; !rc && c < t->header->n_choices; c++)
		print_choice(out, t, c);
	table_view_free(&view);
	elf_file_close(&file);
	return rc;
}

int dump_stats(const char *path, FILE *out)
{
	unsigned long shapes[RELINK_SHAPE_MAX + 1] = { 0 };
	const struct relink_table_header *h;
	struct elf_file file;
	struct table_view view;
	size_t i;
	int rc = load_table(path, &file, &view);

	if (rc)
		goto out;
	h = view.table.header;
	for (i = 0; i < h->n_sites; i++)
		shapes[relink_table_site_form(&view.table, i)->shape]++;
	fprintf(out, "sites: %u\n", h->n_sites);
	for (i = 1; i <= RELINK_SHAPE_MAX; i++)
		fprintf(out, "shape %s: %lu\n", relink_shape_name(i),
			shapes[i]);
	for (i = 0; i < h->n_choices; i++) {
		print_escaped(out, "choice %s: %u",
			      relink_table_string(&view.table,
						  view.table.choices[i].name),
			      view.table.choices[i].n_sites);
		fputc('\n', out);
	}
	fprintf(out, "choices: %u\nvariants: %u\nforms: %u\n", h->n_choices,
		h->n_variants, h->n_forms);
	fprintf(out, "table bytes: %u\n", h->total_size);
	fprintf(out, "bytes per site: %.2f\n",
		h->n_sites ? (double)h->total_size / h->n_sites : 0.0);
out:
	table_view_free(&view);
	elf_file_close(&file);
	return rc;
}
