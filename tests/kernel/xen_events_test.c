// SPDX-License-Identifier: MIT
/*
 * Xen PV only: interrupt masking through the pv sites really masks
 * events. An event raised while the irq_disable site holds is not taken
 * until the irq_enable site, which takes it at once.
 */
#include <arch/cpu.h>
#include <kernel/cpu.h>
#include <kernel/irqflags.h>
#include <kernel/ktest.h>
#include <relink/platform.h>
#include <xenpv/events.h>

static bool under_xen(const char **reason)
{
	if (relink_platform_hypervisor() == RELINK_HV_XEN_PV)
		return true;
	*reason = "not a Xen PV guest";
	return false;
}

/* About ms milliseconds of the TSC. */
static void spin_ms(unsigned int ms)
{
	uint64_t end = rdtsc() + boot_cpu.tsc_khz * ms;

	while (rdtsc() < end)
		cpu_relax();
}

static void test_event_waits_for_enable(struct ktest *t)
{
	unsigned long flags = arch_local_irq_save();
	uint64_t before = xen_timer_events_taken();

	KTEST_EXPECT_EQ(t, xen_timer_fire_now(), 0);
	/* Xen's periodic timer (10 ms) fires in here too: still nothing. */
	spin_ms(30);
	KTEST_EXPECT_EQ(t, xen_timer_events_taken(), before);
	arch_irq_enable();
	KTEST_EXPECT_TRUE(t, xen_timer_events_taken() > before);
	arch_local_irq_restore(flags);
}

/*
 * pv.halt with events on blocks in Xen (SCHEDOP_block) until an event,
 * and leaves events on, as hlt leaves IF set. It arms the one-shot timer
 * itself: Xen stops a blocked vCPU's periodic timer, so a halt whose
 * event came just before it (the one armed here, 5 ms on, can fire before
 * the halt on a busy host) would otherwise block for good.
 */
static void test_halt_returns_on_event(struct ktest *t)
{
	unsigned long flags = arch_local_irq_save();
	uint64_t before;

	arch_irq_enable();
	before = xen_timer_events_taken();
	KTEST_EXPECT_EQ(t, xen_timer_fire_in(5000000), 0);
	halt();
	KTEST_EXPECT_TRUE(t, xen_timer_events_taken() > before);
	KTEST_EXPECT_TRUE(t, save_flags() & X86_EFLAGS_IF);
	arch_local_irq_restore(flags);
}

static const struct ktest_case xen_events_cases[] = {
	KTEST_CASE(test_event_waits_for_enable),
	KTEST_CASE(test_halt_returns_on_event),
	{}
};
KTEST_SUITE(xen_events, xen_events_cases, .available = under_xen);
