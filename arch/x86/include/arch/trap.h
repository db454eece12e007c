/* SPDX-License-Identifier: MIT */
/*
 * Trap frames, the IDT, and the hooks other code installs: interrupt
 * handlers per vector, and fault recovery (a test that touches a bad
 * address on purpose gets control back instead of a panic).
 */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

#include <stdbool.h>
#include <stdint.h>

struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss;
};

#define VECTOR_DE 0
#define VECTOR_NMI 2
#define VECTOR_BP 3
#define VECTOR_UD 6
#define VECTOR_DF 8
#define VECTOR_GP 13
#define VECTOR_PF 14
/*
 * The IPIs (<kernel/platform.h>'s enum ipi_kind): natively the local
 * APIC's vectors; under Xen, whose IPIs are event channels, each one taken
 * is counted under the same vector (arch.irq_count, /proc/interrupts).
 */
#define VECTOR_CALL_IPI 0xf1
#define VECTOR_WAKE_IPI 0xf2
#define NR_EXCEPTIONS 32

typedef void (*irq_handler_t)(struct trap_frame *frame);

void trap_init(void);
void idt_load(void);
/* irq_register() - handler for vector (>= 32); -EBUSY when taken. */
int irq_register(unsigned int vector, const char *name, irq_handler_t handler);
/* irq_vector_name() - the name a vector was registered with, or NULL. */
const char *irq_vector_name(unsigned int vector);
void trap_dispatch(struct trap_frame *frame);
const char *exception_name(unsigned int vector);
/* NMIs wake CPUs waiting in arch_rendezvous_wait() (rendezvous.c). */
void nmi_interrupt(struct trap_frame *frame);

#endif /* ARCH_TRAP_H */
