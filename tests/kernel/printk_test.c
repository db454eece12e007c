// SPDX-License-Identifier: MIT
/*
 * KTAP suite "printk": the kernel's formatting and log-level filtering.
 */
#include <kernel/ktest.h>
#include <kernel/printk.h>
#include <lib/printf.h>
#include <lib/string.h>

static void test_formats(struct ktest *t)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%d|%5u|%-4x|%08lx", -42, 7u, 0xabu,
		 0xdeadbeeful);
	KTEST_EXPECT_STREQ(t, buf, "-42|    7|ab  |deadbeef");
	snprintf(buf, sizeof(buf), "%s|%.2s|%c|%%", "abc", "xyz", 'q');
	KTEST_EXPECT_STREQ(t, buf, "abc|xy|q|%");
	snprintf(buf, sizeof(buf), "%llu %lld", 18446744073709551615ull,
		 -9223372036854775807ll - 1);
	KTEST_EXPECT_STREQ(t, buf, "18446744073709551615 -9223372036854775808");
	snprintf(buf, sizeof(buf), "%p", (void *)0xffffffff80200000ul);
	KTEST_EXPECT_STREQ(t, buf, "0xffffffff80200000");
}

static void test_truncation(struct ktest *t)
{
	char buf[8];

	KTEST_EXPECT_EQ(t, snprintf(buf, sizeof(buf), "%s", "0123456789"), 10);
	KTEST_EXPECT_STREQ(t, buf, "0123456");
	KTEST_EXPECT_EQ(t, scnprintf(buf, sizeof(buf), "%s", "0123456789"), 7);
}

static void test_level_filtering(struct ktest *t)
{
	int saved = console_loglevel;
	int printed_debug, printed_err;

	console_loglevel = LOGLEVEL_WARNING;
	printed_debug = printk(KERN_DEBUG "# printk test: must not appear\n");
	printed_err = printk(KERN_ERR "# printk test: error level shown\n");
	console_loglevel = saved;
	KTEST_EXPECT_EQ(t, printed_debug, 0);
	KTEST_EXPECT_TRUE(t, printed_err > 0);
}

static const struct ktest_case printk_cases[] = { KTEST_CASE(test_formats),
						  KTEST_CASE(test_truncation),
						  KTEST_CASE(
							  test_level_filtering),
						  {} };
KTEST_SUITE(printk, printk_cases);
