// SPDX-License-Identifier: MIT
/*
 * Unit tests of the x86 encoder, the NOP filler and the site emitters
 * (arch/x86/patching/). Every template op is encoded for every register
 * (and register pair) and decoded again with Zydis, which must see the
 * intended mnemonic, operands and length; NOP fills of 1..32 bytes must
 * decode to NOPs that fill exactly; each shape's emitter must produce the
 * bytes of its contract and refuse what does not fit.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <Zydis/Zydis.h>

#include <relink/arch.h>

#include "x86_encode.h"

struct decoded {
	ZydisDecodedInstruction insn;
	ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
};

static const uint8_t no_regs[RELINK_MAX_REGS];
static const struct relink_encode_ctx plain = { .regs = no_regs };

static void decode(const uint8_t *buf, size_t len, struct decoded *d)
{
	ZydisDecoder decoder;

	ZydisDecoderInit(&decoder, ZYDIS_MACHINE_MODE_LONG_64,
			 ZYDIS_STACK_WIDTH_64);
	assert_true(ZYAN_SUCCESS(
		ZydisDecoderDecodeFull(&decoder, buf, len, &d->insn, d->ops)));
	assert_int_equal(d->insn.length, len);
}

/* Encodes insn at ctx and decodes it; the whole encoding is one insn. */
static void roundtrip(struct relink_insn insn,
		      const struct relink_encode_ctx *ctx, struct decoded *d)
{
	uint8_t buf[RELINK_INSN_MAX];
	int len = relink_encode_insn(&insn, ctx, buf, sizeof(buf), NULL);

	assert_true(len > 0);
	decode(buf, (size_t)len, d);
}

static ZydisRegister reg64(unsigned int r)
{
	return (ZydisRegister)(ZYDIS_REGISTER_RAX + r);
}

static ZydisRegister reg32(unsigned int r)
{
	return (ZydisRegister)(ZYDIS_REGISTER_EAX + r);
}

static void assert_reg(const ZydisDecodedOperand *op, ZydisRegister reg)
{
	assert_int_equal(op->type, ZYDIS_OPERAND_TYPE_REGISTER);
	assert_int_equal(op->reg.value, reg);
}

static void test_push_pop(void **state)
{
	struct decoded d;

	(void)state;
	for (unsigned int r = 0; r < 16; r++) {
		roundtrip((struct relink_insn)RELINK_I_PUSH(r), &plain, &d);
		assert_int_equal(d.insn.mnemonic, ZYDIS_MNEMONIC_PUSH);
		assert_reg(&d.ops[0], reg64(r));
		assert_int_equal(d.insn.length, r < 8 ? 1 : 2);
		roundtrip((struct relink_insn)RELINK_I_POP(r), &plain, &d);
		assert_int_equal(d.insn.mnemonic, ZYDIS_MNEMONIC_POP);
		assert_reg(&d.ops[0], reg64(r));
	}
}

static void test_mov_xor_popcnt_pairs(void **state)
{
	struct decoded d;

	(void)state;
	for (unsigned int dst = 0; dst < 16; dst++) {
		for (unsigned int src = 0; src < 16; src++) {
			roundtrip((struct relink_insn)RELINK_I_MOV_RR(dst, src),
				  &plain, &d);
			assert_int_equal(d.insn.mnemonic, ZYDIS_MNEMONIC_MOV);
			assert_reg(&d.ops[0], reg64(dst));
			assert_reg(&d.ops[1], reg64(src));

			roundtrip((struct relink_insn)RELINK_I_XOR_RR(dst, src),
				  &plain, &d);
			assert_int_equal(d.insn.mnemonic, ZYDIS_MNEMONIC_XOR);
			assert_reg(&d.ops[0], reg32(dst));
			assert_reg(&d.ops[1], reg32(src));

			roundtrip((struct relink_insn)RELINK_I_POPCNT(dst, src),
				  &plain, &d);
			assert_int_equal(d.insn.mnemonic,
					 ZYDIS_MNEMONIC_POPCNT);
			assert_reg(&d.ops[0], reg64(dst));
			assert_reg(&d.ops[1], reg64(src));
		}
	}
}

static void test_mov_imm(void **state)
{
	static const uint32_t imms[] = { 0, 1, 0x202, 0x7fffffff, 0xffffffff };
	struct decoded d;

	(void)state;
	for (unsigned int r = 0; r < 16; r++) {
		for (size_t i = 0; i < sizeof(imms) / sizeof(imms[0]); i++) {
			roundtrip((struct relink_insn)RELINK_I_MOV_RI(r,
								      imms[i]),
				  &plain, &d);
			assert_int_equal(d.insn.mnemonic, ZYDIS_MNEMONIC_MOV);
			assert_reg(&d.ops[0], reg32(r));
			assert_int_equal(d.ops[1].type,
					 ZYDIS_OPERAND_TYPE_IMMEDIATE);
			assert_int_equal((uint32_t)d.ops[1].imm.value.u,
					 imms[i]);
			assert_int_equal(d.insn.length, r < 8 ? 5 : 6);
		}
	}
}

static void test_mov_cr(void **state)
{
	static const unsigned int crs[] = { 0, 2, 3, 4, 8 };
	struct decoded d;

	(void)state;
	for (size_t i = 0; i < sizeof(crs) / sizeof(crs[0]); i++) {
		ZydisRegister cr = (ZydisRegister)(ZYDIS_REGISTER_CR0 + crs[i]);

		for (unsigned int r = 0; r < 16; r++) {
			roundtrip((struct relink_insn)RELINK_I_MOV_FROM_CR(
					  r, crs[i]),
				  &plain, &d);
			assert_int_equal(d.insn.mnemonic, ZYDIS_MNEMONIC_MOV);
			assert_reg(&d.ops[0], reg64(r));
			assert_reg(&d.ops[1], cr);

			roundtrip((struct relink_insn)RELINK_I_MOV_TO_CR(crs[i],
									 r),
				  &plain, &d);
			assert_int_equal(d.insn.mnemonic, ZYDIS_MNEMONIC_MOV);
			assert_reg(&d.ops[0], cr);
			assert_reg(&d.ops[1], reg64(r));
		}
	}
}

static void test_invlpg(void **state)
{
	struct decoded d;

	(void)state;
	for (unsigned int r = 0; r < 16; r++) {
		roundtrip((struct relink_insn)RELINK_I_INVLPG(r), &plain, &d);
		assert_int_equal(d.insn.mnemonic, ZYDIS_MNEMONIC_INVLPG);
		assert_int_equal(d.ops[0].type, ZYDIS_OPERAND_TYPE_MEMORY);
		assert_int_equal(d.ops[0].mem.base, reg64(r));
		assert_int_equal(d.ops[0].mem.index, ZYDIS_REGISTER_NONE);
		assert_int_equal(d.ops[0].mem.disp.value, 0);
	}
}

static uint64_t branch_destination(const struct decoded *d, uint64_t pc)
{
	ZyanU64 target = 0;

	assert_true(ZYAN_SUCCESS(
		ZydisCalcAbsoluteAddress(&d->insn, &d->ops[0], pc, &target)));
	return target;
}

static void test_call(void **state)
{
	static const int64_t deltas[] = {
		5, 0, -5, 0x1000, -0x1000, INT32_MAX, (int64_t)INT32_MIN + 5
	};
	struct relink_encode_ctx ctx = plain;
	struct relink_insn call = RELINK_I_CALL();
	uint8_t buf[16];
	struct decoded d;

	(void)state;
	ctx.pc = 0xffffffff81000000ull;
	for (size_t i = 0; i < sizeof(deltas) / sizeof(deltas[0]); i++) {
		ctx.call_target = ctx.pc + 5 + (uint64_t)deltas[i];
		roundtrip(call, &ctx, &d);
		assert_int_equal(d.insn.mnemonic, ZYDIS_MNEMONIC_CALL);
		assert_int_equal(d.insn.length, 5);
		assert_true(branch_destination(&d, ctx.pc) == ctx.call_target);
	}
	ctx.call_target = ctx.pc + 5 + (uint64_t)INT32_MAX + 1;
	assert_int_equal(relink_encode_insn(&call, &ctx, buf, sizeof(buf),
					    NULL),
			 -ERANGE);
}

static void test_jmp(void **state)
{
	static const int64_t deltas[] = { 0,	127, -128,     128,
					  -129, -2,  0x100000, -0x100000 };
	struct relink_encode_ctx ctx = plain;
	struct relink_insn jmp = RELINK_I_JMP();
	uint8_t buf[16];
	struct decoded d;

	(void)state;
	ctx.pc = 0x400000;
	for (size_t i = 0; i < sizeof(deltas) / sizeof(deltas[0]); i++) {
		bool near = deltas[i] >= -128 && deltas[i] <= 127;

		ctx.branch_target = ctx.pc + 2 + (uint64_t)deltas[i];
		roundtrip(jmp, &ctx, &d);
		assert_int_equal(d.insn.mnemonic, ZYDIS_MNEMONIC_JMP);
		assert_int_equal(d.insn.length, near ? 2 : 5);
		assert_true(branch_destination(&d, ctx.pc) ==
			    ctx.branch_target);
	}
	ctx.branch_target = ctx.pc + 0x200;
	assert_int_equal(relink_encode_insn(&jmp, &ctx, buf, 2, NULL), -E2BIG);
}

static void test_raw(void **state)
{
	struct relink_insn raw = RELINK_I_RAW4(0x0f, 0x01, 0xca, 0x90);
	struct relink_insn pushf = RELINK_I_RAW1(0x9c);
	uint8_t buf[8];
	struct decoded d;

	(void)state;
	assert_int_equal(
		relink_encode_insn(&raw, &plain, buf, sizeof(buf), NULL), 4);
	assert_memory_equal(buf, "\x0f\x01\xca\x90", 4);
	roundtrip(pushf, &plain, &d);
	assert_int_equal(d.insn.mnemonic, ZYDIS_MNEMONIC_PUSHFQ);
	raw.len = 5;
	assert_int_equal(relink_encode_insn(&raw, &plain, buf, sizeof(buf),
					    NULL),
			 -EINVAL);
}

static void test_holes(void **state)
{
	static const uint8_t regs[RELINK_MAX_REGS] = { RELINK_RBX, RELINK_R12,
						       RELINK_R9 };
	struct relink_encode_ctx ctx = { .regs = regs, .n_regs = 3 };
	struct relink_insn popcnt =
		RELINK_I_POPCNT(RELINK_HOLE(0), RELINK_HOLE(2));
	struct relink_insn pop = RELINK_I_POP(RELINK_HOLE(1));
	uint8_t buf[16];
	struct decoded d;

	(void)state;
	roundtrip(popcnt, &ctx, &d);
	assert_reg(&d.ops[0], ZYDIS_REGISTER_RBX);
	assert_reg(&d.ops[1], ZYDIS_REGISTER_R9);
	roundtrip(pop, &ctx, &d);
	assert_reg(&d.ops[0], ZYDIS_REGISTER_R12);
	ctx.n_regs = 2; /* hole 2 now has no operand */
	assert_int_equal(relink_encode_insn(&popcnt, &ctx, buf, sizeof(buf),
					    NULL),
			 -EINVAL);
}

static void test_errors(void **state)
{
	struct relink_insn bad_op = RELINK_I(0, 0, 0, 0, 0);
	struct relink_insn big_op = RELINK_I(RELINK_OP_MAX + 1, 0, 0, 0, 0);
	struct relink_insn bad_reg = RELINK_I_PUSH(16);
	struct relink_insn mov = RELINK_I_MOV_RI(RELINK_R8, 1);
	uint8_t buf[16];

	(void)state;
	assert_int_equal(relink_encode_insn(&bad_op, &plain, buf, 16, NULL),
			 -EINVAL);
	assert_int_equal(relink_encode_insn(&big_op, &plain, buf, 16, NULL),
			 -EINVAL);
	assert_int_equal(relink_encode_insn(&bad_reg, &plain, buf, 16, NULL),
			 -EINVAL);
	for (unsigned int cr = 0; cr < 16; cr++) {
		struct relink_insn from = RELINK_I_MOV_FROM_CR(RELINK_RAX, cr);
		bool valid = cr == 0 || cr == 2 || cr == 3 || cr == 4 ||
			     cr == 8;

		assert_int_equal(relink_encode_insn(&from, &plain, buf, 16,
						    NULL) > 0,
				 valid);
	}
	assert_int_equal(relink_encode_insn(&mov, &plain, buf, 5, NULL),
			 -E2BIG);
	assert_int_equal(relink_encode_insn(&mov, &plain, buf, 6, NULL), 6);
}

static void test_insn_writes(void **state)
{
	struct relink_insn pop = RELINK_I_POP(RELINK_R11);
	struct relink_insn push = RELINK_I_PUSH(RELINK_RBX);
	struct relink_insn call = RELINK_I_CALL();
	struct relink_insn to_cr = RELINK_I_MOV_TO_CR(3, RELINK_RDI);

	(void)state;
	assert_int_equal(relink_insn_writes(&pop, &plain), 1 << RELINK_R11);
	assert_int_equal(relink_insn_writes(&push, &plain), 0);
	assert_int_equal(relink_insn_writes(&call, &plain),
			 RELINK_CALLER_SAVED);
	assert_int_equal(relink_insn_writes(&to_cr, &plain), 0);
}

static void test_nops(void **state)
{
	uint8_t buf[32];
	struct decoded d;

	(void)state;
	for (size_t len = 1; len <= sizeof(buf); len++) {
		size_t at = 0, count = 0;

		memset(buf, 0xcc, sizeof(buf));
		relink_fill_nops(buf, len);
		assert_true(relink_is_nops(buf, len));
		while (at < len) {
			ZydisDecoder decoder;

			ZydisDecoderInit(&decoder, ZYDIS_MACHINE_MODE_LONG_64,
					 ZYDIS_STACK_WIDTH_64);
			assert_true(ZYAN_SUCCESS(ZydisDecoderDecodeFull(
				&decoder, buf + at, len - at, &d.insn, d.ops)));
			assert_int_equal(d.insn.mnemonic, ZYDIS_MNEMONIC_NOP);
			at += d.insn.length;
			count++;
		}
		assert_int_equal(at, len);
		assert_int_equal(count, (len + 7) / 8);
		if (len < sizeof(buf))
			assert_int_equal(buf[len], 0xcc);
	}
	buf[0] = 0x90;
	buf[1] = 0x90;
	assert_false(relink_is_nops(buf, 2));
}

/* ---- site emitters ------------------------------------------------- */

static const struct relink_form call_form = {
	.shape = RELINK_SHAPE_CALL,
	.length = 5,
	.clobbers = RELINK_CALLER_SAVED,
};

static int emit(const struct relink_form *form,
		const struct relink_variant_def *v, uint64_t site,
		uint64_t branch_target, uint8_t *out)
{
	struct relink_pattern p;
	int rc = relink_arch_prepare(form, v, &p);

	if (rc)
		return rc;
	assert_int_equal(p.length, form->length);
	return relink_arch_finish(&p, site, branch_target, out);
}

static void test_emit_call(void **state)
{
	static const struct relink_insn direct[] = { RELINK_I_CALL() };
	static const struct relink_insn hw[] = { RELINK_I_POPCNT(RELINK_RAX,
								 RELINK_RDI) };
	static const struct relink_insn flags[] = { RELINK_I_RAW1(0x9c),
						    RELINK_I_POP(RELINK_RAX) };
	static const struct relink_insn too_long[] = { RELINK_I_MOV_RI(
		RELINK_R8, 1) };
	static const struct relink_insn callee_saved[] = { RELINK_I_XOR_RR(
		RELINK_RBX, RELINK_RBX) };
	struct relink_variant_def v = { .tmpl = direct,
					.n_insns = 1,
					.target = (void *)0x401000 };
	uint8_t out[8];

	(void)state;
	assert_int_equal(emit(&call_form, &v, 0x400000, 0, out), 0);
	assert_memory_equal(out, "\xe8\xfb\x0f\x00\x00", 5);
	v = (struct relink_variant_def){ .tmpl = hw, .n_insns = 1 };
	assert_int_equal(emit(&call_form, &v, 0x400000, 0, out), 0);
	assert_memory_equal(out, "\xf3\x48\x0f\xb8\xc7", 5);
	v = (struct relink_variant_def){ .tmpl = flags, .n_insns = 2 };
	assert_int_equal(emit(&call_form, &v, 0x400000, 0, out), 0);
	assert_memory_equal(out, "\x9c\x58\x0f\x1f\x00", 5);
	v = (struct relink_variant_def){ .n_insns = 0 };
	assert_int_equal(emit(&call_form, &v, 0x400000, 0, out), 0);
	assert_memory_equal(out, "\x0f\x1f\x44\x00\x00", 5);
	v = (struct relink_variant_def){ .tmpl = too_long, .n_insns = 1 };
	assert_int_equal(emit(&call_form, &v, 0x400000, 0, out), -E2BIG);
	v = (struct relink_variant_def){ .tmpl = callee_saved, .n_insns = 1 };
	assert_int_equal(emit(&call_form, &v, 0x400000, 0, out), -EINVAL);
}

static void test_emit_inline(void **state)
{
	static const struct relink_insn save_fl[] = {
		RELINK_I_RAW1(0x9c), RELINK_I_POP(RELINK_HOLE(0))
	};
	static const struct relink_insn sw[] = { RELINK_I_CALL() };
	static const struct relink_insn fixed[] = { RELINK_I_XOR_RR(
		RELINK_RDX, RELINK_RDX) };
	static const struct relink_insn call_then_pop[] = {
		RELINK_I_CALL(), RELINK_I_POP(RELINK_HOLE(0))
	};
	static const struct relink_insn thunk[] = { RELINK_I_CALL_PRESERVING() };
	static const struct relink_insn thunk_then_pop[] = {
		RELINK_I_CALL_PRESERVING(), RELINK_I_POP(RELINK_HOLE(0))
	};
	struct relink_form form = { .shape = RELINK_SHAPE_INLINE,
				    .length = 6,
				    .n_regs = 1,
				    .regs = { RELINK_R9 } };
	struct relink_variant_def v = { .tmpl = save_fl, .n_insns = 2 };
	uint8_t out[8];

	(void)state;
	assert_int_equal(emit(&form, &v, 0x400000, 0, out), 0);
	assert_memory_equal(out, "\x9c\x41\x59\x0f\x1f\x00", 6);
	/* A call needs every caller-saved register clobbered or an operand. */
	v = (struct relink_variant_def){ .tmpl = sw,
					 .n_insns = 1,
					 .target = (void *)0x400100 };
	assert_int_equal(emit(&form, &v, 0x400000, 0, out), -EINVAL);
	form.clobbers = RELINK_CALLER_SAVED;
	assert_int_equal(emit(&form, &v, 0x400000, 0, out), 0);
	/* Right-aligned: the return address is the end of the site. */
	assert_memory_equal(out, "\x90\xe8\xfa\x00\x00\x00", 6);
	v = (struct relink_variant_def){ .tmpl = call_then_pop,
					 .n_insns = 2,
					 .target = (void *)0x400100 };
	assert_int_equal(emit(&form, &v, 0x400000, 0, out), -EINVAL);
	/* A call of a register-preserving thunk needs no clobbers. */
	form.clobbers = 0;
	v = (struct relink_variant_def){ .tmpl = thunk,
					 .n_insns = 1,
					 .target = (void *)0x400100 };
	assert_int_equal(emit(&form, &v, 0x400000, 0, out), 0);
	assert_memory_equal(out, "\x90\xe8\xfa\x00\x00\x00", 6);
	v = (struct relink_variant_def){ .tmpl = thunk_then_pop,
					 .n_insns = 2,
					 .target = (void *)0x400100 };
	assert_int_equal(emit(&form, &v, 0x400000, 0, out), -EINVAL);
	v = (struct relink_variant_def){ .tmpl = fixed, .n_insns = 1 };
	assert_int_equal(emit(&form, &v, 0x400000, 0, out), -EINVAL);
	form.clobbers = 1 << RELINK_RDX;
	assert_int_equal(emit(&form, &v, 0x400000, 0, out), 0);
	form.length = 1;
	assert_int_equal(emit(&form, &v, 0x400000, 0, out), -E2BIG);
}

/*
 * A register thunk call goes to the thunk of the site's register,
 * RELINK_THUNK_STRIDE (32) bytes a register into the table; rsp has none.
 */
static void test_emit_register_thunk(void **state)
{
	static const struct relink_insn out_thunk[] = { RELINK_I_CALL_THUNK_OUT(
		RELINK_HOLE(0)) };
	static const struct relink_insn in_thunk[] = { RELINK_I_CALL_THUNK_IN(
		RELINK_HOLE(0)) };
	struct relink_form form = { .shape = RELINK_SHAPE_INLINE,
				    .length = 5,
				    .n_regs = 1,
				    .regs = { RELINK_R9 } };
	struct relink_variant_def v = { .tmpl = out_thunk,
					.n_insns = 1,
					.target = (void *)0x400100 };
	struct relink_encode_ctx ctx = { .regs = form.regs,
					 .n_regs = 1,
					 .pc = 0x400000,
					 .call_target = 0x400100 };
	const char *why = NULL;
	uint8_t out[8];

	(void)state;
	/* 0x400100 + 9 * 32 - 0x400005 = 0x21b */
	assert_int_equal(emit(&form, &v, 0x400000, 0, out), 0);
	assert_memory_equal(out, "\xe8\x1b\x02\x00\x00", 5);
	v.tmpl = in_thunk;
	assert_int_equal(emit(&form, &v, 0x400000, 0, out), 0);
	assert_memory_equal(out, "\xe8\x1b\x02\x00\x00", 5);
	/* The encoder alone agrees, and knows what each one writes. */
	assert_int_equal(relink_encode_insn(&out_thunk[0], &ctx, out, 5, &why),
			 5);
	assert_memory_equal(out, "\xe8\x1b\x02\x00\x00", 5);
	assert_int_equal(relink_insn_writes(&out_thunk[0], &ctx),
			 1 << RELINK_R9);
	assert_int_equal(relink_insn_writes(&in_thunk[0], &ctx), 0);
	/* rax: the table itself. */
	form.regs[0] = RELINK_RAX;
	assert_int_equal(emit(&form, &v, 0x400000, 0, out), 0);
	assert_memory_equal(out, "\xe8\xfb\x00\x00\x00", 5);
	form.regs[0] = RELINK_RSP;
	assert_int_equal(emit(&form, &v, 0x400000, 0, out), -EINVAL);
	ctx.regs = form.regs;
	assert_int_equal(relink_encode_insn(&in_thunk[0], &ctx, out, 5, &why),
			 -EINVAL);
	assert_string_equal(why, "its thunk table has no thunk for rsp");
	/* A site without the register operand cannot have one. */
	form.n_regs = 0;
	assert_int_equal(emit(&form, &v, 0x400000, 0, out), -EINVAL);
}

static void test_emit_lock(void **state)
{
	static const struct relink_insn up[] = { RELINK_I_RAW1(0x3e) };
	static const struct relink_insn smp[] = { RELINK_I_RAW1(0xf0) };
	static const struct relink_insn bad[] = { RELINK_I_RAW1(0x90) };
	static const struct relink_insn cs[] = { RELINK_I_RAW1(0x2e) };
	static const struct relink_insn fs[] = { RELINK_I_RAW1(0x64) };
	struct relink_form form = { .shape = RELINK_SHAPE_LOCK, .length = 1 };
	struct relink_variant_def v = { .tmpl = up, .n_insns = 1 };
	uint8_t out[2];

	(void)state;
	assert_int_equal(emit(&form, &v, 0x1000, 0, out), 0);
	assert_int_equal(out[0], 0x3e);
	v.tmpl = smp;
	assert_int_equal(emit(&form, &v, 0x1000, 0, out), 0);
	assert_int_equal(out[0], 0xf0);
	v.tmpl = cs;
	assert_int_equal(emit(&form, &v, 0x1000, 0, out), -EINVAL);
	v.tmpl = bad;
	assert_int_equal(emit(&form, &v, 0x1000, 0, out), -EINVAL);
	v.tmpl = fs;
	assert_int_equal(emit(&form, &v, 0x1000, 0, out), -EINVAL);
}

static void test_emit_branch(void **state)
{
	static const struct relink_insn jmp[] = { RELINK_I_JMP() };
	struct relink_form form = { .shape = RELINK_SHAPE_BRANCH, .length = 5 };
	struct relink_variant_def on = { .tmpl = jmp, .n_insns = 1 };
	struct relink_variant_def off = { .n_insns = 0 };
	uint8_t out[8];
	struct decoded d;

	(void)state;
	assert_int_equal(emit(&form, &off, 0x1000, 0x1100, out), 0);
	assert_memory_equal(out, "\x0f\x1f\x44\x00\x00", 5);
	assert_int_equal(emit(&form, &on, 0x1000, 0x1040, out), 0);
	assert_memory_equal(out, "\xeb\x3e\x0f\x1f\x00", 5);
	assert_int_equal(emit(&form, &on, 0x1000, 0x9000, out), 0);
	decode(out, 5, &d);
	assert_int_equal(d.insn.mnemonic, ZYDIS_MNEMONIC_JMP);
	assert_true(branch_destination(&d, 0x1000) == 0x9000);
	form.length = 2;
	assert_int_equal(emit(&form, &on, 0x1000, 0x1040, out), 0);
	assert_int_equal(emit(&form, &on, 0x1000, 0x9000, out), -ERANGE);
	form.length = 3;
	assert_int_equal(emit(&form, &on, 0x1000, 0x1040, out), -EINVAL);
}

/* The reason relink_arch_prepare() gives for refusing v at form. */
static const char *refusal(const struct relink_form *form,
			   const struct relink_variant_def *v)
{
	struct relink_pattern p;

	assert_true(relink_arch_prepare(form, v, &p) < 0);
	assert_non_null(p.why);
	return p.why;
}

/* Each refusal says which rule: relocgen prints the same sentence. */
static void test_emit_reasons(void **state)
{
	static const struct relink_insn call_pop[] = {
		RELINK_I_CALL(), RELINK_I_POP(RELINK_HOLE(0))
	};
	static const struct relink_insn raw[] = { RELINK_I_RAW1(0x90) };
	static const struct relink_insn hole[] = { RELINK_I_POP(
		RELINK_HOLE(2)) };
	struct relink_form inline_form = { .shape = RELINK_SHAPE_INLINE,
					   .length = 6,
					   .n_regs = 1,
					   .regs = { RELINK_RAX } };
	struct relink_form lock = { .shape = RELINK_SHAPE_LOCK, .length = 1 };
	struct relink_form branch = { .shape = RELINK_SHAPE_BRANCH,
				      .length = 2 };
	struct relink_variant_def v = { .tmpl = call_pop,
					.n_insns = 1,
					.target = (void *)0x400100 };
	struct relink_pattern p;

	(void)state;
	assert_string_equal(refusal(&inline_form, &v),
			    "a call clobbers every caller-saved register, "
			    "and the site does not let it");
	inline_form.clobbers = RELINK_CALLER_SAVED;
	v.n_insns = 2;
	assert_string_equal(refusal(&inline_form, &v),
			    "its call is not the last instruction of its "
			    "template");
	v = (struct relink_variant_def){ .tmpl = hole, .n_insns = 1 };
	assert_string_equal(refusal(&inline_form, &v),
			    "its template uses a register hole the site does "
			    "not have");
	v = (struct relink_variant_def){ .tmpl = raw, .n_insns = 1 };
	assert_string_equal(refusal(&lock, &v),
			    "a lock variant is the prefix 0xf0 (lock) or 0x3e "
			    "(ds)");
	assert_string_equal(refusal(&branch, &v),
			    "a branch variant is nothing or one jmp");
	assert_int_equal(relink_arch_prepare(&inline_form, &v, &p), 0);
	assert_null(p.why);
}

/* At a call site the code as compiled is the call of the call symbol. */
static void test_emit_original(void **state)
{
	static const struct relink_insn cli[] = { RELINK_I_RAW1(0xfa) };
	struct relink_variant_def native = { .tmpl = cli, .n_insns = 1 };
	struct relink_form inline_form = { .shape = RELINK_SHAPE_INLINE,
					   .length = 1 };
	struct relink_pattern p;
	uint8_t out[8];

	(void)state;
	assert_int_equal(relink_arch_prepare_original(&call_form, &native,
						      (void *)0x401000, &p),
			 0);
	assert_int_equal(relink_arch_finish(&p, 0x400000, 0, out), 0);
	assert_memory_equal(out, "\xe8\xfb\x0f\x00\x00", 5);
	assert_int_equal(relink_arch_prepare_original(&inline_form, &native,
						      NULL, &p),
			 0);
	assert_int_equal(relink_arch_finish(&p, 0x400000, 0, out), 0);
	assert_int_equal(out[0], 0xfa);
	/* A call 32 GiB away: finish refuses, and says why. */
	assert_int_equal(relink_arch_prepare_original(&call_form, &native,
						      (void *)0x800000000, &p),
			 0);
	assert_int_equal(relink_arch_finish(&p, 0x400000, 0, out), -ERANGE);
	assert_string_equal(relink_arch_finish_why(&p),
			    "its call target is out of rel32 reach of the "
			    "site");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_push_pop),
		cmocka_unit_test(test_mov_xor_popcnt_pairs),
		cmocka_unit_test(test_mov_imm),
		cmocka_unit_test(test_mov_cr),
		cmocka_unit_test(test_invlpg),
		cmocka_unit_test(test_call),
		cmocka_unit_test(test_jmp),
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_holes),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_insn_writes),
		cmocka_unit_test(test_nops),
		cmocka_unit_test(test_emit_call),
		cmocka_unit_test(test_emit_inline),
		cmocka_unit_test(test_emit_register_thunk),
		cmocka_unit_test(test_emit_lock),
		cmocka_unit_test(test_emit_branch),
		cmocka_unit_test(test_emit_reasons),
		cmocka_unit_test(test_emit_original),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
