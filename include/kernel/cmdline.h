/* SPDX-License-Identifier: MIT */
/*
 * The boot command line: "key", "key=value" and "key=\"quoted value\""
 * words. Subsystems declare the options they take with KERNEL_PARAM (a
 * handler for a value) or KERNEL_FLAG (no value); a declaration whose name
 * ends in '.' takes every option with that prefix (relink.<choice>=...).
 *
 * The rules, the same for every option:
 *   - the last of two words with the same key wins; the earlier one is
 *     dropped (one notice line says so);
 *   - an option that needs a value never reaches its handler without one:
 *     "key" and "key=" get one line and are ignored; a flag given a value
 *     likewise;
 *   - a bad word (unknown option, bad value, name or value too long,
 *     unterminated quote, one word too many) gets exactly one line,
 *     "cmdline: 'WORD': what is wrong; what is kept", and changes nothing;
 *   - a command line longer than the boot protocol's buffer is refused as
 *     a whole (a cut word could read as another word).
 * Bytes of the command line are printed escaped (str_escape()).
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <lib/compiler.h>

#define CMDLINE_MAX_OPTIONS 64
#define CMDLINE_KEY_MAX 64 /* including the NUL */
#define CMDLINE_VALUE_MAX 256 /* including the NUL */
#define CMDLINE_WHY_MAX 160 /* a handler's reason, including the NUL */

struct cmdline_option {
	char key[CMDLINE_KEY_MAX];
	char value[CMDLINE_VALUE_MAX];
	bool has_value;
};

struct cmdline {
	struct cmdline_option options[CMDLINE_MAX_OPTIONS];
	unsigned int count;
};

/*
 * A value handler gets the option's key and its value, which is never
 * NULL or empty. It either applies the value and returns 0, or writes
 * into why (size CMDLINE_WHY_MAX) what is wrong and what stays, e.g.
 * "expected 0..7; keeping 4", and returns -EINVAL having changed nothing.
 * The parser prints the one line. A flag's handler gets value NULL.
 */
typedef int (*kernel_param_fn)(const char *key, const char *value, char *why);

struct kernel_param {
	const char *name;
	kernel_param_fn set;
	bool takes_value;
	const char *usage; /* "loglevel=0..7" */
	const char *help;
};

#define __KERNEL_PARAM(pname, handler, value, use, text)                     \
	static const struct kernel_param __param_##handler __used __section( \
		".kernel_params") __aligned(8) = {                           \
		.name = (pname),                                             \
		.set = (handler),                                            \
		.takes_value = (value),                                      \
		.usage = (use),                                              \
		.help = (text),                                              \
	}

/* An option with a value: "loglevel=3". */
#define KERNEL_PARAM(pname, handler, use, text) \
	__KERNEL_PARAM(pname, handler, true, use, text)
/* An option without a value: "nosmp". */
#define KERNEL_FLAG(pname, handler, text) \
	__KERNEL_PARAM(pname, handler, false, pname, text)

/*
 * cmdline_parse() - split s (len bytes as given, which may be more than
 * its buffer held) into options, applying the rules above; every bad word
 * gets its line and is left out. Never fails: what is kept is valid.
 */
void cmdline_parse(struct cmdline *cl, const char *s, size_t len);
/*
 * cmdline_apply() - hand every option, in order, to its declared handler
 * among params[0..n); one line for an unknown option or a refused value.
 */
void cmdline_apply(const struct cmdline *cl, const struct kernel_param *params,
		   size_t n);
/* cmdline_find() - the option with this key, or NULL. */
const struct cmdline_option *cmdline_find(const struct cmdline *cl,
					  const char *key);
/* cmdline_word() - "key=value" (escaped) of o into buf, for messages. */
const char *cmdline_word(const struct cmdline_option *o, char *buf,
			 size_t size);

/* The boot command line, as given and as parsed. */
extern const char *boot_cmdline;
extern struct cmdline boot_options;

#endif /* KERNEL_CMDLINE_H */
