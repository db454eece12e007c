/* SPDX-License-Identifier: MIT */
/*
 * Privileged x86 instructions as functions. Only arch/x86 uses these
 * directly; the rest of the kernel goes through the interfaces in
 * include/kernel/. The ones a hypervisor may replace are pv sites
 * (<arch/pv.h>): these wrappers only give them their usual names.
 */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <stdint.h>

#include <arch/pv.h>

#define MSR_EFER 0xc0000080
#define MSR_GS_BASE 0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102
#define EFER_NXE (1u << 11)
#define X86_EFLAGS_IF (1ul << 9)

static inline uint64_t read_cr0(void)
{
	uint64_t v;

	asm volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_cr2(void)
{
	return pv_read_cr2();
}

static inline uint64_t read_cr3(void)
{
	return pv_read_cr3();
}

static inline void write_cr3(uint64_t v)
{
	pv_write_cr3(v);
}

static inline uint64_t read_cr4(void)
{
	uint64_t v;

	asm volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void write_cr4(uint64_t v)
{
	asm volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

static inline void invlpg(const void *addr)
{
	pv_flush_tlb_single(addr);
}

static inline uint64_t rdmsr(uint32_t msr)
{
	return pv_read_msr(msr);
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	pv_write_msr(msr, v);
}

static inline void cpuid_count(uint32_t leaf, uint32_t sub, uint32_t *a,
			       uint32_t *b, uint32_t *c, uint32_t *d)
{
	uint32_t regs[4];

	pv_cpuid(leaf, sub, regs);
	*a = regs[0];
	*b = regs[1];
	*c = regs[2];
	*d = regs[3];
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static inline uint64_t save_flags(void)
{
	return pv_save_fl();
}

static inline void irq_disable(void)
{
	pv_irq_disable();
}

static inline void irq_enable(void)
{
	pv_irq_enable();
}

static inline void cpu_relax(void)
{
	asm volatile("pause" : : : "memory");
}

static inline void halt(void)
{
	pv_halt();
}

/*
 * Serialize the instruction stream (after code was modified): the site
 * pv.sync_core. It runs right after the engine's own writes, which may
 * have rewritten it: the new bytes are what runs, and each variant
 * serializes.
 */
static inline void sync_core(void)
{
	pv_sync_core();
}

#endif /* ARCH_CPU_H */
