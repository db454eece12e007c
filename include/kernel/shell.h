/* SPDX-License-Identifier: MIT */
/*
 * The serial-console shell. Subsystems add commands with SHELL_COMMAND; a
 * command gets argc/argv (split on blanks) and prints its own one-line
 * error for bad arguments, returning non-zero.
 */
#ifndef KERNEL_SHELL_H
#define KERNEL_SHELL_H

#include <lib/compiler.h>

#define SHELL_PROMPT "relink# "
#define SHELL_MAX_ARGS 16

struct shell_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
	const char *help;
};

#define SHELL_COMMAND(cname, function, cusage, chelp)                   \
	static const struct shell_command __shell_cmd_##function __used \
		__section(".shell_commands") __aligned(8) = {           \
			.name = (cname),                                \
			.run = function,                                \
			.usage = (cusage),                              \
			.help = (chelp),                                \
		}

/* shell_execute() - run one command line; returns the command's result. */
int shell_execute(char *line);
/* shell_run() - read, execute, repeat; never returns. */
void __noreturn shell_run(void);

#endif /* KERNEL_SHELL_H */
