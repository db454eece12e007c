/* SPDX-License-Identifier: MIT */
/*
 * The interface between the environment-independent kernel and the
 * environment it booted in (arch/x86/native today, arch/x86/xen later).
 * The entry code fills a struct boot_info and calls kernel_main(); the
 * kernel reaches the environment only through the functions below.
 */
#ifndef KERNEL_PLATFORM_H
#define KERNEL_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <lib/compiler.h>
#include <kernel/status.h>

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
	/* enum relink_hypervisor: the one the entry found and drives. */
	unsigned int hypervisor;
	char cmdline[BOOT_CMDLINE_MAX];
	size_t cmdline_len; /* as given: more than the buffer holds when cut */
	struct memmap_entry memmap[BOOT_MEMMAP_MAX];
	unsigned int memmap_entries;
	uint64_t rsdp_phys;
	/* The initial ramdisk the loader gave (a cpio archive); size 0: none. */
	uint64_t initrd_phys;
	uint64_t initrd_size;
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

/*
 * Interrupts and CPUs. Find the CPUs and interrupt controllers, start the
 * boot CPU's timer and enable interrupts (boot CPU, once, after the
 * command line was applied).
 */
void arch_interrupts_init(const struct boot_info *boot);
/* Deliver console input to console_input() by interrupt; false: poll. */
bool arch_console_input_irq(void);
/* Take console input again after console_input_room() said no. */
void arch_console_input_resume(void);
/* How many CPUs the machine offers, the boot CPU included (<= NR_CPUS). */
unsigned int arch_cpus_possible(void);
/* Start CPU cpu from reset; it enters smp_secondary_start(). 0 or -E*. */
int arch_cpu_start(unsigned int cpu);
/* Stop this CPU, interrupts off, until arch_cpu_start() restarts it. */
void __noreturn arch_cpu_park(void);

enum ipi_kind {
	IPI_CALL, /* run smp_call_interrupt() on the target */
	IPI_WAKE, /* only end the target's idle */
};
/* Interrupt CPU cpu (online, not the caller). */
void arch_send_ipi(unsigned int cpu, enum ipi_kind kind);

/*
 * Wait for an interrupt, the idle= way (halt, poll or mwait). Called with
 * interrupts off after the caller found nothing to do; interrupts are on
 * while it waits (so the wake-up is never lost) and off when it returns.
 */
void arch_idle(void);
/*
 * Rendezvous waits, interrupts off: arch_rendezvous_wait() sleeps until
 * arch_rendezvous_kick() targets this CPU (or returns early, spuriously);
 * a kick sent before the wait is not lost. The caller re-checks its
 * condition in a loop.
 */
void arch_rendezvous_wait(void);
void arch_rendezvous_kick(unsigned int cpu);
/* Serialize this CPU's instruction stream (after text changed). */
void arch_sync_core(void);

#endif /* KERNEL_PLATFORM_H */
