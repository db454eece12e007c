// SPDX-License-Identifier: MIT
/*
 * Inline sites: N bytes of code whose register operands the compiler
 * chose. The template's holes take the site's registers; fixed registers
 * it writes must be clobbered by the site's asm (or be one of its
 * operands); a call in the template needs every caller-saved register so
 * covered and must be its last instruction. The code is padded with NOPs
 * to the site's length, after it, or before it when it ends in a call.
 */
#include <errno.h>

#include "emit.h"
#include "pattern.h"

static unsigned int operand_mask(const struct relink_form *form)
{
	unsigned int mask = 0;

	for (unsigned int i = 0; i < form->n_regs; i++)
		mask |= 1u << (form->regs[i] & 15);
	return mask;
}

int relink_emit_inline_prepare(const struct relink_form *form,
			       const struct relink_variant_def *variant,
			       struct relink_pattern *pattern)
{
	unsigned int allowed = form->clobbers | operand_mask(form);
	int len = relink_pattern_encode(form, variant, allowed, pattern);

	if (len < 0)
		return len;
	relink_pattern_place(pattern, (unsigned int)len);
	return 0;
}
