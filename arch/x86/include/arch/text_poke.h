/* SPDX-License-Identifier: MIT */
/*
 * The only way to write kernel text (arch/x86/text_poke.c). The writes
 * return 0, -EFAULT (not kernel text) or -EIO (read-back mismatch). None
 * serializes: the caller runs sync_core() after its last write.
 */
#ifndef ARCH_TEXT_POKE_H
#define ARCH_TEXT_POKE_H

#include <stddef.h>

/* Boot time: one CPU, interrupts off. One write, one map and flush. */
int text_poke_early(void *addr, const void *bytes, size_t len);
/* Run time: only with the machine stopped (stop_machine). */
int text_poke(void *addr, const void *bytes, size_t len);

/*
 * A batch of writes on one CPU, at boot or with the machine stopped:
 * text_poke_begin() takes the text-poke lock (interrupts off), each page
 * is mapped once, text_poke_end() unmaps them and flushes once.
 * text_poke_batch() is -EINVAL outside a batch.
 */
void text_poke_begin(void);
int text_poke_batch(void *addr, const void *bytes, size_t len);
void text_poke_end(void);

#endif /* ARCH_TEXT_POKE_H */
