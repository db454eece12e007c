// SPDX-License-Identifier: MIT
/*
 * Host unit tests for lib/line_edit.c, the shell's line editor: what ends
 * up in the line and what is echoed for typing, erasing, killing and
 * dropping a line, terminal escape sequences, bytes that are not text,
 * and a line longer than the buffer, which is refused, never cut.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <lib/line_edit.h>

static char echoed[1024];

static void echo(const char *s, void *ctx)
{
	(void)ctx;
	strncat(echoed, s, sizeof(echoed) - strlen(echoed) - 1);
}

/* Feed every byte of s; the result of the last one. */
static enum line_edit_result type(struct line_editor *ed, const char *s,
				  size_t n)
{
	enum line_edit_result r = LINE_MORE;

	for (size_t i = 0; i < n; i++)
		r = lib_line_edit_feed(ed, (unsigned char)s[i]);
	return r;
}

#define TYPE(ed, lit) type(ed, lit, sizeof(lit) - 1)

static struct line_editor ed;
static char buf[16];

static int setup(void **state)
{
	(void)state;
	echoed[0] = '\0';
	lib_line_edit_init(&ed, buf, sizeof(buf), echo, NULL);
	return 0;
}

static void test_typing_and_erasing(void **state)
{
	(void)state;
	assert_int_equal(TYPE(&ed, "lx\x7fs\bs -l\r"), LINE_DONE);
	assert_string_equal(buf, "ls -l");
	assert_string_equal(echoed, "lx\b \bs\b \bs -l\n");
	/* The next line starts empty. */
	assert_int_equal(TYPE(&ed, "\x7f"
				   "a\n"),
			 LINE_DONE);
	assert_string_equal(buf, "a");
}

static void test_kill_and_drop(void **state)
{
	(void)state;
	assert_int_equal(TYPE(&ed, "abc\x15"
				   "d\n"),
			 LINE_DONE);
	assert_string_equal(buf, "d");
	assert_int_equal(TYPE(&ed, "rm\x03"), LINE_DROPPED);
	assert_non_null(strstr(echoed, "^C\n"));
	assert_int_equal(TYPE(&ed, "ok\n"), LINE_DONE);
	assert_string_equal(buf, "ok");
}

/* Arrow and function keys never reach the line: "[A" is not typed. */
static void test_escape_sequences_swallowed(void **state)
{
	(void)state;
	assert_int_equal(TYPE(&ed, "a\x1b[A\x1b[1;5Cb\x1bOPc\x1bxd\n"),
			 LINE_DONE);
	assert_string_equal(buf, "abcd");
	assert_null(strchr(echoed, '\x1b'));
}

static void test_other_bytes_ignored(void **state)
{
	(void)state;
	assert_int_equal(TYPE(&ed, "a\x01\x80\xff\tb\x00\n"), LINE_DONE);
	assert_string_equal(buf, "ab");
	assert_string_equal(echoed, "ab\n");
}

/* 15 bytes fit; the 16th makes the line too long, and it is not run. */
static void test_too_long_is_refused(void **state)
{
	(void)state;
	assert_int_equal(TYPE(&ed, "123456789012345\n"), LINE_DONE);
	assert_string_equal(buf, "123456789012345");
	assert_int_equal(TYPE(&ed, "1234567890123456789\n"), LINE_TOO_LONG);
	assert_int_equal(ed.typed, 19);
	/* Erasing back under the limit makes it a line again. */
	assert_int_equal(TYPE(&ed, "1234567890123456789\b\b\b\b\bX\n"),
			 LINE_DONE);
	assert_string_equal(buf, "12345678901234X");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_typing_and_erasing, setup),
		cmocka_unit_test_setup(test_kill_and_drop, setup),
		cmocka_unit_test_setup(test_escape_sequences_swallowed, setup),
		cmocka_unit_test_setup(test_other_bytes_ignored, setup),
		cmocka_unit_test_setup(test_too_long_is_refused, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
