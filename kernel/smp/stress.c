// SPDX-License-Identifier: MIT
/*
 * The "stress" shell command: a self-checking workload on every other CPU.
 * "stress start SECONDS" queues a worker on each online CPU but the boot
 * CPU and returns at once; "stress wait" idles until the time is up and
 * every worker has returned, prints the counters and "stress: PASS" or
 * "stress: FAIL (what was wrong)".
 *
 * A worker runs batches until the deadline or until its CPU is asked to go
 * offline (cpu_stopping): it always finishes the batch it is in, and each
 * CPU counts what it did, so the checks hold however CPUs come and go. A
 * CPU that comes back online while the workload runs gets a new worker
 * (hot-plug callback). Each batch exercises:
 *
 *   atomics	atomic64_inc and a cmpxchg loop on shared counters: their
 *		final values must equal the sums of the per-CPU counts
 *   spinlock	a plain load-add-store of a shared counter under a lock:
 *		exact only if the lock excludes
 *   bit ops	each CPU flips its own bit of one shared word: a lost
 *		update (non-atomic read-modify-write) shows as a wrong bit
 *   memcpy	copies of varying length and alignment, compared after
 *   idle	wake the next worker's CPU, then arch_idle() once
 */
#include <kernel/cpu.h>
#include <kernel/cpu_hotplug.h>
#include <kernel/init.h>
#include <kernel/irqflags.h>
#include <kernel/platform.h>
#include <kernel/printk.h>
#include <kernel/shell.h>
#include <kernel/smp.h>
#include <kernel/work.h>
#include <lib/errno.h>
#include <lib/parse.h>
#include <lib/printf.h>
#include <lib/string.h>

#define STRESS_OPS 256
#define STRESS_COPY 2048
#define STRESS_MAX_SECONDS 3600

struct stress_counts {
	uint64_t starts, batches, atomic_adds, cmpxchg_adds, locked_adds;
	uint64_t bit_flips, bit_errors, bytes_copied, copy_errors, idles;
};

struct stress_cpu {
	struct work work;
	bool running; /* worker queued or running: stress_lock */
	struct stress_counts n; /* starts: stress_lock; the rest: worker */
	uint8_t src[STRESS_COPY], dst[STRESS_COPY];
};

static struct stress_cpu stress_cpus[NR_CPUS];
static struct {
	bool active;
	unsigned int seconds, running;
	uint64_t deadline;
	atomic64_t atomic_counter, cmpxchg_counter;
	uint64_t locked_counter; /* under counter_lock only */
	volatile unsigned long bits;
} stress;
static DEFINE_SPINLOCK(stress_lock); /* active, running, ->running */
static DEFINE_SPINLOCK(counter_lock);

static void stress_atomics(struct stress_cpu *sc)
{
	for (unsigned int i = 0; i < STRESS_OPS; i++)
		atomic64_inc(&stress.atomic_counter);
	sc->n.atomic_adds += STRESS_OPS;
	for (unsigned int i = 0; i < STRESS_OPS / 4; i++) {
		long old;

		do {
			old = atomic64_read(&stress.cmpxchg_counter);
		} while (atomic64_cmpxchg(&stress.cmpxchg_counter, old,
					  old + 1) != old);
	}
	sc->n.cmpxchg_adds += STRESS_OPS / 4;
}

/* Load and store apart on purpose: only the lock keeps them together. */
static void stress_spinlock(struct stress_cpu *sc)
{
	for (unsigned int i = 0; i < STRESS_OPS; i++) {
		unsigned long flags = spin_lock_irqsave(&counter_lock);
		uint64_t v = READ_ONCE(stress.locked_counter);

		WRITE_ONCE(stress.locked_counter, v + 1);
		spin_unlock_irqrestore(&counter_lock, flags);
	}
	sc->n.locked_adds += STRESS_OPS;
}

static void stress_bits(struct stress_cpu *sc, unsigned int cpu)
{
	for (unsigned int i = 0; i < STRESS_OPS / 4; i++) {
		if (test_and_set_bit(cpu, &stress.bits))
			sc->n.bit_errors++;
		if (!test_bit(cpu, &stress.bits))
			sc->n.bit_errors++;
		if (!test_and_clear_bit(cpu, &stress.bits))
			sc->n.bit_errors++;
	}
	sc->n.bit_flips += STRESS_OPS / 4;
}

static void stress_memcpy(struct stress_cpu *sc, unsigned int cpu)
{
	size_t off = sc->n.batches % 61;
	size_t len = STRESS_COPY - 64 - sc->n.batches % 509;

	for (size_t i = 0; i < STRESS_COPY; i++)
		sc->src[i] = (uint8_t)(i * 7 + cpu + sc->n.batches);
	memset(sc->dst, 0, sizeof(sc->dst));
	memcpy(sc->dst + (off ^ 5), sc->src + off, len);
	if (memcmp(sc->dst + (off ^ 5), sc->src + off, len))
		sc->n.copy_errors++;
	sc->n.bytes_copied += len;
}

/* Wake the next online CPU, then sleep once the idle= way. */
static void stress_idle(struct stress_cpu *sc, unsigned int cpu)
{
	for (unsigned int next = (cpu + 1) % NR_CPUS; next != cpu;
	     next = (next + 1) % NR_CPUS) {
		if (next && cpu_online(next)) {
			cpu_kick(next);
			break;
		}
	}
	arch_irq_disable();
	arch_idle();
	arch_irq_enable();
	sc->n.idles++;
}

static void stress_worker(void *arg)
{
	struct stress_cpu *sc = arg;
	unsigned int cpu = smp_processor_id();
	unsigned long flags;

	while (!cpu_stopping() && cycles_now() < READ_ONCE(stress.deadline)) {
		stress_atomics(sc);
		stress_spinlock(sc);
		stress_bits(sc, cpu);
		stress_memcpy(sc, cpu);
		stress_idle(sc, cpu);
		sc->n.batches++;
	}
	flags = spin_lock_irqsave(&stress_lock);
	sc->running = false;
	stress.running--;
	spin_unlock_irqrestore(&stress_lock, flags);
}

/* stress_lock held. */
static bool stress_queue(unsigned int cpu)
{
	struct stress_cpu *sc = &stress_cpus[cpu];

	if (sc->running || cycles_now() >= stress.deadline)
		return false;
	sc->work = (struct work){ .fn = stress_worker, .arg = sc };
	if (work_queue_on(cpu, &sc->work))
		return false;
	sc->running = true;
	sc->n.starts++;
	stress.running++;
	return true;
}

static void stress_cpu_online(unsigned int cpu)
{
	unsigned long flags = spin_lock_irqsave(&stress_lock);

	if (stress.active)
		stress_queue(cpu);
	spin_unlock_irqrestore(&stress_lock, flags);
}

static struct cpu_hotplug_callbacks stress_hotplug = {
	.name = "stress",
	.online = stress_cpu_online,
};

static int stress_init(void)
{
	return cpu_hotplug_register(&stress_hotplug);
}
INITCALL(stress_init);

static void stress_reset(unsigned int seconds)
{
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		memset(&stress_cpus[cpu].n, 0, sizeof(stress_cpus[cpu].n));
	atomic64_set(&stress.atomic_counter, 0);
	atomic64_set(&stress.cmpxchg_counter, 0);
	stress.locked_counter = 0;
	stress.bits = 0;
	stress.seconds = seconds;
	stress.deadline =
		cycles_now() + (uint64_t)seconds * boot_cpu.tsc_khz * 1000;
}

static int stress_start(unsigned int seconds)
{
	unsigned long flags = spin_lock_irqsave(&stress_lock);
	unsigned int cpu, queued = 0;

	if (stress.active || stress.running) {
		spin_unlock_irqrestore(&stress_lock, flags);
		kprintf("stress: already running (stress wait)\n");
		return -EBUSY;
	}
	stress_reset(seconds);
	for_each_online_cpu (cpu)
		if (cpu != smp_processor_id())
			queued += stress_queue(cpu);
	stress.active = queued > 0;
	spin_unlock_irqrestore(&stress_lock, flags);
	if (!queued) {
		kprintf("stress: no other CPU online to run it\n");
		return -ENODEV;
	}
	kprintf("stress: started on %u CPUs for %u s\n", queued, seconds);
	return 0;
}

/* Until the time is up and every worker returned; idles meanwhile. */
static void stress_wait_done(void)
{
	for (;;) {
		unsigned long flags = arch_local_irq_save();
		bool done;

		spin_lock(&stress_lock);
		done = !stress.running && cycles_now() >= stress.deadline;
		if (done)
			stress.active = false;
		spin_unlock(&stress_lock);
		if (!done)
			arch_idle();
		arch_local_irq_restore(flags);
		if (done)
			return;
	}
}

struct stress_totals {
	uint64_t batches, atomic_adds, cmpxchg_adds, locked_adds;
	uint64_t bit_errors, copy_errors, starts;
};

static void stress_report_cpus(struct stress_totals *t)
{
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		const struct stress_cpu *sc = &stress_cpus[cpu];

		if (!sc->n.starts)
			continue;
		kprintf("stress: cpu%u: %llu runs, %llu batches, %llu atomic, "
			"%llu cmpxchg, %llu locked, %llu bit flips, %llu KiB "
			"copied, %llu idles\n",
			cpu, (unsigned long long)sc->n.starts,
			(unsigned long long)sc->n.batches,
			(unsigned long long)sc->n.atomic_adds,
			(unsigned long long)sc->n.cmpxchg_adds,
			(unsigned long long)sc->n.locked_adds,
			(unsigned long long)sc->n.bit_flips,
			(unsigned long long)(sc->n.bytes_copied / 1024),
			(unsigned long long)sc->n.idles);
		t->starts += sc->n.starts;
		t->batches += sc->n.batches;
		t->atomic_adds += sc->n.atomic_adds;
		t->cmpxchg_adds += sc->n.cmpxchg_adds;
		t->locked_adds += sc->n.locked_adds;
		t->bit_errors += sc->n.bit_errors;
		t->copy_errors += sc->n.copy_errors;
	}
}

/* The first thing wrong, or NULL. */
static const char *stress_verdict(const struct stress_totals *t, char *buf,
				  size_t size)
{
	uint64_t atomic = (uint64_t)atomic64_read(&stress.atomic_counter);
	uint64_t cmpxchg = (uint64_t)atomic64_read(&stress.cmpxchg_counter);

	if (!t->batches)
		return "no batch ran";
	if (atomic != t->atomic_adds)
		snprintf(buf, size, "atomic counter %llu, %llu adds done",
			 (unsigned long long)atomic,
			 (unsigned long long)t->atomic_adds);
	else if (cmpxchg != t->cmpxchg_adds)
		snprintf(buf, size, "cmpxchg counter %llu, %llu adds done",
			 (unsigned long long)cmpxchg,
			 (unsigned long long)t->cmpxchg_adds);
	else if (stress.locked_counter != t->locked_adds)
		snprintf(buf, size, "locked counter %llu, %llu adds done",
			 (unsigned long long)stress.locked_counter,
			 (unsigned long long)t->locked_adds);
	else if (t->bit_errors || stress.bits)
		snprintf(buf, size, "%llu bit-op errors, word 0x%lx",
			 (unsigned long long)t->bit_errors, stress.bits);
	else if (t->copy_errors)
		snprintf(buf, size, "%llu memcpy mismatches",
			 (unsigned long long)t->copy_errors);
	else
		return NULL;
	return buf;
}

static int stress_wait(void)
{
	struct stress_totals t = { 0 };
	const char *wrong;
	char buf[96];

	if (!READ_ONCE(stress.active)) {
		kprintf("stress: not running (stress start SECONDS)\n");
		return -EINVAL;
	}
	stress_wait_done();
	stress_report_cpus(&t);
	kprintf("stress: %u s, %llu worker runs, %llu batches: atomic %llu, "
		"cmpxchg %llu, locked %llu\n",
		stress.seconds, (unsigned long long)t.starts,
		(unsigned long long)t.batches,
		(unsigned long long)atomic64_read(&stress.atomic_counter),
		(unsigned long long)atomic64_read(&stress.cmpxchg_counter),
		(unsigned long long)stress.locked_counter);
	wrong = stress_verdict(&t, buf, sizeof(buf));
	if (wrong) {
		kprintf("stress: FAIL (%s)\n", wrong);
		return -EIO;
	}
	kprintf("stress: PASS\n");
	return 0;
}

static int cmd_stress(int argc, char **argv)
{
	unsigned int seconds;

	if (argc == 3 && !strcmp(argv[1], "start")) {
		if (kstrtouint(argv[2], 10, &seconds) || !seconds ||
		    seconds > STRESS_MAX_SECONDS) {
			kprintf("stress: SECONDS must be 1..%u\n",
				STRESS_MAX_SECONDS);
			return -EINVAL;
		}
		return stress_start(seconds);
	}
	if (argc == 2 && !strcmp(argv[1], "wait"))
		return stress_wait();
	kprintf("usage: stress start SECONDS | stress wait\n");
	return -EINVAL;
}
SHELL_COMMAND("stress", cmd_stress, "stress start SECONDS | stress wait",
	      "check atomics, locks, memcpy, idle on the other CPUs");
