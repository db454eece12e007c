// SPDX-License-Identifier: MIT
/*
 * Growable text buffers (struct seq_buf): formatting appends, the buffer
 * doubles on the heap when full.
 */
#include <stdarg.h>
#include <kernel/mm.h>
#include <kernel/seq.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/string.h>
#include <kernel/module.h>

void seq_init(struct seq_buf *s)
{
	s->buf = NULL;
	s->len = 0;
	s->size = 0;
	s->overflow = false;
}

void seq_release(struct seq_buf *s)
{
	kfree(s->buf);
	seq_init(s);
}

static bool seq_reserve(struct seq_buf *s, size_t need)
{
	size_t size = s->size ? s->size : 256;
	char *bigger;

	if (s->len + need + 1 <= s->size)
		return true;
	while (size < s->len + need + 1)
		size *= 2;
	bigger = kmalloc(size);
	if (!bigger) {
		s->overflow = true;
		return false;
	}
	if (s->buf)
		memcpy(bigger, s->buf, s->len + 1);
	kfree(s->buf);
	s->buf = bigger;
	s->size = size;
	return true;
}

static int seq_vprintf(struct seq_buf *s, const char *fmt, va_list ap)
{
	va_list copy;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0 || !seq_reserve(s, (size_t)n))
		return -ENOMEM;
	vsnprintf(s->buf + s->len, (size_t)n + 1, fmt, ap);
	s->len += (size_t)n;
	return n;
}

int seq_printf(struct seq_buf *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = seq_vprintf(s, fmt, ap);
	va_end(ap);
	return n;
}

int seq_puts(struct seq_buf *s, const char *str)
{
	return seq_printf(s, "%s", str);
}
EXPORT_SYMBOL(seq_printf);
