// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for relocgen: every input is an ELF file, and relocgen's
 * own commands read it, in process, the way the command line would:
 *
 *	--dump and --stats	the table parser (dump_sites, dump_stats);
 *	--table OUT IN		the whole validation (program_load: choices,
 *				sites, every check, the table built) and
 *				the table object written;
 *	--check-locks		the validation again, then the lock scan;
 *	--verify IN IN -o OUT	two loads, the comparison, and the
 *				.rela.relink writer on a copy of the input.
 *
 * The input is written once to a memfd and named by its /proc/self/fd
 * path, so relocgen opens, checks and reads it as it would any file. The
 * seeds in tests/fuzz/corpus/relocgen/ are small images built from the
 * fixtures by tests/relocgen/fuzz-corpus.sh.
 *
 * relocgen reports every error on stderr: the harness points stderr at
 * /dev/null once, at start. libFuzzer keeps the stream it took before
 * (its own output and the sanitizers' reports still reach the terminal).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <gelf.h>

#include "dump.h"
#include "lockscan.h"
#include "object.h"
#include "util.h"
#include "verify.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int input_fd = -1;
static char input_path[64];
static char output_dir[PATH_MAX];
static char output_path[PATH_MAX];
static FILE *sink; /* /dev/null: relocgen's stderr and stdout */
static FILE *harness_errors; /* the real stderr, for the harness's own */

static void remove_output_dir(void)
{
	unlink(output_path);
	rmdir(output_dir);
}

static void fail(const char *what)
{
	fprintf(harness_errors, "relocgen fuzz: %s: %s\n", what,
		strerror(errno));
	abort();
}

static void make_output_dir(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(output_dir, sizeof(output_dir), "%s/relocgen-fuzz.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(output_dir))
		fail("mkdtemp");
	snprintf(output_path, sizeof(output_path), "%s/out.elf", output_dir);
	atexit(remove_output_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	harness_errors = stderr;
	if (elf_version(EV_CURRENT) == EV_NONE)
		fail("elf_version");
	input_fd = memfd_create("relocgen-input", MFD_CLOEXEC);
	if (input_fd < 0)
		fail("memfd_create");
	snprintf(input_path, sizeof(input_path), "/proc/self/fd/%d", input_fd);
	make_output_dir();
	sink = fopen("/dev/null", "w");
	if (!sink)
		fail("/dev/null");
	stderr = sink;
	return 0;
}

static void write_input(const uint8_t *data, size_t size)
{
	size_t done = 0;
	ssize_t n;

	if (ftruncate(input_fd, 0) < 0)
		fail("ftruncate");
	while (done < size) {
		n = pwrite(input_fd, data + done, size - done, (off_t)done);
		if (n <= 0)
			fail("pwrite");
		done += (size_t)n;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	write_input(data, size);
	dump_sites(input_path, sink);
	dump_stats(input_path, sink);
	object_from_image(output_path, input_path);
	check_locks(NULL, input_path);
	verify_links(input_path, input_path, output_path);
	unlink(output_path);
	/* The end of a run: the next input starts with a fresh error count. */
	report_summary();
	return 0;
}
