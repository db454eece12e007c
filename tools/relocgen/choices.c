// SPDX-License-Identifier: MIT
/*
 * Reading the build-time choice definitions from a linked image.
 *
 * The definitions are C objects that the linker placed: their pointer
 * fields hold final link addresses. Each pointer is followed by mapping its
 * address to the allocated section that holds it and checking that the
 * whole object (string with its NUL, array of records) lies inside that
 * section, so nothing here reads outside the file.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "choices.h"
#include "util.h"

#define CHOICE_SYMBOL_PREFIX "__choice_"

static int read_template(const struct elf_file *file, const struct choice *c,
			 struct variant *v,
			 const struct relink_variant_def *def)
{
	uint64_t size = (uint64_t)def->n_insns * sizeof(struct relink_insn);
	const uint8_t *bytes = NULL;

	if (size) {
		bytes = elf_file_bytes_at(file, def->tmpl_addr, size);
		if (!bytes) {
			report_at(file, c->address,
				  "choice %s variant %s: template pointer "
				  "0x%" PRIx64 " (%u insns) is outside any "
				  "allocated section",
				  c->name, v->name, def->tmpl_addr,
				  def->n_insns);
			return -1;
		}
	}
	/*
	 * The template is not judged here: the kernel's emitter judges it at
	 * every site, with the site's registers (validate.c, emit.c).
	 */
	v->n_insns = def->n_insns;
	v->insns = xcalloc(v->n_insns, sizeof(*v->insns));
	if (size)
		memcpy(v->insns, bytes, size);
	return 0;
}

static int read_variant(const struct elf_file *file, struct choice *c,
			const uint8_t *defs, size_t j)
{
	struct variant *v = &c->variants[j];
	struct relink_variant_def def;

	memcpy(&def, defs + j * sizeof(def), sizeof(def));
	v->name = elf_file_string_at(file, def.name_addr);
	if (!v->name) {
		report_at(file, c->address,
			  "choice %s variant %zu: name pointer 0x%" PRIx64
			  " is outside any allocated section",
			  c->name, j, def.name_addr);
		return -1;
	}
	if (def.pred > RELINK_PRED_MAX) {
		report_at(file, c->address,
			  "choice %s variant %s: predicate %u out of range",
			  c->name, v->name, def.pred);
		return -1;
	}
	v->pred = def.pred;
	v->pred_arg = def.pred_arg;
	v->target = def.target_addr;
	if (v->target &&
	    !elf_section_is_text(elf_file_section_at(file, v->target))) {
		report_at(file, c->address,
			  "choice %s variant %s: call target 0x%" PRIx64
			  " is not in executable text",
			  c->name, v->name, v->target);
		return -1;
	}
	return read_template(file, c, v, &def);
}

static int read_variants(const struct elf_file *file, struct choice *c,
			 const struct relink_choice_def *def)
{
	uint64_t size =
		(uint64_t)def->n_variants * sizeof(struct relink_variant_def);
	const uint8_t *defs;
	size_t j;

	if (!def->n_variants) {
		report_at(file, c->address, "choice %s has no variants",
			  c->name);
		return -1;
	}
	defs = elf_file_bytes_at(file, def->variants_addr, size);
	if (!defs) {
		report_at(file, c->address,
			  "choice %s: variants pointer 0x%" PRIx64
			  " (%u variants) is outside any allocated section",
			  c->name, def->variants_addr, def->n_variants);
		return -1;
	}
	c->n_variants = def->n_variants;
	c->variants = xcalloc(c->n_variants, sizeof(*c->variants));
	for (j = 0; j < c->n_variants; j++)
		if (read_variant(file, c, defs, j))
			return -1;
	return 0;
}

static int read_choice(const struct elf_file *file, struct choice_set *set,
		       size_t i)
{
	struct choice *c = &set->choices[i];
	struct relink_choice_def def;

	c->index = i;
	c->address = set->region.address + i * sizeof(def);
	memcpy(&def, set->region.data + i * sizeof(def), sizeof(def));
	c->name = elf_file_string_at(file, def.name_addr);
	if (!c->name) {
		report_at(file, c->address,
			  "choice name pointer 0x%" PRIx64
			  " is outside any allocated section",
			  def.name_addr);
		return -1;
	}
	if (def.decider > RELINK_DECIDER_MAX ||
	    def.default_variant >= def.n_variants) {
		report_at(file, c->address,
			  "choice %s: decider %u or default variant %u out of "
			  "range (%u variants)",
			  c->name, def.decider, def.default_variant,
			  def.n_variants);
		return -1;
	}
	c->decider = def.decider;
	c->default_variant = def.default_variant;
	c->call_symbol = def.call_symbol_addr;
	if (c->call_symbol &&
	    !elf_section_is_text(elf_file_section_at(file, c->call_symbol))) {
		report_at(file, c->address,
			  "choice %s: call symbol 0x%" PRIx64
			  " is not in executable text",
			  c->name, c->call_symbol);
		return -1;
	}
	return read_variants(file, c, &def);
}

/* Give every definition its __choice_<id> symbol, preferring a global. */
static int attach_symbols(const struct elf_file *file, struct choice_set *set)
{
	int errors = 0;
	size_t i;

	for (i = 1; i < file->n_symbols; i++) {
		const struct elf_symbol *s = &file->symbols[i];
		struct choice *c;

		if (!choices_has_symbol(set, s) ||
		    strncmp(s->name, CHOICE_SYMBOL_PREFIX,
			    strlen(CHOICE_SYMBOL_PREFIX)))
			continue;
		c = (struct choice *)choices_at(set, s->value);
		if (!c || c->address != s->value) {
			report_at(file, s->value,
				  "symbol %s is not at the start of a choice "
				  "definition",
				  s->name);
			errors++;
			continue;
		}
		if (!c->symbol ||
		    (s->bind == STB_GLOBAL && c->symbol->bind != STB_GLOBAL))
			c->symbol = s;
	}
	for (i = 0; i < set->n_choices; i++) {
		if (set->choices[i].symbol)
			continue;
		report_at(file, set->choices[i].address,
			  "choice %s has no " CHOICE_SYMBOL_PREFIX
			  "<id> symbol",
			  set->choices[i].name);
		errors++;
	}
	return errors ? -1 : 0;
}

static int check_variant_names(const struct elf_file *file,
			       const struct choice *c)
{
	size_t j, k;

	for (j = 0; j < c->n_variants; j++)
		for (k = 0; k < j; k++)
			if (!strcmp(c->variants[j].name, c->variants[k].name)) {
				report_at(file, c->address,
					  "choice %s: two variants named %s",
					  c->name, c->variants[j].name);
				return -1;
			}
	return 0;
}

static int check_unique(const struct elf_file *file,
			const struct choice_set *set)
{
	size_t i, k;

	for (i = 0; i < set->n_choices; i++) {
		const struct choice *c = &set->choices[i];

		if (check_variant_names(file, c))
			return -1;
		for (k = 0; k < i; k++) {
			const struct choice *o = &set->choices[k];

			if (!strcmp(c->name, o->name)) {
				report_at(file, c->address,
					  "two choices named %s", c->name);
				return -1;
			}
			if (c->call_symbol &&
			    c->call_symbol == o->call_symbol) {
				report_at(file, c->address,
					  "choices %s and %s share a call "
					  "symbol",
					  o->name, c->name);
				return -1;
			}
		}
	}
	return 0;
}

static int compare_calls(const void *a, const void *b)
{
	const struct call_symbol *x = a, *y = b;

	return x->address < y->address ? -1 : x->address > y->address;
}

static void index_calls_and_variants(struct choice_set *set)
{
	size_t i, j;

	set->calls = xcalloc(set->n_choices, sizeof(*set->calls));
	for (i = 0; i < set->n_choices; i++) {
		struct choice *c = &set->choices[i];

		for (j = 0; j < c->n_variants; j++)
			c->variants[j].index = set->n_variants++;
		if (!c->call_symbol)
			continue;
		set->calls[set->n_calls].address = c->call_symbol;
		set->calls[set->n_calls++].choice = i;
	}
	qsort(set->calls, set->n_calls, sizeof(*set->calls), compare_calls);
}

static int find_definitions(const struct elf_file *file, struct choice_set *set)
{
	size_t size;
	int rc = elf_file_region(file, ".relink.choices",
				 "__relink_choices_start",
				 "__relink_choices_end", &set->region);

	if (rc > 0)
		report(file->path, "no .relink.choices section (no choices "
				   "defined, or the link dropped them)");
	if (rc)
		return -1;
	size = set->region.size;
	if (size % sizeof(struct relink_choice_def)) {
		report(file->path,
		       ".relink.choices: size %zu is not a multiple of %zu "
		       "(struct relink_choice_def)",
		       size, sizeof(struct relink_choice_def));
		return -1;
	}
	if (size / sizeof(struct relink_choice_def) > RELOCGEN_MAX_CHOICES) {
		report(file->path, "%zu choices, at most %d",
		       size / sizeof(struct relink_choice_def),
		       RELOCGEN_MAX_CHOICES);
		return -1;
	}
	set->n_choices = size / sizeof(struct relink_choice_def);
	return 0;
}

int choices_read(const struct elf_file *file, struct choice_set *set)
{
	int errors = 0;
	size_t i;

	memset(set, 0, sizeof(*set));
	if (find_definitions(file, set))
		return -1;
	set->choices = xcalloc(set->n_choices, sizeof(*set->choices));
	for (i = 0; i < set->n_choices; i++)
		if (read_choice(file, set, i))
			errors++;
	if (errors || attach_symbols(file, set) || check_unique(file, set))
		return -1;
	index_calls_and_variants(set);
	return 0;
}

void choices_free(struct choice_set *set)
{
	size_t i, j;

	for (i = 0; i < set->n_choices; i++) {
		for (j = 0; j < set->choices[i].n_variants; j++)
			free(set->choices[i].variants[j].insns);
		free(set->choices[i].variants);
	}
	free(set->choices);
	free(set->calls);
	memset(set, 0, sizeof(*set));
}

bool choices_has_symbol(const struct choice_set *set,
			const struct elf_symbol *symbol)
{
	if (set->external)
		return symbol->shndx == SHN_ABS &&
		       elf_region_contains(&set->region, symbol->value);
	return set->region.section &&
	       symbol->shndx == set->region.section->index &&
	       elf_region_contains(&set->region, symbol->value);
}

const struct choice *choices_at(const struct choice_set *set, uint64_t address)
{
	if (!elf_region_contains(&set->region, address))
		return NULL;
	return &set->choices[(address - set->region.address) /
			     sizeof(struct relink_choice_def)];
}

const struct choice *choices_by_call(const struct choice_set *set,
				     uint64_t address)
{
	size_t lo = 0, hi = set->n_calls;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (set->calls[mid].address == address)
			return &set->choices[set->calls[mid].choice];
		if (set->calls[mid].address < address)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
