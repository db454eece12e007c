// SPDX-License-Identifier: MIT
/*
 * relocgen --check-privileged FILE [SECTION...]: every instruction that a
 * Xen PV guest may not execute (it runs in ring 3: cli, sti, hlt, a move
 * to or from a control or debug register, lgdt, lidt, lldt, ltr, rdmsr,
 * wrmsr, invlpg, wbinvd, invd, clts, lmsw, swapgs, port I/O) must be in a
 * pv site, the bytes of a choice that the hypervisor decides, or in a
 * section that only the native environment runs: a SECTION named on the
 * command line, or one whose name starts with it and a dot.
 *
 * Under Xen the engine rewrites every pv site; anything else would run as
 * compiled, and fault or, worse, do nothing (cli after set_iopl). A
 * module runs under Xen too: its trial link (--kernel KERNEL.elf) is
 * held to the same rule, with the kernel's pv choices. The
 * sweep (textscan.c) sees every instruction of every executable section;
 * each stray one is reported with its symbol, and a last line counts them.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "privscan.h"
#include "textscan.h"
#include "util.h"

struct priv_scan {
	const struct program *program;
	char *const *native;
	int n_native;
	size_t strays;
};

/* The mnemonic of a privileged instruction, or NULL. */
static const char *privileged(const ZydisDecodedInstruction *insn)
{
	switch (insn->mnemonic) {
	case ZYDIS_MNEMONIC_MOV:
		/* 0f 20-23: mov from/to a control or debug register. */
		if (insn->opcode_map == ZYDIS_OPCODE_MAP_0F &&
		    insn->opcode >= 0x20 && insn->opcode <= 0x23)
			return "mov cr/dr";
		return NULL;
	case ZYDIS_MNEMONIC_CLI:
	case ZYDIS_MNEMONIC_STI:
	case ZYDIS_MNEMONIC_HLT:
	case ZYDIS_MNEMONIC_LGDT:
	case ZYDIS_MNEMONIC_LIDT:
	case ZYDIS_MNEMONIC_LLDT:
	case ZYDIS_MNEMONIC_LTR:
	case ZYDIS_MNEMONIC_RDMSR:
	case ZYDIS_MNEMONIC_WRMSR:
	case ZYDIS_MNEMONIC_INVLPG:
	case ZYDIS_MNEMONIC_WBINVD:
	case ZYDIS_MNEMONIC_INVD:
	case ZYDIS_MNEMONIC_CLTS:
	case ZYDIS_MNEMONIC_LMSW:
	case ZYDIS_MNEMONIC_SWAPGS:
	case ZYDIS_MNEMONIC_IN:
	case ZYDIS_MNEMONIC_OUT:
	case ZYDIS_MNEMONIC_INSB:
	case ZYDIS_MNEMONIC_INSW:
	case ZYDIS_MNEMONIC_INSD:
	case ZYDIS_MNEMONIC_OUTSB:
	case ZYDIS_MNEMONIC_OUTSW:
	case ZYDIS_MNEMONIC_OUTSD:
		return ZydisMnemonicGetString(insn->mnemonic);
	default:
		return NULL;
	}
}

static bool native_only(const struct priv_scan *scan,
			const struct elf_section *sec)
{
	for (int i = 0; i < scan->n_native; i++) {
		size_t len = strlen(scan->native[i]);

		if (!strncmp(sec->name, scan->native[i], len) &&
		    (!sec->name[len] || sec->name[len] == '.'))
			return true;
	}
	return false;
}

static bool in_pv_site(const struct program *program, uint64_t address)
{
	const struct site *site = site_containing(&program->sites, address);

	return site && program->choices.choices[site->choice].decider ==
			       RELINK_DECIDER_HYPERVISOR;
}

static void check_one(void *ctx, const struct elf_section *sec,
		      uint64_t address, const uint8_t *bytes,
		      const ZydisDecodedInstruction *insn)
{
	struct priv_scan *scan = ctx;
	const char *what = insn ? privileged(insn) : NULL;

	(void)bytes;
	if (!what || native_only(scan, sec) ||
	    in_pv_site(scan->program, address))
		return;
	report_at(&scan->program->file, address,
		  "privileged instruction '%s' outside a pv site and outside "
		  "native-only code",
		  what);
	scan->strays++;
}

int check_privileged(const char *kernel, const char *path, int n_native,
		     char *const *native)
{
	struct program program;
	struct priv_scan scan = { .program = &program,
				  .native = native,
				  .n_native = n_native };

	if (program_load_for(&program, kernel, path)) {
		program_free(&program);
		return -1;
	}
	text_sweep(&program, check_one, &scan);
	program_free(&program);
	if (scan.strays)
		fprintf(stderr,
			"relocgen: %s: %zu privileged instructions outside pv "
			"sites and native-only sections\n",
			path, scan.strays);
	return scan.strays ? -1 : 0;
}
