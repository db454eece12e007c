/* SPDX-License-Identifier: MIT */
/*
 * Hypercalls of a 64-bit PV guest: a call into the hypercall page Xen
 * filled (XEN_ELFNOTE_HYPERCALL_PAGE, entry.S), 32 bytes per hypercall,
 * arguments in rdi, rsi, rdx, r10, r8, the result in rax. Xen enters
 * through syscall, so rcx and r11 are lost; the argument registers may be
 * changed too, so each is an in/out operand.
 */
#ifndef XENPV_HYPERCALL_H
#define XENPV_HYPERCALL_H

#include <xenpv/abi.h>

#define XEN_HYPERCALL_STRIDE 32

#define xen_hypercall3(nr, a1, a2, a3)                                         \
	({                                                                     \
		long __ret;                                                    \
		unsigned long __a1 = (unsigned long)(a1);                      \
		unsigned long __a2 = (unsigned long)(a2);                      \
		unsigned long __a3 = (unsigned long)(a3);                      \
		asm volatile("call hypercall_page + %c[offset]"                \
			     : "=a"(__ret), "+D"(__a1), "+S"(__a2), "+d"(__a3) \
			     : [offset] "i"((nr)*XEN_HYPERCALL_STRIDE)         \
			     : "rcx", "r11", "r10", "r8", "memory");           \
		__ret;                                                         \
	})

#define xen_hypercall4(nr, a1, a2, a3, a4)                                    \
	({                                                                    \
		long __ret;                                                   \
		unsigned long __a1 = (unsigned long)(a1);                     \
		unsigned long __a2 = (unsigned long)(a2);                     \
		unsigned long __a3 = (unsigned long)(a3);                     \
		register unsigned long __a4 asm("r10") = (unsigned long)(a4); \
		asm volatile("call hypercall_page + %c[offset]"               \
			     : "=a"(__ret), "+D"(__a1), "+S"(__a2),           \
			       "+d"(__a3), "+r"(__a4)                         \
			     : [offset] "i"((nr)*XEN_HYPERCALL_STRIDE)        \
			     : "rcx", "r11", "r8", "memory");                 \
		__ret;                                                        \
	})

#define xen_hypercall1(nr, a1) xen_hypercall3(nr, a1, 0, 0)
#define xen_hypercall2(nr, a1, a2) xen_hypercall3(nr, a1, a2, 0)

#endif /* XENPV_HYPERCALL_H */
