// SPDX-License-Identifier: MIT
/*
 * CPU features under Xen PV. cpuid_identify() runs before the engine
 * relinks pv.cpuid to Xen's forced-emulation form, so it reads the
 * CPU's own view (TCG has no CPUID faulting: Xen cannot filter it).
 * What the domain may use is Xen's view: every feature word is cut down
 * to what the forced form reports, before any choice is decided.
 */
#include <arch/cpu.h>
#include <arch/pv.h>
#include <kernel/bitops.h>
#include <kernel/cpu.h>
#include <kernel/printk.h>
#include <xenpv/xenpv.h>

struct feature_word {
	unsigned int word; /* CPUID_* of <relink/cpufeature.h> */
	uint32_t leaf, subleaf;
	unsigned int reg; /* 0..3: eax, ebx, ecx, edx */
};

static const struct feature_word feature_words[] = {
	{ CPUID_1_EDX, 1, 0, 3 },
	{ CPUID_1_ECX, 1, 0, 2 },
	{ CPUID_7_0_EBX, 7, 0, 1 },
	{ CPUID_7_0_ECX, 7, 0, 2 },
	{ CPUID_7_0_EDX, 7, 0, 3 },
	{ CPUID_80000001_EDX, 0x80000001, 0, 3 },
	{ CPUID_80000001_ECX, 0x80000001, 0, 2 },
};

void xen_cpuid_filter(void)
{
	uint32_t regs[4], max, max_ext;
	unsigned int hidden = 0;

	xen_cpuid(0, 0, regs);
	max = regs[0];
	xen_cpuid(0x80000000, 0, regs);
	max_ext = regs[0];
	for (unsigned int i = 0; i < ARRAY_SIZE(feature_words); i++) {
		const struct feature_word *f = &feature_words[i];
		uint32_t *word = &boot_cpu.words[f->word];
		uint32_t top = f->leaf >= 0x80000000 ? max_ext : max;

		regs[0] = regs[1] = regs[2] = regs[3] = 0;
		if (f->leaf <= top)
			xen_cpuid(f->leaf, f->subleaf, regs);
		hidden += (unsigned int)hweight64(*word & ~regs[f->reg]);
		*word &= regs[f->reg];
	}
	pr_info("cpuid: Xen's view (forced emulation): %u features of the "
		"CPU hidden\n",
		hidden);
}
