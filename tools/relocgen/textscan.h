/* SPDX-License-Identifier: MIT */
/*
 * text_sweep() (textscan.c): every instruction of every executable section
 * of a linked image, for the checks that look at all of the text.
 */
#ifndef RELOCGEN_TEXTSCAN_H
#define RELOCGEN_TEXTSCAN_H

#include <stdint.h>

#include "decode.h"
#include "program.h"

/*
 * One step of the sweep: the instruction at address in sec, decoded
 * (insn), or NULL when no instruction decodes at bytes (the check sees
 * the byte and the sweep steps over it).
 */
typedef void (*text_visit_fn)(void *ctx, const struct elf_section *sec,
			      uint64_t address, const uint8_t *bytes,
			      const ZydisDecodedInstruction *insn);

void text_sweep(const struct program *program, text_visit_fn visit, void *ctx);

/* The site whose bytes hold address, or NULL. */
const struct site *site_containing(const struct site_set *sites,
				   uint64_t address);

#endif /* RELOCGEN_TEXTSCAN_H */
