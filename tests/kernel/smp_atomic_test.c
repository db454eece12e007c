// SPDX-License-Identifier: MIT
/*
 * KTAP suite "smp_atomic": the atomics and spinlocks of <kernel/atomic.h>
 * and <kernel/spinlock.h> hold across CPUs. Every online CPU, the boot CPU
 * included, hammers the same words at once; the totals must be exact.
 */
#include <kernel/ktest.h>
#include <kernel/spinlock.h>
#include <lib/string.h>
#include "cpu_jobs.h"

#define ITERATIONS 5000

struct shared {
	volatile bool go;
	atomic_t add, inc_return_max, dec_to_zero_hits, countdown;
	atomic64_t add64, cmpxchg64_counter;
	volatile uint64_t raw_cmpxchg;
	spinlock_t lock;
	volatile uint64_t locked; /* plain, under lock */
	volatile unsigned long bits[2];
	atomic_t bit_errors;
};

static void hammer_atomics(struct shared *s)
{
	for (int i = 0; i < ITERATIONS; i++) {
		atomic_add(&s->add, 1);
		atomic64_add(&s->add64, 2);
		atomic_inc_return(&s->inc_return_max);
		if (atomic_dec_and_test(&s->countdown))
			atomic_inc(&s->dec_to_zero_hits);
	}
}

static void hammer_cmpxchg(struct shared *s)
{
	for (int i = 0; i < ITERATIONS / 4; i++) {
		long old64;
		uint64_t raw;

		do {
			old64 = atomic64_read(&s->cmpxchg64_counter);
		} while (atomic64_cmpxchg(&s->cmpxchg64_counter, old64,
					  old64 + 1) != old64);
		do {
			raw = s->raw_cmpxchg;
		} while (cmpxchg64(&s->raw_cmpxchg, raw, raw + 3) != raw);
	}
}

static void hammer_lock(struct shared *s)
{
	for (int i = 0; i < ITERATIONS; i++) {
		unsigned long flags = spin_lock_irqsave(&s->lock);
		uint64_t v = s->locked;

		s->locked = v + 1;
		spin_unlock_irqrestore(&s->lock, flags);
	}
}

/* Each CPU owns bits cpu and cpu + 64 of a word every CPU writes. */
static void hammer_bits(struct shared *s, unsigned int cpu)
{
	for (int i = 0; i < ITERATIONS / 4; i++) {
		set_bit(cpu, s->bits);
		if (test_and_set_bit(cpu + 64, s->bits) ||
		    !test_bit(cpu, s->bits))
			atomic_inc(&s->bit_errors);
		clear_bit(cpu, s->bits);
		if (!test_and_clear_bit(cpu + 64, s->bits) ||
		    test_bit(cpu, s->bits))
			atomic_inc(&s->bit_errors);
	}
}

static void hammer(void *arg)
{
	struct shared *s = arg;

	while (!s->go)
		arch_cpu_relax();
	hammer_atomics(s);
	hammer_cmpxchg(s);
	hammer_lock(s);
	hammer_bits(s, smp_processor_id());
}

static struct shared shared;

/* Runs everything on all CPUs at once; returns how many CPUs took part. */
static unsigned int run_everywhere(struct ktest *t)
{
	struct cpu_jobs jobs;
	unsigned int n;

	memset(&shared, 0, sizeof(shared));
	spin_lock_init(&shared.lock);
	n = cpu_jobs_start(&jobs, hammer, &shared) + 1;
	atomic_set(&shared.countdown, (int)n * ITERATIONS);
	shared.go = true;
	hammer(&shared);
	KTEST_ASSERT_EQ(t, cpu_jobs_wait(&jobs, 60000), 0);
	return n;
}

static void test_atomics_are_exact(struct ktest *t)
{
	unsigned int n = run_everywhere(t);

	KTEST_EXPECT_EQ(t, atomic_read(&shared.add), n * ITERATIONS);
	KTEST_EXPECT_EQ(t, atomic64_read(&shared.add64), 2l * n * ITERATIONS);
	KTEST_EXPECT_EQ(t, atomic_read(&shared.inc_return_max), n * ITERATIONS);
	KTEST_EXPECT_EQ(t, atomic_read(&shared.countdown), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&shared.dec_to_zero_hits), 1);
	KTEST_EXPECT_EQ(t, atomic64_read(&shared.cmpxchg64_counter),
			n * (ITERATIONS / 4));
	KTEST_EXPECT_EQ(t, shared.raw_cmpxchg, 3ull * n * (ITERATIONS / 4));
}

static void test_spinlock_counter_is_exact(struct ktest *t)
{
	unsigned int n = run_everywhere(t);

	KTEST_EXPECT_EQ(t, shared.locked, (uint64_t)n * ITERATIONS);
	KTEST_EXPECT_EQ(t, atomic_read(&shared.lock.locked), 0);
}

static void test_bit_ops_lose_nothing(struct ktest *t)
{
	run_everywhere(t);
	KTEST_EXPECT_EQ(t, atomic_read(&shared.bit_errors), 0);
	KTEST_EXPECT_EQ(t, shared.bits[0], 0);
	KTEST_EXPECT_EQ(t, shared.bits[1], 0);
}

static const struct ktest_case smp_atomic_cases[] = {
	KTEST_CASE(test_atomics_are_exact),
	KTEST_CASE(test_spinlock_counter_is_exact),
	KTEST_CASE(test_bit_ops_lose_nothing),
	{}
};
KTEST_SUITE(smp_atomic, smp_atomic_cases, .available = needs_second_cpu);
