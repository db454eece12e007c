/* SPDX-License-Identifier: MIT */
/*
 * The interface between the environment-independent kernel and the
 * environment it booted in (arch/x86/native today, arch/x86/xen later).
 * The entry code fills a struct boot_info and calls kernel_main(); the
 * kernel reaches the environment only through the functions below.
 */
#ifndef KERNEL_PLATFORM_H
#define KERNEL_PLATFORM_H

#include <stddef.h>
#include <stdint.h>
#include <lib/compiler.h>

#define BOOT_MEMMAP_MAX 64
#define BOOT_CMDLINE_MAX 1024

enum memmap_type {
	MEMMAP_USABLE = 1,
	MEMMAP_RESERVED = 2,
	MEMMAP_ACPI = 3,
	MEMMAP_NVS = 4,
	MEMMAP_UNUSABLE = 5,
};

struct memmap_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
};

struct boot_info {
	const char *environment; /* "native (PVH)" */
	char cmdline[BOOT_CMDLINE_MAX];
	struct memmap_entry memmap[BOOT_MEMMAP_MAX];
	unsigned int memmap_entries;
	uint64_t rsdp_phys;
};

/* Exit statuses the kernel reports to whoever runs it. */
enum kernel_status {
	STATUS_OK = 0,
	STATUS_TESTS_FAILED = 1,
	STATUS_PANIC = 2,
	STATUS_EXCEPTION = 3,
};

/* The environment-independent kernel's entry point. */
void __noreturn kernel_main(struct boot_info *boot);

/* Write bytes to the console (serial); callable in any context. */
void arch_console_write(const char *s, size_t len);
/* Next received console byte, or -1 when none is waiting. */
int arch_console_getc(void);
/* Stop the machine, reporting status (0 = success) to the host. */
void __noreturn arch_exit(int status);
/* Reset the machine. */
void __noreturn arch_reboot(void);
/* Bring up traps, paging and CPU identification (boot CPU, once). */
void arch_setup(struct boot_info *boot);

#endif /* KERNEL_PLATFORM_H */
