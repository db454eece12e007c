// SPDX-License-Identifier: MIT
/*
 * The Xen PV environment's C entry: xen_start_c turns start_info (the
 * command line, the domain's pages, the initrd) into the environment-independent
 * struct boot_info and enters the kernel. xen_pv_environment gathers the
 * Xen implementations of the platform interface (<arch/environment.h>).
 */
#include <stdint.h>
#include <arch/environment.h>
#include <arch/io.h>
#include <arch/layout.h>
#include <kernel/platform.h>
#include <lib/errno.h>
#include <lib/string.h>
#include <native/ports.h>
#include <relink/format.h>
#include <xenpv/hypercall.h>
#include <xenpv/xenpv.h>

const start_info_t *xen_start_info;
static struct boot_info boot;

static void __noreturn xen_stop(const char *why)
{
	xen_console_write(why, strlen(why));
	xen_exit(STATUS_PANIC);
}

/*
 * Ports need I/O privilege 1: the exit through isa-debug-exit. (It also
 * makes cli and sti no-ops instead of #GP: masking goes through
 * vcpu_info, never through them.) Each vCPU takes it for itself.
 */
void xen_iopl_init(void)
{
	struct physdev_set_iopl iopl = { .iopl = 1 };

	if (xen_hypercall2(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl, &iopl))
		xen_stop("xen: PHYSDEVOP_set_iopl failed\n");
}

/*
 * The domain's pseudo-physical memory is pages 0 .. nr_pages - 1; the
 * image and what Xen built after it (the P2M list, start_info, the boot
 * page tables and stack) come first, up to the end of the boot page
 * tables: that part is reserved, the rest is usable.
 */
static void xen_memory_parse(const start_info_t *si)
{
	uint64_t end = (uint64_t)si->nr_pages * PAGE_SIZE;
	uint64_t built =
		si->pt_base + si->nr_pt_frames * PAGE_SIZE - KERNEL_VIRT_BASE;

	if (built >= end)
		xen_stop("xen: start_info: no pages after the boot page "
			 "tables\n");
	boot.memmap[0] = (struct memmap_entry){ 0, built, MEMMAP_RESERVED };
	boot.memmap[1] =
		(struct memmap_entry){ built, end - built, MEMMAP_USABLE };
	boot.memmap_entries = 2;
}

/*
 * The initrd: the multiboot module after dom0's kernel, which Xen loads
 * right after the image, inside what it built (so no page of it is ever
 * handed out), and names by its virtual address in the boot mapping at
 * KERNEL_VIRT_BASE + phys -- or by its frame number, with
 * SIF_MOD_START_PFN. The kernel's initrd code reads it through the direct
 * map, as it reads the PVH entry's.
 */
static void xen_initrd_parse(const start_info_t *si)
{
	uint64_t phys;

	if (!si->mod_start || !si->mod_len)
		return;
	if (si->flags & SIF_MOD_START_PFN)
		phys = (uint64_t)si->mod_start << PAGE_SHIFT;
	else
		phys = si->mod_start - KERNEL_VIRT_BASE;
	if (phys > boot.memmap[0].size ||
	    si->mod_len > boot.memmap[0].size - phys) {
		/* Not in the reserved part: the allocator would reuse it. */
		static const char why[] = "xen: start_info: the initrd lies "
					  "outside what Xen built; not used\n";

		xen_console_write(why, sizeof(why) - 1);
		return;
	}
	boot.initrd_phys = phys;
	boot.initrd_size = si->mod_len;
}

void __noreturn xen_start_c(const start_info_t *si);

void xen_start_c(const start_info_t *si)
{
	/* Before anything prints: the console is Xen's from here. */
	environment_select(&xen_pv_environment);
	xen_start_info = si;
	xen_iopl_init();
	boot.environment = "Xen PV";
	boot.hypervisor = RELINK_HV_XEN_PV;
	boot.cmdline_len = strlcpy(boot.cmdline, (const char *)si->cmd_line,
				   sizeof(boot.cmdline));
	xen_memory_parse(si);
	/* After the memory map: the initrd must lie in its reserved part. */
	xen_initrd_parse(si);
	kernel_main(&boot);
}

/*
 * isa-debug-exit, as natively; without the device, a Xen poweroff. Its
 * port write needs the I/O privilege xen_iopl_init() took, so it lives in
 * .text.xen_io, the one place outside native code and pv sites where
 * relocgen --check-privileged allows port I/O.
 */
__section(".text.xen_io") void xen_exit(int status)
{
	struct sched_shutdown shutdown = { .reason = SHUTDOWN_poweroff };

	outl(ISA_DEBUG_EXIT_PORT, (uint32_t)status);
	xen_hypercall2(__HYPERVISOR_sched_op, SCHEDOP_shutdown, &shutdown);
	for (;;)
		;
}

void xen_reboot(void)
{
	struct sched_shutdown shutdown = { .reason = SHUTDOWN_reboot };

	xen_hypercall2(__HYPERVISOR_sched_op, SCHEDOP_shutdown, &shutdown);
	for (;;)
		;
}

const struct arch_environment xen_pv_environment = {
	.name = "xen-pv",
	.console_write = xen_console_write,
	.console_getc = xen_console_getc,
	.console_input_irq = xen_console_input_irq,
	.console_input_resume = xen_console_input_resume,
	.exit = xen_exit,
	.reboot = xen_reboot,
	.setup = xen_setup,
	.interrupts_init = xen_interrupts_init,
	.cpus_possible = xen_cpus_possible,
	.cpu_start = xen_cpu_start,
	.cpu_park = xen_cpu_park,
	.send_ipi = xen_send_ipi,
	.rendezvous_kick = xen_rendezvous_kick,
	.paging_lookup = xen_paging_lookup,
	.module_map = xen_module_map,
	.module_protect = xen_module_protect,
	.module_unmap = xen_module_unmap,
	.module_text = xen_module_text,
};
