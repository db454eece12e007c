// SPDX-License-Identifier: MIT
/*
 * The native environment's C entry and its platform functions. pvh_start_c
 * turns the PVH start_info (command line, e820 map, RSDP, the initrd
 * module) into the environment-independent struct boot_info and enters
 * the kernel; native_environment gathers the native implementations of
 * the platform interface (<arch/environment.h>).
 */
#include <stdint.h>
#include <arch/cpu.h>
#include <arch/environment.h>
#include <arch/io.h>
#include <arch/layout.h>
#include <arch/paging.h>
#include <native/native.h>
#include <native/ports.h>
#include <kernel/platform.h>
#include <lib/string.h>
#include <relink/format.h>

#define HVM_START_MAGIC 0x336ec578

/* The PVH ABI (xen/include/public/arch-x86/hvm/start_info.h). */
struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr;
	uint32_t memmap_entries;
	uint32_t reserved;
};

struct hvm_modlist_entry {
	uint64_t paddr;
	uint64_t size;
	uint64_t cmdline_paddr;
	uint64_t reserved;
};

struct hvm_memmap_table_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};

static struct boot_info boot;

/* The boot page tables identity-map the first GiB: phys == virt there. */
static const void *boot_phys(uint64_t pa)
{
	return (const void *)(uintptr_t)pa;
}

static void pvh_parse(const struct hvm_start_info *si)
{
	if (si->cmdline_paddr)
		boot.cmdline_len = strlcpy(boot.cmdline,
					   boot_phys(si->cmdline_paddr),
					   sizeof(boot.cmdline));
	boot.rsdp_phys = si->rsdp_paddr;
	if (si->version >= 1 && si->memmap_paddr) {
		const struct hvm_memmap_table_entry *e =
			boot_phys(si->memmap_paddr);
		unsigned int n = si->memmap_entries;

		if (n > BOOT_MEMMAP_MAX)
			n = BOOT_MEMMAP_MAX;
		for (unsigned int i = 0; i < n; i++) {
			boot.memmap[i].addr = e[i].addr;
			boot.memmap[i].size = e[i].size;
			boot.memmap[i].type = e[i].type;
		}
		boot.memmap_entries = n;
	}
	/* The first module is the initrd (QEMU's -initrd); others unused. */
	if (si->nr_modules && si->modlist_paddr) {
		const struct hvm_modlist_entry *m =
			boot_phys(si->modlist_paddr);

		boot.initrd_phys = m->paddr;
		boot.initrd_size = m->size;
	}
}

static void __noreturn native_exit(int status);
void __noreturn pvh_start_c(uint32_t start_info_phys);

void pvh_start_c(uint32_t start_info_phys)
{
	const struct hvm_start_info *si = boot_phys(start_info_phys);

	serial_init();
	boot.environment = "native (PVH)";
	/* The PVH entry drives no hypervisor, whoever may be below it. */
	boot.hypervisor = RELINK_HV_NONE;
	if (si->magic != HVM_START_MAGIC) {
		serial_write("pvh: bad start_info magic\r\n", 27);
		native_exit(STATUS_PANIC);
	}
	pvh_parse(si);
	kernel_main(&boot);
}

static void native_console_write(const char *s, size_t len)
{
	serial_write(s, len);
}

static int native_console_getc(void)
{
	return serial_getc();
}

static bool native_console_input_irq(void)
{
	return serial_irq_init() == 0;
}

static void native_console_input_resume(void)
{
	serial_input_resume();
}

/*
 * QEMU's isa-debug-exit device turns a write of v into the exit status
 * (v << 1) | 1; scripts/qemu-run maps it back. Without the device (a
 * person's own QEMU command line) fall back to ACPI S5 on QEMU's PIIX4
 * port, then halt.
 */
static void __noreturn native_exit(int status)
{
	asm volatile("cli");
	outl(ISA_DEBUG_EXIT_PORT, (uint32_t)status);
	outw(ACPI_PM1A_CONTROL_PORT, ACPI_S5_SLEEP);
	for (;;)
		asm volatile("hlt");
}

static void __noreturn native_reboot(void)
{
	asm volatile("cli");
	outb(0xcf9, 0x06); /* PCI reset control: hard reset */
	outb(0x64, 0xfe); /* keyboard controller: pulse reset */
	for (;;)
		asm volatile("hlt");
}

const struct arch_environment native_environment = {
	.name = "native",
	.console_write = native_console_write,
	.console_getc = native_console_getc,
	.console_input_irq = native_console_input_irq,
	.console_input_resume = native_console_input_resume,
	.exit = native_exit,
	.reboot = native_reboot,
	.setup = arch_setup_native,
	.interrupts_init = native_interrupts_init,
	.cpus_possible = native_cpus_possible,
	.cpu_start = native_cpu_start,
	.cpu_park = native_cpu_park,
	.send_ipi = native_send_ipi,
	.rendezvous_kick = native_rendezvous_kick,
	.paging_lookup = native_paging_lookup,
	.module_map = native_module_map,
	.module_protect = native_module_protect,
	.module_unmap = native_module_unmap,
	.module_text = native_module_text,
};
