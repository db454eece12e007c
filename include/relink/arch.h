/* SPDX-License-Identifier: MIT */
/*
 * The interface between the portable engine (kernel/patching/) and the
 * architecture's site emitters (arch/x86/patching/).
 *
 * Emitting is split in two so the engine can apply millions of sites
 * quickly: relink_arch_prepare() turns a (form, variant) pair into a
 * pattern once -- the site's bytes with at most one address-dependent
 * field left open -- and relink_arch_finish() fills that field in for each
 * site. Every site of a form gets the same pattern for a variant.
 *
 * The emitters are freestanding: relocgen links the same code for the
 * host, so the bytes it checks at build time are the bytes the kernel
 * writes, and a refusal carries one reason, a phrase that the engine's
 * log and relocgen's error both print after "variant V of CHOICE: ".
 */
#ifndef RELINK_ARCH_H
#define RELINK_ARCH_H

#include <stdint.h>

#include <relink/format.h>

#define RELINK_SITE_MAX 255 /* a site's length is a uint8_t */

enum relink_fixup {
	RELINK_FIXUP_NONE = 0,
	/* rel32 at fixup_at, relative to the site + fixup_end, to target. */
	RELINK_FIXUP_REL32 = 1,
	/* A jmp to the site's branch target: rel8 if it reaches, else rel32. */
	RELINK_FIXUP_BRANCH = 2,
};

struct relink_pattern {
	uint64_t target;
	const char *why; /* why prepare refused the variant, else NULL */
	uint8_t length;
	uint8_t fixup; /* enum relink_fixup */
	uint8_t fixup_at;
	uint8_t fixup_end;
	uint8_t bytes[RELINK_SITE_MAX];
};

/**
 * relink_arch_prepare() - the pattern of variant at sites of form.
 *
 * Returns 0, -E2BIG (the code does not fit the site) or -EINVAL (a
 * template the shape cannot take: bad op, register, hole, or a fixed
 * register written that the site does not let it clobber); on error
 * pattern->why says why.
 */
int relink_arch_prepare(const struct relink_form *form,
			const struct relink_variant_def *variant,
			struct relink_pattern *pattern);

/**
 * relink_arch_prepare_original() - the pattern of the code as compiled.
 *
 * At a call site that is a call of the choice's call_symbol, whatever the
 * default variant's template; at any other site it is default_variant's
 * code. Returns as relink_arch_prepare().
 */
int relink_arch_prepare_original(
	const struct relink_form *form,
	const struct relink_variant_def *default_variant,
	const void *call_symbol, struct relink_pattern *pattern);

/**
 * relink_arch_finish() - the bytes of one site at address site.
 *
 * branch_target is the absolute destination of a branch site (else 0).
 * Writes pattern->length bytes to out; 0, or -ERANGE when a rel32 or rel8
 * cannot reach.
 */
int relink_arch_finish(const struct relink_pattern *pattern, uint64_t site,
		       uint64_t branch_target, uint8_t *out);

/* Why relink_arch_finish() refused a site for pattern (the fixup's reach). */
const char *relink_arch_finish_why(const struct relink_pattern *pattern);

#endif /* RELINK_ARCH_H */
