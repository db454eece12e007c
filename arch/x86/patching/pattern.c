// SPDX-License-Identifier: MIT
/*
 * Pattern helpers: what every shape's emitter (emit_*.c) builds its
 * pattern with. Encoding a template into a pattern (a call as the REL32
 * fixup, every written register checked against what the site allows),
 * NOP padding, placing code in the site, and the copy and REL32 steps of
 * finishing one site. Every refusal records its reason in pattern->why.
 */
#include <errno.h>
#include <string.h>

#include "pattern.h"
#include "x86_encode.h"

const char relink_rel32_reach_why[] =
	"its call target is out of rel32 reach of the site";

int relink_pattern_refuse(struct relink_pattern *pattern, int rc,
			  const char *why)
{
	pattern->why = why;
	return rc;
}

static int encode_call_fixup(const struct relink_variant_def *variant,
			     const struct relink_insn *insn,
			     const struct relink_encode_ctx *ctx,
			     struct relink_pattern *pattern, unsigned int at)
{
	int offset = relink_call_offset(insn, ctx, &pattern->why);

	/* One rel32 per pattern: finish fills in a single field. */
	if (!variant->target)
		return relink_pattern_refuse(pattern, -EINVAL,
					     "its call has no target");
	if (offset < 0)
		return offset;
	if (at + 5 > pattern->length)
		return relink_pattern_refuse(
			pattern, -E2BIG, "its code is longer than the site");
	pattern->bytes[at] = 0xe8;
	memset(&pattern->bytes[at + 1], 0, 4);
	pattern->fixup = RELINK_FIXUP_REL32;
	pattern->fixup_at = (uint8_t)(at + 1);
	pattern->fixup_end = (uint8_t)(at + 5);
	pattern->target = (uint64_t)(uintptr_t)variant->target + offset;
	return 5;
}

/*
 * A register the instruction writes must be one the site allows; an
 * instruction whose registers do not resolve is left to the encoder,
 * which refuses it with the reason.
 */
static int check_writes(const struct relink_insn *insn,
			const struct relink_encode_ctx *ctx,
			unsigned int allowed, struct relink_pattern *pattern)
{
	int writes = relink_insn_writes(insn, ctx);

	if (writes <= 0 || !((unsigned int)writes & ~allowed))
		return 0;
	if (insn->op == RELINK_OP_CALL)
		return relink_pattern_refuse(
			pattern, -EINVAL,
			"a call clobbers every caller-saved register, and the "
			"site does not let it");
	return relink_pattern_refuse(pattern, -EINVAL,
				     "its template writes a register the site "
				     "does not let it clobber");
}

static int encode_step(const struct relink_form *form,
		       const struct relink_variant_def *variant,
		       const struct relink_insn *insn, unsigned int allowed,
		       struct relink_pattern *pattern, unsigned int at)
{
	struct relink_encode_ctx ctx = {
		.regs = form->regs,
		.n_regs = form->n_regs,
	};
	int rc = check_writes(insn, &ctx, allowed, pattern);

	if (rc)
		return rc;
	if (relink_op_is_call(insn->op))
		return encode_call_fixup(variant, insn, &ctx, pattern, at);
	if (insn->op == RELINK_OP_JMP)
		return relink_pattern_refuse(pattern, -EINVAL,
					     "its template jumps, and only a "
					     "branch site has a target");
	return relink_encode_insn(insn, &ctx, &pattern->bytes[at],
				  pattern->length - at, &pattern->why);
}

int relink_pattern_encode(const struct relink_form *form,
			  const struct relink_variant_def *variant,
			  unsigned int allowed, struct relink_pattern *pattern)
{
	unsigned int at = 0;

	if (variant->n_insns && !variant->tmpl)
		return relink_pattern_refuse(pattern, -EINVAL,
					     "it has instructions but no "
					     "template");
	for (unsigned int i = 0; i < variant->n_insns; i++) {
		int n;

		/* See relink_pattern_place(): a call must end the template. */
		if (relink_op_is_call(variant->tmpl[i].op) &&
		    i + 1 != variant->n_insns)
			return relink_pattern_refuse(
				pattern, -EINVAL,
				"its call is not the last instruction of its "
				"template");
		n = encode_step(form, variant, &variant->tmpl[i], allowed,
				pattern, at);
		if (n < 0)
			return n;
		at += (unsigned int)n;
	}
	return (int)at;
}

void relink_pattern_pad(struct relink_pattern *pattern, unsigned int start)
{
	relink_fill_nops(&pattern->bytes[start], pattern->length - start);
}

/*
 * Code of code_len bytes at the start of the pattern takes its place in
 * the site. Code that ends in a call goes to the end of the site, NOPs
 * first: a CPU inside the callee then has its return address at the end
 * of the site, never inside it, so a run-time switch can rewrite the site
 * under it. Other code starts the site and NOPs follow.
 */
void relink_pattern_place(struct relink_pattern *pattern, unsigned int code_len)
{
	unsigned int shift = pattern->length - code_len;

	if (pattern->fixup != RELINK_FIXUP_REL32 || !shift) {
		relink_pattern_pad(pattern, code_len);
		return;
	}
	memmove(&pattern->bytes[shift], pattern->bytes, code_len);
	relink_fill_nops(pattern->bytes, shift);
	pattern->fixup_at = (uint8_t)(pattern->fixup_at + shift);
	pattern->fixup_end = (uint8_t)(pattern->fixup_end + shift);
}

/* Exactly n bytes: sites are short, and a call of memcpy() costs more. */
void relink_pattern_copy(const struct relink_pattern *pattern, uint8_t *out)
{
	unsigned int n = pattern->length;

	if (n > 8) {
		memcpy(out, pattern->bytes, n);
		return;
	}
	for (unsigned int i = 0; i < n; i++)
		out[i] = pattern->bytes[i];
}

/* rel32 = target - end of the instruction, which must fit in 32 bits. */
int relink_pattern_finish_rel32(const struct relink_pattern *pattern,
				uint64_t site, uint8_t *out)
{
	int64_t d = (int64_t)(pattern->target - (site + pattern->fixup_end));

	if (d < INT32_MIN || d > INT32_MAX)
		return -ERANGE;
	for (int i = 0; i < 4; i++)
		out[pattern->fixup_at + i] = (uint8_t)((uint64_t)d >> (8 * i));
	return 0;
}
