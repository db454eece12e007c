/* SPDX-License-Identifier: MIT */
/*
 * The local APIC (xAPIC, memory-mapped) of each CPU and the vectors the
 * kernel gives out.
 */
#ifndef NATIVE_APIC_H
#define NATIVE_APIC_H

#include <stdbool.h>
#include <stdint.h>
#include <arch/trap.h> /* VECTOR_CALL_IPI, VECTOR_WAKE_IPI */

/* Vectors: ISA IRQ n arrives at IRQ_VECTOR_BASE + n on either chip. */
#define IRQ_VECTOR_BASE 0x20
#define VECTOR_LAPIC_TIMER 0xf0
#define VECTOR_LAPIC_ERROR 0xfe
#define VECTOR_SPURIOUS 0xff

#define TIMER_HZ 100

/* lapic_map() - map the boot CPU's local APIC at phys and enable it. */
void lapic_map(uint64_t phys);
/* lapic_init_cpu() - this CPU's LAPIC: enabled, LVTs set, timer ticking. */
void lapic_init_cpu(bool extint_on_lint0);
/* lapic_timer_calibrate() - measure the timer against the TSC (boot CPU). */
void lapic_timer_calibrate(void);
void lapic_timer_stop(void);
/* lapic_register_vectors() - handlers for timer, error, spurious. */
int lapic_register_vectors(void);
uint32_t lapic_id(void);
void lapic_eoi(void);
/* lapic_send_ipi() - a fixed interrupt to the CPU with this APIC ID. */
void lapic_send_ipi(uint32_t apic_id, unsigned int vector);
/* lapic_send_nmi() - an NMI to the CPU with this APIC ID. */
void lapic_send_nmi(uint32_t apic_id);
/* lapic_send_init_sipi() - INIT, then two STARTUPs at page << 12. */
int lapic_send_init_sipi(uint32_t apic_id, unsigned int page);

#endif /* NATIVE_APIC_H */
