/* SPDX-License-Identifier: MIT */
/*
 * The check that every lock prefix of an image is a site.
 */
#ifndef RELOCGEN_LOCKSCAN_H
#define RELOCGEN_LOCKSCAN_H

/*
 * check_locks() - 0, or -1 after reporting each stray lock prefix of the
 * image at path, or (kernel not NULL) of a module's trial link at path.
 */
int check_locks(const char *kernel, const char *path);

#endif /* RELOCGEN_LOCKSCAN_H */
