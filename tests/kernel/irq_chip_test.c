// SPDX-License-Identifier: MIT
/*
 * KTAP suite "irq_chip": the choice "acpi.irq" in both worlds. Natively
 * its sites call the IOAPIC or the PIC; under Xen PV the hypervisor
 * decided xen and they call the event-channel chip. Either way a device
 * interrupt routed through those sites arrives at its vector's handler:
 * the i8042 keyboard controller puts a byte of the test's own in its
 * output buffer (command 0xd2) and raises ISA IRQ 1, which natively the
 * chip delivers and under Xen becomes a physical IRQ's event.
 */
#include <arch/cpu.h>
#include <arch/io.h>
#include <kernel/cpu.h>
#include <kernel/irqflags.h>
#include <kernel/ktest.h>
#include <lib/compiler.h>
#include <lib/string.h>
#include <native/irqchip.h>
#include <relink/engine.h>
#include <relink/platform.h>

#define KBD_IRQ 1
#define KBD_DATA 0x60
#define KBD_STATUS 0x64 /* read: status; write: command */
#define KBD_STATUS_OUT_FULL 0x01
#define KBD_STATUS_IN_FULL 0x02
#define KBD_CMD_READ_CONFIG 0x20
#define KBD_CMD_WRITE_CONFIG 0x60
#define KBD_CMD_WRITE_OUTPUT 0xd2
#define KBD_CONFIG_IRQ 0x01
#define KBD_TEST_BYTE 0xa5

static bool under_xen(void)
{
	return relink_platform_hypervisor() == RELINK_HV_XEN_PV;
}

static void test_variant_fits_the_world(struct ktest *t)
{
	int n = relink_choice_find("acpi.irq");
	struct relink_choice_info c;
	const char *name;

	KTEST_ASSERT_TRUE(t, n >= 0);
	KTEST_ASSERT_EQ(t, relink_choice_get((unsigned int)n, &c), 0);
	name = c.def->variants[c.variant].name;
	if (under_xen()) {
		KTEST_EXPECT_STREQ(t, name, "xen");
		KTEST_EXPECT_EQ(t, c.decided_by, RELINK_BY_HYPERVISOR);
	} else {
		KTEST_EXPECT_TRUE(t, !strcmp(name, "acpi") ||
					     !strcmp(name, "noirq"));
	}
	KTEST_EXPECT_TRUE(t, c.patched);
}

static bool is_call_to(const struct relink_site_info *s, const void *fn)
{
	int32_t rel;

	if (s->length != 5 || s->bytes[0] != 0xe8)
		return false;
	memcpy(&rel, s->bytes + 1, sizeof(rel));
	return s->address + 5 + (int64_t)rel == (uint64_t)(uintptr_t)fn;
}

static void test_sites_call_the_chip(struct ktest *t)
{
	int n = relink_choice_find("acpi.irq");
	unsigned int checked = 0;

	KTEST_ASSERT_TRUE(t, n >= 0);
	for (uint32_t i = 0; i < relink_site_count(); i++) {
		struct relink_site_info s;
		const void *want;

		KTEST_ASSERT_EQ(t, relink_site_get(i, &s), 0);
		if (s.choice != (unsigned int)n)
			continue;
		checked++;
		want = !strcmp(s.variant, "xen") ?
			       (const void *)xen_irq_chip_call :
		       !strcmp(s.variant, "noirq") ?
			       (const void *)pic_chip_call :
			       (const void *)ioapic_chip_call;
		KTEST_EXPECT_MSG(t, is_call_to(&s, want),
				 "site 0x%llx (%s): %02x %02x %02x %02x %02x",
				 (unsigned long long)s.address, s.variant,
				 s.bytes[0], s.bytes[1], s.bytes[2], s.bytes[3],
				 s.bytes[4]);
	}
	KTEST_EXPECT_TRUE(t, checked >= 4);
}

/*
 * The test byte's arrivals: the 8259 keeps an edge that came while the
 * line was masked (the drain's own bytes), so one interrupt more may come
 * on unmask, reading the empty buffer.
 */
static volatile unsigned int kbd_test_bytes;

/* The i8042's ports: dom0's under Xen, which emulates the instructions. */
static __xen_emulated __attribute__((noinline)) uint8_t kbd_read(uint16_t port)
{
	return inb(port);
}

static __xen_emulated __attribute__((noinline)) void kbd_write(uint16_t port,
							       uint8_t value)
{
	outb(port, value);
}

static bool kbd_wait(uint8_t mask, uint8_t want)
{
	for (unsigned int i = 0; i < 100000; i++)
		if ((kbd_read(KBD_STATUS) & mask) == want)
			return true;
	return false;
}

static void kbd_command(uint8_t cmd)
{
	kbd_wait(KBD_STATUS_IN_FULL, 0);
	kbd_write(KBD_STATUS, cmd);
}

static void kbd_drain(void)
{
	while (kbd_read(KBD_STATUS) & KBD_STATUS_OUT_FULL)
		kbd_read(KBD_DATA);
}

static void kbd_interrupt(unsigned int irq __unused)
{
	if (kbd_read(KBD_DATA) == KBD_TEST_BYTE)
		kbd_test_bytes++;
}

/* The controller raises IRQ 1 for a byte in its output buffer. */
static void kbd_irq_enable(void)
{
	uint8_t config;

	kbd_drain();
	kbd_command(KBD_CMD_READ_CONFIG);
	kbd_wait(KBD_STATUS_OUT_FULL, KBD_STATUS_OUT_FULL);
	config = kbd_read(KBD_DATA);
	kbd_command(KBD_CMD_WRITE_CONFIG);
	kbd_wait(KBD_STATUS_IN_FULL, 0);
	kbd_write(KBD_DATA, config | KBD_CONFIG_IRQ);
	kbd_drain();
}

static void test_device_interrupt_arrives(struct ktest *t)
{
	uint64_t start;

	KTEST_ASSERT_TRUE(t, !arch_irqs_disabled_flags(arch_save_flags()));
	kbd_irq_enable();
	KTEST_ASSERT_EQ(t, irq_request(KBD_IRQ, "i8042 test", kbd_interrupt),
			0);
	kbd_command(KBD_CMD_WRITE_OUTPUT);
	kbd_wait(KBD_STATUS_IN_FULL, 0);
	kbd_write(KBD_DATA, KBD_TEST_BYTE);
	start = cycles_now();
	while (!kbd_test_bytes &&
	       cycles_to_ns(cycles_now() - start) < 1000000000ull)
		cpu_relax();
	irq_mask(KBD_IRQ);
	KTEST_EXPECT_EQ(t, kbd_test_bytes, 1);
}

static const struct ktest_case irq_chip_cases[] = {
	KTEST_CASE(test_variant_fits_the_world),
	KTEST_CASE(test_sites_call_the_chip),
	KTEST_CASE(test_device_interrupt_arrives),
	{}
};
KTEST_SUITE(irq_chip, irq_chip_cases);
