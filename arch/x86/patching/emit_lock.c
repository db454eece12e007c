// SPDX-License-Identifier: MIT
/*
 * Lock sites: the one prefix byte of an atomic instruction. The smp
 * variant is the LOCK prefix 0xF0; the up variant is the DS segment
 * override 0x3E, which 64-bit mode ignores: it changes nothing for the
 * instruction and keeps it the same length, so no other byte moves.
 */
#include <errno.h>

#include "emit.h"
#include "pattern.h"

#define LOCK_PREFIX 0xf0
#define DS_PREFIX 0x3e

int relink_emit_lock_prepare(const struct relink_form *form,
			     const struct relink_variant_def *variant,
			     struct relink_pattern *pattern)
{
	const struct relink_insn *insn = variant->tmpl;

	if (form->length != 1)
		return relink_pattern_refuse(pattern, -EINVAL,
					     "a lock site is 1 byte");
	if (variant->n_insns != 1 || !insn || insn->op != RELINK_OP_RAW ||
	    insn->len != 1)
		return relink_pattern_refuse(pattern, -EINVAL,
					     "a lock variant is one raw "
					     "prefix byte");
	if (insn->imm != LOCK_PREFIX && insn->imm != DS_PREFIX)
		return relink_pattern_refuse(pattern, -EINVAL,
					     "a lock variant is the prefix "
					     "0xf0 (lock) or 0x3e (ds)");
	pattern->bytes[0] = (uint8_t)insn->imm;
	return 0;
}
