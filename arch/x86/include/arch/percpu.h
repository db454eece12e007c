/* SPDX-License-Identifier: MIT */
/*
 * The x86 half of per-CPU data: GS base holds the address of the CPU's
 * struct percpu (<kernel/percpu.h>), whose first field points to itself
 * and whose second is the CPU number, so both are one %gs-relative load.
 */
#ifndef ARCH_PERCPU_H
#define ARCH_PERCPU_H

/* Where struct percpu's arch.hv_vcpu is, for assembly (%gs:16). */
#define PERCPU_HV_VCPU_OFFSET 16

#ifndef __ASSEMBLER__
#include <stdint.h>

struct percpu;

/* The x86 fields of struct percpu. */
struct arch_percpu {
	/*
	 * A hypervisor's data for this vCPU (Xen PV: its struct vcpu_info
	 * in the shared info page), NULL natively: first, at a fixed place
	 * for the %gs-relative loads of register thunks.
	 */
	void *hv_vcpu;
	void *fault_recovery; /* traps.c: set by fault_catch() */
	struct cpu_gdt *gdt; /* gdt.c: this CPU's GDT and TSS */
	uint64_t irq_count[256]; /* traps.c: interrupts by vector */
	uint8_t kicked; /* rendezvous.c: an NMI came */
};

static inline struct percpu *arch_this_cpu(void)
{
	struct percpu *p;

	asm volatile("mov %%gs:0, %0" : "=r"(p));
	return p;
}

static inline unsigned int arch_smp_processor_id(void)
{
	unsigned int cpu;

	asm volatile("movl %%gs:8, %0" : "=r"(cpu));
	return cpu;
}

/* percpu_init_cpu() - point this CPU's GS base at the data of CPU cpu. */
void percpu_init_cpu(unsigned int cpu);

#endif /* __ASSEMBLER__ */
#endif /* ARCH_PERCPU_H */
