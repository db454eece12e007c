// SPDX-License-Identifier: MIT
/*
 * Emitting: the bytes a site gets for a variant. The architecture's
 * emitters turn a (form, variant) pair into a pattern once
 * (include/relink/arch.h); this file keeps those patterns in a small
 * direct-mapped cache keyed by (form, choice, variant), so applying a
 * million sites costs a lookup and a copy per site rather than an encoding,
 * and no allocation. The pseudo-variant RELINK_ORIGINAL is the code as
 * compiled: a call to the call symbol at call sites, the default variant
 * elsewhere.
 */
#include <errno.h>
#include <string.h>

#include <relink/arch.h>

#include "patching.h"
#include "strbuf.h"

#define PATTERN_SLOTS 128

struct pattern_slot {
	uint32_t key; /* 0: empty */
	int rc;
	struct relink_pattern pattern;
};

static struct pattern_slot pattern_cache[PATTERN_SLOTS];

/** relink_emit_reset() - forget every pattern (a new table was loaded). */
void relink_emit_reset(void)
{
	for (unsigned int i = 0; i < PATTERN_SLOTS; i++)
		pattern_cache[i].key = 0;
}

uint64_t relink_site_address(const struct relink_engine *e, uint32_t index)
{
	return e->text_base + relink_site_offset(&e->sites[index]);
}

const struct relink_variant_def *
relink_variant_def(const struct relink_engine *e, unsigned int choice,
		   unsigned int variant)
{
	const struct relink_choice_def *def = e->defs[choice];

	if (variant == RELINK_ORIGINAL)
		variant = def->default_variant;
	return &def->variants[variant];
}

/* The code as compiled is the emitter's to say (a call at call sites). */
static int prepare(const struct relink_engine *e, unsigned int form_index,
		   unsigned int choice, unsigned int variant,
		   struct relink_pattern *pattern)
{
	const struct relink_form *form = &e->forms[form_index];
	const struct relink_variant_def *def =
		relink_variant_def(e, choice, variant);

	if (variant == RELINK_ORIGINAL)
		return relink_arch_prepare_original(
			form, def, e->defs[choice]->call_symbol, pattern);
	return relink_arch_prepare(form, def, pattern);
}

static const struct pattern_slot *lookup(const struct relink_engine *e,
					 unsigned int form, unsigned int choice,
					 unsigned int variant)
{
	uint32_t key = 1 + (form | choice << 8 | variant << 16);
	uint32_t hash = (form * 0x9e37u) ^ (choice * 0x85ebu) ^
			(variant * 0xc2b3u);
	struct pattern_slot *slot =
		&pattern_cache[(hash ^ hash >> 7) % PATTERN_SLOTS];

	if (slot->key != key) {
		slot->rc = prepare(e, form, choice, variant, &slot->pattern);
		slot->key = key;
	}
	return slot;
}

/**
 * relink_emit_site() - the bytes of site index for variant into out.
 *
 * choice is the site's (the range of the table that holds it); branch is
 * the site's index into the branch targets (branch sites only).
 * Writes the site's length in bytes; 0 or the emitter's -errno.
 */
int relink_emit_site(const struct relink_engine *e, unsigned int choice,
		     uint32_t index, unsigned int variant, uint32_t branch,
		     uint8_t *out)
{
	const struct pattern_slot *slot = lookup(
		e, relink_site_form_index(&e->sites[index]), choice, variant);
	uint64_t addr = relink_site_address(e, index);
	uint64_t target = 0;

	if (slot->rc)
		return slot->rc;
	if (slot->pattern.fixup == RELINK_FIXUP_BRANCH)
		target =
			addr + slot->pattern.length + e->branch_targets[branch];
	return relink_arch_finish(&slot->pattern, addr, target, out);
}

/**
 * relink_emit_why() - why relink_emit_site() failed for the same arguments:
 * the emitter's reason, the sentence relocgen prints for the same rule.
 */
const char *relink_emit_why(const struct relink_engine *e, unsigned int choice,
			    uint32_t index, unsigned int variant)
{
	const struct pattern_slot *slot = lookup(
		e, relink_site_form_index(&e->sites[index]), choice, variant);

	if (slot->rc)
		return slot->pattern.why;
	return relink_arch_finish_why(&slot->pattern);
}

/**
 * relink_emit_form() - the bytes of a site that is not in the table (a
 * module's), of form at address (target: a branch's destination), for
 * variant of choice. Not cached: modules have few sites. 0 or the
 * emitter's -errno, with its reason in *why.
 */
int relink_emit_form(const struct relink_engine *e,
		     const struct relink_form *form, unsigned int choice,
		     unsigned int variant, uint64_t address, uint64_t target,
		     uint8_t *out, const char **why)
{
	const struct relink_variant_def *def =
		relink_variant_def(e, choice, variant);
	struct relink_pattern pattern;
	int rc;

	if (variant == RELINK_ORIGINAL)
		rc = relink_arch_prepare_original(
			form, def, e->defs[choice]->call_symbol, &pattern);
	else
		rc = relink_arch_prepare(form, def, &pattern);
	if (rc) {
		*why = pattern.why;
		return rc;
	}
	if (pattern.fixup != RELINK_FIXUP_BRANCH)
		target = 0;
	rc = relink_arch_finish(&pattern, address, target, out);
	if (rc)
		*why = relink_arch_finish_why(&pattern);
	return rc;
}

/* "symbol+0xoff" of a site, or its address when the symbol is unknown. */
void relink_site_name(const struct relink_engine *e, uint32_t index, char *buf,
		      size_t size)
{
	relink_address_name(relink_site_address(e, index), buf, size);
}

/* "symbol+0xoff" (a module's: "module:symbol+0xoff"), or the address. */
void relink_address_name(uint64_t addr, char *buf, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	struct strbuf sb;

	if (relink_platform_symbol(addr, buf, size) == 0)
		return;
	strbuf_init(&sb, buf, size);
	strbuf_puts(&sb, "0x");
	for (int shift = 60; shift >= 0; shift -= 4)
		strbuf_putc(&sb, hex[(addr >> shift) & 15]);
}
