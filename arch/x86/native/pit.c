// SPDX-License-Identifier: MIT
/*
 * The PIT's channel 0 as the periodic tick of a machine without a local
 * APIC, whose own timer is the tick everywhere else. The tick only wakes
 * a halted CPU, as the LAPIC timer's does; its count shows in
 * /proc/interrupts.
 */
#include <stdint.h>
#include <native/apic.h>
#include <arch/io.h>
#include <native/irqchip.h>
#include <arch/pit.h>
#include <lib/compiler.h>

#define PIT_CHANNEL0 0x40
#define PIT_COMMAND 0x43
#define PIT_CH0_RATE_GENERATOR 0x34 /* channel 0, low then high, mode 2 */

static void pit_tick(unsigned int irq __unused)
{
}

int pit_timer_start(void)
{
	uint32_t divisor = (PIT_HZ + TIMER_HZ / 2) / TIMER_HZ;

	outb(PIT_COMMAND, PIT_CH0_RATE_GENERATOR);
	outb(PIT_CHANNEL0, divisor & 0xff);
	outb(PIT_CHANNEL0, divisor >> 8);
	return irq_request(PIT_IRQ, "timer", pit_tick);
}
