// SPDX-License-Identifier: MIT
/*
 * The idle operation, arch_idle(), and the choice "idle" behind it, with
 * three x86 variants:
 *
 *   halt	sti; hlt -- the CPU sleeps until an interrupt
 *   poll	a pause loop with interrupts on, until this CPU's wake word
 *		changes or a short while passes: lowest wake-up latency
 *   mwait	monitor the wake word, then sti; mwait -- sleeps until an
 *		interrupt or a write to the word (CPUID MONITOR only)
 *
 * arch_idle() is the one use: a call site of idle_enter(), which the
 * engine turns into a direct call of the chosen variant. Each variant is
 * entered with interrupts off. "sti" delays interrupts by one instruction,
 * so "sti; hlt" (and "sti; mwait") cannot miss an interrupt that became
 * pending after the caller last looked for work. idle= (Linux's spelling,
 * mapped by kernel/relink/platform.c) and relink.idle= pick the variant at
 * boot; the engine refuses a variant this CPU cannot run (mwait without
 * MONITOR) with one line and keeps halt.
 */
#include <arch/cpu.h>
#include <kernel/cmdline.h>
#include <kernel/cpu.h>
#include <kernel/idle.h>
#include <kernel/init.h>
#include <kernel/percpu.h>
#include <kernel/platform.h>
#include <kernel/printk.h>
#include <kernel/relink.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/string.h>
#include <relink/choice.h>
#include <relink/engine.h>

#define POLL_SPINS 2000

static const char *const idle_names[NR_IDLE_MODES] = {
	[IDLE_HALT] = "halt",
	[IDLE_POLL] = "poll",
	[IDLE_MWAIT] = "mwait",
};

/* Through the pv operations, so that a hypervisor's halt applies here. */
static void idle_halt(void)
{
	pv_safe_halt();
	pv_irq_disable();
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
 * leaves sti's one-instruction interrupt shadow in force after it. No pv
 * site: only a CPU with MONITOR (bare metal) runs this variant.
 */
static __native_only void idle_mwait(void)
{
	volatile unsigned long *wake = &this_cpu()->wake;

	asm volatile("monitor" : : "a"(wake), "c"(0), "d"(0) : "memory");
	asm volatile("sti; mwait; nop; cli" : : "a"(0), "c"(0) : "memory");
}

/* The call symbol: each call site of it is one use of the idle operation. */
void idle_enter(void);

/* The variants in enum idle_mode order: the index is the mode. */
DEFINE_CALL_CHOICE(
	idle, "idle", idle_enter, RELINK_DECIDER_BOOT_OPTION, IDLE_HALT,
	RELINK_VARIANT("halt", RELINK_WHEN_ALWAYS, RELINK_CALLS(idle_halt)),
	RELINK_VARIANT("poll", RELINK_WHEN_ALWAYS, RELINK_CALLS(idle_poll)),
	RELINK_VARIANT("mwait", RELINK_WHEN_CPUID(X86_FEATURE_monitor),
		       RELINK_CALLS(idle_mwait)));

/* Linux's spelling of relink.idle=; the engine decides with it. */
RELINK_OPTION(idle, "idle", "idle=halt|poll|mwait", "idle operation");

/* The code as compiled is the default variant, halt. */
__relink_call_symbol void idle_enter(void)
{
	idle_halt();
}

void arch_idle(void)
{
	this_cpu()->idle_calls++;
	idle_enter();
}

const char *idle_mode_name(enum idle_mode mode)
{
	return mode < NR_IDLE_MODES ? idle_names[mode] : "?";
}

enum idle_mode idle_mode_get(void)
{
	enum relink_decided_by by;
	unsigned int variant;

	if (relink_choice_state(&__choice_idle, &variant, &by))
		return IDLE_HALT;
	return (enum idle_mode)variant;
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
	if (mode == idle_mode_get())
		return 0;
	return relink_choice_switch(&__choice_idle, mode);
}

/* One line when the command line changed the idle operation. */
static int idle_report(void)
{
	enum relink_decided_by by;
	unsigned int variant;

	if (!relink_choice_state(&__choice_idle, &variant, &by) &&
	    by == RELINK_BY_CMDLINE)
		pr_info("idle: %s\n", idle_mode_name(idle_mode_get()));
	return 0;
}
INITCALL(idle_report);
