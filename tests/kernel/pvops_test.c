// SPDX-License-Identifier: MIT
/*
 * KTAP suite "pvops": the paravirtualized operations (<arch/pv.h>) do what
 * their instructions do -- interrupt flags through save/restore, cr3 and
 * cr2, cpuid, MSRs, io_delay, wbinvd -- and every pv site holds its
 * choice's native variant, which the choices list as decided.
 */
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/paging.h>
#include <arch/pv.h>
#include <arch/text_poke.h>
#include <arch/trap.h>
#include <kernel/fault.h>
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/string.h>
#include <relink/engine.h>
#include <relink/platform.h>

#define BAD_ADDRESS 0x28ul

/* volatile: the compiler must not see the constant it dereferences. */
static volatile uintptr_t bad_address = BAD_ADDRESS;

static bool under_xen(void)
{
	return relink_platform_hypervisor() == RELINK_HV_XEN_PV;
}

static void test_irq_flags_round_trip(struct ktest *t)
{
	unsigned long outer, inner;

	/* Under Xen PV: through vcpu_info's evtchn_upcall_mask. */
	outer = pv_save_fl();

	pv_irq_disable();
	inner = pv_save_fl();
	KTEST_EXPECT_EQ(t, inner & X86_EFLAGS_IF, 0);
	/* Restoring a value with IF set enables interrupts... */
	pv_restore_fl(inner | X86_EFLAGS_IF);
	KTEST_EXPECT_EQ(t, pv_save_fl() & X86_EFLAGS_IF, X86_EFLAGS_IF);
	/* ...and one without IF disables them again. */
	pv_restore_fl(inner);
	KTEST_EXPECT_EQ(t, pv_save_fl() & X86_EFLAGS_IF, 0);
	pv_irq_enable();
	KTEST_EXPECT_EQ(t, pv_save_fl() & X86_EFLAGS_IF, X86_EFLAGS_IF);
	pv_restore_fl(outer);
	KTEST_EXPECT_EQ(t, pv_save_fl() & X86_EFLAGS_IF, outer & X86_EFLAGS_IF);
}

static void test_cr3_round_trip(struct ktest *t)
{
	unsigned long flags = pv_save_fl();
	uint64_t cr3;

	pv_irq_disable();
	cr3 = pv_read_cr3();
	pv_write_cr3(cr3);
	KTEST_EXPECT_EQ(t, pv_read_cr3(), cr3);
	pv_restore_fl(flags);
	KTEST_EXPECT_TRUE(t, cr3 != 0);
}

/*
 * cr3 is a physical address the kernel's own map reaches (under Xen a
 * pseudo-physical one, not the machine frame Xen's emulated mov from
 * cr3 gives): the L4 there maps the direct map, and this very address.
 */
static void test_cr3_is_the_l4(struct ktest *t)
{
	const uint64_t *l4 = phys_to_virt(pv_read_cr3() & PTE_ADDR_MASK);
	unsigned int direct = (DIRECT_MAP_BASE >> 39) & 0x1ff;

	KTEST_EXPECT_TRUE(t, l4[direct] & PTE_PRESENT);
	KTEST_EXPECT_TRUE(t, l4[((uintptr_t)l4 >> 39) & 0x1ff] & PTE_PRESENT);
}

static void test_flush_tlb_single_keeps_mapping(struct ktest *t)
{
	static volatile uint64_t word = 0x5a5a5a5a5a5a5a5aull;
	unsigned long flags = pv_save_fl();

	pv_irq_disable();
	pv_flush_tlb_single((const void *)&word);
	word++;
	pv_flush_tlb_single((const void *)&word);
	pv_restore_fl(flags);
	KTEST_EXPECT_EQ(t, word, 0x5a5a5a5a5a5a5a5bull);
}

static void read_bad_address(void *arg __unused)
{
	(void)*(volatile uint64_t *)bad_address;
}

static void test_cr2_after_page_fault(struct ktest *t)
{
	unsigned long flags = pv_save_fl();
	struct fault_info fi;
	uint64_t cr2;

	/* Interrupts off: no other fault may come between the two reads. */
	pv_irq_disable();
	KTEST_EXPECT_EQ(t, fault_catch(read_bad_address, NULL, &fi), -EFAULT);
	cr2 = pv_read_cr2();
	pv_restore_fl(flags);
	KTEST_EXPECT_EQ(t, fi.vector, 14);
	KTEST_EXPECT_EQ(t, fi.address, BAD_ADDRESS);
	KTEST_EXPECT_EQ(t, cr2, BAD_ADDRESS);
}

static void test_cpuid_matches_instruction(struct ktest *t)
{
	static const uint32_t leaves[][2] = {
		{ 0, 0 },	   { 1, 0 },	      { 7, 0 },
		{ 0x80000000, 0 }, { 0x80000001, 0 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(leaves); i++) {
		uint32_t pv[4], raw[4];

		pv_cpuid(leaves[i][0], leaves[i][1], pv);
		/* Under Xen PV the instruction is the forced-emulation one. */
		if (under_xen())
			xen_cpuid(leaves[i][0], leaves[i][1], raw);
		else
			native_cpuid(leaves[i][0], leaves[i][1], raw);
		/* Leaf 1 EBX holds the APIC ID of the CPU that runs it. */
		if (leaves[i][0] == 1)
			pv[1] = raw[1] = 0;
		KTEST_EXPECT_MSG(t, !memcmp(pv, raw, sizeof(pv)),
				 "cpuid 0x%x: pv %08x %08x %08x %08x, "
				 "raw %08x %08x %08x %08x",
				 leaves[i][0], pv[0], pv[1], pv[2], pv[3],
				 raw[0], raw[1], raw[2], raw[3]);
	}
}

/* MSR_KERNEL_GS_BASE only matters across swapgs, which the kernel does
 * not do while this runs with interrupts off. */
static void test_msr_round_trip(struct ktest *t)
{
	unsigned long flags = pv_save_fl();
	uint64_t saved, seen, native;

	pv_irq_disable();
	saved = pv_read_msr(MSR_KERNEL_GS_BASE);
	pv_write_msr(MSR_KERNEL_GS_BASE, 0xffff800012345000ull);
	seen = pv_read_msr(MSR_KERNEL_GS_BASE);
	native = native_read_msr(MSR_KERNEL_GS_BASE);
	pv_write_msr(MSR_KERNEL_GS_BASE, saved);
	KTEST_EXPECT_EQ(t, pv_read_msr(MSR_KERNEL_GS_BASE), saved);
	pv_restore_fl(flags);
	KTEST_EXPECT_EQ(t, seen, 0xffff800012345000ull);
	KTEST_EXPECT_EQ(t, native, seen);
}

static void test_io_delay_and_wbinvd_run(struct ktest *t)
{
	for (int i = 0; i < 4; i++)
		pv_io_delay();
	pv_wbinvd();
	KTEST_EXPECT_TRUE(t, true);
}

/* The text-poke window's last slot: a module slot, free outside a batch. */
#define SET_PTE_SLOT (TEXT_POKE_SLOTS - 1)

static uint64_t *poke_slot_entry(unsigned int *level)
{
	return paging_lookup(TEXT_POKE_BASE + SET_PTE_SLOT * PAGE_SIZE, level);
}

/*
 * A page mapped at a window slot through the pv.set_pte sites of
 * paging_poke_map(): what the direct map holds is read through it, what
 * is written through it lands in the page, and the slot is gone after
 * paging_poke_unmap(). The entry holds the rights asked for (under Xen
 * the frame is a machine one: only the data shows it is the page's).
 */
static void test_set_pte_maps_and_unmaps(struct ktest *t)
{
	volatile uint64_t *page = page_alloc(1), *alias;
	unsigned int level = 9;
	uint64_t *pte;

	KTEST_ASSERT_TRUE(t, page != NULL);
	page[0] = 0x1122334455667788ull;
	page[511] = 0;
	text_poke_begin();
	alias = paging_poke_map(SET_PTE_SLOT, virt_to_phys((void *)page));
	pte = poke_slot_entry(&level);
	KTEST_EXPECT_TRUE(t, pte && level == 0);
	KTEST_EXPECT_EQ(t, pte ? *pte & (PTE_PRESENT | PTE_WRITE | PTE_NX) : 0,
			PTE_PRESENT | PTE_WRITE | PTE_NX);
	KTEST_EXPECT_EQ(t, alias[0], 0x1122334455667788ull);
	alias[511] = 0xfeedfacecafebeefull;
	paging_poke_unmap(SET_PTE_SLOT);
	paging_poke_flush();
	pte = poke_slot_entry(&level);
	text_poke_end();
	KTEST_EXPECT_EQ(t, page[511], 0xfeedfacecafebeefull);
	KTEST_EXPECT_TRUE(t, !pte || !(*pte & PTE_PRESENT));
	page_free((void *)page, 1);
}

/*
 * Why the site matters: natively a page table is plain memory, mapped
 * writable; under Xen every page-table page is mapped read-only (a store
 * to it traps, and Xen emulates it only as a fault per write), so the
 * xen variant asks Xen with one mmu_update instead.
 */
static void test_page_tables_read_only_under_xen(struct ktest *t)
{
	unsigned int level, table_level;
	uint64_t *pte = paging_lookup((uint64_t)&bad_address, &level);
	uint64_t *table_pte;

	KTEST_ASSERT_TRUE(t, pte != NULL);
	table_pte = paging_lookup((uint64_t)pte, &table_level);
	KTEST_ASSERT_TRUE(t, table_pte != NULL);
	KTEST_EXPECT_EQ(t, *table_pte & PTE_WRITE, under_xen() ? 0 : PTE_WRITE);
}

static void raise_int3(void *arg __unused)
{
	asm volatile("int3");
}

static void raise_ud2(void *arg __unused)
{
	asm volatile("ud2");
}

/*
 * The kernel's IDT loaded again through the pv.load_idt site (lidt, or
 * under Xen a trap table made from its gates): a page fault and an
 * invalid opcode still reach the kernel as themselves, and under Xen an
 * int3 too, which Xen takes itself and passes on to the table's handler
 * for vector 3. (Natively int3 is left out: this machine's nested KVM
 * stops the guest on it.)
 */
static void test_idt_reload_keeps_traps(struct ktest *t)
{
	struct fault_info fi;

	trap_init();
	KTEST_EXPECT_EQ(t, fault_catch(read_bad_address, NULL, &fi), -EFAULT);
	KTEST_EXPECT_EQ(t, fi.vector, 14);
	KTEST_EXPECT_EQ(t, fault_catch(raise_ud2, NULL, &fi), -EFAULT);
	KTEST_EXPECT_EQ(t, fi.vector, 6);
	if (!under_xen())
		return;
	KTEST_EXPECT_EQ(t, fault_catch(raise_int3, NULL, &fi), -EFAULT);
	KTEST_EXPECT_EQ(t, fi.vector, 3);
}

struct descriptor_pointer {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

/* A descriptor index past the native GDT's five: no such entry before. */
#define TEST_SELECTOR (5 * 8 + 3)
#define TEST_DESCRIPTOR 0x00cff2000000ffffull /* data, RW, DPL 3, 4 GiB */

/* lar: the access rights of selector, or 0 when it names nothing valid. */
static uint32_t access_rights(uint16_t selector)
{
	uint32_t rights = 0;
	bool valid;

	asm volatile("lar %2, %0; setz %1"
		     : "+r"(rights), "=q"(valid)
		     : "r"((uint32_t)selector)
		     : "cc");
	return valid ? rights & 0xfe00 : 0;
}

/* Under Xen: the page's only mapping (the direct map) read-only or not. */
static void direct_map_writable(struct ktest *t, void *page, bool writable)
{
	unsigned int level;
	uint64_t *pte = paging_lookup((uint64_t)page, &level);
	uint64_t flags;

	KTEST_ASSERT_TRUE(t, pte && level == 0);
	flags = *pte & ~PTE_ADDR_MASK & ~PTE_WRITE;
	pv_set_pte(pte,
		   virt_to_phys(page) | flags | (writable ? PTE_WRITE : 0));
	pv_flush_tlb_single(page);
}

/*
 * What this CPU sees of the GDT: natively the register (sgdt) and, under
 * Xen, whether lar finds the test's descriptor (sgdt shows Xen's table
 * there; this machine's nested KVM cannot run lar).
 */
static uint64_t gdt_seen(void)
{
	struct descriptor_pointer now;

	if (under_xen())
		return access_rights(TEST_SELECTOR);
	asm volatile("sgdt %0" : "=m"(now));
	return now.base + now.limit;
}

/*
 * A GDT of the test's own through the pv.load_gdt site (lgdt, or under
 * Xen set_gdt of its frame, which Xen wants read-only): the CPU uses it,
 * and then the kernel's again (under Xen: none of ours, Xen's flat
 * segments only).
 */
static void test_gdt_load_round_trip(struct ktest *t)
{
	uint64_t *gdt = page_alloc(1);
	struct descriptor_pointer old;
	unsigned long flags;
	uint64_t before, loaded, after;

	KTEST_ASSERT_TRUE(t, gdt != NULL);
	memset(gdt, 0, PAGE_SIZE);
	gdt[TEST_SELECTOR >> 3] = TEST_DESCRIPTOR;
	if (under_xen())
		direct_map_writable(t, gdt, false);
	flags = pv_save_fl();
	pv_irq_disable();
	asm volatile("sgdt %0" : "=m"(old));
	before = gdt_seen();
	pv_load_gdt(gdt, PAGE_SIZE - 1);
	loaded = gdt_seen();
	if (under_xen())
		pv_load_gdt(gdt, 0);
	else
		pv_load_gdt((const void *)old.base, old.limit);
	after = gdt_seen();
	pv_restore_fl(flags);
	if (under_xen())
		direct_map_writable(t, gdt, true);
	page_free(gdt, 1);
	KTEST_EXPECT_EQ(t, before, under_xen() ? 0 : old.base + old.limit);
	KTEST_EXPECT_EQ(t, loaded,
			under_xen() ? 0xf200 : (uint64_t)gdt + PAGE_SIZE - 1);
	KTEST_EXPECT_EQ(t, after, before);
}

/*
 * The task register under Xen is stack_switch (Xen owns the TSS), which
 * must succeed; natively the TSS is loaded and busy, so ltr again would
 * fault: the native case is the boot's own.
 */
static void test_load_tr_under_xen(struct ktest *t)
{
	if (!under_xen())
		ktest_skip(t,
			   "natively the loaded TSS is busy: ltr again faults");
	pv_load_tr(GDT_TSS);
	KTEST_EXPECT_TRUE(t, true);
}

unsigned int poke_target(void); /* text_poke_test.c: mov $imm, %eax; ret */

/*
 * Text written through the alias, then the pv.sync_core site (cpuid, or
 * under Xen an iret to self): the CPU runs the new bytes.
 */
static void test_sync_core_after_text_write(struct ktest *t)
{
	uint8_t *imm = (uint8_t *)(uintptr_t)poke_target + 1;
	unsigned long flags = pv_save_fl();
	uint32_t old, next;
	unsigned int seen;
	bool masked;

	memcpy(&old, imm, sizeof(old));
	next = old ^ 0x5a5a5a5a;
	pv_irq_disable();
	KTEST_EXPECT_EQ(t, text_poke(imm, &next, sizeof(next)), 0);
	sync_core();
	/* Under Xen the iret sets the event mask: it must stay as it was. */
	masked = !(pv_save_fl() & X86_EFLAGS_IF);
	seen = poke_target();
	KTEST_EXPECT_EQ(t, text_poke(imm, &old, sizeof(old)), 0);
	sync_core();
	pv_restore_fl(flags);
	KTEST_EXPECT_EQ(t, seen, next);
	KTEST_EXPECT_TRUE(t, masked);
	KTEST_EXPECT_EQ(t, poke_target(), old);
}

/* 0x41 (REX.B) or 0x44 (REX.R) before an r8..r15 operand. */
static const uint8_t *skip_rex(const uint8_t *p)
{
	return (*p & 0xf0) == 0x40 ? p + 1 : p;
}

static bool is_call_to(const struct relink_site_info *s, const void *fn)
{
	int32_t rel;

	if (s->bytes[0] != 0xe8)
		return false;
	memcpy(&rel, s->bytes + 1, sizeof(rel));
	return s->address + 5 + (int64_t)rel == (uint64_t)(uintptr_t)fn;
}

/*
 * Whether s holds the native instruction of choice name (call_symbol:
 * what its call sites call as built).
 */
static bool holds_native(const char *name, const struct relink_site_info *s,
			 const void *call_symbol)
{
	const uint8_t *b = s->bytes, *r = skip_rex(b);

	if (!strcmp(name, "pv.irq_disable"))
		return b[0] == 0xfa;
	if (!strcmp(name, "pv.irq_enable"))
		return b[0] == 0xfb;
	if (!strcmp(name, "pv.save_fl"))
		return b[0] == 0x9c && (skip_rex(b + 1)[0] & 0xf8) == 0x58;
	if (!strcmp(name, "pv.restore_fl"))
		return (r[0] & 0xf8) == 0x50 && r[1] == 0x9d;
	if (!strcmp(name, "pv.read_cr2"))
		return r[0] == 0x0f && r[1] == 0x20 && (r[2] & 0xf8) == 0xd0;
	if (!strcmp(name, "pv.read_cr3"))
		return r[0] == 0x0f && r[1] == 0x20 && (r[2] & 0xf8) == 0xd8;
	if (!strcmp(name, "pv.write_cr3"))
		return r[0] == 0x0f && r[1] == 0x22 && (r[2] & 0xf8) == 0xd8;
	if (!strcmp(name, "pv.flush_tlb_single"))
		return r[0] == 0x0f && r[1] == 0x01 && (r[2] & 0x38) == 0x38;
	if (!strcmp(name, "pv.cpuid"))
		return is_call_to(s, native_cpuid);
	if (!strcmp(name, "pv.read_msr"))
		return is_call_to(s, native_read_msr);
	if (!strcmp(name, "pv.write_msr"))
		return is_call_to(s, native_write_msr);
	if (!strcmp(name, "pv.io_delay"))
		return b[0] == 0xe6 && b[1] == 0x80;
	if (!strcmp(name, "pv.wbinvd"))
		return b[0] == 0x0f && b[1] == 0x09;
	if (!strcmp(name, "pv.safe_halt"))
		return b[0] == 0xfb && b[1] == 0xf4;
	if (!strcmp(name, "pv.halt"))
		return b[0] == 0xf4;
	if (!strcmp(name, "pv.sync_core"))
		return b[0] == 0x0f && b[1] == 0xa2;
	if (!strcmp(name, "pv.rendezvous_wait"))
		return is_call_to(s, native_rendezvous_wait);
	if (!strcmp(name, "pv.set_pte")) /* mov %rsi, (%rdi) */
		return b[0] == 0x48 && b[1] == 0x89 && b[2] == 0x37;
	/* The descriptor-table loads' native variant is the call as built. */
	if (!strcmp(name, "pv.load_gdt") || !strcmp(name, "pv.load_idt") ||
	    !strcmp(name, "pv.load_tr"))
		return is_call_to(s, call_symbol);
	return false;
}

/* A site that ends in a call of fn (NOPs before it, if any). */
static bool ends_in_call_to(const struct relink_site_info *s, const void *fn)
{
	unsigned int at = s->length - 5;
	int32_t rel;

	if (s->length < 5 || s->bytes[at] != 0xe8)
		return false;
	memcpy(&rel, s->bytes + at + 1, sizeof(rel));
	return s->address + s->length + (int64_t)rel == (uint64_t)(uintptr_t)fn;
}

/*
 * A site that ends in a call of the thunk, in table, of its register
 * operand: the register the compiler chose is kept under Xen as well.
 */
static bool ends_in_thunk_call(const struct relink_site_info *s,
			       const char *table)
{
	return s->n_regs == 1 && s->regs[0] != RELINK_RSP &&
	       ends_in_call_to(s, table + RELINK_THUNK_STRIDE * s->regs[0]);
}

/* What a site of a pv choice with a xen variant holds under Xen PV. */
static bool holds_xen(const char *name, const struct relink_site_info *s)
{
	if (!strcmp(name, "pv.irq_disable"))
		return ends_in_call_to(s, xen_irq_disable);
	if (!strcmp(name, "pv.irq_enable"))
		return ends_in_call_to(s, xen_irq_enable);
	if (!strcmp(name, "pv.save_fl"))
		return ends_in_thunk_call(s, xen_save_fl_thunks);
	if (!strcmp(name, "pv.restore_fl"))
		return ends_in_thunk_call(s, xen_restore_fl_thunks);
	if (!strcmp(name, "pv.read_cr2"))
		return ends_in_thunk_call(s, xen_read_cr2_thunks);
	if (!strcmp(name, "pv.read_cr3"))
		return ends_in_thunk_call(s, xen_read_cr3_thunks);
	if (!strcmp(name, "pv.write_cr3"))
		return ends_in_thunk_call(s, xen_write_cr3_thunks);
	if (!strcmp(name, "pv.flush_tlb_single"))
		return ends_in_thunk_call(s, xen_flush_tlb_single_thunks);
	if (!strcmp(name, "pv.cpuid"))
		return is_call_to(s, xen_cpuid);
	if (!strcmp(name, "pv.read_msr"))
		return is_call_to(s, xen_read_msr);
	if (!strcmp(name, "pv.write_msr"))
		return is_call_to(s, xen_write_msr);
	if (!strcmp(name, "pv.halt"))
		return is_call_to(s, xen_halt);
	if (!strcmp(name, "pv.wbinvd"))
		return is_call_to(s, xen_wbinvd);
	if (!strcmp(name, "pv.safe_halt"))
		return is_call_to(s, xen_safe_halt);
	if (!strcmp(name, "pv.set_pte"))
		return is_call_to(s, xen_set_pte);
	if (!strcmp(name, "pv.sync_core"))
		return ends_in_call_to(s, xen_sync_core);
	if (!strcmp(name, "pv.rendezvous_wait"))
		return is_call_to(s, xen_rendezvous_wait);
	if (!strcmp(name, "pv.load_gdt"))
		return is_call_to(s, xen_load_gdt);
	if (!strcmp(name, "pv.load_idt"))
		return is_call_to(s, xen_load_idt);
	if (!strcmp(name, "pv.load_tr"))
		return is_call_to(s, xen_load_tr);
	if (!strcmp(name, "pv.io_delay"))
		return s->bytes[0] == 0x0f && s->bytes[1] == 0x1f; /* NOP */
	return false;
}

/* The variant the hypervisor decider picks for choice c here. */
static const char *pv_expected(unsigned int c)
{
	if (under_xen() && relink_variant_find(c, "xen") >= 0)
		return "xen";
	return "native";
}

static void test_every_pv_site_is_native(struct ktest *t)
{
	unsigned int checked = 0;

	for (uint32_t i = 0; i < relink_site_count(); i++) {
		struct relink_site_info s;
		struct relink_choice_info c;

		KTEST_ASSERT_EQ(t, relink_site_get(i, &s), 0);
		KTEST_ASSERT_EQ(t, relink_choice_get(s.choice, &c), 0);
		if (strncmp(c.name, "pv.", 3))
			continue;
		checked++;
		KTEST_EXPECT_MSG(t, !strcmp(s.variant, pv_expected(s.choice)),
				 "site %u (0x%llx, %s) holds %s", i,
				 (unsigned long long)s.address, c.name,
				 s.variant);
		KTEST_EXPECT_MSG(
			t,
			strcmp(s.variant, "xen") ?
				holds_native(c.name, &s, c.def->call_symbol) :
				holds_xen(c.name, &s),
			"site %u (0x%llx, %s): %02x %02x %02x %02x", i,
			(unsigned long long)s.address, c.name, s.bytes[0],
			s.bytes[1], s.bytes[2], s.bytes[3]);
	}
	KTEST_EXPECT_TRUE(t, checked > 0);
}

static void test_choices_list_pv_native(struct ktest *t)
{
	static const char *const ops[] = {
		"irq_disable",	    "irq_enable", "save_fl",
		"restore_fl",	    "safe_halt",  "halt",
		"read_cr2",	    "read_cr3",	  "write_cr3",
		"flush_tlb_single", "cpuid",	  "read_msr",
		"write_msr",	    "io_delay",	  "wbinvd",
		"load_gdt",	    "load_idt",	  "load_tr",
		"set_pte",	    "sync_core",  "rendezvous_wait",
	};

	for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
		char name[32];
		struct relink_choice_info c;
		int n;

		snprintf(name, sizeof(name), "pv.%s", ops[i]);
		n = relink_choice_find(name);
		KTEST_EXPECT_MSG(t, n >= 0, "no choice %s", name);
		if (n < 0)
			continue;
		KTEST_ASSERT_EQ(t, relink_choice_get((unsigned int)n, &c), 0);
		KTEST_EXPECT_MSG(
			t, relink_variant_find((unsigned int)n, "native") >= 0,
			"%s has no variant native", name);
		KTEST_EXPECT_MSG(t,
				 !strcmp(c.def->variants[c.variant].name,
					 pv_expected((unsigned int)n)),
				 "%s is %s", name,
				 c.def->variants[c.variant].name);
		KTEST_EXPECT_TRUE(t, c.patched);
	}
}

/*
 * thunk_probe(in, out, thunk): every register but rsp loaded from in[]
 * (x86 numbering, rax 0 to r15 15), the thunk called, every register
 * stored to out[]: what a site around the call sees.
 */
void thunk_probe(const uint64_t in[16], uint64_t out[16], const void *thunk);
asm(".pushsection .text, \"ax\"\n"
    "thunk_probe:\n"
    "	push %rbx\n"
    "	push %rbp\n"
    "	push %r12\n"
    "	push %r13\n"
    "	push %r14\n"
    "	push %r15\n"
    "	push %rsi\n"
    "	push %rdx\n"
    "	mov 0(%rdi), %rax\n"
    "	mov 8(%rdi), %rcx\n"
    "	mov 16(%rdi), %rdx\n"
    "	mov 24(%rdi), %rbx\n"
    "	mov 40(%rdi), %rbp\n"
    "	mov 48(%rdi), %rsi\n"
    "	mov 64(%rdi), %r8\n"
    "	mov 72(%rdi), %r9\n"
    "	mov 80(%rdi), %r10\n"
    "	mov 88(%rdi), %r11\n"
    "	mov 96(%rdi), %r12\n"
    "	mov 104(%rdi), %r13\n"
    "	mov 112(%rdi), %r14\n"
    "	mov 120(%rdi), %r15\n"
    "	mov 56(%rdi), %rdi\n"
    "	call *(%rsp)\n"
    "	push %rdi\n"
    "	mov 16(%rsp), %rdi\n"
    "	mov %rax, 0(%rdi)\n"
    "	mov %rcx, 8(%rdi)\n"
    "	mov %rdx, 16(%rdi)\n"
    "	mov %rbx, 24(%rdi)\n"
    "	mov %rbp, 40(%rdi)\n"
    "	mov %rsi, 48(%rdi)\n"
    "	mov %r8, 64(%rdi)\n"
    "	mov %r9, 72(%rdi)\n"
    "	mov %r10, 80(%rdi)\n"
    "	mov %r11, 88(%rdi)\n"
    "	mov %r12, 96(%rdi)\n"
    "	mov %r13, 104(%rdi)\n"
    "	mov %r14, 112(%rdi)\n"
    "	mov %r15, 120(%rdi)\n"
    "	pop %rax\n"
    "	mov %rax, 56(%rdi)\n"
    "	add $16, %rsp\n"
    "	pop %r15\n"
    "	pop %r14\n"
    "	pop %r13\n"
    "	pop %r12\n"
    "	pop %rbp\n"
    "	pop %rbx\n"
    "	ret\n"
    ".popsection");

/*
 * Calls the thunk of every register but rsp in table with a different
 * value in each register: afterwards that register holds result (a
 * returning table) or its value (a taking one: result is ~0), and every
 * other register its own.
 */
static void expect_thunk_table(struct ktest *t, const char *name,
			       const char *table, uint64_t operand,
			       uint64_t result)
{
	for (unsigned int reg = 0; reg < 16; reg++) {
		uint64_t in[16], out[16];

		if (reg == RELINK_RSP)
			continue;
		for (unsigned int i = 0; i < 16; i++)
			in[i] = 0x5a5a000000000000ull | i << 8 | reg;
		in[reg] = operand;
		thunk_probe(in, out, table + RELINK_THUNK_STRIDE * reg);
		for (unsigned int i = 0; i < 16; i++) {
			uint64_t want = i == reg && result != ~0ull ? result :
								      in[i];

			if (i == RELINK_RSP)
				continue;
			KTEST_EXPECT_MSG(t, out[i] == want,
					 "%s thunk of register %u: register "
					 "%u is 0x%llx, not 0x%llx",
					 name, reg, i,
					 (unsigned long long)out[i],
					 (unsigned long long)want);
		}
	}
}

/*
 * The register thunks of the xen variants (Xen only: they need vcpu_info
 * or a hypercall): each register's thunk leaves in its register what the
 * read gives (a read) or hands the register to the C function (a write),
 * and keeps every other one. The reads are checked against what they
 * must give: save_fl's word with events on and masked, the address of a
 * page fault just taken, and cr3 as the site reads it (the L4,
 * test_cr3_is_the_l4).
 */
static void test_register_thunks_keep_other_registers(struct ktest *t)
{
	unsigned long flags = pv_save_fl();
	struct fault_info fi;

	if (!under_xen())
		return;
	pv_irq_enable();
	expect_thunk_table(t, "save_fl", xen_save_fl_thunks, 0, X86_EFLAGS_IF);
	pv_irq_disable();
	expect_thunk_table(t, "save_fl", xen_save_fl_thunks, 0, 0);
	expect_thunk_table(t, "restore_fl", xen_restore_fl_thunks, pv_save_fl(),
			   ~0ull);
	KTEST_EXPECT_EQ(t, pv_save_fl() & X86_EFLAGS_IF, 0);
	expect_thunk_table(t, "read_cr3", xen_read_cr3_thunks, 0,
			   pv_read_cr3());
	/* Events masked: no other fault comes before the reads. */
	KTEST_EXPECT_EQ(t, fault_catch(read_bad_address, NULL, &fi), -EFAULT);
	expect_thunk_table(t, "read_cr2", xen_read_cr2_thunks, 0, BAD_ADDRESS);
	expect_thunk_table(t, "write_cr3", xen_write_cr3_thunks, pv_read_cr3(),
			   ~0ull);
	expect_thunk_table(t, "flush_tlb_single", xen_flush_tlb_single_thunks,
			   (uint64_t)(uintptr_t)&flags, ~0ull);
	pv_restore_fl(flags);
}

static const struct ktest_case pvops_cases[] = {
	KTEST_CASE(test_irq_flags_round_trip),
	KTEST_CASE(test_cr3_round_trip),
	KTEST_CASE(test_cr3_is_the_l4),
	KTEST_CASE(test_flush_tlb_single_keeps_mapping),
	KTEST_CASE(test_cr2_after_page_fault),
	KTEST_CASE(test_cpuid_matches_instruction),
	KTEST_CASE(test_msr_round_trip),
	KTEST_CASE(test_io_delay_and_wbinvd_run),
	KTEST_CASE(test_set_pte_maps_and_unmaps),
	KTEST_CASE(test_page_tables_read_only_under_xen),
	KTEST_CASE(test_idt_reload_keeps_traps),
	KTEST_CASE(test_gdt_load_round_trip),
	KTEST_CASE(test_load_tr_under_xen),
	KTEST_CASE(test_sync_core_after_text_write),
	KTEST_CASE(test_register_thunks_keep_other_registers),
	KTEST_CASE(test_every_pv_site_is_native),
	KTEST_CASE(test_choices_list_pv_native),
	{}
};
KTEST_SUITE(pvops, pvops_cases);
