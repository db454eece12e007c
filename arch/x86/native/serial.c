// SPDX-License-Identifier: MIT
/*
 * The 16550 UART at COM1: the native console. Output polls the transmit
 * holding register. Input arrives by interrupt (ISA IRQ 4, through
 * whichever controller irq.c chose) and goes to console_input(); when the
 * interrupt cannot be set up, the console polls serial_getc() instead.
 */
#include <stdint.h>
#include <native/irqchip.h>
#include <arch/io.h>
#include <native/native.h>
#include <native/ports.h>
#include <kernel/console.h>
#include <kernel/spinlock.h>

#define COM1_IRQ 4
#define UART_IER 1
#define UART_IIR 2
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_DLL 0
#define UART_DLM 1
#define LSR_DATA_READY 0x01
#define IER_RX 0x01
#define IER_THR_EMPTY 0x02
#define IIR_NONE 0x01

static uint8_t ier;
static DEFINE_SPINLOCK(ier_lock);

void serial_init(void)
{
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, 0x80); /* divisor latch */
	outb(COM1 + UART_DLL, 0x01); /* 115200 baud */
	outb(COM1 + UART_DLM, 0x00);
	outb(COM1 + UART_LCR, 0x03); /* 8n1 */
	outb(COM1 + UART_FCR, 0xc7); /* FIFO on, cleared, 14-byte level */
	outb(COM1 + UART_MCR, 0x0b); /* DTR, RTS, OUT2 (IRQ line on) */
}

static void serial_putc(char c)
{
	while (!(inb(COM1 + UART_LSR) & LSR_THR_EMPTY))
		;
	outb(COM1 + UART_DATA, (uint8_t)c);
}

void serial_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		serial_putc(s[i]);
}

int serial_getc(void)
{
	if (!(inb(COM1 + UART_LSR) & LSR_DATA_READY))
		return -1;
	return inb(COM1 + UART_DATA);
}

static void serial_set_ier(uint8_t set, uint8_t clear)
{
	unsigned long flags = spin_lock_irqsave(&ier_lock);

	ier = (uint8_t)((ier | set) & ~clear);
	outb(COM1 + UART_IER, ier);
	spin_unlock_irqrestore(&ier_lock, flags);
}

/*
 * Drain everything the UART has: received bytes go to the console; a
 * transmitter-empty interrupt (only the self-test asks for one) is
 * switched off again. Reading IIR acknowledges it.
 */
static void serial_interrupt(unsigned int irq __unused)
{
	int c;

	while (!(inb(COM1 + UART_IIR) & IIR_NONE)) {
		/* A byte is read only when the console has room for it. */
		while (console_input_room() && (c = serial_getc()) >= 0)
			console_input(c);
		if (!console_input_room()) {
			serial_set_ier(0, IER_RX);
			/* The reader may have made room and resumed meanwhile. */
			if (console_input_room())
				serial_set_ier(IER_RX, 0);
			break;
		}
		if (ier & IER_THR_EMPTY)
			serial_set_ier(0, IER_THR_EMPTY);
	}
}

int serial_irq_init(void)
{
	int rc = irq_request(COM1_IRQ, "serial", serial_interrupt);

	if (rc)
		return rc;
	serial_set_ier(IER_RX, 0);
	return 0;
}

void serial_irq_selftest(void)
{
	serial_set_ier(IER_THR_EMPTY, 0);
}

/* The console has room again: the UART interrupts at once if it holds data. */
void serial_input_resume(void)
{
	serial_set_ier(IER_RX, 0);
}
