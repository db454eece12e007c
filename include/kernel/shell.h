/* SPDX-License-Identifier: MIT */
/*
 * The serial-console shell. Subsystems add commands with SHELL_COMMAND; a
 * command gets argc/argv (split on blanks) and prints its own one-line
 * error for bad arguments, returning non-zero.
 */
#ifndef KERNEL_SHELL_H
#define KERNEL_SHELL_H

#include <stddef.h>
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
		__section(".shell_commands." cname) __aligned(8) = {    \
			.name = (cname),                                \
			.run = function,                                \
			.usage = (cusage),                              \
			.help = (chelp),                                \
		}

/*
 * A command prints its own errors with kprintf(), never through the log
 * levels, so a refusal is seen at any loglevel: exactly one line.
 */

/* shell_execute() - run one command line; returns the command's result. */
int shell_execute(char *line);
/* shell_execute_in() - the same, with the commands commands[0..n). */
int shell_execute_in(char *line, const struct shell_command *commands,
		     size_t n);
/* shell_run() - read, execute, repeat; never returns. */
void __noreturn shell_run(void);

#endif /* KERNEL_SHELL_H */
