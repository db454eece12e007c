// SPDX-License-Identifier: MIT
/*
 * KTAP suite "int3": the INT3 write method. First the #BP handler alone,
 * on a probe site of its own (a NOP the test puts an int3 on): it
 * emulates a call, takes a jmp, skips a NOP, leaves an int3 that is not
 * in its table to the exception path, no site lies in its code, and a
 * table is not taken away while a CPU is in the handler. Then
 * whole switches with relink.method forced to int3: call sites (mem.copy,
 * idle), the branch choice trace, lock-free as the others; the bytes are
 * the variant's, the code works, no CPU was stopped, and a switch of
 * inline code is refused with nothing written.
 */
#include <stdint.h>
#include <arch/breakpoint.h>
#include <arch/cpu.h>
#include <arch/irqflags.h>
#include <arch/text_poke.h>
#include <kernel/fault.h>
#include <kernel/cpu.h>
#include <kernel/irqflags.h>
#include <kernel/ktest.h>
#include <kernel/relink.h>
#include <kernel/stop_machine.h>
#include <kernel/symbols.h>
#include <kernel/trace.h>
#include <lib/errno.h>
#include <lib/string.h>
#include <relink/platform.h>

#include "cpu_jobs.h"

/*
 * int3_probe returns 0 through its 5-byte NOP, the probe site; the call
 * target returns 0x42 to the site's end, the jmp target 0x77 to the
 * probe's caller.
 */
asm(".pushsection .text\n"
    ".globl int3_probe, int3_probe_site, int3_probe_callee, int3_probe_jump\n"
    "int3_probe:\n"
    "	xor %eax, %eax\n"
    "int3_probe_site:\n"
    "	.byte 0x0f, 0x1f, 0x44, 0x00, 0x00\n"
    "	ret\n"
    "int3_probe_callee:\n"
    "	mov $0x42, %eax\n"
    "	ret\n"
    "int3_probe_jump:\n"
    "	mov $0x77, %eax\n"
    "	ret\n"
    "	.p2align 4\n"
    ".popsection\n");
unsigned int int3_probe(void);
extern char int3_probe_site[], int3_probe_callee[], int3_probe_jump[];

static const uint8_t nop5[] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };

static int poke(void *addr, const void *bytes, size_t len)
{
	unsigned long flags = arch_local_irq_save();
	int rc = text_poke(addr, bytes, len);

	sync_core();
	arch_local_irq_restore(flags);
	return rc;
}

/* A breakpoint at the probe site whose new code is op rel32 to target. */
static void probe_breakpoint(struct relink_breakpoint *bp, uint8_t op,
			     const void *target)
{
	uint64_t site = (uint64_t)(uintptr_t)int3_probe_site;
	int32_t rel = (int32_t)((uint64_t)(uintptr_t)target - (site + 5));

	bp->address = site;
	bp->length = 5;
	bp->bytes[0] = op;
	memcpy(&bp->bytes[1], &rel, 4);
}

/* int3 on the probe site, bp installed: what the probe returns. */
static unsigned int probe_with(struct ktest *t,
			       const struct relink_breakpoint *bp)
{
	static const uint8_t int3 = RELINK_BREAKPOINT_OPCODE;
	unsigned int value;

	breakpoint_install(bp, 1);
	KTEST_EXPECT_EQ(t, poke(int3_probe_site, &int3, 1), 0);
	value = int3_probe();
	KTEST_EXPECT_EQ(t, poke(int3_probe_site, nop5, 5), 0);
	breakpoint_install(NULL, 0);
	return value;
}

static void test_handler_emulates(struct ktest *t)
{
	struct relink_breakpoint bp;

	KTEST_ASSERT_EQ(t, int3_probe(), 0);
	probe_breakpoint(&bp, 0xe8, int3_probe_callee);
	KTEST_EXPECT_EQ(t, probe_with(t, &bp), 0x42); /* call, returned */
	probe_breakpoint(&bp, 0xe9, int3_probe_jump);
	KTEST_EXPECT_EQ(t, probe_with(t, &bp), 0x77); /* jmp */
	memcpy(bp.bytes, nop5, 5);
	KTEST_EXPECT_EQ(t, probe_with(t, &bp), 0); /* NOP skipped */
	KTEST_EXPECT_TRUE(t, !memcmp(int3_probe_site, nop5, 5));
}

static void run_probe(void *arg)
{
	*(unsigned int *)arg = int3_probe();
}

/* An int3 at an address not in the table is an exception as before. */
static void test_handler_passes_others(struct ktest *t)
{
	static const uint8_t int3 = RELINK_BREAKPOINT_OPCODE;
	struct relink_breakpoint bp;
	struct fault_info info;
	unsigned int value = 1;

	probe_breakpoint(&bp, 0xe8, int3_probe_callee);
	bp.address += 0x1000;
	breakpoint_install(&bp, 1);
	KTEST_ASSERT_EQ(t, poke(int3_probe_site, &int3, 1), 0);
	KTEST_EXPECT_EQ(t, fault_catch(run_probe, &value, &info), -EFAULT);
	KTEST_EXPECT_EQ(t, info.vector, 3);
	KTEST_EXPECT_EQ(t, info.rip, (uint64_t)(uintptr_t)int3_probe_site + 1);
	KTEST_EXPECT_EQ(t, poke(int3_probe_site, nop5, 5), 0);
	breakpoint_install(NULL, 0);
	KTEST_EXPECT_EQ(t, int3_probe(), 0);
}

/*
 * An int3 that memory no longer holds (an emulator ran it from a stale
 * translation, or the writer finished meanwhile) resumes at the site when
 * no table names it; with a table entry the CPU runs the new code, so one
 * that runs a stale int3 with interrupts off cannot trap at it forever.
 */
static void test_handler_resumes_when_gone(struct ktest *t)
{
	struct trap_frame f = { .vector = VECTOR_BP };
	struct relink_breakpoint bp;
	uint64_t site = (uint64_t)(uintptr_t)int3_probe_site;

	KTEST_ASSERT_TRUE(t, !memcmp(int3_probe_site, nop5, 5));
	f.rip = site + 1;
	KTEST_EXPECT_TRUE(t, breakpoint_redirect(&f));
	KTEST_EXPECT_EQ(t, f.rip, site);
	probe_breakpoint(&bp, 0xe9, int3_probe_jump);
	breakpoint_install(&bp, 1);
	f.rip = site + 1;
	KTEST_EXPECT_TRUE(t, breakpoint_redirect(&f));
	KTEST_EXPECT_EQ(t, f.rip, (uint64_t)(uintptr_t)int3_probe_jump);
	breakpoint_install(NULL, 0);
}

/* A site in the handler could be the one under int3: none may be. */
static void test_handler_site_free(struct ktest *t)
{
	static const char *const handler[] = { "breakpoint_redirect",
					       "redirect", "emulate", "is_nop",
					       "rel32_at" };
	struct relink_site_info site;
	uint64_t offset;

	for (uint32_t i = 0; i < relink_site_count(); i++) {
		const char *name;

		KTEST_ASSERT_EQ(t, relink_site_get(i, &site), 0);
		name = ksym_lookup(site.address, &offset);
		for (unsigned int h = 0; name && h < ARRAY_SIZE(handler); h++)
			KTEST_EXPECT_MSG(t, strcmp(name, handler[h]),
					 "site %u in %s", i, name);
	}
}

struct readers {
	atomic_t inside;
	bool left[NR_CPUS]; /* set just before it leaves */
};

/* Plays a CPU that stays in the handler for 20 ms. */
static void stay_in_handler(void *arg)
{
	struct readers *r = arg;
	uint8_t *inside = &breakpoint_inside[smp_processor_id()];
	uint64_t start = cycles_now();

	__atomic_exchange_n(inside, 1, __ATOMIC_SEQ_CST);
	atomic_inc(&r->inside);
	while (cycles_to_ns(cycles_now() - start) < 20000000)
		cpu_relax();
	__atomic_store_n(&r->left[smp_processor_id()], true, __ATOMIC_RELAXED);
	__atomic_store_n(inside, 0, __ATOMIC_RELEASE);
}

/*
 * The engine fills the same redirect array for every switch: taking a
 * table away returns only once no CPU is in the handler, which may be
 * reading it.
 */
static void test_table_outlives_its_readers(struct ktest *t)
{
	static struct readers r;
	struct relink_breakpoint bp;
	struct cpu_jobs jobs;
	unsigned int queued, cpu;

	if (num_online_cpus() < 2)
		ktest_skip(t, "needs two CPUs online");
	memset(&r, 0, sizeof(r));
	probe_breakpoint(&bp, 0xe8, int3_probe_callee);
	breakpoint_install(&bp, 1);
	queued = cpu_jobs_start(&jobs, stay_in_handler, &r);
	while ((unsigned int)atomic_read(&r.inside) < queued)
		cpu_relax();
	breakpoint_install(NULL, 0);
	for_each_online_cpu (cpu)
		if (cpu)
			KTEST_EXPECT_MSG(t,
					 __atomic_load_n(&r.left[cpu],
							 __ATOMIC_ACQUIRE),
					 "returned before CPU %u left", cpu);
	KTEST_ASSERT_EQ(t, cpu_jobs_wait(&jobs, 5000), 0);
}

/* Every site of choice holds a call (e8) or, at a branch, a jmp/NOP. */
static unsigned int sites_of(const char *choice, uint8_t first)
{
	struct relink_choice_info info;
	struct relink_site_info site;
	unsigned int n = 0;

	for (uint32_t i = 0; i < relink_site_count(); i++)
		if (!relink_site_get(i, &site) &&
		    !relink_choice_get(site.choice, &info) &&
		    !strcmp(info.name, choice) && site.bytes[0] == first)
			n++;
	return n;
}

static void expect_int3_switch(struct ktest *t, const char *choice,
			       const char *variant)
{
	struct relink_stats st;

	KTEST_ASSERT_EQ(t, relink_switch(choice, variant), 0);
	relink_get_stats(&st);
	KTEST_EXPECT_EQ(t, st.last_method, RELINK_METHOD_INT3);
	KTEST_EXPECT_EQ(t, st.last_stop_ns, 0);
}

/* memcpy on odd sizes and offsets against a byte loop. */
static bool copy_works(void)
{
	static uint8_t src[301], dst[301];

	for (unsigned int i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i * 7 + 3);
	for (unsigned int n = 0; n < 290; n += 17) {
		memset(dst, 0xaa, sizeof(dst));
		memcpy(dst + 3, src + 1, n);
		for (unsigned int i = 0; i < n; i++)
			if (dst[3 + i] != src[1 + i])
				return false;
		if (dst[3 + n] != 0xaa || dst[2] != 0xaa)
			return false;
	}
	return true;
}

static void test_switch_calls(struct ktest *t)
{
	static const char *const copies[] = { "bytes", "movsq", "bytes" };
	unsigned int sites = sites_of("mem.copy", 0xe8);

	KTEST_ASSERT_EQ(t, relink_method_force("int3"), 0);
	KTEST_EXPECT_TRUE(t, sites > 0);
	for (unsigned int i = 0; i < 3; i++) {
		expect_int3_switch(t, "mem.copy", copies[i]);
		KTEST_EXPECT_EQ(t, sites_of("mem.copy", 0xe8), sites);
		KTEST_EXPECT_TRUE(t, copy_works());
	}
	expect_int3_switch(t, "idle", "poll");
	expect_int3_switch(t, "idle", "halt");
	KTEST_EXPECT_EQ(t, relink_switch_auto(relink_choice_find("mem.copy")),
			0);
	KTEST_EXPECT_TRUE(t, copy_works());
	relink_method_force("auto");
}

static int nothing(void *data)
{
	(void)data;
	return 0;
}

static void test_switch_branch(struct ktest *t)
{
	unsigned int nops = sites_of("trace", 0x0f);
	uint64_t before;

	KTEST_ASSERT_EQ(t, relink_method_force("int3"), 0);
	KTEST_EXPECT_TRUE(t, nops >= 2);
	expect_int3_switch(t, "trace", "on");
	KTEST_EXPECT_EQ(t, sites_of("trace", 0xeb) + sites_of("trace", 0xe9),
			nops);
	before = trace_count();
	stop_machine(nothing, NULL);
	KTEST_EXPECT_TRUE(t, trace_count() > before);
	expect_int3_switch(t, "trace", "off");
	KTEST_EXPECT_EQ(t, sites_of("trace", 0x0f), nops);
	before = trace_count();
	stop_machine(nothing, NULL);
	KTEST_EXPECT_EQ(t, trace_count(), before);
	relink_method_force("auto");
}

/* Forced int3, inline code: -EOPNOTSUPP and not a byte changes. */
static void test_forced_int3_refuses_inline(struct ktest *t)
{
	static uint8_t before[64][16];
	struct relink_choice_info info;
	struct relink_site_info site;
	int c = relink_choice_find("cpu.popcnt");
	unsigned int n = 0;

	KTEST_ASSERT_TRUE(t, c >= 0);
	KTEST_ASSERT_EQ(t, relink_choice_get((unsigned int)c, &info), 0);
	for (uint32_t i = 0; i < relink_site_count() && n < 64; i++)
		if (!relink_site_get(i, &site) && site.choice == (unsigned)c)
			memcpy(before[n++], site.bytes, site.length);
	KTEST_ASSERT_EQ(t, relink_method_force("int3"), 0);
	KTEST_EXPECT_EQ(t, relink_switch("cpu.popcnt", "sw"), -EOPNOTSUPP);
	relink_method_force("auto");
	n = 0;
	for (uint32_t i = 0; i < relink_site_count() && n < 64; i++)
		if (!relink_site_get(i, &site) && site.choice == (unsigned)c)
			KTEST_EXPECT_TRUE(t, !memcmp(before[n++], site.bytes,
						     site.length));
	KTEST_EXPECT_TRUE(t, n > 0);
}

static const struct ktest_case int3_cases[] = {
	KTEST_CASE(test_handler_emulates),
	KTEST_CASE(test_handler_passes_others),
	KTEST_CASE(test_handler_resumes_when_gone),
	KTEST_CASE(test_handler_site_free),
	KTEST_CASE(test_table_outlives_its_readers),
	KTEST_CASE(test_switch_calls),
	KTEST_CASE(test_switch_branch),
	KTEST_CASE(test_forced_int3_refuses_inline),
	{}
};
/* KVM's instruction emulator (kvm-pvm) stops the guest on a kernel int3. */
static bool int3_deliverable(const char **reason)
{
	if (relink_platform_breakpoints_usable())
		return true;
	*reason = "an int3 cannot reach the #BP handler under KVM's emulator";
	return false;
}
KTEST_SUITE(int3, int3_cases, .available = int3_deliverable);
