/* SPDX-License-Identifier: MIT */
/*
 * Functions private to the native environment (arch/x86/native).
 */
#ifndef ARCH_NATIVE_H
#define ARCH_NATIVE_H

#include <stddef.h>

void serial_init(void);
void serial_write(const char *s, size_t len);
int serial_getc(void);

#endif /* ARCH_NATIVE_H */
