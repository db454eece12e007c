/* SPDX-License-Identifier: MIT */
/*
 * Spinlocks with interrupt save/restore. The lock word is taken with the
 * atomic helpers of <kernel/atomic.h>, the one place that writes a lock
 * prefix.
 */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

#include <kernel/atomic.h>
#include <kernel/irqflags.h>

typedef struct {
	atomic_t locked;
} spinlock_t;

#define SPINLOCK_INIT                    \
	{                                \
		.locked = ATOMIC_INIT(0) \
	}
#define DEFINE_SPINLOCK(name) spinlock_t name = SPINLOCK_INIT

static inline void spin_lock_init(spinlock_t *l)
{
	atomic_set(&l->locked, 0);
}

static inline bool spin_trylock(spinlock_t *l)
{
	return atomic_xchg(&l->locked, 1) == 0;
}

static inline void spin_lock(spinlock_t *l)
{
	while (!spin_trylock(l)) {
		while (atomic_read(&l->locked))
			arch_cpu_relax();
	}
}

/* A plain release store suffices on x86 (stores are not reordered). */
static inline void spin_unlock(spinlock_t *l)
{
	barrier();
	atomic_set(&l->locked, 0);
}

static inline unsigned long spin_lock_irqsave(spinlock_t *l)
{
	unsigned long flags = arch_local_irq_save();

	spin_lock(l);
	return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
	spin_unlock(l);
	arch_local_irq_restore(flags);
}

#endif /* KERNEL_SPINLOCK_H */
