// SPDX-License-Identifier: MIT
/*
 * Patterns: the x86 side of relink_arch_prepare() and relink_arch_finish()
 * (include/relink/arch.h). Dispatches to the emitter of each shape, owns
 * the template encoding the call and inline emitters share, and fills in a
 * pattern's address-dependent field for one site.
 */
#include <errno.h>
#include <string.h>

#include <relink/x86_encode.h>

#include "emit.h"

static int encode_call_fixup(const struct relink_variant_def *variant,
			     struct relink_pattern *pattern, unsigned int at)
{
	/* One rel32 per pattern: finish fills in a single field. */
	if (pattern->fixup != RELINK_FIXUP_NONE || !variant->target)
		return -EINVAL;
	if (at + 5 > pattern->length)
		return -E2BIG;
	pattern->bytes[at] = 0xe8;
	memset(&pattern->bytes[at + 1], 0, 4);
	pattern->fixup = RELINK_FIXUP_REL32;
	pattern->fixup_at = (uint8_t)(at + 1);
	pattern->fixup_end = (uint8_t)(at + 5);
	pattern->target = (uint64_t)(uintptr_t)variant->target;
	return 5;
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
	int writes = relink_insn_writes(insn, &ctx);

	if (writes < 0)
		return writes;
	if ((unsigned int)writes & ~allowed)
		return -EINVAL;
	if (insn->op == RELINK_OP_CALL)
		return encode_call_fixup(variant, pattern, at);
	if (insn->op == RELINK_OP_JMP)
		return -EINVAL; /* only branch sites have a target */
	return relink_encode_insn(insn, &ctx, &pattern->bytes[at],
				  pattern->length - at);
}

int relink_pattern_encode(const struct relink_form *form,
			  const struct relink_variant_def *variant,
			  unsigned int allowed, struct relink_pattern *pattern)
{
	unsigned int at = 0;

	if (variant->n_insns && !variant->tmpl)
		return -EINVAL;
	for (unsigned int i = 0; i < variant->n_insns; i++) {
		int n;

		/* See relink_pattern_place(): a call must end the template. */
		if (variant->tmpl[i].op == RELINK_OP_CALL &&
		    i + 1 != variant->n_insns)
			return -EINVAL;
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

int relink_arch_prepare(const struct relink_form *form,
			const struct relink_variant_def *variant,
			struct relink_pattern *pattern)
{
	pattern->length = form->length;
	pattern->fixup = RELINK_FIXUP_NONE;
	pattern->fixup_at = 0;
	pattern->fixup_end = 0;
	pattern->target = 0;
	if (!form->length || form->n_regs > RELINK_MAX_REGS)
		return -EINVAL;
	switch (form->shape) {
	case RELINK_SHAPE_CALL:
		return relink_emit_call_prepare(form, variant, pattern);
	case RELINK_SHAPE_INLINE:
		return relink_emit_inline_prepare(form, variant, pattern);
	case RELINK_SHAPE_LOCK:
		return relink_emit_lock_prepare(form, variant, pattern);
	case RELINK_SHAPE_BRANCH:
		return relink_emit_branch_prepare(form, variant, pattern);
	}
	return -EINVAL;
}

/* Exactly n bytes: sites are short, and a call of memcpy() costs more. */
static void copy_bytes(uint8_t *out, const uint8_t *in, unsigned int n)
{
	if (n > 8) {
		memcpy(out, in, n);
		return;
	}
	for (unsigned int i = 0; i < n; i++)
		out[i] = in[i];
}

/* rel32 = target - end of the instruction, which must fit in 32 bits. */
static int finish_rel32(const struct relink_pattern *pattern, uint64_t site,
			uint8_t *out)
{
	int64_t d = (int64_t)(pattern->target - (site + pattern->fixup_end));

	if (d < INT32_MIN || d > INT32_MAX)
		return -ERANGE;
	for (int i = 0; i < 4; i++)
		out[pattern->fixup_at + i] = (uint8_t)((uint64_t)d >> (8 * i));
	return 0;
}

int relink_arch_finish(const struct relink_pattern *pattern, uint64_t site,
		       uint64_t branch_target, uint8_t *out)
{
	switch (pattern->fixup) {
	case RELINK_FIXUP_NONE:
		copy_bytes(out, pattern->bytes, pattern->length);
		return 0;
	case RELINK_FIXUP_REL32:
		copy_bytes(out, pattern->bytes, pattern->length);
		return finish_rel32(pattern, site, out);
	case RELINK_FIXUP_BRANCH:
		return relink_emit_branch_finish(pattern, site, branch_target,
						 out);
	}
	return -EINVAL;
}
