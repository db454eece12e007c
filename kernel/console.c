// SPDX-License-Identifier: MIT
/*
 * Console input for the shell, and bulk text output.
 *
 * Input arrives by interrupt: the platform's receive handler calls
 * console_input() for each byte, which lands in a ring buffer; a reader
 * that finds the ring empty idles (arch_idle) until the next interrupt.
 * The check and the idle happen with interrupts off, so a byte that
 * arrives in between wakes the idle instead of being missed. When the
 * platform cannot deliver input by interrupt, the reader polls it.
 */
#include <kernel/console.h>
#include <kernel/irqflags.h>
#include <kernel/platform.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>

#define INPUT_RING_SIZE 256 /* a power of two */

static struct {
	unsigned char buf[INPUT_RING_SIZE];
	unsigned int head, tail; /* free-running: head - tail queued */
	bool held; /* the platform holds input back until resumed */
} ring;
static DEFINE_SPINLOCK(ring_lock);
static bool input_by_irq;

void console_init(void)
{
	input_by_irq = arch_console_input_irq();
	pr_info("console: input %s\n",
		input_by_irq ? "by interrupt" : "polled (no interrupt)");
}

/*
 * A full ring never drops a byte (a lost newline would join two lines):
 * the platform stops receiving, the device holds what comes (QEMU holds
 * its input until the UART has room), and the reader resumes it once half
 * the ring is free.
 */
bool console_input_room(void)
{
	unsigned long flags = spin_lock_irqsave(&ring_lock);
	bool room = ring.head - ring.tail < INPUT_RING_SIZE;

	if (!room)
		ring.held = true;
	spin_unlock_irqrestore(&ring_lock, flags);
	return room;
}

void console_input(int c)
{
	unsigned long flags = spin_lock_irqsave(&ring_lock);

	if (ring.head - ring.tail < INPUT_RING_SIZE)
		ring.buf[ring.head++ % INPUT_RING_SIZE] = (unsigned char)c;
	spin_unlock_irqrestore(&ring_lock, flags);
}

static int ring_pop(void)
{
	bool resume = false;
	int c = -1;

	spin_lock(&ring_lock);
	if (ring.head != ring.tail)
		c = ring.buf[ring.tail++ % INPUT_RING_SIZE];
	if (ring.held && ring.head - ring.tail <= INPUT_RING_SIZE / 2) {
		ring.held = false;
		resume = true;
	}
	spin_unlock(&ring_lock);
	if (resume)
		arch_console_input_resume();
	return c;
}

int console_getc(void)
{
	unsigned long flags;
	int c;

	if (!input_by_irq) {
		while ((c = arch_console_getc()) < 0)
			arch_cpu_relax();
		return c;
	}
	flags = arch_local_irq_save();
	while ((c = ring_pop()) < 0)
		arch_idle();
	arch_local_irq_restore(flags);
	return c;
}

void console_write_text(const char *s, size_t len)
{
	size_t start = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] != '\n')
			continue;
		kprintf("%.*s\n", (int)(i - start), s + start);
		start = i + 1;
	}
	if (start < len)
		kprintf("%.*s", (int)(len - start), s + start);
}
