// SPDX-License-Identifier: MIT
/*
 * KTAP suite "switch_request": what a person's bad run-time request gets
 * through /sys/kernel/debug/relink/choice/NAME: one line naming what is
 * wrong and the error code, and not a byte of text changed (the sites
 * file reads the same before and after).
 */
#include <arch/text_poke.h>
#include <kernel/fs.h>
#include <kernel/ktest.h>
#include <kernel/seq.h>
#include <kernel/smp.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/string.h>
#include <kernel/trace.h>
#include <relink/engine.h>

#define CHOICES "/sys/kernel/debug/relink/choice/"

static char why[FS_WHY_MAX];

/* The sites file, as one string owned by s (released by the caller). */
static const char *sites_text(struct ktest *t, struct seq_buf *s)
{
	seq_init(s);
	KTEST_EXPECT_EQ(t, fs_read("/sys/kernel/debug/relink/sites", s), 0);
	return s->buf ? s->buf : "";
}

/* One refused write: its code, its line, and every site as it was. */
static void refused(struct ktest *t, const char *choice, const char *value,
		    int want, const char *line)
{
	struct seq_buf before, after;
	char path[96];

	strlcpy(path, CHOICES, sizeof(path));
	strlcat(path, choice, sizeof(path));
	sites_text(t, &before);
	KTEST_EXPECT_EQ(t, fs_write(path, value, strlen(value), why), want);
	if (line)
		KTEST_EXPECT_STREQ(t, why, line);
	KTEST_EXPECT_TRUE(t, !strchr(why, '\n'));
	KTEST_EXPECT_STREQ(t, sites_text(t, &after), before.buf);
	seq_release(&before);
	seq_release(&after);
}

static void test_unknown_variant(struct ktest *t)
{
	refused(t, "mem.copy", "sideways\n", -EINVAL,
		"mem.copy: no variant 'sideways' (valid: erms, movsq, bytes, "
		"auto)");
	refused(t, "trace", "\x1b[31m", -EINVAL,
		"trace: no variant '\\x1b[31m' (valid: off, on, auto)");
}

static void test_predicate_false(struct ktest *t)
{
	char line[FS_WHY_MAX];

	if (num_online_cpus() < 2)
		ktest_skip(t, "needs a second CPU online");
	snprintf(line, sizeof(line),
		 "smp.lock: up is not usable: needs exactly one CPU (%u "
		 "online)",
		 num_online_cpus());
	refused(t, "smp.lock", "up", -EPERM, line);
}

static void test_boot_only(struct ktest *t)
{
	refused(t, "acpi.irq", "noirq", -EPERM,
		"acpi.irq: decided at boot only (the command line sets it)");
}

/* The first site of choice trace, or NULL. */
static uint8_t *first_trace_site(void)
{
	struct relink_choice_info info;
	struct relink_site_info site;

	for (uint32_t i = 0; i < relink_site_count(); i++)
		if (!relink_site_get(i, &site) &&
		    !relink_choice_get(site.choice, &info) &&
		    info.def == &__choice_trace)
			return (uint8_t *)(uintptr_t)site.address;
	return NULL;
}

/*
 * A site whose bytes someone else changed: the switch writes nothing at
 * all (-EIO) and its one line names the site and what it found. The
 * foreign bytes are another 5-byte NOP, so the trace point still runs.
 */
static void test_foreign_bytes(struct ktest *t)
{
	static const uint8_t nop5[] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
	static const uint8_t other_nop5[] = { 0x66, 0x0f, 0x1f, 0x40, 0x00 };
	uint8_t *site = first_trace_site();

	KTEST_ASSERT_TRUE(t, site != NULL);
	KTEST_ASSERT_TRUE(t, !memcmp(site, nop5, 5)); /* trace is off */
	KTEST_ASSERT_EQ(t, text_poke(site, other_nop5, 5), 0);
	refused(t, "trace", "on", -EIO, NULL);
	KTEST_EXPECT_TRUE(t, strstr(why, "site of trace holds unexpected "
					 "bytes (want 0f 1f 44 00 00, found "
					 "66 0f 1f 40 00); nothing written") !=
				     NULL);
	KTEST_EXPECT_TRUE(t, !memcmp(site, other_nop5, 5));
	KTEST_EXPECT_EQ(t, text_poke(site, nop5, 5), 0);
}

static const struct ktest_case switch_request_cases[] = {
	KTEST_CASE(test_unknown_variant),
	KTEST_CASE(test_predicate_false),
	KTEST_CASE(test_boot_only),
	KTEST_CASE(test_foreign_bytes),
	{}
};
KTEST_SUITE(switch_request, switch_request_cases);
