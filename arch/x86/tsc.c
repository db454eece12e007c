// SPDX-License-Identifier: MIT
/*
 * Time from the TSC. The rate comes from CPUID leaf 0x15/0x16 when the
 * CPU reports it, else from the hypervisor's timing leaf (0x40000010,
 * KVM and VMware), else from counting TSC ticks across 20 ms of PIT
 * channel 2.
 */
#include <arch/cpu.h>
#include <arch/io.h>
#include <arch/setup.h>
#include <kernel/cpu.h>
#include <kernel/printk.h>

#define PIT_HZ 1193182u
#define PIT_CALIBRATE_MS 20

static const char *tsc_source = "none";

static uint64_t tsc_khz_from_cpuid(void)
{
	uint32_t max, a, b, c, d;

	cpuid_count(0, 0, &max, &b, &c, &d);
	if (max >= 0x15) {
		cpuid_count(0x15, 0, &a, &b, &c, &d);
		if (a && b && c) {
			tsc_source = "cpuid 0x15";
			return (uint64_t)c * b / a / 1000;
		}
	}
	if (!cpu_has(X86_FEATURE_hypervisor))
		return 0;
	cpuid_count(0x40000000, 0, &max, &b, &c, &d);
	if (max >= 0x40000010) {
		cpuid_count(0x40000010, 0, &a, &b, &c, &d);
		if (a) {
			tsc_source = "hypervisor leaf";
			return a;
		}
	}
	return 0;
}

/* PIT channel 2 in one-shot mode, gated through port 0x61. */
static uint64_t tsc_khz_from_pit(void)
{
	uint32_t count = PIT_HZ * PIT_CALIBRATE_MS / 1000;
	uint64_t start, end;

	outb(0x61, (inb(0x61) & ~0x02) | 0x01);	/* gate on, speaker off */
	outb(0x43, 0xb0);			/* ch2, lo/hi, mode 0 */
	outb(0x42, count & 0xff);
	outb(0x42, count >> 8);
	start = rdtsc();
	while (!(inb(0x61) & 0x20))		/* OUT2 goes high at zero */
		;
	end = rdtsc();
	tsc_source = "PIT";
	return (end - start) / PIT_CALIBRATE_MS;
}

void tsc_calibrate(void)
{
	uint64_t khz = tsc_khz_from_cpuid();

	if (!khz)
		khz = tsc_khz_from_pit();
	if (!khz)
		panic("tsc: calibration failed: %d", -5);
	boot_cpu.tsc_khz = khz;
	pr_info("tsc: %llu.%03llu MHz (%s)\n", (unsigned long long)khz / 1000,
		(unsigned long long)khz % 1000, tsc_source);
}

uint64_t cycles_now(void)
{
	return rdtsc();
}

uint64_t cycles_to_ns(uint64_t cycles)
{
	/* khz = cycles per ms: ns = cycles * 1e6 / khz, split to avoid overflow. */
	uint64_t khz = boot_cpu.tsc_khz;

	return cycles / khz * 1000000 + cycles % khz * 1000000 / khz;
}

void udelay(unsigned int us)
{
	uint64_t end = rdtsc() + boot_cpu.tsc_khz * us / 1000;

	while (rdtsc() < end)
		cpu_relax();
}
