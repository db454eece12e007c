// SPDX-License-Identifier: MIT
/*
 * Writing kernel text. Text is mapped read-only everywhere (W^X, and the
 * direct map of the image is read-only too), so a write goes through a
 * temporary writable alias: the text-poke window of paging.c, which holds
 * one slot per page of text (slot = page's offset in text), never
 * executable and mapped only while a batch is open. The caller reads
 * every write back through the text's own mapping (the engine does, once
 * per write: kernel/patching/apply.c). A loaded module's text (its
 * executable pages in the module area) goes through the window's last
 * TEXT_POKE_MODULE_SLOTS slots, given out per batch by frame.
 *
 * A batch (text_poke_begin() ... text_poke_end()) maps each page of text
 * the first time a write needs it and keeps it until the end, which
 * unmaps them all and flushes this CPU's TLB once: a plan of a hundred
 * sites on twenty pages costs twenty page-table writes and one flush
 * instead of two invlpg per site. Only the CPU that opened the batch
 * writes through the window, so only its TLB can hold the alias.
 *
 * A batch is opened at boot (one CPU, interrupts off) or with the machine
 * stopped (stop_machine) or its sites behind int3 (the INT3 protocol), so
 * no CPU executes the bytes while they change; text_poke() is one write
 * in a batch of its own. The caller serializes once after its last write
 * (the engine does; stop_machine serializes every CPU): a serializing
 * instruction per site would cost a VM exit each under KVM.
 */
#include <stdint.h>
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/paging.h>
#include <arch/text_poke.h>
#include <kernel/spinlock.h>
#include <lib/errno.h>

extern char __text_start[], __text_end[];

/* Taken by text_poke_begin(), dropped by text_poke_end(). */
static DEFINE_SPINLOCK(text_poke_lock);
static unsigned long batch_irq_flags;
static bool batch_open;
/* The slots this batch mapped, for text_poke_end() to clear. */
static uint16_t batch_slots[TEXT_POKE_SLOTS];
static unsigned int batch_mapped;
static bool slot_mapped[TEXT_POKE_SLOTS];

static bool kernel_text(uint64_t addr, size_t len)
{
	return addr >= (uint64_t)__text_start &&
	       addr + len <= (uint64_t)__text_end;
}

/* Kernel text, or executable pages of a module (at most two pages). */
static bool text_range_ok(uint64_t addr, size_t len)
{
	if (!len || len > PAGE_SIZE)
		return false;
	if (kernel_text(addr, len))
		return true;
	return paging_module_text(addr) && paging_module_text(addr + len - 1);
}

/* The frames of module text this batch aliases, by module slot. */
static uint64_t module_slot_frame[TEXT_POKE_MODULE_SLOTS];
static unsigned int module_slots_used;
#define MODULE_SLOT_FIRST (TEXT_POKE_SLOTS - TEXT_POKE_MODULE_SLOTS)

/* The alias of the module text page at va; NULL when the slots ran out. */
static uint8_t *module_alias(uint64_t va)
{
	uint64_t frame = paging_module_text(va);
	unsigned int k;

	for (k = 0; k < module_slots_used; k++)
		if (module_slot_frame[k] == frame)
			break;
	if (k == module_slots_used) {
		if (k == TEXT_POKE_MODULE_SLOTS)
			return NULL;
		paging_poke_map(MODULE_SLOT_FIRST + k, frame);
		module_slot_frame[k] = frame;
		batch_slots[batch_mapped++] = (uint16_t)(MODULE_SLOT_FIRST + k);
		module_slots_used++;
	}
	return (uint8_t *)(TEXT_POKE_BASE +
			   (uint64_t)(MODULE_SLOT_FIRST + k) * PAGE_SIZE);
}

/* The alias of the text page at offset page_off, mapped on first use. */
static uint8_t *batch_alias(uint64_t page_off)
{
	unsigned int slot = (unsigned int)(page_off >> PAGE_SHIFT);
	uint8_t *alias = (uint8_t *)(TEXT_POKE_BASE + page_off);

	if (!slot_mapped[slot]) {
		paging_poke_map(slot, virt_to_phys(__text_start + page_off));
		slot_mapped[slot] = true;
		batch_slots[batch_mapped++] = (uint16_t)slot;
	}
	return alias;
}

/*
 * Copy n bytes into one page of the window with as few stores as fit:
 * each aligned quadword that holds some of them is read, merged and
 * stored whole (an aligned quadword never straddles a page). Bytes
 * beside the site are stored with the values they hold, so a CPU that
 * runs them meanwhile (the INT3 protocol) sees no change; and every
 * store to a page of translated code costs an emulator (TCG) a lookup of
 * the code it invalidates: a five-byte site costs one or two of those
 * instead of five.
 */
static void store_merged(uint8_t *dst, const uint8_t *bytes, size_t n)
{
	while (n) {
		uint64_t *word = (uint64_t *)((uintptr_t)dst & ~(uintptr_t)7);
		size_t at = (uintptr_t)dst & 7;
		size_t k = n < 8 - at ? n : 8 - at;
		uint64_t value = READ_ONCE(*word);

		/* Byte by byte: no call to memcpy, a site of mem.copy. */
		for (size_t i = 0; i < k; i++) {
			unsigned int shift = 8 * (unsigned int)(at + i);

			value &= ~((uint64_t)0xff << shift);
			value |= (uint64_t)bytes[i] << shift;
		}
		WRITE_ONCE(*word, value);
		dst += k;
		bytes += k;
		n -= k;
	}
}

/* Copy through the window, one page at a time (two at most). */
static int poke_through_alias(uint64_t addr, const uint8_t *bytes, size_t len)
{
	bool kernel = kernel_text(addr, len);

	while (len) {
		uint64_t off = addr - (uint64_t)__text_start;
		size_t in_page = PAGE_SIZE - (addr & (PAGE_SIZE - 1));
		size_t n = len < in_page ? len : in_page;
		uint8_t *alias =
			kernel ? batch_alias(off & ~(uint64_t)(PAGE_SIZE - 1)) :
				 module_alias(addr);

		if (!alias)
			return -ENOSPC;
		store_merged(alias + (addr & (PAGE_SIZE - 1)), bytes, n);
		addr += n;
		bytes += n;
		len -= n;
	}
	return 0;
}

static int __text_poke(void *addr, const void *bytes, size_t len)
{
	if (!text_range_ok((uint64_t)addr, len))
		return -EFAULT;
	return poke_through_alias((uint64_t)addr, bytes, len);
}

void text_poke_begin(void)
{
	unsigned long flags = spin_lock_irqsave(&text_poke_lock);

	batch_irq_flags = flags;
	batch_open = true;
	batch_mapped = 0;
}

void text_poke_end(void)
{
	/* W^X again: no writable alias of text outlives the batch. */
	for (unsigned int i = 0; i < batch_mapped; i++) {
		paging_poke_unmap(batch_slots[i]);
		slot_mapped[batch_slots[i]] = false;
	}
	if (batch_mapped)
		paging_poke_flush();
	batch_mapped = 0;
	module_slots_used = 0;
	batch_open = false;
	spin_unlock_irqrestore(&text_poke_lock, batch_irq_flags);
}

int text_poke_batch(void *addr, const void *bytes, size_t len)
{
	if (!batch_open)
		return -EINVAL;
	return __text_poke(addr, bytes, len);
}

/* One write in a batch of its own. */
int text_poke(void *addr, const void *bytes, size_t len)
{
	int rc;

	text_poke_begin();
	rc = __text_poke(addr, bytes, len);
	text_poke_end();
	return rc;
}
