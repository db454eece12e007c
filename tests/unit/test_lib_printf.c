// SPDX-License-Identifier: MIT
/*
 * Host unit tests for lib/printf.c. Where relink's printf promises C
 * semantics, each format of a table is run through both lib_snprintf() and
 * glibc's snprintf() at several buffer sizes, comparing return values,
 * buffer contents and the bytes past the buffer. Where it deliberately
 * differs (%p, "(null)" with a precision, unknown conversions, clamped
 * widths), the expected text is spelled out.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <lib/printf.h>

#define BUF 512
#define SENTINEL 0x5a

/* Buffer sizes that cover no room, room for only the NUL, and truncation. */
static const size_t sizes[] = { 0, 1, 2, 5, 16, BUF };

/*
 * Formats through lib_vsnprintf() and glibc's vsnprintf() into a buffer of
 * every size in sizes[] and fails, naming the format, on any difference.
 */
static void check_like_glibc(const char *fmt, ...)
{
	char got[BUF + 8], want[BUF + 8];
	va_list ap, lib_ap, libc_ap;
	int got_len, want_len;

	va_start(ap, fmt);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t size = sizes[i];

		memset(got, SENTINEL, sizeof(got));
		memset(want, SENTINEL, sizeof(want));
		va_copy(lib_ap, ap);
		va_copy(libc_ap, ap);
		got_len = lib_vsnprintf(size ? got : NULL, size, fmt, lib_ap);
		want_len = vsnprintf(size ? want : NULL, size, fmt, libc_ap);
		va_end(lib_ap);
		va_end(libc_ap);
		if (got_len != want_len)
			fail_msg("\"%s\" size %zu: returned %d, glibc %d", fmt,
				 size, got_len, want_len);
		if (memcmp(got, want, sizeof(got)))
			fail_msg("\"%s\" size %zu: \"%.*s\", glibc \"%.*s\"",
				 fmt, size, (int)size, got, (int)size, want);
	}
	va_end(ap);
}

static const char *const int_formats[] = {
	"%d",	 "%i",	  "%5d",    "%-5d|",  "%05d",  "%+d",	  "% d",
	"%+05d", "% 05d", "%.3d",   "%.0d",   "%8.3d", "%-8.3d|", "%08.3d",
	"%+.0d", "% .0d", "%-+6d|", "%0-6d|", "%u",    "%8u",	  "%.0u",
	"%x",	 "%X",	  "%#x",    "%#X",    "%#10x", "%#010x",  "%-#10x|",
	"%#.0x", "%#.5x", "%o",	    "%#o",    "%#.0o", "%#5o",	  "%#.3o",
	"%#08o", "%hhd",  "%hhu",   "%hhx",   "%hd",   "%hu",	  "%hx",
	"[%1d]", "%+i",	  "%+u",    "% x",
};

static const int int_values[] = {
	0,	  1,	      -1,      7,	8,	     -8,
	42,	  -42,	      127,     128,	255,	     256,
	-129,	  32767,      -32768,  65535,	65536,	     1000000,
	-1000000, 0x12345678, INT_MAX, INT_MIN, INT_MAX - 1, INT_MIN + 1,
};

static void test_int_formats_match_glibc(void **state)
{
	(void)state;
	for (size_t f = 0; f < sizeof(int_formats) / sizeof(*int_formats); f++)
		for (size_t v = 0; v < sizeof(int_values) / sizeof(*int_values);
		     v++)
			check_like_glibc(int_formats[f], int_values[v]);
}

static const char *const ll_formats[] = {
	"%lld",	   "%lli",    "%+lld",	"% lld",     "%30lld|", "%-30lld|",
	"%030lld", "%.25lld", "%llu",	"%llx",	     "%llX",	"%#llx",
	"%llo",	   "%#llo",   "%.0lld", "%25.22llu",
};

static const long long ll_values[] = {
	0,
	1,
	-1,
	LLONG_MAX,
	LLONG_MIN,
	LLONG_MIN + 1,
	(long long)0x123456789abcdef0ull,
	-(long long)0x123456789abcdefull,
	4294967296ll,
	-4294967296ll,
};

static void test_long_long_formats_match_glibc(void **state)
{
	(void)state;
	for (size_t f = 0; f < sizeof(ll_formats) / sizeof(*ll_formats); f++)
		for (size_t v = 0; v < sizeof(ll_values) / sizeof(*ll_values);
		     v++)
			check_like_glibc(ll_formats[f], ll_values[v]);
}

static void test_other_lengths_match_glibc(void **state)
{
	(void)state;
	check_like_glibc("%llu %llx %llo", ULLONG_MAX, ULLONG_MAX, ULLONG_MAX);
	check_like_glibc("%ld %lu %lx", LONG_MIN, ULONG_MAX, ULONG_MAX);
	check_like_glibc("%ld %li", LONG_MAX, -5l);
	check_like_glibc("%zu %zx %zd", SIZE_MAX, (size_t)0xabc, (ssize_t)-3);
	check_like_glibc("%td %tx", (ptrdiff_t)PTRDIFF_MIN, (ptrdiff_t)-1);
	check_like_glibc("%jd %ju %jx", INTMAX_MIN, UINTMAX_MAX, UINTMAX_MAX);
	/* hh and h take an int and convert it. */
	check_like_glibc("%hhd %hhu %hd %hu", 0x1ff, 0x1ff, 0x18000, 0x18000);
	check_like_glibc("%hhd %hhd", (signed char)-128, 0x80);
}

static const char *const string_formats[] = {
	"%s",	     "[%10s]", "[%-10s]", "[%.3s]", "[%10.3s]",
	"[%-10.3s]", "[%.0s]", "[%.20s]", "[%1s]",
};

static void test_string_formats_match_glibc(void **state)
{
	static const char *const values[] = {
		"",
		"a",
		"hello",
		"a rather longer string than the width",
	};

	(void)state;
	for (size_t f = 0; f < sizeof(string_formats) / sizeof(*string_formats);
	     f++)
		for (size_t v = 0; v < sizeof(values) / sizeof(*values); v++)
			check_like_glibc(string_formats[f], values[v]);
}

static void test_char_formats_match_glibc(void **state)
{
	static const char *const formats[] = { "%c", "[%3c]", "[%-3c]",
					       "%c%c" };

	(void)state;
	for (size_t f = 0; f < sizeof(formats) / sizeof(*formats); f++) {
		check_like_glibc(formats[f], 'a', 'b');
		check_like_glibc(formats[f], ' ', '~');
		check_like_glibc(formats[f], 0x100 + 'z', 'y');
	}
}

static void test_star_width_and_precision_match_glibc(void **state)
{
	static const int widths[] = { 0, 1, 5, 12, -1, -7, INT_MIN + 1 };
	static const int precisions[] = { 0, 1, 4, 15, -1, -20 };

	(void)state;
	for (size_t w = 0; w < sizeof(widths) / sizeof(*widths); w++) {
		if (widths[w] == INT_MIN + 1)
			continue; /* clamped on purpose; see below */
		for (size_t p = 0; p < sizeof(precisions) / sizeof(*precisions);
		     p++) {
			check_like_glibc("[%*.*d]", widths[w], precisions[p],
					 -123);
			check_like_glibc("[%0*.*x]", widths[w], precisions[p],
					 0xbeef);
			check_like_glibc("[%*.*s]", widths[w], precisions[p],
					 "string");
		}
		check_like_glibc("[%*d]", widths[w], 42);
		check_like_glibc("[%-*d]", widths[w], 42);
		check_like_glibc("[%0*d]", widths[w], -42);
	}
}

static void test_mixed_formats_match_glibc(void **state)
{
	(void)state;
	check_like_glibc("plain text, no conversions");
	check_like_glibc("");
	check_like_glibc("100%%");
	check_like_glibc("%%d %d %%", 5);
	check_like_glibc("a%db%sc%ud%xe", -1, "mid", 2u, 255u);
	check_like_glibc("%s=%#x (%d%%) [%-8s] %c", "key", 0x1f, 50, "pad",
			 '!');
	check_like_glibc("%5s|%-5d|%05u|%.2x", "ab", -3, 42u, 0xau);
}

static void check_lib(const char *want, const char *fmt, ...)
{
	char buf[BUF];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = lib_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	assert_string_equal(buf, want);
	assert_int_equal(len, strlen(want));
}

static void test_pointer_is_0x_and_16_digits(void **state)
{
	(void)state;
	check_lib("0x0000000000000000", "%p", NULL);
	check_lib("0x0000000000001234", "%p", (void *)0x1234);
	check_lib("0xffffffff81000000", "%p", (void *)0xffffffff81000000ull);
	check_lib("  0x00000000deadbeef", "%20p", (void *)0xdeadbeef);
	check_lib("0x00000000deadbeef  |", "%-20p|", (void *)0xdeadbeef);
	check_lib("0x00000000000000ff", "%5p", (void *)0xff);
}

/* Linux prints "(null)" for NULL and applies the precision to that. */
static void test_null_string(void **state)
{
	(void)state;
	check_lib("(null)", "%s", (char *)NULL);
	check_lib("[  (null)]", "[%8s]", (char *)NULL);
	check_lib("(nu", "%.3s", (char *)NULL);
}

/* The precision bounds how much of the argument is read at all. */
static void test_string_precision_reads_no_further(void **state)
{
	const char unterminated[3] = { 'a', 'b', 'c' };

	(void)state;
	check_lib("abc", "%.3s", unterminated);
	check_lib("ab", "%.*s", 2, unterminated);
}

/*
 * Unknown or incomplete conversions come out as written, and above all
 * %n writes nothing.
 */
static void test_unknown_conversion_is_literal(void **state)
{
	const char *fmt;
	int n = 77;

	(void)state;
	/* Formats the compiler would reject are passed through a variable. */
	fmt = "%k";
	check_lib("%k", fmt, 0);
	fmt = "a%5kb";
	check_lib("a%5kb", fmt, 0);
	fmt = "x%-#08.3lly";
	check_lib("x%-#08.3lly", fmt, 0);
	fmt = "%n";
	check_lib("%n", fmt, &n);
	assert_int_equal(n, 77);
	fmt = "abc%";
	check_lib("abc%", fmt, 0);
	fmt = "%";
	check_lib("%", fmt, 0);
	fmt = "%-05";
	check_lib("%-05", fmt, 0);
	fmt = "%ll";
	check_lib("%ll", fmt, 0);
	fmt = "%.";
	check_lib("%.", fmt, 0);
	/* The '*' argument of an unknown conversion is still consumed. */
	fmt = "%*k%d";
	check_lib("%*k7", fmt, 5, 7);
	/* Formatting carries on after an unknown conversion. */
	fmt = "%y %d %s";
	check_lib("%y 3 ok", fmt, 3, "ok");
}

/*
 * lib_vsnprintf() into buf; through a va_list so that GCC does not reject
 * the deliberately huge fields at compile time.
 */
static int format_into(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = lib_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return len;
}

static void test_field_is_clamped(void **state)
{
	char buf[8];

	(void)state;
	assert_int_equal(format_into(NULL, 0, "%4095d", 1), 4095);
	assert_int_equal(format_into(NULL, 0, "%4096d", 1), 4096);
	assert_int_equal(format_into(NULL, 0, "%5000d", 1), 4096);
	assert_int_equal(format_into(NULL, 0, "%99999999999d", 1), 4096);
	assert_int_equal(format_into(NULL, 0, "%.99999999999d", 1), 4096);
	assert_int_equal(format_into(NULL, 0, "%*d", INT_MAX, 1), 4096);
	assert_int_equal(format_into(NULL, 0, "%.*d", INT_MAX, 1), 4096);
	/* INT_MIN has no positive counterpart; it still means '-'. */
	assert_int_equal(format_into(NULL, 0, "%*d", INT_MIN, 1), 4096);
	assert_int_equal(format_into(buf, sizeof(buf), "%*d|", INT_MIN, 1),
			 4097);
	assert_string_equal(buf, "1      ");
}

static void test_vsnprintf_truncates_and_returns_full_length(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, SENTINEL, sizeof(buf));
	assert_int_equal(lib_snprintf(buf, 4, "%s", "abcdef"), 6);
	assert_string_equal(buf, "abc");
	assert_int_equal((unsigned char)buf[4], SENTINEL);

	memset(buf, SENTINEL, sizeof(buf));
	assert_int_equal(lib_snprintf(buf, 1, "%d", 12345), 5);
	assert_int_equal(buf[0], '\0');
	assert_int_equal((unsigned char)buf[1], SENTINEL);

	memset(buf, SENTINEL, sizeof(buf));
	assert_int_equal(lib_snprintf(buf, 0, "%d", 12345), 5);
	assert_int_equal((unsigned char)buf[0], SENTINEL);
	assert_int_equal(lib_snprintf(NULL, 0, "%s%s", "ab", "cd"), 4);

	assert_int_equal(lib_snprintf(buf, sizeof(buf), "%s", "1234567"), 7);
	assert_string_equal(buf, "1234567");
	assert_int_equal(lib_snprintf(buf, sizeof(buf), "%s", "12345678"), 8);
	assert_string_equal(buf, "1234567");
}

static void test_scnprintf_returns_what_was_stored(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, SENTINEL, sizeof(buf));
	assert_int_equal(lib_scnprintf(buf, 0, "%s", "abc"), 0);
	assert_int_equal((unsigned char)buf[0], SENTINEL);
	assert_int_equal(lib_scnprintf(NULL, 0, "%s", "abc"), 0);
	assert_int_equal(lib_scnprintf(buf, 1, "%s", "abc"), 0);
	assert_string_equal(buf, "");
	assert_int_equal(lib_scnprintf(buf, 4, "%s", "abc"), 3);
	assert_string_equal(buf, "abc");
	assert_int_equal(lib_scnprintf(buf, 3, "%s", "abc"), 2);
	assert_string_equal(buf, "ab");
	assert_int_equal(lib_scnprintf(buf, sizeof(buf), "%d-%d", 10, 200), 6);
	assert_string_equal(buf, "10-200");
	assert_int_equal(lib_scnprintf(buf, sizeof(buf), "%s", ""), 0);
	assert_string_equal(buf, "");
}

/* The usual way to build a line in pieces: each append stays bounded. */
static void test_scnprintf_appends(void **state)
{
	char buf[10];
	int len = 0;

	(void)state;
	for (int i = 0; i < 10; i++)
		len += lib_scnprintf(buf + len, sizeof(buf) - len, "%d,", i);
	assert_int_equal(len, sizeof(buf) - 1);
	assert_string_equal(buf, "0,1,2,3,4");
}

struct sink {
	char text[64];
	size_t n;
};

static void sink_out(char c, void *ctx)
{
	struct sink *s = ctx;

	assert_true(s->n < sizeof(s->text));
	s->text[s->n++] = c;
}

static int sink_printf(struct sink *s, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = lib_vcbprintf(sink_out, s, fmt, ap);
	va_end(ap);
	return len;
}

static void test_vcbprintf_calls_back_per_character(void **state)
{
	struct sink s = { .n = 0 };

	(void)state;
	assert_int_equal(sink_printf(&s, "[%4d|%-3s]", -5, "x"), 10);
	assert_int_equal(s.n, 10);
	assert_memory_equal(s.text, "[  -5|x  ]", 10);

	/* A NUL from %c is output and counted like any character. */
	s.n = 0;
	assert_int_equal(sink_printf(&s, "a%cb", 0), 3);
	assert_int_equal(s.n, 3);
	assert_memory_equal(s.text, "a\0b", 3);

	s.n = 0;
	assert_int_equal(sink_printf(&s, ""), 0);
	assert_int_equal(s.n, 0);
}

/* The va_list passed in is used through a copy and stays usable. */
static int twice(char *a, char *b, const char *fmt, ...)
{
	va_list ap;
	int x, y;

	va_start(ap, fmt);
	x = lib_vsnprintf(a, 32, fmt, ap);
	va_end(ap);
	va_start(ap, fmt);
	y = lib_vscnprintf(b, 32, fmt, ap);
	va_end(ap);
	return x == y ? x : -1;
}

static void test_v_variants(void **state)
{
	char a[32], b[32];

	(void)state;
	assert_int_equal(twice(a, b, "%s %d %llu", "v", 1, 2ull), 5);
	assert_string_equal(a, "v 1 2");
	assert_string_equal(b, "v 1 2");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_int_formats_match_glibc),
		cmocka_unit_test(test_long_long_formats_match_glibc),
		cmocka_unit_test(test_other_lengths_match_glibc),
		cmocka_unit_test(test_string_formats_match_glibc),
		cmocka_unit_test(test_char_formats_match_glibc),
		cmocka_unit_test(test_star_width_and_precision_match_glibc),
		cmocka_unit_test(test_mixed_formats_match_glibc),
		cmocka_unit_test(test_pointer_is_0x_and_16_digits),
		cmocka_unit_test(test_null_string),
		cmocka_unit_test(test_string_precision_reads_no_further),
		cmocka_unit_test(test_unknown_conversion_is_literal),
		cmocka_unit_test(test_field_is_clamped),
		cmocka_unit_test(
			test_vsnprintf_truncates_and_returns_full_length),
		cmocka_unit_test(test_scnprintf_returns_what_was_stored),
		cmocka_unit_test(test_scnprintf_appends),
		cmocka_unit_test(test_vcbprintf_calls_back_per_character),
		cmocka_unit_test(test_v_variants),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
