// SPDX-License-Identifier: MIT
/*
 * relocgen: the build-time half of relink's site relocations.
 *
 *	relocgen --table OUT.o LINK1.elf
 *		collect and validate every site of link 1, write the table
 *		object that link 2 adds;
 *	relocgen --verify LINK1.elf LINK2.elf -o OUT.elf
 *		check that link 2 kept every site and carries the right
 *		table, and write it with .rela.relink added;
 *	relocgen --dump FILE, relocgen --stats FILE
 *		print the table of an image;
 *	relocgen --check-locks [--kernel KERNEL.elf] FILE
 *		every lock prefix in its text is a site (with --kernel:
 *		FILE is a module's trial link against KERNEL);
 *	relocgen --check-isolated SECTION FILE
 *		no site in SECTION, no call or jump out of it (.text.nmi);
 *	relocgen --check-privileged [--kernel KERNEL.elf] FILE
 *		[NATIVE-SECTION...]
 *		no instruction a PV guest may not run outside pv sites and
 *		the native-only sections;
 *	relocgen --module KERNEL.elf CHECK.elf MODULE.o -o OUT.ko
 *		validate a module's sites (as its trial link CHECK places
 *		them) with the kernel's choices, write the object with
 *		R_RELINK_* relocations.
 *
 * Exit status: 0 on success, 1 on any error (each reported as one line
 * "FILE: symbol+0xoff: what is wrong"), 2 on a bad command line.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <gelf.h>

#include "dump.h"
#include "isolate.h"
#include "lockscan.h"
#include "module.h"
#include "object.h"
#include "privscan.h"
#include "util.h"
#include "verify.h"

static const char usage_text[] =
	"usage: relocgen --table OUT.o LINK1.elf | --verify LINK1.elf "
	"LINK2.elf -o OUT.elf | --dump FILE | --stats FILE | "
	"--check-locks [--kernel KERNEL.elf] FILE | "
	"--check-isolated SECTION FILE | "
	"--check-privileged [--kernel KERNEL.elf] FILE [NATIVE-SECTION...] | "
	"--module KERNEL.elf CHECK.elf MODULE.o -o OUT.ko\n";

/* No argument of a command may look like an option. */
static bool all_operands(int n, char **args)
{
	for (int i = 0; i < n; i++)
		if (args[i][0] == '-')
			return false;
	return true;
}

static int usage(void)
{
	fputs(usage_text, stderr);
	return 2;
}

/* --verify LINK1 LINK2 -o OUT, with -o OUT anywhere after --verify. */
static int verify_command(int argc, char **argv)
{
	const char *files[2], *out = NULL;
	int i, n = 0;

	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc && !out)
			out = argv[++i];
		else if (argv[i][0] != '-' && n < 2)
			files[n++] = argv[i];
		else
			return usage();
	}
	if (n != 2 || !out)
		return usage();
	return verify_links(files[0], files[1], out) ? 1 : 0;
}

/* --module KERNEL CHECK OBJECT -o OUT */
static int module_command(int argc, char **argv)
{
	int i;

	if (argc != 7 || strcmp(argv[5], "-o"))
		return usage();
	for (i = 2; i < argc; i++)
		if (i != 5 && argv[i][0] == '-')
			return usage();
	return module_relink(argv[2], argv[3], argv[4], argv[6]) ? 1 : 0;
}

/*
 * --check-locks [--kernel KERNEL] FILE,
 * --check-privileged [--kernel KERNEL] FILE [NATIVE-SECTION...]
 */
static int check_command(int argc, char **argv)
{
	bool locks = !strcmp(argv[1], "--check-locks");
	const char *kernel = NULL;
	int first = 2;

	if (argc > 3 && !strcmp(argv[2], "--kernel")) {
		kernel = argv[3];
		first = 4;
	}
	if (argc <= first || !all_operands(argc - first, argv + first) ||
	    (kernel && kernel[0] == '-') || (locks && argc != first + 1))
		return usage();
	if (locks)
		return check_locks(kernel, argv[first]) ? 1 : 0;
	return check_privileged(kernel, argv[first], argc - first - 1,
				argv + first + 1) ?
		       1 :
		       0;
}

static int print_command(int (*print)(const char *, FILE *), const char *path)
{
	int rc = print(path, stdout);

	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "relocgen: cannot write the output\n");
		return 1;
	}
	return rc ? 1 : 0;
}

static int run(int argc, char **argv)
{
	const char *command = argc > 1 ? argv[1] : "";

	if (!strcmp(command, "--help") && argc == 2) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (!strcmp(command, "--table") && argc == 4 && argv[2][0] != '-' &&
	    argv[3][0] != '-')
		return object_from_image(argv[2], argv[3]) ? 1 : 0;
	if (!strcmp(command, "--verify"))
		return verify_command(argc, argv);
	if (!strcmp(command, "--module"))
		return module_command(argc, argv);
	if (!strcmp(command, "--dump") && argc == 3 && argv[2][0] != '-')
		return print_command(dump_sites, argv[2]);
	if (!strcmp(command, "--stats") && argc == 3 && argv[2][0] != '-')
		return print_command(dump_stats, argv[2]);
	if (!strcmp(command, "--check-locks") ||
	    !strcmp(command, "--check-privileged"))
		return check_command(argc, argv);
	if (!strcmp(command, "--check-isolated") && argc == 4 &&
	    argv[2][0] != '-' && argv[3][0] != '-')
		return check_isolated(argv[3], argv[2]) ? 1 : 0;
	return usage();
}

int main(int argc, char **argv)
{
	int rc;

	if (elf_version(EV_CURRENT) == EV_NONE) {
		fprintf(stderr, "relocgen: libelf is too old: %s\n",
			elf_errmsg(-1));
		return 1;
	}
	rc = run(argc, argv);
	report_summary();
	return rc;
}
