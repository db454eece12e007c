/* SPDX-License-Identifier: MIT */
/*
 * Console input and multi-line text output for the shell.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stddef.h>

/* console_getc() - wait for the next input byte. */
int console_getc(void);
/* console_write_text() - print text, turning "\n" into "\r\n". */
void console_write_text(const char *s, size_t len);

#endif /* KERNEL_CONSOLE_H */
