// SPDX-License-Identifier: MIT
/*
 * Temporary-file-and-rename output. rename() within one directory is
 * atomic, so a reader (make, the next link) sees the old file or the whole
 * new one, and a failed run leaves nothing behind.
 *
 * That protects regular files only: renamed over a device, a FIFO or a
 * socket, the temporary file would replace the node itself (/dev/full
 * would become a regular file), and over a directory it fails late. Such
 * an output is refused before any work, and again when it is opened.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"
#include "util.h"

int output_check(const char *path)
{
	struct stat st;

	/* A path that cannot be stat'ed fails in output_open() with why. */
	if (stat(path, &st) < 0 || S_ISREG(st.st_mode))
		return 0;
	report(path, "is %s: the output must be a regular file or a new path",
	       file_type_name(st.st_mode));
	return -1;
}

int output_open(struct output *out, const char *path, mode_t mode)
{
	mode_t mask;

	out->path = path;
	out->temporary = NULL;
	out->fd = -1;
	if (output_check(path))
		return -1;
	mask = umask(0);
	umask(mask);
	out->temporary = xmalloc(strlen(path) + sizeof(".tmp.XXXXXX"));
	sprintf(out->temporary, "%s.tmp.XXXXXX", path);
	out->fd = mkstemp(out->temporary);
	if (out->fd < 0) {
		report(path, "cannot create a temporary file: %s",
		       strerror(errno));
		free(out->temporary);
		out->temporary = NULL;
		return -1;
	}
	if (fchmod(out->fd, mode & ~mask) < 0) {
		report(path, "cannot set the mode: %s", strerror(errno));
		output_abort(out);
		return -1;
	}
	return 0;
}

int output_commit(struct output *out)
{
	int rc = close(out->fd);

	out->fd = -1;
	if (rc < 0 || rename(out->temporary, out->path) < 0) {
		report(out->path, "cannot write: %s", strerror(errno));
		output_abort(out);
		return -1;
	}
	free(out->temporary);
	out->temporary = NULL;
	return 0;
}

void output_abort(struct output *out)
{
	if (out->fd >= 0)
		close(out->fd);
	out->fd = -1;
	if (out->temporary)
		unlink(out->temporary);
	free(out->temporary);
	out->temporary = NULL;
}
