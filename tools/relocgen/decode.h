/* SPDX-License-Identifier: MIT */
/*
 * Instruction decoding with Zydis: one instruction at a time, and a linear
 * sweep that walks a function from its symbol's start and answers whether
 * an address is an instruction boundary. Each function is swept once, in
 * address order, whatever the number of sites in it.
 */
#ifndef RELOCGEN_DECODE_H
#define RELOCGEN_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include <Zydis/Zydis.h>

struct decoder {
	ZydisDecoder zydis;
};

void decoder_init(struct decoder *decoder);

/* Decode the instruction at bytes; returns its length or -1. */
int decode_insn(const struct decoder *decoder, const uint8_t *bytes,
		size_t available, ZydisDecodedInstruction *insn);

struct sweep {
	const struct decoder *decoder;
	const uint8_t *bytes; /* the code at start */
	uint64_t start;
	uint64_t end; /* decoding never reads at or past end */
	uint64_t cursor; /* the next instruction starts here */
	uint64_t last; /* the last instruction decoded starts here */
	unsigned last_length;
};

/* Start a sweep over the code [start, end) held at bytes. */
void sweep_init(struct sweep *sweep, const struct decoder *decoder,
		const uint8_t *bytes, uint64_t start, uint64_t end);

enum sweep_result {
	SWEEP_BOUNDARY, /* address starts an instruction */
	SWEEP_SPLIT, /* address is inside the one at sweep->last */
	SWEEP_UNDECODABLE, /* no instruction decodes at sweep->cursor */
};

/* Decode forward until the cursor reaches address (never backwards). */
enum sweep_result sweep_to(struct sweep *sweep, uint64_t address);

#endif /* RELOCGEN_DECODE_H */
