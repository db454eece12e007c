// SPDX-License-Identifier: MIT
/*
 * NOP padding: the recommended multi-byte NOPs of the Intel SDM (NOP with
 * a ModRM memory operand that is never accessed), 1 to 8 bytes. Longer
 * fills are 8-byte NOPs followed by one NOP for the rest, so a pad costs
 * as few instructions as possible. The GAS macro relink_pad in
 * include/relink/site.h emits the same bytes: the default code of a site
 * and the engine's emission of the default variant must be identical.
 */
#include <stdbool.h>

#include "x86_encode.h"

static const uint8_t nops[9][8] = {
	[1] = { 0x90 },
	[2] = { 0x66, 0x90 },
	[3] = { 0x0f, 0x1f, 0x00 },
	[4] = { 0x0f, 0x1f, 0x40, 0x00 },
	[5] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 },
	[6] = { 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00 },
	[7] = { 0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00 },
	[8] = { 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
};

void relink_fill_nops(uint8_t *out, size_t len)
{
	while (len) {
		size_t n = len > 8 ? 8 : len;

		for (size_t i = 0; i < n; i++)
			out[i] = nops[n][i];
		out += n;
		len -= n;
	}
}

bool relink_is_nops(const uint8_t *p, size_t len)
{
	while (len) {
		size_t n = len > 8 ? 8 : len;

		for (size_t i = 0; i < n; i++)
			if (p[i] != nops[n][i])
				return false;
		p += n;
		len -= n;
	}
	return true;
}
