// SPDX-License-Identifier: MIT
/*
 * The idle operation, arch_idle(), and its three x86 variants:
 *
 *   halt	sti; hlt -- the CPU sleeps until an interrupt
 *   poll	a pause loop with interrupts on, until this CPU's wake word
 *		changes or a short while passes: lowest wake-up latency
 *   mwait	monitor the wake word, then sti; mwait -- sleeps until an
 *		interrupt or a write to the word (CPUID MONITOR only)
 *
 * Each is entered with interrupts off. "sti" delays interrupts by one
 * instruction, so "sti; hlt" (and "sti; mwait") cannot miss an interrupt
 * that became pending after the caller last looked for work.
 * idle= (Linux's spelling) picks the variant at boot.
 */
#include <arch/cpu.h>
#include <kernel/cmdline.h>
#include <kernel/cpu.h>
#include <kernel/idle.h>
#include <kernel/percpu.h>
#include <kernel/platform.h>
#include <kernel/printk.h>
#include <lib/errno.h>
#include <lib/string.h>

#define POLL_SPINS 2000

static const char *const idle_names[NR_IDLE_MODES] = {
	[IDLE_HALT] = "halt", [IDLE_POLL] = "poll", [IDLE_MWAIT] = "mwait",
};

static enum idle_mode idle_mode = IDLE_HALT;

static void idle_halt(void)
{
	asm volatile("sti; hlt; cli" : : : "memory");
}

static void idle_poll(void)
{
	volatile unsigned long *wake = &this_cpu()->wake;
	unsigned long seen = *wake;

	irq_enable();
	for (unsigned int i = 0; i < POLL_SPINS && *wake == seen; i++)
		cpu_relax();
	irq_disable();
}

/*
 * ECX = 0: an enabled interrupt or a write to the monitored word wakes it.
 * The nop gives the interrupt that ended mwait an instruction boundary
 * with interrupts on before cli: QEMU's TCG turns mwait into a pause that
 * leaves sti's one-instruction interrupt shadow in force after it.
 */
static void idle_mwait(void)
{
	volatile unsigned long *wake = &this_cpu()->wake;

	asm volatile("monitor" : : "a"(wake), "c"(0), "d"(0) : "memory");
	asm volatile("sti; mwait; nop; cli" : : "a"(0), "c"(0) : "memory");
}

static void (*const idle_ops[NR_IDLE_MODES])(void) = {
	[IDLE_HALT] = idle_halt,
	[IDLE_POLL] = idle_poll,
	[IDLE_MWAIT] = idle_mwait,
};

void arch_idle(void)
{
	this_cpu()->idle_calls++;
	idle_ops[READ_ONCE(idle_mode)]();
}

const char *idle_mode_name(enum idle_mode mode)
{
	return mode < NR_IDLE_MODES ? idle_names[mode] : "?";
}

enum idle_mode idle_mode_get(void)
{
	return READ_ONCE(idle_mode);
}

bool idle_mode_available(enum idle_mode mode, const char **why)
{
	if (mode == IDLE_MWAIT && !cpu_has(X86_FEATURE_monitor)) {
		*why = "this CPU has no MONITOR/MWAIT (CPUID monitor)";
		return false;
	}
	return mode < NR_IDLE_MODES;
}

int idle_mode_set(enum idle_mode mode)
{
	const char *why = "unknown variant";

	if (!idle_mode_available(mode, &why))
		return mode < NR_IDLE_MODES ? -EPERM : -EINVAL;
	WRITE_ONCE(idle_mode, mode);
	return 0;
}

static int idle_param(const char *value)
{
	const char *why = "";

	for (unsigned int m = 0; value && m < NR_IDLE_MODES; m++) {
		if (strcmp(value, idle_names[m]))
			continue;
		if (!idle_mode_available(m, &why)) {
			pr_warn("idle=%s: %s: using halt\n", value, why);
			return -EPERM;
		}
		idle_mode = m;
		pr_info("idle: %s\n", value);
		return 0;
	}
	pr_warn("idle: '%s' is not valid: expected idle=halt|poll|mwait, "
		"keeping %s\n", value ? value : "", idle_names[idle_mode]);
	return -EINVAL;
}
KERNEL_PARAM("idle", idle_param, "idle operation: idle=halt|poll|mwait");
