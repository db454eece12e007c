// SPDX-License-Identifier: MIT
/*
 * The kernel's implementation of the choice engine's platform interface
 * (include/relink/platform.h): where the table and the choices live, how
 * text is written (arch/x86/text_poke.c), how the machine is stopped
 * (kernel/stop_machine.c), and what the deciders read: CPU features, the
 * CPUs online, the hypervisor and the command line, where the Linux
 * spellings (idle=, acpi=noirq, noreplace-smp) map onto choices.
 */
#include <stdarg.h>
#include <arch/cpu.h>
#include <arch/text_poke.h>
#include <kernel/cmdline.h>
#include <kernel/cpu.h>
#include <kernel/printk.h>
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

int relink_platform_text_poke_early(void *addr, const void *bytes, size_t len)
{
	return text_poke_early(addr, bytes, len);
}

int relink_platform_text_poke(void *addr, const void *bytes, size_t len)
{
	return text_poke(addr, bytes, len);
}

void relink_platform_sync_core(void)
{
	sync_core();
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
	return num_online_cpus();
}

enum relink_hypervisor relink_platform_hypervisor(void)
{
	/* The Xen PV entry will say so; every other boot is bare metal. */
	return RELINK_HV_NONE;
}

/*
 * Linux's spellings of some choices. Each maps an option (and, when it has
 * one, its value) to a choice and a variant; "=" in variant means "the
 * option's value is the variant".
 */
static const struct {
	const char *option;
	const char *value; /* NULL: any value (or none) */
	const char *choice;
	const char *variant;
} linux_spellings[] = {
	{ "idle", NULL, "idle", "=" },
	{ "acpi", "noirq", "acpi.irq", "noirq" },
	{ "noreplace-smp", NULL, "smp.lock", "smp" },
};

static bool spelling_value(const char *choice, const char **value, size_t *len)
{
	for (size_t i = 0; i < ARRAY_SIZE(linux_spellings); i++) {
		const struct cmdline_option *o;

		if (strcmp(linux_spellings[i].choice, choice))
			continue;
		o = cmdline_find(&boot_options, linux_spellings[i].option);
		if (!o || (linux_spellings[i].value &&
			   strcmp(o->value, linux_spellings[i].value)))
			continue;
		*value = strcmp(linux_spellings[i].variant, "=") ?
				 linux_spellings[i].variant :
				 o->value;
		*len = strlen(*value);
		return true;
	}
	return false;
}

bool relink_platform_cmdline_value(const char *choice, const char **value,
				   size_t *len)
{
	char key[CMDLINE_KEY_MAX];
	const struct cmdline_option *o;

	snprintf(key, sizeof(key), "relink.%s", choice);
	o = cmdline_find(&boot_options, key);
	if (o) {
		*value = o->value;
		*len = strlen(o->value);
		return true;
	}
	return spelling_value(choice, value, len);
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

int relink_platform_symbol(uint64_t addr, char *buf, size_t size)
{
	uint64_t offset;
	const char *name = ksym_lookup(addr, &offset);

	if (!name)
		return -ENOENT;
	snprintf(buf, size, "%s+0x%llx", name, (unsigned long long)offset);
	return 0;
}
