/* SPDX-License-Identifier: MIT */
/*
 * Private to arch/x86/patching/: the per-shape emitters, one file each,
 * that the dispatcher (arch.c) picks from for relink_arch_prepare() and
 * relink_arch_finish(). Each builds its pattern from the helpers of
 * pattern.h and calls nothing above them.
 */
#ifndef ARCH_X86_PATCHING_EMIT_H
#define ARCH_X86_PATCHING_EMIT_H

#include <relink/arch.h>

int relink_emit_call_prepare(const struct relink_form *form,
			     const struct relink_variant_def *variant,
			     struct relink_pattern *pattern);
int relink_emit_inline_prepare(const struct relink_form *form,
			       const struct relink_variant_def *variant,
			       struct relink_pattern *pattern);
int relink_emit_lock_prepare(const struct relink_form *form,
			     const struct relink_variant_def *variant,
			     struct relink_pattern *pattern);
int relink_emit_branch_prepare(const struct relink_form *form,
			       const struct relink_variant_def *variant,
			       struct relink_pattern *pattern);

/* The compiled code of a call site: a call of the choice's call symbol. */
int relink_emit_call_original(const struct relink_form *form,
			      const struct relink_variant_def *default_variant,
			      const void *call_symbol,
			      struct relink_pattern *pattern);

int relink_emit_branch_finish(const struct relink_pattern *pattern,
			      uint64_t site, uint64_t branch_target,
			      uint8_t *out);

/* The reason relink_emit_branch_finish() refuses a site. */
extern const char relink_branch_reach_why[];

#endif /* ARCH_X86_PATCHING_EMIT_H */
