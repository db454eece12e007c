/* SPDX-License-Identifier: MIT */
/*
 * Output files that appear whole or not at all: written to a temporary
 * file in the destination's directory, then renamed over it.
 */
#ifndef RELOCGEN_OUTPUT_H
#define RELOCGEN_OUTPUT_H

#include <sys/types.h>

struct output {
	const char *path;
	char *temporary;
	int fd;
};

/*
 * output_check() - 0 when path is new or a regular file; else -1 after
 * reporting what it is. Commands call it before any work.
 */
int output_check(const char *path);
/* Check path, create the temporary file; mode is filtered by the umask. */
int output_open(struct output *out, const char *path, mode_t mode);
/* Close and rename into place; on failure the temporary file is removed. */
int output_commit(struct output *out);
/* Close and remove the temporary file; safe to call after a commit. */
void output_abort(struct output *out);

#endif /* RELOCGEN_OUTPUT_H */
