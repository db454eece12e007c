/* SPDX-License-Identifier: MIT */
/*
 * Loadable modules (kernel/module/). A module is a relocatable ELF object
 * (ET_REL) built from modules/ with the kernel's flags; relocgen has
 * turned its site markers into R_RELINK_* relocations. It may call only
 * what the kernel exports with EXPORT_SYMBOL(), and defines
 *
 *	int init_module(void);		0, or -E* to refuse the load
 *	void cleanup_module(void);	optional, run by rmmod
 *
 * Every choice is exported by its definition (DEFINE_CHOICE), so a
 * module's sites resolve to the kernel's choices.
 */
#ifndef KERNEL_MODULE_H
#define KERNEL_MODULE_H

#include <stddef.h>
#include <stdint.h>
#include <lib/compiler.h>

/* One exported symbol: section ".ksymtab", between __ksymtab_start/end. */
struct kernel_symbol {
	uint64_t address;
	const char *name;
};

#define __EXPORT_SYMBOL(sym, sname)                                         \
	static const struct kernel_symbol __ksymtab_##sym __used __section( \
		".ksymtab") __aligned(8) = {                                \
		.address = (uint64_t)(uintptr_t) & (sym),                   \
		.name = (sname),                                            \
	}

/* EXPORT_SYMBOL(sym) - let modules link against sym (kernel code only). */
#define EXPORT_SYMBOL(sym) __EXPORT_SYMBOL(sym, #sym)

/* EXPORT_CHOICE(id) - let modules hold sites of choice id. */
#define EXPORT_CHOICE(id) EXPORT_SYMBOL(__choice_##id)

/*
 * module_load() - load module name from /lib/modules/NAME.ko, its sites
 * written for this machine; module_unload() - run its cleanup_module()
 * and free it. 0, or -E* with one line in why (160 bytes).
 */
int module_load(const char *name, char *why);
/* module_load_image() - the same from an object in memory (tests). */
int module_load_image(const char *name, const void *data, size_t size,
		      char *why);
int module_unload(const char *name, char *why);

/* module_symbolize() - "module:symbol+0xoff" of module text; -ENOENT. */
int module_symbolize(uint64_t address, char *buf, size_t size);

/* kernel_symbol_find() - the address of exported symbol name, or 0. */
uint64_t kernel_symbol_find(const char *name);

#endif /* KERNEL_MODULE_H */
