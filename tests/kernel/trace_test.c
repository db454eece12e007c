// SPDX-License-Identifier: MIT
/*
 * KTAP suite "trace": the branch choice "trace" switched at run time. Off,
 * every trace point is the 5-byte NOP and records nothing; on, it jumps
 * and records; off again, it is the NOP again, byte for byte.
 */
#include <kernel/cpu.h>
#include <kernel/ktest.h>
#include <kernel/relink.h>
#include <kernel/stop_machine.h>
#include <kernel/trace.h>
#include <lib/string.h>

enum { TRACE_OFF, TRACE_ON };

static const uint8_t nop5[] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };

static int nothing(void *data)
{
	(void)data;
	return 0;
}

/* Every site of trace: NOPs when off, a jmp (short or near) when on. */
static void expect_sites(struct ktest *t, bool on)
{
	struct relink_choice_info info;
	struct relink_site_info site;
	unsigned int seen = 0;

	for (uint32_t i = 0; i < relink_site_count(); i++) {
		if (relink_site_get(i, &site) ||
		    relink_choice_get(site.choice, &info) ||
		    info.def != &__choice_trace)
			continue;
		seen++;
		if (on)
			KTEST_EXPECT_TRUE(t, site.bytes[0] == 0xeb ||
						     site.bytes[0] == 0xe9);
		else
			KTEST_EXPECT_TRUE(t, !memcmp(site.bytes, nop5, 5));
	}
	KTEST_EXPECT_TRUE(t, seen >= 2);
}

static void test_off_records_nothing(struct ktest *t)
{
	uint64_t before;

	KTEST_ASSERT_EQ(t, relink_choice_switch(&__choice_trace, TRACE_OFF), 0);
	expect_sites(t, false);
	before = trace_count();
	stop_machine(nothing, NULL);
	KTEST_EXPECT_EQ(t, trace_count(), before);
}

static void test_on_records_and_off_again(struct ktest *t)
{
	uint64_t before = trace_count();

	KTEST_ASSERT_EQ(t, relink_choice_switch(&__choice_trace, TRACE_ON), 0);
	expect_sites(t, true);
	stop_machine(nothing, NULL);
	KTEST_EXPECT_TRUE(t, trace_count() > before);
	KTEST_ASSERT_EQ(t, relink_choice_switch(&__choice_trace, TRACE_OFF), 0);
	expect_sites(t, false);
	before = trace_count();
	stop_machine(nothing, NULL);
	KTEST_EXPECT_EQ(t, trace_count(), before);
}

static const struct ktest_case trace_cases[] = {
	KTEST_CASE(test_off_records_nothing),
	KTEST_CASE(test_on_records_and_off_again),
	{}
};
KTEST_SUITE(trace, trace_cases);
