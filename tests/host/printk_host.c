// SPDX-License-Identifier: MIT
/*
 * The kernel's printk(), kprintf() and kputs() for kernel sources built on
 * the host (tests/unit/test_cmdline.c, the fuzz harnesses): every line is
 * kept in host_log, with the level prefix dropped, so a test can check
 * that one bad input got exactly one line and what it said.
 */
#include <stdarg.h>
#include <stdlib.h>

#include <kernel/printk.h>
#include <lib/printf.h>
#include <lib/string.h>

#include "printk_host.h"

char host_log[HOST_LOG_SIZE];
size_t host_log_len;
int console_loglevel = 7;

void host_log_reset(void)
{
	host_log_len = 0;
	host_log[0] = '\0';
}

unsigned int host_log_lines(void)
{
	unsigned int n = 0;

	for (size_t i = 0; i < host_log_len; i++)
		n += host_log[i] == '\n';
	return n;
}

void kputs(const char *s)
{
	size_t n = strlen(s);

	if (n > sizeof(host_log) - 1 - host_log_len)
		n = sizeof(host_log) - 1 - host_log_len;
	memcpy(host_log + host_log_len, s, n);
	host_log_len += n;
	host_log[host_log_len] = '\0';
}

int vprintk(const char *fmt, va_list ap)
{
	char line[512];
	int n;

	if (fmt[0] == KERN_SOH[0] && fmt[1])
		fmt += 2;
	n = vsnprintf(line, sizeof(line), fmt, ap);
	kputs(line);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

/* On the host the console and the log are one: kprintf() is printk(). */
int kprintf(const char *fmt, ...) __attribute__((alias("printk")));

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	abort();
}
