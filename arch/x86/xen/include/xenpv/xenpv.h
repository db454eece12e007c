/* SPDX-License-Identifier: MIT */
/*
 * Functions and data private to the Xen PV environment (arch/x86/xen).
 */
#ifndef XENPV_XENPV_H
#define XENPV_XENPV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xenpv/abi.h>
#include <kernel/percpu.h>
#include <kernel/platform.h>

struct trap_frame;

/* What Xen handed over at entry (start.c). */
extern const start_info_t *xen_start_info;

/* console.c: the hypervisor console (CONSOLEIO_*). */
void xen_console_write(const char *s, size_t len);
int xen_console_getc(void);
bool xen_console_input_irq(void);
void xen_console_input_resume(void);

/* start.c: this vCPU's I/O privilege, the end of a run. */
void xen_iopl_init(void);
void __noreturn xen_exit(int status);
void __noreturn xen_reboot(void);

/* paging.c: the page tables through mmu_update (see there). */
void xen_paging_init(uint64_t built_end);
uint64_t xen_paging_tables_end(void);
uint64_t xen_paging_root_mfn(void);
uint64_t xen_pfn_to_mfn(uint64_t pfn);
void xen_shared_info_map(void);
struct shared_info *xen_shared_info(void);
/*
 * xen_this_vcpu() - the running vCPU's vcpu_info, which its struct percpu
 * points at (arch.hv_vcpu: set for vCPU 0 in xen_setup(), for the others
 * before they start) so that register thunks reach it in one load.
 */
static inline struct vcpu_info *xen_this_vcpu(void)
{
	return this_cpu()->arch.hv_vcpu;
}
uint64_t *xen_paging_lookup(uint64_t va, unsigned int *level);
int xen_module_map(uint64_t va, uint64_t phys);
int xen_module_protect(uint64_t va, size_t npages, bool write, bool exec);
int xen_module_unmap(uint64_t va, size_t npages);
uint64_t xen_module_text(uint64_t va);

/*
 * pv_mmu.c: the kernel's record of the page-table base (pseudo-physical),
 * which read_cr3 returns (thunks.S loads it too).
 */
extern uint64_t xen_cr3_base;
void xen_cr3_init(uint64_t base);

/* cpuid.c: cut the CPU's features down to Xen's view. */
void xen_cpuid_filter(void);

/* events.c: the callbacks, the ports of each vCPU, the idle's wait. */
void xen_events_init(void);
void xen_events_init_cpu(unsigned int cpu);
void xen_console_drain(void);
void xen_send_ipi(unsigned int cpu, enum ipi_kind kind);
void xen_rendezvous_kick(unsigned int cpu);
/* xen_block() - SCHEDOP_block until an event, the timer at the latest. */
void xen_block(void);
/* xen_pirq_bind() - a port for physical IRQ pirq, masked; 0 or rc. */
long xen_pirq_bind(uint32_t pirq, evtchn_port_t *port);

/* irqchip.c: device interrupts as events (acpi.irq=xen). */
void xen_pirq_dispatch(unsigned int word, xen_ulong_t bits,
		       struct trap_frame *f);

/* smp.c: starting and parking the other vCPUs. */
void xen_smp_init(void);
unsigned int xen_cpus_possible(void);
int xen_cpu_start(unsigned int cpu);
void __noreturn xen_cpu_park(void);

/* setup.c: traps, page tables and CPU identification under Xen. */
void xen_setup(struct boot_info *boot);
void xen_interrupts_init(const struct boot_info *boot);

/* descriptor_tables.c: the trap table, as a vCPU context's too. */
void xen_traps_init(void);
void xen_trap_context(struct trap_info ctxt[256]);

#endif /* XENPV_XENPV_H */
