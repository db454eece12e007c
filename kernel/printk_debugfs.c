// SPDX-License-Identifier: MIT
/*
 * /sys/kernel/debug/loglevel: read or set the console log level at run
 * time (the same values as loglevel= on the command line).
 */
#include <kernel/fs.h>
#include <kernel/init.h>
#include <kernel/printk.h>
#include <lib/errno.h>
#include <lib/parse.h>
#include <lib/printf.h>
#include <lib/string.h>

static int loglevel_show(struct seq_buf *s, void *data __unused)
{
	return seq_printf(s, "%d\n", console_loglevel) < 0 ? -ENOMEM : 0;
}

static int loglevel_write(const char *buf, size_t len, void *data __unused,
			  char *why)
{
	unsigned int level;
	char shown[40];

	if (kstrtouint(buf, 10, &level) || level > 7) {
		snprintf(why, FS_WHY_MAX,
			 "loglevel: '%s' is not a level: expected 0..7",
			 str_escape(shown, sizeof(shown), buf, len));
		return -EINVAL;
	}
	console_loglevel = (int)level;
	return 0;
}

static const struct file_ops loglevel_ops = {
	.show = loglevel_show,
	.write = loglevel_write,
};

static int loglevel_debugfs_init(void)
{
	return debugfs_create_file("loglevel", NULL, &loglevel_ops, NULL) ?
		       0 :
		       -ENOMEM;
}
INITCALL(loglevel_debugfs_init);
