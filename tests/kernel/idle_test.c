// SPDX-License-Identifier: MIT
/*
 * KTAP suite "idle": each idle variant the CPU supports returns on the
 * boot CPU's next interrupt and lets a sleeping CPU wake for queued work;
 * mwait without MONITOR is refused and changes nothing.
 */
#include <kernel/idle.h>
#include <kernel/ktest.h>
#include <kernel/platform.h>
#include <lib/errno.h>
#include "cpu_jobs.h"

static void mark_done(void *arg)
{
	*(volatile bool *)arg = true;
}

/* Idle once on this CPU: the timer (or anything) must end it. */
static bool idle_returns(void)
{
	uint64_t before = this_cpu()->idle_calls;
	unsigned long flags = arch_local_irq_save();

	arch_idle();
	arch_local_irq_restore(flags);
	return this_cpu()->idle_calls == before + 1;
}

/* Let CPU cpu fall asleep, then queue work: it must wake and run it. */
static bool work_wakes(unsigned int cpu)
{
	volatile bool done = false;
	struct work w = { .fn = mark_done, .arg = (void *)&done };
	uint64_t idles = per_cpu(cpu)->idle_calls, start = cycles_now();

	/* It idled since: it sleeps now, or is about to (timer, 10 ms). */
	while (per_cpu(cpu)->idle_calls == idles)
		if (cycles_to_ns(cycles_now() - start) > 1000000000ull)
			return false;
	if (work_queue_on(cpu, &w))
		return false;
	start = cycles_now();
	while (!done)
		if (cycles_to_ns(cycles_now() - start) > 2000000000ull)
			return false;
	return true;
}

static void check_mode(struct ktest *t, enum idle_mode mode)
{
	enum idle_mode old = idle_mode_get();
	const char *why;

	if (!idle_mode_available(mode, &why))
		ktest_skip(t, why);
	KTEST_ASSERT_EQ(t, idle_mode_set(mode), 0);
	KTEST_EXPECT_TRUE(t, idle_returns());
	if (num_online_cpus() > 1)
		KTEST_EXPECT_TRUE(t, work_wakes(last_online_cpu()));
	idle_mode_set(old);
}

static void test_halt(struct ktest *t)
{
	check_mode(t, IDLE_HALT);
}

static void test_poll(struct ktest *t)
{
	check_mode(t, IDLE_POLL);
}

static void test_mwait(struct ktest *t)
{
	check_mode(t, IDLE_MWAIT);
}

static void test_mwait_refused_without_monitor(struct ktest *t)
{
	enum idle_mode old = idle_mode_get();
	const char *why;

	if (idle_mode_available(IDLE_MWAIT, &why))
		ktest_skip(t, "this CPU has MONITOR/MWAIT");
	KTEST_EXPECT_EQ(t, idle_mode_set(IDLE_MWAIT), -EPERM);
	KTEST_EXPECT_EQ(t, idle_mode_get(), old);
	KTEST_EXPECT_EQ(t, idle_mode_set(NR_IDLE_MODES), -EINVAL);
}

static const struct ktest_case idle_cases[] = {
	KTEST_CASE(test_halt),
	KTEST_CASE(test_poll),
	KTEST_CASE(test_mwait),
	KTEST_CASE(test_mwait_refused_without_monitor),
	{}
};
KTEST_SUITE(idle, idle_cases);
