/* SPDX-License-Identifier: MIT */
/*
 * lib/line_edit.c: the shell's line editor, one input byte at a time, with
 * no I/O of its own (what it echoes goes through a callback), so the host
 * fuzzes and tests the very code the kernel runs.
 *
 * Printable ASCII is added and echoed; Backspace or DEL erases a byte;
 * ^U kills the line; ^C drops it; a terminal escape sequence (ESC [ ...,
 * ESC O x, ESC x: the arrow and function keys) is swallowed whole; every
 * other byte is ignored, never echoed. A line longer than the buffer is
 * not cut: the editor keeps counting and says LINE_TOO_LONG at the end,
 * so that a cut line is never run as another command.
 */
#ifndef LIB_LINE_EDIT_H
#define LIB_LINE_EDIT_H

#include <stdbool.h>
#include <stddef.h>

#include <lib/compiler.h>

enum line_edit_result {
	LINE_MORE = 0, /* the line goes on */
	LINE_DONE = 1, /* buf holds the line, NUL-terminated */
	LINE_TOO_LONG = 2, /* Enter after more than size - 1 bytes */
	LINE_DROPPED = 3, /* ^C */
};

struct line_editor {
	char *buf;
	size_t size; /* of buf, room for the NUL included */
	size_t len; /* bytes in buf */
	size_t typed; /* bytes typed into this line, beyond buf too */
	int escape; /* where in an escape sequence (0: none) */
	bool ended; /* the last byte ended a line */
	void (*echo)(const char *s, void *ctx);
	void *ctx;
};

/* line_edit_init() - an empty line in buf (size >= 1); echo may be NULL. */
void LIB_NAME(line_edit_init)(struct line_editor *ed, char *buf, size_t size,
			      void (*echo)(const char *s, void *ctx),
			      void *ctx);
/*
 * line_edit_feed() - one input byte. After any result but LINE_MORE the
 * editor starts a new line; ed->typed still says how long the old was.
 */
enum line_edit_result LIB_NAME(line_edit_feed)(struct line_editor *ed, int c);

#endif /* LIB_LINE_EDIT_H */
