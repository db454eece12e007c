// SPDX-License-Identifier: MIT
/*
 * KTAP suite "exception": deliberate faults are caught and reported with
 * the right vector, error code and address; W^X holds for kernel text;
 * RIPs resolve to symbol+offset.
 */
#include <stdint.h>
#include <kernel/fault.h>
#include <kernel/ktest.h>
#include <kernel/symbols.h>
#include <lib/errno.h>
#include <lib/string.h>

#define PF_PRESENT 0x1
#define PF_WRITE 0x2

/* Through a volatile, so the compiler cannot see the address is bad. */
static volatile uintptr_t bad_address = 8;

static void read_null(void *arg __unused)
{
	(void)*(volatile uint64_t *)bad_address;
}

static void write_text(void *arg)
{
	*(volatile uint8_t *)arg = 0x90;
}

static void exec_data(void *arg)
{
	((void (*)(void))arg)();
}

static void invalid_opcode(void *arg __unused)
{
	asm volatile("ud2");
}

static void test_null_read_is_a_page_fault(struct ktest *t)
{
	struct fault_info fi;

	KTEST_ASSERT_EQ(t, fault_catch(read_null, NULL, &fi), -EFAULT);
	KTEST_EXPECT_EQ(t, fi.vector, 14);
	KTEST_EXPECT_EQ(t, fi.address, 8);
	KTEST_EXPECT_EQ(t, fi.error_code & (PF_PRESENT | PF_WRITE), 0);
}

static void test_text_is_not_writable(struct ktest *t)
{
	struct fault_info fi;
	uint8_t before = *(volatile uint8_t *)(uintptr_t)read_null;

	KTEST_ASSERT_EQ(
		t, fault_catch(write_text, (void *)(uintptr_t)read_null, &fi),
		-EFAULT);
	KTEST_EXPECT_EQ(t, fi.vector, 14);
	KTEST_EXPECT_EQ(t, fi.error_code & (PF_PRESENT | PF_WRITE),
			PF_PRESENT | PF_WRITE);
	KTEST_EXPECT_EQ(t, *(volatile uint8_t *)(uintptr_t)read_null, before);
}

static void test_data_is_not_executable(struct ktest *t)
{
	static uint8_t ret_insn[16] = { 0xc3 };
	struct fault_info fi;

	KTEST_ASSERT_EQ(t, fault_catch(exec_data, ret_insn, &fi), -EFAULT);
	KTEST_EXPECT_EQ(t, fi.vector, 14);
	KTEST_EXPECT_EQ(t, fi.address, (uintptr_t)ret_insn);
	KTEST_EXPECT_TRUE(t, fi.error_code & 0x10); /* instruction fetch */
}

static void test_invalid_opcode(struct ktest *t)
{
	struct fault_info fi;
	uint64_t offset;
	const char *name;

	KTEST_ASSERT_EQ(t, fault_catch(invalid_opcode, NULL, &fi), -EFAULT);
	KTEST_EXPECT_EQ(t, fi.vector, 6);
	name = ksym_lookup(fi.rip, &offset);
	KTEST_EXPECT_STREQ(t, name, "invalid_opcode");
}

static void no_fault(void *arg)
{
	*(int *)arg = 1;
}

static void test_no_fault_returns_zero(struct ktest *t)
{
	struct fault_info fi;
	int ran = 0;

	KTEST_EXPECT_EQ(t, fault_catch(no_fault, &ran, &fi), 0);
	KTEST_EXPECT_EQ(t, ran, 1);
}

static void test_symbol_lookup(struct ktest *t)
{
	char buf[64];
	uint64_t addr = (uintptr_t)test_symbol_lookup;

	KTEST_EXPECT_EQ(t, ksym_address("test_symbol_lookup"), addr);
	KTEST_EXPECT_STREQ(t, ksym_format(addr + 5, buf, sizeof(buf)),
			   "test_symbol_lookup+0x5");
	KTEST_EXPECT_STREQ(t, ksym_format(0x1000, buf, sizeof(buf)),
			   "0x0000000000001000");
}

static const struct ktest_case exception_cases[] = {
	KTEST_CASE(test_null_read_is_a_page_fault),
	KTEST_CASE(test_text_is_not_writable),
	KTEST_CASE(test_data_is_not_executable),
	KTEST_CASE(test_invalid_opcode),
	KTEST_CASE(test_no_fault_returns_zero),
	KTEST_CASE(test_symbol_lookup),
	{}
};
KTEST_SUITE(exception, exception_cases);
