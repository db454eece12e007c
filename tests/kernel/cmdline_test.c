// SPDX-License-Identifier: MIT
/*
 * KTAP suite "cmdline": splitting the boot command line into options.
 */
#include <kernel/cmdline.h>
#include <kernel/ktest.h>
#include <lib/errno.h>
#include <lib/string.h>

static struct cmdline cl;

static void test_keys_and_values(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, cmdline_parse(&cl, "  nosmp idle=poll\tacpi=noirq "),
			0);
	KTEST_ASSERT_EQ(t, cl.count, 3);
	KTEST_EXPECT_STREQ(t, cl.options[0].key, "nosmp");
	KTEST_EXPECT_TRUE(t, !cl.options[0].has_value);
	KTEST_EXPECT_STREQ(t, cl.options[1].key, "idle");
	KTEST_EXPECT_STREQ(t, cl.options[1].value, "poll");
	KTEST_EXPECT_STREQ(t, cl.options[2].value, "noirq");
}

static void test_quotes_dots_and_empty_values(struct ktest *t)
{
	KTEST_ASSERT_EQ(t,
			cmdline_parse(&cl, "relink.mem.copy=movsq "
					   "msg=\"a b  c\" empty="),
			0);
	KTEST_ASSERT_EQ(t, cl.count, 3);
	KTEST_EXPECT_STREQ(t, cl.options[0].key, "relink.mem.copy");
	KTEST_EXPECT_STREQ(t, cl.options[0].value, "movsq");
	KTEST_EXPECT_STREQ(t, cl.options[1].value, "a b  c");
	KTEST_EXPECT_TRUE(t, cl.options[2].has_value);
	KTEST_EXPECT_STREQ(t, cl.options[2].value, "");
	KTEST_EXPECT_TRUE(t, cmdline_find(&cl, "msg") == &cl.options[1]);
	KTEST_EXPECT_TRUE(t, cmdline_find(&cl, "nope") == NULL);
}

static void test_bad_input_is_rejected(struct ktest *t)
{
	char longkey[CMDLINE_KEY_MAX + 8];

	KTEST_EXPECT_EQ(t, cmdline_parse(&cl, "a=\"unterminated"), -EINVAL);
	KTEST_EXPECT_EQ(t, cmdline_parse(&cl, "=value"), -EINVAL);
	memset(longkey, 'k', sizeof(longkey) - 1);
	longkey[sizeof(longkey) - 1] = '\0';
	KTEST_EXPECT_EQ(t, cmdline_parse(&cl, longkey), -EINVAL);
	KTEST_EXPECT_EQ(t, cmdline_parse(&cl, ""), 0);
	KTEST_EXPECT_EQ(t, cl.count, 0);
}

static void test_too_many_options(struct ktest *t)
{
	char line[CMDLINE_MAX_OPTIONS * 3 + 8] = "";

	for (int i = 0; i <= CMDLINE_MAX_OPTIONS; i++)
		strlcat(line, "x ", sizeof(line));
	KTEST_EXPECT_EQ(t, cmdline_parse(&cl, line), -E2BIG);
}

static void test_boot_command_line_parsed(struct ktest *t)
{
	/* This suite only runs when ktest= was given at boot. */
	const struct cmdline_option *o = cmdline_find(&boot_options, "ktest");

	KTEST_ASSERT_TRUE(t, o != NULL);
	KTEST_EXPECT_TRUE(t, strstr(boot_cmdline, o->value) != NULL);
}

static const struct ktest_case cmdline_cases[] = {
	KTEST_CASE(test_keys_and_values),
	KTEST_CASE(test_quotes_dots_and_empty_values),
	KTEST_CASE(test_bad_input_is_rejected),
	KTEST_CASE(test_too_many_options),
	KTEST_CASE(test_boot_command_line_parsed),
	{}
};
KTEST_SUITE(cmdline, cmdline_cases);
