/* SPDX-License-Identifier: MIT */
/*
 * A minimal setjmp/longjmp for the kernel (fault recovery). The buffer
 * holds the callee-saved registers, the stack pointer and the return
 * address: struct jmp_buf in <kernel/setjmp.h>.
 */
	.text
	.globl kernel_setjmp
kernel_setjmp:
	mov %rbx, 0(%rdi)
	mov %rbp, 8(%rdi)
	mov %r12, 16(%rdi)
	mov %r13, 24(%rdi)
	mov %r14, 32(%rdi)
	mov %r15, 40(%rdi)
	lea 8(%rsp), %rax		/* the caller's rsp after our return */
	mov %rax, 48(%rdi)
	mov (%rsp), %rax		/* our return address */
	mov %rax, 56(%rdi)
	xor %eax, %eax
	ret

	.globl kernel_longjmp
kernel_longjmp:
	mov %esi, %eax
	test %eax, %eax
	jnz 1f
	inc %eax			/* longjmp(buf, 0) returns 1 */
1:	mov 0(%rdi), %rbx
	mov 8(%rdi), %rbp
	mov 16(%rdi), %r12
	mov 24(%rdi), %r13
	mov 32(%rdi), %r14
	mov 40(%rdi), %r15
	mov 48(%rdi), %rsp
	jmp *56(%rdi)
