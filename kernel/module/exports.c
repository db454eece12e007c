// SPDX-License-Identifier: MIT
/*
 * The symbols the kernel exports to modules: each EXPORT_SYMBOL() and
 * EXPORT_CHOICE() leaves a struct kernel_symbol in section ".ksymtab",
 * which scripts/kernel.ld gathers between __ksymtab_start and
 * __ksymtab_end. Only these resolve a module's undefined symbols. lib/
 * depends on nothing, so its exports are listed here.
 */
#include <kernel/module.h>
#include <lib/printf.h>
#include <lib/string.h>

extern const struct kernel_symbol __ksymtab_start[], __ksymtab_end[];

uint64_t kernel_symbol_find(const char *name)
{
	for (const struct kernel_symbol *s = __ksymtab_start; s < __ksymtab_end;
	     s++)
		if (!strcmp(s->name, name))
			return s->address;
	return 0;
}

EXPORT_SYMBOL(strcmp);
EXPORT_SYMBOL(strlen);
EXPORT_SYMBOL(snprintf);
