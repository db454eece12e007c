/* SPDX-License-Identifier: MIT */
/*
 * One kernel image, several environments (native, Xen PV): each one's
 * entry code selects its struct arch_environment before it prints
 * anything, and the platform functions of <kernel/platform.h> that differ
 * between environments call through it (environment.c). The native one is
 * selected from the start, so the native entry needs to do nothing.
 */
#ifndef ARCH_ENVIRONMENT_H
#define ARCH_ENVIRONMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <kernel/platform.h>

/* Each member implements the <kernel/platform.h> function of its name. */
struct arch_environment {
	const char *name;
	void (*console_write)(const char *s, size_t len);
	int (*console_getc)(void);
	bool (*console_input_irq)(void);
	void (*console_input_resume)(void);
	void __noreturn (*exit)(int status);
	void __noreturn (*reboot)(void);
	void (*setup)(struct boot_info *boot);
	void (*interrupts_init)(const struct boot_info *boot);
	unsigned int (*cpus_possible)(void);
	int (*cpu_start)(unsigned int cpu);
	void __noreturn (*cpu_park)(void);
	void (*send_ipi)(unsigned int cpu, enum ipi_kind kind);
	void (*rendezvous_kick)(unsigned int cpu);
	/*
	 * Page-table lookups (<arch/paging.h>): reading differs (Xen's
	 * entries hold machine frames); writing is the pv.set_pte site.
	 */
	uint64_t *(*paging_lookup)(uint64_t va, unsigned int *level);
	/* The module area's pages (<arch/paging.h>). */
	int (*module_map)(uint64_t va, uint64_t phys);
	int (*module_protect)(uint64_t va, size_t npages, bool write,
			      bool exec);
	int (*module_unmap)(uint64_t va, size_t npages);
	uint64_t (*module_text)(uint64_t va);
};

extern const struct arch_environment native_environment;
extern const struct arch_environment xen_pv_environment;

/* environment_select() - the entry's first call: env runs from now on. */
void environment_select(const struct arch_environment *env);

/* The x86 bring-up that every environment shares (setup.c). */
void arch_setup_native(struct boot_info *boot);

#endif /* ARCH_ENVIRONMENT_H */
