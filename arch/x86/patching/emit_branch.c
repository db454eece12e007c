// SPDX-License-Identifier: MIT
/*
 * Branch sites: a 2- or 5-byte jump-or-NOP, like a static key. A variant
 * without instructions is NOPs (fall through); a variant that is one
 * RELINK_OP_JMP jumps to the site's target, recorded by relocgen. The jump
 * is a jmp rel8 when the target is within reach (padded with NOPs), else a
 * jmp rel32, so the choice between them is made per site.
 */
#include <errno.h>

#include "emit.h"
#include "pattern.h"
#include "x86_encode.h"

const char relink_branch_reach_why[] =
	"the branch target is out of reach of the site's jmp";

int relink_emit_branch_prepare(const struct relink_form *form,
			       const struct relink_variant_def *variant,
			       struct relink_pattern *pattern)
{
	if (form->length != 2 && form->length != 5)
		return relink_pattern_refuse(pattern, -EINVAL,
					     "a branch site is 2 or 5 bytes");
	if (variant->n_insns == 0) {
		relink_pattern_pad(pattern, 0);
		return 0;
	}
	if (variant->n_insns != 1 || !variant->tmpl ||
	    variant->tmpl[0].op != RELINK_OP_JMP)
		return relink_pattern_refuse(pattern, -EINVAL,
					     "a branch variant is nothing or "
					     "one jmp");
	pattern->fixup = RELINK_FIXUP_BRANCH;
	return 0;
}

int relink_emit_branch_finish(const struct relink_pattern *pattern,
			      uint64_t site, uint64_t branch_target,
			      uint8_t *out)
{
	struct relink_insn jmp = RELINK_I_JMP();
	struct relink_encode_ctx ctx = {
		.pc = site,
		.branch_target = branch_target,
	};
	int len = relink_encode_insn(&jmp, &ctx, out, pattern->length, NULL);

	/* A rel32 that would reach is too long for a 2-byte site. */
	if (len < 0)
		return len == -E2BIG ? -ERANGE : len;
	relink_fill_nops(out + len, pattern->length - (unsigned int)len);
	return 0;
}
