// SPDX-License-Identifier: MIT
/*
 * Call sites: the 5-byte "call rel32" a C call of the choice's call symbol
 * compiled to. A variant that is one call becomes a direct call to its
 * target; a variant of inline instructions replaces the call when they fit
 * in 5 bytes and write only registers the psABI lets a call destroy (the
 * form's clobbers); a variant without instructions NOPs the call out. The
 * code as compiled is the call of the call symbol, whatever the default
 * variant's template: it is what the engine expects before the first write.
 */
#include <errno.h>

#include "emit.h"
#include "pattern.h"

static const struct relink_insn call_insn = RELINK_I_CALL();

int relink_emit_call_prepare(const struct relink_form *form,
			     const struct relink_variant_def *variant,
			     struct relink_pattern *pattern)
{
	int len;

	if (form->length != 5)
		return relink_pattern_refuse(pattern, -EINVAL,
					     "a call site is 5 bytes");
	if (variant->n_insns == 0) {
		relink_pattern_pad(pattern, 0);
		return 0;
	}
	if (variant->n_insns == 1 && variant->tmpl &&
	    variant->tmpl[0].op == RELINK_OP_CALL) {
		/* The direct call: E8 and the rel32 the finish step fills. */
		len = relink_pattern_encode(form, variant, RELINK_CALLER_SAVED,
					    pattern);
		return len < 0 ? len : 0;
	}
	len = relink_pattern_encode(form, variant, form->clobbers, pattern);
	if (len < 0)
		return len;
	relink_pattern_place(pattern, (unsigned int)len);
	return 0;
}

int relink_emit_call_original(const struct relink_form *form,
			      const struct relink_variant_def *default_variant,
			      const void *call_symbol,
			      struct relink_pattern *pattern)
{
	struct relink_variant_def original = {
		.name = default_variant->name,
		.tmpl = &call_insn,
		.n_insns = 1,
		.target = call_symbol,
	};

	return relink_emit_call_prepare(form, &original, pattern);
}
