// SPDX-License-Identifier: MIT
/*
 * The kernel's implementation of the choice engine's platform interface
 * (include/relink/platform.h): where the table and the choices live, how
 * text is written (arch/x86/text_poke.c), how the machine is stopped
 * (kernel/smp/stop_machine.c), and what the deciders read: CPU features, the
 * CPUs online, the hypervisor and the variants the command line pinned
 * (kernel/relink/options.c).
 */
#include <stdarg.h>
#include <arch/breakpoint.h>
#include <arch/cpu.h>
#include <arch/text_poke.h>
#include <kernel/cmdline.h>
#include <kernel/cpu.h>
#include <kernel/module.h>
#include <kernel/printk.h>
#include <kernel/relink.h>
#include <kernel/smp.h>
#include <kernel/stop_machine.h>
#include <kernel/symbols.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/string.h>
#include <relink/platform.h>

extern const char __relink_table_start[], __relink_table_end[];
extern const struct relink_choice_def __relink_choices_start[];
extern const struct relink_choice_def __relink_choices_end[];
extern const char __text_start[], __text_end[];

void relink_platform_image(struct relink_image *image)
{
	image->table = __relink_table_start;
	image->table_size = (size_t)(__relink_table_end - __relink_table_start);
	image->choices = __relink_choices_start;
	image->n_choices =
		(size_t)(__relink_choices_end - __relink_choices_start);
	image->text_start = (uint64_t)__text_start;
	image->text_end = (uint64_t)__text_end;
}

void relink_platform_text_poke_begin(void)
{
	text_poke_begin();
}

void relink_platform_text_poke_end(void)
{
	text_poke_end();
}

/* Boot or stopped machine: the same batched write serves both. */
int relink_platform_text_poke_early(void *addr, const void *bytes, size_t len)
{
	return text_poke_batch(addr, bytes, len);
}

int relink_platform_text_poke(void *addr, const void *bytes, size_t len)
{
	return text_poke_batch(addr, bytes, len);
}

void relink_platform_sync_core(void)
{
	sync_core();
}

bool relink_platform_breakpoints_usable(void)
{
	return !boot_cpu.kvm_emulates;
}

void relink_platform_breakpoints(const struct relink_breakpoint *bp,
				 unsigned int n)
{
	breakpoint_install(bp, n);
}

static void sync_this_cpu(void *arg __unused)
{
	sync_core();
}

/* An IPI each: the return from the interrupt serializes, as sync_core. */
void relink_platform_sync_cpus(void)
{
	sync_core();
	smp_call_function_others(sync_this_cpu, NULL);
}

int relink_platform_stop_machine(int (*fn)(void *arg), void *arg)
{
	return stop_machine(fn, arg);
}

bool relink_platform_cpu_inside(uint64_t start, uint64_t end)
{
	return stop_machine_cpu_inside(start, end);
}

bool relink_platform_has_feature(unsigned int feature)
{
	return cpu_has(feature);
}

unsigned int relink_platform_cpus_online(void)
{
	return num_online_cpus() + relink_cpus_coming;
}

enum relink_hypervisor relink_platform_hypervisor(void)
{
	return (enum relink_hypervisor)relink_boot_hypervisor;
}

bool relink_platform_cmdline_value(const char *choice, const char **value,
				   size_t *len, const char **option)
{
	const struct relink_pin *pin = relink_pin_find(choice);

	if (!pin)
		return false;
	*value = pin->variant;
	*len = strlen(pin->variant);
	*option = pin->option;
	return true;
}

void relink_platform_log(int level, const char *fmt, ...)
{
	static const int levels[] = { LOGLEVEL_ERR, LOGLEVEL_WARNING,
				      LOGLEVEL_INFO, LOGLEVEL_DEBUG };
	char line[256];
	va_list ap;

	if (level < 0 || level > RELINK_LOG_DEBUG)
		level = RELINK_LOG_ERR;
	if (levels[level] > console_loglevel)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* The engine prefixes its lines with "relink: " itself. */
	kputs(line);
}

uint64_t relink_platform_time_ns(void)
{
	return cycles_to_ns(cycles_now());
}

/* A loaded module's text first ("module:symbol+0xoff"), then the kernel's. */
int relink_platform_symbol(uint64_t addr, char *buf, size_t size)
{
	uint64_t offset;
	const char *name;

	if (!module_symbolize(addr, buf, size))
		return 0;
	name = ksym_lookup(addr, &offset);
	if (!name)
		return -ENOENT;
	snprintf(buf, size, "%s+0x%llx", name, (unsigned long long)offset);
	return 0;
}
