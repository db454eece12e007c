// SPDX-License-Identifier: MIT
/*
 * relocgen --module: a module's sites, checked by the same passes as the
 * kernel's (sites.c, validate.c, the kernel's emitter) and written back
 * into the object as private relocations. The module's own choices
 * (its .relink.choices) are read beside the kernel's, by the same rules,
 * and may not take a kernel choice's name.
 *
 * The passes need final addresses: call sites must call their call
 * symbol, branch sites jump to their recorded target, every variant's
 * call must reach. So they run on the module's trial link, which the
 * build makes with ld at the module area's address and the kernel's
 * symbols (-R), one output section per input section (--unique). A site
 * at address A of output section S is at A - S's address in the object's
 * section of the same name; the marker relocations of the object are
 * matched to the validated sites that way, and a marker without a site
 * (or a site without a marker) fails the run.
 *
 * The object keeps every relocation it had, in order: a marker changes
 * its type in place, and each call site gets an R_RELINK_CALL appended
 * to the relocation section of its text, so the loader applies the
 * call's PLT32 before the engine sees the site.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "choices.h"
#include "elf.h"
#include "module.h"
#include "output.h"
#include "program.h"
#include "sites.h"
#include "util.h"

#define CHOICE_PREFIX "__choice_"

struct module_job {
	const struct elf_file *object;
	const struct elf_file *check;
	const struct site_set *sites;
	bool *matched; /* per site */
	int errors;
};

static const struct site *site_at(const struct site_set *set, uint64_t address)
{
	size_t lo = 0, hi = set->n_sites;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (set->sites[mid].address == address)
			return &set->sites[mid];
		if (set->sites[mid].address < address)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Where the trial link put the object's section: its output section. */
static const struct elf_section *
placed_section(struct module_job *job, const struct elf_section *section)
{
	const struct elf_section *placed =
		elf_file_section_by_name(job->check, section->name);

	if (!placed || placed->shdr.sh_size != section->shdr.sh_size ||
	    !elf_section_is_text(placed)) {
		report(job->check->path,
		       "section %s of %s is not in the trial link as its own "
		       "section (link with --unique)",
		       section->name, job->object->path);
		job->errors++;
		return NULL;
	}
	return placed;
}

static void record_site(struct module_job *job, const struct site *s)
{
	job->matched[s - job->sites->sites] = true;
}

/* A marker becomes its site's private type; false when it has no site. */
static bool rewrite_marker(struct module_job *job, Elf64_Rela *r,
			   uint64_t address)
{
	const struct site *s = site_at(job->sites, address);

	if (!s || s->shape == RELINK_SHAPE_CALL ||
	    (uint64_t)r->r_addend != s->ops) {
		report_at(job->check, address, "marker without a site");
		job->errors++;
		return false;
	}
	r->r_info =
		ELF64_R_INFO(ELF64_R_SYM(r->r_info), RELINK_R_BASE + s->shape);
	record_site(job, s);
	return true;
}

/* The call site whose rel32 r relocates, or NULL. */
static const struct site *call_site(struct module_job *job, const Elf64_Rela *r,
				    uint64_t address)
{
	unsigned type = ELF64_R_TYPE(r->r_info);
	const struct site *s;

	if (type != R_X86_64_PC32 && type != R_X86_64_PLT32)
		return NULL;
	s = site_at(job->sites, address - 1);
	return s && s->shape == RELINK_SHAPE_CALL ? s : NULL;
}

/*
 * The new contents of relocation section rela (of text section target):
 * markers rewritten, call records appended. Returns the array (count in
 * *count) or NULL when the section is not a text section's.
 */
static Elf64_Rela *rewrite_rela(struct module_job *job,
				const struct elf_section *rela,
				const struct elf_section *placed, size_t *count)
{
	const Elf64_Rela *old = (const Elf64_Rela *)rela->data;
	size_t n = rela->size / sizeof(Elf64_Rela), i, extra = 0;
	Elf64_Rela *out = xcalloc(2 * n + 1, sizeof(*out));

	memcpy(out, old, n * sizeof(*old));
	for (i = 0; i < n; i++) {
		Elf64_Rela *r = &out[i];
		size_t symbol = ELF64_R_SYM(r->r_info);
		uint64_t address = placed->shdr.sh_addr + r->r_offset;
		const struct elf_symbol *sym;
		const struct site *s;

		if (symbol >= job->object->n_symbols)
			continue; /* the trial link refused it already */
		sym = &job->object->symbols[symbol];
		if (ELF64_R_TYPE(r->r_info) == R_X86_64_NONE &&
		    !strncmp(sym->name, CHOICE_PREFIX, strlen(CHOICE_PREFIX))) {
			rewrite_marker(job, r, address);
			continue;
		}
		s = call_site(job, r, address);
		if (!s)
			continue;
		out[n + extra].r_offset = r->r_offset - 1;
		out[n + extra].r_info = ELF64_R_INFO(symbol, R_RELINK_CALL);
		out[n + extra].r_addend = (int64_t)s->ops;
		extra++;
		record_site(job, s);
	}
	*count = n + extra;
	return out;
}

static int update_section(Elf *elf, size_t index, Elf64_Rela *relas,
			  size_t count)
{
	Elf_Scn *scn = elf_getscn(elf, index);
	Elf_Data *data = scn ? elf_getdata(scn, NULL) : NULL;
	GElf_Shdr shdr;

	if (!data || !gelf_getshdr(scn, &shdr))
		return -1;
	data->d_buf = relas;
	data->d_size = count * sizeof(*relas);
	shdr.sh_size = data->d_size;
	elf_flagdata(data, ELF_C_SET, ELF_F_DIRTY);
	elf_flagscn(scn, ELF_C_SET, ELF_F_DIRTY);
	return gelf_update_shdr(scn, &shdr) ? 0 : -1;
}

static bool is_text_rela(const struct elf_file *file,
			 const struct elf_section *s)
{
	return s->shdr.sh_type == SHT_RELA && s->size &&
	       s->shdr.sh_link == file->symtab->index &&
	       s->shdr.sh_info < file->n_sections &&
	       s->shdr.sh_entsize == sizeof(Elf64_Rela) &&
	       !(s->size % sizeof(Elf64_Rela)) &&
	       elf_section_is_text(&file->sections[s->shdr.sh_info]);
}

/* Every text relocation section of the copy at elf, rewritten. */
static int rewrite_all(struct module_job *job, Elf *elf, Elf64_Rela ***keep,
		       size_t *n_keep)
{
	const struct elf_file *object = job->object;
	size_t i, count;

	*keep = xcalloc(object->n_sections, sizeof(**keep));
	for (i = 0; i < object->n_sections; i++) {
		const struct elf_section *s = &object->sections[i];
		const struct elf_section *placed;
		Elf64_Rela *relas;

		if (!is_text_rela(object, s))
			continue;
		placed =
			placed_section(job, &object->sections[s->shdr.sh_info]);
		if (!placed)
			continue;
		relas = rewrite_rela(job, s, placed, &count);
		(*keep)[(*n_keep)++] = relas;
		if (update_section(elf, i, relas, count)) {
			report(object->path, "cannot rewrite %s: %s", s->name,
			       elf_errmsg(-1));
			return -1;
		}
	}
	for (i = 0; i < job->sites->n_sites; i++) {
		if (job->matched[i])
			continue;
		report_at(job->check, job->sites->sites[i].address,
			  "site without a relocation in %s", object->path);
		job->errors++;
	}
	return job->errors ? -1 : 0;
}

static int write_module(struct module_job *job, const char *path)
{
	Elf64_Rela **keep = NULL;
	size_t n_keep = 0, i;
	struct output out;
	Elf *elf = NULL;
	int rc = -1;

	if (output_open(&out, path, 0644))
		return -1;
	if (elf_file_copy(job->object, out.fd)) {
		report(path, "cannot write: %s", strerror(errno));
		goto out;
	}
	elf = elf_begin(out.fd, ELF_C_RDWR, NULL);
	if (!elf) {
		report(path, "cannot read back: %s", elf_errmsg(-1));
		goto out;
	}
	if (rewrite_all(job, elf, &keep, &n_keep))
		goto out;
	/* libelf lays the file out again: the rewritten sections grew. */
	if (elf_update(elf, ELF_C_WRITE) < 0) {
		report(path, "cannot write: %s", elf_errmsg(-1));
		goto out;
	}
	rc = 0;
out:
	if (elf)
		elf_end(elf);
	for (i = 0; i < n_keep; i++)
		free(keep[i]);
	free(keep);
	if (rc) {
		output_abort(&out);
		return -1;
	}
	return output_commit(&out);
}

static int check_object(const struct elf_file *object)
{
	if (object->ehdr.e_type != ET_REL) {
		report(object->path, "not a relocatable object (e_type %u)",
		       object->ehdr.e_type);
		return -1;
	}
	return 0;
}

int module_relink(const char *kernel, const char *check, const char *object,
		  const char *path)
{
	struct elf_file object_file;
	struct module_job job = { 0 };
	struct program program;
	int rc = -1;

	memset(&object_file, 0, sizeof(object_file));
	object_file.fd = -1;
	/* First: it leaves program safe to free, whatever fails. */
	if (program_load_module(&program, kernel, check) ||
	    output_check(path) || elf_file_open(&object_file, object) ||
	    check_object(&object_file))
		goto out;
	job.object = &object_file;
	job.check = &program.file;
	job.sites = &program.sites;
	job.matched = xcalloc(program.sites.n_sites + 1, sizeof(*job.matched));
	rc = write_module(&job, path);
out:
	free(job.matched);
	program_free(&program);
	elf_file_close(&object_file);
	return rc;
}
