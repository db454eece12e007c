// SPDX-License-Identifier: MIT
/*
 * The kernel log: printk() with Linux's "\001N" level prefixes, filtered by
 * console_loglevel, and the raw kprintf() the shell and the KTAP runner use.
 * Output goes to the platform console under one lock, so lines from
 * different CPUs never interleave within a call.
 */
#include <kernel/platform.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <lib/printf.h>
#include <lib/string.h>
#include <kernel/module.h>

int console_loglevel = LOGLEVEL_INFO;
static DEFINE_SPINLOCK(console_lock);

struct line_buffer {
	char buf[256];
	size_t len;
};

static void line_flush(struct line_buffer *lb)
{
	arch_console_write(lb->buf, lb->len);
	lb->len = 0;
}

/* The console wants "\r\n"; formatting produces "\n". */
static void line_putc(char c, void *ctx)
{
	struct line_buffer *lb = ctx;

	if (lb->len + 2 > sizeof(lb->buf))
		line_flush(lb);
	if (c == '\n')
		lb->buf[lb->len++] = '\r';
	lb->buf[lb->len++] = c;
}

static int console_vprintf(const char *fmt, va_list ap)
{
	struct line_buffer lb = { .len = 0 };
	unsigned long flags;
	int n;

	flags = spin_lock_irqsave(&console_lock);
	n = vcbprintf(line_putc, &lb, fmt, ap);
	line_flush(&lb);
	spin_unlock_irqrestore(&console_lock, flags);
	return n;
}

static int printk_level(const char **fmt)
{
	const char *f = *fmt;

	if (f[0] == KERN_SOH[0] && f[1] >= '0' && f[1] <= '7') {
		*fmt = f + 2;
		return f[1] - '0';
	}
	return LOGLEVEL_INFO;
}

int vprintk(const char *fmt, va_list ap)
{
	if (printk_level(&fmt) > console_loglevel)
		return 0;
	return console_vprintf(fmt, ap);
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

int kprintf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = console_vprintf(fmt, ap);
	va_end(ap);
	return n;
}

void kputs(const char *s)
{
	kprintf("%s", s);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	arch_irq_disable();
	kprintf("Kernel panic: ");
	va_start(ap, fmt);
	console_vprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
	arch_exit(STATUS_PANIC);
}
EXPORT_SYMBOL(printk);
