/* SPDX-License-Identifier: MIT */
/*
 * Template encoding with Zydis' encoder: what a variant's template becomes
 * at one site, with its register holes filled from the site's operands and
 * its call and jump ops aimed from the site's address. relocgen encodes
 * every variant at every site to prove that it fits; the kernel's own
 * encoder (arch/x86) must agree on every op listed in format.h.
 */
#ifndef RELOCGEN_ENCODE_H
#define RELOCGEN_ENCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <relink/format.h>

/* What a template op does with its register fields. */
struct op_info {
	const char *name;
	bool uses_dst; /* dst names a register */
	bool uses_src; /* src names a register */
	bool writes_dst; /* the op destroys dst */
	bool uses_site; /* the bytes depend on the site's address */
};

/* The description of a template op, or NULL for an unknown op. */
const struct op_info *encode_op_info(unsigned op);

/* Everything about a site that the encoding of a template depends on. */
struct encode_site {
	uint64_t address;
	unsigned n_regs;
	uint8_t regs[RELINK_MAX_REGS];
	uint16_t clobbers;
	bool has_target;
	uint64_t target; /* branch sites: where the jump goes */
};

/* Longest template emission relocgen will build: 255 insns of 15 bytes. */
#define ENCODE_MAX_BYTES (255 * 15)

/*
 * encode_template() - encode insns at site into buf (ENCODE_MAX_BYTES).
 * call_target is the variant's target for RELINK_OP_CALL. Returns the
 * number of bytes, or -1 with a sentence in error (no trailing period)
 * saying what is wrong: a hole the site lacks, a register the site does
 * not let the template clobber, a call out of reach, an op Zydis rejects.
 */
int encode_template(const struct relink_insn *insns, size_t n_insns,
		    uint64_t call_target, const struct encode_site *site,
		    uint8_t *buf, char *error, size_t error_size);

/* Whether the emission of insns depends on the site's address. */
bool encode_uses_site(const struct relink_insn *insns, size_t n_insns);

#endif /* RELOCGEN_ENCODE_H */
