// SPDX-License-Identifier: MIT
/*
 * Formatted output of lib/printf.c: one formatting engine, vcbprintf(),
 * that hands each character to a callback (the console uses it directly),
 * and the Linux family of buffer printers built on it. Names go through
 * LIB_NAME(); see include/lib/compiler.h.
 *
 * Conversions: d i u x X o c s p %. Flags: - 0 + space #. Width and
 * precision, either may be *. Length modifiers: hh h l ll z t j.
 * %p prints "0x" and 16 hex digits; %s of NULL prints "(null)"; an
 * unknown conversion is printed literally, from the % to the character.
 */
#ifndef LIB_PRINTF_H
#define LIB_PRINTF_H

#include <stdarg.h>
#include <stddef.h>

#include <lib/compiler.h>

int LIB_NAME(vcbprintf)(void (*out)(char c, void *ctx), void *ctx,
			const char *fmt, va_list ap) __printf(3, 0);

int LIB_NAME(vsnprintf)(char *buf, size_t size, const char *fmt, va_list ap)
	__printf(3, 0);
int LIB_NAME(snprintf)(char *buf, size_t size, const char *fmt, ...)
	__printf(3, 4);
int LIB_NAME(vscnprintf)(char *buf, size_t size, const char *fmt, va_list ap)
	__printf(3, 0);
int LIB_NAME(scnprintf)(char *buf, size_t size, const char *fmt, ...)
	__printf(3, 4);

#endif /* LIB_PRINTF_H */
