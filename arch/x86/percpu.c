// SPDX-License-Identifier: MIT
/*
 * Per-CPU data on x86: each CPU's GS base points at its struct percpu.
 * The boot CPU sets it first thing in arch_setup(), every other CPU first
 * thing after it reaches long mode, so this_cpu() works in every handler.
 */
#include <arch/cpu.h>
#include <arch/percpu.h>
#include <kernel/percpu.h>

_Static_assert(__builtin_offsetof(struct percpu, self) == 0,
	       "arch_this_cpu() loads %gs:0");
_Static_assert(__builtin_offsetof(struct percpu, cpu) == 8,
	       "arch_smp_processor_id() loads %gs:8");
_Static_assert(__builtin_offsetof(struct percpu, arch.hv_vcpu) ==
		       PERCPU_HV_VCPU_OFFSET,
	       "register thunks load %gs:PERCPU_HV_VCPU_OFFSET");

void percpu_init_cpu(unsigned int cpu)
{
	struct percpu *p = per_cpu(cpu);

	p->self = p;
	p->cpu = cpu;
	p->arch.fault_recovery = NULL;
	wrmsr(MSR_GS_BASE, (uint64_t)p);
}
