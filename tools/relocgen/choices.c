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

#include <relink/table_check.h>

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
	const char *fault;

	memcpy(&def, defs + j * sizeof(def), sizeof(def));
	v->name = elf_file_string_at(file, def.name_addr);
	if (!v->name) {
		report_at(file, c->address,
			  "choice %s variant %zu: name pointer 0x%" PRIx64
			  " is outside any allocated section",
			  c->name, j, def.name_addr);
		return -1;
	}
	fault = relink_variant_def_fault(&def);
	if (fault) {
		report_at(file, c->address, "choice %s variant %s: %s", c->name,
			  v->name, fault);
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

/* Definition i of region, as choice c. */
static int read_choice(const struct elf_file *file,
		       const struct elf_region *region, struct choice *c,
		       size_t i)
{
	struct relink_choice_def def;
	const char *fault;

	c->address = region->address + i * sizeof(def);
	memcpy(&def, region->data + i * sizeof(def), sizeof(def));
	c->name = elf_file_string_at(file, def.name_addr);
	if (!c->name) {
		report_at(file, c->address,
			  "choice name pointer 0x%" PRIx64
			  " is outside any allocated section",
			  def.name_addr);
		return -1;
	}
	/* The kernel applies the same rules to every definition it loads. */
	fault = relink_choice_def_fault(&def);
	if (fault) {
		report_at(file, c->address, "choice %s %s", c->name, fault);
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

/*
 * Give every definition from first on its __choice_<id> symbol,
 * preferring a global. (A module's trial link also holds the kernel's
 * symbols, whose choices have theirs.)
 */
static int attach_symbols(const struct elf_file *file, struct choice_set *set,
			  size_t first)
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
		if (c && c->index < first)
			continue;
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
	for (i = first; i < set->n_choices; i++) {
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

/* The definitions from first on against every one before them. */
static int check_unique(const struct elf_file *file,
			const struct choice_set *set, size_t first)
{
	size_t i, k;

	for (i = first; i < set->n_choices; i++) {
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

	free(set->calls);
	set->calls = xcalloc(set->n_choices, sizeof(*set->calls));
	set->n_calls = 0;
	set->n_variants = 0;
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

/* How many definitions region holds, of at most max; -1 if it is bad. */
static int count_definitions(const struct elf_file *file,
			     const struct elf_region *region, size_t max,
			     size_t *count)
{
	size_t size = region->size;

	if (size % sizeof(struct relink_choice_def)) {
		report(file->path,
		       ".relink.choices: size %zu is not a multiple of %zu "
		       "(struct relink_choice_def)",
		       size, sizeof(struct relink_choice_def));
		return -1;
	}
	if (size / sizeof(struct relink_choice_def) > max) {
		report(file->path, "%zu choices, at most %zu",
		       size / sizeof(struct relink_choice_def), max);
		return -1;
	}
	*count = size / sizeof(struct relink_choice_def);
	return 0;
}

static int find_definitions(const struct elf_file *file, struct choice_set *set)
{
	int rc = elf_file_region(file, ".relink.choices",
				 "__relink_choices_start",
				 "__relink_choices_end", &set->region);

	if (rc > 0)
		report(file->path, "no .relink.choices section (no choices "
				   "defined, or the link dropped them)");
	if (rc)
		return -1;
	return count_definitions(file, &set->region, RELOCGEN_MAX_CHOICES,
				 &set->n_choices);
}

/* Choices [first, n_choices) from region of file, checked and indexed. */
static int read_choices(const struct elf_file *file, struct choice_set *set,
			const struct elf_region *region, size_t first)
{
	int errors = 0;
	size_t i;

	for (i = first; i < set->n_choices; i++) {
		set->choices[i].index = i;
		if (read_choice(file, region, &set->choices[i], i - first))
			errors++;
	}
	if (errors || attach_symbols(file, set, first) ||
	    check_unique(file, set, first))
		return -1;
	index_calls_and_variants(set);
	return 0;
}

int choices_read(const struct elf_file *file, struct choice_set *set)
{
	memset(set, 0, sizeof(*set));
	if (find_definitions(file, set))
		return -1;
	set->choices = xcalloc(set->n_choices, sizeof(*set->choices));
	return read_choices(file, set, &set->region, 0);
}

int choices_read_own(const struct elf_file *file, struct choice_set *set)
{
	size_t n;
	/* Its own section only: the kernel's symbols are in the file too. */
	int rc =
		elf_file_region(file, ".relink.choices", NULL, NULL, &set->own);

	if (rc)
		return rc > 0 ? 0 : -1; /* none: the module defines none */
	if (count_definitions(file, &set->own,
			      RELOCGEN_MAX_CHOICES - set->n_choices, &n))
		return -1;
	set->first_own = set->n_choices;
	set->choices = xrealloc(set->choices, set->first_own + n + 1,
				sizeof(*set->choices));
	memset(set->choices + set->first_own, 0, n * sizeof(*set->choices));
	set->n_choices += n;
	return read_choices(file, set, &set->own, set->first_own);
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
	if (set->own.section && symbol->shndx == set->own.section->index &&
	    elf_region_contains(&set->own, symbol->value))
		return true;
	if (set->external)
		return symbol->shndx == SHN_ABS &&
		       elf_region_contains(&set->region, symbol->value);
	return set->region.section &&
	       symbol->shndx == set->region.section->index &&
	       elf_region_contains(&set->region, symbol->value);
}

const struct choice *choices_at(const struct choice_set *set, uint64_t address)
{
	if (set->own.section && elf_region_contains(&set->own, address))
		return &set->choices[set->first_own +
				     (address - set->own.address) /
					     sizeof(struct relink_choice_def)];
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
