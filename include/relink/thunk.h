/* SPDX-License-Identifier: MIT */
/*
 * The layout of a register thunk table (RELINK_OP_CALL_THUNK_OUT, _IN in
 * <relink/format.h>), for C and for the assembly that builds the tables:
 * one thunk per register, rax to r15, this many bytes apart.
 */
#ifndef RELINK_THUNK_H
#define RELINK_THUNK_H

#define RELINK_THUNK_STRIDE 32

#endif /* RELINK_THUNK_H */
