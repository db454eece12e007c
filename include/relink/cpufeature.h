/* SPDX-License-Identifier: MIT */
/*
 * CPU feature numbers: word * 32 + bit, where each word is one CPUID
 * register. Shared by the kernel (arch/x86/cpuid.c fills the words) and by
 * relocgen (to print predicates by name). Linux uses the same scheme.
 */
#ifndef RELINK_CPUFEATURE_H
#define RELINK_CPUFEATURE_H

#ifndef __ASSEMBLY__
enum cpu_feature_word {
	CPUID_1_EDX = 0,
	CPUID_1_ECX = 1,
	CPUID_7_0_EBX = 2,
	CPUID_7_0_EDX = 3,
	CPUID_80000001_EDX = 4,
	CPUID_80000001_ECX = 5,
	CPUID_7_0_ECX = 6,
	CPU_FEATURE_WORDS = 7,
};
#endif

/* The CPUID leaf behind each word that the PVH entry reads (EDX words). */
#define CPU_FEATURE_LEAF_CPUID_1_EDX 0x1
#define CPU_FEATURE_LEAF_CPUID_80000001_EDX 0x80000001

#define CPU_FEATURE(word, bit) ((word)*32 + (bit))

/* X(name, word, bit): the features the kernel knows by name. */
#define CPU_FEATURE_LIST(X)                \
	X(fpu, CPUID_1_EDX, 0)             \
	X(tsc, CPUID_1_EDX, 4)             \
	X(msr, CPUID_1_EDX, 5)             \
	X(pae, CPUID_1_EDX, 6)             \
	X(apic, CPUID_1_EDX, 9)            \
	X(pge, CPUID_1_EDX, 13)            \
	X(cmov, CPUID_1_EDX, 15)           \
	X(clflush, CPUID_1_EDX, 19)        \
	X(sse, CPUID_1_EDX, 25)            \
	X(sse2, CPUID_1_EDX, 26)           \
	X(sse3, CPUID_1_ECX, 0)            \
	X(monitor, CPUID_1_ECX, 3)         \
	X(x2apic, CPUID_1_ECX, 21)         \
	X(popcnt, CPUID_1_ECX, 23)         \
	X(tsc_deadline, CPUID_1_ECX, 24)   \
	X(xsave, CPUID_1_ECX, 26)          \
	X(hypervisor, CPUID_1_ECX, 31)     \
	X(fsgsbase, CPUID_7_0_EBX, 0)      \
	X(bmi1, CPUID_7_0_EBX, 3)          \
	X(smep, CPUID_7_0_EBX, 7)          \
	X(erms, CPUID_7_0_EBX, 9)          \
	X(invpcid, CPUID_7_0_EBX, 10)      \
	X(smap, CPUID_7_0_EBX, 20)         \
	X(clflushopt, CPUID_7_0_EBX, 23)   \
	X(umip, CPUID_7_0_ECX, 2)          \
	X(fsrm, CPUID_7_0_EDX, 4)          \
	X(nx, CPUID_80000001_EDX, 20)      \
	X(pdpe1gb, CPUID_80000001_EDX, 26) \
	X(rdtscp, CPUID_80000001_EDX, 27)  \
	X(lm, CPUID_80000001_EDX, 29)      \
	X(lahf_lm, CPUID_80000001_ECX, 0)  \
	X(abm, CPUID_80000001_ECX, 5)

/*
 * X(name, word, bit): the features no part of the kernel can run without,
 * checked by the 32-bit PVH entry before it uses the first of them
 * (arch/x86/native/pvh_check.S). Long mode, NX and PAE: the page tables;
 * MSR: EFER; TSC: all timekeeping; CMOV and SSE2 (lfence): the compiled
 * code. All are EDX bits of the leaves named by CPU_FEATURE_LEAF_*; each
 * must match the list above (asserted below).
 */
#define CPU_FEATURE_REQUIRED_LIST(X)  \
	X(lm, CPUID_80000001_EDX, 29) \
	X(nx, CPUID_80000001_EDX, 20) \
	X(pae, CPUID_1_EDX, 6)        \
	X(msr, CPUID_1_EDX, 5)        \
	X(tsc, CPUID_1_EDX, 4)        \
	X(cmov, CPUID_1_EDX, 15)      \
	X(sse2, CPUID_1_EDX, 26)

#ifndef __ASSEMBLY__
enum cpu_feature {
#define CPU_FEATURE_ENUM(name, word, bit) \
	X86_FEATURE_##name = CPU_FEATURE(word, bit),
	CPU_FEATURE_LIST(CPU_FEATURE_ENUM)
#undef CPU_FEATURE_ENUM
};

/* Each required feature is the feature of the same name in the list. */
#define CPU_FEATURE_REQUIRED_SAME(name, word, bit)                   \
	_Static_assert(CPU_FEATURE(word, bit) == X86_FEATURE_##name, \
		       "required feature " #name " differs from the list");
CPU_FEATURE_REQUIRED_LIST(CPU_FEATURE_REQUIRED_SAME)
#undef CPU_FEATURE_REQUIRED_SAME
#endif

#endif /* RELINK_CPUFEATURE_H */
