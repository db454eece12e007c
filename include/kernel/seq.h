/* SPDX-License-Identifier: MIT */
/*
 * A growable text buffer that file show() callbacks print into.
 */
#ifndef KERNEL_SEQ_H
#define KERNEL_SEQ_H

#include <stdbool.h>
#include <stddef.h>
#include <lib/compiler.h>

struct seq_buf {
	char *buf;
	size_t len;
	size_t size;
	bool overflow; /* an allocation failed: the text is cut short */
};

void seq_init(struct seq_buf *s);
void seq_release(struct seq_buf *s);
int seq_printf(struct seq_buf *s, const char *fmt, ...) __printf(2, 3);
int seq_puts(struct seq_buf *s, const char *str);

#endif /* KERNEL_SEQ_H */
