/* SPDX-License-Identifier: MIT */
/*
 * The only way to write kernel text (arch/x86/text_poke.c). The writes
 * return 0, -EFAULT (not text) or -ENOSPC (a batch out of module slots).
 * None reads back or serializes: the caller compares what text holds and
 * runs sync_core() after its last write.
 */
#ifndef ARCH_TEXT_POKE_H
#define ARCH_TEXT_POKE_H

#include <stddef.h>

/* One write in a batch of its own: one map and one flush. */
int text_poke(void *addr, const void *bytes, size_t len);

/*
 * A batch of writes on one CPU, at boot, with the machine stopped or its
 * sites behind int3:
 * text_poke_begin() takes the text-poke lock (interrupts off), each page
 * is mapped once, text_poke_end() unmaps them and flushes once.
 * text_poke_batch() is -EINVAL outside a batch.
 */
void text_poke_begin(void);
int text_poke_batch(void *addr, const void *bytes, size_t len);
void text_poke_end(void);

#endif /* ARCH_TEXT_POKE_H */
