// SPDX-License-Identifier: MIT
/*
 * The in-kernel benchmark of relinked sites: the "relink-bench" shell
 * command (make bench runs it natively and as Xen's PV dom0). For each
 * operation it measures cycles per call at the patched site, with the
 * hand-written native instruction, and through the unpatched alternative:
 * an indirect call through an ops table, as paravirt did before patching.
 * The table points at the implementations the world runs: the native
 * instructions as functions natively, the Xen thunks under Xen. Then the
 * engine's boot-time figures and the table's bytes per site. Interrupts
 * are off while a run times its loops, which take turns; each figure is
 * the median of several runs, minus the cost of an empty loop.
 *
 * Under Xen the native column of a pv operation is not measured: its
 * instruction is privileged (Xen would trap and emulate it, or it would
 * read the wrong state, as pushf does the real IF), and the native
 * environment's table has the instruction's cost.
 */
#include <stdint.h>
#include <arch/cpu.h>
#include <arch/pv.h>
#include <kernel/bitops.h>
#include <kernel/cpu.h>
#include <kernel/irqflags.h>
#include <kernel/printk.h>
#include <kernel/shell.h>
#include <lib/printf.h>
#include <lib/sort.h>
#include <relink/engine.h>
#include <relink/platform.h>

#define BENCH_LOOPS 20000
#define BENCH_RUNS 11

/* What an ops table would point at: the native operations as functions. */
static __attribute__((noinline)) unsigned long op_save_fl(void)
{
	unsigned long fl;

	asm volatile("pushf; pop %0" : "=r"(fl) : : "memory");
	return fl;
}

static __native_only __attribute__((noinline)) uint64_t op_read_cr3(void)
{
	uint64_t v;

	asm volatile("mov %%cr3, %0" : "=r"(v) : : "memory");
	return v;
}

static __native_only __attribute__((noinline)) uint64_t op_read_cr2(void)
{
	uint64_t v;

	asm volatile("mov %%cr2, %0" : "=r"(v) : : "memory");
	return v;
}

static __attribute__((noinline)) unsigned long op_popcnt(uint64_t x)
{
	return (unsigned long)hweight64(x);
}

struct bench_ops {
	uint64_t (*save_fl)(void);
	uint64_t (*read_cr2)(void);
	uint64_t (*read_cr3)(void);
	unsigned long (*popcnt)(uint64_t x);
};

static const struct bench_ops native_ops = {
	op_save_fl,
	op_read_cr2,
	op_read_cr3,
	op_popcnt,
};

/* What a Xen PV kernel's ops table points at: the xen variants' thunks. */
static const struct bench_ops xen_ops = {
	XEN_RAX_THUNK(xen_save_fl_thunks),
	XEN_RAX_THUNK(xen_read_cr2_thunks),
	XEN_RAX_THUNK(xen_read_cr3_thunks),
	op_popcnt,
};

/* The table the loops call through: the world's (cmd_relink_bench). */
static struct bench_ops bench_ops;

static bool under_xen(void)
{
	return relink_platform_hypervisor() == RELINK_HV_XEN_PV;
}

/* Keeps results alive so no loop is optimized away. */
static volatile uint64_t bench_sink;

#define BENCH_LOOP(body)                                               \
	({                                                             \
		uint64_t __start = rdtsc(), __acc = 0;                 \
		for (unsigned int __i = 0; __i < BENCH_LOOPS; __i++) { \
			body;                                          \
			asm volatile("" : "+r"(__acc));                \
		}                                                      \
		bench_sink = __acc;                                    \
		(rdtsc() - __start);                                   \
	})

enum bench_kind {
	BENCH_EMPTY,
	BENCH_PATCHED,
	BENCH_NATIVE,
	BENCH_OPS,
	BENCH_KINDS
};

struct bench_case {
	const char *name;
	uint64_t (*run)(enum bench_kind kind);
	bool privileged; /* its native instruction: not under Xen */
};

static uint64_t bench_save_fl(enum bench_kind kind)
{
	unsigned long fl;

	switch (kind) {
	case BENCH_PATCHED:
		return BENCH_LOOP(__acc += pv_save_fl());
	case BENCH_NATIVE:
		return BENCH_LOOP(asm volatile("pushf; pop %0"
					       : "=r"(fl));
				  __acc += fl);
	case BENCH_OPS:
		return BENCH_LOOP(__acc += bench_ops.save_fl());
	default:
		return BENCH_LOOP(__acc++);
	}
}

/* Native only: it runs mov from %cr3 itself, beside the pv site. */
static __native_only uint64_t bench_read_cr3(enum bench_kind kind)
{
	uint64_t v;

	switch (kind) {
	case BENCH_PATCHED:
		return BENCH_LOOP(__acc += pv_read_cr3());
	case BENCH_NATIVE:
		return BENCH_LOOP(asm volatile("mov %%cr3, %0"
					       : "=r"(v));
				  __acc += v);
	case BENCH_OPS:
		return BENCH_LOOP(__acc += bench_ops.read_cr3());
	default:
		return BENCH_LOOP(__acc++);
	}
}

/* Native only: it runs mov from %cr2 itself, beside the pv site. */
static __native_only uint64_t bench_read_cr2(enum bench_kind kind)
{
	uint64_t v;

	switch (kind) {
	case BENCH_PATCHED:
		return BENCH_LOOP(__acc += pv_read_cr2());
	case BENCH_NATIVE:
		return BENCH_LOOP(asm volatile("mov %%cr2, %0"
					       : "=r"(v));
				  __acc += v);
	case BENCH_OPS:
		return BENCH_LOOP(__acc += bench_ops.read_cr2());
	default:
		return BENCH_LOOP(__acc++);
	}
}

static uint64_t bench_popcnt(enum bench_kind kind)
{
	uint64_t x = 0x0123456789abcdefull, v;

	switch (kind) {
	case BENCH_PATCHED:
		return BENCH_LOOP(__acc += hweight64(x + __i));
	case BENCH_NATIVE:
		return BENCH_LOOP(asm volatile("popcnt %1, %0"
					       : "=r"(v)
					       : "r"(x + __i));
				  __acc += v);
	case BENCH_OPS:
		return BENCH_LOOP(__acc += bench_ops.popcnt(x + __i));
	default:
		return BENCH_LOOP(__acc++);
	}
}

/* A case's figures: cycles per call in hundredths, less the empty loop's. */
struct bench_result {
	uint64_t cycles[BENCH_KINDS]; /* the median of each kind's runs */
	uint64_t ratio; /* hundredths; 0: none to take */
};

static uint64_t median(uint64_t *v, unsigned int n)
{
	sort_u64(v, n);
	return v[n / 2];
}

/*
 * The kinds of case c take turns, once each in every run (interrupts off
 * for the run), so that the host's bursts under an emulator fall on one
 * run of each alike; each run's empty loop is subtracted from its others.
 * The ratio, num over den, is the median of the runs' own ratios; none
 * when most runs' den is under one cycle a call (TCG runs an inline
 * popcnt or a control-register read in less than its clock can tell from
 * the empty loop). The native kind runs only when native is set.
 */
static void bench_measure(const struct bench_case *c, bool native,
			  enum bench_kind num, enum bench_kind den,
			  struct bench_result *res)
{
	static uint64_t runs[BENCH_KINDS][BENCH_RUNS];
	uint64_t over[BENCH_RUNS];
	unsigned int n_over = 0;

	for (unsigned int r = 0; r < BENCH_RUNS; r++) {
		unsigned long flags = arch_local_irq_save();

		for (unsigned int k = 0; k < BENCH_KINDS; k++)
			runs[k][r] = k == BENCH_NATIVE && !native ?
					     0 :
					     c->run(k) * 100 / BENCH_LOOPS;
		arch_local_irq_restore(flags);
		for (unsigned int k = BENCH_EMPTY + 1; k < BENCH_KINDS; k++)
			runs[k][r] = runs[k][r] > runs[BENCH_EMPTY][r] ?
					     runs[k][r] - runs[BENCH_EMPTY][r] :
					     0;
		if (runs[den][r] >= 100)
			over[n_over++] = runs[num][r] * 100 / runs[den][r];
	}
	res->ratio = n_over > BENCH_RUNS / 2 ? median(over, n_over) : 0;
	for (unsigned int k = 0; k < BENCH_KINDS; k++)
		res->cycles[k] = median(runs[k], BENCH_RUNS);
}

static void print_hundredths(uint64_t v)
{
	kprintf(" %5llu.%02llu |", (unsigned long long)(v / 100),
		(unsigned long long)(v % 100));
}

/* A ratio in hundredths, "-" when there is none to take. */
static void print_ratio(uint64_t ratio)
{
	if (!ratio)
		kprintf(" - |");
	else
		print_hundredths(ratio);
}

static const struct bench_case bench_cases[] = {
	{ "pv.save_fl (inline)", bench_save_fl, true },
	{ "pv.read_cr2 (inline)", bench_read_cr2, true },
	{ "pv.read_cr3 (inline)", bench_read_cr3, true },
	{ "cpu.popcnt (inline)", bench_popcnt, false },
};

/* The variant a case's choice runs here, e.g. "xen" or "hw". */
static const char *bench_variant(const struct bench_case *c)
{
	char name[32];
	unsigned int i;
	struct relink_choice_info info;
	int n;

	for (i = 0; i + 1 < sizeof(name) && c->name[i] && c->name[i] != ' ';
	     i++)
		name[i] = c->name[i];
	name[i] = 0;
	n = relink_choice_find(name);
	if (n < 0 || relink_choice_get((unsigned int)n, &info))
		return "?";
	return info.def->variants[info.variant].name;
}

/* One row under Xen: no native column for a privileged instruction. */
static void bench_row_xen(const struct bench_case *c,
			  const struct bench_result *res)
{
	kprintf("| %s, %s |", c->name, bench_variant(c));
	print_hundredths(res->cycles[BENCH_PATCHED]);
	if (c->privileged)
		kprintf(" (privileged) |");
	else
		print_hundredths(res->cycles[BENCH_NATIVE]);
	print_hundredths(res->cycles[BENCH_OPS]);
	print_ratio(res->ratio);
	kprintf("\n");
}

static void bench_sites(void)
{
	if (under_xen()) {
		kprintf("| site, variant | patched | native | ops table | "
			"ops table/patched |\n");
	} else {
		kprintf("| site | patched | native | ops table | "
			"patched/native |\n");
	}
	kprintf("|---|---|---|---|---|\n");
	for (size_t i = 0; i < ARRAY_SIZE(bench_cases); i++) {
		const struct bench_case *c = &bench_cases[i];
		struct bench_result res;

		/* The hand-written popcnt would fault without the CPU's bit. */
		if (c->run == bench_popcnt && !cpu_has(X86_FEATURE_popcnt)) {
			kprintf("| %s | (no POPCNT on this CPU) | | | |\n",
				c->name);
			continue;
		}
		if (under_xen()) {
			/* A privileged instruction would trap: not run. */
			bench_measure(c, !c->privileged, BENCH_OPS,
				      BENCH_PATCHED, &res);
			bench_row_xen(c, &res);
			continue;
		}
		bench_measure(c, true, BENCH_PATCHED, BENCH_NATIVE, &res);
		kprintf("| %s |", c->name);
		print_hundredths(res.cycles[BENCH_PATCHED]);
		print_hundredths(res.cycles[BENCH_NATIVE]);
		print_hundredths(res.cycles[BENCH_OPS]);
		print_ratio(res.ratio);
		kprintf("\n");
	}
}

/* Load, decide and verify: the part of boot patching a rehearsal redoes. */
static uint64_t checked_ns(const uint64_t phase_ns[4])
{
	return phase_ns[RELINK_PHASE_LOAD] + phase_ns[RELINK_PHASE_DECIDE] +
	       phase_ns[RELINK_PHASE_VERIFY];
}

static void print_rate(const char *what, uint32_t sites, uint64_t ns)
{
	kprintf("| %s | %llu |\n", what,
		ns ? (unsigned long long)((uint64_t)sites * 1000000000ull /
					  ns) :
		     0ull);
}

/*
 * The boot's load, decide and verify twice more on the same table
 * (relink_rehearse_boot()): under an emulator the boot also pays for
 * translating the engine's code, and the first run again for the blocks
 * the boot's own writes changed (sites in the engine's code); the rates
 * side by side say how much of the boot's time that is.
 */
static void bench_rehearsal(const struct relink_stats *st)
{
	static const char *const runs[] = { "run again", "a third time" };

	print_rate("sites per second, load + decide + verify at boot",
		   st->n_sites, checked_ns(st->boot_phase_ns));
	for (unsigned int i = 0; i < ARRAY_SIZE(runs); i++) {
		uint64_t ns[4];
		int rc = relink_rehearse_boot(ns);
		char what[64];

		if (rc) {
			kprintf("| boot phases %s | failed: %d |\n", runs[i],
				rc);
			return;
		}
		kprintf("| the same %s, nothing written: load, decide, "
			"verify | %llu, %llu, %llu us |\n",
			runs[i],
			(unsigned long long)ns[RELINK_PHASE_LOAD] / 1000,
			(unsigned long long)ns[RELINK_PHASE_DECIDE] / 1000,
			(unsigned long long)ns[RELINK_PHASE_VERIFY] / 1000);
		snprintf(what, sizeof(what), "sites per second, %s", runs[i]);
		print_rate(what, st->n_sites, checked_ns(ns));
	}
}

static void bench_engine(void)
{
	struct relink_stats st;

	relink_get_stats(&st);
	kprintf("\n| engine at boot | value |\n|---|---|\n");
	kprintf("| sites in the table | %u |\n", st.n_sites);
	kprintf("| sites written at boot | %u |\n", st.boot_sites_written);
	kprintf("| boot patching time | %llu us |\n",
		(unsigned long long)(st.boot_ns / 1000));
	if (st.boot_ns)
		print_rate("sites per second", st.n_sites, st.boot_ns);
	kprintf("| of which: table load, decide, verify, write | %llu, %llu, "
		"%llu, %llu us |\n",
		(unsigned long long)st.boot_phase_ns[RELINK_PHASE_LOAD] / 1000,
		(unsigned long long)st.boot_phase_ns[RELINK_PHASE_DECIDE] /
			1000,
		(unsigned long long)st.boot_phase_ns[RELINK_PHASE_VERIFY] /
			1000,
		(unsigned long long)st.boot_phase_ns[RELINK_PHASE_WRITE] /
			1000);
	if (st.n_sites)
		kprintf("| table bytes per site | %u.%02u |\n",
			st.table_bytes / st.n_sites,
			st.table_bytes * 100 / st.n_sites % 100);
	bench_rehearsal(&st);
}

static int cmd_relink_bench(int argc __unused, char **argv __unused)
{
	bench_ops = under_xen() ? xen_ops : native_ops;
	kprintf("cycles per call (median of %d runs of %d, the kinds of a "
		"row in turn, each run's empty loop subtracted; the ratio the "
		"median of the runs' own)\n\n",
		BENCH_RUNS, BENCH_LOOPS);
	bench_sites();
	if (under_xen())
		kprintf("\nUnder Xen PV: the ops table points at the xen "
			"variants' thunks, as an unpatched paravirt kernel's "
			"would; a privileged native instruction is not run "
			"(Xen would trap and emulate it): its cost is in the "
			"native table.\n");
	bench_engine();
	return 0;
}
SHELL_COMMAND("relink-bench", cmd_relink_bench, "relink-bench",
	      "cycles per call at patched sites vs native vs ops table");
