// SPDX-License-Identifier: MIT
/*
 * Time from the TSC. The rate comes from CPUID leaf 0x15/0x16 when the
 * CPU reports it, else from the hypervisor's timing leaf (0x40000010,
 * KVM and VMware), else from counting TSC ticks across 20 ms of PIT
 * channel 2.
 *
 * cycles_now() reads the TSC ordered after every earlier instruction, an
 * inline site of the choice "cpu.tsc": "rdtscp" where CPUID offers it,
 * else "lfence; rdtsc" (the compiled code, correct on every x86-64 this
 * kernel runs on). rdtscp also loads IA32_TSC_AUX into ecx, which the site
 * clobbers for it.
 */
#include <arch/cpu.h>
#include <arch/io.h>
#include <arch/pit.h>
#include <arch/setup.h>
#include <kernel/cpu.h>
#include <kernel/printk.h>
#include <relink/choice.h>
#include <relink/site.h>

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

	outb(0x61, (inb(0x61) & ~0x02) | 0x01); /* gate on, speaker off */
	outb(0x43, 0xb0); /* ch2, lo/hi, mode 0 */
	outb(0x42, count & 0xff);
	outb(0x42, count >> 8);
	start = rdtsc();
	while (!(inb(0x61) & 0x20)) /* OUT2 goes high at zero */
		;
	end = rdtsc();
	tsc_source = "PIT";
	return (end - start) / PIT_CALIBRATE_MS;
}

__native_only void tsc_calibrate(void)
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

DEFINE_CHOICE(cpu_tsc, "cpu.tsc", RELINK_DECIDER_CPUID, 1,
	      RELINK_VARIANT("rdtscp", RELINK_WHEN_CPUID(X86_FEATURE_rdtscp),
			     RELINK_CODE(RELINK_I_RAW3(0x0f, 0x01, 0xf9))),
	      RELINK_VARIANT("lfence", RELINK_WHEN_ALWAYS,
			     RELINK_CODE(RELINK_I_RAW3(0x0f, 0xae, 0xe8),
					 RELINK_I_RAW2(0x0f, 0x31))));

/* The TSC, read after every earlier instruction has completed. */
static inline uint64_t tsc_read_ordered(void)
{
	uint32_t lo, hi;

	asm volatile(RELINK_INLINE(cpu_tsc, 5, "lfence; rdtsc", "", "rcx")
		     : "=a"(lo), "=d"(hi)
		     :
		     : "rcx");
	return (uint64_t)hi << 32 | lo;
}

uint64_t cycles_now(void)
{
	return tsc_read_ordered();
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
