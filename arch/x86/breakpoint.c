// SPDX-License-Identifier: MIT
/*
 * The #BP handler's half of the engine's INT3 write method
 * (kernel/patching/int3.c). While the engine rewrites sites with an int3
 * on their first byte, a CPU that runs into one lands here and is sent on
 * as if the site already held its new code, which is one instruction:
 * "call rel32" (emulated: the return address, the site's end, is pushed
 * on the interrupted stack and the frame returns to the target), "jmp
 * rel32" or "jmp rel8" (the frame returns to the target) or a NOP (the
 * frame returns to the site's end).
 *
 * This runs with interrupts off, on any CPU, the writing one included,
 * possibly inside an interrupt handler, and while sites are half-written:
 * so it takes no lock, calls nothing and holds no site (a site here could
 * be the one under int3, and trap again, forever). The entry stub of
 * vector 3 leaves a gap below the interrupted stack for the pushed return
 * address (entry.S).
 */
#include <stdint.h>
#include <arch/breakpoint.h>
#include <arch/cpu.h>
#include <kernel/percpu.h>

/* Published by breakpoint_install(); read with no lock by the handler. */
static const struct relink_breakpoint *breakpoint_table;
static unsigned int breakpoint_count;
/*
 * Each CPU writes its own byte (xchg, a full barrier with no lock
 * prefix: the handler holds no site, the atomic helpers' lock prefixes
 * are sites).
 */
uint8_t breakpoint_inside[NR_CPUS];

static bool any_cpu_inside(void)
{
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		if (__atomic_load_n(&breakpoint_inside[cpu], __ATOMIC_ACQUIRE))
			return true;
	return false;
}

void breakpoint_install(const struct relink_breakpoint *bp, unsigned int n)
{
	/* The table before its count, so a reader never sees a stale one. */
	if (n) {
		__atomic_store_n(&breakpoint_table, bp, __ATOMIC_RELEASE);
		__atomic_store_n(&breakpoint_count, n, __ATOMIC_RELEASE);
		return;
	}
	__atomic_store_n(&breakpoint_count, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&breakpoint_table, NULL, __ATOMIC_SEQ_CST);
	/*
	 * The caller fills the same array for its next switch. A CPU can
	 * still be reading it: one that ran an int3 after the last sync,
	 * from a translation an emulator kept, and read the count before it
	 * went. It leaves soon (interrupts off, no lock, no call); wait.
	 */
	while (any_cpu_inside())
		cpu_relax();
}

static int32_t rel32_at(const uint8_t *p)
{
	return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 |
			 (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
}

/* The NOPs relink_fill_nops() writes, up to 5 bytes: 90, 66 90, 0f 1f. */
static bool is_nop(const uint8_t *b)
{
	return b[0] == 0x90 || (b[0] == 0x66 && b[1] == 0x90) ||
	       (b[0] == 0x0f && b[1] == 0x1f);
}

static bool emulate(struct trap_frame *f, const struct relink_breakpoint *bp)
{
	uint64_t end = bp->address + bp->length;
	const uint8_t *b = bp->bytes;

	if (b[0] == 0xe8 && bp->length == 5) {
		/* The gap entry.S left makes room for the return address. */
		f->rsp -= 8;
		*(volatile uint64_t *)f->rsp = end;
		f->rip = end + (uint64_t)(int64_t)rel32_at(b + 1);
	} else if (b[0] == 0xe9 && bp->length == 5) {
		f->rip = end + (uint64_t)(int64_t)rel32_at(b + 1);
	} else if (b[0] == 0xeb && bp->length >= 2) {
		f->rip = bp->address + 2 + (uint64_t)(int64_t)(int8_t)b[1];
	} else if (is_nop(b)) {
		f->rip = end;
	} else {
		return false;
	}
	return true;
}

/*
 * The byte at the int3 is read first, then the table: a switch installs
 * its table before it writes an int3, and cannot take the table away
 * until this CPU, here with interrupts off, has taken its sync. So an
 * int3 in memory now is one whose table the loads below see; read the
 * other way round, a CPU running an int3 that is gone (an emulator can
 * run one from a stale translation) could find no table, then the next
 * switch's int3 at the same site, and take it for a foreign one (seen
 * once under TCG: a fatal #BP at the idle site). A table entry still
 * wins over memory: a CPU that runs a stale int3 with interrupts off
 * must leave it through the new code, or it traps again and again and
 * never takes the sync that ends the switch.
 */
static bool redirect(struct trap_frame *f)
{
	uint64_t at = f->rip - 1; /* int3 is one byte; rip is past it */
	uint8_t byte = __atomic_load_n((const uint8_t *)(uintptr_t)at,
				       __ATOMIC_ACQUIRE);
	unsigned int n = __atomic_load_n(&breakpoint_count, __ATOMIC_ACQUIRE);
	const struct relink_breakpoint *bp =
		__atomic_load_n(&breakpoint_table, __ATOMIC_ACQUIRE);

	for (unsigned int i = 0; bp && i < n; i++)
		if (bp[i].address == at)
			return emulate(f, &bp[i]);
	/*
	 * The int3 is gone: the writer finished between this CPU fetching
	 * it and looking here (as Linux's kprobes). Run what is there now.
	 */
	if (byte != RELINK_BREAKPOINT_OPCODE) {
		f->rip = at;
		return true;
	}
	return false;
}

/* Marked in breakpoint_inside, which breakpoint_install() waits out. */
bool breakpoint_redirect(struct trap_frame *f)
{
	uint8_t *inside = &breakpoint_inside[smp_processor_id()];
	bool done;

	__atomic_exchange_n(inside, 1, __ATOMIC_SEQ_CST);
	done = redirect(f);
	__atomic_store_n(inside, 0, __ATOMIC_RELEASE);
	return done;
}
