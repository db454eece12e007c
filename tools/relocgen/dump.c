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

#include <relink/cpufeature.h>

#include "dump.h"
#include "elf.h"
#include "table.h"
#include "util.h"

static const struct {
	const char *name;
	unsigned number;
} cpu_features[] = {
#define CPU_FEATURE_ENTRY(name, word, bit) { #name, CPU_FEATURE(word, bit) },
	CPU_FEATURE_LIST(CPU_FEATURE_ENTRY)
#undef CPU_FEATURE_ENTRY
};

static void print_feature(FILE *out, unsigned number)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cpu_features); i++)
		if (cpu_features[i].number == number) {
			fputs(cpu_features[i].name, out);
			return;
		}
	fprintf(out, "%u", number);
}

static void print_predicate(FILE *out, const struct relink_table_variant *v)
{
	switch (v->pred) {
	case RELINK_PRED_ALWAYS:
		fputs("always", out);
		break;
	case RELINK_PRED_CPUID:
	case RELINK_PRED_NO_CPUID:
		fputs(v->pred == RELINK_PRED_CPUID ? "cpuid:" : "!cpuid:", out);
		print_feature(out, v->pred_arg);
		break;
	case RELINK_PRED_SMP:
		fputs("smp", out);
		break;
	case RELINK_PRED_UP:
		fputs("up", out);
		break;
	case RELINK_PRED_HYPERVISOR:
		if (v->pred_arg == RELINK_HV_XEN_PV)
			fputs("hypervisor:xen-pv", out);
		else if (v->pred_arg == RELINK_HV_NONE)
			fputs("hypervisor:none", out);
		else
			fprintf(out, "hypervisor:%u", v->pred_arg);
		break;
	}
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
		       const struct table_view *view, size_t i)
{
	const struct relink_site *s = &view->sites[i];
	const struct relink_form *f = &view->forms[s->form];
	uint64_t address = table_site_address(view, i);
	char where[256], regs[80], clobbers[80];
	size_t used = 0;
	unsigned r;

	elf_file_symbolize(file, address, where, sizeof(where));
	/* Operands in operand order (unlike the clobber mask): %0, %1, %2. */
	strcpy(regs, "-");
	for (r = 0; r < f->n_regs; r++)
		used += (size_t)snprintf(regs + used, sizeof(regs) - used,
					 "%s%s", r ? "," : "",
					 register_name(f->regs[r]));
	format_register_mask(clobbers, sizeof(clobbers), f->clobbers);
	/*
	 * The bytes in a file hold the compiled code: the default variant.
	 * Names come from the file: printed escaped.
	 */
	print_escaped(
		out,
		"0x%016" PRIx64 " %s %s %s variant=%s len=%u regs=%s "
		"clobbers=%s bytes=",
		address, where, shape_name(f->shape),
		view->strings + view->choices[s->choice].name,
		view->strings +
			view->variants[view->choices[s->choice].first_variant +
				       view->choices[s->choice].default_variant]
				.name,
		f->length, regs, clobbers);
	print_bytes(out, file, address, f->length);
	fputc('\n', out);
}

static void print_choice(FILE *out, const struct table_view *view, size_t i)
{
	const struct relink_table_choice *c = &view->choices[i];
	const struct relink_table_variant *v =
		&view->variants[c->first_variant];
	unsigned j;

	print_escaped(out, "choice %s decider=%s default=%s sites=%u variants=",
		      view->strings + c->name, decider_name(c->decider),
		      view->strings + v[c->default_variant].name, c->n_sites);
	for (j = 0; j < c->n_variants; j++) {
		print_escaped(out, "%s%s(", j ? "," : "",
			      view->strings + v[j].name);
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

int dump_sites(const char *path, FILE *out)
{
	struct elf_file file;
	struct table_view view;
	size_t i;
	int rc = load_table(path, &file, &view);

	/* table_parse() checked that the sites are sorted by address. */
	for (i = 0; !rc && i < view.header.n_sites; i++)
		print_site(out, &file, &view, i);
	if (!rc)
		fputc('\n', out);
	for (i = 0; !rc && i < view.header.n_choices; i++)
		print_choice(out, &view, i);
	table_view_free(&view);
	elf_file_close(&file);
	return rc;
}

int dump_stats(const char *path, FILE *out)
{
	unsigned long shapes[RELINK_SHAPE_MAX + 1] = { 0 };
	struct elf_file file;
	struct table_view view;
	size_t i;
	int rc = load_table(path, &file, &view);

	if (rc)
		goto out;
	for (i = 0; i < view.header.n_sites; i++)
		shapes[view.forms[view.sites[i].form].shape]++;
	fprintf(out, "sites: %u\n", view.header.n_sites);
	for (i = 1; i <= RELINK_SHAPE_MAX; i++)
		fprintf(out, "shape %s: %lu\n", shape_name(i), shapes[i]);
	for (i = 0; i < view.header.n_choices; i++) {
		print_escaped(out, "choice %s: %u",
			      view.strings + view.choices[i].name,
			      view.choices[i].n_sites);
		fputc('\n', out);
	}
	fprintf(out, "choices: %u\nvariants: %u\nforms: %u\n",
		view.header.n_choices, view.header.n_variants,
		view.header.n_forms);
	fprintf(out, "table bytes: %u\n", view.header.total_size);
	fprintf(out, "bytes per site: %.2f\n",
		view.header.n_sites ?
			(double)view.header.total_size / view.header.n_sites :
			0.0);
out:
	table_view_free(&view);
	elf_file_close(&file);
	return rc;
}
