// SPDX-License-Identifier: MIT
/*
 * arch_setup_native(): the native x86 bring-up of the boot CPU, in the
 * order it needs (the native environment's arch_setup).
 */
#include <arch/cpu.h>
#include <arch/environment.h>
#include <arch/gdt.h>
#include <arch/paging.h>
#include <arch/percpu.h>
#include <arch/setup.h>
#include <arch/trap.h>
#include <kernel/mm.h>
#include <kernel/platform.h>
#include <kernel/printk.h>

void arch_setup_native(struct boot_info *boot)
{
	/* Per-CPU data before traps: the handlers look at it. */
	percpu_init_cpu(0);
	/* Traps next: everything after this reports its faults. */
	gdt_init_cpu(gdt_of_cpu(0));
	trap_init();
	/* Drops the boot identity map: boot data must be copied by now. */
	paging_init(mm_max_phys(boot));
	cpuid_identify();
	tsc_calibrate();
}

void *phys_to_virt_kernel(uint64_t pa)
{
	return phys_to_virt(pa);
}

uint64_t virt_to_phys_kernel(const void *va)
{
	return virt_to_phys(va);
}

uint64_t direct_map_limit_kernel(void)
{
	return DIRECT_MAP_MAX;
}

void arch_sync_core(void)
{
	sync_core();
}
