/* SPDX-License-Identifier: MIT */
/*
 * The kernel's use of the choice engine (kernel/relink/).
 */
#ifndef KERNEL_RELINK_H
#define KERNEL_RELINK_H

/* relink_boot() - decide and write every site (boot CPU, IRQs off, once). */
void relink_boot(void);

#endif /* KERNEL_RELINK_H */
