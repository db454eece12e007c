// SPDX-License-Identifier: MIT
/*
 * Benchmarks of the choice engine on the real CPU, printed as tables:
 *
 * 1. Cycles per operation (rdtsc, median of several runs of many
 *    iterations, the loops of a row taking turns) of each patched site
 *    beside the hand-written native instruction, the unpatched indirect
 *    call through an ops table, and an if on a feature flag: save_fl
 *    (inline site, compiler's register), lock add (up and smp), popcnt,
 *    and a call site (inlined and direct).
 * 2. Engine apply throughput on a synthetic table of 1,000,000 sites, and
 *    its table bytes per site.
 * 3. Run-time switches: how long the machine is stopped for a choice of
 *    100 sites with 2 and 4 "CPUs".
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <x86intrin.h>

#include <relink/cpufeature.h>
#include <relink/engine.h>

#include "host_platform.h"
#include "patching.h"
#include "sites.h"
#include "synth.h"

#define RUNS 45
#define ITERATIONS 200000
#define ROW_LOOPS 4 /* patched, native, ops table, if */

bool host_is_xen; /* the "if (feature)" references test this flag */
static long counter;

/* ---- cycle measurements -------------------------------------------------- */

typedef unsigned long (*loop_fn)(unsigned long n);

static uint64_t now(void)
{
	_mm_lfence();
	return __rdtsc();
}

static int compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(v[0]), compare_double);
	return v[n / 2];
}

/* Cycles per iteration of one run of loop. */
static double time_run(loop_fn loop)
{
	uint64_t start = now();

	loop(ITERATIONS);
	return (double)(now() - start) / ITERATIONS;
}

/*
 * The loops of one row, each timed once in every run, in turn: a
 * neighbour's burst on this shared host then falls on one run of each,
 * and the ratio of two loops is taken run by run. cycles[i] is the
 * median of loop i's runs, ratio[i] the median of its runs over loop 1's
 * (the native one) in the same runs.
 */
static void measure_row(const loop_fn loops[ROW_LOOPS],
			double cycles[ROW_LOOPS], double ratio[ROW_LOOPS])
{
	static double runs[ROW_LOOPS][RUNS], over[RUNS];

	for (int i = 0; i < ROW_LOOPS; i++)
		loops[i](ITERATIONS / 10); /* warm up */
	for (int r = 0; r < RUNS; r++)
		for (int i = 0; i < ROW_LOOPS; i++)
			runs[i][r] = time_run(loops[i]);
	for (int i = 0; i < ROW_LOOPS; i++) {
		for (int r = 0; r < RUNS; r++)
			over[r] = runs[i][r] / runs[1][r];
		ratio[i] = median(over, RUNS);
	}
	for (int i = 0; i < ROW_LOOPS; i++)
		cycles[i] = median(runs[i], RUNS);
}

static inline unsigned long native_save_fl(void)
{
	unsigned long flags;

	asm volatile("pushf; pop %0" : "=r"(flags) : : "memory");
	return flags;
}

static inline unsigned long native_popcnt(unsigned long x)
{
	unsigned long n;

	asm volatile("popcnt %1, %0" : "=r"(n) : "r"(x) : "cc");
	return n;
}

static inline void native_add(long *c, long d)
{
	asm volatile("addq %1, %0" : "+m"(*c) : "er"(d) : "memory", "cc");
}

static inline void native_lock_add(long *c, long d)
{
	asm volatile("lock; addq %1, %0" : "+m"(*c) : "er"(d) : "memory", "cc");
}

static __attribute__((noipa)) void ops_add(long *c, long d)
{
	native_add(c, d);
}

static __attribute__((noipa)) void ops_lock_add(long *c, long d)
{
	native_lock_add(c, d);
}

static __attribute__((noipa)) unsigned long ops_hw_popcnt(unsigned long x)
{
	return native_popcnt(x);
}

static bool flag(const bool *f)
{
	return *(const volatile bool *)f;
}

/*
 * Each measured loop starts on a 64-byte boundary (-falign-loops=64 in
 * host.mk): a one-cycle loop that straddles two 64-byte lines runs at half
 * speed on this machine, which would measure placement, not the code.
 */
#define LOOP(name, body)                                                     \
	static __attribute__((noinline)) unsigned long name(unsigned long n) \
	{                                                                    \
		unsigned long sum = 0;                                       \
		for (unsigned long i = 0; i < n; i++) {                      \
			body;                                                \
		}                                                            \
		return sum;                                                  \
	}

LOOP(save_fl_patched, sum += site_save_fl())
LOOP(save_fl_native, sum += native_save_fl())
LOOP(save_fl_ops, sum += host_ops.flags())
LOOP(save_fl_if,
     sum += flag(&host_is_xen) ? host_ops.flags() : native_save_fl())

LOOP(call_patched, sum += host_flags_call())
LOOP(call_native, sum += host_native_flags())

LOOP(add_patched, site_atomic_add(&counter, 1))
LOOP(add_native, native_add(&counter, 1))
LOOP(lock_add_native, native_lock_add(&counter, 1))
LOOP(add_ops, host_ops.add(&counter, 1))
LOOP(add_if, if (flag(&host_is_smp)) native_lock_add(&counter, 1);
     else native_add(&counter, 1))

/* popcnt: each input depends on the last result, so latency is measured. */
LOOP(popcnt_patched, sum += site_popcnt(sum ^ i))
LOOP(popcnt_native, sum += native_popcnt(sum ^ i))
LOOP(popcnt_ops, sum += host_ops.popcnt(sum ^ i))
LOOP(popcnt_if, sum += flag(&host_has_popcnt) ? native_popcnt(sum ^ i) :
						host_sw_popcnt(sum ^ i))

static void print_row(const char *what, loop_fn patched, loop_fn native,
		      loop_fn ops, loop_fn check)
{
	const loop_fn loops[ROW_LOOPS] = { patched, native, ops, check };
	double c[ROW_LOOPS], r[ROW_LOOPS];

	measure_row(loops, c, r);
	printf("| %-22s | %7.2f | %7.2f | %7.2f | %7.2f | %6.3f | %6.3f | %6.3f |\n",
	       what, c[0], c[1], c[2], c[3], r[0], r[2], r[3]);
}

static void switch_or_die(const char *choice, const char *variant)
{
	if (relink_switch(choice, variant)) {
		fprintf(stderr, "bench: cannot switch %s to %s\n", choice,
			variant);
		exit(1);
	}
}

static void cycles_table(void)
{
	printf("\n### Cycles per operation (rdtsc, median of %d runs of %d, "
	       "the loops of a row in turn; each ratio the median of its runs'"
	       " ratios)\n\n",
	       RUNS, ITERATIONS);
	printf("| %-22s | %7s | %7s | %7s | %7s | %6s | %6s | %6s |\n", "site",
	       "patched", "native", "ops", "if", "p/n", "ops/n", "if/n");
	printf("|%s|---------|---------|---------|---------|--------|--------|--------|\n",
	       "------------------------");
	print_row("save_fl (inline)", save_fl_patched, save_fl_native,
		  save_fl_ops, save_fl_if);
	host_ops.add = ops_add;
	host_is_smp = false;
	print_row("lock add, up (DS)", add_patched, add_native, add_ops,
		  add_if);
	switch_or_die("smp.lock", "smp");
	host_ops.add = ops_lock_add;
	host_is_smp = true;
	print_row("lock add, smp", add_patched, lock_add_native, add_ops,
		  add_if);
	host_ops.popcnt = ops_hw_popcnt;
	if (host_has_popcnt)
		print_row("popcnt (hw)", popcnt_patched, popcnt_native,
			  popcnt_ops, popcnt_if);
	print_row("call site, inlined", call_patched, save_fl_native,
		  save_fl_ops, save_fl_if);
	switch_or_die("host.flags", "direct");
	print_row("call site, direct call", call_patched, call_native,
		  save_fl_ops, save_fl_if);
	switch_or_die("host.flags", "ops");
	print_row("call site, unpatched", call_patched, call_native,
		  save_fl_ops, save_fl_if);
	printf("\np/n: patched / native (target <= 1.05); native is the "
	       "hand-written instruction (for the direct-call and unpatched "
	       "rows: a hand-written direct call); ops: indirect call through "
	       "an ops table; if: a test of a flag in memory before the native "
	       "code. Cycles are TSC cycles.\n");
}

/* ---- engine throughput on a synthetic table ---------------------------- */

enum { S_LOCK, S_POPCNT, S_FLAGS, S_TRACE, S_CHOICES };

static const struct relink_insn up_tmpl[] = { RELINK_I_RAW1(0x3e) };
static const struct relink_insn smp_tmpl[] = { RELINK_I_RAW1(0xf0) };
static const struct relink_insn hw_tmpl[] = { RELINK_I_POPCNT(RELINK_HOLE(0),
							      RELINK_HOLE(1)) };
static const struct relink_insn call_tmpl[] = { RELINK_I_CALL() };
static const struct relink_insn flags_tmpl[] = { RELINK_I_RAW1(0x9c),
						 RELINK_I_POP(RELINK_RAX) };
static const struct relink_insn jmp_tmpl[] = { RELINK_I_JMP() };

/* Two variants per choice, the targets of calls filled in at run time. */
static const struct relink_variant_def synth_template[S_CHOICES][2] = {
	[S_LOCK] = {
		{ .name = "up", .tmpl = up_tmpl, .n_insns = 1,
		  .pred = RELINK_PRED_UP },
		{ .name = "smp", .tmpl = smp_tmpl, .n_insns = 1 },
	},
	[S_POPCNT] = {
		{ .name = "hw", .tmpl = hw_tmpl, .n_insns = 1 },
		{ .name = "sw", .tmpl = call_tmpl, .n_insns = 1 },
	},
	[S_FLAGS] = {
		{ .name = "inline", .tmpl = flags_tmpl, .n_insns = 2 },
		{ .name = "ops", .tmpl = call_tmpl, .n_insns = 1 },
	},
	[S_TRACE] = {
		{ .name = "off" },
		{ .name = "on", .tmpl = jmp_tmpl, .n_insns = 1 },
	},
};
static const char *const synth_names[S_CHOICES] = {
	"synth.lock", "synth.popcnt", "synth.flags", "synth.trace"
};
static const uint8_t synth_defaults[S_CHOICES] = { 1, 1, 1, 0 };

static struct relink_variant_def synth_variants[S_CHOICES][2];
static struct relink_choice_def synth_defs[S_CHOICES];

/* The choices of the synthetic text at base: calls go to base + 16, 32. */
static void define_synth_choices(uint64_t base)
{
	memcpy(synth_variants, synth_template, sizeof(synth_variants));
	synth_variants[S_POPCNT][1].target_addr = base + 16;
	synth_variants[S_FLAGS][1].target_addr = base + 32;
	for (unsigned int c = 0; c < S_CHOICES; c++)
		synth_defs[c] = (struct relink_choice_def){
			.name = synth_names[c],
			.variants = synth_variants[c],
			.n_variants = 2,
			.default_variant = synth_defaults[c],
		};
	synth_defs[S_FLAGS].call_symbol_addr = base + 32;
}

/* Site i: every 8 bytes from 64 on, shapes in turn, registers varying. */
static void synth_site(uint32_t i, struct synth_site *s)
{
	static const uint8_t shape_of[4] = { RELINK_SHAPE_LOCK,
					     RELINK_SHAPE_INLINE,
					     RELINK_SHAPE_CALL,
					     RELINK_SHAPE_BRANCH };
	unsigned int k = i % 4;

	memset(s, 0, sizeof(*s));
	s->offset = 64 + 8 * i;
	s->choice = (uint8_t)k;
	s->form.shape = shape_of[k];
	s->form.length = k == 0 ? 1 : 5;
	if (k == 1) {
		s->form.n_regs = 2;
		s->form.regs[0] = (uint8_t)(i / 4 % 16);
		s->form.regs[1] = RELINK_RDI;
		s->form.clobbers = RELINK_CALLER_SAVED;
	}
	if (k == 2)
		s->form.clobbers = RELINK_CALLER_SAVED;
	if (k == 3)
		s->branch_target = (i / 4 % 2) ? 64 : 4096; /* rel8 or rel32 */
}

struct synth_image {
	struct synth_table table;
	uint8_t *text;
	size_t text_size;
	uint32_t n_sites;
	struct relink_image image;
};

static void build_synth(struct synth_image *si, uint32_t n_sites)
{
	struct synth_site *sites = calloc(n_sites, sizeof(*sites));

	si->n_sites = n_sites;
	si->text_size = 64 + 8 * (size_t)n_sites + 8192;
	si->text = aligned_alloc(4096, (si->text_size + 4095) & ~4095ul);
	if (!sites || !si->text)
		exit(1);
	define_synth_choices((uintptr_t)si->text);
	for (uint32_t i = 0; i < n_sites; i++)
		synth_site(i, &sites[i]);
	if (synth_build(synth_defs, S_CHOICES, sites, n_sites,
			(uintptr_t)si->text, &si->table) ||
	    synth_fill_original(synth_defs, sites, n_sites, si->text,
				(uintptr_t)si->text))
		exit(1);
	free(sites);
	si->image = (struct relink_image){
		.table = si->table.data,
		.table_size = si->table.size,
		.choices = synth_defs,
		.n_choices = S_CHOICES,
		.text_start = (uintptr_t)si->text,
		.text_end = (uintptr_t)si->text + si->text_size,
	};
	host_platform_set_image(&si->image);
}

static void throughput_table(void)
{
	struct synth_image si;
	struct relink_stats st;
	struct relink_image image;
	uint64_t load_ns, t0;
	int rc;

	build_synth(&si, 1000000);
	host_platform_set_cmdline("relink.synth.trace=on");
	relink_platform_image(&image);
	t0 = relink_platform_time_ns();
	rc = relink_table_load(&relink_engine, &image);
	load_ns = relink_platform_time_ns() - t0;
	if (!rc)
		rc = relink_init_early();
	relink_get_stats(&st);
	printf("\n### Engine apply throughput (synthetic table)\n\n");
	printf("| sites | written | load+validate | boot total | apply only | throughput (total) | table bytes/site |\n");
	printf("|-------|---------|---------------|------------|------------|--------------------|------------------|\n");
	printf("| %u | %u | %.2f ms | %.2f ms | %.2f ms | %.1f M sites/s | %.2f |\n",
	       st.n_sites, st.boot_sites_written, load_ns / 1e6,
	       st.boot_ns / 1e6, (st.boot_ns - load_ns) / 1e6,
	       st.n_sites / (st.boot_ns / 1e9) / 1e6,
	       (double)st.table_bytes / st.n_sites);
	if (rc)
		printf("(init failed: %d)\n", rc);
	printf("\nTarget: >= 10 M sites/s; <= 8 table bytes per site. Every "
	       "site is verified before the first write and read back after.\n");
	free(si.table.data);
	free(si.text);
}

/* ---- run-time switch: stop time ---------------------------------------- */

static double median_stop_us(int switches)
{
	double ns[64];
	struct relink_stats st;

	for (int i = 0; i < switches; i++) {
		switch_or_die("synth.trace", i % 2 ? "on" : "off");
		relink_get_stats(&st);
		ns[i] = (double)st.last_stop_ns;
	}
	return median(ns, switches) / 1e3;
}

/* A busy "CPU": spins, as a kernel CPU runs until the stop IPI. */
static void spin(void *arg, unsigned int cpu)
{
	(void)arg;
	(void)cpu;
	for (int i = 0; i < 1000; i++)
		__builtin_ia32_pause();
}

static void switch_table(void)
{
	static const unsigned int workers[] = { 0, 1, 3 };
	struct synth_image si;

	build_synth(&si, 400); /* synth.trace: 100 branch sites */
	host_platform_set_cmdline("relink.synth.trace=on");
	if (relink_init_early())
		exit(1);
	printf("\n### Run-time switch of 100 branch sites (median of 31)\n\n");
	printf("| CPUs | stopped, busy CPUs (us) | stopped, idle CPUs (us) |\n"
	       "|------|-------------------------|-------------------------|\n");
	for (size_t w = 0; w < sizeof(workers) / sizeof(workers[0]); w++) {
		double busy, idle;

		if (host_platform_start_cpus(workers[w], spin, NULL))
			exit(1);
		busy = median_stop_us(31);
		host_platform_set_work(NULL, NULL);
		idle = median_stop_us(31);
		host_platform_stop_cpus();
		printf("| %u | %.1f | %.1f |\n", 1 + workers[w], busy, idle);
	}
	printf("\nTarget: median < 100 us with 4 CPUs. Host \"CPUs\" are threads "
	       "stopped by signals; this machine has %ld cores.\n",
	       sysconf(_SC_NPROCESSORS_ONLN));
	free(si.table.data);
	free(si.text);
}

/* "bench [cycles] [apply] [switch]": the tables to print, all by default. */
static bool wanted(int argc, char **argv, const char *table)
{
	bool any = false;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], table))
			return true;
		any |= strncmp(argv[i], "relink.", 7) != 0;
	}
	return !any;
}

int main(int argc, char **argv)
{
	cpu_set_t one;
	int rc;

	rc = host_platform_init(argc, argv);
	host_platform_set_log_level(RELINK_LOG_WARN);
	host_has_popcnt = relink_platform_has_feature(X86_FEATURE_popcnt);
	if (rc || relink_init_early()) {
		fprintf(stderr, "bench: cannot patch the program (%d)\n", rc);
		return 1;
	}
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	sched_setaffinity(0, sizeof(one), &one);
	if (wanted(argc, argv, "cycles"))
		cycles_table();
	if (wanted(argc, argv, "apply"))
		throughput_table();
	if (wanted(argc, argv, "switch"))
		switch_table(); /* the workers run on the other cores */
	return 0;
}
