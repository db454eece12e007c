// SPDX-License-Identifier: MIT
/*
 * Event channels under Xen PV: the event and failsafe callbacks, and the
 * two virtual interrupts the kernel takes, VIRQ_TIMER (Xen's periodic
 * timer, and the idle's one-shot wake-up) and VIRQ_CONSOLE (bytes on
 * the hypervisor console: the shell's input). Events are masked and
 * unmasked through vcpu_info (irqflags.c); the upcall runs with them
 * masked and HYPERVISOR_iret restores the mask it interrupted.
 */
#include <arch/layout.h>
#include <arch/cpu.h>
#include <kernel/atomic.h>
#include <kernel/console.h>
#include <kernel/printk.h>
#include <xenpv/events.h>
#include <xenpv/hypercall.h>
#include <xenpv/xenpv.h>

/* A wake-up at the latest this long after the idle begins. */
#define XEN_IDLE_TIMEOUT_NS 10000000ull

extern const char xen_event_entry[], xen_failsafe_entry[];

static evtchn_port_t timer_port, console_port;
static uint64_t timer_events, console_events;

static struct vcpu_info *this_vcpu(void)
{
	return &xen_shared_info()->vcpu_info[0];
}

static void callback_register(uint16_t type, const void *entry)
{
	struct callback_register cb = {
		.type = type,
		.address = (unsigned long)entry,
	};
	long rc = xen_hypercall2(__HYPERVISOR_callback_op, CALLBACKOP_register,
				 &cb);

	if (rc)
		panic("xen: callback_op register type %u: %ld", type, rc);
}

static evtchn_port_t virq_bind(uint32_t virq)
{
	struct evtchn_bind_virq bind = { .virq = virq, .vcpu = 0 };
	long rc = xen_hypercall2(__HYPERVISOR_event_channel_op,
				 EVTCHNOP_bind_virq, &bind);

	if (rc)
		panic("xen: EVTCHNOP_bind_virq %u: %ld", virq, rc);
	/* Only the guest writes the mask: no race with Xen here. */
	clear_bit(bind.port, xen_shared_info()->evtchn_mask);
	return bind.port;
}

void xen_events_init(void)
{
	callback_register(CALLBACKTYPE_event, xen_event_entry);
	callback_register(CALLBACKTYPE_failsafe, xen_failsafe_entry);
	timer_port = virq_bind(VIRQ_TIMER);
	console_port = virq_bind(VIRQ_CONSOLE);
	pr_info("xen: events: VIRQ_TIMER on port %u, VIRQ_CONSOLE on port "
		"%u\n",
		timer_port, console_port);
}

/* Console bytes to the console while it has room (else it resumes us). */
void xen_console_drain(void)
{
	int c;

	while (console_input_room() && (c = xen_console_getc()) >= 0)
		console_input(c);
}

static bool port_pending(xen_ulong_t pending, unsigned int word,
			 evtchn_port_t port)
{
	unsigned int bits = sizeof(xen_ulong_t) * 8;

	return port / bits == word && (pending >> (port % bits)) & 1;
}

/*
 * The event callback's C half, events masked (Xen masked them): take the
 * two-level pending bits. Xen sets them from other CPUs at any time, so
 * each word is taken whole by xchg (a locked exchange whatever smp.lock
 * chose); every bound port is unmasked and needs nothing more than its
 * wake-up, so taking a whole word loses nothing.
 */
void xen_event_dispatch(void);

void xen_event_dispatch(void)
{
	struct shared_info *s = xen_shared_info();
	struct vcpu_info *v = this_vcpu();
	xen_ulong_t selector;

	v->evtchn_upcall_pending = 0;
	selector = __atomic_exchange_n(&v->evtchn_pending_sel, 0,
				       __ATOMIC_SEQ_CST);
	while (selector) {
		unsigned int word = (unsigned int)__builtin_ctzl(selector);
		xen_ulong_t pending = __atomic_exchange_n(
			&s->evtchn_pending[word], 0, __ATOMIC_SEQ_CST);

		selector &= selector - 1;
		if (port_pending(pending, word, timer_port))
			timer_events++;
		if (port_pending(pending, word, console_port)) {
			console_events++;
			xen_console_drain();
		}
	}
}

void __noreturn xen_failsafe(void);

void xen_failsafe(void)
{
	panic("xen: failsafe callback: a segment could not be restored on "
	      "return: %d",
	      -14);
}

/* Xen's system time in ns, from the vCPU's time info (version-checked). */
static uint64_t system_time_ns(void)
{
	const struct vcpu_time_info *t = &this_vcpu()->time;
	uint32_t version;
	uint64_t ns, delta;

	do {
		version = __atomic_load_n(&t->version, __ATOMIC_ACQUIRE);
		delta = rdtsc() - t->tsc_timestamp;
		if (t->tsc_shift < 0)
			delta >>= -t->tsc_shift;
		else
			delta <<= t->tsc_shift;
		ns = t->system_time + (uint64_t)(((unsigned __int128)delta *
						  t->tsc_to_system_mul) >>
						 32);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while ((version & 1) || version != t->version);
	return ns;
}

/*
 * pv.safe_halt under Xen: block until an event, the timer at the latest.
 * SCHEDOP_block unmasks events itself, so none pending is lost; the
 * upcall runs on the way back, and events are masked again here.
 */
void xen_safe_halt(void)
{
	long rc = xen_hypercall1(__HYPERVISOR_set_timer_op,
				 system_time_ns() + XEN_IDLE_TIMEOUT_NS);

	if (rc)
		panic("xen: set_timer_op: %ld", rc);
	rc = xen_hypercall2(__HYPERVISOR_sched_op, SCHEDOP_block, 0);
	this_vcpu()->evtchn_upcall_mask = 1;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	if (rc)
		panic("xen: SCHEDOP_block: %ld", rc);
}

uint64_t xen_timer_events_taken(void)
{
	return __atomic_load_n(&timer_events, __ATOMIC_RELAXED);
}

long xen_timer_fire_now(void)
{
	return xen_hypercall1(__HYPERVISOR_set_timer_op, system_time_ns());
}

long xen_timer_fire_in(uint64_t ns)
{
	return xen_hypercall1(__HYPERVISOR_set_timer_op, system_time_ns() + ns);
}
