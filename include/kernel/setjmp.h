/* SPDX-License-Identifier: MIT */
/*
 * Non-local return within the kernel (arch/x86/setjmp.S).
 */
#ifndef KERNEL_SETJMP_H
#define KERNEL_SETJMP_H

#include <stdint.h>
#include <lib/compiler.h>

struct jmp_buf {
	uint64_t regs[8];
};

int kernel_setjmp(struct jmp_buf *buf) __attribute__((returns_twice));
void __noreturn kernel_longjmp(struct jmp_buf *buf, int value);

#endif /* KERNEL_SETJMP_H */
