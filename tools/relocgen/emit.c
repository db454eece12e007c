// SPDX-License-Identifier: MIT
/*
 * relocgen's use of the kernel's emitter. For each site this runs the same
 * relink_arch_prepare() and relink_arch_finish() the engine runs, with the
 * site's form (its registers and clobbers, as the table records them) and
 * address, so a variant is refused here exactly when the kernel would
 * refuse it, with the kernel's reason. What the emitter does not judge is
 * checked with Zydis: the emitted bytes are whole instructions that fill
 * the site, and the default code is what the engine expects to find.
 *
 * prepare() does not depend on the site's address, so its pattern is kept
 * per (form, variant); a pattern without a fixup is also decoded once.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <relink/arch.h>

#include "choices.h"
#include "elf.h"
#include "emit.h"
#include "sites.h"
#include "util.h"

/* A memo key's variant half: this bit and a choice index, the original. */
#define ORIGINAL_KEY_BIT UINT32_C(0x80000000)

struct prepared {
	struct relink_pattern pattern;
	int rc;
	bool decoded; /* site-independent bytes, decoded once and fine */
	uint8_t code_length;
};

/* One site's bytes for one variant, and the reason when there are none. */
struct emission {
	uint8_t bytes[RELINK_SITE_MAX];
	char why[160];
};

void emitter_init(struct emitter *em, const struct elf_file *file,
		  const struct site_set *set)
{
	memset(em, 0, sizeof(*em));
	em->file = file;
	em->set = set;
	decoder_init(&em->decoder);
	hashmap_init(&em->memo);
}

void emitter_free(struct emitter *em)
{
	hashmap_free(&em->memo);
	free(em->prepared);
	em->prepared = NULL;
}

/* The build-time definition the kernel's emitter takes, from relocgen's. */
static void variant_def(const struct variant *v, struct relink_variant_def *def)
{
	memset(def, 0, sizeof(*def));
	def->name = v->name;
	def->tmpl = v->insns;
	def->target = (const void *)(uintptr_t)v->target;
	def->n_insns = (uint8_t)v->n_insns;
	def->pred = v->pred;
	def->pred_arg = v->pred_arg;
}

/* The pattern of v (or of the code as compiled) at sites of form. */
static struct prepared *prepare(struct emitter *em, const struct choice *c,
				const struct variant *v, uint32_t form,
				bool original)
{
	uint32_t which = original ? ORIGINAL_KEY_BIT | (uint32_t)c->index :
				    (uint32_t)v->index;
	uint64_t key = (uint64_t)form << 32 | which;
	const struct relink_form *f = &em->set->forms[form];
	struct relink_variant_def def;
	struct prepared *p;
	uint32_t index;

	if (hashmap_get(&em->memo, key, &index))
		return &em->prepared[index];
	grow(em->prepared, em->n_prepared, em->capacity);
	p = &em->prepared[em->n_prepared];
	memset(p, 0, sizeof(*p));
	variant_def(v, &def);
	if (original)
		p->rc = relink_arch_prepare_original(
			f, &def, (const void *)(uintptr_t)c->call_symbol,
			&p->pattern);
	else
		p->rc = relink_arch_prepare(f, &def, &p->pattern);
	hashmap_put(&em->memo, key, (uint32_t)em->n_prepared++);
	return p;
}

/* The bytes the kernel writes at s for the prepared pattern p. */
static int finish(const struct site *s, const struct prepared *p,
		  struct emission *out)
{
	if (p->rc) {
		snprintf(out->why, sizeof(out->why), "%s", p->pattern.why);
		return -1;
	}
	if (relink_arch_finish(&p->pattern, s->address,
			       s->has_target ? s->target : 0, out->bytes)) {
		snprintf(out->why, sizeof(out->why), "%s",
			 relink_arch_finish_why(&p->pattern));
		return -1;
	}
	return 0;
}

/* "f0 48 ff c0": the bytes of a site, for a message. */
static void format_bytes(char *buf, size_t size, const uint8_t *bytes,
			 unsigned length)
{
	size_t used = 0;
	unsigned i;

	buf[0] = '\0';
	for (i = 0; i < length && used + 4 <= size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%02x",
					 i ? " " : "", bytes[i]);
}

/* The code as compiled at site s, and how many bytes its section holds. */
static const uint8_t *site_code(const struct emitter *em, const struct site *s,
				size_t *available)
{
	const struct elf_section *sec =
		elf_file_section_at(em->file, s->address);

	*available = sec->shdr.sh_addr + sec->size - s->address;
	return sec->data + (s->address - sec->shdr.sh_addr);
}

/*
 * A lock site's byte is the prefix of an instruction that goes on past
 * the site: that instruction must decode, to the same length, with the
 * variant's prefix in place of the compiled one.
 */
static int decode_prefix(const struct emitter *em, const struct site *s,
			 struct emission *e)
{
	uint8_t insn_bytes[ZYDIS_MAX_INSTRUCTION_LENGTH];
	ZydisDecodedInstruction insn;
	size_t available;
	const uint8_t *code = site_code(em, s, &available);
	int length;

	if (available > sizeof(insn_bytes))
		available = sizeof(insn_bytes);
	memcpy(insn_bytes, code, available);
	length = decode_insn(&em->decoder, insn_bytes, available, &insn);
	insn_bytes[0] = e->bytes[0];
	if (length > 1 &&
	    decode_insn(&em->decoder, insn_bytes, available, &insn) == length)
		return 1;
	snprintf(e->why, sizeof(e->why),
		 "the instruction at the site does not decode with prefix "
		 "0x%02x",
		 e->bytes[0]);
	return -1;
}

/* Why the code at +at does not decode within the site. */
static int undecodable(const struct emitter *em, const struct site *s,
		       struct emission *e, unsigned at)
{
	uint8_t tail[2 * ZYDIS_MAX_INSTRUCTION_LENGTH] = { 0 };
	unsigned rest = s->length - at;
	ZydisDecodedInstruction insn;
	char text[3 * ZYDIS_MAX_INSTRUCTION_LENGTH];
	int n;

	/* Decoded with room to spare, a cut-off instruction shows itself. */
	memcpy(tail, e->bytes + at,
	       rest < ZYDIS_MAX_INSTRUCTION_LENGTH ?
		       rest :
		       ZYDIS_MAX_INSTRUCTION_LENGTH);
	n = decode_insn(&em->decoder, tail, sizeof(tail), &insn);
	format_bytes(text, sizeof(text), e->bytes + at, rest < 8 ? rest : 8);
	if (n > (int)rest)
		snprintf(e->why, sizeof(e->why),
			 "its instruction at +%u (%s) runs past the end of "
			 "the site",
			 at, text);
	else
		snprintf(e->why, sizeof(e->why),
			 "Zydis cannot decode its code at +%u (%s)", at, text);
	return -1;
}

/*
 * Zydis, the independent decoder, must find whole instructions that fill
 * the site exactly. Returns the bytes of code in them (the NOPs that pad
 * it not counted), or -1 with the reason.
 */
static int decode_fill(const struct emitter *em, const struct site *s,
		       struct emission *e)
{
	ZydisDecodedInstruction insn;
	unsigned at = 0;
	int code = 0;

	while (at < s->length) {
		int n = decode_insn(&em->decoder, e->bytes + at, s->length - at,
				    &insn);

		if (n < 0)
			return undecodable(em, s, e, at);
		if (insn.mnemonic != ZYDIS_MNEMONIC_NOP)
			code += n;
		at += (unsigned)n;
	}
	return code;
}

/* Decodes an emission, once per pattern when its bytes are the same. */
static int decode_emission(const struct emitter *em, const struct site *s,
			   struct prepared *p, struct emission *e)
{
	int code;

	if (s->shape == RELINK_SHAPE_LOCK)
		return decode_prefix(em, s, e);
	if (p->decoded)
		return p->code_length;
	code = decode_fill(em, s, e);
	if (code >= 0 && p->pattern.fixup == RELINK_FIXUP_NONE) {
		p->decoded = true;
		p->code_length = (uint8_t)code;
	}
	return code;
}

/*
 * The code as compiled must be what the engine expects before its first
 * write (RELINK_ORIGINAL): otherwise the engine either refuses to patch
 * the site or, when the choice keeps its default, runs code no variant
 * describes.
 */
static int check_compiled(struct emitter *em, const struct choice *c,
			  const struct site *s)
{
	const struct variant *v = &c->variants[c->default_variant];
	struct prepared *p = prepare(em, c, v, s->form, true);
	char want[3 * RELINK_SITE_MAX], found[3 * RELINK_SITE_MAX];
	struct emission e;
	size_t available;
	const uint8_t *compiled = site_code(em, s, &available);

	if (finish(s, p, &e)) {
		report_at(em->file, s->address, "variant %s of %s: %s", v->name,
			  c->name, e.why);
		return -1;
	}
	if (!memcmp(e.bytes, compiled, s->length))
		return 0;
	format_bytes(want, sizeof(want), e.bytes, s->length);
	format_bytes(found, sizeof(found), compiled, s->length);
	report_at(em->file, s->address,
		  "default variant %s of %s is not the compiled code (want "
		  "%s, found %s)",
		  v->name, c->name, want, found);
	return -1;
}

static int check_variant(struct emitter *em, const struct choice *c,
			 struct variant *v, const struct site *s)
{
	struct prepared *p = prepare(em, c, v, s->form, false);
	struct emission e;
	int code = finish(s, p, &e);

	if (!code)
		code = decode_emission(em, s, p, &e);
	if (code < 0) {
		report_at(em->file, s->address, "variant %s of %s: %s", v->name,
			  c->name, e.why);
		return -1;
	}
	if (code > v->max_length)
		v->max_length = (uint8_t)code;
	return 0;
}

int emit_check_site(struct emitter *em, struct choice *c, const struct site *s)
{
	size_t j;

	if (check_compiled(em, c, s))
		return -1;
	for (j = 0; j < c->n_variants; j++)
		if (check_variant(em, c, &c->variants[j], s))
			return -1;
	return 0;
}
