// SPDX-License-Identifier: MIT
/*
 * The Xen environment's arch_setup and arch_interrupts_init: the boot
 * CPU's bring-up as a PV guest. Xen owns the GDT, the TSS and the IDT:
 * the guest keeps Xen's flat segments, runs on its own stack in ring 3,
 * and hands Xen a trap table instead of an IDT (descriptor_tables.c).
 */
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/paging.h>
#include <arch/percpu.h>
#include <arch/setup.h>
#include <arch/trap.h>
#include <kernel/cpu.h>
#include <kernel/irqflags.h>
#include <kernel/printk.h>
#include <xenpv/hypercall.h>
#include <xenpv/xenpv.h>

/*
 * The TSC rate from the vCPU's time info: Xen converts TSC cycles to
 * nanoseconds as ((tsc << shift) * mul) >> 32 (a negative shift shifts
 * right), so one millisecond is 10^6 * 2^32 / mul cycles before the shift.
 */
static void xen_tsc_init(void)
{
	const struct vcpu_time_info *t = &xen_shared_info()->vcpu_info[0].time;
	uint64_t khz = (1000000ull << 32) / t->tsc_to_system_mul;

	if (t->tsc_shift < 0)
		khz <<= -t->tsc_shift;
	else
		khz >>= t->tsc_shift;
	boot_cpu.tsc_khz = khz;
	pr_info("tsc: %llu.%03llu MHz (Xen vcpu_time_info)\n",
		(unsigned long long)khz / 1000, (unsigned long long)khz % 1000);
}

/* The domain's first free page: after the page tables the kernel made. */
static void xen_memmap_update(struct boot_info *boot)
{
	uint64_t end = boot->memmap[1].addr + boot->memmap[1].size;
	uint64_t free = xen_paging_tables_end();

	boot->memmap[0].size = free;
	boot->memmap[1].addr = free;
	boot->memmap[1].size = end - free;
}

void xen_setup(struct boot_info *boot)
{
	/* Per-CPU data before traps: the handlers look at it. */
	percpu_init_cpu(0);
	/* Traps next: everything after this reports its faults. */
	xen_traps_init();
	/* Needs the pages after what Xen built: the memmap's usable part. */
	xen_paging_init(boot->memmap[1].addr);
	xen_memmap_update(boot);
	xen_shared_info_map();
	this_cpu()->arch.hv_vcpu = &xen_shared_info()->vcpu_info[0];
	cpuid_identify();
	/* Before the engine decides anything from the features. */
	xen_cpuid_filter();
	xen_tsc_init();
}

/*
 * Events: the callbacks, the timer and console VIRQs, the other vCPUs'
 * ports, then events on (the pv interrupt operations are Xen's by now:
 * the engine ran).
 */
void xen_interrupts_init(const struct boot_info *boot __unused)
{
	xen_events_init();
	xen_smp_init();
	arch_irq_enable();
}
