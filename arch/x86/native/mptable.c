// SPDX-License-Identifier: MIT
/*
 * The Intel MultiProcessor table, the pre-ACPI way to find CPUs and
 * IOAPICs, read only with acpi=off. Its floating pointer ("_MP_") sits in
 * the EBDA's first KiB, the last KiB of base memory or the BIOS area.
 * QEMU's firmware lists one CPU per socket there, so it often finds fewer
 * CPUs than the MADT does.
 */
#include <stdint.h>
#include <arch/paging.h>
#include <native/native.h>
#include <native/topology.h>
#include <lib/errno.h>
#include <lib/string.h>

struct mp_floating {
	char signature[4]; /* "_MP_" */
	uint32_t config_phys;
	uint8_t length; /* in 16-byte units */
	uint8_t revision;
	uint8_t checksum;
	uint8_t features[5];
} __packed;

struct mp_config {
	char signature[4]; /* "PCMP" */
	uint16_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem[8];
	char product[12];
	uint32_t oem_table;
	uint16_t oem_size;
	uint16_t entries;
	uint32_t lapic_phys;
	uint16_t ext_length;
	uint8_t ext_checksum;
	uint8_t reserved;
} __packed;

enum mp_entry { MP_PROCESSOR = 0, MP_BUS, MP_IOAPIC, MP_IOINT, MP_LOCALINT };

#define MP_CPU_ENABLED 1

static const struct mp_floating *floating_scan(uint64_t start, uint64_t end)
{
	for (uint64_t pa = start; pa + 16 <= end; pa += 16) {
		const struct mp_floating *f = paging_map_firmware(pa, 16);

		if (!memcmp(f->signature, "_MP_", 4) && f->length == 1 &&
		    firmware_checksum_ok(f, 16))
			return f;
	}
	return NULL;
}

static const struct mp_floating *floating_find(void)
{
	uint64_t ebda =
		(uint64_t) * (const uint16_t *)paging_map_firmware(0x40e, 2)
		<< 4;
	const struct mp_floating *f = NULL;

	if (ebda >= 0x80000 && ebda < 0xa0000)
		f = floating_scan(ebda, ebda + 1024);
	if (!f)
		f = floating_scan(0x9fc00, 0xa0000);
	return f ? f : floating_scan(0xf0000, 0x100000);
}

/* Entry sizes: processors are 20 bytes, everything else 8. */
static void config_parse(struct topology *t, const struct mp_config *c)
{
	const uint8_t *e = (const uint8_t *)(c + 1);
	const uint8_t *end = (const uint8_t *)c + c->length;

	for (unsigned int i = 0; i < c->entries && e < end; i++) {
		if (e[0] == MP_PROCESSOR) {
			if (e[3] & MP_CPU_ENABLED)
				topology_add_cpu(t, e[1]);
			e += 20;
			continue;
		}
		if (e[0] == MP_IOAPIC && (e[3] & 1) && !t->has_ioapic) {
			uint32_t phys;

			memcpy(&phys, e + 4, 4);
			t->ioapic_phys = phys;
			t->has_ioapic = true;
		}
		e += 8;
	}
}

int mptable_read_topology(struct topology *t)
{
	const struct mp_floating *f = floating_find();
	const struct mp_config *c;

	if (!f || !f->config_phys)
		return -ENOENT;
	c = paging_map_firmware(f->config_phys, sizeof(*c));
	if (memcmp(c->signature, "PCMP", 4))
		return -ENOENT;
	c = paging_map_firmware(f->config_phys, c->length);
	if (!firmware_checksum_ok(c, c->length))
		return -ENOENT;
	t->lapic_phys = c->lapic_phys;
	config_parse(t, c);
	t->source = "MP table";
	return 0;
}
