/* SPDX-License-Identifier: MIT */
/*
 * Small helpers every part of relocgen uses: allocation that cannot return
 * NULL (relocgen is a build tool: running out of memory ends the run with
 * one line, like any other error), a growable array, and the error
 * reporter that prints "FILE: symbol+0xoff: what is wrong".
 */
#ifndef RELOCGEN_UTIL_H
#define RELOCGEN_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t count, size_t size);
char *xstrdup(const char *s);

/*
 * grow() makes room for one more element in a dynamic array described by a
 * pointer, a count and a capacity, doubling the capacity when it is full.
 */
#define grow(array, count, capacity)                                   \
	do {                                                           \
		if ((count) == (capacity)) {                           \
			(capacity) = (capacity) ? 2 * (capacity) : 16; \
			(array) = xrealloc((array), (capacity),        \
					   sizeof(*(array)));          \
		}                                                      \
	} while (0)

struct elf_file;

/*
 * print_escaped() - print like fprintf, with every byte of the result that
 * is not printable ASCII, and every backslash, escaped (\n, \t, \\,
 * \xNN): names read from an input file go through it, in messages and in
 * dumps alike. Newlines that end lines are written separately.
 */
void print_escaped(FILE *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void vprint_escaped(FILE *out, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* report() - print "PATH: message" on stderr, escaped, as one line. */
void report(const char *path, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * report_at() - print "PATH: symbol+0xoff: message" on stderr, naming the
 * address through the file's symbol table.
 */
void report_at(const struct elf_file *file, uint64_t address, const char *fmt,
	       ...) __attribute__((format(printf, 3, 4)));
void vreport_at(const struct elf_file *file, uint64_t address, const char *fmt,
		va_list ap) __attribute__((format(printf, 3, 0)));

/*
 * Site errors are printed up to REPORT_LIMIT; report_summary() prints how
 * many more there were, so a broken build does not print a million lines,
 * and starts the count again (a fuzzer runs many inputs in one process).
 */
#define REPORT_LIMIT 100
void report_summary(void);

/* "a directory", "a FIFO", "a character device"...: for st_mode. */
const char *file_type_name(mode_t mode);

/* The names of registers, shapes, deciders and predicates, for messages. */
const char *register_name(unsigned reg);
const char *shape_name(unsigned shape);
const char *decider_name(unsigned decider);

/* format_register_mask() - "rax,rcx" or "-" for an empty mask. */
void format_register_mask(char *buf, size_t size, unsigned mask);

#endif /* RELOCGEN_UTIL_H */
