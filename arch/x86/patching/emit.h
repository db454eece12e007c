/* SPDX-License-Identifier: MIT */
/*
 * Private to arch/x86/patching/: the per-shape emitters behind
 * relink_arch_prepare(), and the template encoder they share.
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
int relink_emit_branch_finish(const struct relink_pattern *pattern,
			      uint64_t site, uint64_t branch_target,
			      uint8_t *out);

/*
 * Encodes variant's template for a site of form at the start of
 * pattern->bytes, a call (only as the last instruction) as a REL32 fixup.
 * Every register the template writes must be in allowed (bit n = register
 * n). Returns the code length or -errno; the caller places it.
 */
int relink_pattern_encode(const struct relink_form *form,
			  const struct relink_variant_def *variant,
			  unsigned int allowed, struct relink_pattern *pattern);

/* Fills the pattern from offset start to its length with NOPs. */
void relink_pattern_pad(struct relink_pattern *pattern, unsigned int start);

/* Puts code_len encoded bytes in place: calls at the end, else the start. */
void relink_pattern_place(struct relink_pattern *pattern,
			  unsigned int code_len);

#endif /* ARCH_X86_PATCHING_EMIT_H */
