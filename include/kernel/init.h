/* SPDX-License-Identifier: MIT */
/*
 * Initcalls: subsystems that only need the core services (memory, the file
 * tree) register a function that kernel_main() calls once, in link order,
 * after the core is up. A failing initcall is reported and boot goes on.
 */
#ifndef KERNEL_INIT_H
#define KERNEL_INIT_H

#include <lib/compiler.h>

struct initcall {
	const char *name;
	int (*fn)(void);
};

#define INITCALL(function)                                                   \
	static const struct initcall __initcall_##function __used __section( \
		".initcalls") __aligned(8) = {                               \
		.name = #function,                                           \
		.fn = function,                                              \
	}

void initcalls_run(void);

#endif /* KERNEL_INIT_H */
