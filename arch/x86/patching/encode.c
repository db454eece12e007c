// SPDX-License-Identifier: MIT
/*
 * The x86-64 encoder of template instructions: every enum relink_op form
 * for every general register, with holes filled from the site's register
 * operands. Register numbers 8..15 take a REX prefix bit (R for the ModRM
 * reg field, B for the rm field or the opcode's low bits); 64-bit operand
 * size is REX.W. relocgen links this encoder and checks what it writes
 * with Zydis, the independent decoder. Every refusal says why, in words
 * the engine's log and relocgen's error share.
 */
#include <errno.h>
#include <stdbool.h>

#include "x86_encode.h"

#define REX 0x40
#define REX_W 0x08
#define REX_R 0x04
#define REX_B 0x01

#define UNKNOWN_OP "its template has an op the x86 encoder does not know"

struct insn_buf {
	uint8_t bytes[RELINK_INSN_MAX];
	unsigned int len;
};

static void put(struct insn_buf *ib, uint8_t byte)
{
	ib->bytes[ib->len++] = byte;
}

static void put_imm32(struct insn_buf *ib, uint32_t imm)
{
	for (int i = 0; i < 4; i++)
		put(ib, (uint8_t)(imm >> (8 * i)));
}

/* A REX prefix only when it carries a bit: plain 0x40 changes nothing here. */
static void put_rex(struct insn_buf *ib, uint8_t rex)
{
	if (rex != REX)
		put(ib, rex);
}

static uint8_t rex_r(int reg)
{
	return reg >= 8 ? REX_R : 0;
}

static uint8_t rex_b(int reg)
{
	return reg >= 8 ? REX_B : 0;
}

static uint8_t modrm(unsigned int mod, unsigned int reg, unsigned int rm)
{
	return (uint8_t)(mod << 6 | (reg & 7) << 3 | (rm & 7));
}

/* Fails with rc, giving reason to a caller that asked for one. */
static int refuse(const char **why, int rc, const char *reason)
{
	if (why)
		*why = reason;
	return rc;
}

int relink_insn_reg(uint8_t reg, const struct relink_encode_ctx *ctx,
		    const char **why)
{
	if (RELINK_IS_HOLE(reg)) {
		unsigned int n = RELINK_HOLE_INDEX(reg);

		if (n >= ctx->n_regs || n >= RELINK_MAX_REGS)
			return refuse(why, -EINVAL,
				      "its template uses a register hole the "
				      "site does not have");
		reg = ctx->regs[n];
	}
	if (reg > 15)
		return refuse(why, -EINVAL,
			      "its template names a register above r15");
	return reg;
}

/* push/pop r64: 50+r / 58+r, REX.B for r8..r15. */
static void encode_push_pop(struct insn_buf *ib, uint8_t opcode, int reg)
{
	put_rex(ib, REX | rex_b(reg));
	put(ib, (uint8_t)(opcode + (reg & 7)));
}

/* op r/m, reg with ModRM mod=11: mov 89 /r, xor 31 /r. */
static void encode_rr(struct insn_buf *ib, uint8_t rex, uint8_t opcode, int dst,
		      int src)
{
	put_rex(ib, rex | rex_r(src) | rex_b(dst));
	put(ib, opcode);
	put(ib, modrm(3, src, dst));
}

/* mov r32, imm32: B8+r id; the upper half of the register is zeroed. */
static void encode_mov_ri(struct insn_buf *ib, int dst, uint32_t imm)
{
	put_rex(ib, REX | rex_b(dst));
	put(ib, (uint8_t)(0xb8 + (dst & 7)));
	put_imm32(ib, imm);
}

/*
 * mov r64, crN (0F 20 /r) and mov crN, r64 (0F 22 /r): the control
 * register is the reg field (cr8 through REX.R), the GPR the rm field; the
 * operand size is always 64 bits, so no REX.W.
 */
static int encode_mov_cr(struct insn_buf *ib, uint8_t opcode, uint32_t cr,
			 int gpr, const char **why)
{
	if (cr != 0 && cr != 2 && cr != 3 && cr != 4 && cr != 8)
		return refuse(why, -EINVAL,
			      "its template uses a control register other "
			      "than cr0, cr2, cr3, cr4 or cr8");
	put_rex(ib, REX | rex_r((int)cr) | rex_b(gpr));
	put(ib, 0x0f);
	put(ib, opcode);
	put(ib, modrm(3, cr, gpr));
	return 0;
}

/*
 * invlpg (reg): 0F 01 /7 with a memory operand. rm=100 (rsp, r12) means a
 * SIB byte follows, so those take SIB 0x24 (base only); mod=00 rm=101 (rbp,
 * r13) means RIP-relative, so those take mod=01 with a zero disp8.
 */
static void encode_invlpg(struct insn_buf *ib, int base)
{
	put_rex(ib, REX | rex_b(base));
	put(ib, 0x0f);
	put(ib, 0x01);
	if ((base & 7) == 4) {
		put(ib, modrm(0, 7, 4));
		put(ib, 0x24);
	} else if ((base & 7) == 5) {
		put(ib, modrm(1, 7, 5));
		put(ib, 0x00);
	} else {
		put(ib, modrm(0, 7, base));
	}
}

/* popcnt r64, r/m64: F3 REX.W 0F B8 /r; the F3 must precede the REX. */
static void encode_popcnt(struct insn_buf *ib, int dst, int src)
{
	put(ib, 0xf3);
	put(ib, REX | REX_W | rex_r(dst) | rex_b(src));
	put(ib, 0x0f);
	put(ib, 0xb8);
	put(ib, modrm(3, dst, src));
}

/* The displacement from the end of an insn_len-byte insn at pc to target. */
static int64_t displacement(uint64_t pc, unsigned int insn_len, uint64_t target)
{
	return (int64_t)(target - (pc + insn_len));
}

static bool fits_rel32(int64_t d)
{
	return d >= INT32_MIN && d <= INT32_MAX;
}

int relink_call_offset(const struct relink_insn *insn,
		       const struct relink_encode_ctx *ctx, const char **why)
{
	int reg;

	switch (insn->op) {
	case RELINK_OP_CALL_THUNK_OUT:
		reg = relink_insn_reg(insn->dst, ctx, why);
		break;
	case RELINK_OP_CALL_THUNK_IN:
		reg = relink_insn_reg(insn->src, ctx, why);
		break;
	default:
		return 0;
	}
	if (reg == RELINK_RSP)
		return refuse(why, -EINVAL,
			      "its thunk table has no thunk for rsp");
	return reg < 0 ? reg : reg * RELINK_THUNK_STRIDE;
}

static int encode_call(struct insn_buf *ib, const struct relink_insn *insn,
		       const struct relink_encode_ctx *ctx, const char **why)
{
	int offset = relink_call_offset(insn, ctx, why);
	int64_t d;

	if (offset < 0)
		return offset;
	d = displacement(ctx->pc, 5, ctx->call_target + (uint64_t)offset);
	if (!ctx->call_target || !fits_rel32(d))
		return refuse(why, -ERANGE,
			      "its call target is out of rel32 reach");
	put(ib, 0xe8);
	put_imm32(ib, (uint32_t)d);
	return 0;
}

/* jmp rel8 (EB cb) when the target is within reach, else jmp rel32. */
static int encode_jmp(struct insn_buf *ib, const struct relink_encode_ctx *ctx,
		      const char **why)
{
	int64_t d8 = displacement(ctx->pc, 2, ctx->branch_target);
	int64_t d32 = displacement(ctx->pc, 5, ctx->branch_target);

	if (d8 >= -128 && d8 <= 127) {
		put(ib, 0xeb);
		put(ib, (uint8_t)d8);
		return 0;
	}
	if (!fits_rel32(d32))
		return refuse(why, -ERANGE,
			      "the branch target is out of rel32 reach");
	put(ib, 0xe9);
	put_imm32(ib, (uint32_t)d32);
	return 0;
}

static int encode_raw(struct insn_buf *ib, const struct relink_insn *insn,
		      const char **why)
{
	if (insn->len < 1 || insn->len > 4)
		return refuse(why, -EINVAL,
			      "its template has a raw instruction that is "
			      "not 1 to 4 bytes");
	for (unsigned int i = 0; i < insn->len; i++)
		put(ib, (uint8_t)(insn->imm >> (8 * i)));
	return 0;
}

/* The ops with register operands; dst and src are resolved numbers. */
static int encode_reg_op(struct insn_buf *ib, const struct relink_insn *insn,
			 int dst, int src, const char **why)
{
	switch (insn->op) {
	case RELINK_OP_PUSH:
		encode_push_pop(ib, 0x50, dst);
		return 0;
	case RELINK_OP_POP:
		encode_push_pop(ib, 0x58, dst);
		return 0;
	case RELINK_OP_MOV_RR:
		encode_rr(ib, REX | REX_W, 0x89, dst, src);
		return 0;
	case RELINK_OP_MOV_RI:
		encode_mov_ri(ib, dst, insn->imm);
		return 0;
	case RELINK_OP_XOR_RR:
		encode_rr(ib, REX, 0x31, dst, src);
		return 0;
	case RELINK_OP_MOV_FROM_CR:
		return encode_mov_cr(ib, 0x20, insn->imm, dst, why);
	case RELINK_OP_MOV_TO_CR:
		return encode_mov_cr(ib, 0x22, insn->imm, src, why);
	case RELINK_OP_INVLPG:
		encode_invlpg(ib, src);
		return 0;
	case RELINK_OP_POPCNT:
		encode_popcnt(ib, dst, src);
		return 0;
	}
	return refuse(why, -EINVAL, UNKNOWN_OP);
}

/* Which operand fields an op reads: bit 0 dst, bit 1 src. */
static unsigned int operand_fields(uint8_t op)
{
	switch (op) {
	case RELINK_OP_PUSH:
	case RELINK_OP_POP:
	case RELINK_OP_MOV_RI:
	case RELINK_OP_MOV_FROM_CR:
		return 1;
	case RELINK_OP_MOV_TO_CR:
	case RELINK_OP_INVLPG:
		return 2;
	case RELINK_OP_MOV_RR:
	case RELINK_OP_XOR_RR:
	case RELINK_OP_POPCNT:
		return 3;
	}
	return 0;
}

static int encode_one(struct insn_buf *ib, const struct relink_insn *insn,
		      const struct relink_encode_ctx *ctx, const char **why)
{
	unsigned int fields = operand_fields(insn->op);
	int dst = 0, src = 0;

	switch (insn->op) {
	case RELINK_OP_RAW:
		return encode_raw(ib, insn, why);
	case RELINK_OP_CALL:
	case RELINK_OP_CALL_PRESERVING:
	case RELINK_OP_CALL_THUNK_OUT:
	case RELINK_OP_CALL_THUNK_IN:
		return encode_call(ib, insn, ctx, why);
	case RELINK_OP_JMP:
		return encode_jmp(ib, ctx, why);
	}
	if (!fields)
		return refuse(why, -EINVAL, UNKNOWN_OP);
	if (fields & 1)
		dst = relink_insn_reg(insn->dst, ctx, why);
	if (dst >= 0 && (fields & 2))
		src = relink_insn_reg(insn->src, ctx, why);
	if (dst < 0 || src < 0)
		return -EINVAL;
	return encode_reg_op(ib, insn, dst, src, why);
}

int relink_encode_insn(const struct relink_insn *insn,
		       const struct relink_encode_ctx *ctx, uint8_t *out,
		       size_t room, const char **why)
{
	struct insn_buf ib = { .len = 0 };
	int rc = encode_one(&ib, insn, ctx, why);

	if (rc < 0)
		return rc;
	if (ib.len > room)
		return refuse(why, -E2BIG, "its code is longer than the site");
	for (unsigned int i = 0; i < ib.len; i++)
		out[i] = ib.bytes[i];
	return (int)ib.len;
}

int relink_insn_writes(const struct relink_insn *insn,
		       const struct relink_encode_ctx *ctx)
{
	int dst;

	switch (insn->op) {
	case RELINK_OP_CALL:
		return RELINK_CALLER_SAVED;
	case RELINK_OP_CALL_PRESERVING:
	case RELINK_OP_CALL_THUNK_IN:
		return 0; /* the thunk's contract: what it writes, it restores */
	case RELINK_OP_CALL_THUNK_OUT:
	case RELINK_OP_POP:
	case RELINK_OP_MOV_RR:
	case RELINK_OP_MOV_RI:
	case RELINK_OP_XOR_RR:
	case RELINK_OP_MOV_FROM_CR:
	case RELINK_OP_POPCNT:
		dst = relink_insn_reg(insn->dst, ctx, NULL);
		return dst < 0 ? dst : 1 << dst;
	}
	/* push moves rsp only for the template's own balanced use. */
	return 0;
}
