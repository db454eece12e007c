// SPDX-License-Identifier: MIT
/*
 * Event channels under Xen PV: the event and failsafe callbacks, and the
 * ports each vCPU takes. VIRQ_TIMER (Xen's periodic timer, and the idle's
 * one-shot wake-up) is bound once per vCPU, VIRQ_CONSOLE (bytes on the
 * hypervisor console: the shell's input) to vCPU 0; with more than one
 * vCPU each also has three IPI ports (EVTCHNOP_bind_ipi): "call" and
 * "wake" (enum ipi_kind) and "kick", the rendezvous wake-up, which stays
 * masked and is only ever polled (see xen_rendezvous_wait). Events are
 * masked and unmasked through each vCPU's vcpu_info (irqflags.c); the
 * upcall runs with them masked and HYPERVISOR_iret restores the mask it
 * interrupted.
 *
 * The pending bits are words of the domain's, which Xen sets from any
 * physical CPU: a vCPU may take only whole words, by xchg (the one read-
 * modify-write that is locked whatever smp.lock chose), so no word may
 * hold ports of two takers. Ports are numbered by Xen, lowest free first:
 * vCPU n's timer, call and wake ports are put in word 2n (with unbound
 * ports as padding before them), its kick port alone in word 2n + 1;
 * the ports of physical IRQs (device interrupts, irqchip.c), which Xen
 * sends to vCPU 0, in a word after all of those. The binding checks that
 * each port landed in its word.
 */
#include <arch/layout.h>
#include <arch/cpu.h>
#include <arch/trap.h>
#include <kernel/atomic.h>
#include <kernel/console.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <lib/errno.h>
#include <xenpv/events.h>
#include <xenpv/hypercall.h>
#include <xenpv/xenpv.h>

/* A wake-up at the latest this long after the idle begins. */
#define XEN_IDLE_TIMEOUT_NS 10000000ull

#define EVENT_WORD_BITS (sizeof(xen_ulong_t) * 8)
#define EVENT_WORDS                                          \
	(sizeof(((struct shared_info *)0)->evtchn_pending) / \
	 sizeof(xen_ulong_t))

extern const char xen_event_entry[], xen_failsafe_entry[];

/* The ports of one vCPU; written by the boot CPU before the vCPU starts. */
struct xen_cpu_ports {
	evtchn_port_t timer, call, wake, kick;
};

static struct xen_cpu_ports cpu_ports[NR_CPUS];
static evtchn_port_t console_port, last_port;
/* VIRQ_TIMER events each vCPU took; the console's (vCPU 0). */
static uint64_t timer_events[NR_CPUS], console_events;

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

/*
 * A new port of vCPU cpu's, which must have landed in word word: its
 * upcall takes it (unmasked), or only polls it (masked). Boot CPU, before
 * any other vCPU runs: no other writer of the mask words.
 */
static evtchn_port_t port_own(evtchn_port_t port, unsigned int word,
			      bool masked)
{
	if (port / EVENT_WORD_BITS != word)
		panic("xen: event channel port %u is not in word %u: the "
		      "ports were not numbered in order",
		      port, word);
	if (port > last_port)
		last_port = port;
	if (masked)
		set_bit(port, xen_shared_info()->evtchn_mask);
	else
		clear_bit(port, xen_shared_info()->evtchn_mask);
	return port;
}

static evtchn_port_t virq_bind(uint32_t virq, unsigned int cpu)
{
	struct evtchn_bind_virq bind = { .virq = virq, .vcpu = cpu };
	long rc = xen_hypercall2(__HYPERVISOR_event_channel_op,
				 EVTCHNOP_bind_virq, &bind);

	if (rc)
		panic("xen: EVTCHNOP_bind_virq %u on vCPU %u: %ld", virq, cpu,
		      rc);
	return port_own(bind.port, 2 * cpu, false);
}

static evtchn_port_t ipi_bind(unsigned int cpu, bool masked)
{
	struct evtchn_bind_ipi bind = { .vcpu = cpu };
	long rc = xen_hypercall2(__HYPERVISOR_event_channel_op,
				 EVTCHNOP_bind_ipi, &bind);

	if (rc)
		panic("xen: EVTCHNOP_bind_ipi on vCPU %u: %ld", cpu, rc);
	return port_own(bind.port, 2 * cpu + masked, masked);
}

/* Unbound ports (never pending) until the next port Xen gives is word's. */
static void ports_skip_to_word(unsigned int word)
{
	while (last_port + 1 < word * EVENT_WORD_BITS) {
		struct evtchn_alloc_unbound alloc = {
			.dom = DOMID_SELF,
			.remote_dom = DOMID_SELF,
		};
		long rc = xen_hypercall2(__HYPERVISOR_event_channel_op,
					 EVTCHNOP_alloc_unbound, &alloc);

		if (rc)
			panic("xen: EVTCHNOP_alloc_unbound: %ld", rc);
		last_port = alloc.port;
	}
}

/*
 * A physical IRQ's port (irqchip.c), masked: Xen sends its events to
 * vCPU 0, so it goes in a word after every vCPU's own, which only vCPU 0
 * takes; later ones join that word. After xen_smp_init(): the vCPUs'
 * words are all taken by then.
 */
static unsigned int pirq_word;

long xen_pirq_bind(uint32_t pirq, evtchn_port_t *port)
{
	struct evtchn_bind_pirq bind = { .pirq = pirq };
	long rc;

	if (!pirq_word) {
		unsigned int word = last_port / EVENT_WORD_BITS + 1;

		if (word >= EVENT_WORDS)
			return -ENOSPC;
		ports_skip_to_word(word);
		pirq_word = word;
	}
	rc = xen_hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_pirq,
			    &bind);
	if (!rc)
		*port = port_own(bind.port, pirq_word, true);
	return rc;
}

void xen_events_init(void)
{
	callback_register(CALLBACKTYPE_event, xen_event_entry);
	callback_register(CALLBACKTYPE_failsafe, xen_failsafe_entry);
	cpu_ports[0].timer = virq_bind(VIRQ_TIMER, 0);
	console_port = virq_bind(VIRQ_CONSOLE, 0);
	pr_info("xen: events: VIRQ_TIMER on port %u, VIRQ_CONSOLE on port "
		"%u\n",
		cpu_ports[0].timer, console_port);
}

/*
 * Boot CPU, once per vCPU in order, before any vCPU but the boot one
 * starts: the ports stay bound across hot-plug (a parked vCPU's events
 * wait for it).
 */
void xen_events_init_cpu(unsigned int cpu)
{
	struct xen_cpu_ports *p = &cpu_ports[cpu];

	if (2 * (cpu + 1) > EVENT_WORDS)
		panic("xen: no event channel words left for vCPU %u", cpu);
	if (cpu) {
		ports_skip_to_word(2 * cpu);
		p->timer = virq_bind(VIRQ_TIMER, cpu);
	}
	p->call = ipi_bind(cpu, false);
	p->wake = ipi_bind(cpu, false);
	ports_skip_to_word(2 * cpu + 1);
	p->kick = ipi_bind(cpu, true);
}

/* Console bytes to the console while it has room (else it resumes us). */
void xen_console_drain(void)
{
	int c;

	while (console_input_room() && (c = xen_console_getc()) >= 0)
		console_input(c);
}

static bool port_in(xen_ulong_t bits, unsigned int word, evtchn_port_t port)
{
	return port && port / EVENT_WORD_BITS == word &&
	       (bits >> (port % EVENT_WORD_BITS)) & 1;
}

/*
 * The event callback's C half, events masked (Xen masked them): take this
 * vCPU's pending words whole, by xchg (Xen sets bits in them from other
 * CPUs at any time). Xen selects only the words of this vCPU's unmasked
 * ports; a word is taken before its handlers run, so an event sent
 * meanwhile comes again.
 */
void xen_event_dispatch(struct trap_frame *f);

void xen_event_dispatch(struct trap_frame *f)
{
	struct shared_info *s = xen_shared_info();
	struct vcpu_info *v = xen_this_vcpu();
	unsigned int cpu = smp_processor_id();
	const struct xen_cpu_ports *p = &cpu_ports[cpu];
	uint64_t *irq_count = this_cpu()->arch.irq_count;
	xen_ulong_t selector;

	v->evtchn_upcall_pending = 0;
	selector = __atomic_exchange_n(&v->evtchn_pending_sel, 0,
				       __ATOMIC_SEQ_CST);
	while (selector) {
		unsigned int word = (unsigned int)__builtin_ctzl(selector);
		xen_ulong_t bits = __atomic_exchange_n(&s->evtchn_pending[word],
						       0, __ATOMIC_SEQ_CST);

		selector &= selector - 1;
		if (port_in(bits, word, p->timer))
			timer_events[cpu]++;
		/* A wake port only ends an idle: taking it is all. */
		if (port_in(bits, word, p->wake))
			irq_count[VECTOR_WAKE_IPI]++;
		if (port_in(bits, word, p->call)) {
			irq_count[VECTOR_CALL_IPI]++;
			smp_call_interrupt(f->rip);
		}
		if (port_in(bits, word, console_port)) {
			console_events++;
			xen_console_drain();
		}
		if (word == pirq_word && pirq_word)
			xen_pirq_dispatch(word, bits, f);
	}
}

/* Make vCPU cpu's upcall run kind's handler. */
void xen_send_ipi(unsigned int cpu, enum ipi_kind kind)
{
	struct evtchn_send send = {
		.port = kind == IPI_CALL ? cpu_ports[cpu].call :
					   cpu_ports[cpu].wake,
	};
	long rc = xen_hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_send,
				 &send);

	if (rc)
		panic("xen: EVTCHNOP_send to vCPU %u: %ld", cpu, rc);
}

/*
 * The rendezvous wait without an NMI: this vCPU's kick port is masked, so
 * it never runs the upcall, and SCHEDOP_poll blocks on it with events
 * still masked until it is pending (Xen wakes a poller whatever the mask).
 * A kick sent before the poll leaves the port pending: the poll returns at
 * once, so no kick is lost. The port is taken after the poll; a kick that
 * comes between the poll and that is taken with it, which is no loss: the
 * caller re-checks its condition after every wait.
 */
void xen_rendezvous_wait(void)
{
	evtchn_port_t port = cpu_ports[smp_processor_id()].kick;
	struct sched_poll poll = { .nr_ports = 1, .timeout = 0 };
	long rc;

	set_xen_guest_handle(poll.ports, &port);
	rc = xen_hypercall2(__HYPERVISOR_sched_op, SCHEDOP_poll, &poll);
	if (rc)
		panic("xen: SCHEDOP_poll: %ld", rc);
	/* The kick port is alone in its word. */
	__atomic_exchange_n(
		&xen_shared_info()->evtchn_pending[port / EVENT_WORD_BITS], 0,
		__ATOMIC_SEQ_CST);
}

void xen_rendezvous_kick(unsigned int cpu)
{
	struct evtchn_send send = { .port = cpu_ports[cpu].kick };
	long rc = xen_hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_send,
				 &send);

	if (rc)
		panic("xen: EVTCHNOP_send (kick) to vCPU %u: %ld", cpu, rc);
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
	const struct vcpu_time_info *t = &xen_this_vcpu()->time;
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
	xen_block();
	xen_this_vcpu()->evtchn_upcall_mask = 1;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

/*
 * SCHEDOP_block with the one-shot timer armed first: Xen stops a blocked
 * vCPU's periodic timer, so without it a block whose event came just
 * before (taken by the upcall) would wait for good, where a halted CPU
 * natively wakes on the next tick.
 */
void xen_block(void)
{
	long rc = xen_hypercall1(__HYPERVISOR_set_timer_op,
				 system_time_ns() + XEN_IDLE_TIMEOUT_NS);

	if (rc)
		panic("xen: set_timer_op: %ld", rc);
	rc = xen_hypercall2(__HYPERVISOR_sched_op, SCHEDOP_block, 0);
	if (rc)
		panic("xen: SCHEDOP_block: %ld", rc);
}

uint64_t xen_timer_events_taken(void)
{
	return __atomic_load_n(&timer_events[smp_processor_id()],
			       __ATOMIC_RELAXED);
}

long xen_timer_fire_now(void)
{
	return xen_hypercall1(__HYPERVISOR_set_timer_op, system_time_ns());
}

long xen_timer_fire_in(uint64_t ns)
{
	return xen_hypercall1(__HYPERVISOR_set_timer_op, system_time_ns() + ns);
}
