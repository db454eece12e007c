/* SPDX-License-Identifier: MIT */
/*
 * relocgen --dump and --stats: print an image's table, read from its
 * .relink.table section alone (plus .symtab for symbol+offset names), so
 * they show what the kernel will load.
 */
#ifndef RELOCGEN_DUMP_H
#define RELOCGEN_DUMP_H

#include <stdio.h>

/* Each returns 0, or -1 after reporting. */
int dump_sites(const char *path, FILE *out);
int dump_stats(const char *path, FILE *out);

#endif /* RELOCGEN_DUMP_H */
