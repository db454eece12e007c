// SPDX-License-Identifier: MIT
/*
 * The printf engine. vcbprintf() walks the format, decodes each conversion
 * into a struct format_spec and renders it through a callback; the
 * snprintf family only supplies a callback that fills a buffer. Nothing is
 * allocated and nothing recurses, so it is usable from any context,
 * including panic paths.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lib/compiler.h>
#include <lib/printf.h>
#include <lib/string.h>

enum format_flags {
	FLAG_LEFT = 1 << 0, /* '-': pad on the right */
	FLAG_ZERO = 1 << 1, /* '0': pad numbers with zeros */
	FLAG_PLUS = 1 << 2, /* '+': sign on non-negative numbers */
	FLAG_SPACE = 1 << 3, /* ' ': space on non-negative numbers */
	FLAG_ALT = 1 << 4, /* '#': 0x before hex, leading 0 in octal */
	FLAG_PREFIX = 1 << 5, /* internal: 0x even for zero (%p) */
};

enum format_length {
	LENGTH_INT,
	LENGTH_CHAR, /* hh */
	LENGTH_SHORT, /* h */
	LENGTH_LONG, /* l */
	LENGTH_LONG_LONG, /* ll */
	LENGTH_SIZE, /* z */
	LENGTH_PTRDIFF, /* t */
	LENGTH_INTMAX, /* j */
};

struct format_spec {
	unsigned int flags;
	int width; /* 0 when absent */
	int precision; /* -1 when absent */
	enum format_length length;
	char conversion; /* '\0' when the format ended inside the spec */
};

struct printer {
	void (*out)(char c, void *ctx);
	void *ctx;
	size_t count;
};

/*
 * Widths and precisions are clamped so that a corrupt format or argument
 * cannot make one conversion emit an unbounded amount of padding.
 */
#define FIELD_MAX 4096

/* Octal digits of a 64-bit value, the longest representation. */
#define DIGITS_MAX 22
BUILD_BUG_ON(sizeof(intmax_t) > sizeof(long long));
BUILD_BUG_ON(sizeof(unsigned long long) * __CHAR_BIT__ > DIGITS_MAX * 3);

/*
 * <limits.h> is avoided on purpose: with -nostdinc, GCC's copy tries to
 * #include_next a libc one. The compiler predefines what is needed.
 */
#define COUNT_MAX __INT_MAX__

static void emit(struct printer *p, char c)
{
	p->out(c, p->ctx);
	p->count++;
}

static void emit_repeated(struct printer *p, char c, int n)
{
	for (; n > 0; n--)
		emit(p, c);
}

static void emit_string(struct printer *p, const char *s, size_t n)
{
	for (; n; n--)
		emit(p, *s++);
}

/* Reads a decimal field at *fmt, saturating at FIELD_MAX. */
static int parse_field(const char **fmt)
{
	int n = 0;

	for (; **fmt >= '0' && **fmt <= '9'; (*fmt)++) {
		n = n * 10 + (**fmt - '0');
		if (n > FIELD_MAX)
			n = FIELD_MAX;
	}
	return n;
}

static const char *parse_flags(const char *fmt, struct format_spec *spec)
{
	for (;; fmt++) {
		switch (*fmt) {
		case '-':
			spec->flags |= FLAG_LEFT;
			break;
		case '0':
			spec->flags |= FLAG_ZERO;
			break;
		case '+':
			spec->flags |= FLAG_PLUS;
			break;
		case ' ':
			spec->flags |= FLAG_SPACE;
			break;
		case '#':
			spec->flags |= FLAG_ALT;
			break;
		default:
			return fmt;
		}
	}
}

/* A negative '*' width means '-' and its absolute value. */
static const char *parse_width(const char *fmt, struct format_spec *spec,
			       va_list *ap)
{
	long long width;

	if (*fmt != '*') {
		spec->width = parse_field(&fmt);
		return fmt;
	}
	width = va_arg(*ap, int);
	if (width < 0) {
		spec->flags |= FLAG_LEFT;
		width = -width;
	}
	spec->width = width > FIELD_MAX ? FIELD_MAX : width;
	return fmt + 1;
}

/* A negative '*' precision counts as no precision at all. */
static const char *parse_precision(const char *fmt, struct format_spec *spec,
				   va_list *ap)
{
	int precision;

	if (*fmt != '.') {
		spec->precision = -1;
		return fmt;
	}
	fmt++;
	if (*fmt != '*') {
		spec->precision = parse_field(&fmt);
		return fmt;
	}
	precision = va_arg(*ap, int);
	spec->precision = precision < 0 ? -1 : min(precision, FIELD_MAX);
	return fmt + 1;
}

static const char *parse_length(const char *fmt, struct format_spec *spec)
{
	switch (*fmt) {
	case 'h':
		if (fmt[1] == 'h') {
			spec->length = LENGTH_CHAR;
			return fmt + 2;
		}
		spec->length = LENGTH_SHORT;
		return fmt + 1;
	case 'l':
		if (fmt[1] == 'l') {
			spec->length = LENGTH_LONG_LONG;
			return fmt + 2;
		}
		spec->length = LENGTH_LONG;
		return fmt + 1;
	case 'z':
		spec->length = LENGTH_SIZE;
		return fmt + 1;
	case 't':
		spec->length = LENGTH_PTRDIFF;
		return fmt + 1;
	case 'j':
		spec->length = LENGTH_INTMAX;
		return fmt + 1;
	default:
		spec->length = LENGTH_INT;
		return fmt;
	}
}

/*
 * Decodes the conversion spec after a '%'. Consumes the '*' arguments.
 * Return: the format position after the conversion character.
 */
static const char *parse_spec(const char *fmt, struct format_spec *spec,
			      va_list *ap)
{
	spec->flags = 0;
	fmt = parse_flags(fmt, spec);
	fmt = parse_width(fmt, spec, ap);
	fmt = parse_precision(fmt, spec, ap);
	fmt = parse_length(fmt, spec);
	spec->conversion = *fmt;
	return *fmt ? fmt + 1 : fmt;
}

static long long fetch_signed(enum format_length length, va_list *ap)
{
	switch (length) {
	case LENGTH_CHAR:
		return (signed char)va_arg(*ap, int);
	case LENGTH_SHORT:
		return (short)va_arg(*ap, int);
	case LENGTH_LONG:
		return va_arg(*ap, long);
	case LENGTH_LONG_LONG:
		return va_arg(*ap, long long);
	case LENGTH_SIZE: /* the signed type of size_t's width */
	case LENGTH_PTRDIFF:
		return va_arg(*ap, ptrdiff_t);
	case LENGTH_INTMAX:
		return va_arg(*ap, intmax_t);
	default:
		return va_arg(*ap, int);
	}
}

static unsigned long long fetch_unsigned(enum format_length length, va_list *ap)
{
	switch (length) {
	case LENGTH_CHAR:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LENGTH_SHORT:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LENGTH_LONG:
		return va_arg(*ap, unsigned long);
	case LENGTH_LONG_LONG:
		return va_arg(*ap, unsigned long long);
	case LENGTH_SIZE:
	case LENGTH_PTRDIFF: /* the unsigned type of ptrdiff_t's width */
		return va_arg(*ap, size_t);
	case LENGTH_INTMAX:
		return va_arg(*ap, uintmax_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

/* Writes the digits of value in reverse order. Return: how many. */
static int to_digits(char *digits, unsigned long long value, unsigned int base,
		     bool upper)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0;

	do {
		digits[n++] = set[value % base];
		value /= base;
	} while (value);
	return n;
}

/* The sign or "0x" that goes before the zeros and digits. */
static int number_prefix(char *prefix, const struct format_spec *spec,
			 unsigned long long value, bool negative)
{
	char c = spec->conversion;

	if (c == 'd' || c == 'i') {
		if (negative)
			prefix[0] = '-';
		else if (spec->flags & FLAG_PLUS)
			prefix[0] = '+';
		else if (spec->flags & FLAG_SPACE)
			prefix[0] = ' ';
		else
			return 0;
		return 1;
	}
	if (c != 'x' && c != 'X')
		return 0;
	if ((spec->flags & FLAG_PREFIX) ||
	    (value && (spec->flags & FLAG_ALT))) {
		prefix[0] = '0';
		prefix[1] = c;
		return 2;
	}
	return 0;
}

/*
 * Renders an integer as [spaces][prefix][zeros][digits][spaces]. The
 * precision is the minimum number of digits (so ".0" prints nothing for
 * zero); the '0' flag widens the zeros to fill the width unless a
 * precision or '-' was given; '#' with octal forces a leading zero.
 */
static void format_integer(struct printer *p, const struct format_spec *spec,
			   unsigned long long value, bool negative)
{
	char c = spec->conversion;
	unsigned int base = c == 'o' ? 8 : (c == 'x' || c == 'X') ? 16 : 10;
	char digits[DIGITS_MAX];
	char prefix[2];
	int ndigits = 0, nprefix, zeros, pad;

	if (value || spec->precision != 0)
		ndigits = to_digits(digits, value, base, c == 'X');
	zeros = spec->precision > ndigits ? spec->precision - ndigits : 0;
	if (c == 'o' && (spec->flags & FLAG_ALT) && !zeros &&
	    (value || !ndigits))
		zeros = 1;
	nprefix = number_prefix(prefix, spec, value, negative);

	pad = spec->width - (nprefix + zeros + ndigits);
	if ((spec->flags & (FLAG_ZERO | FLAG_LEFT)) == FLAG_ZERO &&
	    spec->precision < 0 && pad > 0) {
		zeros += pad;
		pad = 0;
	}
	if (!(spec->flags & FLAG_LEFT))
		emit_repeated(p, ' ', pad);
	emit_string(p, prefix, nprefix);
	emit_repeated(p, '0', zeros);
	while (ndigits)
		emit(p, digits[--ndigits]);
	if (spec->flags & FLAG_LEFT)
		emit_repeated(p, ' ', pad);
}

/* Renders n characters of s padded with spaces to the width. */
static void format_text(struct printer *p, const struct format_spec *spec,
			const char *s, size_t n)
{
	int pad = (size_t)spec->width > n ? spec->width - (int)n : 0;

	if (!(spec->flags & FLAG_LEFT))
		emit_repeated(p, ' ', pad);
	emit_string(p, s, n);
	if (spec->flags & FLAG_LEFT)
		emit_repeated(p, ' ', pad);
}

static void format_string(struct printer *p, const struct format_spec *spec,
			  const char *s)
{
	size_t n;

	if (!s)
		s = "(null)";
	if (spec->precision >= 0)
		n = LIB_NAME(strnlen)(s, spec->precision);
	else
		n = LIB_NAME(strlen)(s);
	format_text(p, spec, s, n);
}

/* %p: "0x" and every hex digit of the address; only width and '-' apply. */
static void format_pointer(struct printer *p, const struct format_spec *spec,
			   const void *ptr)
{
	struct format_spec hex = {
		.flags = (spec->flags & FLAG_LEFT) | FLAG_PREFIX,
		.width = spec->width,
		.precision = 2 * sizeof(ptr),
		.conversion = 'x',
	};

	format_integer(p, &hex, (uintptr_t)ptr, false);
}

/*
 * Renders one decoded conversion, taking its argument from *ap.
 * Return: false for an unknown conversion, which consumed nothing.
 */
static bool format_one(struct printer *p, const struct format_spec *spec,
		       va_list *ap)
{
	unsigned long long magnitude;
	long long value;
	char c;

	switch (spec->conversion) {
	case 'd':
	case 'i':
		value = fetch_signed(spec->length, ap);
		/* Negate in unsigned arithmetic: LLONG_MIN has no opposite. */
		magnitude = value;
		if (value < 0)
			magnitude = -magnitude;
		format_integer(p, spec, magnitude, value < 0);
		return true;
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		format_integer(p, spec, fetch_unsigned(spec->length, ap),
			       false);
		return true;
	case 'c':
		c = (char)va_arg(*ap, int);
		format_text(p, spec, &c, 1);
		return true;
	case 's':
		format_string(p, spec, va_arg(*ap, const char *));
		return true;
	case 'p':
		format_pointer(p, spec, va_arg(*ap, const void *));
		return true;
	case '%':
		emit(p, '%');
		return true;
	default:
		return false;
	}
}

/**
 * vcbprintf() - format into a character callback
 * @out: called once per output character, in order
 * @ctx: passed to @out unchanged
 * @fmt: the format; see include/lib/printf.h for what it may contain
 * @ap: the arguments
 *
 * An unknown conversion (or a format that ends inside one) is copied to
 * the output as it was written, from the '%' on; any '*' arguments it
 * named have been consumed.
 *
 * Return: the number of characters passed to @out, at most INT_MAX.
 */
int LIB_NAME(vcbprintf)(void (*out)(char c, void *ctx), void *ctx,
			const char *fmt, va_list ap)
{
	struct printer p = { .out = out, .ctx = ctx };
	struct format_spec spec;
	const char *start;
	va_list args;

	/* A va_list parameter cannot be passed on by address portably. */
	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			emit(&p, *fmt++);
			continue;
		}
		start = fmt;
		fmt = parse_spec(fmt + 1, &spec, &args);
		if (!format_one(&p, &spec, &args))
			emit_string(&p, start, fmt - start);
	}
	va_end(args);
	return p.count > COUNT_MAX ? COUNT_MAX : (int)p.count;
}

struct buffer {
	char *buf;
	size_t size;
	size_t used; /* characters produced, including any that did not fit */
};

/* Keeps the last byte of the buffer free for the terminating NUL. */
static void buffer_out(char c, void *ctx)
{
	struct buffer *b = ctx;

	if (b->used + 1 < b->size)
		b->buf[b->used] = c;
	b->used++;
}

/**
 * vsnprintf() - format into a buffer of size bytes
 *
 * The output is truncated to size - 1 characters and NUL-terminated unless
 * size is 0, in which case buf may be NULL.
 *
 * Return: the length the complete output has, which is >= size when it was
 * truncated (not the number of characters stored; see vscnprintf()).
 */
int LIB_NAME(vsnprintf)(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buffer b = { .buf = buf, .size = size };
	int len = LIB_NAME(vcbprintf)(buffer_out, &b, fmt, ap);

	if (size)
		buf[b.used < size ? b.used : size - 1] = '\0';
	return len;
}

int LIB_NAME(snprintf)(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = LIB_NAME(vsnprintf)(buf, size, fmt, ap);
	va_end(ap);
	return len;
}

/**
 * vscnprintf() - format into a buffer of size bytes
 *
 * Like vsnprintf(), but returns what was stored.
 *
 * Return: the number of characters written to buf, excluding the NUL;
 * 0 when size is 0.
 */
int LIB_NAME(vscnprintf)(char *buf, size_t size, const char *fmt, va_list ap)
{
	int len = LIB_NAME(vsnprintf)(buf, size, fmt, ap);

	if ((size_t)len < size)
		return len;
	return size ? (int)(size - 1) : 0;
}

int LIB_NAME(scnprintf)(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = LIB_NAME(vscnprintf)(buf, size, fmt, ap);
	va_end(ap);
	return len;
}
