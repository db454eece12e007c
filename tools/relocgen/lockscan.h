/* SPDX-License-Identifier: MIT */
/*
 * The check that every lock prefix of an image is a site.
 */
#ifndef RELOCGEN_LOCKSCAN_H
#define RELOCGEN_LOCKSCAN_H

/* check_locks() - 0, or -1 after reporting each stray lock prefix. */
int check_locks(const char *path);

#endif /* RELOCGEN_LOCKSCAN_H */
