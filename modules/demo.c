// SPDX-License-Identifier: MIT
/*
 * An example module with a site of every shape: a lock prefix (smp.lock)
 * in an atomic, a call of memcpy (mem.copy), an inline popcnt
 * (cpu.popcnt), inline pv ops (pv.save_fl, pv.irq_disable,
 * pv.restore_fl) and a trace point (a branch of choice trace). Reading
 * /proc/demo runs each of them, so the file shows that the code the
 * engine wrote into the module works, whichever variants it holds.
 *
 * It also defines a choice of its own, demo.mode {quiet, loud}: a call
 * choice whose call site in demo_show() calls demo_mode() (the quiet
 * body) until a switch makes it call demo_mode_loud(). The choice is in
 * the engine's choices file, with a choice/demo.mode file, while the
 * module is loaded; /proc/demo says which variant runs ("mode=...").
 */
#include <kernel/atomic.h>
#include <kernel/bitops.h>
#include <kernel/fs.h>
#include <kernel/irqflags.h>
#include <kernel/module.h>
#include <kernel/printk.h>
#include <kernel/trace.h>
#include <lib/errno.h>
#include <lib/string.h>
#include <relink/choice.h>

static atomic_t demo_reads;
static struct fs_node *demo_file;

/* The sites, one function each (noinline: one copy of each site). */
static __attribute__((noinline)) int demo_count(void)
{
	return atomic_inc_return(&demo_reads);
}

static __attribute__((noinline)) int demo_copy(void)
{
	static const char text[] = "relinked";
	char buf[sizeof(text)];

	memcpy(buf, text, sizeof(text));
	return !strcmp(buf, text);
}

static __attribute__((noinline)) unsigned int demo_popcnt(uint64_t x)
{
	return hweight64(x);
}

static __attribute__((noinline)) bool demo_irqs_were_on(void)
{
	unsigned long flags = arch_local_irq_save();

	arch_local_irq_restore(flags);
	return !arch_irqs_disabled_flags(flags);
}

static __attribute__((noinline)) void demo_trace(int n)
{
	trace_point(TRACE_IRQ, (uint32_t)n);
}

/* The variants of demo.mode; the call symbol's body is the quiet one. */
static const char *demo_mode_quiet(void)
{
	return "quiet";
}

static const char *demo_mode_loud(void)
{
	return "LOUD";
}

__relink_call_symbol const char *demo_mode(void)
{
	return "quiet";
}

DEFINE_CALL_CHOICE(demo_mode, "demo.mode", demo_mode, RELINK_DECIDER_DEFAULT, 0,
		   RELINK_VARIANT("quiet", RELINK_WHEN_ALWAYS,
				  RELINK_CALLS(demo_mode_quiet)),
		   RELINK_VARIANT("loud", RELINK_WHEN_ALWAYS,
				  RELINK_CALLS(demo_mode_loud)));

static int demo_show(struct seq_buf *s, void *data __unused)
{
	int n = demo_count();

	demo_trace(n);
	seq_printf(s, "reads=%d copy=%s popcnt(0xf0f0)=%u irqs=%s mode=%s\n", n,
		   demo_copy() ? "ok" : "BAD", demo_popcnt(0xf0f0),
		   demo_irqs_were_on() ? "on" : "off", demo_mode());
	return s->overflow ? -ENOMEM : 0;
}

static const struct file_ops demo_ops = { .show = demo_show };

int init_module(void)
{
	demo_file =
		fs_create_file(fs_mkdir_path("/proc"), "demo", &demo_ops, NULL);
	if (!demo_file)
		return -EEXIST;
	printk("demo: loaded, popcnt(0xff) = %u\n", demo_popcnt(0xff));
	return 0;
}

void cleanup_module(void)
{
	fs_remove(demo_file);
	printk("demo: unloaded after %d reads\n", atomic_read(&demo_reads));
}
