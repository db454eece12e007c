/* SPDX-License-Identifier: MIT */
/*
 * The names people read for the numbers of format.h: shapes, registers,
 * deciders. One table, used by relocgen's --dump and the kernel's debugfs
 * files, so both print the same words.
 */
#ifndef RELINK_NAMES_H
#define RELINK_NAMES_H

#include <relink/format.h>

static const char *const relink_register_names[16] = {
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	"r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15",
};

static inline const char *relink_register_name(unsigned int reg)
{
	return reg < 16 ? relink_register_names[reg] : "?";
}

#endif /* RELINK_NAMES_H */
