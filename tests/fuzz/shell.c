// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness: the shell's line editor (lib/line_edit.c) and command
 * parser (kernel/shell_exec.c), built from the kernel's sources, on
 * arbitrary typed bytes. Beyond the sanitizers, it checks their promises:
 * a finished line is text within the buffer, a line too long is never run,
 * every word a command gets is non-empty text without blanks, and nothing
 * echoed or printed is a raw control byte other than those of editing.
 */
#include <stdint.h>
#include <stdlib.h>

#include <kernel/printk.h>
#include <kernel/shell.h>
#include <lib/line_edit.h>
#include <lib/string.h>

#include "printk_host.h"

#define LINE_SIZE 256

#define check(cond)              \
	do {                     \
		if (!(cond))     \
			abort(); \
	} while (0)

static int run_words(int argc, char **argv)
{
	check(argc >= 1 && argc <= SHELL_MAX_ARGS);
	for (int i = 0; i < argc; i++) {
		check(argv[i][0]);
		for (const char *p = argv[i]; *p; p++)
			check(*p > 0x20 && *p < 0x7f);
	}
	return 0;
}

static const struct shell_command commands[] = {
	{ "echo", run_words, "echo TEXT", "" },
	{ "cat", run_words, "cat FILE", "" },
};

static void echo(const char *s, void *ctx)
{
	(void)ctx;
	kputs(s);
}

static void check_log(void)
{
	for (size_t i = 0; i < host_log_len; i++) {
		unsigned char c = (unsigned char)host_log[i];

		check(c == '\n' || c == '\b' || (c >= 0x20 && c < 0x7f));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char line[LINE_SIZE];
	struct line_editor ed;

	host_log_reset();
	line_edit_init(&ed, line, sizeof(line), echo, NULL);
	for (size_t i = 0; i < size; i++) {
		enum line_edit_result r = line_edit_feed(&ed, data[i]);

		check(ed.len < sizeof(line) && ed.len <= ed.typed);
		if (r == LINE_TOO_LONG)
			check(ed.typed >= sizeof(line));
		if (r != LINE_DONE)
			continue;
		check(strlen(line) < sizeof(line));
		shell_execute_in(line, commands,
				 sizeof(commands) / sizeof(commands[0]));
		if (host_log_len > HOST_LOG_SIZE / 2) {
			check_log();
			host_log_reset();
		}
	}
	check_log();
	return 0;
}
