// SPDX-License-Identifier: MIT
/*
 * Zydis decoding for relocgen. Decoding runs without operands (a NULL
 * decoder context): lengths, prefixes and raw immediates are all that the
 * site checks need, and skipping operand decoding keeps the sweep fast.
 */
#include "decode.h"

void decoder_init(struct decoder *decoder)
{
	ZydisDecoderInit(&decoder->zydis, ZYDIS_MACHINE_MODE_LONG_64,
			 ZYDIS_STACK_WIDTH_64);
}

int decode_insn(const struct decoder *decoder, const uint8_t *bytes,
		size_t available, ZydisDecodedInstruction *insn)
{
	if (!available ||
	    !ZYAN_SUCCESS(ZydisDecoderDecodeInstruction(
		    &decoder->zydis, NULL, bytes, available, insn)))
		return -1;
	return insn->length;
}

void sweep_init(struct sweep *sweep, const struct decoder *decoder,
		const uint8_t *bytes, uint64_t start, uint64_t end)
{
	sweep->decoder = decoder;
	sweep->bytes = bytes;
	sweep->start = start;
	sweep->end = end;
	sweep->cursor = start;
	sweep->last = start;
	sweep->last_length = 0;
}

enum sweep_result sweep_to(struct sweep *sweep, uint64_t address)
{
	ZydisDecodedInstruction insn;

	while (sweep->cursor < address) {
		size_t offset = sweep->cursor - sweep->start;
		int length = decode_insn(sweep->decoder, sweep->bytes + offset,
					 sweep->end - sweep->cursor, &insn);

		if (length < 0)
			return SWEEP_UNDECODABLE;
		sweep->last = sweep->cursor;
		sweep->last_length = (unsigned)length;
		sweep->cursor += (unsigned)length;
	}
	if (sweep->cursor == address)
		return SWEEP_BOUNDARY;
	return SWEEP_SPLIT;
}
