// SPDX-License-Identifier: MIT
/*
 * Which CPUs and interrupt controllers the machine has, from the firmware
 * tables: the ACPI MADT normally; with acpi=off the MP table; with neither,
 * the boot CPU alone. The boot CPU is CPU 0; the others are numbered in
 * table order, up to NR_CPUS.
 */
#include <native/topology.h>
#include <kernel/printk.h>

struct topology topology;

void topology_add_cpu(struct topology *t, uint32_t apic_id)
{
	if (apic_id == t->apic_ids[0])
		return; /* the boot CPU, already CPU 0 */
	t->nr_listed++;
	if (t->nr_cpus < NR_CPUS)
		t->apic_ids[t->nr_cpus++] = apic_id;
}

static void topology_reset(struct topology *t, uint32_t boot_apic_id)
{
	*t = (struct topology){ .source = "none",
				.nr_cpus = 1,
				.nr_listed = 1 };
	t->apic_ids[0] = boot_apic_id;
	for (unsigned int irq = 0; irq < NR_ISA_IRQS; irq++)
		t->isa[irq].gsi = irq;
}

/* Without the MADT (acpi=off, or none found): the MP table, else one CPU. */
static void topology_from_mptable(struct topology *t, const char *why)
{
	if (mptable_read_topology(t) == 0) {
		pr_info("%s: CPUs from the MP table: %u listed\n", why,
			t->nr_listed);
		return;
	}
	pr_info("%s: no MP table either: running on one CPU\n", why);
}

void topology_boot_cpu_only(const char *why)
{
	topology_reset(&topology, 0);
	topology.source = why;
	pr_info("topology: 1 CPU (%s)\n", why);
}

void topology_discover(uint64_t rsdp_phys, uint32_t boot_apic_id)
{
	struct topology *t = &topology;

	topology_reset(t, boot_apic_id);
	if (acpi_mode == ACPI_OFF) {
		topology_from_mptable(t, "acpi=off");
	} else if (acpi_read_topology(t, rsdp_phys)) {
		topology_reset(t, boot_apic_id);
		topology_from_mptable(t, "acpi: no usable MADT");
	}
	if (t->nr_listed > t->nr_cpus)
		pr_notice("smp: %u CPUs listed, using the first %u\n",
			  t->nr_listed, t->nr_cpus);
	pr_info("topology: %u CPU%s from the %s, IOAPIC %s\n", t->nr_cpus,
		t->nr_cpus == 1 ? "" : "s", t->source,
		t->has_ioapic ? "present" : "absent");
}
