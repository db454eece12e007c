// SPDX-License-Identifier: MIT
/*
 * Running one shell line: split it into words and call the command the
 * first word names. The command table is an argument, so the host fuzz
 * harness (tests/fuzz/shell.c) runs this file as the kernel does.
 */
#include <kernel/printk.h>
#include <kernel/shell.h>
#include <lib/errno.h>
#include <lib/parse.h>
#include <lib/string.h>

int shell_execute_in(char *line, const struct shell_command *commands, size_t n)
{
	char *argv[SHELL_MAX_ARGS];
	int argc = str_split(line, argv, SHELL_MAX_ARGS);
	char shown[64];

	if (argc == -E2BIG) {
		kprintf("shell: too many words (at most %d): not run\n",
			SHELL_MAX_ARGS);
		return -E2BIG;
	}
	if (argc <= 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(commands[i].name, argv[0]))
			return commands[i].run(argc, argv);
	kprintf("%s: command not found (try 'help')\n",
		str_escape(shown, sizeof(shown), argv[0], strlen(argv[0])));
	return -ENOENT;
}
