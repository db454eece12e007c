// SPDX-License-Identifier: MIT
/*
 * Site validation. The passes run in order, each over all sites, and a
 * site that fails one pass is marked bad and skipped by the later ones, so
 * every bad site is reported once with its first problem:
 *
 *  1. operands: the packed addend is well-formed for its shape;
 *  2. placement: the site lies in executable text and overlaps no other;
 *  3. forms: equal operands share one form (the table stores a byte);
 *  4. boundaries: start and end are instruction boundaries, found by one
 *     linear sweep per function from its symbol's start;
 *  5. shapes: the default code is what the shape says (call rel32, a
 *     prefix that starts an instruction, jmp-or-nop to the recorded
 *     target);
 *  6. variants, through the kernel's own emitter (emit.c): the compiled
 *     code is what the kernel expects there, and every variant of the
 *     choice is one the kernel writes, as whole instructions.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "choices.h"
#include "decode.h"
#include "elf.h"
#include "emit.h"
#include "hashmap.h"
#include "sites.h"
#include "util.h"
#include "validate.h"

/* Operand bits format.h leaves zero (bits 14..15 belong to n_regs here). */
#define OPS_RESERVED_BITS UINT64_C(0xffff0000f0000000)
#define OPS_NREGS_WIDE(ops) ((unsigned)((ops) >> RELINK_OPS_NREGS_SHIFT) & 0xf)

struct validator {
	const struct elf_file *file;
	struct choice_set *choices;
	struct site_set *set;
	struct decoder decoder;
	struct emitter emitter;
	int errors;
};

static void site_error(struct validator *v, struct site *s, const char *fmt,
		       ...) __attribute__((format(printf, 3, 4)));

static void site_error(struct validator *v, struct site *s, const char *fmt,
		       ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport_at(v->file, s->address, fmt, ap);
	va_end(ap);
	s->bad = true;
	v->errors++;
}

static bool shape_length_ok(unsigned shape, unsigned length)
{
	switch (shape) {
	case RELINK_SHAPE_CALL:
		return length == 5;
	case RELINK_SHAPE_LOCK:
		return length == 1;
	case RELINK_SHAPE_BRANCH:
		return length == 2 || length == 5;
	}
	return length > 0;
}

static const char *shape_lengths(unsigned shape)
{
	switch (shape) {
	case RELINK_SHAPE_CALL:
		return "5";
	case RELINK_SHAPE_LOCK:
		return "1";
	case RELINK_SHAPE_BRANCH:
		return "2 or 5";
	}
	return "1..255";
}

static void check_registers(struct validator *v, struct site *s)
{
	unsigned n_regs = RELINK_OPS_NREGS(s->ops), i;

	for (i = 0; i < RELINK_MAX_REGS && !s->bad; i++) {
		unsigned reg = RELINK_OPS_REG(s->ops, i);

		if (i < n_regs && reg == RELINK_RSP)
			site_error(v, s, "register operand %u is rsp", i);
		else if (i >= n_regs && reg)
			site_error(v, s,
				   "register operand %u is %s but the site "
				   "has %u register operand%s",
				   i, register_name(reg), n_regs,
				   n_regs == 1 ? "" : "s");
	}
	if (!s->bad && (RELINK_OPS_CLOBBERS(s->ops) & (1u << RELINK_RSP)))
		site_error(v, s, "site clobbers rsp");
}

/* Pass 1: the packed operands. */
static void check_operands(struct validator *v, struct site *s)
{
	if (OPS_NREGS_WIDE(s->ops) > RELINK_MAX_REGS)
		site_error(v, s, "site has %u register operands, at most %d",
			   OPS_NREGS_WIDE(s->ops), RELINK_MAX_REGS);
	else if (s->ops & OPS_RESERVED_BITS)
		site_error(v, s,
			   "site operands 0x%" PRIx64
			   " set reserved bits 0x%" PRIx64,
			   s->ops, s->ops & OPS_RESERVED_BITS);
	else if (s->shape < 1 || s->shape > RELINK_SHAPE_MAX)
		site_error(v, s, "site shape %u is not valid", s->shape);
	else if (!shape_length_ok(s->shape, s->length))
		site_error(v, s, "%s site length %u, expected %s",
			   shape_name(s->shape), s->length,
			   shape_lengths(s->shape));
	else
		check_registers(v, s);
}

/* Pass 2: in executable text, within 4 GiB of text_base, no overlap. */
static void check_placement(struct validator *v, struct site *s,
			    const struct site *previous)
{
	const struct elf_section *sec =
		elf_file_section_at(v->file, s->address);

	if (!elf_section_is_text(sec))
		site_error(v, s, "site is not in executable text (%s%s)",
			   sec ? "section " : "no section",
			   sec ? sec->name : "");
	else if (s->length > sec->shdr.sh_addr + sec->shdr.sh_size - s->address)
		site_error(v, s, "site runs past the end of section %s",
			   sec->name);
	else if (s->address - v->set->text_base > UINT32_MAX)
		site_error(v, s, "site is more than 4 GiB above text_base");
	else if (previous &&
		 s->address < previous->address + previous->length) {
		char where[256];

		elf_file_symbolize(v->file, previous->address, where,
				   sizeof(where));
		site_error(v, s, "site overlaps the site at %s", where);
	}
}

/*
 * Pass 3: forms, deduplicated by their packed operands. Bad sites get none
 * (form 0): their operands may be anything, and the run fails anyway.
 */
static int assign_forms(struct validator *v)
{
	struct site_set *set = v->set;
	struct hashmap forms;
	size_t capacity = 0, i;
	uint32_t index;

	hashmap_init(&forms);
	for (i = 0; i < set->n_sites; i++) {
		struct site *s = &set->sites[i];
		struct relink_form *f;

		if (s->bad)
			continue;
		if (hashmap_get(&forms, s->ops, &index)) {
			s->form = index;
			continue;
		}
		grow(set->forms, set->n_forms, capacity);
		set->form_ops = xrealloc(set->form_ops, capacity,
					 sizeof(*set->form_ops));
		f = &set->forms[set->n_forms];
		memset(f, 0, sizeof(*f));
		f->shape = s->shape;
		f->length = s->length;
		f->n_regs = (uint8_t)RELINK_OPS_NREGS(s->ops);
		for (index = 0; index < f->n_regs; index++)
			f->regs[index] = (uint8_t)RELINK_OPS_REG(s->ops, index);
		f->clobbers = (uint16_t)RELINK_OPS_CLOBBERS(s->ops);
		set->form_ops[set->n_forms] = s->ops;
		s->form = (uint32_t)set->n_forms;
		hashmap_put(&forms, s->ops, (uint32_t)set->n_forms++);
	}
	hashmap_free(&forms);
	if (set->n_forms > RELOCGEN_MAX_FORMS) {
		report(v->file->path, "%zu distinct site forms, at most %d",
		       set->n_forms, RELOCGEN_MAX_FORMS);
		return -1;
	}
	return 0;
}

/* Check one boundary; on failure report it at the site. */
static enum sweep_result check_boundary(struct validator *v, struct site *s,
					struct sweep *sweep, uint64_t address,
					const char *which)
{
	enum sweep_result r = sweep_to(sweep, address);
	char where[256];

	if (r == SWEEP_BOUNDARY)
		return r;
	elf_file_symbolize(v->file,
			   r == SWEEP_SPLIT ? sweep->last : sweep->cursor,
			   where, sizeof(where));
	if (r == SWEEP_SPLIT)
		site_error(v, s,
			   "site %s is inside the instruction at %s (%u "
			   "bytes)",
			   which, where, sweep->last_length);
	else
		site_error(v, s, "cannot decode the instruction at %s", where);
	return r;
}

/* Start a sweep at start, over the rest of its section sec. */
static void start_sweep(struct validator *v, struct sweep *sweep,
			const struct elf_section *sec, uint64_t start)
{
	uint64_t end = sec->shdr.sh_addr + sec->size;

	sweep_init(sweep, &v->decoder, sec->data + (start - sec->shdr.sh_addr),
		   start, end);
}

/* The function symbols of text, sorted by address. */
static const struct elf_symbol **text_functions(const struct elf_file *file,
						size_t *count)
{
	const struct elf_symbol **functions;
	size_t i;

	functions = xcalloc(file->n_by_address, sizeof(*functions));
	*count = 0;
	for (i = 0; i < file->n_by_address; i++) {
		const struct elf_symbol *sym = file->by_address[i];

		if (sym->type == STT_FUNC && sym->size &&
		    elf_section_is_text(&file->sections[sym->shndx]))
			functions[(*count)++] = sym;
	}
	return functions;
}

/*
 * Pass 4: boundaries. Sites and functions are both sorted by address, so
 * one forward walk pairs each site with its function and each function is
 * decoded once, from its start to its last site. A site outside every
 * function symbol is decoded from its own start; so are the sites after an
 * undecodable instruction.
 */
static void check_boundaries(struct validator *v)
{
	size_t n_functions, f = 0, i;
	const struct elf_symbol **functions =
		text_functions(v->file, &n_functions);
	const struct elf_symbol *current = NULL;
	struct sweep sweep;

	for (i = 0; i < v->set->n_sites; i++) {
		struct site *s = &v->set->sites[i];
		const struct elf_section *sec;
		const struct elf_symbol *fn = NULL;

		if (s->bad)
			continue;
		sec = elf_file_section_at(v->file, s->address);
		while (f + 1 < n_functions &&
		       functions[f + 1]->value <= s->address)
			f++;
		/* The function must start inside the site's own section. */
		if (n_functions && functions[f]->value <= s->address &&
		    s->address - functions[f]->value < functions[f]->size &&
		    functions[f]->shndx == sec->index &&
		    functions[f]->value >= sec->shdr.sh_addr)
			fn = functions[f];
		if (!fn || fn != current)
			start_sweep(v, &sweep, sec,
				    fn ? fn->value : s->address);
		current = fn;
		/* After an undecodable instruction, restart at the next site. */
		if (check_boundary(v, s, &sweep, s->address, "start") ==
			    SWEEP_UNDECODABLE ||
		    (!s->bad && s->shape != RELINK_SHAPE_LOCK &&
		     check_boundary(v, s, &sweep, s->address + s->length,
				    "end") == SWEEP_UNDECODABLE))
			current = NULL;
	}
	free(functions);
}

static bool is_jump_or_nop(const struct site *s,
			   const ZydisDecodedInstruction *insn,
			   uint64_t *destination)
{
	if (insn->length != s->length)
		return false;
	if (insn->mnemonic == ZYDIS_MNEMONIC_NOP) {
		*destination = 0;
		return true;
	}
	if (insn->mnemonic != ZYDIS_MNEMONIC_JMP ||
	    !insn->raw.imm[0].is_relative)
		return false;
	*destination =
		s->address + insn->length + (uint64_t)insn->raw.imm[0].value.s;
	return true;
}

static void check_branch(struct validator *v, struct site *s,
			 const ZydisDecodedInstruction *insn, int length)
{
	uint64_t destination;
	char where[256], jumps_to[256];

	if (length < 0 || !is_jump_or_nop(s, insn, &destination)) {
		site_error(v, s, "branch site is not a %u-byte jmp or nop",
			   s->length);
		return;
	}
	elf_file_symbolize(v->file, s->target, where, sizeof(where));
	if (!elf_section_is_text(elf_file_section_at(v->file, s->target)))
		site_error(v, s, "branch target %s is not in executable text",
			   where);
	else if (destination && destination != s->target) {
		elf_file_symbolize(v->file, destination, jumps_to,
				   sizeof(jumps_to));
		site_error(v, s,
			   "branch site jumps to %s but its recorded target is "
			   "%s",
			   jumps_to, where);
	}
}

/* Pass 5: the default code at the site is what its shape says. */
static void check_shape(struct validator *v, struct site *s)
{
	const struct elf_section *sec =
		elf_file_section_at(v->file, s->address);
	const uint8_t *bytes = sec->data + (s->address - sec->shdr.sh_addr);
	size_t available = sec->shdr.sh_addr + sec->size - s->address;
	ZydisDecodedInstruction insn;
	int length = decode_insn(&v->decoder, bytes, available, &insn);

	switch (s->shape) {
	case RELINK_SHAPE_CALL:
		if (bytes[0] != 0xe8 || length != 5 ||
		    insn.mnemonic != ZYDIS_MNEMONIC_CALL)
			site_error(v, s, "call site is not a call rel32");
		break;
	case RELINK_SHAPE_LOCK:
		/* Which prefix: the compiled code check of pass 6. */
		if (length < 2)
			site_error(v, s,
				   "lock site prefix does not start an "
				   "instruction");
		break;
	case RELINK_SHAPE_BRANCH:
		check_branch(v, s, &insn, length);
		break;
	}
}

/* Pass 6: the kernel's emitter at the site, for every variant. */
static void check_variants(struct validator *v, struct site *s)
{
	if (emit_check_site(&v->emitter, &v->choices->choices[s->choice], s)) {
		s->bad = true;
		v->errors++;
	}
}

int validate_sites(const struct elf_file *file, struct choice_set *choices,
		   struct site_set *set)
{
	struct validator v = {
		.file = file,
		.choices = choices,
		.set = set,
	};
	const struct site *previous = NULL;
	size_t i;

	decoder_init(&v.decoder);
	emitter_init(&v.emitter, file, set);
	for (i = 0; i < set->n_sites; i++)
		check_operands(&v, &set->sites[i]);
	for (i = 0; i < set->n_sites; i++) {
		if (set->sites[i].bad)
			continue;
		check_placement(&v, &set->sites[i], previous);
		previous = &set->sites[i];
	}
	/* The emitter takes forms: assign them before pass 6. */
	if (assign_forms(&v)) {
		emitter_free(&v.emitter);
		return -1;
	}
	check_boundaries(&v);
	for (i = 0; i < set->n_sites; i++)
		if (!set->sites[i].bad)
			check_shape(&v, &set->sites[i]);
	for (i = 0; i < set->n_sites; i++)
		if (!set->sites[i].bad)
			check_variants(&v, &set->sites[i]);
	for (i = 0; i < set->n_sites; i++)
		choices->choices[set->sites[i].choice].n_sites++;
	emitter_free(&v.emitter);
	return v.errors ? -1 : 0;
}
