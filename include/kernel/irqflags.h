/* SPDX-License-Identifier: MIT */
/*
 * Interrupt-flag operations for environment-independent code. The
 * implementations are in arch/x86 (and become pv sites): nothing outside
 * arch/x86 executes cli, sti, pushf or popf itself.
 */
#ifndef KERNEL_IRQFLAGS_H
#define KERNEL_IRQFLAGS_H

#include <stdbool.h>
#include <arch/irqflags.h>

static inline unsigned long arch_local_irq_save(void)
{
	unsigned long flags = arch_save_flags();

	arch_irq_disable();
	return flags;
}

static inline void arch_local_irq_restore(unsigned long flags)
{
	arch_restore_flags(flags);
}

static inline bool arch_irqs_disabled_flags(unsigned long flags)
{
	return !(flags & (1ul << 9));
}

#endif /* KERNEL_IRQFLAGS_H */
