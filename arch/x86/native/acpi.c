// SPDX-License-Identifier: MIT
/*
 * The ACPI tables the kernel reads: RSDP (from the PVH start_info, else a
 * scan of the EBDA and the BIOS area), the RSDT or XSDT, and the MADT,
 * which lists the CPUs (local APICs), the IOAPIC and how ISA IRQs map to
 * its inputs. Only checksummed tables are believed. acpi= (Linux's
 * spelling) limits what the kernel takes from them: "noirq" keeps ACPI out
 * of interrupt routing, "off" ignores ACPI altogether.
 */
#include <stdint.h>
#include <arch/paging.h>
#include <native/native.h>
#include <native/topology.h>
#include <kernel/cmdline.h>
#include <kernel/printk.h>
#include <kernel/relink.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/string.h>

enum acpi_mode acpi_mode = ACPI_ON;

struct acpi_rsdp {
	char signature[8];
	uint8_t checksum;
	char oem_id[6];
	uint8_t revision;
	uint32_t rsdt_address;
	uint32_t length; /* revision >= 2 from here */
	uint64_t xsdt_address;
	uint8_t extended_checksum;
	uint8_t reserved[3];
} __packed;

struct acpi_header {
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} __packed;

struct acpi_madt {
	struct acpi_header header;
	uint32_t lapic_address;
	uint32_t flags;
} __packed;

enum madt_type {
	MADT_LAPIC = 0,
	MADT_IOAPIC = 1,
	MADT_OVERRIDE = 2,
	MADT_LAPIC_ADDRESS = 5,
	MADT_X2APIC = 9,
};

#define MADT_CPU_ENABLED 1

static const struct acpi_rsdp *rsdp_at(uint64_t phys)
{
	const struct acpi_rsdp *r = paging_map_firmware(phys, sizeof(*r));

	if (!r || memcmp(r->signature, "RSD PTR ", 8) ||
	    !firmware_checksum_ok(r, 20))
		return NULL;
	return r;
}

/* The RSDP sits on a 16-byte boundary in the EBDA's first KiB or the BIOS. */
static const struct acpi_rsdp *rsdp_scan(uint64_t start, uint64_t end)
{
	for (uint64_t pa = start; pa + 20 <= end; pa += 16) {
		const struct acpi_rsdp *r = rsdp_at(pa);

		if (r)
			return r;
	}
	return NULL;
}

static const struct acpi_rsdp *rsdp_find(uint64_t hint)
{
	const struct acpi_rsdp *r = hint ? rsdp_at(hint) : NULL;
	uint64_t ebda;

	if (r)
		return r;
	ebda = (uint64_t) * (const uint16_t *)paging_map_firmware(0x40e, 2)
	       << 4;
	if (ebda >= 0x80000 && ebda < 0xa0000)
		r = rsdp_scan(ebda, ebda + 1024);
	return r ? r : rsdp_scan(0xe0000, 0x100000);
}

/* A whole table, mapped and checked; NULL when it is not one. */
static const struct acpi_header *table_map(uint64_t phys)
{
	const struct acpi_header *h = paging_map_firmware(phys, sizeof(*h));

	if (!h || h->length < sizeof(*h) || h->length > (1u << 20))
		return NULL;
	h = paging_map_firmware(phys, h->length);
	return h && firmware_checksum_ok(h, h->length) ? h : NULL;
}

/* The table with this signature, through the XSDT (or RSDT). */
static const struct acpi_header *table_find(const struct acpi_rsdp *r,
					    const char *signature)
{
	bool xsdt = r->revision >= 2 && r->xsdt_address;
	const struct acpi_header *root =
		table_map(xsdt ? r->xsdt_address : r->rsdt_address);
	size_t entry = xsdt ? 8 : 4, n;

	if (!root)
		return NULL;
	n = (root->length - sizeof(*root)) / entry;
	for (size_t i = 0; i < n; i++) {
		const uint8_t *p = (const uint8_t *)(root + 1) + i * entry;
		uint64_t phys = 0;
		const struct acpi_header *h;

		memcpy(&phys, p, entry);
		h = table_map(phys);
		if (h && !memcmp(h->signature, signature, 4))
			return h;
	}
	return NULL;
}

static void madt_entry(struct topology *t, const uint8_t *e)
{
	uint32_t v32;
	uint16_t v16;

	switch (e[0]) {
	case MADT_LAPIC: /* uid, apic id, flags */
		memcpy(&v32, e + 4, 4);
		if (v32 & MADT_CPU_ENABLED)
			topology_add_cpu(t, e[3]);
		break;
	case MADT_X2APIC: /* reserved, x2apic id, flags, uid */
		memcpy(&v32, e + 8, 4);
		if (v32 & MADT_CPU_ENABLED) {
			memcpy(&v32, e + 4, 4);
			topology_add_cpu(t, v32);
		}
		break;
	case MADT_IOAPIC: /* id, reserved, address, gsi base */
		if (t->has_ioapic)
			break; /* the first one serves the ISA IRQs */
		memcpy(&v32, e + 4, 4);
		t->ioapic_phys = v32;
		memcpy(&t->ioapic_gsi_base, e + 8, 4);
		t->has_ioapic = true;
		break;
	case MADT_OVERRIDE: /* bus, source irq, gsi, flags */
		if (e[3] >= NR_ISA_IRQS)
			break;
		memcpy(&t->isa[e[3]].gsi, e + 4, 4);
		memcpy(&v16, e + 8, 2);
		t->isa[e[3]].flags = v16;
		break;
	case MADT_LAPIC_ADDRESS:
		memcpy(&t->lapic_phys, e + 4, 8);
		break;
	}
}

static void madt_parse(struct topology *t, const struct acpi_madt *m)
{
	const uint8_t *e = (const uint8_t *)(m + 1);
	const uint8_t *end = (const uint8_t *)m + m->header.length;

	t->lapic_phys = m->lapic_address;
	while (e + 2 <= end && e[1] >= 2 && e + e[1] <= end) {
		madt_entry(t, e);
		e += e[1];
	}
}

int acpi_read_topology(struct topology *t, uint64_t rsdp_phys)
{
	const struct acpi_rsdp *r = rsdp_find(rsdp_phys);
	const struct acpi_header *madt;

	if (!r) {
		pr_warn("acpi: no RSDP found\n");
		return -ENOENT;
	}
	madt = table_find(r, "APIC");
	if (!madt) {
		pr_warn("acpi: no MADT\n");
		return -ENOENT;
	}
	madt_parse(t, (const struct acpi_madt *)madt);
	t->source = "ACPI MADT";
	return 0;
}

DECLARE_CHOICE(acpi_irq);

/*
 * acpi=noirq and acpi=off route device interrupts through the 8259s: they
 * pin the acpi.irq choice, as relink.acpi.irq= does; acpi=on pins it back.
 */
static int acpi_param(const char *key, const char *value, char *why)
{
	static const char *const modes[] = {
		[ACPI_ON] = "on", [ACPI_NOIRQ] = "noirq", [ACPI_OFF] = "off"
	};
	for (unsigned int m = 0; m < ARRAY_SIZE(modes); m++) {
		if (strcmp(value, modes[m]))
			continue;
		if (relink_pin_option(&__choice_acpi_irq, key, value,
				      m == ACPI_ON ? "acpi" : "noirq", why))
			return -EINVAL;
		acpi_mode = (enum acpi_mode)m;
		return 0;
	}
	snprintf(why, CMDLINE_WHY_MAX, "expected acpi=on|noirq|off; keeping %s",
		 modes[acpi_mode]);
	return -EINVAL;
}
KERNEL_PARAM("acpi", acpi_param, "acpi=on|noirq|off",
	     "ACPI use: noirq (no IRQ routing), off (MP table)");
