/* SPDX-License-Identifier: MIT */
/*
 * relocgen --check-isolated SECTION FILE (isolate.c): no site in SECTION,
 * and no call or jump out of it.
 */
#ifndef RELOCGEN_ISOLATE_H
#define RELOCGEN_ISOLATE_H

/* check_isolated() - 0, or -1 after reporting every problem. */
int check_isolated(const char *path, const char *section);

#endif /* RELOCGEN_ISOLATE_H */
