// SPDX-License-Identifier: MIT
/*
 * The kernel heap. Objects up to 2 KiB come from power-of-two size
 * classes carved out of whole pages; larger ones get their own run of
 * pages. Every object has a 16-byte header saying where it came from, so
 * kfree() needs no size and catches double frees and wild pointers.
 */
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <lib/string.h>

#define KMALLOC_MAGIC 0x6b6d616cu /* "kmal" */
#define KMALLOC_FREED 0x66726565u /* "free" */
#define MIN_CLASS_SHIFT 5 /* 32 bytes, header included */
#define MAX_CLASS_SHIFT 11 /* 2048 bytes */
#define NR_CLASSES (MAX_CLASS_SHIFT - MIN_CLASS_SHIFT + 1)
#define LARGE_CLASS 0xff

struct kmalloc_header {
	uint32_t magic;
	uint8_t class; /* size class, or LARGE_CLASS */
	uint8_t reserved[3];
	uint32_t size; /* what the caller asked for */
	uint32_t pages; /* LARGE_CLASS: the run's length */
};
_Static_assert(sizeof(struct kmalloc_header) == 16, "kmalloc header");

/* A free object keeps the header's magic (as KMALLOC_FREED) in place. */
struct free_object {
	uint32_t magic;
	uint32_t reserved;
	struct free_object *next;
};

static struct free_object *free_lists[NR_CLASSES];
static size_t live_objects, live_bytes;
static DEFINE_SPINLOCK(heap_lock);

static unsigned int size_class(size_t total)
{
	unsigned int c = 0;

	while ((1ul << (MIN_CLASS_SHIFT + c)) < total)
		c++;
	return c;
}

/* Carve a fresh page into objects of class c (heap_lock held). */
static bool class_refill(unsigned int c)
{
	size_t object = 1ul << (MIN_CLASS_SHIFT + c);
	char *page = page_alloc(1);

	if (!page)
		return false;
	for (size_t off = 0; off + object <= PAGE_SIZE; off += object) {
		struct free_object *o = (struct free_object *)(page + off);

		o->magic = KMALLOC_FREED;
		o->next = free_lists[c];
		free_lists[c] = o;
	}
	return true;
}

static struct kmalloc_header *alloc_small(unsigned int c)
{
	struct free_object *o;

	if (!free_lists[c] && !class_refill(c))
		return NULL;
	o = free_lists[c];
	free_lists[c] = o->next;
	return (struct kmalloc_header *)o;
}

static struct kmalloc_header *alloc_large(size_t total)
{
	size_t pages = (total + PAGE_SIZE - 1) / PAGE_SIZE;
	struct kmalloc_header *h = page_alloc(pages);

	if (h)
		h->pages = (uint32_t)pages;
	return h;
}

void *kmalloc(size_t size)
{
	size_t total = size + sizeof(struct kmalloc_header);
	struct kmalloc_header *h;
	unsigned long flags;
	bool small = total <= (1ul << MAX_CLASS_SHIFT);

	if (!size || size > (1ul << 30))
		return NULL;
	flags = spin_lock_irqsave(&heap_lock);
	h = small ? alloc_small(size_class(total)) : alloc_large(total);
	if (h) {
		h->magic = KMALLOC_MAGIC;
		h->class = small ? (uint8_t)size_class(total) : LARGE_CLASS;
		h->size = (uint32_t)size;
		live_objects++;
		live_bytes += size;
	}
	spin_unlock_irqrestore(&heap_lock, flags);
	return h ? h + 1 : NULL;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void kfree(void *p)
{
	struct kmalloc_header *h = (struct kmalloc_header *)p - 1;
	unsigned long flags;

	if (!p)
		return;
	if (h->magic != KMALLOC_MAGIC)
		panic("kfree: %p is not a live kmalloc object (%s): %d", p,
		      h->magic == KMALLOC_FREED ? "double free" : "bad magic",
		      -22);
	flags = spin_lock_irqsave(&heap_lock);
	h->magic = KMALLOC_FREED;
	live_objects--;
	live_bytes -= h->size;
	if (h->class == LARGE_CLASS) {
		spin_unlock_irqrestore(&heap_lock, flags);
		page_free(h, h->pages);
		return;
	}
	((struct free_object *)h)->next = free_lists[h->class];
	free_lists[h->class] = (struct free_object *)h;
	spin_unlock_irqrestore(&heap_lock, flags);
}

void heap_stats(struct heap_stats *st)
{
	unsigned long flags = spin_lock_irqsave(&heap_lock);

	st->allocations = live_objects;
	st->bytes = live_bytes;
	spin_unlock_irqrestore(&heap_lock, flags);
}
