/* SPDX-License-Identifier: MIT */
/*
 * Private to kernel/patching/: building one line of text in a fixed
 * buffer without a printf, for the messages and files that list variants
 * or bytes. The buffer always stays NUL-terminated; what does not fit is
 * dropped.
 */
#ifndef KERNEL_PATCHING_STRBUF_H
#define KERNEL_PATCHING_STRBUF_H

#include <stddef.h>
#include <stdint.h>

struct strbuf {
	char *buf;
	size_t size;
	size_t len;
};

static inline void strbuf_init(struct strbuf *sb, char *buf, size_t size)
{
	sb->buf = buf;
	sb->size = size;
	sb->len = 0;
	if (size)
		buf[0] = '\0';
}

static inline void strbuf_putc(struct strbuf *sb, char c)
{
	if (sb->len + 1 < sb->size) {
		sb->buf[sb->len++] = c;
		sb->buf[sb->len] = '\0';
	}
}

static inline void strbuf_puts(struct strbuf *sb, const char *s)
{
	while (*s)
		strbuf_putc(sb, *s++);
}

static inline void strbuf_putu(struct strbuf *sb, uint64_t v)
{
	char digits[20];
	int n = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		strbuf_putc(sb, digits[--n]);
}

static inline void strbuf_puthex8(struct strbuf *sb, uint8_t v)
{
	static const char hex[] = "0123456789abcdef";

	strbuf_putc(sb, hex[v >> 4]);
	strbuf_putc(sb, hex[v & 15]);
}

#endif /* KERNEL_PATCHING_STRBUF_H */
