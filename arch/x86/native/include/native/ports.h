/* SPDX-License-Identifier: MIT */
/*
 * The PC's I/O ports the native environment uses from more than one
 * place: C and the 32-bit entry, which must speak before any C runs.
 */
#ifndef NATIVE_PORTS_H
#define NATIVE_PORTS_H

/* The 16550 UART at COM1: the console. */
#define COM1 0x3f8
#define UART_DATA 0
#define UART_LSR 5
#define LSR_THR_EMPTY 0x20

/* QEMU's isa-debug-exit: writing v exits QEMU with (v << 1) | 1. */
#define ISA_DEBUG_EXIT_PORT 0xf4
/* QEMU's PIIX4 ACPI PM1a control: writing ACPI_S5_SLEEP powers off. */
#define ACPI_PM1A_CONTROL_PORT 0x604
#define ACPI_S5_SLEEP 0x2000

#endif /* NATIVE_PORTS_H */
