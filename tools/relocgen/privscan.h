/* SPDX-License-Identifier: MIT */
/*
 * relocgen --check-privileged FILE [SECTION...] (privscan.c): no
 * instruction a PV guest may not execute outside pv sites and the
 * native-only SECTIONs.
 */
#ifndef RELOCGEN_PRIVSCAN_H
#define RELOCGEN_PRIVSCAN_H

/*
 * check_privileged() - 0, or -1 after reporting every stray instruction
 * of the image at path, or (kernel not NULL) of a module's trial link.
 */
int check_privileged(const char *kernel, const char *path, int n_native,
		     char *const *native);

#endif /* RELOCGEN_PRIVSCAN_H */
