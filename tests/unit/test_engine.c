// SPDX-License-Identifier: MIT
/*
 * Unit tests of the choice engine (kernel/patching/) on synthetic tables in
 * memory, against a mock platform: deciding (predicates, preference order,
 * command-line overrides and their messages), emitting every shape,
 * verifying, all-or-nothing application at boot and at run time, read-back
 * failures, modules' own choices joining and leaving (the later ones
 * renumbered), rejection of every kind of bad table with -EINVAL, and the
 * same words from relocgen's reader for every defect of a table itself.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <relink/choice.h>
#include <relink/engine.h>
#include <relink/platform.h>

#include "patching.h"
#include "synth.h"
#include "table.h" /* relocgen's reader of the table */

#define TEXT_SIZE 4096

/* ---- mock platform --------------------------------------------------- */

static struct {
	struct relink_image image;
	bool popcnt;
	unsigned int cpus;
	enum relink_hypervisor hypervisor;
	const char *cmdline;
	bool stopped;
	int pokes, early_pokes, stops;
	int batches; /* text-poke batches opened */
	bool in_batch;
	uint64_t clock_ns;
	int corrupt_poke; /* this poke (1-based) writes wrong bytes; 0: none */
	int inside_stops; /* a CPU is inside a site during this many stops */
	char log[8192];
	/* The INT3 method: the redirect table installed, and each step of
	 * the protocol as "I2" (install 2), "W60+1" (write 1 byte at 0x60),
	 * "S" (sync every CPU), "R" (remove). */
	const struct relink_breakpoint *breakpoints;
	unsigned int n_breakpoints;
	char protocol[1024];
	bool no_breakpoints; /* an int3 would not reach the #BP handler */
} mock;

void relink_platform_image(struct relink_image *image)
{
	*image = mock.image;
}

void relink_platform_text_poke_begin(void)
{
	assert_false(mock.in_batch); /* batches never nest */
	mock.in_batch = true;
	mock.batches++;
}

void relink_platform_text_poke_end(void)
{
	assert_true(mock.in_batch);
	mock.in_batch = false;
}

static int mock_poke(void *addr, const void *bytes, size_t len)
{
	assert_true(mock.in_batch); /* every write inside a batch */
	memcpy(addr, bytes, len);
	if (++mock.pokes == mock.corrupt_poke)
		((uint8_t *)addr)[0] ^= 0xff;
	return 0;
}

int relink_platform_text_poke_early(void *addr, const void *bytes, size_t len)
{
	assert_false(mock.stopped);
	mock.early_pokes++;
	return mock_poke(addr, bytes, len);
}

static void protocol_step(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static void protocol_step(const char *fmt, ...)
{
	size_t used = strlen(mock.protocol);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(mock.protocol + used, sizeof(mock.protocol) - used, fmt, ap);
	va_end(ap);
}

int relink_platform_text_poke(void *addr, const void *bytes, size_t len)
{
	/* Run-time writes: under stop_machine, or under the INT3 protocol. */
	assert_true(mock.stopped || mock.n_breakpoints);
	if (mock.n_breakpoints)
		protocol_step(
			"W%x+%zu ",
			(unsigned int)((uintptr_t)addr - mock.image.text_start),
			len);
	return mock_poke(addr, bytes, len);
}

bool relink_platform_breakpoints_usable(void)
{
	return !mock.no_breakpoints;
}

void relink_platform_breakpoints(const struct relink_breakpoint *bp,
				 unsigned int n)
{
	assert_false(mock.stopped);
	mock.breakpoints = bp;
	mock.n_breakpoints = n;
	if (n)
		protocol_step("I%u ", n);
	else
		protocol_step("R");
}

void relink_platform_sync_cpus(void)
{
	assert_false(mock.in_batch); /* the batch ends, then CPUs sync */
	protocol_step("S ");
}

void relink_platform_sync_core(void)
{
}

int relink_platform_stop_machine(int (*fn)(void *arg), void *arg)
{
	int rc;

	mock.stops++;
	mock.stopped = true;
	rc = fn(arg);
	mock.stopped = false;
	return rc;
}

bool relink_platform_cpu_inside(uint64_t start, uint64_t end)
{
	assert_true(mock.stopped);
	assert_true(start < end);
	return mock.stops <= mock.inside_stops;
}

bool relink_platform_has_feature(unsigned int feature)
{
	return feature == X86_FEATURE_popcnt && mock.popcnt;
}

unsigned int relink_platform_cpus_online(void)
{
	return mock.cpus;
}

enum relink_hypervisor relink_platform_hypervisor(void)
{
	return mock.hypervisor;
}

bool relink_platform_cmdline_value(const char *choice, const char **value,
				   size_t *len, const char **option)
{
	static char word[128];
	char key[64];
	const char *p;

	snprintf(key, sizeof(key), "relink.%s=", choice);
	for (p = mock.cmdline; p && (p = strstr(p, key)); p++) {
		if (p != mock.cmdline && p[-1] != ' ')
			continue;
		*value = p + strlen(key);
		*len = strcspn(*value, " ");
		snprintf(word, sizeof(word), "%.*s", (int)strcspn(p, " "), p);
		*option = word;
		return true;
	}
	return false;
}

void relink_platform_log(int level, const char *fmt, ...)
{
	size_t used = strlen(mock.log);
	va_list ap;

	(void)level;
	va_start(ap, fmt);
	vsnprintf(mock.log + used, sizeof(mock.log) - used, fmt, ap);
	va_end(ap);
}

uint64_t relink_platform_time_ns(void)
{
	/* A clock that moves, so the stats have times and a rate. */
	return mock.clock_ns += 1000;
}

int relink_platform_symbol(uint64_t addr, char *buf, size_t size)
{
	(void)addr;
	(void)buf;
	(void)size;
	return -ENOENT;
}

/* ---- the synthetic image -------------------------------------------- */

enum { SMP_LOCK, CPU_POPCNT, PV_SAVE_FL, TRACE, N_CHOICES };

static const struct relink_insn up_tmpl[] = { RELINK_I_RAW1(0x3e) };
static const struct relink_insn smp_tmpl[] = { RELINK_I_RAW1(0xf0) };
static const struct relink_insn hw_tmpl[] = { RELINK_I_POPCNT(RELINK_HOLE(0),
							      RELINK_HOLE(1)) };
static const struct relink_insn call_tmpl[] = { RELINK_I_CALL() };
static const struct relink_insn native_tmpl[] = { RELINK_I_RAW1(0x9c),
						  RELINK_I_POP(RELINK_RAX) };
static const struct relink_insn jmp_tmpl[] = { RELINK_I_JMP() };

static uint8_t *text;
static uint64_t text_base;
static struct relink_variant_def variants[N_CHOICES][3];
static struct relink_choice_def defs[N_CHOICES];
static struct synth_table table;

#define LOCK_FORM                                       \
	{                                               \
		.shape = RELINK_SHAPE_LOCK, .length = 1 \
	}
#define POPCNT_FORM                                                     \
	{                                                               \
		.shape = RELINK_SHAPE_INLINE, .length = 5, .n_regs = 2, \
		.regs = { RELINK_RAX, RELINK_RDI },                     \
		.clobbers = RELINK_CALLER_SAVED                         \
	}
#define CALL_FORM                                        \
	{                                                \
		.shape = RELINK_SHAPE_CALL, .length = 5, \
		.clobbers = RELINK_CALLER_SAVED          \
	}
#define BRANCH_FORM                                       \
	{                                                 \
		.shape = RELINK_SHAPE_BRANCH, .length = 5 \
	}

static const struct synth_site sites[] = {
	{ 0x10, SMP_LOCK, LOCK_FORM, 0 },
	{ 0x20, SMP_LOCK, LOCK_FORM, 0 },
	{ 0x30, CPU_POPCNT, POPCNT_FORM, 0 },
	{ 0x40, PV_SAVE_FL, CALL_FORM, 0 },
	{ 0x50, PV_SAVE_FL, CALL_FORM, 0 },
	{ 0x60, TRACE, BRANCH_FORM, 0x10 },
	{ 0x70, TRACE, BRANCH_FORM, 0x400 },
	{ 0x80, SMP_LOCK, LOCK_FORM, 0 },
};
#define N_SITES (sizeof(sites) / sizeof(sites[0]))

static void set_variant(unsigned int c, unsigned int v, const char *name,
			uint8_t pred, uint16_t arg,
			const struct relink_insn *tmpl, uint8_t n,
			uint64_t target)
{
	variants[c][v] = (struct relink_variant_def){
		.name = name,
		.pred = pred,
		.pred_arg = arg,
		.tmpl = tmpl,
		.n_insns = n,
		.target_addr = target,
	};
}

static void set_choice(unsigned int c, const char *name, uint8_t n,
		       uint8_t decider, uint8_t dflt, uint64_t call_symbol)
{
	defs[c] = (struct relink_choice_def){
		.name = name,
		.variants = variants[c],
		.n_variants = n,
		.decider = decider,
		.default_variant = dflt,
		.call_symbol_addr = call_symbol,
	};
}

static void define_choices(void)
{
	set_variant(SMP_LOCK, 0, "up", RELINK_PRED_UP, 0, up_tmpl, 1, 0);
	set_variant(SMP_LOCK, 1, "smp", RELINK_PRED_ALWAYS, 0, smp_tmpl, 1, 0);
	set_choice(SMP_LOCK, "smp.lock", 2, RELINK_DECIDER_SMP, 1, 0);
	set_variant(CPU_POPCNT, 0, "hw", RELINK_PRED_CPUID, X86_FEATURE_popcnt,
		    hw_tmpl, 1, 0);
	set_variant(CPU_POPCNT, 1, "sw", RELINK_PRED_ALWAYS, 0, call_tmpl, 1,
		    text_base + 0x800);
	set_choice(CPU_POPCNT, "cpu.popcnt", 2, RELINK_DECIDER_CPUID, 1, 0);
	set_variant(PV_SAVE_FL, 0, "native", RELINK_PRED_HYPERVISOR,
		    RELINK_HV_NONE, native_tmpl, 2, 0);
	set_variant(PV_SAVE_FL, 1, "xen", RELINK_PRED_HYPERVISOR,
		    RELINK_HV_XEN_PV, call_tmpl, 1, text_base + 0xa00);
	set_variant(PV_SAVE_FL, 2, "ops", RELINK_PRED_ALWAYS, 0, call_tmpl, 1,
		    text_base + 0x900);
	set_choice(PV_SAVE_FL, "pv.save_fl", 3, RELINK_DECIDER_HYPERVISOR, 2,
		   text_base + 0x900);
	set_variant(TRACE, 0, "off", RELINK_PRED_ALWAYS, 0, NULL, 0, 0);
	set_variant(TRACE, 1, "on", RELINK_PRED_ALWAYS, 0, jmp_tmpl, 1, 0);
	set_choice(TRACE, "trace", 2, RELINK_DECIDER_DEFAULT, 0, 0);
}

static int setup(void **state)
{
	(void)state;
	memset(&mock, 0, sizeof(mock));
	mock.cpus = 1;
	mock.popcnt = true;
	/* The tests of stop_machine force it; the INT3 tests choose. */
	assert_int_equal(relink_method_force("stop"), 0);
	text = aligned_alloc(4096, TEXT_SIZE);
	assert_non_null(text);
	memset(text, 0xcc, TEXT_SIZE);
	text_base = (uint64_t)(uintptr_t)text;
	define_choices();
	assert_int_equal(synth_build(defs, N_CHOICES, sites, N_SITES, text_base,
				     &table),
			 0);
	assert_int_equal(
		synth_fill_original(defs, sites, N_SITES, text, text_base), 0);
	mock.image = (struct relink_image){
		.table = table.data,
		.table_size = table.size,
		.choices = defs,
		.n_choices = N_CHOICES,
		.text_start = text_base,
		.text_end = text_base + TEXT_SIZE,
	};
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(table.data);
	free(text);
	return 0;
}

static const uint8_t *at(uint32_t offset)
{
	return text + offset;
}

static void assert_choice(unsigned int c, const char *variant,
			  enum relink_decided_by by)
{
	struct relink_choice_info info;

	assert_int_equal(relink_choice_get(c, &info), 0);
	assert_string_equal(info.def->variants[info.variant].name, variant);
	assert_int_equal(info.decided_by, by);
}

static void assert_log(const char *needle)
{
	if (!strstr(mock.log, needle))
		fail_msg("log lacks \"%s\":\n%s", needle, mock.log);
}

static void assert_call(uint32_t offset, uint64_t target)
{
	int32_t rel;

	assert_int_equal(at(offset)[0], 0xe8);
	memcpy(&rel, at(offset) + 1, 4);
	assert_true(text_base + offset + 5 + (uint64_t)(int64_t)rel == target);
}

/* ---- tests ------------------------------------------------------------ */

static void test_original_code(void **state)
{
	(void)state;
	/* The filler wrote the compiled code: check it independently. */
	assert_int_equal(at(0x10)[0], 0xf0);
	assert_memory_equal(at(0x30), "\xe8", 1);
	assert_call(0x30, text_base + 0x800);
	assert_call(0x40, text_base + 0x900);
	assert_memory_equal(at(0x60), "\x0f\x1f\x44\x00\x00", 5);
}

static void test_no_table(void **state)
{
	(void)state;
	mock.image.table = NULL;
	mock.image.table_size = 0;
	assert_int_equal(relink_init_early(), 0);
	assert_int_equal(relink_choice_count(), N_CHOICES);
	assert_int_equal(relink_site_count(), 0);
	assert_choice(CPU_POPCNT, "sw", RELINK_BY_DEFAULT);
	assert_int_equal(relink_switch("cpu.popcnt", "hw"), -ENODEV);
	assert_int_equal(mock.pokes, 0);
	assert_log("no site table");
}

static void test_boot_decides(void **state)
{
	struct relink_stats st;

	(void)state;
	assert_int_equal(relink_init_early(), 0);
	assert_choice(SMP_LOCK, "up", RELINK_BY_SMP);
	assert_choice(CPU_POPCNT, "hw", RELINK_BY_CPUID);
	assert_choice(PV_SAVE_FL, "native", RELINK_BY_HYPERVISOR);
	assert_choice(TRACE, "off", RELINK_BY_DEFAULT);
	assert_int_equal(at(0x10)[0], 0x3e);
	assert_int_equal(at(0x20)[0], 0x3e);
	assert_int_equal(at(0x80)[0], 0x3e);
	assert_memory_equal(at(0x30), "\xf3\x48\x0f\xb8\xc7", 5);
	assert_memory_equal(at(0x40), "\x9c\x58\x0f\x1f\x00", 5);
	assert_memory_equal(at(0x50), "\x9c\x58\x0f\x1f\x00", 5);
	assert_memory_equal(at(0x60), "\x0f\x1f\x44\x00\x00", 5);
	relink_get_stats(&st);
	assert_int_equal(st.boot_sites_written, 6);
	assert_int_equal(st.n_sites, N_SITES);
	assert_int_equal(st.sites_by_shape[RELINK_SHAPE_LOCK], 3);
	assert_int_equal(st.sites_by_shape[RELINK_SHAPE_BRANCH], 2);
	assert_int_equal(mock.early_pokes, 6);
	assert_int_equal(mock.batches, 1); /* one map and flush for all */
	assert_int_equal(mock.stops, 0);
}

static void test_boot_without_features(void **state)
{
	(void)state;
	mock.popcnt = false;
	mock.cpus = 2;
	mock.hypervisor = RELINK_HV_XEN_PV;
	assert_int_equal(relink_init_early(), 0);
	assert_choice(SMP_LOCK, "smp", RELINK_BY_SMP);
	assert_choice(CPU_POPCNT, "sw", RELINK_BY_CPUID);
	assert_choice(PV_SAVE_FL, "xen", RELINK_BY_HYPERVISOR);
	assert_int_equal(at(0x10)[0], 0xf0);
	assert_call(0x30, text_base + 0x800);
	assert_call(0x40, text_base + 0xa00);
	assert_call(0x50, text_base + 0xa00);
	assert_int_equal(mock.pokes, 2);
}

/*
 * A variant that only a hypervisor allows was picked by the hypervisor,
 * whatever decides the choice otherwise (acpi.irq's xen): here trace's
 * off, under Xen.
 */
static void test_hypervisor_only_variant(void **state)
{
	(void)state;
	variants[TRACE][0].pred = RELINK_PRED_HYPERVISOR;
	variants[TRACE][0].pred_arg = RELINK_HV_XEN_PV;
	/* The table records the predicates too: built again. */
	free(table.data);
	assert_int_equal(synth_build(defs, N_CHOICES, sites, N_SITES, text_base,
				     &table),
			 0);
	mock.image.table = table.data;
	mock.image.table_size = table.size;
	mock.hypervisor = RELINK_HV_XEN_PV;
	assert_int_equal(relink_init_early(), 0);
	assert_choice(TRACE, "off", RELINK_BY_HYPERVISOR);
	assert_choice(CPU_POPCNT, "hw", RELINK_BY_CPUID);
}

static void test_cmdline(void **state)
{
	int32_t rel;

	(void)state;
	mock.cpus = 2;
	mock.cmdline = "quiet relink.trace=on relink.cpu.popcnt=bogus "
		       "relink.smp.lock=up relink.pv.save_fl=ops";
	assert_int_equal(relink_init_early(), 0);
	assert_choice(TRACE, "on", RELINK_BY_CMDLINE);
	assert_choice(CPU_POPCNT, "hw", RELINK_BY_CPUID);
	assert_choice(SMP_LOCK, "smp", RELINK_BY_SMP);
	assert_choice(PV_SAVE_FL, "ops", RELINK_BY_CMDLINE);
	assert_log(
		"relink.cpu.popcnt=bogus: unknown variant (valid: hw, sw); keeping hw");
	assert_log(
		"relink.smp.lock=up: not usable here (needs exactly one CPU (2 online)); keeping smp");
	/* Near target: jmp rel8 and NOPs; far target: jmp rel32. */
	assert_memory_equal(at(0x60), "\xeb\x13\x0f\x1f\x00", 5);
	assert_int_equal(at(0x70)[0], 0xe9);
	memcpy(&rel, at(0x71), 4);
	assert_int_equal(rel, 0x400);
	assert_call(0x40, text_base + 0x900);
}

/*
 * A pin never outlives its predicate: smp.lock=up from the command line
 * holds on one CPU, is overridden (one line) when a second comes, and the
 * choice then follows its decider back to up; a pin that still holds
 * (pv.save_fl=ops) is left alone.
 */
static void test_machine_changed_overrides_pin(void **state)
{
	(void)state;
	mock.cpus = 1;
	mock.cmdline = "relink.smp.lock=up relink.pv.save_fl=ops";
	assert_int_equal(relink_init_early(), 0);
	assert_choice(SMP_LOCK, "up", RELINK_BY_CMDLINE);
	assert_int_equal(at(0x10)[0], 0x3e);
	mock.cpus = 2;
	assert_int_equal(relink_machine_changed(), 0);
	assert_choice(SMP_LOCK, "smp", RELINK_BY_SMP);
	assert_int_equal(at(0x10)[0], 0xf0);
	assert_choice(PV_SAVE_FL, "ops", RELINK_BY_CMDLINE);
	assert_log("smp.lock: relink.smp.lock=up no longer holds (needs "
		   "exactly one CPU (2 online)): now smp");
	mock.cpus = 1;
	assert_int_equal(relink_machine_changed(), 0);
	assert_choice(SMP_LOCK, "up", RELINK_BY_SMP);
	assert_int_equal(at(0x10)[0], 0x3e);
}

static void test_boot_all_or_nothing(void **state)
{
	uint8_t before[TEXT_SIZE];

	(void)state;
	text[0x80] = 0x90; /* the last site is not what the engine expects */
	memcpy(before, text, TEXT_SIZE);
	assert_int_equal(relink_init_early(), -EIO);
	assert_memory_equal(text, before, TEXT_SIZE);
	assert_int_equal(mock.pokes, 0);
	assert_log(
		"holds unexpected bytes (want f0, found 90); nothing written");
}

/*
 * The rehearsal redoes load, decide and verify on a second engine from
 * the variants the sites hold: it writes nothing and leaves the live
 * engine as it was, and a site that holds other bytes fails it.
 */
static void test_rehearse_boot(void **state)
{
	uint8_t before[TEXT_SIZE];
	uint64_t ns[4];
	unsigned int pokes;

	(void)state;
	assert_int_equal(relink_init_early(), 0);
	assert_int_equal(relink_switch("pv.save_fl", "ops"), 0);
	memcpy(before, text, TEXT_SIZE);
	pokes = mock.pokes;
	assert_int_equal(relink_rehearse_boot(ns), 0);
	assert_int_equal(ns[RELINK_PHASE_WRITE], 0);
	assert_memory_equal(text, before, TEXT_SIZE);
	assert_int_equal(mock.pokes, pokes);
	assert_choice(PV_SAVE_FL, "ops", RELINK_BY_RUNTIME);
	text[0x80] ^= 0xff; /* a site the engine does not expect */
	memcpy(before, text, TEXT_SIZE);
	assert_int_equal(relink_rehearse_boot(ns), -EIO);
	assert_memory_equal(text, before, TEXT_SIZE);
	assert_int_equal(mock.pokes, pokes);
}

static void test_switch(void **state)
{
	struct relink_stats st;

	(void)state;
	assert_int_equal(relink_init_early(), 0);
	assert_int_equal(relink_switch("pv.save_fl", "ops"), 0);
	assert_choice(PV_SAVE_FL, "ops", RELINK_BY_RUNTIME);
	assert_call(0x40, text_base + 0x900);
	assert_call(0x50, text_base + 0x900);
	relink_get_stats(&st);
	assert_int_equal(st.last_sites_written, 2);
	assert_int_equal(st.last_choice, PV_SAVE_FL);
	assert_int_equal(st.last_method, RELINK_METHOD_STOP);
	assert_int_equal(st.longest_choice, PV_SAVE_FL);
	assert_true(st.last_total_ns > 0);
	assert_int_equal(mock.stops, 1);
	assert_int_equal(mock.batches, 2); /* boot, then one per switch */
	assert_int_equal(relink_switch("trace", "on"), 0);
	assert_memory_equal(at(0x60), "\xeb\x13\x0f\x1f\x00", 5);
	assert_int_equal(relink_switch("trace", "off"), 0);
	assert_memory_equal(at(0x60), "\x0f\x1f\x44\x00\x00", 5);
	assert_memory_equal(at(0x70), "\x0f\x1f\x44\x00\x00", 5);
	/* Same variant again: nothing to write, no stop. */
	assert_int_equal(relink_switch("trace", "off"), 0);
	assert_int_equal(mock.stops, 3);
	mock.cpus = 2;
	assert_int_equal(relink_switch("smp.lock", "smp"), 0);
	assert_int_equal(at(0x10)[0], 0xf0);
	assert_int_equal(at(0x80)[0], 0xf0);
}

/* ---- module choices ---------------------------------------------------- */

static const struct relink_variant_def flag_variants[] = {
	{ .name = "off", .pred = RELINK_PRED_ALWAYS },
	{ .name = "on",
	  .pred = RELINK_PRED_ALWAYS,
	  .tmpl = jmp_tmpl,
	  .n_insns = 1 },
};

/* A module at text + offset with one choice called name and its branch. */
struct test_module {
	struct relink_module m;
	struct relink_module_site site;
	struct relink_choice_def def;
};

static void module_init(struct test_module *t, const char *mname,
			const char *cname, uint32_t offset)
{
	memset(t, 0, sizeof(*t));
	t->def = (struct relink_choice_def){
		.name = cname,
		.variants = flag_variants,
		.n_variants = 2,
		.decider = RELINK_DECIDER_DEFAULT,
	};
	t->site = (struct relink_module_site){
		.address = text_base + offset,
		.target = text_base + offset + 0x20,
		.form = BRANCH_FORM,
		.choice = RELINK_OWN_CHOICE | 0,
	};
	t->m = (struct relink_module){
		.name = mname,
		.text_start = text_base + offset,
		.text_end = text_base + offset + 0x100,
		.n_sites = 1,
		.sites = &t->site,
		.choices = &t->def,
		.n_choices = 1,
	};
	memcpy(text + offset, "\x0f\x1f\x44\x00\x00", 5);
}

/*
 * A module's own choices join after the image's, switch like them, are
 * refused under a name already taken, and leave with their module; the
 * later module's choice and its site's reference move down.
 */
static void test_module_choices(void **state)
{
	static struct test_module a, b, clash;

	(void)state;
	assert_int_equal(relink_init_early(), 0);
	module_init(&a, "a", "a.flag", 0xc00);
	module_init(&b, "b", "b.flag", 0xd00);
	module_init(&clash, "c", "trace", 0xe00);
	assert_int_equal(relink_module_add(&a.m), 0);
	assert_int_equal(relink_module_add(&b.m), 0);
	assert_int_equal(relink_choice_find("a.flag"), N_CHOICES);
	assert_int_equal(relink_choice_find("b.flag"), N_CHOICES + 1);
	assert_ptr_equal(relink_choice_module(N_CHOICES + 1), &b.m);
	assert_null(relink_choice_module(TRACE));
	assert_int_equal(relink_module_add(&clash.m), -EEXIST);
	assert_string_equal(clash.m.why, "trace: a choice of that name is "
					 "defined by the kernel");
	assert_int_equal(relink_choice_count(), N_CHOICES + 2);
	assert_int_equal(relink_switch("b.flag", "on"), 0);
	assert_memory_equal(at(0xd00), "\xeb\x1e\x0f\x1f\x00", 5);
	relink_module_remove(&a.m);
	assert_int_equal(relink_choice_find("a.flag"), -ENOENT);
	assert_int_equal(relink_choice_find("b.flag"), N_CHOICES);
	assert_choice(N_CHOICES, "on", RELINK_BY_RUNTIME);
	assert_int_equal(relink_switch("b.flag", "off"), 0);
	assert_memory_equal(at(0xd00), "\x0f\x1f\x44\x00\x00", 5);
	relink_module_remove(&b.m);
	assert_int_equal(relink_choice_count(), N_CHOICES);
}

static void test_switch_errors(void **state)
{
	uint8_t before[TEXT_SIZE];

	(void)state;
	assert_int_equal(relink_init_early(), 0);
	mock.cpus = 2;
	assert_int_equal(relink_switch("smp.lock", "smp"), 0);
	memcpy(before, text, TEXT_SIZE);
	assert_int_equal(relink_switch("nosuch", "x"), -ENOENT);
	assert_int_equal(relink_switch("trace", "sideways"), -EINVAL);
	assert_log("trace: unknown variant sideways (valid: off, on)");
	assert_int_equal(relink_switch("smp.lock", "up"), -EPERM);
	assert_log(
		"smp.lock: cannot switch to up: needs exactly one CPU (2 online)");
	mock.popcnt = false;
	assert_int_equal(relink_switch("cpu.popcnt", "hw"), -EPERM);
	assert_log("needs CPU feature popcnt");
	/* A choice decided at boot only (acpi.irq): refused by every path. */
	defs[TRACE].flags = RELINK_CHOICE_BOOT_ONLY;
	assert_int_equal(relink_switch("trace", "on"), -EPERM);
	assert_log("trace: decided at boot only; not switched");
	assert_int_equal(relink_switch_auto(TRACE), -EPERM);
	defs[TRACE].flags = 0;
	assert_memory_equal(text, before, TEXT_SIZE);
	/* One bad site of the choice: nothing written, state unchanged. */
	text[0x70] = 0xcc;
	before[0x70] = 0xcc;
	assert_int_equal(relink_switch("trace", "on"), -EIO);
	assert_string_equal(
		relink_refusal() + strcspn(relink_refusal(), ":"),
		": site of trace holds unexpected bytes (want 0f 1f "
		"44 00 00, found cc 1f 44 00 00)");
	assert_memory_equal(text, before, TEXT_SIZE);
	assert_choice(TRACE, "off", RELINK_BY_DEFAULT);
	assert_choice(SMP_LOCK, "smp", RELINK_BY_RUNTIME);
}

static void test_switch_cpu_inside(void **state)
{
	uint8_t before[TEXT_SIZE];

	(void)state;
	assert_int_equal(relink_init_early(), 0);
	mock.inside_stops = 3;
	assert_int_equal(relink_switch("trace", "on"), 0);
	assert_int_equal(mock.stops, 4);
	assert_int_equal(at(0x60)[0], 0xeb);
	mock.inside_stops = 1 << 30;
	memcpy(before, text, TEXT_SIZE);
	assert_int_equal(relink_switch("trace", "off"), -EBUSY);
	assert_log("trace: a CPU stayed inside a site; nothing written");
	assert_memory_equal(text, before, TEXT_SIZE);
	assert_choice(TRACE, "on", RELINK_BY_RUNTIME);
}

/* A verified run-time plan: choice c from variant from to variant to. */
static void verified_plan(struct relink_plan *plan, unsigned int c,
			  unsigned int from, unsigned int to)
{
	memset(plan, 0, sizeof(*plan));
	plan->touch[c] = true;
	plan->from[c] = (uint8_t)from;
	plan->to[c] = (uint8_t)to;
	assert_int_equal(relink_plan_verify(&relink_engine, plan), 0);
}

/*
 * A run-time switch is staged before the stop (the stop copies bytes);
 * a write that fails in the stop puts back every site written before it
 * and itself, from the stage's old bytes.
 */
static void test_switch_staged_write_failure(void **state)
{
	uint8_t before[TEXT_SIZE];
	struct relink_plan plan;

	(void)state;
	assert_int_equal(relink_init_early(), 0);
	verified_plan(&plan, TRACE, 0, 1);
	assert_int_equal(plan.to_write, 2);
	assert_true(plan.staged);
	memcpy(before, text, TEXT_SIZE);
	mock.corrupt_poke = mock.pokes + 2; /* the second site, 0x70 */
	assert_int_equal(relink_switch("trace", "on"), -EIO);
	assert_log("write failed (-5); undoing 1 sites");
	assert_memory_equal(text, before, TEXT_SIZE);
	assert_choice(TRACE, "off", RELINK_BY_DEFAULT);
}

/*
 * A plan too big for the stage (one lock prefix more than it holds), at
 * boot and at run time, is written by emitting in the write pass (in the
 * stop): the same bytes, all or nothing.
 */
static void test_switch_beyond_the_stage(void **state)
{
	enum { N = RELINK_STAGE_SITES + 1, FIRST = 0x100 };
	static struct synth_site many[N];
	struct relink_stats st;
	struct relink_plan plan;

	(void)state;
	for (uint32_t i = 0; i < N; i++)
		many[i] = (struct synth_site){ FIRST + 2 * i, SMP_LOCK,
					       LOCK_FORM, 0 };
	free(table.data);
	assert_int_equal(
		synth_build(defs, N_CHOICES, many, N, text_base, &table), 0);
	assert_int_equal(synth_fill_original(defs, many, N, text, text_base),
			 0);
	mock.image.table = table.data;
	mock.image.table_size = table.size;
	assert_int_equal(relink_init_early(), 0); /* one CPU: up */
	mock.cpus = 2;
	verified_plan(&plan, SMP_LOCK, 0, 1);
	assert_int_equal(plan.to_write, N);
	assert_false(plan.staged);
	assert_int_equal(relink_switch("smp.lock", "smp"), 0);
	for (uint32_t i = 0; i < N; i++)
		assert_int_equal(at(FIRST + 2 * i)[0], 0xf0);
	relink_get_stats(&st);
	assert_int_equal(st.last_sites_written, N);
	assert_int_equal(mock.stops, 1);
	/* A failed write in the stop: every site back to smp. */
	mock.cpus = 1;
	mock.corrupt_poke = mock.pokes + 5;
	assert_int_equal(relink_switch("smp.lock", "up"), -EIO);
	assert_log("write failed (-5); undoing 4 sites");
	for (uint32_t i = 0; i < N; i++)
		assert_int_equal(at(FIRST + 2 * i)[0], 0xf0);
	assert_choice(SMP_LOCK, "smp", RELINK_BY_RUNTIME);
}

/*
 * auto picks int3 for a branch choice: the protocol, step by step, and
 * the refresh (the new bytes once more, no sync) before the table goes.
 */
static void test_int3_branch(void **state)
{
	struct relink_stats st;

	(void)state;
	assert_int_equal(relink_init_early(), 0);
	assert_int_equal(relink_method_force("auto"), 0);
	assert_int_equal(relink_switch("trace", "on"), 0);
	assert_string_equal(mock.protocol,
			    "I2 W60+1 W70+1 S W61+4 W71+4 S W60+1 W70+1 S "
			    "W60+5 W70+5 R");
	assert_memory_equal(at(0x60), "\xeb\x13\x0f\x1f\x00", 5);
	assert_int_equal(at(0x70)[0], 0xe9);
	assert_int_equal(mock.stops, 0);
	relink_get_stats(&st);
	assert_int_equal(st.last_method, RELINK_METHOD_INT3);
	assert_int_equal(st.last_sites_written, 2);
	assert_int_equal(st.last_stop_ns, 0);
	assert_int_equal(relink_switch("trace", "off"), 0);
	assert_memory_equal(at(0x60), "\x0f\x1f\x44\x00\x00", 5);
	assert_memory_equal(at(0x70), "\x0f\x1f\x44\x00\x00", 5);
	assert_int_equal(mock.stops, 0);
}

/* Lock prefixes: one byte each, written whole between two syncs. */
static void test_int3_lock(void **state)
{
	(void)state;
	assert_int_equal(relink_init_early(), 0);
	assert_int_equal(at(0x10)[0], 0x3e); /* one CPU: up */
	assert_int_equal(relink_method_force("int3"), 0);
	assert_int_equal(relink_switch("smp.lock", "smp"), 0);
	assert_string_equal(mock.protocol,
			    "I3 S W10+1 W20+1 W80+1 S S W10+1 W20+1 W80+1 R");
	assert_int_equal(at(0x10)[0], 0xf0);
	assert_int_equal(at(0x80)[0], 0xf0);
	assert_int_equal(mock.stops, 0);
}

/* A call that becomes another call: int3, and the same bytes as stop. */
static void test_int3_call(void **state)
{
	(void)state;
	mock.hypervisor = RELINK_HV_XEN_PV;
	assert_int_equal(relink_init_early(), 0);
	assert_call(0x40, text_base + 0xa00);
	assert_int_equal(relink_method_force("auto"), 0);
	assert_int_equal(relink_switch("pv.save_fl", "ops"), 0);
	assert_string_equal(mock.protocol,
			    "I2 W40+1 W50+1 S W41+4 W51+4 S W40+1 W50+1 S "
			    "W40+5 W50+5 R");
	assert_call(0x40, text_base + 0x900);
	assert_call(0x50, text_base + 0x900);
	assert_int_equal(mock.stops, 0);
}

/* Inline code at a call site, before or after: auto picks stop. */
static void test_int3_inline_stops(void **state)
{
	struct relink_stats st;

	(void)state;
	assert_int_equal(relink_init_early(), 0);
	assert_int_equal(relink_method_force("auto"), 0);
	assert_int_equal(relink_switch("pv.save_fl", "ops"), 0);
	relink_get_stats(&st);
	assert_int_equal(st.last_method, RELINK_METHOD_STOP);
	assert_int_equal(mock.stops, 1);
	assert_string_equal(mock.protocol, "");
	assert_int_equal(relink_switch("cpu.popcnt", "sw"), 0);
	assert_int_equal(mock.stops, 2);
}

/* Forced int3 refuses inline code with one line; nothing changes. */
static void test_int3_forced_refused(void **state)
{
	uint8_t before[TEXT_SIZE];

	(void)state;
	assert_int_equal(relink_init_early(), 0);
	assert_int_equal(relink_method_force("sideways"), -EINVAL);
	assert_string_equal(relink_method_forced(), "stop");
	assert_int_equal(relink_method_force("int3"), 0);
	assert_string_equal(relink_method_forced(), "int3");
	memcpy(before, text, TEXT_SIZE);
	assert_int_equal(relink_switch("pv.save_fl", "ops"), -EOPNOTSUPP);
	assert_int_equal(relink_switch("cpu.popcnt", "sw"), -EOPNOTSUPP);
	assert_memory_equal(before, text, TEXT_SIZE);
	assert_log("pv.save_fl: relink.method=int3 cannot write");
	assert_log("(inline code at a call site); nothing written");
	assert_log("(an inline site)");
	/* The debugfs line says the same: the refusal names the site. */
	assert_non_null(
		strstr(relink_refusal(), "relink.method=int3 cannot write "));
	assert_non_null(strstr(relink_refusal(), "(an inline site)"));
	assert_int_equal(mock.stops, 0);
	assert_choice(PV_SAVE_FL, "native", RELINK_BY_HYPERVISOR);
}

/*
 * Where no int3 reaches the #BP handler (KVM's emulator), a forced int3
 * is refused for any site, with the reason; auto stops the machine.
 */
static void test_int3_forced_refused_without_breakpoints(void **state)
{
	uint8_t before[TEXT_SIZE];

	(void)state;
	mock.no_breakpoints = true;
	assert_int_equal(relink_init_early(), 0);
	assert_int_equal(relink_method_force("int3"), 0);
	memcpy(before, text, TEXT_SIZE);
	assert_int_equal(relink_switch("trace", "on"), -EOPNOTSUPP);
	assert_memory_equal(before, text, TEXT_SIZE);
	assert_string_equal(relink_refusal(),
			    "relink.method=int3 cannot work here (an int3 "
			    "does not reach the #BP handler under KVM's "
			    "instruction emulator)");
	assert_log("trace: relink.method=int3 cannot work here");
	assert_int_equal(mock.stops, 0);
	assert_int_equal(relink_method_force("auto"), 0);
	assert_int_equal(relink_switch("trace", "on"), 0);
	assert_int_equal(mock.stops, 1);
	assert_int_equal(mock.n_breakpoints, 0);
}

/* A write that reads back wrong: the three steps again, old bytes. */
static void test_int3_undo(void **state)
{
	(void)state;
	assert_int_equal(relink_init_early(), 0);
	assert_int_equal(relink_method_force("int3"), 0);
	mock.corrupt_poke = mock.pokes + 3; /* the first tail */
	assert_int_equal(relink_switch("trace", "on"), -EIO);
	assert_memory_equal(at(0x60), "\x0f\x1f\x44\x00\x00", 5);
	assert_memory_equal(at(0x70), "\x0f\x1f\x44\x00\x00", 5);
	assert_log("trace: int3 write failed (-5); undoing 2 sites");
	assert_int_equal(mock.n_breakpoints, 0);
	assert_choice(TRACE, "off", RELINK_BY_DEFAULT);
}

static void test_readback_failure(void **state)
{
	uint8_t before[TEXT_SIZE];

	(void)state;
	memcpy(before, text, TEXT_SIZE);
	mock.corrupt_poke = 3;
	assert_int_equal(relink_init_early(), -EIO);
	assert_log("write failed (-5)");
	assert_memory_equal(text, before, TEXT_SIZE);
}

/* ---- bad tables -------------------------------------------------------- */

static struct relink_table_header *header(void)
{
	return table.data;
}

static struct relink_site *site_records(void)
{
	return (void *)((char *)table.data + header()->sites_offset);
}

static struct relink_form *form_records(void)
{
	return (void *)((char *)table.data + header()->forms_offset);
}

/* The table is rejected, for the reason the log names. */
static void expect_rejected(const char *what, const char *reason)
{
	mock.log[0] = '\0';
	if (relink_init_early() != -EINVAL)
		fail_msg("table with %s accepted", what);
	if (!strstr(mock.log, reason))
		fail_msg("%s: log lacks \"%s\": %s", what, reason, mock.log);
	assert_int_equal(relink_choice_count(), 0);
	assert_int_equal(mock.pokes, 0);
}

#define MUTATE(what, reason, stmt)                    \
	do {                                          \
		void *copy = malloc(table.size);      \
		memcpy(copy, table.data, table.size); \
		stmt;                                 \
		expect_rejected(what, reason);        \
		memcpy(table.data, copy, table.size); \
		free(copy);                           \
	} while (0)

/* Site i of the table (table order: by choice, then offset) at offset. */
static void move_site(uint32_t i, uint32_t offset)
{
	site_records()[i] = relink_site_make(
		offset, relink_site_form_index(&site_records()[i]));
}

static void test_bad_header(void **state)
{
	(void)state;
	MUTATE("bad magic", "table: magic 0x4b4e4c53, expected 0x4b4e4c52",
	       header()->magic ^= 1);
	MUTATE("old version", "table: version 1, expected 2",
	       header()->version = 1);
	MUTATE("bad header size", "record sizes 88/12/8/8/4, expected",
	       header()->header_size = 88);
	MUTATE("bad site size", "record sizes 80/12/8/8/6",
	       header()->site_size = 6);
	MUTATE("bad form size", "record sizes", header()->form_size = 4);
	MUTATE("total beyond section", "table: total size",
	       header()->total_size = (uint32_t)table.size + 1);
	MUTATE("short section",
	       "table: 40 bytes, smaller than its 80-byte header",
	       mock.image.table_size = 40);
	mock.image.table_size = table.size;
	MUTATE("sites outside",
	       "sites (offset 2147483640, 8 records) out of bounds",
	       header()->sites_offset = 0x7ffffff8);
	MUTATE("count overflow", "sites (offset",
	       header()->n_sites = 0xffffffff);
	MUTATE("misaligned array", "forms (offset",
	       header()->forms_offset += 2);
	MUTATE("misaligned array", "not 4-byte aligned",
	       header()->sites_offset += 2);
	MUTATE("unterminated strings", "not terminated",
	       ((char *)table.data)[header()->strings_offset +
				    header()->strings_size - 1] = 'x');
}

static void test_bad_choices(void **state)
{
	struct relink_table_choice *tc;

	(void)state;
	tc = (void *)((char *)table.data + header()->choices_offset);
	MUTATE("wrong choice count", "choices differ",
	       mock.image.n_choices = N_CHOICES - 1);
	mock.image.n_choices = N_CHOICES;
	MUTATE("renamed choice", "stale table", defs[TRACE].name = "tracer");
	defs[TRACE].name = "trace";
	MUTATE("renamed variant", "stale table",
	       variants[TRACE][1].name = "on!");
	variants[TRACE][1].name = "on";
	MUTATE("other predicate", "stale table",
	       variants[CPU_POPCNT][0].pred_arg = 1);
	variants[CPU_POPCNT][0].pred_arg = X86_FEATURE_popcnt;
	MUTATE("other default", "stale table",
	       tc[CPU_POPCNT].default_variant = 0);
	MUTATE("name offset out of range", "choice 0: name offset 16777215",
	       tc[SMP_LOCK].name = 0xffffff);
	MUTATE("default out of range", "choice 3: default variant 2 of 2",
	       tc[TRACE].default_variant = 2);
	MUTATE("bad decider", "choice 3: decider 9, at most 4",
	       tc[TRACE].decider = 9);
	MUTATE("variant count", "the choices own 10 variants and 8 sites",
	       tc[TRACE].n_variants = 3);
	MUTATE("wrong site count", "the choices own 9 variants and 9 sites",
	       tc[TRACE].n_sites = 3);
	MUTATE("call site without symbol", "without a call symbol",
	       defs[PV_SAVE_FL].call_symbol = NULL);
	defs[PV_SAVE_FL].call_symbol_addr = text_base + 0x900;
	MUTATE("default out of range", "bad choice definition",
	       defs[TRACE].default_variant = 2);
	defs[TRACE].default_variant = 0;
}

/*
 * Table order: 0x10 0x20 0x80 (smp.lock), 0x30 (cpu.popcnt), 0x40 0x50
 * (pv.save_fl), 0x60 0x70 (trace); forms in order of first use: lock,
 * popcnt, call, branch.
 */
static void test_bad_sites(void **state)
{
	(void)state;
	MUTATE("form index", "site 2: form 200, the table has 4",
	       site_records()[2] = relink_site_make(0x80, 200));
	MUTATE("overlap", "site 1 (offset 0x10) overlaps or precedes site 0",
	       move_site(1, 0x10));
	MUTATE("unsorted", "site 1 (offset 0x8) overlaps or precedes site 0",
	       move_site(1, 0x08));
	MUTATE("overlap across choices",
	       "site 3 (offset 0x20) overlaps or precedes site 1 (offset 0x20)",
	       move_site(3, 0x20));
	MUTATE("outside text", "not in text", move_site(2, 0x100000));
	MUTATE("bad shape", "form 0: shape 9, at most 4",
	       form_records()[0].shape = 9);
	MUTATE("call length", "form 2: a call site cannot be 4 bytes",
	       form_records()[2].length = 4);
	MUTATE("lock length", "form 0: a lock site cannot be 2 bytes",
	       form_records()[0].length = 2);
	MUTATE("register count", "form 1: 4 registers, at most 3",
	       form_records()[1].n_regs = 4);
	MUTATE("register number", "form 1: register 0 is 16",
	       form_records()[1].regs[0] = 16);
	MUTATE("branch targets", "2 branch sites but 1 branch targets",
	       header()->n_branch_targets = 1);
	MUTATE("branch target outside text", "branch target not in text",
	       ((int32_t *)((char *)table.data +
			    header()->branch_targets_offset))[1] = 0x100000);
}

/* ---- one checker: the kernel's loader and relocgen agree --------------- */

/* What relocgen's table reader (--dump, --stats, --verify) says, or "". */
static void relocgen_verdict(char *out, size_t size)
{
	static const char prefix[] = "table.bin: bad .relink.table: ";
	FILE *capture = tmpfile();
	int saved = dup(2);
	struct table_view view;
	size_t n;

	assert_non_null(capture);
	fflush(stderr);
	dup2(fileno(capture), 2);
	if (!table_parse("table.bin", table.data, mock.image.table_size, &view))
		table_view_free(&view);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(capture);
	n = fread(out, 1, size - 1, capture);
	out[n] = '\0';
	fclose(capture);
	out[strcspn(out, "\n")] = '\0';
	if (n && strncmp(out, prefix, strlen(prefix)) == 0)
		memmove(out, out + strlen(prefix),
			strlen(out + strlen(prefix)) + 1);
}

/* What the kernel's loader says about the table itself, or "". */
static void kernel_verdict(char *out, size_t size)
{
	static const char prefix[] = "relink: table: ";
	const char *line;

	mock.log[0] = '\0';
	relink_init_early();
	line = strstr(mock.log, prefix);
	snprintf(out, size, "%s", line ? line + strlen(prefix) : "");
	out[strcspn(out, "\n")] = '\0';
}

static void expect_same_verdict(const char *what, const char *message)
{
	char kernel[256], relocgen[256];

	kernel_verdict(kernel, sizeof(kernel));
	relocgen_verdict(relocgen, sizeof(relocgen));
	if (strcmp(kernel, relocgen) || strcmp(kernel, message))
		fail_msg("%s: kernel \"%s\", relocgen \"%s\", expected \"%s\"",
			 what, kernel, relocgen, message);
}

#define BOTH(what, message, stmt)                     \
	do {                                          \
		void *copy = malloc(table.size);      \
		memcpy(copy, table.data, table.size); \
		stmt;                                 \
		expect_same_verdict(what, message);   \
		memcpy(table.data, copy, table.size); \
		free(copy);                           \
		mock.image.table_size = table.size;   \
	} while (0)

/*
 * One corrupted table at a time, the same bytes to both readers: both
 * accept it ("") or both reject it with the same words.
 */
static void test_one_checker(void **state)
{
	struct relink_table_choice *tc;

	(void)state;
	tc = (void *)((char *)table.data + header()->choices_offset);
	BOTH("intact", "", (void)0);
	BOTH("truncated", "79 bytes, smaller than its 80-byte header",
	     mock.image.table_size = 79);
	BOTH("cut short", "total size 345, but 300 bytes are present",
	     mock.image.table_size = 300);
	BOTH("bad magic", "magic 0x4b4e4c00, expected 0x4b4e4c52",
	     header()->magic &= ~0xffu);
	BOTH("bad version", "version 3, expected 2", header()->version = 3);
	BOTH("bad site size", "record sizes 80/12/8/8/6, expected 80/12/8/8/4",
	     header()->site_size = 6);
	BOTH("bad count", "sites (offset 232, 1000 records) out of bounds",
	     header()->n_sites = 1000);
	BOTH("misaligned sites", "sites (offset 234) not 4-byte aligned",
	     header()->sites_offset += 2);
	BOTH("bad form count", "forms (offset 200, 257 records) out of bounds",
	     header()->n_forms = 257);
	BOTH("bad string offset",
	     "variant 4: name offset 400 out of range (73 bytes)",
	     ((struct relink_table_variant *)((char *)table.data +
					      header()->variants_offset))[4]
		     .name = 400);
	BOTH("bad site count",
	     "the choices own 9 variants and 7 sites, the table has 9 and 8",
	     tc[SMP_LOCK].n_sites = 2);
	BOTH("form out of range", "site 5: form 4, the table has 4",
	     site_records()[5] = relink_site_make(0x50, 4));
	BOTH("bad form length", "form 3: a branch site cannot be 3 bytes",
	     form_records()[3].length = 3);
	BOTH("unsorted",
	     "site 2 (offset 0x18) overlaps or precedes site 1 (offset 0x20)",
	     move_site(2, 0x18));
	BOTH("overlapping choices",
	     "site 6 (offset 0x50) overlaps or precedes site 5 (offset 0x50)",
	     move_site(6, 0x50));
	BOTH("bad predicate", "variant 0: predicate 7, at most 6",
	     ((struct relink_table_variant *)((char *)table.data +
					      header()->variants_offset))[0]
		     .pred = 7);
}

static void test_misaligned_table(void **state)
{
	char *copy = aligned_alloc(8, (table.size + 15) & ~(size_t)7);

	(void)state;
	memcpy(copy + 4, table.data, table.size);
	mock.image.table = copy + 4;
	expect_rejected("misaligned table", "table: at a misaligned address");
	free(copy);
}

static void test_predicates(void **state)
{
	struct relink_variant_def v = { .name = "v" };
	char why[96];

	(void)state;
	v.pred = RELINK_PRED_NO_CPUID;
	v.pred_arg = X86_FEATURE_popcnt;
	assert_false(relink_pred_holds(&v, why, sizeof(why)));
	assert_string_equal(why, "CPU has feature popcnt");
	mock.popcnt = false;
	assert_true(relink_pred_holds(&v, why, sizeof(why)));
	v.pred = RELINK_PRED_CPUID;
	v.pred_arg = CPU_FEATURE(CPUID_7_0_EBX, 31);
	assert_false(relink_pred_holds(&v, why, sizeof(why)));
	assert_string_equal(why, "needs CPU feature word 2 bit 31");
	v.pred = RELINK_PRED_SMP;
	assert_false(relink_pred_holds(&v, why, sizeof(why)));
	assert_string_equal(why, "needs more than one CPU (1 online)");
	v.pred = RELINK_PRED_HYPERVISOR;
	v.pred_arg = RELINK_HV_XEN_PV;
	assert_false(relink_pred_holds(&v, why, sizeof(why)));
	assert_string_equal(why, "needs hypervisor xen-pv");
	/* The mock runs on bare metal: every native pv variant holds. */
	v.pred = RELINK_PRED_NOT_HYPERVISOR;
	assert_true(relink_pred_holds(&v, why, sizeof(why)));
	v.pred_arg = RELINK_HV_NONE;
	assert_false(relink_pred_holds(&v, why, sizeof(why)));
	assert_string_equal(why, "not under hypervisor none");
	v.pred = RELINK_PRED_MAX + 1;
	assert_false(relink_pred_holds(&v, why, 8));
	assert_string_equal(why, "unknown");
}

static void collect(void *ctx, const char *fmt, ...)
{
	char *out = ctx;
	size_t used = strlen(out);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out + used, 4096 - used, fmt, ap);
	va_end(ap);
}

static void test_show(void **state)
{
	char out[4096] = "";

	(void)state;
	mock.popcnt = false;
	assert_int_equal(relink_init_early(), 0);
	relink_show_choices(collect, out);
	assert_non_null(strstr(out, "cpu.popcnt"));
	assert_non_null(
		strstr(out, "hw(unavailable: needs CPU feature popcnt) *sw"));
	out[0] = '\0';
	relink_show_sites(collect, out);
	assert_non_null(strstr(out, "branch trace"));
	assert_non_null(strstr(out, "9c 58 0f 1f 00"));
	out[0] = '\0';
	relink_show_stats(collect, out);
	assert_non_null(strstr(
		out, "sites by shape: call 2, inline 1, lock 3, branch 2"));
	assert_non_null(strstr(out, "boot rate: "));
	assert_non_null(strstr(out, "last switch: none"));
	assert_int_equal(relink_switch("trace", "on"), 0);
	out[0] = '\0';
	relink_show_stats(collect, out);
	assert_non_null(strstr(
		out, "last switch: trace, 2 sites written, method stop, "));
	assert_non_null(strstr(
		out, "longest switch: trace, 2 sites written, method stop, "));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_original_code, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_no_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_boot_decides, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_boot_without_features,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_hypervisor_only_variant,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_cmdline, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_machine_changed_overrides_pin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_boot_all_or_nothing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rehearse_boot, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_switch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_module_choices, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_switch_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_switch_cpu_inside, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_switch_staged_write_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_switch_beyond_the_stage,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_int3_branch, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_int3_lock, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_int3_call, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_int3_inline_stops, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_int3_forced_refused_without_breakpoints, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_int3_forced_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_int3_undo, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_readback_failure, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_header, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_choices, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_sites, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_one_checker, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_misaligned_table, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_predicates, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_show, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
