// SPDX-License-Identifier: MIT
/*
 * Memory and string functions for a kernel that has no libc. The copy and
 * fill routines are plain C loops (word at a time when alignment allows)
 * that only need to be correct and unsurprising. Everything else is
 * written for clarity; none of it is on a hot path.
 */
#include <stdbool.h>
#include <stdint.h>

#include <lib/compiler.h>
#include <lib/string.h>

/*
 * LIB_ARCH_MEM: the architecture provides memcpy() and memset(), and
 * lib/ must not define them. In the kernel they are the call symbols of
 * the choices mem.copy and mem.set (arch/x86/string.c), whose call sites
 * the engine points at the CPU's best implementation; the host unit tests
 * have no architecture part and test lib_memcpy/lib_memset from here.
 */
#ifndef LIB_HOST_TEST
#define LIB_ARCH_MEM 1
#endif

/*
 * GCC recognises copy and fill loops and replaces them with calls to
 * memcpy/memset ("loop distribution"), which can turn the loops below into
 * calls to themselves. -ffreestanding does not prevent that, so the
 * three routines that contain such loops switch the transformation off
 * for themselves. (The same effect as building this file with
 * -fno-tree-loop-distribute-patterns, without depending on the Makefile.)
 */
#if defined(__clang__)
#define __no_loop_to_call __attribute__((no_builtin("memcpy", "memset")))
#else
#define __no_loop_to_call \
	__attribute__((optimize("no-tree-loop-distribute-patterns")))
#endif

/* The word used by the copy loops; may_alias makes the casts legal. */
typedef uint64_t __attribute__((may_alias)) word_t;
#define WORD_SIZE sizeof(word_t)

static inline bool both_word_aligned(const void *a, const void *b)
{
	return (((uintptr_t)a | (uintptr_t)b) & (WORD_SIZE - 1)) == 0;
}

static inline bool is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

#if !IS_ENABLED(LIB_ARCH_MEM)
/**
 * memcpy() - copy n bytes between non-overlapping buffers
 * Return: dst.
 */
__no_loop_to_call void *LIB_NAME(memcpy)(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (both_word_aligned(d, s)) {
		for (; n >= WORD_SIZE; n -= WORD_SIZE) {
			*(word_t *)d = *(const word_t *)s;
			d += WORD_SIZE;
			s += WORD_SIZE;
		}
	}
	while (n--)
		*d++ = *s++;
	return dst;
}
#endif /* !LIB_ARCH_MEM */

/**
 * memmove() - copy n bytes between buffers that may overlap
 *
 * Copies upwards when dst is below src and downwards otherwise, so every
 * byte is read before the copy overwrites it.
 *
 * Return: dst.
 */
__no_loop_to_call void *LIB_NAME(memmove)(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if ((uintptr_t)d <= (uintptr_t)s || (uintptr_t)d >= (uintptr_t)s + n)
		return LIB_NAME(memcpy)(dst, src, n);

	/* dst overlaps the tail of src: copy from the end. */
	d += n;
	s += n;
	if (both_word_aligned(d, s)) {
		for (; n >= WORD_SIZE; n -= WORD_SIZE) {
			d -= WORD_SIZE;
			s -= WORD_SIZE;
			*(word_t *)d = *(const word_t *)s;
		}
	}
	while (n--)
		*--d = *--s;
	return dst;
}

#if !IS_ENABLED(LIB_ARCH_MEM)
/**
 * memset() - fill n bytes with the byte value (unsigned char)c
 * Return: dst.
 */
__no_loop_to_call void *LIB_NAME(memset)(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	word_t pattern = (unsigned char)c * (word_t)0x0101010101010101ull;

	while (n && ((uintptr_t)d & (WORD_SIZE - 1))) {
		*d++ = (unsigned char)c;
		n--;
	}
	for (; n >= WORD_SIZE; n -= WORD_SIZE) {
		*(word_t *)d = pattern;
		d += WORD_SIZE;
	}
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}
#endif /* !LIB_ARCH_MEM */

/**
 * memcmp() - compare n bytes as unsigned char
 * Return: <0, 0 or >0 as a sorts before, equal to or after b.
 */
int LIB_NAME(memcmp)(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x - *y;
	}
	return 0;
}

/**
 * memchr() - find the first byte equal to (unsigned char)c in s[0..n)
 * Return: a pointer to it, or NULL.
 */
void *LIB_NAME(memchr)(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++) {
		if (*p == (unsigned char)c)
			return (void *)p;
	}
	return NULL;
}

size_t LIB_NAME(strlen)(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

/**
 * strnlen() - length of s, looking at no more than max bytes
 * Return: the length, or max if there is no NUL in the first max bytes.
 */
size_t LIB_NAME(strnlen)(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

/* Characters compare as unsigned char, as in the C library. */
int LIB_NAME(strcmp)(const char *a, const char *b)
{
	return LIB_NAME(strncmp)(a, b, SIZE_MAX);
}

int LIB_NAME(strncmp)(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		unsigned char x = *a, y = *b;

		if (x != y)
			return x - y;
		if (!x)
			break;
	}
	return 0;
}

/**
 * strchr() - find the first (char)c in s
 *
 * The terminating NUL is part of the string, so strchr(s, '\0') returns a
 * pointer to it.
 *
 * Return: a pointer to the character, or NULL.
 */
char *LIB_NAME(strchr)(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

/* Like strchr(), but finds the last occurrence. */
char *LIB_NAME(strrchr)(const char *s, int c)
{
	const char *found = NULL;

	for (;; s++) {
		if (*s == (char)c)
			found = s;
		if (!*s)
			return (char *)found;
	}
}

/**
 * strstr() - find the first occurrence of needle in haystack
 * Return: a pointer to it, haystack if needle is empty, or NULL.
 */
char *LIB_NAME(strstr)(const char *haystack, const char *needle)
{
	size_t len = LIB_NAME(strlen)(needle);

	for (; *haystack; haystack++) {
		if (!LIB_NAME(strncmp)(haystack, needle, len))
			return (char *)haystack;
	}
	return len ? NULL : (char *)haystack;
}

/* Length of the prefix of s made only of characters in accept. */
size_t LIB_NAME(strspn)(const char *s, const char *accept)
{
	size_t n = 0;

	while (s[n] && LIB_NAME(strchr)(accept, s[n]))
		n++;
	return n;
}

/* Length of the prefix of s made only of characters not in reject. */
size_t LIB_NAME(strcspn)(const char *s, const char *reject)
{
	size_t n = 0;

	while (s[n] && !LIB_NAME(strchr)(reject, s[n]))
		n++;
	return n;
}

char *LIB_NAME(strcpy)(char *dst, const char *src)
{
	char *d = dst;

	while ((*d++ = *src++))
		;
	return dst;
}

/**
 * strlcpy() - copy a string into a buffer of size bytes
 *
 * Copies at most size - 1 characters and always terminates dst unless size
 * is 0.
 *
 * Return: strlen(src); a value >= size means the copy was truncated.
 */
size_t LIB_NAME(strlcpy)(char *dst, const char *src, size_t size)
{
	size_t len = LIB_NAME(strlen)(src);

	if (size) {
		size_t n = len < size ? len : size - 1;

		LIB_NAME(memcpy)(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

/**
 * strlcat() - append src to the string in a buffer of size bytes
 *
 * BSD semantics: dst keeps at most size - 1 characters and stays
 * terminated. If dst holds no NUL within size bytes, nothing is written.
 *
 * Return: the length of the string it tried to create,
 * strnlen(dst, size) + strlen(src); a value >= size means truncation.
 */
size_t LIB_NAME(strlcat)(char *dst, const char *src, size_t size)
{
	size_t dlen = LIB_NAME(strnlen)(dst, size);
	size_t slen = LIB_NAME(strlen)(src);
	size_t n;

	if (dlen == size)
		return size + slen;
	n = slen < size - dlen ? slen : size - dlen - 1;
	LIB_NAME(memcpy)(dst + dlen, src, n);
	dst[dlen + n] = '\0';
	return dlen + slen;
}

/**
 * strsep() - split off the next token of *stringp
 * @stringp: the rest of the string; NULL once it is used up
 * @delim: the characters that end a token
 *
 * BSD semantics: the first delimiter is overwritten with NUL and *stringp
 * moves past it; without a delimiter *stringp becomes NULL. Adjacent
 * delimiters produce empty tokens.
 *
 * Return: the token (the old *stringp), or NULL if *stringp was NULL.
 */
char *LIB_NAME(strsep)(char **stringp, const char *delim)
{
	char *token = *stringp;
	char *end;

	if (!token)
		return NULL;
	end = token + LIB_NAME(strcspn)(token, delim);
	if (*end) {
		*end = '\0';
		*stringp = end + 1;
	} else {
		*stringp = NULL;
	}
	return token;
}

/**
 * skip_spaces() - skip leading white space (" \t\n\v\f\r")
 * Return: a pointer to the first other character of s.
 */
char *LIB_NAME(skip_spaces)(const char *s)
{
	while (is_space(*s))
		s++;
	return (char *)s;
}

/**
 * strim() - trim white space from both ends of s
 *
 * Trailing white space is cut off in place with a NUL; leading white space
 * stays in the buffer and is skipped by the returned pointer.
 *
 * Return: a pointer to the first non-space character of s.
 */
char *LIB_NAME(strim)(char *s)
{
	size_t len = LIB_NAME(strlen)(s);

	while (len && is_space(s[len - 1]))
		len--;
	s[len] = '\0';
	return LIB_NAME(skip_spaces)(s);
}

/* The escaped form of one byte (at most 4 characters) into out. */
static size_t escape_byte(unsigned char c, char out[4])
{
	static const char hex[] = "0123456789abcdef";

	if (c == '\\') {
		out[0] = out[1] = '\\';
		return 2;
	}
	if (c >= 0x20 && c < 0x7f) {
		out[0] = (char)c;
		return 1;
	}
	out[0] = '\\';
	out[1] = 'x';
	out[2] = hex[c >> 4];
	out[3] = hex[c & 15];
	return 4;
}

char *LIB_NAME(str_escape)(char *dst, size_t size, const char *src, size_t len)
{
	size_t n = 0;

	if (!size)
		return dst;
	for (size_t i = 0; i < len && src[i]; i++) {
		char e[4];
		size_t k = escape_byte((unsigned char)src[i], e);

		/* Keep room for "..." and the NUL when more may follow. */
		if (n + k + 4 > size && (i + 1 < len && src[i + 1])) {
			if (n + 4 <= size) {
				LIB_NAME(memcpy)(dst + n, "...", 3);
				n += 3;
			}
			break;
		}
		if (n + k + 1 > size)
			break;
		LIB_NAME(memcpy)(dst + n, e, k);
		n += k;
	}
	dst[n] = '\0';
	return dst;
}
