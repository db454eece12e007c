// SPDX-License-Identifier: MIT
/*
 * KTAP suite "stop_machine": 1000 rendezvous in a row, every CPU taking
 * part each time and none running anything else meanwhile (busy work on
 * every other CPU must not move while fn runs); fn on every CPU with
 * interrupts off; results passed back; a CPU arriving late and an
 * interrupt pending on the caller do not break the protocol; a CPU
 * stopped in the middle of a code range is reported; the statistics file.
 */
#include <kernel/cpu_hotplug.h>
#include <kernel/fs.h>
#include <kernel/ktest.h>
#include <kernel/platform.h>
#include <kernel/printk.h>
#include <kernel/stop_machine.h>
#include <lib/errno.h>
#include <lib/string.h>
#include "cpu_jobs.h"

#define ROUNDS 1000
#define QUIET_US 20

struct busy {
	volatile bool stop;
	volatile uint64_t count[NR_CPUS];
};

/*
 * Count, with a nap every 1024 steps: the counters move between stops,
 * and sleeping CPUs leave the host's CPUs to the ones that must spin.
 */
static void busy_loop(void *arg)
{
	struct busy *b = arg;
	unsigned int cpu = smp_processor_id();

	while (!b->stop && !cpu_stopping()) {
		if (!(++b->count[cpu] % 1024)) {
			arch_irq_disable();
			arch_idle();
			arch_irq_enable();
		}
	}
}

struct quiet {
	struct busy *busy;
	unsigned int runs, noisy, irqs_on;
	atomic_t hits[NR_CPUS];
	atomic_t irqs_on_all;
};

/* On the caller while the others spin: their busy counters stand still. */
static int check_quiet(void *arg)
{
	struct quiet *q = arg;
	uint64_t before[NR_CPUS];

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		before[cpu] = q->busy->count[cpu];
	udelay(QUIET_US);
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		if (q->busy->count[cpu] != before[cpu])
			q->noisy++;
	if (!arch_irqs_disabled_flags(arch_save_flags()))
		q->irqs_on++;
	q->runs++;
	return 7;
}

static int count_arrival(void *arg)
{
	struct quiet *q = arg;

	atomic_inc(&q->hits[smp_processor_id()]);
	if (!arch_irqs_disabled_flags(arch_save_flags()))
		atomic_inc(&q->irqs_on_all);
	return 0;
}

/* Even rounds: fn on the caller; odd rounds: fn on every CPU. */
static void run_rounds(struct ktest *t, struct quiet *q)
{
	struct stop_machine_stats st;

	for (unsigned int i = 0; i < ROUNDS; i++) {
		int rc = i % 2 ? stop_machine_all(count_arrival, q) :
				 stop_machine(check_quiet, q);

		stop_machine_stats(&st);
		if (!KTEST_EXPECT_EQ(t, rc, i % 2 ? 0 : 7) ||
		    !KTEST_EXPECT_EQ(t, st.latest_mask, cpu_online_mask))
			break;
	}
}

static void test_stop_machine_1000_times(struct ktest *t)
{
	static struct busy busy;
	struct quiet q = { .busy = &busy };
	struct stop_machine_stats st;
	struct cpu_jobs jobs;
	uint64_t moved[NR_CPUS];
	unsigned int cpu;

	memset(&busy, 0, sizeof(busy));
	cpu_jobs_start(&jobs, busy_loop, &busy);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		moved[cpu] = busy.count[cpu];
	run_rounds(t, &q);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		moved[cpu] = busy.count[cpu] - moved[cpu];
	busy.stop = true;
	KTEST_ASSERT_EQ(t, cpu_jobs_wait(&jobs, 10000), 0);
	stop_machine_stats(&st);
	kprintf("    # stop_machine: %u CPUs, latest %llu us, longest %llu us, "
		"mean %llu us\n",
		st.latest_cpus, (unsigned long long)st.latest_ns / 1000,
		(unsigned long long)st.longest_ns / 1000,
		(unsigned long long)(st.total_ns / st.count / 1000));
	KTEST_EXPECT_EQ(t, q.runs, ROUNDS / 2);
	KTEST_EXPECT_EQ(t, q.noisy, 0);
	KTEST_EXPECT_EQ(t, q.irqs_on, 0);
	KTEST_EXPECT_EQ(t, atomic_read(&q.irqs_on_all), 0);
	for_each_online_cpu (cpu) {
		KTEST_EXPECT_EQ(t, atomic_read(&q.hits[cpu]), ROUNDS / 2);
		/* The busy work really ran between the stops. */
		if (cpu)
			KTEST_EXPECT_TRUE(t, moved[cpu] > 0);
	}
}

static int return_42(void *arg __unused)
{
	return 42;
}

static int fail_on_last_cpu(void *arg)
{
	unsigned int *last = arg;

	return smp_processor_id() == *last ? -EIO : 0;
}

static void test_results_come_back(struct ktest *t)
{
	unsigned int last = last_online_cpu();

	KTEST_EXPECT_EQ(t, stop_machine(return_42, NULL), 42);
	KTEST_EXPECT_EQ(t, stop_machine_all(fail_on_last_cpu, &last), -EIO);
}

struct late {
	volatile bool started, finished;
};

/* Keeps interrupts off for 3 ms: the stop IPI waits. */
static void arrive_late(void *arg)
{
	struct late *l = arg;

	arch_irq_disable();
	l->started = true;
	udelay(3000);
	l->finished = true;
	arch_irq_enable();
}

static int late_cpu_was_there(void *arg)
{
	struct late *l = arg;

	return l->finished ? 0 : -EBUSY;
}

static void test_late_cpu_holds_everyone(struct ktest *t)
{
	struct late l = { false, false };
	struct stop_machine_stats st;
	struct work w = { .fn = arrive_late, .arg = &l };

	KTEST_ASSERT_EQ(t, work_queue_on(last_online_cpu(), &w), 0);
	while (!l.started)
		arch_cpu_relax();
	KTEST_EXPECT_EQ(t, stop_machine(late_cpu_was_there, &l), 0);
	stop_machine_stats(&st);
	KTEST_EXPECT_EQ(t, st.latest_mask, cpu_online_mask);
	while (!l.finished)
		arch_cpu_relax();
}

struct pending {
	struct smp_call call;
	volatile bool queued;
	volatile int ran_after; /* the stop count when the call ran */
	volatile int stops;
};

static void pending_call(void *arg)
{
	struct pending *p = arg;

	p->ran_after = p->stops;
}

static void send_call_to_boot_cpu(void *arg)
{
	struct pending *p = arg;

	p->call = (struct smp_call){ .fn = pending_call, .arg = p };
	if (smp_call_function_async(0, &p->call) == 0)
		p->queued = true;
}

static int count_stop(void *arg)
{
	struct pending *p = arg;

	p->stops++;
	return atomic_read(&p->call.done) ? -EBUSY : 0;
}

/* A call IPI pending on the caller waits until the machine runs again. */
static void test_pending_interrupt_waits(struct ktest *t)
{
	struct pending p = { .ran_after = -1 };
	struct work w = { .fn = send_call_to_boot_cpu, .arg = &p };
	unsigned long flags = arch_local_irq_save();
	int rc;

	if (!KTEST_EXPECT_EQ(t, work_queue_on(last_online_cpu(), &w), 0)) {
		arch_local_irq_restore(flags);
		return;
	}
	while (!p.queued)
		arch_cpu_relax();
	rc = stop_machine(count_stop, &p);
	arch_local_irq_restore(flags);
	smp_call_wait(&p.call);
	KTEST_EXPECT_EQ(t, rc, 0);
	KTEST_EXPECT_EQ(t, p.ran_after, 1);
}

extern const char inside_start[], inside_end[];

/* Spins inside [inside_start, inside_end) until *stop, interrupts on. */
static __attribute__((noinline, noclone)) void spin_inside(void *arg)
{
	struct late *l = arg;

	l->started = true;
	asm volatile(".globl inside_start\n"
		     "inside_start:\n\t"
		     "nop\n"
		     "1:\tpause\n\t"
		     "cmpb $0, %0\n\t"
		     "je 1b\n"
		     ".globl inside_end\n"
		     "inside_end:\n\t"
		     "nop"
		     :
		     : "m"(l->finished)
		     : "memory", "cc");
}

struct ranges {
	bool in, before, after;
};

static int look_inside(void *arg)
{
	struct ranges *r = arg;
	uint64_t start = (uint64_t)inside_start, end = (uint64_t)inside_end;

	r->in = stop_machine_cpu_inside(start, end);
	r->before = stop_machine_cpu_inside(start - 64, start + 1);
	r->after = stop_machine_cpu_inside(end, end + 64);
	return 0;
}

/* A CPU stopped in the middle of a code range is reported as inside. */
static void test_cpu_inside_a_range(struct ktest *t)
{
	struct late l = { false, false };
	struct work w = { .fn = spin_inside, .arg = &l };
	struct ranges r;

	KTEST_ASSERT_EQ(t, work_queue_on(last_online_cpu(), &w), 0);
	while (!l.started)
		arch_cpu_relax();
	udelay(1000);
	KTEST_EXPECT_EQ(t, stop_machine(look_inside, &r), 0);
	l.finished = true;
	KTEST_EXPECT_TRUE(t, r.in);
	KTEST_EXPECT_TRUE(t, !r.before);
	KTEST_EXPECT_TRUE(t, !r.after);
}

static void test_debugfs_shows_stop_times(struct ktest *t)
{
	struct stop_machine_stats before, after;
	struct seq_buf s;

	stop_machine_stats(&before);
	stop_machine(return_42, NULL);
	stop_machine_stats(&after);
	KTEST_EXPECT_EQ(t, after.count, before.count + 1);
	KTEST_EXPECT_TRUE(t, after.longest_ns >= after.latest_ns);
	KTEST_EXPECT_TRUE(t, after.latest_ns > 0);
	seq_init(&s);
	KTEST_ASSERT_EQ(t, fs_read("/sys/kernel/debug/stop_machine", &s), 0);
	KTEST_EXPECT_TRUE(t, s.buf && strstr(s.buf, "count:") &&
				     strstr(s.buf, "latest:") &&
				     strstr(s.buf, "longest:"));
	seq_release(&s);
}

static const struct ktest_case stop_machine_cases[] = {
	KTEST_CASE(test_stop_machine_1000_times),
	KTEST_CASE(test_results_come_back),
	KTEST_CASE(test_late_cpu_holds_everyone),
	KTEST_CASE(test_pending_interrupt_waits),
	KTEST_CASE(test_cpu_inside_a_range),
	KTEST_CASE(test_debugfs_shows_stop_times),
	{}
};
KTEST_SUITE(stop_machine, stop_machine_cases, .available = needs_second_cpu);
