/* SPDX-License-Identifier: MIT */
/*
 * Catching a fault on purpose. fault_catch(fn, arg, &info) runs fn(arg);
 * if fn raises a CPU exception, the exception is not reported as a crash:
 * fault_catch returns -EFAULT with the vector, error code, address and
 * faulting RIP in info. Tests use it to check exception reporting and that
 * bad accesses are caught.
 */
#ifndef KERNEL_FAULT_H
#define KERNEL_FAULT_H

#include <stdint.h>

struct fault_info {
	unsigned int vector;
	uint64_t error_code;
	uint64_t address; /* cr2 for a page fault */
	uint64_t rip;
};

int fault_catch(void (*fn)(void *arg), void *arg, struct fault_info *info);

/* Print the report an uncaught exception prints (also used by tests). */
struct trap_frame;
void exception_report(const struct trap_frame *frame, uint64_t cr2);

#endif /* KERNEL_FAULT_H */
