/* SPDX-License-Identifier: MIT */
/*
 * Where the register thunks of arch/x86/xen/thunks.S find what they read
 * in Xen's struct vcpu_info (x86_64), for assembly; irqflags.c asserts
 * each against the public header's layout.
 */
#ifndef XENPV_VCPU_OFFSETS_H
#define XENPV_VCPU_OFFSETS_H

#define XEN_VCPU_INFO_UPCALL_MASK 1 /* evtchn_upcall_mask */
#define XEN_VCPU_INFO_CR2 16 /* arch.cr2 */

#endif /* XENPV_VCPU_OFFSETS_H */
