// SPDX-License-Identifier: MIT
/*
 * Template encoding through Zydis' encoder.
 *
 * A template op maps to one Zydis encoder request (or, for RELINK_OP_RAW,
 * to its literal bytes). Register holes are filled from the site's
 * operands before the request is built, so the checks that a template is
 * legal at a site (the hole exists, every register it destroys is one the
 * site lets it destroy) happen here, beside the encoding that depends on
 * them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <Zydis/Zydis.h>

#include "encode.h"
#include "util.h"

static const struct op_info op_infos[RELINK_OP_MAX + 1] = {
	[RELINK_OP_RAW] = { "raw", false, false, false, false },
	[RELINK_OP_PUSH] = { "push", true, false, false, false },
	[RELINK_OP_POP] = { "pop", true, false, true, false },
	[RELINK_OP_MOV_RR] = { "mov", true, true, true, false },
	[RELINK_OP_MOV_RI] = { "mov", true, false, true, false },
	[RELINK_OP_XOR_RR] = { "xor", true, true, true, false },
	[RELINK_OP_MOV_FROM_CR] = { "mov from cr", true, false, true, false },
	[RELINK_OP_MOV_TO_CR] = { "mov to cr", false, true, false, false },
	[RELINK_OP_INVLPG] = { "invlpg", false, true, false, false },
	[RELINK_OP_POPCNT] = { "popcnt", true, true, true, false },
	[RELINK_OP_CALL] = { "call", false, false, false, true },
	[RELINK_OP_JMP] = { "jmp", false, false, false, true },
};

const struct op_info *encode_op_info(unsigned op)
{
	if (op < 1 || op > RELINK_OP_MAX)
		return NULL;
	return &op_infos[op];
}

bool encode_uses_site(const struct relink_insn *insns, size_t n_insns)
{
	size_t i;

	for (i = 0; i < n_insns; i++)
		if (insns[i].op == RELINK_OP_CALL ||
		    insns[i].op == RELINK_OP_JMP)
			return true;
	return false;
}

/* Resolve a template register field to a register number 0..15. */
static int resolve_register(unsigned field, const struct encode_site *site,
			    unsigned *reg, char *error, size_t error_size)
{
	if (!RELINK_IS_HOLE(field)) {
		*reg = field;
		return 0;
	}
	if (RELINK_HOLE_INDEX(field) >= site->n_regs) {
		snprintf(error, error_size,
			 "uses register hole %u but the site has %u register "
			 "operand%s",
			 RELINK_HOLE_INDEX(field), site->n_regs,
			 site->n_regs == 1 ? "" : "s");
		return -1;
	}
	*reg = site->regs[RELINK_HOLE_INDEX(field)];
	return 0;
}

static void set_register(ZydisEncoderOperand *op, ZydisRegisterClass class,
			 unsigned reg)
{
	op->type = ZYDIS_OPERAND_TYPE_REGISTER;
	op->reg.value = ZydisRegisterEncode(class, (ZyanU8)reg);
}

static int control_register(unsigned cr, ZydisEncoderOperand *op, char *error,
			    size_t error_size)
{
	if (cr != 0 && cr != 2 && cr != 3 && cr != 4 && cr != 8) {
		snprintf(error, error_size, "uses cr%u, which does not exist",
			 cr);
		return -1;
	}
	set_register(op, ZYDIS_REGCLASS_CONTROL, cr);
	return 0;
}

/*
 * Build the request for one register op. dst and src are resolved register
 * numbers; the caller has checked the op uses them.
 */
static int build_request(const struct relink_insn *insn, unsigned dst,
			 unsigned src, ZydisEncoderRequest *req, char *error,
			 size_t error_size)
{
	ZydisEncoderOperand *op = req->operands;

	switch (insn->op) {
	case RELINK_OP_PUSH:
	case RELINK_OP_POP:
		req->mnemonic = insn->op == RELINK_OP_PUSH ?
					ZYDIS_MNEMONIC_PUSH :
					ZYDIS_MNEMONIC_POP;
		req->operand_count = 1;
		set_register(&op[0], ZYDIS_REGCLASS_GPR64, dst);
		return 0;
	case RELINK_OP_MOV_RR:
	case RELINK_OP_POPCNT:
		req->mnemonic = insn->op == RELINK_OP_MOV_RR ?
					ZYDIS_MNEMONIC_MOV :
					ZYDIS_MNEMONIC_POPCNT;
		req->operand_count = 2;
		set_register(&op[0], ZYDIS_REGCLASS_GPR64, dst);
		set_register(&op[1], ZYDIS_REGCLASS_GPR64, src);
		return 0;
	case RELINK_OP_XOR_RR:
		req->mnemonic = ZYDIS_MNEMONIC_XOR;
		req->operand_count = 2;
		set_register(&op[0], ZYDIS_REGCLASS_GPR32, dst);
		set_register(&op[1], ZYDIS_REGCLASS_GPR32, src);
		return 0;
	case RELINK_OP_MOV_RI:
		req->mnemonic = ZYDIS_MNEMONIC_MOV;
		req->operand_count = 2;
		set_register(&op[0], ZYDIS_REGCLASS_GPR32, dst);
		/* Zydis takes the immediate sign-extended to 64 bits. */
		op[1].type = ZYDIS_OPERAND_TYPE_IMMEDIATE;
		op[1].imm.s = (int32_t)insn->imm;
		return 0;
	case RELINK_OP_MOV_FROM_CR:
		req->mnemonic = ZYDIS_MNEMONIC_MOV;
		req->operand_count = 2;
		set_register(&op[0], ZYDIS_REGCLASS_GPR64, dst);
		return control_register(insn->imm, &op[1], error, error_size);
	case RELINK_OP_MOV_TO_CR:
		req->mnemonic = ZYDIS_MNEMONIC_MOV;
		req->operand_count = 2;
		set_register(&op[1], ZYDIS_REGCLASS_GPR64, src);
		return control_register(insn->imm, &op[0], error, error_size);
	case RELINK_OP_INVLPG:
		req->mnemonic = ZYDIS_MNEMONIC_INVLPG;
		req->operand_count = 1;
		op[0].type = ZYDIS_OPERAND_TYPE_MEMORY;
		op[0].mem.base =
			ZydisRegisterEncode(ZYDIS_REGCLASS_GPR64, (ZyanU8)src);
		op[0].mem.size = 1;
		return 0;
	}
	snprintf(error, error_size, "op %u has no encoding", insn->op);
	return -1;
}

static int encode_register_op(const struct relink_insn *insn,
			      const struct encode_site *site, uint8_t *out,
			      char *error, size_t error_size)
{
	const struct op_info *info = encode_op_info(insn->op);
	unsigned dst = 0, src = 0;
	ZydisEncoderRequest req;
	ZyanUSize length = 15;
	char mask[80];

	if ((info->uses_dst &&
	     resolve_register(insn->dst, site, &dst, error, error_size)) ||
	    (info->uses_src &&
	     resolve_register(insn->src, site, &src, error, error_size)))
		return -1;
	/* A hole is the site's own operand: only fixed registers count. */
	if (info->writes_dst && !RELINK_IS_HOLE(insn->dst) &&
	    !(site->clobbers & (1u << dst))) {
		format_register_mask(mask, sizeof(mask), site->clobbers);
		snprintf(error, error_size,
			 "clobbers %s, which the site does not declare "
			 "(clobbers=%s)",
			 register_name(dst), mask);
		return -1;
	}
	memset(&req, 0, sizeof(req));
	req.machine_mode = ZYDIS_MACHINE_MODE_LONG_64;
	if (build_request(insn, dst, src, &req, error, error_size))
		return -1;
	if (!ZYAN_SUCCESS(ZydisEncoderEncodeInstruction(&req, out, &length))) {
		snprintf(error, error_size, "Zydis cannot encode %s",
			 info->name);
		return -1;
	}
	return (int)length;
}

/*
 * A near call or jmp from address to target, with a displacement of width
 * bytes (1 or 4) from the end of the instruction. The displacement is
 * computed here, not by ZydisEncoderEncodeInstructionAbsolute(): Zydis
 * 4.0.0 picks the width there from a displacement computed for the long
 * form, so a jmp 130 bytes ahead comes out as "eb 7d", a short jump to the
 * wrong place.
 */
static int encode_branch(ZydisMnemonic mnemonic, unsigned width,
			 uint64_t address, uint64_t target, uint8_t *out,
			 char *error, size_t error_size)
{
	/* opcode + displacement: eb rel8, e9 rel32, e8 rel32 */
	int64_t displacement = (int64_t)(target - (address + 1 + width));
	ZydisEncoderRequest req;
	ZyanUSize length = 15;

	if (displacement !=
	    (width == 1 ? (int8_t)displacement : (int32_t)displacement)) {
		snprintf(error, error_size,
			 "%s from 0x%" PRIx64 " cannot reach 0x%" PRIx64,
			 mnemonic == ZYDIS_MNEMONIC_CALL ? "call" : "jmp",
			 address, target);
		return -1;
	}
	memset(&req, 0, sizeof(req));
	req.machine_mode = ZYDIS_MACHINE_MODE_LONG_64;
	req.mnemonic = mnemonic;
	req.branch_type = width == 1 ? ZYDIS_BRANCH_TYPE_SHORT :
				       ZYDIS_BRANCH_TYPE_NEAR;
	req.branch_width = width == 1 ? ZYDIS_BRANCH_WIDTH_8 :
					ZYDIS_BRANCH_WIDTH_32;
	req.operand_count = 1;
	req.operands[0].type = ZYDIS_OPERAND_TYPE_IMMEDIATE;
	req.operands[0].imm.s = displacement;
	if (!ZYAN_SUCCESS(ZydisEncoderEncodeInstruction(&req, out, &length)) ||
	    length != 1 + width) {
		snprintf(error, error_size, "Zydis cannot encode this %s",
			 mnemonic == ZYDIS_MNEMONIC_CALL ? "call" : "jmp");
		return -1;
	}
	return (int)length;
}

/* jmp rel8 when the target is in its reach, else jmp rel32. */
static int encode_jump(uint64_t address, uint64_t target, uint8_t *out,
		       char *error, size_t error_size)
{
	int64_t short_displacement = (int64_t)(target - (address + 2));

	if (short_displacement == (int8_t)short_displacement)
		return encode_branch(ZYDIS_MNEMONIC_JMP, 1, address, target,
				     out, error, error_size);
	return encode_branch(ZYDIS_MNEMONIC_JMP, 4, address, target, out, error,
			     error_size);
}

static int encode_insn(const struct relink_insn *insn, uint64_t call_target,
		       const struct encode_site *site, uint64_t address,
		       uint8_t *out, char *error, size_t error_size)
{
	unsigned i;

	switch (insn->op) {
	case RELINK_OP_RAW:
		for (i = 0; i < insn->len; i++)
			out[i] = (uint8_t)(insn->imm >> (8 * i));
		return insn->len;
	case RELINK_OP_CALL:
		return encode_branch(ZYDIS_MNEMONIC_CALL, 4, address,
				     call_target, out, error, error_size);
	case RELINK_OP_JMP:
		if (!site->has_target) {
			snprintf(error, error_size,
				 "jumps, but the site is not a branch site");
			return -1;
		}
		return encode_jump(address, site->target, out, error,
				   error_size);
	}
	return encode_register_op(insn, site, out, error, error_size);
}

int encode_template(const struct relink_insn *insns, size_t n_insns,
		    uint64_t call_target, const struct encode_site *site,
		    uint8_t *buf, char *error, size_t error_size)
{
	size_t length = 0, i;
	int n;

	for (i = 0; i < n_insns; i++) {
		if (!encode_op_info(insns[i].op)) {
			snprintf(error, error_size, "unknown op %u",
				 insns[i].op);
			return -1;
		}
		n = encode_insn(&insns[i], call_target, site,
				site->address + length, buf + length, error,
				error_size);
		if (n < 0)
			return -1;
		length += (size_t)n;
	}
	return (int)length;
}
