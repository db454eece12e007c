// SPDX-License-Identifier: MIT
/*
 * The paravirtualized operations' choices, "pv.<op>", and the native
 * implementations behind their call sites (the sites are in
 * <arch/pv.h>). Every choice has two variants, best first: xen, the Xen
 * PV implementation (arch/x86/xen), and native, the instruction itself,
 * the default (the code as compiled):
 *
 *	DEFINE_PV_CALL_CHOICE(cpuid, RELINK_CALLS(xen_cpuid),
 *			      RELINK_CALLS(native_cpuid));
 *
 * xen needs Xen PV and native needs anything else: deciding by
 * hypervisor picks xen on Xen PV and native everywhere else, and neither
 * can be asked for in the other world. Under Xen the inline sites call
 * thunks that keep every register (RELINK_CALLS_PRESERVING), or, where
 * the site has a register operand, the thunk of the register the
 * compiler chose there (RELINK_CALLS_THUNK_RETURNING, _TAKING).
 */
#include <arch/pv.h>
#include <lib/compiler.h>
#include <relink/choice.h>
#include <relink/platform.h>
#include <kernel/module.h>

/* The two variants of every pv choice, given their templates. */
#define __PV_XEN(...)                                                   \
	RELINK_VARIANT("xen", RELINK_WHEN_HYPERVISOR(RELINK_HV_XEN_PV), \
		       __VA_ARGS__)
#define __PV_NATIVE(...)                                                       \
	RELINK_VARIANT("native", RELINK_WHEN_NOT_HYPERVISOR(RELINK_HV_XEN_PV), \
		       __VA_ARGS__)

/* DEFINE_PV_CHOICE(op, xen, native) - "pv.op", of inline sites. */
#define DEFINE_PV_CHOICE(op, xen_template, native_template)             \
	DEFINE_CHOICE(pv_##op, "pv." #op, RELINK_DECIDER_HYPERVISOR, 1, \
		      __PV_XEN(xen_template), __PV_NATIVE(native_template))

/* DEFINE_PV_CALL_CHOICE(op, xen, native) - "pv.op", calls of pv_op(). */
#define DEFINE_PV_CALL_CHOICE(op, xen_template, native_template) \
	DEFINE_CALL_CHOICE(pv_##op, "pv." #op, pv_##op,          \
			   RELINK_DECIDER_HYPERVISOR, 1,         \
			   __PV_XEN(xen_template),               \
			   __PV_NATIVE(native_template))

/*
 * The native bodies behind call sites: natively the code as compiled (or
 * what the engine rewrote a call into), under Xen never run, since the
 * engine rewrites every call to a Xen variant. They hold the privileged
 * instructions, so they live with the native-only code (.text.native).
 */
#define __pv_native_body __relink_call_symbol __native_only

/* Inline sites: the template must encode to exactly the compiled code. */
DEFINE_PV_CHOICE(irq_disable, RELINK_CALLS_PRESERVING(xen_irq_disable),
		 RELINK_CODE(RELINK_I_RAW1(0xfa)));

DEFINE_PV_CHOICE(irq_enable, RELINK_CALLS_PRESERVING(xen_irq_enable),
		 RELINK_CODE(RELINK_I_RAW1(0xfb)));

DEFINE_PV_CHOICE(save_fl, RELINK_CALLS_THUNK_RETURNING(xen_save_fl_thunks),
		 RELINK_CODE(RELINK_I_RAW1(0x9c),
			     RELINK_I_POP(RELINK_HOLE(0))));

DEFINE_PV_CHOICE(restore_fl, RELINK_CALLS_THUNK_TAKING(xen_restore_fl_thunks),
		 RELINK_CODE(RELINK_I_PUSH(RELINK_HOLE(0)),
			     RELINK_I_RAW1(0x9d)));

/*
 * Control registers and the TLB: under Xen the functions of arch/x86/xen/
 * pv_mmu.c (cr2 from vcpu_info, cr3 and invlpg through mmuext_op), through
 * the thunk of the site's register.
 */
DEFINE_PV_CHOICE(read_cr2, RELINK_CALLS_THUNK_RETURNING(xen_read_cr2_thunks),
		 RELINK_CODE(RELINK_I_MOV_FROM_CR(RELINK_HOLE(0), 2)));

DEFINE_PV_CHOICE(read_cr3, RELINK_CALLS_THUNK_RETURNING(xen_read_cr3_thunks),
		 RELINK_CODE(RELINK_I_MOV_FROM_CR(RELINK_HOLE(0), 3)));

DEFINE_PV_CHOICE(write_cr3, RELINK_CALLS_THUNK_TAKING(xen_write_cr3_thunks),
		 RELINK_CODE(RELINK_I_MOV_TO_CR(3, RELINK_HOLE(0))));

DEFINE_PV_CHOICE(flush_tlb_single,
		 RELINK_CALLS_THUNK_TAKING(xen_flush_tlb_single_thunks),
		 RELINK_CODE(RELINK_I_INVLPG(RELINK_HOLE(0))));

/*
 * Page-table entries: natively a plain store; under Xen PV the tables are
 * read-only to the guest and hold machine frames, so every write is an
 * mmu_update (arch/x86/xen/paging.c), which Xen checks. A call site: the
 * native variant, mov %rsi, (%rdi), fits in the call's 5 bytes.
 */
DEFINE_PV_CALL_CHOICE(set_pte, RELINK_CALLS(xen_set_pte),
		      RELINK_CODE(RELINK_I_RAW3(0x48, 0x89, 0x37)));

/*
 * The body unpatched sites call, before the engine has decided: the
 * engine's own first writes to text map the text-poke window through
 * these sites, so under Xen they must already reach mmu_update then (as
 * an unpatched cli is harmless there). After boot no site calls it.
 */
__relink_call_symbol void pv_set_pte(uint64_t *pte, uint64_t value)
{
	if (relink_platform_hypervisor() == RELINK_HV_XEN_PV)
		xen_set_pte(pte, value);
	else
		*(volatile uint64_t *)pte = value;
}

/*
 * The halt in stop_machine's wait (arch_rendezvous_wait): natively hlt
 * with interrupts off, which the kick's NMI ends (arch/x86/native/
 * rendezvous.c); under Xen SCHEDOP_poll on the vCPU's masked kick port
 * (arch/x86/xen/events.c). Both are functions of their environment's:
 * the site is a direct call of one of them, and the call as compiled
 * calls the native one.
 */
DEFINE_PV_CALL_CHOICE(rendezvous_wait, RELINK_CALLS(xen_rendezvous_wait),
		      RELINK_CALLS(native_rendezvous_wait));

__pv_native_body void pv_rendezvous_wait(void)
{
	native_rendezvous_wait();
}

/*
 * Serializing after text changed (sync_core): cpuid natively; under Xen
 * an iret to the next instruction, which serializes as well and which a
 * PV kernel may run itself (Xen may trap cpuid, at a hypervisor's cost
 * per call), through a thunk that keeps every register (pv_ops.c).
 */
DEFINE_PV_CHOICE(sync_core, RELINK_CALLS_PRESERVING(xen_sync_core),
		 RELINK_CODE(RELINK_I_RAW2(0x0f, 0xa2)));

/* The native functions that call variants call. */
__native_only void native_cpuid(uint32_t leaf, uint32_t subleaf,
				uint32_t regs[4])
{
	asm volatile("cpuid"
		     : "=a"(regs[0]), "=b"(regs[1]), "=c"(regs[2]),
		       "=d"(regs[3])
		     : "a"(leaf), "c"(subleaf));
}

__native_only uint64_t native_read_msr(uint32_t msr)
{
	uint32_t lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

__native_only void native_write_msr(uint32_t msr, uint64_t value)
{
	asm volatile("wrmsr"
		     :
		     : "c"(msr), "a"((uint32_t)value),
		       "d"((uint32_t)(value >> 32))
		     : "memory");
}

/*
 * Call sites. Each call symbol's body is the native variant, the code as
 * compiled; the variant that patches its sites is the instruction itself
 * when it fits in the call's 5 bytes (padded with NOPs; a call site may
 * destroy every caller-saved register, so "out %al" needs no care), else a
 * direct call of the native function above.
 */
DEFINE_PV_CALL_CHOICE(cpuid, RELINK_CALLS(xen_cpuid),
		      RELINK_CALLS(native_cpuid));

__pv_native_body void pv_cpuid(uint32_t leaf, uint32_t subleaf,
			       uint32_t regs[4])
{
	asm volatile("cpuid"
		     : "=a"(regs[0]), "=b"(regs[1]), "=c"(regs[2]),
		       "=d"(regs[3])
		     : "a"(leaf), "c"(subleaf));
}

/*
 * MSRs under Xen: the segment bases through set_segment_base, the rest
 * through Xen's emulation of rdmsr and wrmsr (arch/x86/xen/msr.c).
 */
DEFINE_PV_CALL_CHOICE(read_msr, RELINK_CALLS(xen_read_msr),
		      RELINK_CALLS(native_read_msr));

__pv_native_body uint64_t pv_read_msr(uint32_t msr)
{
	uint32_t lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

DEFINE_PV_CALL_CHOICE(write_msr, RELINK_CALLS(xen_write_msr),
		      RELINK_CALLS(native_write_msr));

__pv_native_body void pv_write_msr(uint32_t msr, uint64_t value)
{
	asm volatile("wrmsr"
		     :
		     : "c"(msr), "a"((uint32_t)value),
		       "d"((uint32_t)(value >> 32))
		     : "memory");
}

/* out %al, $0x80: a write to the POST port takes about a microsecond. */
/* Under Xen, nothing: dom0's port accesses are emulated, slow enough. */
DEFINE_PV_CALL_CHOICE(io_delay, /* nothing */,
		      RELINK_CODE(RELINK_I_RAW2(0xe6, 0x80)));

__pv_native_body void pv_io_delay(void)
{
	asm volatile("out %%al, $0x80" : : : "memory");
}

DEFINE_PV_CALL_CHOICE(wbinvd, RELINK_CALLS(xen_wbinvd),
		      RELINK_CODE(RELINK_I_RAW2(0x0f, 0x09)));

__pv_native_body void pv_wbinvd(void)
{
	asm volatile("wbinvd" : : : "memory");
}

/* sti delays interrupts by one instruction: none is lost before hlt. */
DEFINE_PV_CALL_CHOICE(safe_halt, RELINK_CALLS(xen_safe_halt),
		      RELINK_CODE(RELINK_I_RAW2(0xfb, 0xf4)));

__pv_native_body void pv_safe_halt(void)
{
	asm volatile("sti; hlt" : : : "memory");
}

/* Under Xen: SCHEDOP_block with events on, the vCPU down with them off. */
DEFINE_PV_CALL_CHOICE(halt, RELINK_CALLS(xen_halt),
		      RELINK_CODE(RELINK_I_RAW1(0xf4)));

__pv_native_body void pv_halt(void)
{
	asm volatile("hlt" : : : "memory");
}

/*
 * The descriptor-table loads: lgdt, lidt and ltr natively; a PV guest
 * hands its tables to Xen instead (arch/x86/xen/descriptor_tables.c):
 * set_gdt by frame, set_trap_table from the IDT's exception gates, and
 * for the task register stack_switch (Xen owns the TSS). The native
 * variant is the call as compiled. The kernel's own sites (gdt.c,
 * traps.c) run on the native bring-up paths only: under Xen, setup
 * registers the trap table before the engine runs and keeps Xen's GDT
 * and TSS. They are decided by the hypervisor like every pv site all the
 * same, so no site in the image holds lgdt, lidt or ltr under Xen, and a
 * later caller in shared code (the pvops suite re-loads the IDT) gets
 * Xen's way.
 */
struct descriptor_pointer {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

DEFINE_PV_CALL_CHOICE(load_gdt, RELINK_CALLS(xen_load_gdt),
		      RELINK_CALLS(pv_load_gdt));

__pv_native_body void pv_load_gdt(const void *base, uint16_t limit)
{
	struct descriptor_pointer ptr = { limit, (uint64_t)base };

	asm volatile("lgdt %0" : : "m"(ptr) : "memory");
}

DEFINE_PV_CALL_CHOICE(load_idt, RELINK_CALLS(xen_load_idt),
		      RELINK_CALLS(pv_load_idt));

__pv_native_body void pv_load_idt(const void *base, uint16_t limit)
{
	struct descriptor_pointer ptr = { limit, (uint64_t)base };

	asm volatile("lidt %0" : : "m"(ptr) : "memory");
}

DEFINE_PV_CALL_CHOICE(load_tr, RELINK_CALLS(xen_load_tr),
		      RELINK_CALLS(pv_load_tr));

__pv_native_body void pv_load_tr(uint16_t selector)
{
	asm volatile("ltr %0" : : "r"(selector) : "memory");
}
EXPORT_CHOICE(pv_irq_disable);
EXPORT_CHOICE(pv_irq_enable);
EXPORT_CHOICE(pv_save_fl);
EXPORT_CHOICE(pv_restore_fl);
