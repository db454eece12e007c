// SPDX-License-Identifier: MIT
/*
 * Conversion of typed text to values. The integer parsers follow Linux's
 * kstrto*(): the whole string must be a number (one trailing newline is
 * allowed, so text read from a line works as is), there is no leading
 * white space, and overflow is an error rather than a clamped value. On
 * error the result variable is left untouched.
 */
#include <stdbool.h>
#include <stddef.h>

#include <lib/compiler.h>
#include <lib/errno.h>
#include <lib/parse.h>
#include <lib/string.h>

/* The value of c as a digit in any base up to 16, or 16 if it is none. */
static unsigned int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 16;
}

static bool has_hex_prefix(const char *s)
{
	return s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
}

/*
 * Base 0 picks 16 for an "0x" prefix, 8 for a leading "0" and 10
 * otherwise. In base 16 an "0x" prefix is optional. A prefix without
 * digits after it fails later, for want of digits.
 * Return: s past the prefix.
 */
static const char *resolve_base(const char *s, unsigned int *base)
{
	if (*base == 0) {
		if (has_hex_prefix(s))
			*base = 16;
		else if (s[0] == '0')
			*base = 8;
		else
			*base = 10;
	}
	if (*base == 16 && has_hex_prefix(s))
		s += 2;
	return s;
}

/*
 * Parses an unsigned number without sign. All digits are consumed even
 * after an overflow, so an overlong number reports -ERANGE rather than
 * -EINVAL for the digits after the point of overflow.
 */
static int parse_unsigned(const char *s, unsigned int base,
			  unsigned long long *res)
{
	const unsigned long long limit = ~0ull;
	unsigned long long value = 0;
	bool overflow = false;
	const char *digits;
	unsigned int d;

	if (base == 1 || base > 16)
		return -EINVAL;
	s = resolve_base(s, &base);
	for (digits = s; (d = digit_value(*s)) < base; s++) {
		if (value > (limit - d) / base)
			overflow = true;
		value = value * base + d;
	}
	if (overflow)
		return -ERANGE;
	if (s == digits)
		return -EINVAL;
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	*res = value;
	return 0;
}

/**
 * kstrtoull() - convert a string to an unsigned long long
 * @s: optional '+', then digits, then optionally one '\n'
 * @base: 2 to 16, or 0 to take it from the prefix ("0x" hex, "0" octal)
 * @res: where the value goes on success
 *
 * Return: 0, -EINVAL if @s is not such a number (including a '-' sign),
 * or -ERANGE if it does not fit.
 */
int LIB_NAME(kstrtoull)(const char *s, unsigned int base,
			unsigned long long *res)
{
	if (s[0] == '+')
		s++;
	return parse_unsigned(s, base, res);
}

/* kstrtoull() for an unsigned long. */
int LIB_NAME(kstrtoul)(const char *s, unsigned int base, unsigned long *res)
{
	unsigned long long value;
	int rc = LIB_NAME(kstrtoull)(s, base, &value);

	if (rc)
		return rc;
	if ((unsigned long)value != value)
		return -ERANGE;
	*res = value;
	return 0;
}

/* kstrtoull() for an unsigned int. */
int LIB_NAME(kstrtouint)(const char *s, unsigned int base, unsigned int *res)
{
	unsigned long long value;
	int rc = LIB_NAME(kstrtoull)(s, base, &value);

	if (rc)
		return rc;
	if ((unsigned int)value != value)
		return -ERANGE;
	*res = value;
	return 0;
}

/**
 * kstrtoll() - convert a string to a long long
 * @s: optional '+' or '-', then as for kstrtoull()
 * @base: as for kstrtoull()
 * @res: where the value goes on success
 *
 * Return: 0, -EINVAL or -ERANGE as for kstrtoull().
 */
int LIB_NAME(kstrtoll)(const char *s, unsigned int base, long long *res)
{
	const unsigned long long max = __LONG_LONG_MAX__;
	unsigned long long magnitude;
	int rc;

	if (s[0] != '-') {
		rc = LIB_NAME(kstrtoull)(s, base, &magnitude);
		if (rc)
			return rc;
		if (magnitude > max)
			return -ERANGE;
		*res = magnitude;
		return 0;
	}
	rc = parse_unsigned(s + 1, base, &magnitude);
	if (rc)
		return rc;
	/* The most negative value has magnitude max + 1. */
	if (magnitude > max + 1)
		return -ERANGE;
	*res = magnitude ? -(long long)(magnitude - 1) - 1 : 0;
	return 0;
}

/* kstrtoll() for an int. */
int LIB_NAME(kstrtoint)(const char *s, unsigned int base, int *res)
{
	long long value;
	int rc = LIB_NAME(kstrtoll)(s, base, &value);

	if (rc)
		return rc;
	if ((int)value != value)
		return -ERANGE;
	*res = value;
	return 0;
}

/**
 * match_string() - find a string in an array of strings
 * @list: the candidates; a NULL entry ends the array early
 * @n: the number of entries in @list
 * @s: the string to find
 *
 * Return: the index of the first entry equal to @s, or -EINVAL.
 */
int LIB_NAME(match_string)(const char *const *list, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n && list[i]; i++) {
		if (!LIB_NAME(strcmp)(list[i], s))
			return i;
	}
	return -EINVAL;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static size_t count_words(const char *s)
{
	size_t n = 0;

	for (; *s; s++) {
		if (!is_blank(*s) && (n == 0 || is_blank(s[-1])))
			n++;
	}
	return n;
}

/**
 * str_split() - split a line into words in place
 * @s: the line; the blank after each word is overwritten with a NUL
 * @argv: receives a pointer to each word, in order, without a NULL after
 * @max: the number of entries @argv has room for
 *
 * Words are separated by runs of spaces and tabs; blanks at either end are
 * ignored. When there are too many words, @s and @argv are left untouched.
 *
 * Return: the number of words, -E2BIG if there are more than @max, or
 * -EINVAL if @max is negative.
 */
int LIB_NAME(str_split)(char *s, char **argv, int max)
{
	int argc = 0;

	if (max < 0)
		return -EINVAL;
	if (count_words(s) > (size_t)max)
		return -E2BIG;
	for (;;) {
		while (is_blank(*s))
			s++;
		if (!*s)
			return argc;
		argv[argc++] = s;
		while (*s && !is_blank(*s))
			s++;
		if (*s)
			*s++ = '\0';
	}
}
