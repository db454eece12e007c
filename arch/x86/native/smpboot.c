// SPDX-License-Identifier: MIT
/*
 * Starting and parking the other CPUs (APs) of the native environment.
 * smpboot_init() puts the real-mode trampoline (trampoline.S) on a page
 * below 1 MiB, once; arch_cpu_start() starts a CPU from reset with
 * INIT-SIPI-SIPI, after which it climbs to long mode, takes its own stack
 * and descriptor tables (ap_start_c) and joins the kernel in
 * smp_secondary_start(). A parked CPU waits with interrupts off for the
 * next INIT: bringing it back is a full restart, never an unpark.
 */
#include <stdint.h>
#include <native/apic.h>
#include <arch/cpu.h>
#include <arch/gdt.h>
#include <native/native.h>
#include <arch/paging.h>
#include <native/topology.h>
#include <arch/trap.h>
#include <kernel/mm.h>
#include <kernel/percpu.h>
#include <kernel/platform.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <lib/errno.h>
#include <lib/string.h>

#define AP_STACK_SIZE (16 * 1024)
#define TRAMPOLINE_PREFERRED 0x8000
#define LOW_MEMORY_END 0x9f000

extern const char trampoline_start[], trampoline_end[];
extern const char trampoline_cr0[], trampoline_cr3[], trampoline_cr4[];
extern const uint32_t trampoline_fixups[3];

/* Read by ap_start64 (trampoline.S); one CPU starts at a time. */
uint64_t ap_boot_stack;
unsigned int ap_boot_cpu;

static uint8_t ap_stacks[NR_CPUS][AP_STACK_SIZE] __aligned(16);
static uint64_t trampoline_phys;

unsigned int native_cpus_possible(void)
{
	return topology.nr_cpus;
}

/* A usable page of low memory, 0x8000 when the map allows. */
static uint64_t trampoline_page(const struct boot_info *boot)
{
	uint64_t best = 0;

	for (unsigned int i = 0; i < boot->memmap_entries; i++) {
		const struct memmap_entry *e = &boot->memmap[i];
		uint64_t start = ALIGN_UP(e->addr, PAGE_SIZE);
		uint64_t end = e->addr + e->size;

		if (e->type != MEMMAP_USABLE)
			continue;
		if (start <= TRAMPOLINE_PREFERRED &&
		    end >= TRAMPOLINE_PREFERRED + PAGE_SIZE)
			return TRAMPOLINE_PREFERRED;
		if (!best && start >= 0x1000 && start + PAGE_SIZE <= end &&
		    start + PAGE_SIZE <= LOW_MEMORY_END)
			best = start;
	}
	return best;
}

static void trampoline_put32(uint8_t *page, const char *field, uint32_t v)
{
	memcpy(page + (field - trampoline_start), &v, 4);
}

/* Boot CPU, once: must run before paging_map_trampoline() seals the page. */
void smpboot_init(const struct boot_info *boot)
{
	size_t size = (size_t)(trampoline_end - trampoline_start);
	uint8_t *page;

	trampoline_phys = trampoline_page(boot);
	if (!trampoline_phys || size > PAGE_SIZE) {
		pr_warn("smp: no low page for the trampoline: one CPU only\n");
		topology.nr_cpus = 1;
		return;
	}
	page = phys_to_virt(trampoline_phys);
	memcpy(page, trampoline_start, size);
	for (unsigned int i = 0; i < ARRAY_SIZE(trampoline_fixups); i++) {
		uint32_t v;

		memcpy(&v, page + trampoline_fixups[i], 4);
		v += (uint32_t)trampoline_phys;
		memcpy(page + trampoline_fixups[i], &v, 4);
	}
	trampoline_put32(page, trampoline_cr0, (uint32_t)read_cr0());
	trampoline_put32(page, trampoline_cr3, (uint32_t)read_cr3());
	trampoline_put32(page, trampoline_cr4, (uint32_t)read_cr4());
	paging_map_trampoline(trampoline_phys);
}

int native_cpu_start(unsigned int cpu)
{
	if (cpu == 0 || cpu >= topology.nr_cpus || !trampoline_phys)
		return -EINVAL;
	ap_boot_cpu = cpu;
	ap_boot_stack = (uint64_t)(ap_stacks[cpu] + AP_STACK_SIZE);
	return lapic_send_init_sipi(per_cpu(cpu)->hw_id,
				    (unsigned int)(trampoline_phys >> 12));
}

void ap_start_c(unsigned int cpu);

/* Per-CPU data first: every exception handler looks at it. */
void ap_start_c(unsigned int cpu)
{
	percpu_init_cpu(cpu);
	gdt_init_cpu(gdt_of_cpu(cpu));
	idt_load();
	lapic_init_cpu(false);
	smp_secondary_start();
}

void native_cpu_park(void)
{
	lapic_timer_stop();
	for (;;) {
		irq_disable();
		halt();
	}
}
