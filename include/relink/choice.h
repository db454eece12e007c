/* SPDX-License-Identifier: MIT */
/*
 * Defining choices and their variants.
 *
 * A choice is a named decision with variants; each variant is a predicate
 * (when it may be used) and a template (the code it becomes at a site).
 * DEFINE_CHOICE() emits the choice's struct relink_choice_def into section
 * ".relink.choices" under the global symbol __choice_<id>, which the site
 * markers of include/relink/site.h point their relocations at; the variants
 * and their templates go to .rodata. relocgen reads these objects from the
 * linked image, and the engine reads the same objects at run time.
 *
 *	DEFINE_CHOICE(cpu_popcnt, "cpu.popcnt", RELINK_DECIDER_CPUID, 1,
 *		RELINK_VARIANT("hw", RELINK_WHEN_CPUID(X86_FEATURE_popcnt),
 *			       RELINK_CODE(RELINK_I_POPCNT(RELINK_RAX,
 *							   RELINK_RDI))),
 *		RELINK_VARIANT("sw", RELINK_WHEN_ALWAYS,
 *			       RELINK_CALLS(sw_popcnt)));
 *
 * Variants are listed best first: deciding picks the first whose predicate
 * holds. The default variant (an index) is the one the unpatched code
 * implements; its template must encode to exactly the default code of every
 * inline, lock and branch site of the choice, because that is what the
 * engine expects to find there before it patches.
 *
 * Call-shaped choices name the function their call sites call:
 *
 *	DEFINE_CALL_CHOICE(pv_read_cr2, "pv.read_cr2", pv_read_cr2,
 *			   RELINK_DECIDER_HYPERVISOR, 2, ...variants...);
 *
 * Unpatched, a call site holds "call pv_read_cr2"; that function's own body
 * implements the default variant. Define it __relink_call_symbol, and
 * build its callers with -fno-optimize-sibling-calls.
 */
#ifndef RELINK_CHOICE_H
#define RELINK_CHOICE_H

#include <relink/cpufeature.h>
#include <relink/format.h>

/* Predicates: designated-initializer fragments for RELINK_VARIANT(). */
#define RELINK_WHEN_ALWAYS .pred = RELINK_PRED_ALWAYS, .pred_arg = 0
#define RELINK_WHEN_CPUID(feature) \
	.pred = RELINK_PRED_CPUID, .pred_arg = (feature)
#define RELINK_WHEN_NO_CPUID(feature) \
	.pred = RELINK_PRED_NO_CPUID, .pred_arg = (feature)
#define RELINK_WHEN_SMP .pred = RELINK_PRED_SMP, .pred_arg = 0
#define RELINK_WHEN_UP .pred = RELINK_PRED_UP, .pred_arg = 0
#define RELINK_WHEN_HYPERVISOR(kind) \
	.pred = RELINK_PRED_HYPERVISOR, .pred_arg = (kind)
#define RELINK_WHEN_NOT_HYPERVISOR(kind) \
	.pred = RELINK_PRED_NOT_HYPERVISOR, .pred_arg = (kind)

/*
 * Templates: designated-initializer fragments for RELINK_VARIANT().
 * RELINK_CODE() takes RELINK_I_*() instructions (include/relink/format.h);
 * the array is a file-scope compound literal, so it has static storage and
 * lands in .rodata next to the variant. A variant without a template
 * fragment becomes NOPs at every site.
 */
#define RELINK_CODE(...)                                                 \
	.tmpl = (const struct relink_insn[]){ __VA_ARGS__ },             \
	.n_insns = sizeof((const struct relink_insn[]){ __VA_ARGS__ }) / \
		   sizeof(struct relink_insn)

/* A direct call to fn: at a call site, "call fn" replaces the original. */
#define RELINK_CALLS(fn) \
	RELINK_CODE(RELINK_I_CALL()), .target = (const void *)(fn)

/*
 * A direct call to a thunk that changes no register but the flags (and
 * the site's own output operand, which it returns in): fits an inline
 * site that clobbers nothing, e.g. "cli" becoming a call under Xen.
 */
#define RELINK_CALLS_PRESERVING(fn) \
	RELINK_CODE(RELINK_I_CALL_PRESERVING()), .target = (const void *)(fn)

/*
 * A direct call to the thunk, in table, of the site's register operand 0:
 * RETURNING's thunk leaves its result in that register, TAKING's reads
 * its operand from it, and both keep every other register but the flags
 * (RELINK_OP_CALL_THUNK_OUT, _IN). The site keeps the register the
 * compiler chose for it, and its xen variant is still a 5-byte call.
 */
#define RELINK_CALLS_THUNK_RETURNING(table)                   \
	RELINK_CODE(RELINK_I_CALL_THUNK_OUT(RELINK_HOLE(0))), \
		.target = (const void *)(table)
#define RELINK_CALLS_THUNK_TAKING(table)                     \
	RELINK_CODE(RELINK_I_CALL_THUNK_IN(RELINK_HOLE(0))), \
		.target = (const void *)(table)

/* A jump to the branch site's target (branch-shaped choices only). */
#define RELINK_JUMPS() RELINK_CODE(RELINK_I_JMP())

/* One variant: its name, a RELINK_WHEN_*() predicate and a template. */
#define RELINK_VARIANT(vname, when, ...)           \
	{                                          \
		.name = (vname), when, __VA_ARGS__ \
	}

#define __RELINK_DEFINE_CHOICE(id, cname, symbol, decider_, default_, flags_,  \
			       ...)                                            \
	static const struct relink_variant_def __relink_variants_##id[] = {    \
		__VA_ARGS__                                                    \
	};                                                                     \
	_Static_assert(sizeof(__relink_variants_##id) /                        \
				       sizeof(__relink_variants_##id[0]) <=    \
			       255,                                            \
		       "choice " #id ": at most 255 variants");                \
	_Static_assert((default_) < sizeof(__relink_variants_##id) /           \
					    sizeof(__relink_variants_##id[0]), \
		       "choice " #id ": default variant out of range");        \
	const struct relink_choice_def __choice_##id __attribute__((           \
		used, section(".relink.choices"), aligned(8))) = {             \
		.name = (cname),                                               \
		.variants = __relink_variants_##id,                            \
		.call_symbol = (symbol),                                       \
		.n_variants = sizeof(__relink_variants_##id) /                 \
			      sizeof(__relink_variants_##id[0]),               \
		.decider = (decider_),                                         \
		.default_variant = (default_),                                 \
		.flags = (flags_),                                             \
	}

/*
 * DEFINE_CHOICE(id, "name", decider, default_variant, variants...) - a
 * choice whose sites are inline, lock or branch sites. The symbol
 * __choice_<id> is global on purpose: gas would turn a relocation against a
 * local symbol into one against its section plus an offset, and relocgen
 * finds choices by their symbols.
 */
#define DEFINE_CHOICE(id, cname, decider_, default_, ...)                      \
	__RELINK_DEFINE_CHOICE(id, cname, (const void *)0, decider_, default_, \
			       0, __VA_ARGS__)

/*
 * DEFINE_CALL_CHOICE(id, "name", call_symbol, decider, default_variant,
 * variants...) - a choice whose call sites are plain C calls of
 * call_symbol (compiled with -fno-optimize-sibling-calls). It may also have
 * inline, lock or branch sites.
 */
#define DEFINE_CALL_CHOICE(id, cname, symbol, decider_, default_, ...)      \
	__RELINK_DEFINE_CHOICE(id, cname, (const void *)(symbol), decider_, \
			       default_, 0, __VA_ARGS__)

/*
 * DEFINE_BOOT_CALL_CHOICE(...) - DEFINE_CALL_CHOICE for a choice that is
 * decided at boot only (RELINK_CHOICE_BOOT_ONLY): what its variants set
 * up cannot be handed over live, so no person may switch it at run time.
 */
#define DEFINE_BOOT_CALL_CHOICE(id, cname, symbol, decider_, default_, ...) \
	__RELINK_DEFINE_CHOICE(id, cname, (const void *)(symbol), decider_, \
			       default_, RELINK_CHOICE_BOOT_ONLY, __VA_ARGS__)

/*
 * Marks the definition of a call symbol. Its call sites will call other
 * code after patching, so no caller may rely on what this body does or
 * does not clobber (gcc's -fipa-ra would) or have it inlined or cloned.
 */
#define __relink_call_symbol __attribute__((noipa, used))

/* Refers to a choice defined in another file. */
#define DECLARE_CHOICE(id) extern const struct relink_choice_def __choice_##id

#endif /* RELINK_CHOICE_H */
