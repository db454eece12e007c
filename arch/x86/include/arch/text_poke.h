/* SPDX-License-Identifier: MIT */
/*
 * The only way to write kernel text (arch/x86/text_poke.c). Both return 0,
 * -EFAULT (not kernel text) or -EIO (read-back mismatch). Neither
 * serializes: the caller runs sync_core() after its last write.
 */
#ifndef ARCH_TEXT_POKE_H
#define ARCH_TEXT_POKE_H

#include <stddef.h>

/* Boot time: one CPU, interrupts off. */
int text_poke_early(void *addr, const void *bytes, size_t len);
/* Run time: only with the machine stopped (stop_machine). */
int text_poke(void *addr, const void *bytes, size_t len);

#endif /* ARCH_TEXT_POKE_H */
