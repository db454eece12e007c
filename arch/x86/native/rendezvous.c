// SPDX-License-Identifier: MIT
/*
 * Waiting with interrupts off, woken by an NMI: how stop_machine's
 * participants wait for the next state without burning a CPU. A waiting
 * CPU halts with IF clear, which only an NMI (or INIT) ends; whoever moves
 * the rendezvous on sends every other participant an NMI ("kick").
 *
 * The wake-up cannot be lost: the NMI handler sets this CPU's kicked flag,
 * and native_rendezvous_wait() checks that flag and halts in one sequence of
 * instructions that the NMI handler restarts past the hlt when it lands in
 * it. So an NMI before the check is seen by the check, and one between the
 * check and the hlt (or during the hlt) resumes after the hlt.
 */
#include <arch/trap.h>
#include <kernel/percpu.h>
#include <kernel/platform.h>
#include <native/native.h>

extern const char rendezvous_wait_check[], rendezvous_wait_halt[];
extern const char rendezvous_wait_done[];

/* noinline, noclone: the labels inside must exist exactly once. */
__attribute__((noinline, noclone)) void native_rendezvous_wait(void)
{
	volatile uint8_t *kicked = &this_cpu()->arch.kicked;

	asm volatile(".globl rendezvous_wait_check\n"
		     "rendezvous_wait_check:\n\t"
		     "cmpb $0, %0\n\t"
		     "jne rendezvous_wait_done\n"
		     ".globl rendezvous_wait_halt\n"
		     "rendezvous_wait_halt:\n\t"
		     "hlt\n"
		     ".globl rendezvous_wait_done\n"
		     "rendezvous_wait_done:\n\t"
		     "movb $0, %0"
		     : "+m"(*kicked)
		     :
		     : "memory", "cc");
}

/*
 * The NMI handler: an NMI is a rendezvous kick, or one sent from outside
 * (QEMU's monitor), counted either way. It may run while a site is being
 * rewritten, so it lives in .text.nmi with the NMI entry and calls nothing
 * (relocgen --check-isolated .text.nmi: no site, no call out).
 */
__attribute__((section(".text.nmi"))) void nmi_interrupt(struct trap_frame *f)
{
	struct percpu *p = this_cpu();

	p->arch.irq_count[VECTOR_NMI]++;
	p->arch.kicked = 1;
	if (f->rip >= (uint64_t)rendezvous_wait_check &&
	    f->rip <= (uint64_t)rendezvous_wait_halt)
		f->rip = (uint64_t)rendezvous_wait_done;
}
