// SPDX-License-Identifier: MIT
/*
 * /sys/kernel/debug/relink/: the engine's state for people and scripts.
 *
 *   choices	one line per choice: name, variant, who decided, variants
 *   sites	one line per site, in the format of relocgen --dump
 *   stats	sites by shape and choice, boot and last-switch figures
 *   choice/<name>	the current variant of one choice and who decided
 *		it; written: VARIANT switches the choice at run time,
 *		"auto" hands it back to its decider (a module's own
 *		choices have theirs while the module is loaded)
 *   method	how run-time switches write: "auto" (int3 where every
 *		site allows it, else stop_machine), or forced "stop" or
 *		"int3" (as relink.method=)
 *
 * The text comes from the engine's show functions (kernel/patching/
 * show.c); this file only binds them to seq_buf files.
 */
#include <stdarg.h>
#include <kernel/cpu.h>
#include <kernel/fs.h>
#include <kernel/init.h>
#include <kernel/relink.h>
#include <kernel/seq.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/string.h>
#include <relink/engine.h>
#include <relink/names.h>
#include <relink/platform.h>

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

/*
 * The first line: the hypervisor below and whether the kernel drives it
 * (the hypervisor decider's input), e.g. "hypervisor: tcg (CPUID
 * 0x40000000), not driven: pv ops native".
 */
static void show_hypervisor(struct seq_buf *s)
{
	enum relink_hypervisor driven = relink_platform_hypervisor();
	const char *seen = cpu_hypervisor_name();

	if (driven != RELINK_HV_NONE)
		seq_out(s,
			"hypervisor: %s (the entry), driven: pv ops for it\n",
			relink_hypervisor_name(driven));
	else if (seen)
		seq_out(s,
			"hypervisor: %s (CPUID 0x40000000), not driven: pv "
			"ops native\n",
			seen);
	else
		seq_out(s, "hypervisor: none, pv ops native\n");
}

static int choices_show(struct seq_buf *s, void *data __unused)
{
	show_hypervisor(s);
	relink_show_choices(seq_out, s);
	return s->overflow ? -ENOMEM : 0;
}

static int sites_show(struct seq_buf *s, void *data __unused)
{
	relink_show_sites(seq_out, s);
	return s->overflow ? -ENOMEM : 0;
}

/* Only the loaded modules' sites: the sites file's tail, quick to read. */
static int module_sites_show(struct seq_buf *s, void *data __unused)
{
	relink_show_module_sites(seq_out, s);
	return s->overflow ? -ENOMEM : 0;
}

static int stats_show(struct seq_buf *s, void *data __unused)
{
	relink_show_stats(seq_out, s);
	return s->overflow ? -ENOMEM : 0;
}

/*
 * A choice/<name> file's data is the choice's definition, not its index:
 * a module's choices move down when an earlier module's leave.
 */
static int choice_show(struct seq_buf *s, void *data)
{
	struct relink_choice_info info;
	int c = relink_choice_index(data);

	if (c < 0 || relink_choice_get((unsigned int)c, &info))
		return -ENOENT;
	seq_printf(s, "%s %s\n", info.def->variants[info.variant].name,
		   relink_decided_by_name(info.decided_by));
	return s->overflow ? -ENOMEM : 0;
}

/* The one line a refused switch gets, from the engine's error. */
static void switch_refused(const struct relink_choice_info *info,
			   const char *variant, int rc, char *why)
{
	switch (rc) {
	case -EIO:
	case -EOPNOTSUPP:
		snprintf(why, FS_WHY_MAX, "%s: %s; nothing written (%d)",
			 info->name, relink_refusal(), rc);
		break;
	case -EBUSY:
		snprintf(why, FS_WHY_MAX,
			 "%s: a switch is running or a CPU stayed inside a "
			 "site; try again (%d)",
			 info->name, rc);
		break;
	default:
		snprintf(why, FS_WHY_MAX,
			 "%s: cannot switch to %s (%d); nothing written (the "
			 "log names the site)",
			 info->name, variant, rc);
	}
}

/*
 * Checked here first, so that a person gets the reason as the one line
 * the shell prints: no such variant (-EINVAL, naming the valid ones), a
 * predicate that does not hold (-EPERM, with why). The engine checks
 * again, under its own lock, and writes all or nothing.
 */
static int choice_write(const char *buf, size_t len, void *data, char *why)
{
	int index = relink_choice_index(data);
	unsigned int c = (unsigned int)index;
	struct relink_choice_info info;
	char shown[40], reason[96];
	int v, rc;

	if (index < 0 || relink_choice_get(c, &info))
		return -ENOENT;
	if (info.def->flags & RELINK_CHOICE_BOOT_ONLY) {
		snprintf(why, FS_WHY_MAX,
			 "%s: decided at boot only (the command line sets it)",
			 info.name);
		return -EPERM;
	}
	if (!strcmp(buf, "auto")) {
		rc = relink_switch_auto(c);
	} else {
		v = relink_variant_find(c, buf);
		if (v < 0) {
			relink_list_variants(info.def, reason, sizeof(reason));
			snprintf(why, FS_WHY_MAX,
				 "%s: no variant '%s' (valid: %s, auto)",
				 info.name,
				 str_escape(shown, sizeof(shown), buf, len),
				 reason);
			return -EINVAL;
		}
		if (!relink_variant_usable(c, (unsigned int)v, reason,
					   sizeof(reason))) {
			snprintf(why, FS_WHY_MAX, "%s: %s is not usable: %s",
				 info.name, buf, reason);
			return -EPERM;
		}
		rc = relink_switch_index(c, (unsigned int)v);
	}
	if (rc)
		switch_refused(&info, buf, rc, why);
	return rc;
}

static int method_show(struct seq_buf *s, void *data __unused)
{
	seq_printf(s, "%s\n", relink_method_forced());
	return s->overflow ? -ENOMEM : 0;
}

static int method_write(const char *buf, size_t len, void *data __unused,
			char *why)
{
	char shown[40];

	if (!relink_method_force(buf))
		return 0;
	snprintf(why, FS_WHY_MAX,
		 "method: no method '%s' (valid: stop, int3, auto)",
		 str_escape(shown, sizeof(shown), buf, len));
	return -EINVAL;
}

static const struct file_ops method_ops = {
	.show = method_show,
	.write = method_write,
};
static const struct file_ops choices_ops = { .show = choices_show };
static const struct file_ops sites_ops = { .show = sites_show };
static const struct file_ops module_sites_ops = { .show = module_sites_show };
static const struct file_ops stats_ops = { .show = stats_show };
static const struct file_ops choice_ops = {
	.show = choice_show,
	.write = choice_write,
};

/* /sys/kernel/debug/relink/choice: one file per choice the engine has. */
static struct fs_node *per_choice;

int relink_debugfs_choice_add(const struct relink_choice_def *def)
{
	if (!per_choice)
		return 0; /* before the initcall: it makes every file */
	return debugfs_create_file(def->name, per_choice, &choice_ops,
				   (void *)def) ?
		       0 :
		       -EEXIST;
}

void relink_debugfs_choice_remove(const struct relink_choice_def *def)
{
	char path[128];
	struct fs_node *node;

	snprintf(path, sizeof(path), "/sys/kernel/debug/relink/choice/%s",
		 def->name);
	node = fs_lookup(path);
	if (node)
		fs_remove(node);
}

static int relink_debugfs_init(void)
{
	struct fs_node *dir = debugfs_create_dir("relink", NULL);

	if (!dir || !debugfs_create_file("choices", dir, &choices_ops, NULL) ||
	    !debugfs_create_file("sites", dir, &sites_ops, NULL) ||
	    !debugfs_create_file("module_sites", dir, &module_sites_ops,
				 NULL) ||
	    !debugfs_create_file("stats", dir, &stats_ops, NULL) ||
	    !debugfs_create_file("method", dir, &method_ops, NULL))
		return -ENOMEM;
	per_choice = debugfs_create_dir("choice", dir);
	if (!per_choice)
		return -ENOMEM;
	for (unsigned int c = 0; c < relink_choice_count(); c++) {
		struct relink_choice_info info;

		if (relink_choice_get(c, &info) ||
		    !debugfs_create_file(info.name, per_choice, &choice_ops,
					 (void *)info.def))
			return -ENOMEM;
	}
	return 0;
}
INITCALL(relink_debugfs_init);
