// SPDX-License-Identifier: MIT
/*
 * /sys/kernel/debug/relink/: the engine's state for people and scripts.
 *
 *   choices	one line per choice: name, variant, who decided, variants
 *   sites	one line per site, in the format of relocgen --dump
 *   stats	sites by shape and choice, boot and last-switch figures
 *   choice/<name>	the current variant of one choice
 *
 * The text comes from the engine's show functions (kernel/patching/
 * show.c); this file only binds them to seq_buf files.
 */
#include <stdarg.h>
#include <kernel/fs.h>
#include <kernel/init.h>
#include <kernel/seq.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <relink/engine.h>

static void seq_out(void *ctx, const char *fmt, ...)
{
	struct seq_buf *s = ctx;
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	seq_puts(s, line);
}

static int choices_show(struct seq_buf *s, void *data __unused)
{
	relink_show_choices(seq_out, s);
	return s->overflow ? -ENOMEM : 0;
}

static int sites_show(struct seq_buf *s, void *data __unused)
{
	relink_show_sites(seq_out, s);
	return s->overflow ? -ENOMEM : 0;
}

static int stats_show(struct seq_buf *s, void *data __unused)
{
	relink_show_stats(seq_out, s);
	return s->overflow ? -ENOMEM : 0;
}

static int choice_show(struct seq_buf *s, void *data)
{
	struct relink_choice_info info;
	int rc = relink_choice_get((unsigned int)(uintptr_t)data, &info);

	if (rc)
		return rc;
	seq_printf(s, "%s\n", info.def->variants[info.variant].name);
	return s->overflow ? -ENOMEM : 0;
}

static const struct file_ops choices_ops = { .show = choices_show };
static const struct file_ops sites_ops = { .show = sites_show };
static const struct file_ops stats_ops = { .show = stats_show };
static const struct file_ops choice_ops = { .show = choice_show };

static int relink_debugfs_init(void)
{
	struct fs_node *dir = debugfs_create_dir("relink", NULL);
	struct fs_node *per_choice;

	if (!dir || !debugfs_create_file("choices", dir, &choices_ops, NULL) ||
	    !debugfs_create_file("sites", dir, &sites_ops, NULL) ||
	    !debugfs_create_file("stats", dir, &stats_ops, NULL))
		return -ENOMEM;
	per_choice = debugfs_create_dir("choice", dir);
	if (!per_choice)
		return -ENOMEM;
	for (unsigned int c = 0; c < relink_choice_count(); c++) {
		struct relink_choice_info info;

		if (relink_choice_get(c, &info) ||
		    !debugfs_create_file(info.name, per_choice, &choice_ops,
					 (void *)(uintptr_t)c))
			return -ENOMEM;
	}
	return 0;
}
INITCALL(relink_debugfs_init);
