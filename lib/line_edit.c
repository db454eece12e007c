// SPDX-License-Identifier: MIT
/*
 * The shell's line editor (include/lib/line_edit.h says what it does).
 */
#include <lib/line_edit.h>

#define CTRL_C 0x03
#define CTRL_U 0x15
#define ESC 0x1b
#define DEL 0x7f

/* Escape-sequence states: after ESC, inside ESC [ (CSI), after ESC O. */
enum { ESC_NONE, ESC_START, ESC_CSI, ESC_SS3 };

static void echo(struct line_editor *ed, const char *s)
{
	if (ed->echo)
		ed->echo(s, ed->ctx);
}

void LIB_NAME(line_edit_init)(struct line_editor *ed, char *buf, size_t size,
			      void (*echo_fn)(const char *s, void *ctx),
			      void *ctx)
{
	ed->buf = buf;
	ed->size = size;
	ed->echo = echo_fn;
	ed->ctx = ctx;
	ed->len = ed->typed = 0;
	ed->escape = ESC_NONE;
	ed->ended = false;
	buf[0] = '\0';
}

static void erase_one(struct line_editor *ed)
{
	if (ed->typed > ed->len) { /* past the buffer: nothing was echoed */
		ed->typed--;
		return;
	}
	if (!ed->len)
		return;
	ed->len--;
	ed->typed--;
	echo(ed, "\b \b");
}

static void kill_line(struct line_editor *ed)
{
	while (ed->len)
		erase_one(ed);
	ed->typed = 0;
}

/* True while c belongs to an escape sequence, which is swallowed. */
static bool in_escape(struct line_editor *ed, int c)
{
	switch (ed->escape) {
	case ESC_START:
		ed->escape = c == '[' ? ESC_CSI : c == 'O' ? ESC_SS3 : ESC_NONE;
		return true;
	case ESC_CSI:
		/* Parameter and intermediate bytes, then one final byte. */
		if (c < 0x20 || c > 0x3f)
			ed->escape = ESC_NONE;
		return true;
	case ESC_SS3:
		ed->escape = ESC_NONE;
		return true;
	}
	if (c == ESC) {
		ed->escape = ESC_START;
		return true;
	}
	return false;
}

static enum line_edit_result end_line(struct line_editor *ed,
				      enum line_edit_result result)
{
	bool too_long = ed->typed > ed->len;

	ed->buf[ed->len] = '\0';
	ed->len = 0;
	ed->escape = ESC_NONE;
	ed->ended = true;
	if (result == LINE_DONE && too_long)
		result = LINE_TOO_LONG;
	/* ed->typed stays until the next byte: the caller reports it. */
	return result;
}

static void add_byte(struct line_editor *ed, char c)
{
	char s[2] = { c, '\0' };

	if (ed->typed++ != ed->len || ed->len + 1 >= ed->size)
		return; /* beyond the buffer: counted, not kept */
	ed->buf[ed->len++] = c;
	echo(ed, s);
}

enum line_edit_result LIB_NAME(line_edit_feed)(struct line_editor *ed, int c)
{
	if (ed->ended) { /* the first byte of a new line */
		ed->ended = false;
		ed->typed = 0;
	}
	if (in_escape(ed, c))
		return LINE_MORE;
	if (c == '\r' || c == '\n') {
		echo(ed, "\n");
		return end_line(ed, LINE_DONE);
	}
	if (c == DEL || c == '\b') {
		erase_one(ed);
	} else if (c == CTRL_U) {
		kill_line(ed);
	} else if (c == CTRL_C) {
		kill_line(ed);
		echo(ed, "^C\n");
		return end_line(ed, LINE_DROPPED);
	} else if (c >= 0x20 && c < 0x7f) {
		add_byte(ed, (char)c);
	}
	return LINE_MORE;
}
