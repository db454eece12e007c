/* SPDX-License-Identifier: MIT */
/*
 * Private to arch/x86/patching/: the x86-64 encoder of template
 * instructions (encode.c) and the NOP filler (nops.c). The site emitters
 * build on them; the unit tests check every op and register against Zydis.
 * Nothing outside the emitter and its tests includes this header: the
 * engine and relocgen see only include/relink/arch.h.
 */
#ifndef ARCH_X86_PATCHING_X86_ENCODE_H
#define ARCH_X86_PATCHING_X86_ENCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <relink/format.h>

#define RELINK_INSN_MAX 15 /* the architectural limit */

/* What an instruction is encoded against. */
struct relink_encode_ctx {
	const uint8_t *regs; /* the site's register operands (holes) */
	unsigned int n_regs;
	uint64_t pc; /* address of the instruction */
	uint64_t call_target; /* RELINK_OP_CALL destination */
	uint64_t branch_target; /* RELINK_OP_JMP destination */
};

/**
 * relink_encode_insn() - encode one template instruction at ctx->pc.
 *
 * Returns its length (1..RELINK_INSN_MAX), -EINVAL (unknown op, raw length
 * not 1..4, register above 15, hole without operand, control register
 * other than 0/2/3/4/8), -E2BIG (more than room bytes) or -ERANGE (jump or
 * call out of reach). On error *why (when why is not NULL) is the reason,
 * a phrase the engine and relocgen both print. RELINK_OP_JMP uses jmp rel8
 * when it reaches, else jmp rel32.
 */
int relink_encode_insn(const struct relink_insn *insn,
		       const struct relink_encode_ctx *ctx, uint8_t *out,
		       size_t room, const char **why);

/*
 * Resolves a register-or-hole to a register number, or -EINVAL with the
 * reason in *why (when why is not NULL).
 */
int relink_insn_reg(uint8_t reg, const struct relink_encode_ctx *ctx,
		    const char **why);

/*
 * Where a call insn goes, from the variant's target: 0 for a plain call,
 * RELINK_THUNK_STRIDE times the register for a thunk-table call; or
 * -EINVAL with the reason (a bad register, rsp, which has no thunk).
 */
int relink_call_offset(const struct relink_insn *insn,
		       const struct relink_encode_ctx *ctx, const char **why);

/*
 * The registers insn writes (bit n = register n), as far as the op tells:
 * RELINK_OP_CALL writes every caller-saved register, RAW bytes nothing
 * known. -EINVAL for a bad register.
 */
int relink_insn_writes(const struct relink_insn *insn,
		       const struct relink_encode_ctx *ctx);

/* Fills len bytes with the longest recommended NOPs (8 bytes, then rest). */
void relink_fill_nops(uint8_t *out, size_t len);

/* True when the len bytes at p are exactly relink_fill_nops()'s output. */
bool relink_is_nops(const uint8_t *p, size_t len);

#endif /* ARCH_X86_PATCHING_X86_ENCODE_H */
