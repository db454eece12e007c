// SPDX-License-Identifier: MIT
/*
 * The in-kernel benchmark of run-time switches: the "relink-switch-bench"
 * shell command (make bench runs it on four CPUs). For a choice with few
 * sites, the biggest choice with two variants usable here, and smp.lock,
 * it switches back and forth SWITCH_BENCH_RUNS times (or RUNS, fewer, as
 * "relink-switch-bench RUNS": make bench's Xen run) with each method
 * (stop_machine, and INT3 where the choice's sites allow it and the CPU
 * delivers int3) and takes how long the machine was stopped and how long
 * the whole switch took (the engine's stats), beside a bare stop_machine
 * that writes nothing, measured in the same loop so both see the same
 * machine. smp.lock=up needs one CPU, so its rows run with the other CPUs
 * taken offline (and brought back after).
 */
#include <stdint.h>
#include <kernel/cpu.h>
#include <kernel/cpu_hotplug.h>
#include <kernel/printk.h>
#include <kernel/shell.h>
#include <kernel/smp.h>
#include <kernel/stop_machine.h>
#include <lib/errno.h>
#include <lib/parse.h>
#include <lib/sort.h>
#include <relink/engine.h>

#define SWITCH_BENCH_RUNS 1000

struct switch_bench_row {
	const char *choice;
	const char *method;
	uint32_t sites;
	unsigned int cpus;
	unsigned int failed;
	uint64_t stop_ns[SWITCH_BENCH_RUNS];
	uint64_t total_ns[SWITCH_BENCH_RUNS];
	uint64_t bare_ns[SWITCH_BENCH_RUNS];
};

/* Too big for a shell command's stack. */
static struct switch_bench_row switch_bench_row;
/* Switches per row: SWITCH_BENCH_RUNS unless the command says fewer. */
static unsigned int bench_runs = SWITCH_BENCH_RUNS;

static int stop_nothing(void *data __unused)
{
	return 0;
}

/* Timed as the engine times its own stop: around the whole rendezvous. */
static uint64_t bare_stop_ns(void)
{
	uint64_t start = cycles_now();

	stop_machine(stop_nothing, NULL);
	return cycles_to_ns(cycles_now() - start);
}

/* The current variant and another one usable now; false: none. */
static bool variant_pair(unsigned int c, unsigned int pair[2])
{
	struct relink_choice_info info;

	if (relink_choice_get(c, &info))
		return false;
	pair[0] = info.variant;
	for (unsigned int v = 0; v < info.n_variants; v++) {
		if (v != info.variant && relink_variant_usable(c, v, NULL, 0)) {
			pair[1] = v;
			return true;
		}
	}
	return false;
}

/* Switch to and fro, a bare stop beside each switch. */
static void measure(struct switch_bench_row *row, unsigned int c,
		    const unsigned int pair[2])
{
	struct relink_stats st;

	row->failed = 0;
	for (unsigned int i = 0; i < bench_runs; i++) {
		row->bare_ns[i] = bare_stop_ns();
		if (relink_switch_index(c, pair[(i + 1) % 2])) {
			row->failed++;
			row->stop_ns[i] = row->total_ns[i] = 0;
			continue;
		}
		relink_get_stats(&st);
		row->stop_ns[i] = st.last_stop_ns;
		row->total_ns[i] = st.last_total_ns;
		row->sites = st.last_sites_written;
	}
	/* Hand the choice back to its decider. */
	relink_switch_auto(c);
}

static void print_us(uint64_t ns)
{
	kprintf(" %llu.%01llu |", (unsigned long long)(ns / 1000),
		(unsigned long long)(ns % 1000 / 100));
}

static void print_row(struct switch_bench_row *row)
{
	uint64_t *stop = row->stop_ns, *bare = row->bare_ns;
	uint64_t *total = row->total_ns;
	unsigned int mid = bench_runs / 2, last = bench_runs - 1;

	sort_u64(stop, bench_runs);
	sort_u64(total, bench_runs);
	sort_u64(bare, bench_runs);
	kprintf("| %s | %s | %u | %u |", row->choice, row->method, row->sites,
		row->cpus);
	print_us(stop[mid]);
	print_us(stop[last]);
	print_us(total[mid]);
	print_us(bare[mid]);
	print_us(bare[last]);
	kprintf(" %llu.%02llu |", (unsigned long long)(stop[mid] / bare[mid]),
		(unsigned long long)(stop[mid] * 100 / bare[mid] % 100));
	if (row->failed)
		kprintf(" (%u switches failed)", row->failed);
	kprintf("\n");
}

static const char *const methods[] = { "stop", "int3" };

static void bench_choice(const char *name)
{
	struct switch_bench_row *row = &switch_bench_row;
	int c = relink_choice_find(name);
	unsigned int pair[2];

	if (c < 0 || !variant_pair((unsigned int)c, pair)) {
		kprintf("| %s | (no second usable variant here) |\n", name);
		return;
	}
	row->choice = name;
	row->cpus = num_online_cpus();
	for (unsigned int m = 0; m < ARRAY_SIZE(methods); m++) {
		/* A choice or CPU the method cannot serve gets no row. */
		if (relink_method_force(methods[m]) ||
		    relink_switch_index((unsigned int)c, pair[1]))
			continue;
		relink_switch_index((unsigned int)c, pair[0]);
		row->method = methods[m];
		measure(row, (unsigned int)c, pair);
		print_row(row);
	}
	relink_method_force("auto");
}

/* smp.lock=up needs one CPU: the others go offline for its row. */
static unsigned long cpus_offline_but_self(void)
{
	unsigned int self = smp_processor_id(), cpu;
	unsigned long taken = 0;

	for_each_online_cpu (cpu) {
		if (cpu != self && !cpu_down(cpu))
			taken |= 1ul << cpu;
	}
	return taken;
}

static void cpus_online_again(unsigned long taken)
{
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		if ((taken & (1ul << cpu)) && cpu_up(cpu))
			kprintf("relink-switch-bench: CPU %u stayed offline\n",
				cpu);
	}
}

static int cmd_relink_switch_bench(int argc, char **argv)
{
	unsigned long taken;
	unsigned int runs = SWITCH_BENCH_RUNS;

	if (argc > 1 && (kstrtouint(argv[1], 10, &runs) || runs < 2 ||
			 runs > SWITCH_BENCH_RUNS)) {
		kprintf("relink-switch-bench: RUNS is 2 to %d\n",
			SWITCH_BENCH_RUNS);
		return -EINVAL;
	}
	bench_runs = runs;
	kprintf("run-time switch in us: how long every CPU was stopped "
		"(median, max) and the whole switch (median) over %u "
		"switches, beside a bare stop_machine in the same loop\n\n",
		runs);
	kprintf("| choice | method | sites written | CPUs | stopped median | "
		"stopped max | total median | bare median | bare max | "
		"stopped/bare (median) |\n");
	kprintf("|---|---|---|---|---|---|---|---|---|---|\n");
	bench_choice("trace");
	bench_choice("mem.copy");
	taken = cpus_offline_but_self();
	bench_choice("smp.lock");
	cpus_online_again(taken);
	return 0;
}
SHELL_COMMAND("relink-switch-bench", cmd_relink_switch_bench,
	      "relink-switch-bench [RUNS]",
	      "stop time of run-time switches beside a bare stop_machine");
