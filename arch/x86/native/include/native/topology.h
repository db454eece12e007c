/* SPDX-License-Identifier: MIT */
/*
 * What the firmware tables say about the machine's CPUs and interrupt
 * controllers: filled from the ACPI MADT (acpi.c) or, with acpi=off, from
 * the MP table (mptable.c), once on the boot CPU.
 */
#ifndef NATIVE_TOPOLOGY_H
#define NATIVE_TOPOLOGY_H

#include <stdbool.h>
#include <stdint.h>
#include <kernel/percpu.h>

#define NR_ISA_IRQS 16

/* MADT/MP interrupt flags: polarity in bits 0-1, trigger mode in 2-3. */
#define IRQ_FLAG_ACTIVE_LOW 0x3
#define IRQ_FLAG_LEVEL 0xc

/* How an ISA IRQ reaches the IOAPIC (identity unless overridden). */
struct isa_irq_route {
	uint32_t gsi;
	uint16_t flags;
};

struct topology {
	const char *source; /* "ACPI MADT", "MP table", "none" */
	uint64_t lapic_phys;
	unsigned int nr_cpus; /* usable CPUs, at most NR_CPUS */
	unsigned int nr_listed; /* enabled CPUs the tables name */
	uint32_t apic_ids[NR_CPUS]; /* by CPU number; 0 = boot CPU */
	bool has_ioapic;
	uint64_t ioapic_phys;
	uint32_t ioapic_gsi_base;
	struct isa_irq_route isa[NR_ISA_IRQS];
};

/* What topology_discover() found (boot CPU, before the APs start). */
extern struct topology topology;

/*
 * topology_discover() - fill topology from the MADT, or with acpi=off the
 * MP table, else the boot CPU alone; one line says which.
 */
void topology_discover(uint64_t rsdp_phys, uint32_t boot_apic_id);
/*
 * topology_boot_cpu_only() - the boot CPU alone and no IOAPIC, whatever
 * the tables say (why: e.g. "no local APIC"); one line says so.
 */
void topology_boot_cpu_only(const char *why);

enum acpi_mode { ACPI_ON, ACPI_NOIRQ, ACPI_OFF };

/* acpi=: how much of ACPI the kernel uses (Linux's spellings). */
extern enum acpi_mode acpi_mode;

/* acpi_read_topology() - parse RSDP, RSDT/XSDT and MADT; 0 or -ENOENT. */
int acpi_read_topology(struct topology *t, uint64_t rsdp_phys);
/* mptable_read_topology() - parse the MP table; 0 or -ENOENT. */
int mptable_read_topology(struct topology *t);
/* topology_add_cpu() - record a CPU the tables list (the boot CPU is 0). */
void topology_add_cpu(struct topology *t, uint32_t apic_id);

#endif /* NATIVE_TOPOLOGY_H */
