/* SPDX-License-Identifier: MIT */
/*
 * Private to arch/x86/patching/: the helpers every shape's emitter builds
 * its pattern with (pattern.c). They sit below the emitters and call only
 * the encoder and the NOP filler, never an emitter.
 */
#ifndef ARCH_X86_PATCHING_PATTERN_H
#define ARCH_X86_PATCHING_PATTERN_H

#include <relink/arch.h>

/* Refuses the variant: records why in the pattern and returns rc. */
int relink_pattern_refuse(struct relink_pattern *pattern, int rc,
			  const char *why);

/*
 * Encodes variant's template for a site of form at the start of
 * pattern->bytes, a call (only as the last instruction) as a REL32 fixup.
 * Every register the template writes must be in allowed (bit n = register
 * n). Returns the code length, or -errno with the reason in pattern->why;
 * the caller places the code.
 */
int relink_pattern_encode(const struct relink_form *form,
			  const struct relink_variant_def *variant,
			  unsigned int allowed, struct relink_pattern *pattern);

/* Fills the pattern from offset start to its length with NOPs. */
void relink_pattern_pad(struct relink_pattern *pattern, unsigned int start);

/* Puts code_len encoded bytes in place: calls at the end, else the start. */
void relink_pattern_place(struct relink_pattern *pattern,
			  unsigned int code_len);

/* Copies the pattern's bytes to out, whatever its fixup. */
void relink_pattern_copy(const struct relink_pattern *pattern, uint8_t *out);

/* Fills in the REL32 fixup of the pattern for a site at site in out. */
int relink_pattern_finish_rel32(const struct relink_pattern *pattern,
				uint64_t site, uint8_t *out);

/* The reason relink_pattern_finish_rel32() refuses a site. */
extern const char relink_rel32_reach_why[];

#endif /* ARCH_X86_PATCHING_PATTERN_H */
