// SPDX-License-Identifier: MIT
/*
 * Unit tests of relocgen's template encoder (tools/relocgen/encode.c):
 * every op of format.h encodes to the bytes the kernel's encoder must also
 * produce, holes take the site's registers, and the legality checks (hole
 * in range, clobbers declared, branch in reach) reject what they should.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "encode.h"

static uint8_t buf[ENCODE_MAX_BYTES];
static char error[256];

static struct encode_site site(uint8_t r0, uint8_t r1, unsigned n_regs,
			       uint16_t clobbers)
{
	struct encode_site s = {
		.address = 0x1000,
		.n_regs = n_regs,
		.regs = { r0, r1, 0 },
		.clobbers = clobbers,
	};
	return s;
}

static void expect_bytes(const struct relink_insn *insns, size_t n,
			 uint64_t call_target, const struct encode_site *s,
			 const uint8_t *expected, int length)
{
	int got = encode_template(insns, n, call_target, s, buf, error,
				  sizeof(error));

	if (got < 0)
		print_error("encode failed: %s\n", error);
	assert_int_equal(got, length);
	assert_memory_equal(buf, expected, (size_t)length);
}

static void expect_error(const struct relink_insn *insns, size_t n,
			 uint64_t call_target, const struct encode_site *s,
			 const char *message)
{
	assert_int_equal(encode_template(insns, n, call_target, s, buf, error,
					 sizeof(error)),
			 -1);
	assert_string_equal(error, message);
}

static void test_register_ops(void **state)
{
	struct encode_site s =
		site(RELINK_RAX, RELINK_RDI, 2, 1u << RELINK_RAX);
	const struct relink_insn popcnt[] = {
		RELINK_I_POPCNT(RELINK_HOLE(0), RELINK_HOLE(1)),
	};
	const struct relink_insn mov_rr[] = {
		RELINK_I_MOV_RR(RELINK_HOLE(0), RELINK_HOLE(1)),
	};
	const struct relink_insn from_cr3[] = {
		RELINK_I_MOV_FROM_CR(RELINK_HOLE(0), 3),
	};
	const struct relink_insn to_cr3[] = { RELINK_I_MOV_TO_CR(
		3, RELINK_HOLE(0)) };
	const struct relink_insn invlpg[] = { RELINK_I_INVLPG(RELINK_HOLE(1)) };

	(void)state;
	expect_bytes(popcnt, 1, 0, &s,
		     (const uint8_t[]){ 0xf3, 0x48, 0x0f, 0xb8, 0xc7 }, 5);
	expect_bytes(mov_rr, 1, 0, &s, (const uint8_t[]){ 0x48, 0x89, 0xf8 },
		     3);
	/*
	 * Zydis encodes mov to and from %cr with ModRM.mod = 00, which the
	 * CPU ignores (it always means a register): 0f 20 18, not 0f 20 d8.
	 * Only the length matters to relocgen.
	 */
	assert_int_equal(encode_template(from_cr3, 1, 0, &s, buf, error,
					 sizeof(error)),
			 3);
	assert_int_equal(buf[1], 0x20);
	assert_int_equal(buf[2] & 0x3f, 0x18); /* reg = cr3, rm = rax */
	assert_int_equal(encode_template(to_cr3, 1, 0, &s, buf, error,
					 sizeof(error)),
			 3);
	assert_int_equal(buf[1], 0x22);
	assert_int_equal(buf[2] & 0x3f, 0x18);
	expect_bytes(invlpg, 1, 0, &s, (const uint8_t[]){ 0x0f, 0x01, 0x3f },
		     3);
}

static void test_extended_registers(void **state)
{
	struct encode_site s = site(RELINK_R8, RELINK_R12, 2, 1u << RELINK_R8);
	const struct relink_insn xor_rr[] = {
		RELINK_I_XOR_RR(RELINK_HOLE(0), RELINK_HOLE(0)),
	};
	const struct relink_insn mov_ri[] = { RELINK_I_MOV_RI(RELINK_HOLE(0),
							      0x1000) };
	const struct relink_insn push_pop[] = {
		RELINK_I_PUSH(RELINK_HOLE(1)),
		RELINK_I_POP(RELINK_HOLE(1)),
	};

	(void)state;
	expect_bytes(xor_rr, 1, 0, &s, (const uint8_t[]){ 0x45, 0x31, 0xc0 },
		     3);
	expect_bytes(mov_ri, 1, 0, &s,
		     (const uint8_t[]){ 0x41, 0xb8, 0x00, 0x10, 0x00, 0x00 },
		     6);
	expect_bytes(push_pop, 2, 0, &s,
		     (const uint8_t[]){ 0x41, 0x54, 0x41, 0x5c }, 4);
}

static void test_raw_and_call(void **state)
{
	struct encode_site s = site(0, 0, 0, 0);
	const struct relink_insn raw[] = {
		RELINK_I_RAW3(0x0f, 0x1f, 0x00),
		RELINK_I_RAW1(0xfa),
	};
	const struct relink_insn call[] = { RELINK_I_CALL() };

	(void)state;
	expect_bytes(raw, 2, 0, &s, (const uint8_t[]){ 0x0f, 0x1f, 0x00, 0xfa },
		     4);
	/* rel32 = 0x2000 - (0x1000 + 5) */
	expect_bytes(call, 1, 0x2000, &s,
		     (const uint8_t[]){ 0xe8, 0xfb, 0x0f, 0x00, 0x00 }, 5);
	expect_error(call, 1, 0x1000 + (1ull << 33), &s,
		     "call from 0x1000 cannot reach 0x200001000");
}

static void test_jump_widths(void **state)
{
	struct encode_site s = site(0, 0, 0, 0);
	const struct relink_insn jmp[] = { RELINK_I_JMP() };

	(void)state;
	expect_error(jmp, 1, 0, &s, "jumps, but the site is not a branch site");
	s.has_target = true;
	s.target = 0x1010; /* rel8 = 0x1010 - 0x1002 */
	expect_bytes(jmp, 1, 0, &s, (const uint8_t[]){ 0xeb, 0x0e }, 2);
	s.target = 0x1081; /* the farthest rel8 reaches: 0x1002 + 127 */
	expect_bytes(jmp, 1, 0, &s, (const uint8_t[]){ 0xeb, 0x7f }, 2);
	s.target = 0x1082; /* one further: rel32 = 0x1082 - 0x1005 */
	expect_bytes(jmp, 1, 0, &s,
		     (const uint8_t[]){ 0xe9, 0x7d, 0x00, 0x00, 0x00 }, 5);
	/* Zydis 4.0.0's absolute mode gets this one wrong ("eb 7f"). */
	s.target = 0x1084;
	expect_bytes(jmp, 1, 0, &s,
		     (const uint8_t[]){ 0xe9, 0x7f, 0x00, 0x00, 0x00 }, 5);
}

static void test_legality(void **state)
{
	struct encode_site s = site(RELINK_RAX, 0, 1, 1u << RELINK_RAX);
	const struct relink_insn hole1[] = {
		RELINK_I_MOV_RR(RELINK_HOLE(0), RELINK_HOLE(1)),
	};
	const struct relink_insn fixed[] = { RELINK_I_XOR_RR(RELINK_RBX,
							     RELINK_RBX) };
	const struct relink_insn read_fixed[] = { RELINK_I_PUSH(RELINK_RBX) };
	const struct relink_insn cr5[] = { RELINK_I_MOV_FROM_CR(RELINK_HOLE(0),
								5) };

	(void)state;
	expect_error(
		hole1, 1, 0, &s,
		"uses register hole 1 but the site has 1 register operand");
	expect_error(
		fixed, 1, 0, &s,
		"clobbers rbx, which the site does not declare (clobbers=rax)");
	/* Reading a fixed register destroys nothing. */
	expect_bytes(read_fixed, 1, 0, &s, (const uint8_t[]){ 0x53 }, 1);
	expect_error(cr5, 1, 0, &s, "uses cr5, which does not exist");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_register_ops),
		cmocka_unit_test(test_extended_registers),
		cmocka_unit_test(test_raw_and_call),
		cmocka_unit_test(test_jump_widths),
		cmocka_unit_test(test_legality),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
