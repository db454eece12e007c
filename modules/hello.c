// SPDX-License-Identifier: MIT
/*
 * A second example module, with a choice of its own of the branch shape:
 * hello.shout {off, on}. /proc/hello says "hello" while the branch site
 * in hello_word() is the NOP (off) and "HELLO" once a switch makes it a
 * jump (on). Loaded beside demo.ko, its choice comes after demo.mode in
 * the engine, and moves down when demo.ko is unloaded first.
 */
#include <kernel/fs.h>
#include <kernel/module.h>
#include <kernel/printk.h>
#include <lib/errno.h>
#include <relink/choice.h>
#include <relink/site.h>

/* Off by default: the compiled code is the NOP, the variant "off". */
DEFINE_CHOICE(hello_shout, "hello.shout", RELINK_DECIDER_DEFAULT, 0,
	      RELINK_VARIANT("off", RELINK_WHEN_ALWAYS),
	      RELINK_VARIANT("on", RELINK_WHEN_ALWAYS, RELINK_JUMPS()));

static struct fs_node *hello_file;

static __attribute__((noinline)) const char *hello_word(void)
{
	if (relink_branch(hello_shout))
		return "HELLO";
	return "hello";
}

static int hello_show(struct seq_buf *s, void *data __unused)
{
	seq_printf(s, "%s\n", hello_word());
	return s->overflow ? -ENOMEM : 0;
}

static const struct file_ops hello_ops = { .show = hello_show };

int init_module(void)
{
	hello_file = fs_create_file(fs_mkdir_path("/proc"), "hello", &hello_ops,
				    NULL);
	return hello_file ? 0 : -EEXIST;
}

void cleanup_module(void)
{
	fs_remove(hello_file);
}
