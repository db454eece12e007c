/* SPDX-License-Identifier: MIT */
/*
 * The kernel's own symbol table, generated from link 1 of the build
 * (scripts/gen-ksyms) and linked into the tail of the image.
 */
#ifndef KERNEL_SYMBOLS_H
#define KERNEL_SYMBOLS_H

#include <stddef.h>
#include <stdint.h>

struct ksyms_header {
	uint64_t count;
	uint64_t strings_offset; /* from the header */
};

struct ksym {
	uint64_t addr;
	uint32_t name; /* offset into the strings */
	uint32_t size;
};

/*
 * ksym_lookup() - the text symbol containing addr.
 * Returns its name and sets *offset, or NULL when addr is in no symbol.
 */
const char *ksym_lookup(uint64_t addr, uint64_t *offset);
/* ksym_format() - "name+0xoff" or "0xaddr" into buf; returns buf. */
char *ksym_format(uint64_t addr, char *buf, size_t size);
/* ksym_address() - address of a named text symbol, or 0. */
uint64_t ksym_address(const char *name);

#endif /* KERNEL_SYMBOLS_H */
