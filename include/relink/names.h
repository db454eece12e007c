/* SPDX-License-Identifier: MIT */
/*
 * The words people read for the numbers of format.h and cpufeature.h:
 * registers, shapes, deciders, predicates, hypervisors and CPU features,
 * and the one way a list of registers is written ("rax,rdx", or "-" for
 * none). The kernel (its debugfs files, its messages, clearcpuid=) and
 * relocgen (--dump, its messages) print only these, so the two always
 * print the same words. Freestanding: no libc beyond <stddef.h>.
 */
#ifndef RELINK_NAMES_H
#define RELINK_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include <relink/cpufeature.h>
#include <relink/format.h>

static const char *const relink_register_names[16] = {
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	"r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15",
};

static const char *const relink_shape_names[RELINK_SHAPE_MAX + 1] = {
	[RELINK_SHAPE_CALL] = "call",
	[RELINK_SHAPE_INLINE] = "inline",
	[RELINK_SHAPE_LOCK] = "lock",
	[RELINK_SHAPE_BRANCH] = "branch",
};

static const char *const relink_decider_names[RELINK_DECIDER_MAX + 1] = {
	[RELINK_DECIDER_DEFAULT] = "default",
	[RELINK_DECIDER_CPUID] = "cpuid",
	[RELINK_DECIDER_SMP] = "smp",
	[RELINK_DECIDER_HYPERVISOR] = "hypervisor",
	[RELINK_DECIDER_BOOT_OPTION] = "boot_option",
};

/* How --dump writes a predicate: "cpuid:popcnt", "hypervisor:xen-pv". */
static const char *const relink_pred_names[RELINK_PRED_MAX + 1] = {
	[RELINK_PRED_ALWAYS] = "always",
	[RELINK_PRED_CPUID] = "cpuid",
	[RELINK_PRED_NO_CPUID] = "!cpuid",
	[RELINK_PRED_SMP] = "smp",
	[RELINK_PRED_UP] = "up",
	[RELINK_PRED_HYPERVISOR] = "hypervisor",
	[RELINK_PRED_NOT_HYPERVISOR] = "!hypervisor",
};

static const char *const relink_hypervisor_names[] = {
	[RELINK_HV_NONE] = "none",
	[RELINK_HV_XEN_PV] = "xen-pv",
};

static const struct {
	const char *name;
	uint16_t number;
} relink_cpu_features[] = {
#define RELINK_CPU_FEATURE_ENTRY(name, word, bit) \
	{ #name, CPU_FEATURE(word, bit) },
	CPU_FEATURE_LIST(RELINK_CPU_FEATURE_ENTRY)
#undef RELINK_CPU_FEATURE_ENTRY
};

#define RELINK_NAMES_COUNT(a) (sizeof(a) / sizeof((a)[0]))

static inline const char *relink_register_name(unsigned int reg)
{
	return reg < 16 ? relink_register_names[reg] : "?";
}

static inline const char *relink_shape_name(unsigned int shape)
{
	return shape >= 1 && shape <= RELINK_SHAPE_MAX ?
		       relink_shape_names[shape] :
		       "?";
}

static inline const char *relink_decider_name(unsigned int decider)
{
	return decider <= RELINK_DECIDER_MAX ? relink_decider_names[decider] :
					       "?";
}

static inline const char *relink_pred_name(unsigned int pred)
{
	return pred <= RELINK_PRED_MAX ? relink_pred_names[pred] : "?";
}

/* The name of a hypervisor kind, or NULL for a number without one. */
static inline const char *relink_hypervisor_name(unsigned int kind)
{
	return kind < RELINK_NAMES_COUNT(relink_hypervisor_names) ?
		       relink_hypervisor_names[kind] :
		       NULL;
}

/* The name of a CPU feature number, or NULL for one the kernel does not
 * know by name. */
static inline const char *relink_cpu_feature_name(unsigned int feature)
{
	for (size_t i = 0; i < RELINK_NAMES_COUNT(relink_cpu_features); i++)
		if (relink_cpu_features[i].number == feature)
			return relink_cpu_features[i].name;
	return NULL;
}

/* The number of the CPU feature called name, or -1. */
static inline int relink_cpu_feature_lookup(const char *name)
{
	for (size_t i = 0; i < RELINK_NAMES_COUNT(relink_cpu_features); i++) {
		const char *a = relink_cpu_features[i].name, *b = name;

		while (*a && *a == *b)
			a++, b++;
		if (!*a && !*b)
			return relink_cpu_features[i].number;
	}
	return -1;
}

/* Appends s to buf (size bytes, kept terminated) at *used. */
static inline void relink_names_append(char *buf, size_t size, size_t *used,
				       const char *s)
{
	while (*s && *used + 1 < size)
		buf[(*used)++] = *s++;
	if (size)
		buf[*used < size ? *used : size - 1] = '\0';
}

/* "rax,rdi" for n register numbers in operand order, or "-" for none. */
static inline void relink_format_registers(char *buf, size_t size,
					   const uint8_t *regs, unsigned int n)
{
	size_t used = 0;

	relink_names_append(buf, size, &used, n ? "" : "-");
	for (unsigned int r = 0; r < n; r++) {
		if (r)
			relink_names_append(buf, size, &used, ",");
		relink_names_append(buf, size, &used,
				    relink_register_name(regs[r]));
	}
}

/* "rax,rcx" for a mask (bit n = register n), lowest first, or "-". */
static inline void relink_format_register_mask(char *buf, size_t size,
					       unsigned int mask)
{
	uint8_t regs[16];
	unsigned int n = 0;

	for (unsigned int r = 0; r < 16; r++)
		if (mask & (1u << r))
			regs[n++] = (uint8_t)r;
	relink_format_registers(buf, size, regs, n);
}

#endif /* RELINK_NAMES_H */
