/* SPDX-License-Identifier: MIT */
/*
 * Atomic operations: the only place in the kernel that writes a lock
 * prefix. Each one goes through LOCK_PREFIX so that every lock prefix in
 * the image can be recorded and switched between smp and up.
 */
#ifndef KERNEL_ATOMIC_H
#define KERNEL_ATOMIC_H

#include <stdbool.h>
#include <stdint.h>
#include <lib/compiler.h>

#ifndef LOCK_PREFIX
#define LOCK_PREFIX "lock; "
#endif

typedef struct {
	volatile int counter;
} atomic_t;

typedef struct {
	volatile long counter;
} atomic64_t;

#define ATOMIC_INIT(v) { .counter = (v) }

static inline int atomic_read(const atomic_t *a)
{
	return READ_ONCE(a->counter);
}

static inline void atomic_set(atomic_t *a, int v)
{
	WRITE_ONCE(a->counter, v);
}

static inline void atomic_add(atomic_t *a, int v)
{
	asm volatile(LOCK_PREFIX "addl %1, %0"
		     : "+m"(a->counter) : "ir"(v) : "memory");
}

static inline void atomic_inc(atomic_t *a)
{
	asm volatile(LOCK_PREFIX "incl %0" : "+m"(a->counter) : : "memory");
}

static inline void atomic_dec(atomic_t *a)
{
	asm volatile(LOCK_PREFIX "decl %0" : "+m"(a->counter) : : "memory");
}

/* Returns the value before the addition. */
static inline int atomic_fetch_add(atomic_t *a, int v)
{
	asm volatile(LOCK_PREFIX "xaddl %0, %1"
		     : "+r"(v), "+m"(a->counter) : : "memory");
	return v;
}

/* xchg with memory is always locked: no prefix to record. */
static inline int atomic_xchg(atomic_t *a, int v)
{
	asm volatile("xchgl %0, %1" : "+r"(v), "+m"(a->counter) : : "memory");
	return v;
}

/* Returns the value found; the swap happened when it equals old. */
static inline int atomic_cmpxchg(atomic_t *a, int old, int new)
{
	asm volatile(LOCK_PREFIX "cmpxchgl %2, %1"
		     : "+a"(old), "+m"(a->counter) : "r"(new) : "memory");
	return old;
}

static inline long atomic64_read(const atomic64_t *a)
{
	return READ_ONCE(a->counter);
}

static inline void atomic64_set(atomic64_t *a, long v)
{
	WRITE_ONCE(a->counter, v);
}

static inline void atomic64_add(atomic64_t *a, long v)
{
	asm volatile(LOCK_PREFIX "addq %1, %0"
		     : "+m"(a->counter) : "er"(v) : "memory");
}

static inline void atomic64_inc(atomic64_t *a)
{
	asm volatile(LOCK_PREFIX "incq %0" : "+m"(a->counter) : : "memory");
}

static inline long atomic64_xchg(atomic64_t *a, long v)
{
	asm volatile("xchgq %0, %1" : "+r"(v), "+m"(a->counter) : : "memory");
	return v;
}

#endif /* KERNEL_ATOMIC_H */
