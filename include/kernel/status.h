/* SPDX-License-Identifier: MIT */
/*
 * Exit statuses the kernel reports to whoever runs it (scripts/qemu-run
 * passes them on). Plain numbers, so the 32-bit entry code can stop with
 * the same status as panic().
 */
#ifndef KERNEL_STATUS_H
#define KERNEL_STATUS_H

#define STATUS_OK 0
#define STATUS_TESTS_FAILED 1
#define STATUS_PANIC 2
#define STATUS_EXCEPTION 3

#endif /* KERNEL_STATUS_H */
