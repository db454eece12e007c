// SPDX-License-Identifier: MIT
/*
 * Host unit tests for lib/string.c. The copy and fill routines are checked
 * byte for byte against a reference across every small length and
 * alignment (their word loops have head and tail cases), with guard bytes
 * around the destination; the string routines against the C library's
 * results and the BSD/Linux semantics documented in lib/string.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <lib/string.h>

#define AREA 96 /* covers 3 words on each side of every tested length */
#define MAX_LEN 40
#define MAX_OFFSET 9
#define GUARD 0xa5

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

/* Fills p with a pattern that differs at every position and per seed. */
static void fill_pattern(unsigned char *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 7 + seed * 13 + 1);
}

static void test_memcpy_all_lengths_and_alignments(void **state)
{
	unsigned char src[AREA], dst[AREA], want[AREA];

	(void)state;
	fill_pattern(src, sizeof(src), 1);
	for (size_t so = 0; so < MAX_OFFSET; so++) {
		for (size_t dof = 0; dof < MAX_OFFSET; dof++) {
			for (size_t n = 0; n <= MAX_LEN; n++) {
				memset(dst, GUARD, sizeof(dst));
				memset(want, GUARD, sizeof(want));
				for (size_t i = 0; i < n; i++)
					want[dof + i] = src[so + i];
				assert_ptr_equal(lib_memcpy(dst + dof, src + so,
							    n),
						 dst + dof);
				assert_memory_equal(dst, want, sizeof(dst));
			}
		}
	}
}

/* Reference: what memmove must produce, computed via a separate copy. */
static void check_memmove(size_t dof, size_t so, size_t n)
{
	unsigned char buf[AREA], want[AREA], tmp[AREA];

	fill_pattern(buf, sizeof(buf), 2);
	memcpy(want, buf, sizeof(want));
	memcpy(tmp, buf + so, n);
	memcpy(want + dof, tmp, n);
	assert_ptr_equal(lib_memmove(buf + dof, buf + so, n), buf + dof);
	assert_memory_equal(buf, want, sizeof(buf));
}

/* Every overlap: dst below src, above src, equal, and disjoint. */
static void test_memmove_overlap_both_directions(void **state)
{
	(void)state;
	for (size_t so = 0; so < 24; so++) {
		for (size_t dof = 0; dof < 24; dof++) {
			for (size_t n = 0; n <= MAX_LEN; n++)
				check_memmove(dof, so, n);
		}
	}
}

static void test_memmove_classic_cases(void **state)
{
	char up[] = "abcdefghijklmnop";
	char down[] = "abcdefghijklmnop";

	(void)state;
	lib_memmove(up + 2, up, 10);
	assert_string_equal(up, "ababcdefghijmnop");
	lib_memmove(down, down + 2, 10);
	assert_string_equal(down, "cdefghijklklmnop");
}

static void test_memset_all_lengths_and_alignments(void **state)
{
	static const int values[] = { 0, 0x5a, 0xff, 0x1ff, -1, 0x100 };
	unsigned char dst[AREA], want[AREA];

	(void)state;
	for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
		for (size_t off = 0; off < MAX_OFFSET; off++) {
			for (size_t n = 0; n <= MAX_LEN; n++) {
				memset(dst, GUARD, sizeof(dst));
				memset(want, GUARD, sizeof(want));
				for (size_t i = 0; i < n; i++)
					want[off + i] =
						(unsigned char)values[v];
				assert_ptr_equal(lib_memset(dst + off,
							    values[v], n),
						 dst + off);
				assert_memory_equal(dst, want, sizeof(dst));
			}
		}
	}
}

static void test_memcmp(void **state)
{
	(void)state;
	assert_int_equal(lib_memcmp("abc", "abd", 0), 0);
	assert_int_equal(lib_memcmp("abc", "abc", 3), 0);
	assert_int_equal(lib_memcmp("abc", "abd", 2), 0);
	assert_true(lib_memcmp("abc", "abd", 3) < 0);
	assert_true(lib_memcmp("abd", "abc", 3) > 0);
	/* Bytes compare as unsigned char: 0x80 sorts after 0x7f. */
	assert_true(lib_memcmp("\x80", "\x7f", 1) > 0);
	assert_true(lib_memcmp("\x01", "\xff", 1) < 0);
	/* Equal bytes with an embedded NUL do not stop the comparison. */
	assert_true(lib_memcmp("a\0b", "a\0c", 3) < 0);
}

static void test_memchr(void **state)
{
	const char s[] = "hello\0world";
	const char high[] = "\xff";

	(void)state;
	assert_ptr_equal(lib_memchr(s, 'l', sizeof(s)), s + 2);
	assert_ptr_equal(lib_memchr(s, 'w', sizeof(s)), s + 6);
	assert_ptr_equal(lib_memchr(s, '\0', sizeof(s)), s + 5);
	assert_null(lib_memchr(s, 'w', 6));
	assert_null(lib_memchr(s, 'h', 0));
	assert_null(lib_memchr(s, 'z', sizeof(s)));
	/* c is converted to unsigned char: 0x100 + 'o' finds 'o'. */
	assert_ptr_equal(lib_memchr(s, 0x100 + 'o', sizeof(s)), s + 4);
	assert_ptr_equal(lib_memchr(high, -1, 1), high);
}

static void test_strlen_strnlen(void **state)
{
	(void)state;
	assert_int_equal(lib_strlen(""), 0);
	assert_int_equal(lib_strlen("a"), 1);
	assert_int_equal(lib_strlen("hello world"), 11);
	assert_int_equal(lib_strnlen("hello", 0), 0);
	assert_int_equal(lib_strnlen("hello", 3), 3);
	assert_int_equal(lib_strnlen("hello", 5), 5);
	assert_int_equal(lib_strnlen("hello", 100), 5);
	assert_int_equal(lib_strnlen("", 100), 0);
}

/* No NUL within the limit: strnlen must not read past max bytes. */
static void test_strnlen_stops_at_max(void **state)
{
	char unterminated[4] = { 'a', 'b', 'c', 'd' };

	(void)state;
	assert_int_equal(lib_strnlen(unterminated, sizeof(unterminated)), 4);
}

static void test_strcmp_strncmp(void **state)
{
	static const char *const words[] = {
		"", "a", "ab", "abc", "abd", "b", "\x80", "\x7f", "A", "abcd",
	};
	const size_t n = sizeof(words) / sizeof(words[0]);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < n; j++) {
			const char *a = words[i], *b = words[j];

			assert_int_equal(sign(lib_strcmp(a, b)),
					 sign(strcmp(a, b)));
			for (size_t k = 0; k < 6; k++)
				assert_int_equal(sign(lib_strncmp(a, b, k)),
						 sign(strncmp(a, b, k)));
		}
	}
	/* Characters past a common NUL are never compared. */
	assert_int_equal(lib_strncmp("ab\0x", "ab\0y", 4), 0);
}

static void test_strchr_strrchr(void **state)
{
	const char *s = "abcabc";
	const char *high = "x\xe9y";
	const char *empty = "";

	(void)state;
	assert_ptr_equal(lib_strchr(s, 'b'), s + 1);
	assert_ptr_equal(lib_strrchr(s, 'b'), s + 4);
	assert_ptr_equal(lib_strchr(s, 'a'), s);
	assert_ptr_equal(lib_strrchr(s, 'c'), s + 5);
	assert_null(lib_strchr(s, 'z'));
	assert_null(lib_strrchr(s, 'z'));
	/* The terminator is part of the string. */
	assert_ptr_equal(lib_strchr(s, '\0'), s + 6);
	assert_ptr_equal(lib_strrchr(s, '\0'), s + 6);
	assert_ptr_equal(lib_strchr(empty, '\0'), empty);
	assert_ptr_equal(lib_strrchr(empty, '\0'), empty);
	assert_null(lib_strchr("", 'a'));
	/* c is converted to char. */
	assert_ptr_equal(lib_strchr(s, 0x100 + 'c'), s + 2);
	assert_ptr_equal(lib_strchr(high, 0xe9), high + 1);
	assert_ptr_equal(lib_strrchr(high, 0xe9), high + 1);
}

static void test_strstr(void **state)
{
	const char *h = "aaab abab abc";
	const char *empty = "";

	(void)state;
	assert_ptr_equal(lib_strstr(h, ""), h);
	assert_ptr_equal(lib_strstr(empty, ""), empty);
	assert_null(lib_strstr(empty, "a"));
	assert_ptr_equal(lib_strstr(h, "aab"), h + 1);
	assert_ptr_equal(lib_strstr(h, "abc"), h + 10);
	assert_ptr_equal(lib_strstr(h, "abab"), h + 5);
	assert_ptr_equal(lib_strstr(h, "c"), h + 12);
	assert_null(lib_strstr(h, "abcd"));
	assert_null(lib_strstr(h, "x"));
	assert_null(lib_strstr("ab", "abc"));
}

static void test_strspn_strcspn(void **state)
{
	(void)state;
	assert_int_equal(lib_strspn("  \tabc", " \t"), 3);
	assert_int_equal(lib_strspn("abc", ""), 0);
	assert_int_equal(lib_strspn("", "abc"), 0);
	assert_int_equal(lib_strspn("aaaa", "a"), 4);
	assert_int_equal(lib_strcspn("abc,def", ",;"), 3);
	assert_int_equal(lib_strcspn("abc", ""), 3);
	assert_int_equal(lib_strcspn("", ","), 0);
	assert_int_equal(lib_strcspn(";abc", ",;"), 0);
}

static void test_strcpy(void **state)
{
	char buf[16];

	(void)state;
	memset(buf, GUARD, sizeof(buf));
	assert_ptr_equal(lib_strcpy(buf, "hello"), buf);
	assert_string_equal(buf, "hello");
	assert_int_equal((unsigned char)buf[6], GUARD);
	assert_ptr_equal(lib_strcpy(buf, ""), buf);
	assert_int_equal(buf[0], '\0');
}

static void test_strlcpy(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, GUARD, sizeof(buf));
	assert_int_equal(lib_strlcpy(buf, "hello", 0), 5);
	assert_int_equal((unsigned char)buf[0], GUARD); /* size 0: untouched */
	assert_int_equal(lib_strlcpy(buf, "hello", 1), 5);
	assert_string_equal(buf, "");
	assert_int_equal(lib_strlcpy(buf, "hello", 6), 5); /* exact fit */
	assert_string_equal(buf, "hello");
	assert_int_equal(lib_strlcpy(buf, "hello", 5), 5); /* truncated */
	assert_string_equal(buf, "hell");
	memset(buf, GUARD, sizeof(buf));
	assert_int_equal(lib_strlcpy(buf, "a long string", 4), 13);
	assert_string_equal(buf, "a l");
	assert_int_equal((unsigned char)buf[4], GUARD);
	assert_int_equal(lib_strlcpy(buf, "", sizeof(buf)), 0);
	assert_string_equal(buf, "");
}

static void test_strlcat(void **state)
{
	char buf[8];

	(void)state;
	strcpy(buf, "ab");
	assert_int_equal(lib_strlcat(buf, "cd", sizeof(buf)), 4);
	assert_string_equal(buf, "abcd");
	assert_int_equal(lib_strlcat(buf, "efg", sizeof(buf)), 7); /* fits */
	assert_string_equal(buf, "abcdefg");
	assert_int_equal(lib_strlcat(buf, "h", sizeof(buf)), 8);
	assert_string_equal(buf, "abcdefg");

	strcpy(buf, "ab");
	assert_int_equal(lib_strlcat(buf, "cdefghij", sizeof(buf)), 10);
	assert_string_equal(buf, "abcdefg");

	/* No NUL within size: nothing written, returns size + strlen(src). */
	memcpy(buf, "abcdefgh", 8);
	assert_int_equal(lib_strlcat(buf, "xyz", 4), 7);
	assert_memory_equal(buf, "abcdefgh", 8);
	assert_int_equal(lib_strlcat(buf, "xyz", 0), 3);
	assert_memory_equal(buf, "abcdefgh", 8);

	strcpy(buf, "abc");
	assert_int_equal(lib_strlcat(buf, "", sizeof(buf)), 3);
	assert_string_equal(buf, "abc");
}

static void test_strsep_tokens(void **state)
{
	char s[] = "a,b;;c,";
	char *p = s;

	(void)state;
	assert_string_equal(lib_strsep(&p, ",;"), "a");
	assert_string_equal(lib_strsep(&p, ",;"), "b");
	assert_string_equal(lib_strsep(&p, ",;"), ""); /* between ;; */
	assert_string_equal(lib_strsep(&p, ",;"), "c");
	assert_ptr_equal(p, s + sizeof(s) - 1);
	assert_string_equal(lib_strsep(&p, ",;"), ""); /* after last , */
	assert_null(p);
	assert_null(lib_strsep(&p, ",;"));
	assert_null(p);
}

static void test_strsep_edges(void **state)
{
	char empty[] = "";
	char lead[] = ",x";
	char none[] = "abc";
	char *p;

	(void)state;
	p = empty;
	assert_ptr_equal(lib_strsep(&p, ","), empty);
	assert_null(p);

	p = lead;
	assert_string_equal(lib_strsep(&p, ","), "");
	assert_ptr_equal(p, lead + 1);
	assert_string_equal(lib_strsep(&p, ","), "x");
	assert_null(p);

	p = none;
	assert_ptr_equal(lib_strsep(&p, ""), none); /* no delimiters */
	assert_string_equal(none, "abc");
	assert_null(p);
}

static void test_skip_spaces(void **state)
{
	const char *s = " \t\n\v\f\rx y";
	const char *x = "x";

	(void)state;
	assert_ptr_equal(lib_skip_spaces(s), s + 6);
	assert_ptr_equal(lib_skip_spaces(x), x);
	assert_string_equal(lib_skip_spaces("   "), "");
	assert_string_equal(lib_skip_spaces(""), "");
}

static void test_strim(void **state)
{
	char both[] = " \t hello world \n\r ";
	char spaces[] = " \t\n ";
	char empty[] = "";
	char clean[] = "x";
	char *r;

	(void)state;
	r = lib_strim(both);
	assert_ptr_equal(r, both + 3);
	assert_string_equal(r, "hello world");
	assert_int_equal(both[14], '\0');

	r = lib_strim(spaces);
	assert_string_equal(r, "");
	assert_int_equal(spaces[0], '\0');

	assert_ptr_equal(lib_strim(empty), empty);
	assert_ptr_equal(lib_strim(clean), clean);
	assert_string_equal(clean, "x");
}

/* Outside bytes become text: \xNN, a doubled backslash, "..." when cut. */
static void test_str_escape(void **state)
{
	char out[16];

	(void)state;
	assert_string_equal(lib_str_escape(out, sizeof(out), "a b~", 4),
			    "a b~");
	assert_string_equal(lib_str_escape(out, sizeof(out), "\x1b[m\n\\", 5),
			    "\\x1b[m\\x0a\\\\");
	/* len bounds the input; a NUL ends it early. */
	assert_string_equal(lib_str_escape(out, sizeof(out), "abcdef", 3),
			    "abc");
	assert_string_equal(lib_str_escape(out, sizeof(out), "ab\0cd", 5),
			    "ab");
	/* Too long: cut on a whole escape, marked, always terminated. */
	assert_string_equal(lib_str_escape(out, sizeof(out),
					   "0123456789abcdefgh", 18),
			    "0123456789ab...");
	assert_string_equal(lib_str_escape(out, 8, "\x01\x02\x03", 3),
			    "\\x01...");
	assert_string_equal(lib_str_escape(out, 1, "abc", 3), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memcpy_all_lengths_and_alignments),
		cmocka_unit_test(test_memmove_overlap_both_directions),
		cmocka_unit_test(test_memmove_classic_cases),
		cmocka_unit_test(test_memset_all_lengths_and_alignments),
		cmocka_unit_test(test_memcmp),
		cmocka_unit_test(test_memchr),
		cmocka_unit_test(test_strlen_strnlen),
		cmocka_unit_test(test_strnlen_stops_at_max),
		cmocka_unit_test(test_strcmp_strncmp),
		cmocka_unit_test(test_strchr_strrchr),
		cmocka_unit_test(test_strstr),
		cmocka_unit_test(test_strspn_strcspn),
		cmocka_unit_test(test_strcpy),
		cmocka_unit_test(test_strlcpy),
		cmocka_unit_test(test_strlcat),
		cmocka_unit_test(test_strsep_tokens),
		cmocka_unit_test(test_strsep_edges),
		cmocka_unit_test(test_skip_spaces),
		cmocka_unit_test(test_strim),
		cmocka_unit_test(test_str_escape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
