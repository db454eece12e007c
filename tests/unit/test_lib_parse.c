// SPDX-License-Identifier: MIT
/*
 * Host unit tests for lib/parse.c: the kstrto*() family at every range
 * boundary, with each kind of malformed input and base prefix, and the
 * promise that a failed call leaves its result untouched; match_string()
 * and str_split(), including that a line with too many words is left as
 * it was.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <string.h>

#include <lib/errno.h>
#include <lib/parse.h>

#define UNTOUCHED 0x5a5a5a5a5a5a5a5aull

struct ull_case {
	const char *s;
	unsigned int base;
	int rc;
	unsigned long long value;
};

static const struct ull_case ull_cases[] = {
	{ "0", 10, 0, 0 },
	{ "123", 10, 0, 123 },
	{ "123\n", 10, 0, 123 },
	{ "+123", 10, 0, 123 },
	{ "007", 10, 0, 7 },
	{ "18446744073709551615", 10, 0, ULLONG_MAX },
	{ "18446744073709551615\n", 10, 0, ULLONG_MAX },
	{ "18446744073709551616", 10, -ERANGE, 0 },
	{ "99999999999999999999999", 10, -ERANGE, 0 },
	{ "99999999999999999999999x", 10, -ERANGE, 0 },
	{ "", 10, -EINVAL, 0 },
	{ "\n", 10, -EINVAL, 0 },
	{ "+", 10, -EINVAL, 0 },
	{ "++1", 10, -EINVAL, 0 },
	{ "-1", 10, -EINVAL, 0 },
	{ "-0", 10, -EINVAL, 0 },
	{ " 1", 10, -EINVAL, 0 },
	{ "1 ", 10, -EINVAL, 0 },
	{ "1\n\n", 10, -EINVAL, 0 },
	{ "1\r\n", 10, -EINVAL, 0 },
	{ "12a", 10, -EINVAL, 0 },
	{ "1.5", 10, -EINVAL, 0 },
	/* Explicit bases. */
	{ "ff", 16, 0, 0xff },
	{ "FF", 16, 0, 0xff },
	{ "0xff", 16, 0, 0xff },
	{ "0XfF", 16, 0, 0xff },
	{ "ffffffffffffffff", 16, 0, ULLONG_MAX },
	{ "0x10000000000000000", 16, -ERANGE, 0 },
	{ "0x", 16, -EINVAL, 0 },
	{ "0xg", 16, -EINVAL, 0 },
	{ "0x0x1", 16, -EINVAL, 0 },
	{ "777", 8, 0, 0777 },
	{ "1777777777777777777777", 8, 0, ULLONG_MAX },
	{ "2000000000000000000000", 8, -ERANGE, 0 },
	{ "8", 8, -EINVAL, 0 },
	{ "0x7", 8, -EINVAL, 0 },
	{ "101", 2, 0, 5 },
	{ "102", 2, -EINVAL, 0 },
	{ "zz", 16, -EINVAL, 0 },
	{ "1", 1, -EINVAL, 0 },
	{ "1", 17, -EINVAL, 0 },
	{ "1", 36, -EINVAL, 0 },
	/* Base 0 reads the prefix. */
	{ "0", 0, 0, 0 },
	{ "10", 0, 0, 10 },
	{ "010", 0, 0, 8 },
	{ "0x10", 0, 0, 16 },
	{ "0X1f\n", 0, 0, 31 },
	{ "08", 0, -EINVAL, 0 },
	{ "0x", 0, -EINVAL, 0 },
	{ "0xg", 0, -EINVAL, 0 },
	{ "+0x10", 0, 0, 16 },
	{ "0x1ffffffffffffffff", 0, -ERANGE, 0 },
};

static void test_kstrtoull_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(ull_cases) / sizeof(*ull_cases); i++) {
		const struct ull_case *c = &ull_cases[i];
		unsigned long long res = UNTOUCHED;
		int rc = lib_kstrtoull(c->s, c->base, &res);
		unsigned long long want = c->rc ? UNTOUCHED : c->value;

		if (rc != c->rc || res != want)
			fail_msg("kstrtoull(\"%s\", %u): rc %d value %llu, "
				 "want rc %d value %llu",
				 c->s, c->base, rc, res, c->rc, want);
	}
}

static void test_kstrtoul(void **state)
{
	unsigned long res = 1;

	(void)state;
	assert_int_equal(lib_kstrtoul("4096", 0, &res), 0);
	assert_int_equal(res, 4096);
	assert_int_equal(lib_kstrtoul("18446744073709551615", 10, &res), 0);
	assert_true(res == ULONG_MAX);
	assert_int_equal(lib_kstrtoul("18446744073709551616", 10, &res),
			 -ERANGE);
	assert_true(res == ULONG_MAX);
	assert_int_equal(lib_kstrtoul("x", 10, &res), -EINVAL);
	assert_true(res == ULONG_MAX);
}

static void test_kstrtouint(void **state)
{
	unsigned int res = 1;

	(void)state;
	assert_int_equal(lib_kstrtouint("4294967295", 10, &res), 0);
	assert_int_equal(res, UINT_MAX);
	assert_int_equal(lib_kstrtouint("0", 10, &res), 0);
	assert_int_equal(res, 0);
	assert_int_equal(lib_kstrtouint("4294967296", 10, &res), -ERANGE);
	assert_int_equal(lib_kstrtouint("0x100000000", 0, &res), -ERANGE);
	assert_int_equal(lib_kstrtouint("-1", 10, &res), -EINVAL);
	assert_int_equal(lib_kstrtouint("", 10, &res), -EINVAL);
	assert_int_equal(res, 0);
}

struct ll_case {
	const char *s;
	unsigned int base;
	int rc;
	long long value;
};

static const struct ll_case ll_cases[] = {
	{ "0", 10, 0, 0 },
	{ "-0", 10, 0, 0 },
	{ "+0", 10, 0, 0 },
	{ "42", 10, 0, 42 },
	{ "-42", 10, 0, -42 },
	{ "-42\n", 10, 0, -42 },
	{ "+42", 10, 0, 42 },
	{ "9223372036854775807", 10, 0, LLONG_MAX },
	{ "9223372036854775808", 10, -ERANGE, 0 },
	{ "-9223372036854775808", 10, 0, LLONG_MIN },
	{ "-9223372036854775809", 10, -ERANGE, 0 },
	{ "-18446744073709551615", 10, -ERANGE, 0 },
	{ "-18446744073709551616", 10, -ERANGE, 0 },
	{ "-0x10", 0, 0, -16 },
	{ "-010", 0, 0, -8 },
	{ "-ff", 16, 0, -255 },
	{ "-0x8000000000000000", 16, 0, LLONG_MIN },
	{ "0x7fffffffffffffff", 0, 0, LLONG_MAX },
	{ "0x8000000000000000", 0, -ERANGE, 0 },
	{ "-", 10, -EINVAL, 0 },
	{ "--1", 10, -EINVAL, 0 },
	{ "-+1", 10, -EINVAL, 0 },
	{ "+-1", 10, -EINVAL, 0 },
	{ "- 1", 10, -EINVAL, 0 },
	{ " -1", 10, -EINVAL, 0 },
	{ "-1x", 10, -EINVAL, 0 },
	{ "-1", 1, -EINVAL, 0 },
};

static void test_kstrtoll_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(ll_cases) / sizeof(*ll_cases); i++) {
		const struct ll_case *c = &ll_cases[i];
		long long res = (long long)UNTOUCHED;
		int rc = lib_kstrtoll(c->s, c->base, &res);
		long long want = c->rc ? (long long)UNTOUCHED : c->value;

		if (rc != c->rc || res != want)
			fail_msg("kstrtoll(\"%s\", %u): rc %d value %lld, "
				 "want rc %d value %lld",
				 c->s, c->base, rc, res, c->rc, want);
	}
}

static void test_kstrtoint(void **state)
{
	int res = 1;

	(void)state;
	assert_int_equal(lib_kstrtoint("2147483647", 10, &res), 0);
	assert_int_equal(res, INT_MAX);
	assert_int_equal(lib_kstrtoint("-2147483648", 10, &res), 0);
	assert_int_equal(res, INT_MIN);
	assert_int_equal(lib_kstrtoint("2147483648", 10, &res), -ERANGE);
	assert_int_equal(lib_kstrtoint("-2147483649", 10, &res), -ERANGE);
	assert_int_equal(lib_kstrtoint("0xffffffff", 0, &res), -ERANGE);
	assert_int_equal(lib_kstrtoint("-7\n", 0, &res), 0);
	assert_int_equal(res, -7);
	assert_int_equal(lib_kstrtoint("seven", 0, &res), -EINVAL);
	assert_int_equal(res, -7);
}

static void test_match_string(void **state)
{
	static const char *const modes[] = { "off", "on", "auto",
					     "on",  NULL, "hidden" };
	const size_t n = sizeof(modes) / sizeof(*modes);

	(void)state;
	assert_int_equal(lib_match_string(modes, n, "off"), 0);
	assert_int_equal(lib_match_string(modes, n, "on"), 1); /* first one */
	assert_int_equal(lib_match_string(modes, n, "auto"), 2);
	assert_int_equal(lib_match_string(modes, n, "Auto"), -EINVAL);
	assert_int_equal(lib_match_string(modes, n, "o"), -EINVAL);
	assert_int_equal(lib_match_string(modes, n, "offx"), -EINVAL);
	assert_int_equal(lib_match_string(modes, n, ""), -EINVAL);
	/* The NULL entry ends the list. */
	assert_int_equal(lib_match_string(modes, n, "hidden"), -EINVAL);
	/* Only the first n entries count. */
	assert_int_equal(lib_match_string(modes, 2, "auto"), -EINVAL);
	assert_int_equal(lib_match_string(modes, 0, "off"), -EINVAL);
}

static void test_str_split_words(void **state)
{
	char line[] = "  set\tpatch   off \t";
	char *argv[4];

	(void)state;
	assert_int_equal(lib_str_split(line, argv, 4), 3);
	assert_string_equal(argv[0], "set");
	assert_string_equal(argv[1], "patch");
	assert_string_equal(argv[2], "off");
	assert_ptr_equal(argv[0], line + 2);
}

static void test_str_split_empty_and_blank(void **state)
{
	char empty[] = "";
	char blank[] = " \t  ";
	char *argv[1] = { NULL };

	(void)state;
	assert_int_equal(lib_str_split(empty, argv, 1), 0);
	assert_int_equal(lib_str_split(blank, argv, 1), 0);
	assert_int_equal(lib_str_split(blank, argv, 0), 0);
	assert_null(argv[0]);
}

static void test_str_split_exactly_max(void **state)
{
	char line[] = "a b c";
	char *argv[3];

	(void)state;
	assert_int_equal(lib_str_split(line, argv, 3), 3);
	assert_string_equal(argv[0], "a");
	assert_string_equal(argv[1], "b");
	assert_string_equal(argv[2], "c");
}

/* Too many words: -E2BIG, and neither the line nor argv is changed. */
static void test_str_split_too_many_changes_nothing(void **state)
{
	char line[] = "a b c d";
	char copy[sizeof(line)];
	char *argv[4] = { NULL, NULL, NULL, NULL };

	(void)state;
	memcpy(copy, line, sizeof(line));
	assert_int_equal(lib_str_split(line, argv, 3), -E2BIG);
	assert_memory_equal(line, copy, sizeof(line));
	for (int i = 0; i < 4; i++)
		assert_null(argv[i]);
	assert_int_equal(lib_str_split(line, argv, 0), -E2BIG);
	assert_int_equal(lib_str_split(line, argv, -1), -EINVAL);
	assert_memory_equal(line, copy, sizeof(line));
}

/* Only spaces and tabs separate; other characters belong to words. */
static void test_str_split_only_blanks_separate(void **state)
{
	char line[] = "a,b\nc";
	char *argv[2];

	(void)state;
	assert_int_equal(lib_str_split(line, argv, 2), 1);
	assert_string_equal(argv[0], "a,b\nc");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kstrtoull_table),
		cmocka_unit_test(test_kstrtoul),
		cmocka_unit_test(test_kstrtouint),
		cmocka_unit_test(test_kstrtoll_table),
		cmocka_unit_test(test_kstrtoint),
		cmocka_unit_test(test_match_string),
		cmocka_unit_test(test_str_split_words),
		cmocka_unit_test(test_str_split_empty_and_blank),
		cmocka_unit_test(test_str_split_exactly_max),
		cmocka_unit_test(test_str_split_too_many_changes_nothing),
		cmocka_unit_test(test_str_split_only_blanks_separate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
