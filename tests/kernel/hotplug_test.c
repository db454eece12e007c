// SPDX-License-Identifier: MIT
/*
 * KTAP suite "hotplug": every CPU but the boot CPU goes offline and comes
 * back 20 times, with stop_machine between the steps (the parked CPU must
 * not take part; the restarted one must); the boot CPU refuses; sysfs
 * reads and writes the state; callbacks fire in order; an offline CPU
 * takes no calls or work; a CPU finishes its work item before it parks;
 * hot-plug driven from another CPU races stop_machine and calls safely.
 */
#include <kernel/cpu_hotplug.h>
#include <kernel/fs.h>
#include <kernel/ktest.h>
#include <kernel/stop_machine.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/string.h>
#include "cpu_jobs.h"

#define CYCLES 20

/* What a refusing file says (unused when a write succeeds). */
static char why[FS_WHY_MAX];

static int stop_nothing(void *arg __unused)
{
	return 0;
}

static unsigned long stopped_mask(void)
{
	struct stop_machine_stats st;

	stop_machine(stop_nothing, NULL);
	stop_machine_stats(&st);
	return st.latest_mask;
}

static void ping(void *arg)
{
	*(volatile unsigned int *)arg = smp_processor_id();
}

/* One offline/online cycle of cpu, checked at each step. */
static bool cycle_once(struct ktest *t, unsigned int cpu)
{
	unsigned int where = ~0u;

	if (!KTEST_EXPECT_EQ(t, cpu_down(cpu), 0) ||
	    !KTEST_EXPECT_TRUE(t, !cpu_online(cpu)) ||
	    !KTEST_EXPECT_EQ(t, cpu_state(cpu), CPU_OFFLINE) ||
	    !KTEST_EXPECT_EQ(t, stopped_mask() & (1ul << cpu), 0))
		return false;
	if (!KTEST_EXPECT_EQ(t, cpu_up(cpu), 0) ||
	    !KTEST_EXPECT_TRUE(t, cpu_online(cpu)) ||
	    !KTEST_EXPECT_EQ(t, stopped_mask(), cpu_online_mask))
		return false;
	return KTEST_EXPECT_EQ(t, smp_call_function_single(cpu, ping, &where),
			       0) &&
	       KTEST_EXPECT_EQ(t, where, cpu);
}

static void test_offline_online_each_cpu_20_times(struct ktest *t)
{
	unsigned long was_online = cpu_online_mask;

	for (unsigned int cpu = 1; cpu < NR_CPUS; cpu++) {
		if (!(was_online & (1ul << cpu)))
			continue;
		for (unsigned int i = 0; i < CYCLES; i++)
			if (!cycle_once(t, cpu))
				break;
	}
	KTEST_EXPECT_EQ(t, cpu_online_mask, was_online);
}

static void test_boot_cpu_refuses(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, cpu_down(0), -EBUSY);
	KTEST_EXPECT_EQ(
		t, fs_write("/sys/devices/system/cpu/cpu0/online", "0", 1, why),
		-EBUSY);
	KTEST_EXPECT_TRUE(t, cpu_online(0));
	KTEST_EXPECT_EQ(t, cpu_down(NR_CPUS), -EINVAL);
	KTEST_EXPECT_EQ(t, cpu_up(NR_CPUS), -EINVAL);
}

static int read_state(unsigned int cpu)
{
	char path[48];
	struct seq_buf s;
	int v = -1;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u/online",
		 cpu);
	seq_init(&s);
	if (fs_read(path, &s) == 0 && s.len >= 1)
		v = s.buf[0] - '0';
	seq_release(&s);
	return v;
}

static void test_sysfs_online_file(struct ktest *t)
{
	unsigned int cpu = last_online_cpu();
	char path[48];

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u/online",
		 cpu);
	KTEST_EXPECT_EQ(t, read_state(cpu), 1);
	KTEST_EXPECT_EQ(t, fs_write(path, "2\n", 2, why), -EINVAL);
	KTEST_ASSERT_EQ(t, fs_write(path, "0\n", 2, why), 0);
	KTEST_EXPECT_EQ(t, read_state(cpu), 0);
	KTEST_EXPECT_EQ(t, fs_write(path, "0\n", 2, why), 0);
	KTEST_ASSERT_EQ(t, fs_write(path, "1\n", 2, why), 0);
	KTEST_EXPECT_EQ(t, read_state(cpu), 1);
}

static struct {
	unsigned int coming, online, gone, last_cpu;
	int veto;
	int online_counted; /* num_online_cpus() seen in coming_online */
} seen;

static int cb_coming(unsigned int cpu)
{
	seen.coming++;
	seen.last_cpu = cpu;
	seen.online_counted = (int)num_online_cpus();
	return seen.veto;
}

static void cb_online(unsigned int cpu)
{
	seen.online += cpu_online(cpu);
}

static void cb_gone(unsigned int cpu)
{
	seen.gone += !cpu_online(cpu) && cpu_state(cpu) == CPU_OFFLINE;
}

static struct cpu_hotplug_callbacks test_callbacks = {
	.name = "ktest",
	.coming_online = cb_coming,
	.online = cb_online,
	.gone_offline = cb_gone,
};

static void test_callbacks_fire(struct ktest *t)
{
	unsigned int cpu = last_online_cpu();
	unsigned int others = num_online_cpus() - 1;

	memset(&seen, 0, sizeof(seen));
	KTEST_ASSERT_EQ(t, cpu_hotplug_register(&test_callbacks), 0);
	KTEST_EXPECT_EQ(t, cpu_hotplug_register(&test_callbacks), -EEXIST);
	KTEST_EXPECT_EQ(t, cpu_down(cpu), 0);
	KTEST_EXPECT_EQ(t, seen.gone, 1);
	seen.veto = -EPERM;
	KTEST_EXPECT_EQ(t, cpu_up(cpu), -EPERM);
	KTEST_EXPECT_TRUE(t, !cpu_online(cpu));
	seen.veto = 0;
	KTEST_EXPECT_EQ(t, cpu_up(cpu), 0);
	KTEST_EXPECT_EQ(t, seen.coming, 2);
	KTEST_EXPECT_EQ(t, seen.last_cpu, cpu);
	KTEST_EXPECT_EQ(t, seen.online_counted, (int)others);
	KTEST_EXPECT_EQ(t, seen.online, 1);
	cpu_hotplug_unregister(&test_callbacks);
	KTEST_EXPECT_EQ(t, cpu_down(cpu), 0);
	KTEST_EXPECT_EQ(t, cpu_up(cpu), 0);
	KTEST_EXPECT_EQ(t, seen.coming, 2);
}

static void test_offline_cpu_takes_nothing(struct ktest *t)
{
	unsigned int cpu = last_online_cpu(), where = ~0u;
	struct work w = { .fn = ping, .arg = &where };

	KTEST_ASSERT_EQ(t, cpu_down(cpu), 0);
	KTEST_EXPECT_EQ(t, work_queue_on(cpu, &w), -ENODEV);
	KTEST_EXPECT_EQ(t, smp_call_function_single(cpu, ping, &where),
			-ENODEV);
	KTEST_EXPECT_EQ(t, where, ~0u);
	KTEST_ASSERT_EQ(t, cpu_up(cpu), 0);
}

struct long_work {
	volatile bool running;
	volatile uint64_t batches;
	volatile bool saw_stopping;
};

/* Batches until its CPU is asked to leave; always ends a batch. */
static void long_item(void *arg)
{
	struct long_work *lw = arg;

	do {
		udelay(100);
		lw->batches++;
		lw->running = true;
	} while (!cpu_stopping());
	lw->saw_stopping = true;
}

static void test_offline_waits_for_the_work_item(struct ktest *t)
{
	unsigned int cpu = last_online_cpu();
	struct long_work lw = { false, 0, false };
	struct work w = { .fn = long_item, .arg = &lw };

	KTEST_ASSERT_EQ(t, work_queue_on(cpu, &w), 0);
	while (!lw.running)
		arch_cpu_relax();
	KTEST_EXPECT_EQ(t, cpu_down(cpu), 0);
	KTEST_EXPECT_TRUE(t, lw.saw_stopping);
	KTEST_EXPECT_TRUE(t, lw.batches > 0);
	KTEST_ASSERT_EQ(t, cpu_up(cpu), 0);
}

struct cycler {
	unsigned int cpu;
	volatile int errors;
	volatile bool done;
};

/* From another CPU than the boot CPU: changes race with its work. */
static void cycle_from_here(void *arg)
{
	struct cycler *c = arg;

	for (unsigned int i = 0; i < CYCLES / 2; i++)
		if (cpu_down(c->cpu) || cpu_up(c->cpu))
			c->errors++;
	c->done = true;
}

static void nothing(void *arg __unused)
{
}

static void test_hotplug_races_stop_machine_and_calls(struct ktest *t)
{
	struct cycler c = { .cpu = last_online_cpu() };
	struct work w = { .fn = cycle_from_here, .arg = &c };
	unsigned int rounds = 0;

	if (num_online_cpus() < 3)
		ktest_skip(t, "needs three CPUs online");
	KTEST_ASSERT_EQ(t, work_queue_on(1, &w), 0);
	while (!c.done) {
		KTEST_EXPECT_EQ(t, stop_machine(stop_nothing, NULL), 0);
		KTEST_EXPECT_EQ(t, smp_call_function_others(nothing, NULL), 0);
		rounds++;
	}
	KTEST_EXPECT_EQ(t, c.errors, 0);
	KTEST_EXPECT_TRUE(t, cpu_online(c.cpu));
	KTEST_EXPECT_TRUE(t, rounds > 0);
}

static const struct ktest_case hotplug_cases[] = {
	KTEST_CASE(test_offline_online_each_cpu_20_times),
	KTEST_CASE(test_boot_cpu_refuses),
	KTEST_CASE(test_sysfs_online_file),
	KTEST_CASE(test_callbacks_fire),
	KTEST_CASE(test_offline_cpu_takes_nothing),
	KTEST_CASE(test_offline_waits_for_the_work_item),
	KTEST_CASE(test_hotplug_races_stop_machine_and_calls),
	{}
};
KTEST_SUITE(hotplug, hotplug_cases, .available = needs_second_cpu);
