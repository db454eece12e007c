/* SPDX-License-Identifier: MIT */
/*
 * The boot-CPU setup steps arch_setup() runs, in order.
 */
#ifndef ARCH_SETUP_H
#define ARCH_SETUP_H

void cpuid_identify(void);
void tsc_calibrate(void);

#endif /* ARCH_SETUP_H */
