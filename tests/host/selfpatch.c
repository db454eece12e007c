// SPDX-License-Identifier: MIT
/*
 * The self-patching host program: built with the kernel's pipeline (link
 * 1 with --emit-relocs, relocgen --table, link 2, relocgen --verify), it
 * runs the choice engine on its own text through the host platform and
 * checks, as TAP, that its sites hold the compiled code before patching
 * and the chosen variants after, that its functions compute the same
 * results either way, that command-line overrides and run-time switches
 * work, and that switching under load from several threads loses no
 * update and breaks no result.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <relink/cpufeature.h>
#include <relink/engine.h>

#include "host_platform.h"
#include "patching.h"
#include "sites.h"
#include "x86_encode.h" /* the emitter's NOPs, which sites must hold */

static int tests_run;
static int tests_failed;

static bool ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++tests_run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	tests_failed += !cond;
	return cond;
}

static int choice(const char *name)
{
	return relink_choice_find(name);
}

static unsigned long reference_popcnt(unsigned long x)
{
	unsigned long n = 0;

	for (; x; x &= x - 1)
		n++;
	return n;
}

/*
 * The call symbol of a choice. Code may not take its address (relocgen
 * allows only direct calls to it in text), so ask the definition.
 */
static const void *call_symbol(const char *name)
{
	struct relink_choice_info info;

	if (relink_choice_get((unsigned int)choice(name), &info))
		return NULL;
	return info.def->call_symbol;
}

/* A direct call at p to target? */
static bool calls(const uint8_t *p, const void *target)
{
	int32_t rel;

	memcpy(&rel, p + 1, 4);
	return p[0] == 0xe8 && (uintptr_t)p + 5 + rel == (uintptr_t)target;
}

/* The compiled code of a site of choice c, checked without the engine. */
static bool holds_compiled_code(const struct relink_site_info *s)
{
	const uint8_t *p = s->bytes;

	if (s->choice == (unsigned int)choice("smp.lock"))
		return p[0] == 0xf0;
	if (s->choice == (unsigned int)choice("host.popcnt"))
		return calls(p, host_sw_popcnt);
	if (s->choice == (unsigned int)choice("host.flags"))
		return calls(p, call_symbol("host.flags"));
	if (s->choice == (unsigned int)choice("host.trace"))
		return relink_is_nops(p, 5);
	if (s->choice == (unsigned int)choice("host.save_fl")) {
		unsigned int pop = p[1] == 0x41 ? 2 : 1;

		return p[0] == 0x9c && (p[pop] & 0xf8) == 0x58 &&
		       relink_is_nops(p + pop + 1, s->length - pop - 1);
	}
	return false;
}

static bool all_sites(bool (*check)(const struct relink_site_info *),
		      int only_choice)
{
	struct relink_site_info s;
	bool good = true;

	for (uint32_t i = 0; i < relink_site_count(); i++) {
		relink_site_get(i, &s);
		if (only_choice >= 0 && s.choice != (unsigned int)only_choice)
			continue;
		if (!check(&s)) {
			printf("# site %u at %#lx (%s) holds unexpected bytes\n",
			       i, (unsigned long)s.address,
			       relink_shape_name(s.shape));
			good = false;
		}
	}
	return good;
}

static bool results_right(void)
{
	static const unsigned long inputs[] = { 0,    1,
						0xff, 0x8000000000000001ul,
						~0ul, 0x123456789abcdeful };
	long counter = 0;
	bool good = true;

	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
		good &= sites_popcnt(inputs[i]) == reference_popcnt(inputs[i]);
	good &= (sites_save_fl() & 0x200) != 0; /* IF is set in user space */
	good &= (sites_save_fl_r9() & 0x200) != 0;
	good &= (sites_flags_call() & 0x200) != 0;
	sites_atomic_add(&counter, 5);
	sites_atomic_add(&counter, -2);
	good &= counter == 3;
	return good;
}

static void check_before(void)
{
	struct relink_stats st;

	relink_get_stats(&st);
	ok(st.have_table, "the image carries a site table (%u bytes, %u sites)",
	   st.table_bytes, st.n_sites);
	ok(st.sites_by_shape[RELINK_SHAPE_CALL] &&
		   st.sites_by_shape[RELINK_SHAPE_INLINE] &&
		   st.sites_by_shape[RELINK_SHAPE_LOCK] &&
		   st.sites_by_shape[RELINK_SHAPE_BRANCH],
	   "sites of every shape: call %u, inline %u, lock %u, branch %u",
	   st.sites_by_shape[RELINK_SHAPE_CALL],
	   st.sites_by_shape[RELINK_SHAPE_INLINE],
	   st.sites_by_shape[RELINK_SHAPE_LOCK],
	   st.sites_by_shape[RELINK_SHAPE_BRANCH]);
	ok(all_sites(holds_compiled_code, -1),
	   "before patching every site holds its compiled code");
	ok(results_right(), "unpatched functions compute the right results");
	ok(sites_branch(7) == 7, "unpatched branch falls through");
}

static bool holds_patched_code(const struct relink_site_info *s)
{
	const uint8_t *p = s->bytes;

	if (s->choice == (unsigned int)choice("smp.lock"))
		return p[0] == 0x3e;
	if (s->choice == (unsigned int)choice("host.popcnt"))
		return host_has_popcnt ? !memcmp(p, "\xf3\x48\x0f\xb8\xc7", 5) :
					 calls(p, host_sw_popcnt);
	if (s->choice == (unsigned int)choice("host.flags"))
		return !memcmp(p, "\x9c\x58\x0f\x1f\x00", 5);
	if (s->choice == (unsigned int)choice("host.trace"))
		return p[0] == 0xeb || p[0] == 0xe9;
	return holds_compiled_code(s); /* host.save_fl stays native */
}

static void check_boot(void)
{
	struct relink_choice_info info;
	const char *log;
	int rc;

	rc = relink_init_early();
	log = host_platform_take_log();
	ok(rc == 0, "relink_init_early() patches the program (%d)", rc);
	ok(all_sites(holds_patched_code, -1),
	   "after patching every site holds its chosen variant");
	ok(results_right(), "patched functions compute the right results");
	ok(sites_branch(7) == 1007,
	   "relink.host.trace=on: the branch is taken");
	relink_choice_get((unsigned int)choice("host.trace"), &info);
	ok(info.decided_by == RELINK_BY_CMDLINE, "host.trace decided by %s",
	   relink_decided_by_name(info.decided_by));
	relink_choice_get((unsigned int)choice("smp.lock"), &info);
	ok(info.decided_by == RELINK_BY_SMP && info.variant == 0,
	   "smp.lock is up, decided by %s",
	   relink_decided_by_name(info.decided_by));
	ok(strstr(log, "relink.host.save_fl=bogus: unknown variant (valid: "
		       "native, fixed); keeping native") != NULL,
	   "a bad relink.host.save_fl value is reported and ignored");
}

static bool switch_ok(const char *c, const char *v)
{
	int rc = relink_switch(c, v);

	if (rc)
		printf("# relink_switch(%s, %s) = %d\n", c, v, rc);
	return rc == 0;
}

static bool save_fl_fixed(const struct relink_site_info *s)
{
	unsigned int rex = s->bytes[0] == 0x41;
	uint32_t imm;

	memcpy(&imm, s->bytes + rex + 1, 4);
	return (s->bytes[rex] & 0xf8) == 0xb8 && imm == 0x202 &&
	       relink_is_nops(s->bytes + rex + 5, s->length - rex - 5);
}

static void check_switches(void)
{
	int c;

	ok(switch_ok("host.save_fl", "fixed") && sites_save_fl() == 0x202 &&
		   sites_save_fl_r9() == 0x202 &&
		   all_sites(save_fl_fixed, choice("host.save_fl")),
	   "host.save_fl switched to fixed: mov $0x202 in every register");
	ok(switch_ok("host.save_fl", "native") && (sites_save_fl() & 0x200),
	   "host.save_fl switched back to native");
	ok(switch_ok("host.popcnt", "sw") && results_right(),
	   "host.popcnt switched to sw: calls the C fallback");
	if (host_has_popcnt)
		ok(switch_ok("host.popcnt", "hw") && results_right(),
		   "host.popcnt switched back to hw");
	ok(switch_ok("host.flags", "direct") && results_right(),
	   "host.flags call sites switched to a direct call");
	ok(switch_ok("host.flags", "ops") && results_right(),
	   "host.flags call sites switched to the ops table");
	ok(switch_ok("host.trace", "off") && sites_branch(7) == 7,
	   "host.trace switched off: the branch falls through");
	ok(relink_switch("host.trace", "sideways") == -EINVAL,
	   "an unknown variant is refused with -EINVAL");
	c = choice("host.flags");
	ok(c >= 0 && relink_switch("host.none", "x") == -ENOENT,
	   "an unknown choice is refused with -ENOENT");
}

/* ---- under load ----------------------------------------------------------- */

static struct {
	atomic_long wrong;
	atomic_long calls[8];
	long counter;
} load;

static void work(void *arg, unsigned int cpu)
{
	unsigned long x = (uintptr_t)arg + cpu;

	for (int i = 0; i < 1000; i++, x = x * 6364136223846793005ul + 1) {
		long b = sites_branch((long)(x & 0xff));

		if (sites_popcnt(x) != reference_popcnt(x) ||
		    !(sites_save_fl() & 0x200) ||
		    !(sites_flags_call() & 0x200) ||
		    (b != (long)(x & 0xff) && b != (long)(x & 0xff) + 1000))
			atomic_fetch_add(&load.wrong, 1);
		sites_atomic_add(&load.counter, 1);
	}
	atomic_fetch_add(&load.calls[cpu], 1000);
}

/*
 * The storm: 50 rounds of 8 switches while 3 threads call every site,
 * written with method ("stop": every switch stops the machine; "auto":
 * the INT3 method wherever the sites allow it, the threads running on).
 */
static void storm(const char *method)
{
	static const char *const flips[][2] = {
		{ "host.popcnt", "sw" },     { "host.popcnt", "hw" },
		{ "host.save_fl", "fixed" }, { "host.save_fl", "native" },
		{ "host.flags", "inline" },  { "host.flags", "direct" },
		{ "host.trace", "on" },	     { "host.trace", "off" },
	};
	unsigned long stops = host_platform_stops(), total = 0;
	unsigned long int3s = host_platform_int3_writes();
	int failed = 0, n = 0;

	memset(&load, 0, sizeof(load));
	relink_method_force(method);
	if (host_platform_start_cpus(3, work, (void *)0x1234)) {
		ok(false, "%s: 3 threads start", method);
		return;
	}
	for (int round = 0; round < 50; round++) {
		for (size_t i = 0; i < sizeof(flips) / sizeof(flips[0]); i++) {
			if (!host_has_popcnt && !strcmp(flips[i][1], "hw"))
				continue;
			failed += relink_switch(flips[i][0], flips[i][1]) != 0;
			n++;
		}
	}
	host_platform_stop_cpus(); /* every call finished and counted */
	for (int cpu = 0; cpu < 8; cpu++)
		total += (unsigned long)atomic_load(&load.calls[cpu]);
	stops = host_platform_stops() - stops;
	int3s = host_platform_int3_writes() - int3s;
	if (!strcmp(method, "stop"))
		ok(failed == 0 && stops >= (unsigned long)n && !int3s,
		   "stop: %d run-time switches under load from 3 threads, "
		   "each stopping the machine",
		   n);
	else
		ok(failed == 0 && int3s >= 100 &&
			   stops + int3s >= (unsigned long)n,
		   "auto: %d run-time switches under load from 3 threads, "
		   "%lu by int3 (the threads running on), %lu stopped",
		   n, int3s, stops);
	ok(atomic_load(&load.wrong) == 0, "%s: no wrong result in %lu calls",
	   method, total);
	ok(load.counter == (long)total,
	   "%s: no lost update: counter %ld == %lu", method, load.counter,
	   total);
}

static void check_smp_and_load(void)
{
	ok(host_platform_start_cpus(3, NULL, NULL) == 0 &&
		   relink_switch("smp.lock", "smp") == 0,
	   "smp.lock switched to smp before 3 more CPUs run");
	ok(relink_switch("smp.lock", "up") == -EPERM,
	   "smp.lock=up is refused with -EPERM while 4 CPUs run");
	host_platform_stop_cpus();
	storm("stop");
	storm("auto");
}

static void print_line(void *ctx, const char *fmt, ...)
{
	va_list ap;

	(void)ctx;
	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

int main(int argc, char **argv)
{
	struct relink_image image;
	int rc;

	printf("TAP version 13\n");
	rc = host_platform_init(argc, argv);
	if (!ok(rc == 0, "text remapped through a writable alias (%d)", rc))
		return 1;
	host_has_popcnt = relink_platform_has_feature(X86_FEATURE_popcnt);
	host_platform_set_cmdline(
		"relink.host.trace=on relink.host.save_fl=bogus");
	host_platform_set_log_level(RELINK_LOG_WARN);
	rc = relink_switch("smp.lock", "smp");
	ok(rc == -ENODEV, "no switch before the table is loaded (%d)", rc);
	/* Load without patching, to see the compiled code; init reloads. */
	relink_platform_image(&image);
	rc = relink_table_load(&relink_engine, &image);
	ok(rc == 0, "the table loads and validates (%d)", rc);
	check_before();
	check_boot();
	check_switches();
	check_smp_and_load();
	relink_show_choices(print_line, NULL);
	relink_show_stats(print_line, NULL);
	printf("1..%d\n", tests_run);
	return tests_failed ? 1 : 0;
}
