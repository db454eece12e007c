/* SPDX-License-Identifier: MIT */
/*
 * In-kernel tests, reported in KTAP. A suite is a named array of cases,
 * registered with KTEST_SUITE (section .ktest_suites); "ktest=all" or
 * "ktest=SUITE[,SUITE]" on the command line runs them at boot and powers
 * off with STATUS_OK or STATUS_TESTS_FAILED.
 *
 * In a case, KTEST_EXPECT_* records a failure and goes on; KTEST_ASSERT_*
 * records it and ends the case. ktest_skip() ends the case as skipped.
 *
 *	static void test_add(struct ktest *t)
 *	{
 *		KTEST_EXPECT_EQ(t, 1 + 1, 2);
 *	}
 *	static const struct ktest_case cases[] = { KTEST_CASE(test_add), {} };
 *	KTEST_SUITE(arith, cases);
 */
#ifndef KERNEL_KTEST_H
#define KERNEL_KTEST_H

#include <stdbool.h>
#include <kernel/setjmp.h>
#include <lib/compiler.h>

enum ktest_result { KTEST_PASS, KTEST_FAIL, KTEST_SKIP };

struct ktest {
	const char *name;
	enum ktest_result result;
	char reason[96];
	struct jmp_buf abort;
};

struct ktest_case {
	const char *name;
	void (*run)(struct ktest *t);
};

struct ktest_suite {
	const char *name;
	const struct ktest_case *cases; /* ends with an empty entry */
	/* Optional: return false (with a reason) to skip the whole suite. */
	bool (*available)(const char **reason);
};

#define KTEST_CASE(fn)                 \
	{                              \
		.name = #fn, .run = fn \
	}

#define KTEST_SUITE(sname, case_array, ...)                              \
	static const struct ktest_suite __ktest_suite_##sname __used     \
		__section(".ktest_suites") __aligned(8) = {              \
			.name = #sname, .cases = case_array, __VA_ARGS__ \
		}

void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt,
		...) __printf(4, 5);
void __noreturn ktest_abort(struct ktest *t);
void __noreturn ktest_skip(struct ktest *t, const char *reason);

#define KTEST_EXPECT_MSG(t, cond, fmt, ...)                                    \
	({                                                                     \
		bool __ok = (cond);                                            \
		if (!__ok)                                                     \
			ktest_fail(t, __FILE__, __LINE__, fmt, ##__VA_ARGS__); \
		__ok;                                                          \
	})

#define KTEST_EXPECT_TRUE(t, cond) \
	KTEST_EXPECT_MSG(t, cond, "expected %s", #cond)

#define KTEST_EXPECT_EQ(t, a, b)                                               \
	({                                                                     \
		long long __a = (long long)(a), __b = (long long)(b);          \
		KTEST_EXPECT_MSG(t, __a == __b, "%s == %s (0x%llx vs 0x%llx)", \
				 #a, #b, __a, __b);                            \
	})

#define KTEST_EXPECT_STREQ(t, a, b)                                           \
	({                                                                    \
		const char *__a = (a), *__b = (b);                            \
		KTEST_EXPECT_MSG(t, __a &&__b && !strcmp(__a, __b),           \
				 "%s == %s (\"%s\" vs \"%s\")", #a, #b,       \
				 __a ? __a : "(null)", __b ? __b : "(null)"); \
	})

#define KTEST_ASSERT_TRUE(t, cond)               \
	do {                                     \
		if (!KTEST_EXPECT_TRUE(t, cond)) \
			ktest_abort(t);          \
	} while (0)

#define KTEST_ASSERT_EQ(t, a, b)               \
	do {                                   \
		if (!KTEST_EXPECT_EQ(t, a, b)) \
			ktest_abort(t);        \
	} while (0)

/* ktest_run() - run the suites named in spec ("all" or "a,b"); 0 = all passed. */
int ktest_run(const char *spec);
/* ktest_boot() - when ktest= was given, run the tests and power off. */
void ktest_boot(void);

#endif /* KERNEL_KTEST_H */
