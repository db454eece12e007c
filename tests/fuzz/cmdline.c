// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness: the boot command-line parser and dispatcher
 * (kernel/cmdline.c, built from the kernel's source) on arbitrary bytes,
 * with handlers of every kind the kernel declares (a value option, a flag,
 * a prefix option). Beyond the sanitizers, it checks the parser's
 * promises: no handler sees a missing or empty value, no flag sees a
 * value, no key is kept twice, every line printed is text (escaped), and
 * no bad word gets more than one line.
 */
#include <stdint.h>
#include <stdlib.h>

#include <kernel/cmdline.h>
#include <kernel/platform.h>
#include <lib/parse.h>
#include <lib/string.h>

#include "printk_host.h"

#define check(cond)              \
	do {                     \
		if (!(cond))     \
			abort(); \
	} while (0)

static int value_param(const char *key, const char *value, char *why)
{
	unsigned int n;

	check(key && key[0] && value && value[0]);
	check(strlen(value) < CMDLINE_VALUE_MAX);
	if (kstrtouint(value, 10, &n) || n > 7) {
		strlcpy(why, "expected 0..7; keeping 4", CMDLINE_WHY_MAX);
		return -1;
	}
	return 0;
}

static int flag_param(const char *key, const char *value, char *why)
{
	(void)why;
	check(key && key[0] && !value);
	return 0;
}

static const struct kernel_param params[] = {
	{ "loglevel", value_param, true, "loglevel=0..7", "" },
	{ "nosmp", flag_param, false, "nosmp", "" },
	{ "relink.", value_param, true, "relink.CHOICE=VARIANT", "" },
	{ "idle", value_param, true, "idle=halt|poll|mwait", "" },
};

static void check_parsed(const struct cmdline *cl)
{
	check(cl->count <= CMDLINE_MAX_OPTIONS);
	for (unsigned int i = 0; i < cl->count; i++) {
		check(cl->options[i].key[0]);
		check(!strchr(cl->options[i].key, '='));
		for (unsigned int j = i + 1; j < cl->count; j++)
			check(strcmp(cl->options[i].key, cl->options[j].key));
	}
}

/* Every byte printed is text: outside bytes were escaped. */
static void check_log(void)
{
	for (size_t i = 0; i < host_log_len; i++) {
		unsigned char c = (unsigned char)host_log[i];

		check(c == '\n' || (c >= 0x20 && c < 0x7f));
	}
}

static struct cmdline cl;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int words = 0, lines;

	if (size >= BOOT_CMDLINE_MAX)
		return 0;
	for (size_t i = 0; i < size; i++)
		words += data[i] == ' ' || data[i] == '\t' || data[i] == '\n' ||
			 data[i] == '\r';
	host_log_reset();
	cmdline_parse(&cl, (const char *)data, size);
	check_parsed(&cl);
	lines = host_log_lines();
	cmdline_apply(&cl, params, sizeof(params) / sizeof(params[0]));
	check_log();
	/* One line per bad word at most (a quote can join several). */
	check(lines <= words + 1);
	check(host_log_lines() - lines <= cl.count);
	return 0;
}
