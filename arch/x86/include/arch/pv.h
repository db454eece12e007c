/* SPDX-License-Identifier: MIT */
/*
 * The paravirtualized operations: every privileged instruction that a
 * hypervisor may need to replace is one of these sites, of a choice
 * "pv.<op>" defined in arch/x86/pv.c. Nothing outside arch/x86 executes
 * these instructions itself; it calls these functions (or the wrappers in
 * <arch/cpu.h> and <arch/irqflags.h>).
 *
 * Hot operations are inline sites whose register operand the compiler
 * picked; the rest are plain C calls of the choice's call symbol. The
 * compiled code of every site is the native instruction (or a call of a
 * function that executes it), so code that runs before the engine (boot,
 * trap entry) is correct on bare metal.
 *
 * Sites are 5 bytes, room for the xen variant's call: of a thunk that
 * preserves every register (irq_disable, irq_enable, sync_core), or of the
 * thunk, in a table of one per register (arch/x86/xen/thunks.S), of the
 * register the compiler chose for the site's operand (save_fl,
 * restore_fl, read_cr2, read_cr3, write_cr3, flush_tlb_single). The
 * native variant pads with NOPs.
 */
#ifndef ARCH_PV_H
#define ARCH_PV_H

#include <stdint.h>

#include <relink/site.h>

static inline void pv_irq_disable(void)
{
	asm volatile(RELINK_INLINE(pv_irq_disable, 5, "cli", "", "")
		     :
		     :
		     : "memory");
}

static inline void pv_irq_enable(void)
{
	asm volatile(RELINK_INLINE(pv_irq_enable, 5, "sti", "", "")
		     :
		     :
		     : "memory");
}

static inline unsigned long pv_save_fl(void)
{
	unsigned long fl;

	asm volatile(RELINK_INLINE(pv_save_fl, 5, "pushf; pop %0", "%0", "")
		     : "=r"(fl)
		     :
		     : "memory");
	return fl;
}

static inline void pv_restore_fl(unsigned long fl)
{
	asm volatile(RELINK_INLINE(pv_restore_fl, 5, "push %0; popf", "%0", "")
		     :
		     : "r"(fl)
		     : "memory", "cc");
}

static inline uint64_t pv_read_cr2(void)
{
	uint64_t v;

	asm volatile(RELINK_INLINE(pv_read_cr2, 5, "mov %%cr2, %0", "%0", "")
		     : "=r"(v)
		     :
		     : "memory");
	return v;
}

static inline uint64_t pv_read_cr3(void)
{
	uint64_t v;

	asm volatile(RELINK_INLINE(pv_read_cr3, 5, "mov %%cr3, %0", "%0", "")
		     : "=r"(v)
		     :
		     : "memory");
	return v;
}

static inline void pv_write_cr3(uint64_t v)
{
	asm volatile(RELINK_INLINE(pv_write_cr3, 5, "mov %0, %%cr3", "%0", "")
		     :
		     : "r"(v)
		     : "memory");
}

/* cpuid (leaf 0) as a serializing instruction: all four registers go. */
static inline void pv_sync_core(void)
{
	uint32_t a = 0, b, c = 0, d;

	asm volatile(RELINK_INLINE(pv_sync_core, 5, "cpuid", "", "")
		     : "+a"(a), "=b"(b), "+c"(c), "=d"(d)
		     :
		     : "memory");
}

static inline void pv_flush_tlb_single(const void *addr)
{
	asm volatile(
		RELINK_INLINE(pv_flush_tlb_single, 5, "invlpg (%0)", "%0", "")
		:
		: "r"(addr)
		: "memory");
}

/*
 * The call symbols of the call-shaped operations. Unpatched, each call
 * runs the function's own (native) body; the engine rewrites each call to
 * the native instruction when it fits in the 5 bytes of the call, else to
 * a direct call of the native function.
 */
/* pv_cpuid() - CPUID leaf, subleaf into regs[0..3] = eax, ebx, ecx, edx. */
void pv_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t regs[4]);
uint64_t pv_read_msr(uint32_t msr);
void pv_write_msr(uint32_t msr, uint64_t value);
/* pv_io_delay() - wait about a microsecond between slow port accesses. */
void pv_io_delay(void);
void pv_wbinvd(void);
/* pv_safe_halt() - sti; hlt: sleep with interrupts on until one arrives. */
void pv_safe_halt(void);
/* pv_halt() - hlt with the interrupt flag as it is. */
void pv_halt(void);
/* pv_load_gdt(), pv_load_idt() - the table at base, limit = bytes - 1. */
void pv_load_gdt(const void *base, uint16_t limit);
void pv_load_idt(const void *base, uint16_t limit);
/* pv_load_tr() - the task register: the TSS descriptor at selector. */
void pv_load_tr(uint16_t selector);
/*
 * pv_set_pte() - *pte = value, one page-table entry of any level: pte is
 * the kernel's mapping of the entry (read-only under Xen PV), value holds
 * a physical frame (pseudo-physical under Xen, which makes it a machine
 * frame on the way).
 */
void pv_set_pte(uint64_t *pte, uint64_t value);
/*
 * pv_rendezvous_wait() - sleep, interrupts off, until a rendezvous kick
 * (arch_rendezvous_kick) or spuriously: stop_machine's wait.
 */
void pv_rendezvous_wait(void);

/*
 * The native implementations the call variants call, for arch/x86 code
 * and tests that must compare a pv operation with the instruction itself.
 */
void native_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t regs[4]);
uint64_t native_read_msr(uint32_t msr);
void native_write_msr(uint32_t msr, uint64_t value);
void native_rendezvous_wait(void);

/* The Xen PV implementations the xen call variants call (arch/x86/xen). */
void xen_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t regs[4]);
uint64_t xen_read_msr(uint32_t msr);
void xen_write_msr(uint32_t msr, uint64_t value);
void xen_wbinvd(void);
void xen_safe_halt(void);
void xen_halt(void);
void xen_set_pte(uint64_t *pte, uint64_t value);
void xen_load_gdt(const void *base, uint16_t limit);
void xen_load_idt(const void *base, uint16_t limit);
void xen_load_tr(uint16_t selector);
void xen_rendezvous_wait(void);
/* Keeps every register but the flags, as the irq-flag thunks below. */
void xen_sync_core(void);
/*
 * The xen variants of the inline interrupt-flag sites: irq_disable and
 * irq_enable change no register but the flags; restore_fl takes its word
 * in rdi, keeping every other register (arch/x86/xen/irqflags.c).
 */
void xen_irq_disable(void);
void xen_irq_enable(void);
void xen_restore_fl_rdi(unsigned long flags);
/*
 * Those of the control-register and TLB sites (arch/x86/xen/pv_mmu.c),
 * with the same contract: the writes take rdi.
 */
void xen_write_cr3_rdi(uint64_t base);
void xen_flush_tlb_single_rdi(uint64_t va);
/*
 * The register thunk tables the sites with a register operand call
 * (arch/x86/xen/thunks.S): each thunk reads into its register (save_fl,
 * read_cr2, read_cr3) or hands its register to the function above as
 * rdi, keeping every other one.
 */
extern const char xen_save_fl_thunks[], xen_restore_fl_thunks[];
extern const char xen_read_cr2_thunks[], xen_read_cr3_thunks[];
extern const char xen_write_cr3_thunks[], xen_flush_tlb_single_thunks[];

/*
 * A reading table's first thunk, rax's, is a C function as well: it
 * returns in rax and keeps every other register. C callers and an ops
 * table call it, so each read is written once, in thunks.S.
 */
#define XEN_RAX_THUNK(table) ((uint64_t(*)(void))(uintptr_t)(table))

#endif /* ARCH_PV_H */
