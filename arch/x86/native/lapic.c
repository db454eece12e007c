// SPDX-License-Identifier: MIT
/*
 * The local APIC of each CPU, in xAPIC mode (memory-mapped registers at
 * the same address on every CPU, each CPU seeing its own): enabling, the
 * per-CPU periodic timer (TIMER_HZ, calibrated once against the TSC), end
 * of interrupt, and sending IPIs, including INIT and STARTUP to start a
 * CPU from reset.
 */
#include <stdint.h>
#include <native/apic.h>
#include <arch/cpu.h>
#include <arch/paging.h>
#include <arch/trap.h>
#include <kernel/cpu.h>
#include <kernel/irqflags.h>
#include <kernel/printk.h>
#include <lib/errno.h>

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_ENABLE (1u << 11)

enum lapic_register {
	LAPIC_ID = 0x20,
	LAPIC_TPR = 0x80,
	LAPIC_EOI = 0xb0,
	LAPIC_SVR = 0xf0,
	LAPIC_ESR = 0x280,
	LAPIC_ICR_LOW = 0x300,
	LAPIC_ICR_HIGH = 0x310,
	LAPIC_LVT_TIMER = 0x320,
	LAPIC_LVT_LINT0 = 0x350,
	LAPIC_LVT_LINT1 = 0x360,
	LAPIC_LVT_ERROR = 0x370,
	LAPIC_TIMER_INITIAL = 0x380,
	LAPIC_TIMER_CURRENT = 0x390,
	LAPIC_TIMER_DIVIDE = 0x3e0,
};

#define SVR_ENABLE (1u << 8)
#define LVT_MASKED (1u << 16)
#define LVT_PERIODIC (1u << 17)
#define LVT_EXTINT (7u << 8)
#define LVT_NMI (4u << 8)
#define ICR_NMI (4u << 8)
#define ICR_INIT (5u << 8)
#define ICR_STARTUP (6u << 8)
#define ICR_PENDING (1u << 12)
#define ICR_ASSERT (1u << 14)
#define ICR_LEVEL (1u << 15)
#define TIMER_DIVIDE_16 0x3

static volatile uint32_t *lapic;
static uint32_t timer_count; /* initial count for one tick */

static uint32_t lapic_read(unsigned int reg)
{
	return lapic[reg / 4];
}

static void lapic_write(unsigned int reg, uint32_t v)
{
	lapic[reg / 4] = v;
}

void lapic_map(uint64_t phys)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
	lapic = paging_map_mmio(phys, PAGE_SIZE);
	if (!lapic)
		panic("lapic: cannot map 0x%llx: %d", (unsigned long long)phys,
		      -12);
}

uint32_t lapic_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

static void lapic_timer_start(void)
{
	lapic_write(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_16);
	lapic_write(LAPIC_LVT_TIMER, VECTOR_LAPIC_TIMER | LVT_PERIODIC);
	lapic_write(LAPIC_TIMER_INITIAL, timer_count);
}

void lapic_timer_stop(void)
{
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	lapic_write(LAPIC_TIMER_INITIAL, 0);
}

/* Count the timer down for 10 ms of TSC time, masked. */
void lapic_timer_calibrate(void)
{
	uint32_t elapsed;

	lapic_write(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	lapic_write(LAPIC_TIMER_INITIAL, 0xffffffff);
	udelay(10000);
	elapsed = 0xffffffff - lapic_read(LAPIC_TIMER_CURRENT);
	lapic_write(LAPIC_TIMER_INITIAL, 0);
	timer_count = elapsed * 100 / TIMER_HZ;
	if (!timer_count)
		panic("lapic: timer calibration failed: %d", -5);
	pr_info("lapic: timer %u kHz (divided by 16), %d Hz tick\n",
		elapsed / 10, TIMER_HZ);
}

/*
 * LINT0 carries the 8259's output (virtual wire) when the PIC handles
 * device interrupts; only the boot CPU takes it. LINT1 is the external NMI
 * line (QEMU's "nmi" monitor command, a watchdog), delivered as an NMI on
 * every CPU, as Linux does: masked, those NMIs were silently lost.
 */
void lapic_init_cpu(bool extint_on_lint0)
{
	lapic_write(LAPIC_SVR, SVR_ENABLE | VECTOR_SPURIOUS);
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_LVT_LINT0, extint_on_lint0 ? LVT_EXTINT : LVT_MASKED);
	lapic_write(LAPIC_LVT_LINT1, LVT_NMI);
	lapic_write(LAPIC_LVT_ERROR, VECTOR_LAPIC_ERROR);
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_ESR, 0);
	lapic_eoi();
	lapic_timer_start();
}

static void icr_wait(void)
{
	while (lapic_read(LAPIC_ICR_LOW) & ICR_PENDING)
		cpu_relax();
}

/* The two ICR writes must not be split by an interrupt that sends too. */
static void icr_send(uint32_t apic_id, uint32_t low)
{
	unsigned long flags = arch_local_irq_save();

	icr_wait();
	lapic_write(LAPIC_ICR_HIGH, apic_id << 24);
	lapic_write(LAPIC_ICR_LOW, low);
	icr_wait();
	arch_local_irq_restore(flags);
}

void lapic_send_ipi(uint32_t apic_id, unsigned int vector)
{
	icr_send(apic_id, ICR_ASSERT | vector);
}

void lapic_send_nmi(uint32_t apic_id)
{
	icr_send(apic_id, ICR_ASSERT | ICR_NMI);
}

/*
 * The universal start-up algorithm: INIT (assert, then the de-assert old
 * CPUs want), then STARTUP twice; a CPU already running ignores the second.
 * QEMU needs none of the historic 10 ms wait after INIT; 200 us between
 * the STARTUPs is kept.
 */
int lapic_send_init_sipi(uint32_t apic_id, unsigned int page)
{
	if (page > 0xff)
		return -EINVAL;
	icr_send(apic_id, ICR_INIT | ICR_LEVEL | ICR_ASSERT);
	icr_send(apic_id, ICR_INIT | ICR_LEVEL);
	udelay(100);
	for (int i = 0; i < 2; i++) {
		icr_send(apic_id, ICR_STARTUP | page);
		udelay(200);
	}
	return 0;
}

static void lapic_timer_interrupt(struct trap_frame *f __unused)
{
	lapic_eoi();
}

/* No EOI for the spurious vector: it was never in service. */
static void lapic_spurious_interrupt(struct trap_frame *f __unused)
{
}

static void lapic_error_interrupt(struct trap_frame *f __unused)
{
	uint32_t esr;

	lapic_write(LAPIC_ESR, 0);
	esr = lapic_read(LAPIC_ESR);
	lapic_eoi();
	pr_warn("lapic: error interrupt, ESR 0x%x\n", esr);
}

int lapic_register_vectors(void)
{
	int rc = irq_register(VECTOR_LAPIC_TIMER, "timer",
			      lapic_timer_interrupt);

	rc = rc ? rc :
		  irq_register(VECTOR_SPURIOUS, "spurious",
			       lapic_spurious_interrupt);
	return rc ? rc :
		    irq_register(VECTOR_LAPIC_ERROR, "lapic error",
				 lapic_error_interrupt);
}
