// SPDX-License-Identifier: MIT
/*
 * Writing kernel text. Text is mapped read-only everywhere (W^X, and the
 * direct map of the image is read-only too), so a write goes through a
 * temporary writable alias: the text-poke window of paging.c maps the
 * target's physical page, the bytes are copied, the window is unmapped,
 * and the text is read back through its own mapping. A write may straddle
 * one page boundary (a site is at most 255 bytes), hence two slots.
 *
 * text_poke_early() is for boot, one CPU, interrupts off; text_poke() for
 * run time, called with the machine stopped (stop_machine), so no CPU
 * executes the bytes while they change. The caller serializes once after
 * its last write (the engine does; stop_machine serializes every CPU): a
 * serializing instruction per site would cost a VM exit each under KVM.
 */
#include <stdint.h>
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/paging.h>
#include <arch/text_poke.h>
#include <kernel/spinlock.h>
#include <lib/errno.h>
#include <lib/string.h>

extern char __text_start[], __text_end[];

static DEFINE_SPINLOCK(text_poke_lock);

static bool text_range_ok(uint64_t addr, size_t len)
{
	return len && len <= PAGE_SIZE && addr >= (uint64_t)__text_start &&
	       addr + len <= (uint64_t)__text_end;
}

/* Copy through the window, one page at a time (two at most). */
static void poke_through_alias(uint64_t addr, const uint8_t *bytes, size_t len)
{
	unsigned int slot = 0;

	while (len) {
		size_t in_page = PAGE_SIZE - (addr & (PAGE_SIZE - 1));
		size_t n = len < in_page ? len : in_page;
		uint8_t *alias = paging_poke_map(
			slot,
			virt_to_phys(
				(void *)(addr & ~(uint64_t)(PAGE_SIZE - 1))));

		memcpy(alias + (addr & (PAGE_SIZE - 1)), bytes, n);
		paging_poke_unmap(slot);
		addr += n;
		bytes += n;
		len -= n;
		slot++;
	}
}

static int __text_poke(void *addr, const void *bytes, size_t len)
{
	if (!text_range_ok((uint64_t)addr, len))
		return -EFAULT;
	poke_through_alias((uint64_t)addr, bytes, len);
	/* Every write to text is read back through the text mapping. */
	return memcmp(addr, bytes, len) ? -EIO : 0;
}

int text_poke_early(void *addr, const void *bytes, size_t len)
{
	return __text_poke(addr, bytes, len);
}

int text_poke(void *addr, const void *bytes, size_t len)
{
	unsigned long flags = spin_lock_irqsave(&text_poke_lock);
	int rc = __text_poke(addr, bytes, len);

	spin_unlock_irqrestore(&text_poke_lock, flags);
	return rc;
}
