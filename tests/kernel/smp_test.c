// SPDX-License-Identifier: MIT
/*
 * KTAP suite "smp": every online CPU answers an IPI and runs the function
 * on itself, calls to all others reach each of them once, run-loop work
 * runs on the CPU it was queued for, per-CPU data (fault recovery
 * included) is each CPU's own, and /proc/cpuinfo lists every online CPU.
 */
#include <native/apic.h>
#include <arch/trap.h>
#include <kernel/fault.h>
#include <kernel/fs.h>
#include <kernel/ktest.h>
#include <kernel/percpu.h>
#include <kernel/smp.h>
#include <kernel/work.h>
#include <lib/errno.h>
#include <lib/string.h>
#include "cpu_jobs.h"

struct where {
	unsigned int cpu;
	unsigned int percpu_cpu;
	bool irqs_off;
};

static void note_cpu(void *arg)
{
	struct where *w = arg;

	w->cpu = smp_processor_id();
	w->percpu_cpu = this_cpu()->cpu;
	w->irqs_off = arch_irqs_disabled_flags(arch_save_flags());
}

static void test_ipi_reaches_each_cpu(struct ktest *t)
{
	unsigned int cpu;

	for_each_online_cpu (cpu) {
		uint64_t *ipis = &per_cpu(cpu)->arch.irq_count[VECTOR_CALL_IPI];
		uint64_t before = *ipis;
		struct where w = { .cpu = ~0u };

		KTEST_ASSERT_EQ(t, smp_call_function_single(cpu, note_cpu, &w),
				0);
		KTEST_EXPECT_EQ(t, w.cpu, cpu);
		KTEST_EXPECT_EQ(t, w.percpu_cpu, cpu);
		KTEST_EXPECT_TRUE(t, w.irqs_off);
		/* The caller runs its own call directly, the others by IPI. */
		if (cpu != smp_processor_id())
			KTEST_EXPECT_TRUE(t, *ipis > before);
	}
}

static void count_call(void *arg)
{
	atomic_t *hits = arg;

	atomic_add(&hits[smp_processor_id()], 1);
}

static void test_call_others_reaches_each_once(struct ktest *t)
{
	atomic_t hits[NR_CPUS];
	unsigned int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++)
		atomic_set(&hits[cpu], 0);
	KTEST_ASSERT_EQ(t, smp_call_function_others(count_call, hits), 0);
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		int want = cpu_online(cpu) && cpu != smp_processor_id();

		KTEST_EXPECT_EQ(t, atomic_read(&hits[cpu]), want);
	}
}

static void test_call_to_offline_cpu_fails(struct ktest *t)
{
	struct where w;

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		if (!cpu_online(cpu))
			KTEST_EXPECT_EQ(
				t, smp_call_function_single(cpu, note_cpu, &w),
				-ENODEV);
	KTEST_EXPECT_EQ(t, smp_call_function_single(NR_CPUS + 3, note_cpu, &w),
			-ENODEV);
}

static void note_work_cpu(void *arg)
{
	struct where *w = arg;

	w[smp_processor_id()].cpu = smp_processor_id();
	w[smp_processor_id()].irqs_off =
		arch_irqs_disabled_flags(arch_save_flags());
}

static void test_work_runs_on_its_cpu(struct ktest *t)
{
	struct where w[NR_CPUS];
	struct cpu_jobs jobs;
	unsigned int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++)
		w[cpu] = (struct where){ .cpu = ~0u, .irqs_off = true };
	KTEST_EXPECT_EQ(t, cpu_jobs_start(&jobs, note_work_cpu, w),
			num_online_cpus() - 1);
	KTEST_ASSERT_EQ(t, cpu_jobs_wait(&jobs, 5000), 0);
	for_each_online_cpu (cpu) {
		if (!cpu)
			continue;
		KTEST_EXPECT_EQ(t, w[cpu].cpu, cpu);
		KTEST_EXPECT_TRUE(t, !w[cpu].irqs_off);
	}
}

static void test_boot_cpu_takes_no_work(struct ktest *t)
{
	struct work w = { .fn = note_cpu, .arg = NULL };

	KTEST_EXPECT_EQ(t, work_queue_on(0, &w), -EINVAL);
	KTEST_EXPECT_EQ(t, work_queue_on(NR_CPUS, &w), -ENODEV);
}

static volatile uintptr_t bad_address = 16;

static void read_bad(void *arg __unused)
{
	(void)*(volatile uint64_t *)bad_address;
}

/* Every CPU at once: each fault returns to its own CPU's fault_catch. */
static void catch_a_fault(void *arg)
{
	struct fault_info *info = arg;

	if (fault_catch(read_bad, NULL, &info[smp_processor_id()]) != -EFAULT)
		info[smp_processor_id()].vector = 0xff;
}

static void test_fault_catch_is_per_cpu(struct ktest *t)
{
	struct fault_info info[NR_CPUS];
	struct cpu_jobs jobs;
	unsigned int cpu;

	memset(info, 0, sizeof(info));
	cpu_jobs_start(&jobs, catch_a_fault, info);
	catch_a_fault(info);
	KTEST_ASSERT_EQ(t, cpu_jobs_wait(&jobs, 5000), 0);
	for_each_online_cpu (cpu) {
		KTEST_EXPECT_EQ(t, info[cpu].vector, VECTOR_PF);
		KTEST_EXPECT_EQ(t, info[cpu].address, 16);
	}
}

static unsigned int count_lines(const char *text, size_t len,
				const char *prefix)
{
	unsigned int n = 0;
	size_t plen = strlen(prefix);

	for (size_t i = 0; i + plen <= len; i++)
		if ((i == 0 || text[i - 1] == '\n') &&
		    !strncmp(text + i, prefix, plen))
			n++;
	return n;
}

static void test_cpuinfo_lists_every_online_cpu(struct ktest *t)
{
	struct seq_buf s;

	seq_init(&s);
	KTEST_ASSERT_EQ(t, fs_read("/proc/cpuinfo", &s), 0);
	KTEST_EXPECT_EQ(t, count_lines(s.buf, s.len, "processor\t:"),
			num_online_cpus());
	seq_release(&s);
}

static const struct ktest_case smp_cases[] = {
	KTEST_CASE(test_ipi_reaches_each_cpu),
	KTEST_CASE(test_call_others_reaches_each_once),
	KTEST_CASE(test_call_to_offline_cpu_fails),
	KTEST_CASE(test_work_runs_on_its_cpu),
	KTEST_CASE(test_boot_cpu_takes_no_work),
	KTEST_CASE(test_fault_catch_is_per_cpu),
	KTEST_CASE(test_cpuinfo_lists_every_online_cpu),
	{}
};
KTEST_SUITE(smp, smp_cases, .available = needs_second_cpu);
