/* SPDX-License-Identifier: MIT */
/*
 * Console input (interrupt-driven, into a ring buffer) and multi-line
 * text output for the shell.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

/* console_init() - take input by interrupt when the platform can. */
void console_init(void);
/*
 * console_input_room() - whether console_input() can take a byte now.
 * When it cannot, the platform leaves further bytes with the device (flow
 * control: nothing is dropped) and stops its receive interrupt until
 * arch_console_input_resume().
 */
bool console_input_room(void);
/* console_input() - a received byte, from the platform's interrupt. */
void console_input(int c);
/* console_getc() - wait (idle) for the next input byte. */
int console_getc(void);
/* console_write_text() - print text, turning "\n" into "\r\n". */
void console_write_text(const char *s, size_t len);

#endif /* KERNEL_CONSOLE_H */
