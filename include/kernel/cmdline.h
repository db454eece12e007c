/* SPDX-License-Identifier: MIT */
/*
 * The boot command line: "key", "key=value" and "key=\"quoted value\""
 * words. Subsystems declare the options they take with KERNEL_PARAM; an
 * option nobody declared gets one warning line and is otherwise ignored.
 * A declaration whose name ends in '.' takes every option with that prefix
 * (relink.<choice>=<variant>).
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <lib/compiler.h>

#define CMDLINE_MAX_OPTIONS 64
#define CMDLINE_KEY_MAX 64
#define CMDLINE_VALUE_MAX 256

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
 * A handler gets the option's key and its value (NULL when the option had
 * no '='). It prints its own one-line message for a bad value and returns
 * -EINVAL; whatever it configures keeps its default then.
 */
struct kernel_param {
	const char *name;
	int (*set)(const char *key, const char *value);
	const char *help;
};

#define KERNEL_PARAM(pname, handler, text)                                   \
	static int __param_set_##handler(const char *key __unused,           \
					 const char *value)                  \
	{                                                                    \
		return handler(value);                                       \
	}                                                                    \
	static const struct kernel_param __param_##handler __used __section( \
		".kernel_params") __aligned(8) = {                           \
		.name = (pname),                                             \
		.set = __param_set_##handler,                                \
		.help = (text),                                              \
	}

/* Like KERNEL_PARAM, for a handler that wants the key (prefix options). */
#define KERNEL_PARAM_KEYED(pname, handler, text)                             \
	static const struct kernel_param __param_##handler __used __section( \
		".kernel_params") __aligned(8) = {                           \
		.name = (pname),                                             \
		.set = handler,                                              \
		.help = (text),                                              \
	}

/* cmdline_parse() - split s into options; -E2BIG/-EINVAL on bad input. */
int cmdline_parse(struct cmdline *cl, const char *s);
/* cmdline_apply() - hand every option to its declared handler. */
void cmdline_apply(const struct cmdline *cl);
/* cmdline_find() - the option with this key, or NULL. */
const struct cmdline_option *cmdline_find(const struct cmdline *cl,
					  const char *key);
/* The boot command line, as given and as parsed. */
extern const char *boot_cmdline;
extern struct cmdline boot_options;

#endif /* KERNEL_CMDLINE_H */
