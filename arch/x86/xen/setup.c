// SPDX-License-Identifier: MIT
/*
 * arch_setup and arch_interrupts_init under Xen PV.
 */
#include <kernel/printk.h>
#include <xenpv/xenpv.h>

void xen_setup(struct boot_info *boot __unused)
{
	panic("xen: arch_setup: traps and page tables under Xen PV are not "
	      "built yet: %d",
	      -38);
}

void xen_interrupts_init(const struct boot_info *boot __unused)
{
	panic("xen: interrupts under Xen PV are not built yet: %d", -38);
}
