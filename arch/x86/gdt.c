// SPDX-License-Identifier: MIT
/*
 * The GDT and TSS of each CPU: kernel code and data segments and a 64-bit
 * TSS whose IST1 stack takes double faults, so a kernel stack overflow is
 * still reported instead of triple-faulting.
 */
#include <stdint.h>
#include <arch/gdt.h>
#include <arch/layout.h>
#include <arch/pv.h>
#include <kernel/percpu.h>
#include <lib/string.h>

static struct cpu_gdt cpu_gdts[NR_CPUS];

static void gdt_set_tss(struct cpu_gdt *g)
{
	uint64_t base = (uint64_t)&g->tss;
	uint64_t limit = sizeof(g->tss) - 1;

	/* A 16-byte system descriptor: type 9 (available 64-bit TSS). */
	g->entries[3] = (limit & 0xffff) | (base & 0xffffff) << 16 |
			(uint64_t)0x89 << 40 | ((limit >> 16) & 0xf) << 48 |
			((base >> 24) & 0xff) << 56;
	g->entries[4] = base >> 32;
}

struct cpu_gdt *gdt_of_cpu(unsigned int cpu)
{
	return &cpu_gdts[cpu];
}

void gdt_init_cpu(struct cpu_gdt *g)
{
	memset(g, 0, sizeof(*g));
	g->entries[1] = 0x00af9a000000ffff; /* 0x08: 64-bit code */
	g->entries[2] = 0x00cf92000000ffff; /* 0x10: data */
	g->tss.ist[0] = (uint64_t)(g->ist1_stack + sizeof(g->ist1_stack));
	g->tss.iomap_base = sizeof(g->tss);
	gdt_set_tss(g);

	pv_load_gdt(g->entries, sizeof(g->entries) - 1);
	asm volatile("pushq %0; leaq 1f(%%rip), %%rax; pushq %%rax; lretq; 1:"
		     :
		     : "i"(GDT_KERNEL_CS)
		     : "rax", "memory");
	asm volatile("mov %0, %%ds; mov %0, %%es; mov %0, %%ss"
		     :
		     : "r"(GDT_KERNEL_DS));
	pv_load_tr(GDT_TSS);
}
