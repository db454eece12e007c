/* SPDX-License-Identifier: MIT */
/*
 * What the kernel knows about the CPU: vendor, model, feature bits
 * (numbered as in <relink/cpufeature.h>), TSC frequency.
 */
#ifndef KERNEL_CPU_H
#define KERNEL_CPU_H

#include <stdbool.h>
#include <stdint.h>
#include <relink/cpufeature.h>

struct cpu_info {
	char vendor[13];
	char model_name[49];
	unsigned int family, model, stepping;
	uint32_t words[CPU_FEATURE_WORDS];
	uint64_t tsc_khz;
	/* KVM runs this kernel in its instruction emulator (kvm-pvm), which
	 * cannot run POPCNT or deliver a kernel int3 (arch/x86/cpuid.c). */
	bool kvm_emulates;
	/* The CPUID 0x40000000 signature of the hypervisor below, or "". */
	char hypervisor[13];
};

extern struct cpu_info boot_cpu;

/*
 * cpu_hypervisor_name() - the hypervisor CPUID names ("kvm", "tcg",
 * "xen-hvm", "hyper-v", "vmware", "unknown"), or NULL on bare metal.
 */
const char *cpu_hypervisor_name(void);

/* cpu_has() - whether CPUID reported the feature (after clearcpuid=). */
bool cpu_has(unsigned int feature);
/* cpu_feature_name() - the name of a known feature number, or NULL. */
const char *cpu_feature_name(unsigned int feature);
/* cpu_feature_lookup() - the number of a feature name, or -1. */
int cpu_feature_lookup(const char *name);

/* Cycles since reset, and their conversion with the calibrated rate. */
uint64_t cycles_now(void);
uint64_t cycles_to_ns(uint64_t cycles);
void udelay(unsigned int us);

#endif /* KERNEL_CPU_H */
