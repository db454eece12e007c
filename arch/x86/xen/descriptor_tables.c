// SPDX-License-Identifier: MIT
/*
 * The descriptor tables under Xen PV, and the xen variants of
 * pv.load_gdt, pv.load_idt and pv.load_tr (arch/x86/pv.c). Xen owns the
 * CPU's GDT, IDT and TSS: the guest kernel runs in ring 3 on Xen's flat
 * segments, hands Xen a trap table instead of an IDT (set_trap_table),
 * may add descriptors of its own below Xen's (set_gdt, frames Xen
 * validates and keeps read-only), and tells Xen its kernel stack
 * (stack_switch) where natively the TSS holds it.
 *
 * Xen's trap frames put rcx and r11 on top of the CPU's: every exception
 * vector has a stub of its own for that (entry.S, xen_trap_stubs), which
 * the trap table names instead of the IDT's native stubs.
 */
#include <arch/gdt.h>
#include <arch/layout.h>
#include <arch/paging.h>
#include <arch/pv.h>
#include <arch/trap.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <lib/errno.h>
#include <xenpv/hypercall.h>
#include <xenpv/xenpv.h>

#define XEN_EXCEPTIONS 32
#define IDT_GATE_BYTES 16
#define IDT_GATE_PRESENT 0x80 /* in the gate's type_attr byte, at +5 */
#define GDT_DESCRIPTOR_BYTES 8
/* A set_gdt call takes at most this many frames (Xen's GDT area). */
#define XEN_GDT_FRAMES (FIRST_RESERVED_GDT_ENTRY / (PAGE_SIZE / 8))

extern const uint64_t xen_trap_stubs[XEN_EXCEPTIONS];

/*
 * Every exception but the NMI (Xen's nmi callback, unused) and the double
 * fault (Xen's own). int3 and into may be raised by the kernel itself,
 * which a PV guest runs above the gate's privilege 0: they get 3.
 */
static void trap_fill(struct trap_info *t, unsigned int v)
{
	t->vector = (uint8_t)v;
	t->flags = v == VECTOR_BP || v == 4 ? 3 : 0;
	t->cs = FLAT_KERNEL_CS;
	t->address = xen_trap_stubs[v];
}

static bool trap_taken(unsigned int v)
{
	return v != VECTOR_NMI && v != VECTOR_DF;
}

/* Whether gate v of the IDT at idt (gates long) is present; all if NULL. */
static bool gate_present(const uint8_t *idt, unsigned int gates, unsigned int v)
{
	return !idt ||
	       (v < gates && (idt[v * IDT_GATE_BYTES + 5] & IDT_GATE_PRESENT));
}

/* The trap table of the IDT's present exception gates; 0 or Xen's rc. */
static long trap_table_load(const uint8_t *idt, unsigned int gates)
{
	struct trap_info table[XEN_EXCEPTIONS + 1];
	unsigned int n = 0;

	for (unsigned int v = 0; v < XEN_EXCEPTIONS; v++)
		if (trap_taken(v) && gate_present(idt, gates, v))
			trap_fill(&table[n++], v);
	table[n].address = 0; /* the end */
	return xen_hypercall1(__HYPERVISOR_set_trap_table, table);
}

/* The boot CPU's, before the engine: every exception Xen lets us take. */
void xen_traps_init(void)
{
	long rc = trap_table_load(NULL, 0);

	if (rc)
		panic("xen: set_trap_table: %ld", rc);
}

/* The same traps as a vCPU context's table, indexed by vector. */
void xen_trap_context(struct trap_info ctxt[256])
{
	for (unsigned int v = 0; v < XEN_EXCEPTIONS; v++)
		if (trap_taken(v))
			trap_fill(&ctxt[v], v);
}

/*
 * pv.load_idt: the IDT at base becomes this vCPU's trap table. Its
 * exception gates name the native stubs, which expect the CPU's frame:
 * each present one becomes its vector's Xen stub. Device vectors are
 * event channels under Xen, and the NMI and double fault are Xen's.
 */
void xen_load_idt(const void *base, uint16_t limit)
{
	long rc = trap_table_load(base,
				  ((unsigned int)limit + 1) / IDT_GATE_BYTES);

	if (rc)
		panic("xen: set_trap_table from the IDT at %p: %ld", base, rc);
}

/*
 * pv.load_gdt: the table at base (page-aligned, each page with no
 * writable mapping: Xen's rule) becomes this vCPU's descriptors below
 * Xen's own, by machine frame; fewer than one descriptor drops the
 * guest's table (Xen's flat segments stay). Xen refuses a system
 * descriptor such as a TSS: the native GDT (gdt.c) is not one to give it.
 */
void xen_load_gdt(const void *base, uint16_t limit)
{
	unsigned long frames[XEN_GDT_FRAMES];
	unsigned int entries = ((unsigned int)limit + 1) / GDT_DESCRIPTOR_BYTES;
	unsigned int pages =
		(entries * GDT_DESCRIPTOR_BYTES + PAGE_SIZE - 1) / PAGE_SIZE;
	long rc = -EINVAL;

	if ((uintptr_t)base % PAGE_SIZE == 0 && pages <= XEN_GDT_FRAMES) {
		for (unsigned int i = 0; i < pages; i++)
			frames[i] =
				xen_pfn_to_mfn(virt_to_phys((const char *)base +
							    i * PAGE_SIZE) >>
					       PAGE_SHIFT);
		rc = xen_hypercall2(__HYPERVISOR_set_gdt, frames, entries);
	}
	if (rc)
		panic("xen: set_gdt of %u descriptors at %p: %ld", entries,
		      base, rc);
}

/*
 * pv.load_tr: Xen's TSS is the CPU's, and its IST stacks Xen's. What
 * the kernel's own TSS would give the CPU is the stack for entering the
 * kernel from user mode, rsp0: under Xen, stack_switch. The selector
 * names this CPU's TSS in its own table (gdt.c), which is where it is.
 */
void xen_load_tr(uint16_t selector __unused)
{
	const struct cpu_gdt *g = gdt_of_cpu(smp_processor_id());
	long rc = xen_hypercall2(__HYPERVISOR_stack_switch, FLAT_KERNEL_SS,
				 g->tss.rsp[0]);

	if (rc)
		panic("xen: stack_switch: %ld", rc);
}
