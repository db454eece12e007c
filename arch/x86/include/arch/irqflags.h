/* SPDX-License-Identifier: MIT */
/*
 * The x86 interrupt-flag primitives behind <kernel/irqflags.h>: the pv
 * sites of <arch/pv.h>.
 */
#ifndef ARCH_IRQFLAGS_H
#define ARCH_IRQFLAGS_H

#include <arch/pv.h>

static inline unsigned long arch_save_flags(void)
{
	return pv_save_fl();
}

static inline void arch_restore_flags(unsigned long fl)
{
	pv_restore_fl(fl);
}

static inline void arch_irq_disable(void)
{
	pv_irq_disable();
}

static inline void arch_irq_enable(void)
{
	pv_irq_enable();
}

static inline void arch_cpu_relax(void)
{
	asm volatile("pause" : : : "memory");
}

#endif /* ARCH_IRQFLAGS_H */
