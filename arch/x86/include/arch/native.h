/* SPDX-License-Identifier: MIT */
/*
 * Functions private to the native environment (arch/x86/native).
 */
#ifndef ARCH_NATIVE_H
#define ARCH_NATIVE_H

#include <stddef.h>
#include <stdint.h>

struct boot_info;

void serial_init(void);
void serial_write(const char *s, size_t len);
int serial_getc(void);
/* serial_irq_init() - receive by interrupt (ISA IRQ 4); 0 or -E*. */
int serial_irq_init(void);
/* serial_irq_selftest() - make the UART raise IRQ 4 once (THR empty). */
void serial_irq_selftest(void);

/* ipi.c: the handlers of the IPI vectors. */
int ipi_register_vectors(void);
/* smpboot.c: the AP trampoline, placed once by the boot CPU. */
void smpboot_init(const struct boot_info *boot);

#endif /* ARCH_NATIVE_H */
