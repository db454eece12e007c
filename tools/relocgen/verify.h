/* SPDX-License-Identifier: MIT */
/*
 * relocgen --verify: link 2 must keep every site of link 1 in place, must
 * carry exactly the table rebuilt from itself, and gains .rela.relink.
 */
#ifndef RELOCGEN_VERIFY_H
#define RELOCGEN_VERIFY_H

/* Returns 0, or -1 after reporting; writes out only on success. */
int verify_links(const char *link1, const char *link2, const char *out);

#endif /* RELOCGEN_VERIFY_H */
