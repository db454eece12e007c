// SPDX-License-Identifier: MIT
/*
 * Allocation helpers, the error reporter and the names relocgen prints for
 * registers, shapes and deciders. The names are the ones the kernel's
 * debugfs files print: keep the two in step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

void report(const char *path, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
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
	fprintf(stderr, "%s: %s: ", file->path, where);
	vfprintf(stderr, fmt, ap);
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
}

/* The same names the kernel's debugfs prints (include/relink/names.h). */
const char *register_name(unsigned reg)
{
	return relink_register_name(reg);
}

const char *shape_name(unsigned shape)
{
	switch (shape) {
	case RELINK_SHAPE_CALL:
		return "call";
	case RELINK_SHAPE_INLINE:
		return "inline";
	case RELINK_SHAPE_LOCK:
		return "lock";
	case RELINK_SHAPE_BRANCH:
		return "branch";
	}
	return "?";
}

const char *decider_name(unsigned decider)
{
	switch (decider) {
	case RELINK_DECIDER_DEFAULT:
		return "default";
	case RELINK_DECIDER_CPUID:
		return "cpuid";
	case RELINK_DECIDER_SMP:
		return "smp";
	case RELINK_DECIDER_HYPERVISOR:
		return "hypervisor";
	case RELINK_DECIDER_BOOT_OPTION:
		return "boot_option";
	}
	return "?";
}

void format_register_mask(char *buf, size_t size, unsigned mask)
{
	size_t used = 0;
	unsigned reg;

	buf[0] = '\0';
	for (reg = 0; reg < 16; reg++) {
		if (!(mask & (1u << reg)))
			continue;
		used += snprintf(buf + used, used < size ? size - used : 0,
				 "%s%s", used ? "," : "", register_name(reg));
	}
	if (!used)
		snprintf(buf, size, "-");
}
