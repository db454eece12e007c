// SPDX-License-Identifier: MIT
/*
 * The x86 side of include/relink/arch.h: the dispatcher. Each entry point
 * checks what every shape shares and hands the work to the emitter of the
 * site's shape (emit_*.c), which builds the pattern from the helpers of
 * pattern.c. Nothing below calls back up here.
 */
#include <errno.h>
#include <stddef.h>

#include "emit.h"
#include "pattern.h"

typedef int (*shape_prepare_fn)(const struct relink_form *form,
				const struct relink_variant_def *variant,
				struct relink_pattern *pattern);

static const shape_prepare_fn shape_prepare[RELINK_SHAPE_MAX + 1] = {
	[RELINK_SHAPE_CALL] = relink_emit_call_prepare,
	[RELINK_SHAPE_INLINE] = relink_emit_inline_prepare,
	[RELINK_SHAPE_LOCK] = relink_emit_lock_prepare,
	[RELINK_SHAPE_BRANCH] = relink_emit_branch_prepare,
};

/* An empty pattern of the form's length, or -EINVAL for a bad form. */
static int start_pattern(const struct relink_form *form,
			 struct relink_pattern *pattern)
{
	pattern->length = form->length;
	pattern->fixup = RELINK_FIXUP_NONE;
	pattern->fixup_at = 0;
	pattern->fixup_end = 0;
	pattern->target = 0;
	pattern->why = NULL;
	if (form->shape > RELINK_SHAPE_MAX || !shape_prepare[form->shape])
		return relink_pattern_refuse(pattern, -EINVAL,
					     "the site's shape is unknown");
	if (!form->length || form->n_regs > RELINK_MAX_REGS)
		return relink_pattern_refuse(pattern, -EINVAL,
					     "the site has no length or more "
					     "than 3 register operands");
	return 0;
}

int relink_arch_prepare(const struct relink_form *form,
			const struct relink_variant_def *variant,
			struct relink_pattern *pattern)
{
	int rc = start_pattern(form, pattern);

	if (rc)
		return rc;
	return shape_prepare[form->shape](form, variant, pattern);
}

int relink_arch_prepare_original(
	const struct relink_form *form,
	const struct relink_variant_def *default_variant,
	const void *call_symbol, struct relink_pattern *pattern)
{
	int rc = start_pattern(form, pattern);

	if (rc)
		return rc;
	if (form->shape == RELINK_SHAPE_CALL)
		return relink_emit_call_original(form, default_variant,
						 call_symbol, pattern);
	return shape_prepare[form->shape](form, default_variant, pattern);
}

int relink_arch_finish(const struct relink_pattern *pattern, uint64_t site,
		       uint64_t branch_target, uint8_t *out)
{
	switch (pattern->fixup) {
	case RELINK_FIXUP_NONE:
		relink_pattern_copy(pattern, out);
		return 0;
	case RELINK_FIXUP_REL32:
		relink_pattern_copy(pattern, out);
		return relink_pattern_finish_rel32(pattern, site, out);
	case RELINK_FIXUP_BRANCH:
		return relink_emit_branch_finish(pattern, site, branch_target,
						 out);
	}
	return -EINVAL;
}

const char *relink_arch_finish_why(const struct relink_pattern *pattern)
{
	switch (pattern->fixup) {
	case RELINK_FIXUP_REL32:
		return relink_rel32_reach_why;
	case RELINK_FIXUP_BRANCH:
		return relink_branch_reach_why;
	}
	return "the pattern has an unknown fixup";
}
