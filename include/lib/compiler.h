// SPDX-License-Identifier: MIT
/*
 * Compiler helpers shared by every part of relink: attribute shorthands,
 * compile-time checks, type-safe min/max, alignment arithmetic and the
 * IS_ENABLED() test for configuration macros. Each name is guarded so the
 * header also builds on the host next to glibc's headers, where lib/ is
 * compiled for the unit tests.
 */
#ifndef LIB_COMPILER_H
#define LIB_COMPILER_H

#include <stddef.h>

/*
 * lib/ is linked into host test programs that also link glibc, so its
 * public functions cannot keep their standard names there. Every public
 * symbol of lib/ is declared and defined as LIB_NAME(name): the kernel gets
 * plain "memcpy", a build with -DLIB_HOST_TEST gets "lib_memcpy", and the
 * tests call the lib_ names. Code inside lib/ calling another lib/ function
 * uses LIB_NAME() too, so the tests exercise lib/'s own code throughout.
 */
#ifdef LIB_HOST_TEST
#define LIB_NAME(name) lib_##name
#else
#define LIB_NAME(name) name
#endif

#ifndef __unused
#define __unused __attribute__((unused))
#endif
#ifndef __used
#define __used __attribute__((used))
#endif
#ifndef __packed
#define __packed __attribute__((packed))
#endif
#ifndef __aligned
#define __aligned(x) __attribute__((aligned(x)))
#endif
#ifndef __section
#define __section(name) __attribute__((section(name)))
#endif

/*
 * Code that only the native environment runs, in a shared file: the
 * linker keeps .text.native apart, where relocgen --check-privileged lets
 * it hold instructions a Xen PV guest may not run (arch/x86/native/ goes
 * there whole).
 */
#define __native_only __section(".text.native")
/*
 * A privileged instruction that Xen emulates for its PV kernel on
 * purpose, after its own check (rdmsr and wrmsr against the domain's
 * policy, port I/O against dom0's ports): shared code that both worlds
 * run, in .text.xen_emulated, which --check-privileged allows too.
 */
#define __xen_emulated __section(".text.xen_emulated")
#ifndef __noreturn
#define __noreturn __attribute__((noreturn))
#endif
#ifndef __printf
#define __printf(fmt_index, first_arg) \
	__attribute__((format(printf, fmt_index, first_arg)))
#endif

#ifndef likely
#define likely(x) __builtin_expect(!!(x), 1)
#endif
#ifndef unlikely
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

/* Stops the compiler from moving memory accesses across this point. */
#ifndef barrier
#define barrier() __asm__ __volatile__("" : : : "memory")
#endif

/*
 * Exactly one load or store of x, neither merged, split by the compiler
 * (for naturally aligned scalars) nor repeated.
 */
#ifndef READ_ONCE
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#endif
#ifndef WRITE_ONCE
#define WRITE_ONCE(x, val)                               \
	do {                                             \
		*(volatile __typeof__(x) *)&(x) = (val); \
	} while (0)
#endif

#define __lib_paste2(a, b) a##b
#define __lib_paste(a, b) __lib_paste2(a, b)
/* A fresh identifier per expansion, for locals of statement expressions. */
#define __lib_unique(prefix) \
	__lib_paste(__lib_paste(__lib_, prefix), __COUNTER__)

/* Fails the build when cond is true; usable wherever a declaration is. */
#ifndef BUILD_BUG_ON
#define BUILD_BUG_ON(cond) _Static_assert(!(cond), "BUILD_BUG_ON: " #cond)
#endif
/* Like BUILD_BUG_ON, but an expression of value 0 (type size_t). */
#ifndef BUILD_BUG_ON_ZERO
#define BUILD_BUG_ON_ZERO(cond)                                        \
	(0 * sizeof(struct {                                           \
		 _Static_assert(!(cond), "BUILD_BUG_ON_ZERO: " #cond); \
		 char __lib_dummy;                                     \
	 }))
#endif

/* Number of elements of an array; a pointer argument fails the build. */
#ifndef ARRAY_SIZE
#define __lib_must_be_array(a)                                        \
	BUILD_BUG_ON_ZERO(__builtin_types_compatible_p(__typeof__(a), \
						       __typeof__(&(a)[0])))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]) + __lib_must_be_array(a))
#endif

/* The structure of type `type` whose field `member` ptr points to. */
#ifndef container_of
#define container_of(ptr, type, member)                                    \
	({                                                                 \
		const __typeof__(((type *)0)->member) *__lib_mptr = (ptr); \
		(type *)((char *)__lib_mptr - offsetof(type, member));     \
	})
#endif

/*
 * min() and max() evaluate each argument once and refuse arguments of
 * different types: comparing pointers to the two temporaries draws
 * "comparison of distinct pointer types", an error under -Werror. Use
 * min_t()/max_t() to compare in an explicitly chosen type.
 */
#define __lib_pick(op, x, y, ux, uy)    \
	({                              \
		__typeof__(x) ux = (x); \
		__typeof__(y) uy = (y); \
		(void)(&ux == &uy);     \
		ux op uy ? ux : uy;     \
	})
#ifndef min
#define min(x, y) __lib_pick(<, x, y, __lib_unique(x_), __lib_unique(y_))
#endif
#ifndef max
#define max(x, y) __lib_pick(>, x, y, __lib_unique(x_), __lib_unique(y_))
#endif
#ifndef min_t
#define min_t(type, x, y) min((type)(x), (type)(y))
#endif
#ifndef max_t
#define max_t(type, x, y) max((type)(x), (type)(y))
#endif
/* val limited to [lo, hi]; all three must have the same type. */
#ifndef clamp
#define clamp(val, lo, hi) min(max(val, lo), hi)
#endif

/* a must be a power of two; the result has the type of x. */
#define __lib_align_mask(x, a) (((__typeof__(x))(a)) - 1)
#ifndef ALIGN_DOWN
#define ALIGN_DOWN(x, a) ((x) & ~__lib_align_mask(x, a))
#endif
#ifndef ALIGN_UP
#define ALIGN_UP(x, a) ALIGN_DOWN((x) + __lib_align_mask(x, a), a)
#endif
#ifndef IS_ALIGNED
#define IS_ALIGNED(x, a) (ALIGN_DOWN(x, a) == (x))
#endif

/*
 * IS_ENABLED(CONFIG_FOO) is 1 when CONFIG_FOO is defined to 1 and 0 when
 * it is undefined, as an ordinary expression, so `if (IS_ENABLED(...))`
 * keeps both branches compiled. The trick: pasting the option's value onto
 * __lib_option_is_ yields the macro __lib_option_is_1, which expands to
 * "0," and shifts a 1 into the second argument slot; any other spelling
 * pastes to an unknown identifier and the second slot stays 0.
 */
#define __lib_option_is_1 0,
#define __lib_second_arg(ignored, val, ...) val
#define __lib_is_set3(junk_or_comma) __lib_second_arg(junk_or_comma 1, 0, 0)
#define __lib_is_set2(val) __lib_is_set3(__lib_option_is_##val)
#define __lib_is_set(option) __lib_is_set2(option)
#ifndef IS_ENABLED
#define IS_ENABLED(option) __lib_is_set(option)
#endif

#endif /* LIB_COMPILER_H */
