/* SPDX-License-Identifier: MIT */
/*
 * Functions private to the native environment (arch/x86/native).
 */
#ifndef NATIVE_NATIVE_H
#define NATIVE_NATIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <kernel/platform.h>

/* The native implementations of <kernel/platform.h>'s arch_* functions. */
void native_interrupts_init(const struct boot_info *boot);
unsigned int native_cpus_possible(void);
int native_cpu_start(unsigned int cpu);
void __noreturn native_cpu_park(void);
void native_send_ipi(unsigned int cpu, enum ipi_kind kind);
void native_rendezvous_kick(unsigned int cpu);

void serial_init(void);
void serial_write(const char *s, size_t len);
int serial_getc(void);
/* serial_irq_init() - receive by interrupt (ISA IRQ 4); 0 or -E*. */
int serial_irq_init(void);
/* serial_input_resume() - receive by interrupt again (flow control). */
void serial_input_resume(void);
/* serial_irq_selftest() - make the UART raise IRQ 4 once (THR empty). */
void serial_irq_selftest(void);

/* ipi.c: the handlers of the IPI vectors. */
int ipi_register_vectors(void);
/* smpboot.c: the AP trampoline, placed once by the boot CPU. */
void smpboot_init(const struct boot_info *boot);

/*
 * firmware_checksum_ok() - the bytes of a firmware table (ACPI, MP) add up
 * to zero modulo 256, as both specifications require.
 */
static inline bool firmware_checksum_ok(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += b[i];
	return sum == 0;
}

#endif /* NATIVE_NATIVE_H */
