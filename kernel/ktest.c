// SPDX-License-Identifier: MIT
/*
 * The KTAP runner. Output follows KTAP version 1: the top level lists the
 * suites, each suite is a nested, indented KTAP document of its cases:
 *
 *	KTAP version 1
 *	1..2
 *	    KTAP version 1
 *	    # Subtest: mm
 *	    1..3
 *	    ok 1 test_page_alloc
 *	    not ok 2 test_kmalloc # kmalloc.c:40: p != NULL
 *	    ok 3 test_x # SKIP no second CPU
 *	ok 1 mm
 */
#include <stdarg.h>
#include <kernel/cmdline.h>
#include <kernel/ktest.h>
#include <kernel/platform.h>
#include <kernel/printk.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/string.h>

extern const struct ktest_suite __ktest_suites_start[];
extern const struct ktest_suite __ktest_suites_end[];

#define for_each_ktest_suite(s)                                  \
	for (const struct ktest_suite *s = __ktest_suites_start; \
	     s < __ktest_suites_end; s++)

void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt,
		...)
{
	const char *base = strrchr(file, '/');
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	base = base ? base + 1 : file;
	kprintf("    # %s: EXPECTATION FAILED at %s:%d: %s\n", t->name, base,
		line, msg);
	if (t->result != KTEST_FAIL)
		snprintf(t->reason, sizeof(t->reason), "%s:%d", base, line);
	t->result = KTEST_FAIL;
}

void ktest_abort(struct ktest *t)
{
	kernel_longjmp(&t->abort, 1);
}

void ktest_skip(struct ktest *t, const char *reason)
{
	t->result = KTEST_SKIP;
	strlcpy(t->reason, reason, sizeof(t->reason));
	kernel_longjmp(&t->abort, 1);
}

static size_t suite_size(const struct ktest_suite *s)
{
	size_t n = 0;

	while (s->cases[n].run)
		n++;
	return n;
}

static enum ktest_result case_run(const struct ktest_case *c, size_t index)
{
	struct ktest t = { .name = c->name, .result = KTEST_PASS };

	if (!kernel_setjmp(&t.abort))
		c->run(&t);
	if (t.result == KTEST_FAIL)
		kprintf("    not ok %zu %s # %s\n", index, c->name, t.reason);
	else if (t.result == KTEST_SKIP)
		kprintf("    ok %zu %s # SKIP %s\n", index, c->name, t.reason);
	else
		kprintf("    ok %zu %s\n", index, c->name);
	return t.result;
}

/* Returns the number of failed cases. */
static int suite_run(const struct ktest_suite *s, size_t index)
{
	const char *reason = NULL;
	size_t n = suite_size(s);
	int failed = 0;

	kprintf("    KTAP version 1\n    # Subtest: %s\n", s->name);
	if (s->available && !s->available(&reason)) {
		kprintf("    1..0 # SKIP %s\nok %zu %s # SKIP %s\n", reason,
			index, s->name, reason);
		return 0;
	}
	kprintf("    1..%zu\n", n);
	for (size_t i = 0; i < n; i++)
		failed += case_run(&s->cases[i], i + 1) == KTEST_FAIL;
	kprintf("%s %zu %s\n", failed ? "not ok" : "ok", index, s->name);
	return failed;
}

static bool spec_selects(const char *spec, const char *name)
{
	size_t n = strlen(name);

	if (!strcmp(spec, "all"))
		return true;
	for (const char *p = spec; p; p = strchr(p, ',')) {
		if (*p == ',')
			p++;
		if (!strncmp(p, name, n) && (p[n] == ',' || p[n] == '\0'))
			return true;
	}
	return false;
}

static bool suite_exists(const char *name)
{
	for_each_ktest_suite (s)
		if (!strcmp(s->name, name))
			return true;
	return false;
}

/*
 * Every name in spec must be a suite: a typo must not pass silently. The
 * names that are not are said in one line.
 */
static int spec_check(const char *spec)
{
	char buf[CMDLINE_VALUE_MAX], bad[160] = "", shown[40];
	char *cursor = buf, *name;

	if (!strcmp(spec, "all"))
		return 0;
	strlcpy(buf, spec, sizeof(buf));
	while ((name = strsep(&cursor, ",")) != NULL) {
		if (suite_exists(name))
			continue;
		if (bad[0])
			strlcat(bad, ", ", sizeof(bad));
		strlcat(bad, "'", sizeof(bad));
		strlcat(bad,
			str_escape(shown, sizeof(shown), name, strlen(name)),
			sizeof(bad));
		strlcat(bad, "'", sizeof(bad));
	}
	if (!bad[0])
		return 0;
	kprintf("ktest: no suite named %s (ktest=all runs every suite)\n", bad);
	return -EINVAL;
}

int ktest_run(const char *spec)
{
	size_t total = 0, index = 0;
	int failed = 0;

	if (spec_check(spec))
		return -EINVAL;
	for_each_ktest_suite (s)
		total += spec_selects(spec, s->name);
	kprintf("KTAP version 1\n1..%zu\n", total);
	for_each_ktest_suite (s) {
		if (spec_selects(spec, s->name))
			failed += suite_run(s, ++index);
	}
	kprintf("# ktest: %s\n", failed ? "FAIL" : "PASS");
	return failed ? -EIO : 0;
}

static const char *ktest_spec;

/* Checked when the tests run, so that a misspelt suite fails the run. */
static int ktest_param(const char *key __unused, const char *value,
		       char *why __unused)
{
	ktest_spec = value;
	return 0;
}
KERNEL_PARAM("ktest", ktest_param, "ktest=all|SUITE[,SUITE]",
	     "run in-kernel tests at boot, then power off");

void ktest_boot(void)
{
	if (!ktest_spec)
		return;
	arch_exit(ktest_run(ktest_spec) ? STATUS_TESTS_FAILED : STATUS_OK);
}
