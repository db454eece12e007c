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
#include <relink/site.h>

/*
 * A site of choice "smp.lock": "lock" as compiled, a DS prefix (same
 * length, no effect) while only one CPU runs. relocgen records each one.
 */
#define LOCK_PREFIX RELINK_LOCK

typedef struct {
	volatile int counter;
} atomic_t;

typedef struct {
	volatile long counter;
} atomic64_t;

#define ATOMIC_INIT(v)         \
	{                      \
		.counter = (v) \
	}

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
		     : "+m"(a->counter)
		     : "ir"(v)
		     : "memory");
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
		     : "+r"(v), "+m"(a->counter)
		     :
		     : "memory");
	return v;
}

/* Returns the value after the addition. */
static inline int atomic_add_return(atomic_t *a, int v)
{
	return atomic_fetch_add(a, v) + v;
}

static inline int atomic_inc_return(atomic_t *a)
{
	return atomic_add_return(a, 1);
}

static inline int atomic_dec_return(atomic_t *a)
{
	return atomic_add_return(a, -1);
}

/* True when the decrement reached zero. */
static inline bool atomic_dec_and_test(atomic_t *a)
{
	bool zero;

	asm volatile(LOCK_PREFIX "decl %0"
		     : "+m"(a->counter), "=@ccz"(zero)
		     :
		     : "memory");
	return zero;
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
		     : "+a"(old), "+m"(a->counter)
		     : "r"(new)
		     : "memory");
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
		     : "+m"(a->counter)
		     : "er"(v)
		     : "memory");
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

/* Returns the value before the addition. */
static inline long atomic64_fetch_add(atomic64_t *a, long v)
{
	asm volatile(LOCK_PREFIX "xaddq %0, %1"
		     : "+r"(v), "+m"(a->counter)
		     :
		     : "memory");
	return v;
}

/* Returns the value found; the swap happened when it equals old. */
static inline long atomic64_cmpxchg(atomic64_t *a, long old, long new)
{
	asm volatile(LOCK_PREFIX "cmpxchgq %2, %1"
		     : "+a"(old), "+m"(a->counter)
		     : "r"(new)
		     : "memory");
	return old;
}

/* cmpxchg64() - compare-and-swap of any naturally aligned 64-bit word. */
static inline uint64_t cmpxchg64(volatile uint64_t *p, uint64_t old,
				 uint64_t new)
{
	asm volatile(LOCK_PREFIX "cmpxchgq %2, %1"
		     : "+a"(old), "+m"(*p)
		     : "r"(new)
		     : "memory");
	return old;
}

/*
 * Bit operations on an array of unsigned longs (bit nr of the array),
 * atomic with respect to other CPUs. The test_and_ forms return the bit's
 * old value.
 */
static inline void set_bit(unsigned int nr, volatile unsigned long *addr)
{
	asm volatile(LOCK_PREFIX "btsq %1, %0"
		     : "+m"(addr[nr / 64])
		     : "Ir"((unsigned long)(nr % 64))
		     : "memory");
}

static inline void clear_bit(unsigned int nr, volatile unsigned long *addr)
{
	asm volatile(LOCK_PREFIX "btrq %1, %0"
		     : "+m"(addr[nr / 64])
		     : "Ir"((unsigned long)(nr % 64))
		     : "memory");
}

static inline bool test_and_set_bit(unsigned int nr,
				    volatile unsigned long *addr)
{
	bool old;

	asm volatile(LOCK_PREFIX "btsq %2, %1"
		     : "=@ccc"(old), "+m"(addr[nr / 64])
		     : "Ir"((unsigned long)(nr % 64))
		     : "memory");
	return old;
}

static inline bool test_and_clear_bit(unsigned int nr,
				      volatile unsigned long *addr)
{
	bool old;

	asm volatile(LOCK_PREFIX "btrq %2, %1"
		     : "=@ccc"(old), "+m"(addr[nr / 64])
		     : "Ir"((unsigned long)(nr % 64))
		     : "memory");
	return old;
}

/* Not atomic with respect to writers: a plain read of one bit. */
static inline bool test_bit(unsigned int nr, const volatile unsigned long *addr)
{
	return (addr[nr / 64] >> (nr % 64)) & 1;
}

#endif /* KERNEL_ATOMIC_H */
