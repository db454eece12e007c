// SPDX-License-Identifier: MIT
/*
 * CPU identification: vendor, model name and the feature words of
 * <relink/cpufeature.h>, read once on the boot CPU. clearcpuid= hides
 * features from everything that asks cpu_has() (Linux's spelling).
 */
#include <arch/cpu.h>
#include <arch/setup.h>
#include <kernel/cmdline.h>
#include <kernel/cpu.h>
#include <kernel/printk.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/string.h>
#include <relink/names.h>

struct cpu_info boot_cpu;

/* The names are relocgen's too: one list, in <relink/names.h>. */
const char *cpu_feature_name(unsigned int feature)
{
	return relink_cpu_feature_name(feature);
}

int cpu_feature_lookup(const char *name)
{
	return relink_cpu_feature_lookup(name);
}

bool cpu_has(unsigned int feature)
{
	if (feature >= CPU_FEATURE_WORDS * 32)
		return false;
	return boot_cpu.words[feature / 32] & (1u << (feature % 32));
}

static void cpuid_read_model_name(struct cpu_info *c)
{
	uint32_t regs[12], max, b, cx, d;

	cpuid_count(0x80000000, 0, &max, &b, &cx, &d);
	if (max < 0x80000004)
		return;
	for (unsigned int i = 0; i < 3; i++)
		cpuid_count(0x80000002 + i, 0, &regs[i * 4], &regs[i * 4 + 1],
			    &regs[i * 4 + 2], &regs[i * 4 + 3]);
	memcpy(c->model_name, regs, 48);
	c->model_name[48] = '\0';
	memmove(c->model_name, skip_spaces(c->model_name),
		strlen(skip_spaces(c->model_name)) + 1);
}

static void cpuid_read_words(struct cpu_info *c, uint32_t max_leaf)
{
	uint32_t a, b, cx, d, max_ext;

	cpuid_count(1, 0, &a, &b, &cx, &d);
	c->words[CPUID_1_EDX] = d;
	c->words[CPUID_1_ECX] = cx;
	c->stepping = a & 0xf;
	c->model = ((a >> 4) & 0xf) | ((a >> 12) & 0xf0);
	c->family = ((a >> 8) & 0xf) + ((a >> 20) & 0xff);
	if (max_leaf >= 7) {
		cpuid_count(7, 0, &a, &b, &cx, &d);
		c->words[CPUID_7_0_EBX] = b;
		c->words[CPUID_7_0_ECX] = cx;
		c->words[CPUID_7_0_EDX] = d;
	}
	cpuid_count(0x80000000, 0, &max_ext, &b, &cx, &d);
	if (max_ext >= 0x80000001) {
		cpuid_count(0x80000001, 0, &a, &b, &cx, &d);
		c->words[CPUID_80000001_EDX] = d;
		c->words[CPUID_80000001_ECX] = cx;
	}
}

/*
 * kvm-pvm, the KVM of the machines relink is tested on, runs a kernel
 * that is not a PVM guest, as this one is not, in KVM's instruction
 * emulator, every instruction, about a microsecond each; a hardware KVM
 * runs it at the CPU's speed. No CPUID leaf tells the two apart (PVM's
 * own, 0x40000200, read zeros there); their speed does: the fastest of a
 * few runs of EMULATOR_NOPS NOPs takes about a cycle a NOP on a CPU, and
 * about a thousand (250,000-450,000 cycles for 256 NOPs) in kvm-pvm's
 * emulator; the line between is EMULATOR_CYCLES_PER_NOP.
 */
#define EMULATOR_NOPS 256
#define EMULATOR_CYCLES_PER_NOP 50

static uint64_t fastest_nops(void)
{
	uint64_t best = UINT64_MAX;

	for (int run = 0; run < 5; run++) {
		uint64_t start = rdtsc();

		asm volatile(".rept %c0; nop; .endr" : : "i"(EMULATOR_NOPS));
		start = rdtsc() - start;
		best = start < best ? start : best;
	}
	return best;
}

/*
 * Under KVM's emulator: it stops the guest ("KVM internal error",
 * emulation failure) on POPCNT, which CPUID nonetheless reports and
 * QEMU's -cpu cannot hide, so hide it from cpu_has() there (cpu.popcnt
 * stays sw; TCG exercises hw), and on a kernel int3 (no INT3 method).
 */
static void cpuid_hide_unusable(struct cpu_info *c)
{
	uint32_t max, sig[3];
	uint64_t cycles;

	if (!(c->words[CPUID_1_ECX] & (1u << (X86_FEATURE_hypervisor % 32))))
		return;
	cpuid_count(0x40000000, 0, &max, &sig[0], &sig[1], &sig[2]);
	memcpy(c->hypervisor, sig, 12);
	c->hypervisor[12] = '\0';
	if (memcmp(sig, "KVMKVMKVM\0\0\0", 12))
		return;
	cycles = fastest_nops();
	if (cycles <= EMULATOR_NOPS * EMULATOR_CYCLES_PER_NOP)
		return;
	c->kvm_emulates = true;
	pr_notice("cpuid: KVM runs this kernel in its instruction emulator "
		  "(%u NOPs: %llu cycles): popcnt hidden, no INT3 method\n",
		  EMULATOR_NOPS, (unsigned long long)cycles);
	c->words[CPUID_1_ECX] &= ~(1u << (X86_FEATURE_popcnt % 32));
}

const char *cpu_hypervisor_name(void)
{
	static const struct {
		char signature[13];
		const char *name;
	} known[] = {
		{ "KVMKVMKVM", "kvm" },	       { "TCGTCGTCGTCG", "tcg" },
		{ "XenVMMXenVMM", "xen-hvm" }, { "Microsoft Hv", "hyper-v" },
		{ "VMwareVMware", "vmware" },
	};

	if (!(boot_cpu.words[CPUID_1_ECX] &
	      (1u << (X86_FEATURE_hypervisor % 32))))
		return NULL;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(boot_cpu.hypervisor, known[i].signature))
			return known[i].name;
	return "unknown";
}

void cpuid_identify(void)
{
	struct cpu_info *c = &boot_cpu;
	uint32_t max_leaf, b, cx, d;

	cpuid_count(0, 0, &max_leaf, &b, &cx, &d);
	memcpy(c->vendor, &b, 4);
	memcpy(c->vendor + 4, &d, 4);
	memcpy(c->vendor + 8, &cx, 4);
	c->vendor[12] = '\0';
	cpuid_read_words(c, max_leaf);
	cpuid_hide_unusable(c);
	cpuid_read_model_name(c);
}

/*
 * clearcpuid=popcnt,erms: hide features by name. Every name is checked
 * before any feature is hidden, so a typo changes nothing.
 */
static int clearcpuid_param(const char *key __unused, const char *value,
			    char *why)
{
	char buf[CMDLINE_VALUE_MAX], shown[40];
	char *cursor = buf, *name;
	uint32_t words[CPU_FEATURE_WORDS];

	memcpy(words, boot_cpu.words, sizeof(words));
	strlcpy(buf, value, sizeof(buf));
	while ((name = strsep(&cursor, ",")) != NULL) {
		int f = cpu_feature_lookup(name);

		if (f < 0) {
			snprintf(why, CMDLINE_WHY_MAX,
				 "no CPU feature named '%s' (names as in "
				 "/proc/cpuinfo); nothing hidden",
				 str_escape(shown, sizeof(shown), name,
					    strlen(name)));
			return -EINVAL;
		}
		words[f / 32] &= ~(1u << (f % 32));
	}
	memcpy(boot_cpu.words, words, sizeof(words));
	pr_info("clearcpuid: hidden: %s\n", value);
	return 0;
}
KERNEL_PARAM("clearcpuid", clearcpuid_param, "clearcpuid=FEATURE[,FEATURE]",
	     "hide CPU features from the kernel");
