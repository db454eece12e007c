// SPDX-License-Identifier: MIT
/*
 * The shell: line editing on the serial console (backspace, ^U to kill the
 * line, ^C to drop it), then one command per line. Commands live in
 * sections .shell_commands.NAME, which the link sorts by name (help lists
 * them in that order); the file commands (ls, cat, echo > FILE) and the
 * machine commands (poweroff, reboot) are here, others where they belong.
 */
#include <kernel/console.h>
#include <kernel/fs.h>
#include <kernel/platform.h>
#include <kernel/printk.h>
#include <kernel/shell.h>
#include <lib/errno.h>
#include <lib/line_edit.h>
#include <lib/parse.h>
#include <lib/string.h>

#define LINE_MAX 256

extern const struct shell_command __shell_commands_start[];
extern const struct shell_command __shell_commands_end[];

#define for_each_shell_command(c)                                    \
	for (const struct shell_command *c = __shell_commands_start; \
	     c < __shell_commands_end; c++)

static const char *error_text(int err)
{
	switch (err) {
	case -ENOENT:
		return "no such file or directory";
	case -EISDIR:
		return "is a directory";
	case -ENOTDIR:
		return "not a directory";
	case -EROFS:
		return "read-only file";
	case -EPERM:
		return "operation not permitted";
	case -EINVAL:
		return "invalid argument";
	case -ENOMEM:
		return "out of memory";
	case -EBUSY:
		return "device or resource busy";
	default:
		return "error";
	}
}

static int shell_error(const char *cmd, const char *what, int err)
{
	kprintf("%s: %s: %s (%d)\n", cmd, what, error_text(err), err);
	return err;
}

static int cmd_help(int argc __unused, char **argv __unused)
{
	int width = 0;

	for_each_shell_command (c)
		if ((int)strlen(c->usage) > width)
			width = (int)strlen(c->usage);
	for_each_shell_command (c)
		kprintf("  %-*s  %s\n", width, c->usage, c->help);
	return 0;
}
SHELL_COMMAND("help", cmd_help, "help", "list the commands");

static void ls_entry(const char *name, bool is_dir, void *ctx __unused)
{
	kprintf("%s%s\n", name, is_dir ? "/" : "");
}

static int cmd_ls(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/";
	struct fs_node *n = fs_lookup(path);
	int rc;

	if (n && !fs_is_dir(n)) {
		kprintf("%s\n", path);
		return 0;
	}
	rc = fs_list(path, ls_entry, NULL);
	return rc ? shell_error("ls", path, rc) : 0;
}
SHELL_COMMAND("ls", cmd_ls, "ls [DIR]", "list a directory");

static int cmd_cat(int argc, char **argv)
{
	struct seq_buf s;
	int rc = 0;

	if (argc < 2) {
		kprintf("usage: cat FILE...\n");
		return -EINVAL;
	}
	for (int i = 1; i < argc && !rc; i++) {
		seq_init(&s);
		rc = fs_read(argv[i], &s);
		if (rc)
			shell_error("cat", argv[i], rc);
		else if (s.len)
			console_write_text(s.buf, s.len);
		seq_release(&s);
	}
	return rc;
}
SHELL_COMMAND("cat", cmd_cat, "cat FILE...", "print files");

/* echo WORDS [> FILE]: print, or write the words to a file. */
static int cmd_echo(int argc, char **argv)
{
	char text[LINE_MAX] = "", why[FS_WHY_MAX];
	int last = argc, rc;

	if (argc >= 2 && !strcmp(argv[argc - 2], ">"))
		last = argc - 2;
	else if (argc >= 1 && !strcmp(argv[argc - 1], ">")) {
		kprintf("echo: '>' needs a file name\n");
		return -EINVAL;
	}
	for (int i = 1; i < last; i++) {
		if (i > 1)
			strlcat(text, " ", sizeof(text));
		strlcat(text, argv[i], sizeof(text));
	}
	if (last == argc) {
		kprintf("%s\n", text);
		return 0;
	}
	strlcat(text, "\n", sizeof(text));
	rc = fs_write(argv[argc - 1], text, strlen(text), why);
	/* One line, the file's own reason when it gave one. */
	if (rc && why[0])
		kprintf("%s\n", why);
	else if (rc)
		shell_error("echo", argv[argc - 1], rc);
	return rc;
}
SHELL_COMMAND("echo", cmd_echo, "echo TEXT [> FILE]",
	      "print TEXT, or write it to FILE");

static int cmd_poweroff(int argc __unused, char **argv __unused)
{
	kprintf("poweroff: bye\n");
	arch_exit(STATUS_OK);
}
SHELL_COMMAND("poweroff", cmd_poweroff, "poweroff", "stop the machine");

static int cmd_reboot(int argc __unused, char **argv __unused)
{
	kprintf("reboot: restarting system\n");
	arch_reboot();
}
SHELL_COMMAND("reboot", cmd_reboot, "reboot", "reset the machine");

int shell_execute(char *line)
{
	return shell_execute_in(
		line, __shell_commands_start,
		(size_t)(__shell_commands_end - __shell_commands_start));
}

static void shell_echo(const char *s, void *ctx __unused)
{
	kputs(s);
}

/*
 * Read one line into buf with echo and editing (lib/line_edit.c). A line
 * longer than buf is refused whole: cut, it could be another command.
 */
static bool shell_read_line(struct line_editor *ed)
{
	for (;;) {
		switch (line_edit_feed(ed, console_getc())) {
		case LINE_MORE:
			continue;
		case LINE_DONE:
			return true;
		case LINE_TOO_LONG:
			kprintf("shell: line too long (%zu bytes, at most %zu): "
				"not run\n",
				ed->typed, ed->size - 1);
			return false;
		case LINE_DROPPED:
			return false;
		}
	}
}

void shell_run(void)
{
	char line[LINE_MAX];
	struct line_editor ed;

	line_edit_init(&ed, line, sizeof(line), shell_echo, NULL);
	for (;;) {
		kputs(SHELL_PROMPT);
		if (shell_read_line(&ed))
			shell_execute(line);
	}
}
