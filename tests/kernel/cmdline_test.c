// SPDX-License-Identifier: MIT
/*
 * KTAP suite "cmdline": the kernel's option table and its boot command
 * line. The parser's rules are tested on the host (tests/unit/test_cmdline.c
 * runs kernel/cmdline.c under the sanitizers; tests/fuzz/cmdline.c fuzzes
 * it); this suite checks what only the running kernel has.
 */
#include <kernel/cmdline.h>
#include <kernel/ktest.h>
#include <kernel/printk.h>
#include <lib/errno.h>
#include <lib/string.h>

extern const struct kernel_param __kernel_params_start[];
extern const struct kernel_param __kernel_params_end[];

#define for_each_kernel_param(p)                                   \
	for (const struct kernel_param *p = __kernel_params_start; \
	     p < __kernel_params_end; p++)

static void test_boot_command_line_parsed(struct ktest *t)
{
	/* This suite only runs when ktest= was given at boot. */
	const struct cmdline_option *o = cmdline_find(&boot_options, "ktest");

	KTEST_ASSERT_TRUE(t, o != NULL);
	KTEST_EXPECT_TRUE(t, strstr(boot_cmdline, o->value) != NULL);
}

/* Every option says how it is written, and no two share a name. */
static void test_every_option_declared_once(struct ktest *t)
{
	unsigned int n = 0;

	for_each_kernel_param(p)
	{
		n++;
		KTEST_EXPECT_TRUE(t, p->set && p->usage && p->help);
		KTEST_EXPECT_TRUE(t,
				  !strncmp(p->usage, p->name, strlen(p->name)));
		for (const struct kernel_param *q = p + 1;
		     q < __kernel_params_end; q++)
			KTEST_EXPECT_TRUE(t, strcmp(p->name, q->name) != 0);
	}
	KTEST_EXPECT_TRUE(t, n >= 10);
}

static void test_no_value_never_reaches_a_handler(struct ktest *t)
{
	static struct cmdline cl;
	const char line[] = "loglevel= maxcpus clearcpuid= idle acpi= "
			    "ktest= relink.mem.copy=";
	int level = console_loglevel;

	cmdline_parse(&cl, line, sizeof(line));
	KTEST_ASSERT_EQ(t, cl.count, 7);
	/* A handler given NULL or "" would fault or change a setting. */
	cmdline_apply(&cl, __kernel_params_start,
		      (size_t)(__kernel_params_end - __kernel_params_start));
	KTEST_EXPECT_EQ(t, console_loglevel, level);
}

static const struct ktest_case cmdline_cases[] = {
	KTEST_CASE(test_boot_command_line_parsed),
	KTEST_CASE(test_every_option_declared_once),
	KTEST_CASE(test_no_value_never_reaches_a_handler),
	{}
};
KTEST_SUITE(cmdline, cmdline_cases);
