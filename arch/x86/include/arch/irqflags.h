/* SPDX-License-Identifier: MIT */
/*
 * The x86 interrupt-flag primitives behind <kernel/irqflags.h>.
 */
#ifndef ARCH_IRQFLAGS_H
#define ARCH_IRQFLAGS_H

static inline unsigned long arch_save_flags(void)
{
	unsigned long fl;

	asm volatile("pushf; pop %0" : "=r"(fl) : : "memory");
	return fl;
}

static inline void arch_restore_flags(unsigned long fl)
{
	asm volatile("push %0; popf" : : "g"(fl) : "memory", "cc");
}

static inline void arch_irq_disable(void)
{
	asm volatile("cli" : : : "memory");
}

static inline void arch_irq_enable(void)
{
	asm volatile("sti" : : : "memory");
}

static inline void arch_cpu_relax(void)
{
	asm volatile("pause" : : : "memory");
}

#endif /* ARCH_IRQFLAGS_H */
