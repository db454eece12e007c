// SPDX-License-Identifier: MIT
/*
 * Host unit tests of kernel/cmdline.c, the boot command-line parser and
 * dispatcher, built from the kernel's source: words, quotes and the rules
 * of include/kernel/cmdline.h -- one line per bad word and nothing
 * applied from it, the last of two words wins, no handler ever sees a
 * missing or empty value, bytes are printed escaped.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <kernel/cmdline.h>
#include <lib/errno.h>
#include <lib/parse.h>
#include <lib/printf.h>
#include <lib/string.h>

#include "printk_host.h"

static struct cmdline cl;

/* The handlers under test record what they were given. */
static struct {
	unsigned int calls;
	char key[CMDLINE_KEY_MAX];
	char value[CMDLINE_VALUE_MAX];
	bool value_null;
	unsigned int level;
} seen;

static int level_param(const char *key, const char *value, char *why)
{
	seen.calls++;
	strlcpy(seen.key, key, sizeof(seen.key));
	seen.value_null = !value;
	strlcpy(seen.value, value ? value : "", sizeof(seen.value));
	if (!value || kstrtouint(value, 10, &seen.level) || seen.level > 7) {
		snprintf(why, CMDLINE_WHY_MAX, "expected 0..7; keeping 4");
		return -EINVAL;
	}
	return 0;
}

static int flag_param(const char *key, const char *value, char *why)
{
	(void)why;
	return level_param(key, value ? value : "0", why);
}

static const struct kernel_param params[] = {
	{ "level", level_param, true, "level=0..7", "a level" },
	{ "flag", flag_param, false, "flag", "a flag" },
	{ "pre.", level_param, true, "pre.X=0..7", "a prefix" },
	{ "pre.exact", flag_param, false, "pre.exact", "a name in the prefix" },
};

static void parse(const char *s)
{
	host_log_reset();
	memset(&seen, 0, sizeof(seen));
	cmdline_parse(&cl, s, strlen(s) + 1);
}

static void apply(void)
{
	cmdline_apply(&cl, params, sizeof(params) / sizeof(params[0]));
}

static void test_keys_and_values(void **state)
{
	(void)state;
	parse("  nosmp idle=poll\tacpi=noirq msg=\"a b  c\" empty= ");
	assert_int_equal(cl.count, 5);
	assert_string_equal(cl.options[0].key, "nosmp");
	assert_false(cl.options[0].has_value);
	assert_string_equal(cl.options[1].value, "poll");
	assert_string_equal(cl.options[3].value, "a b  c");
	assert_true(cl.options[4].has_value);
	assert_string_equal(cl.options[4].value, "");
	assert_ptr_equal(cmdline_find(&cl, "msg"), &cl.options[3]);
	assert_null(cmdline_find(&cl, "nope"));
	assert_int_equal(host_log_lines(), 0);
}

/* Each bad word: one line naming it, left out; the others are kept. */
static void test_bad_words_one_line_each(void **state)
{
	char line[1024];
	const char *bad[] = { "a=\"unterminated", "=value", NULL, NULL };
	char longkey[80], longvalue[300];

	(void)state;
	memset(longkey, 'k', sizeof(longkey) - 1);
	longkey[sizeof(longkey) - 1] = '\0';
	snprintf(longvalue, sizeof(longvalue), "v=%0280d", 0);
	bad[2] = longkey;
	bad[3] = longvalue;
	for (unsigned int i = 0; i < 4; i++) {
		snprintf(line, sizeof(line), "first %s last", bad[i]);
		parse(line);
		assert_int_equal(host_log_lines(), 1);
		assert_non_null(strstr(host_log, "cmdline: '"));
		assert_int_equal(cl.count, 2);
		assert_string_equal(cl.options[1].key, "last");
	}
	assert_non_null(strstr(host_log, "value longer than 255 bytes"));
}

static void test_too_many_options(void **state)
{
	char line[CMDLINE_MAX_OPTIONS * 8 + 32];
	size_t n = 0;

	(void)state;
	for (int i = 0; i <= CMDLINE_MAX_OPTIONS; i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, "o%d ", i);
	parse(line);
	assert_int_equal(cl.count, CMDLINE_MAX_OPTIONS);
	assert_int_equal(host_log_lines(), 1);
	assert_non_null(strstr(host_log, "'o64': more than 64 options"));
}

static void test_last_one_wins(void **state)
{
	(void)state;
	parse("level=9 flag level=3");
	assert_int_equal(cl.count, 2);
	assert_string_equal(cl.options[0].key, "flag");
	assert_string_equal(cl.options[1].value, "3");
	assert_int_equal(host_log_lines(), 1);
	assert_non_null(strstr(host_log, "'level=3' overrides 'level=9'"));
	host_log_reset();
	apply();
	/* The earlier, bad value was never handed to the handler. */
	assert_int_equal(seen.level, 3);
	assert_int_equal(host_log_lines(), 0);
}

/* No value, an empty value, a value for a flag: the handler never runs. */
static void test_value_shape_checked_before_handler(void **state)
{
	const char *lines[] = { "level", "level=", "flag=1", "pre.=1",
				"pre.x" };

	(void)state;
	for (unsigned int i = 0; i < 5; i++) {
		parse(lines[i]);
		apply();
		assert_int_equal(seen.calls, 0);
		assert_int_equal(host_log_lines(), 1);
	}
	assert_non_null(
		strstr(host_log, "'pre.x': needs a value (pre.X=0..7)"));
}

static void test_handler_reason_is_the_one_line(void **state)
{
	(void)state;
	parse("level=99999999999999999999 pre.thing=-1 nosuch=1 flag");
	apply();
	assert_int_equal(host_log_lines(), 3);
	assert_non_null(strstr(host_log, "cmdline: 'level=99999999999999999999'"
					 ": expected 0..7; keeping 4\n"));
	assert_non_null(strstr(host_log, "'pre.thing=-1': expected 0..7"));
	assert_non_null(
		strstr(host_log, "'nosuch=1': unknown option; ignored"));
	assert_string_equal(seen.key, "flag");
	assert_false(seen.value_null); /* flag_param saw NULL, passed "0" */
}

/* An exact name wins over a prefix that would also take it. */
static void test_exact_name_wins_over_prefix(void **state)
{
	(void)state;
	parse("pre.exact");
	apply();
	assert_int_equal(host_log_lines(), 0);
	assert_int_equal(seen.calls, 1);
	assert_string_equal(seen.value, "0"); /* flag_param, not level_param */
}

/* Outside bytes are printed escaped: one line, no raw escape sequence. */
static void test_bytes_printed_escaped(void **state)
{
	(void)state;
	parse("x\x1b[31m=\\1 y=\"a\nb\"");
	apply();
	assert_int_equal(host_log_lines(), 2);
	assert_null(strchr(host_log, '\x1b'));
	assert_non_null(strstr(host_log, "'x\\x1b[31m=\\\\1': unknown option"));
	assert_non_null(strstr(host_log, "'y=a\\x0ab': unknown option"));
}

/* Only len bytes are read: the buffer of a cut command line. */
static void test_length_bounds_the_line(void **state)
{
	const char buf[] = { 'a', ' ', 'b', 'c' }; /* no NUL */

	(void)state;
	host_log_reset();
	cmdline_parse(&cl, buf, 3);
	assert_int_equal(cl.count, 2);
	assert_string_equal(cl.options[1].key, "b");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_and_values),
		cmocka_unit_test(test_bad_words_one_line_each),
		cmocka_unit_test(test_too_many_options),
		cmocka_unit_test(test_last_one_wins),
		cmocka_unit_test(test_value_shape_checked_before_handler),
		cmocka_unit_test(test_handler_reason_is_the_one_line),
		cmocka_unit_test(test_exact_name_wins_over_prefix),
		cmocka_unit_test(test_bytes_printed_escaped),
		cmocka_unit_test(test_length_bounds_the_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
