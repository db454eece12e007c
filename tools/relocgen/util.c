// SPDX-License-Identifier: MIT
/*
 * Allocation helpers, the error reporter, and short spellings of the
 * names of <relink/names.h> (registers, shapes, deciders), the one list
 * the kernel's debugfs files print too.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <relink/format.h>
#include <relink/names.h>

#include "elf.h"
#include "util.h"

static void out_of_memory(void)
{
	fprintf(stderr, "relocgen: out of memory\n");
	exit(1);
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		out_of_memory();
	return p;
}

void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);

	if (!p)
		out_of_memory();
	return p;
}

void *xrealloc(void *ptr, size_t count, size_t size)
{
	size_t bytes;
	void *p;

	if (size && count > SIZE_MAX / size)
		out_of_memory();
	bytes = count * size;
	p = realloc(ptr, bytes ? bytes : 1);
	if (!p)
		out_of_memory();
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		out_of_memory();
	return p;
}

/*
 * Bytes from an input file (symbol, section, choice and variant names) must
 * not reach a terminal raw: an escape sequence would act on it and a
 * newline would split one error line in two. Every message and every dump
 * line passes through here, so a name is escaped wherever it is printed.
 */
static bool is_plain(unsigned char c)
{
	return c >= 0x20 && c <= 0x7e && c != '\\';
}

static void put_escaped(FILE *out, const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t plain;

	while (*p) {
		for (plain = 0; is_plain(p[plain]); plain++)
			;
		fwrite(p, 1, plain, out);
		p += plain;
		if (!*p)
			break;
		if (*p == '\\')
			fputs("\\\\", out);
		else if (*p == '\n')
			fputs("\\n", out);
		else if (*p == '\t')
			fputs("\\t", out);
		else
			fprintf(out, "\\x%02x", *p);
		p++;
	}
}

void vprint_escaped(FILE *out, const char *fmt, va_list ap)
{
	char small[512], *text = small;
	va_list copy;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(small, sizeof(small), fmt, copy);
	va_end(copy);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(small)) {
		text = xmalloc((size_t)n + 1);
		vsnprintf(text, (size_t)n + 1, fmt, ap);
	}
	put_escaped(out, text);
	if (text != small)
		free(text);
}

void print_escaped(FILE *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint_escaped(out, fmt, ap);
	va_end(ap);
}

void report(const char *path, const char *fmt, ...)
{
	va_list ap;

	print_escaped(stderr, "%s: ", path);
	va_start(ap, fmt);
	vprint_escaped(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static unsigned long reported_at, suppressed_at;

void vreport_at(const struct elf_file *file, uint64_t address, const char *fmt,
		va_list ap)
{
	char where[256];

	if (reported_at >= REPORT_LIMIT) {
		suppressed_at++;
		return;
	}
	reported_at++;
	elf_file_symbolize(file, address, where, sizeof(where));
	print_escaped(stderr, "%s: %s: ", file->path, where);
	vprint_escaped(stderr, fmt, ap);
	fputc('\n', stderr);
}

void report_at(const struct elf_file *file, uint64_t address, const char *fmt,
	       ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport_at(file, address, fmt, ap);
	va_end(ap);
}

void report_summary(void)
{
	if (suppressed_at)
		fprintf(stderr, "relocgen: %lu more errors not shown\n",
			suppressed_at);
	reported_at = 0;
	suppressed_at = 0;
}

const char *file_type_name(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISLNK(mode))
		return "a symbolic link";
	return S_ISREG(mode) ? "a regular file" : "not a regular file";
}

/* Every name is <relink/names.h>'s: the words the kernel prints. */
const char *register_name(unsigned reg)
{
	return relink_register_name(reg);
}

const char *shape_name(unsigned shape)
{
	return relink_shape_name(shape);
}

const char *decider_name(unsigned decider)
{
	return relink_decider_name(decider);
}

void format_register_mask(char *buf, size_t size, unsigned mask)
{
	relink_format_register_mask(buf, size, mask);
}
