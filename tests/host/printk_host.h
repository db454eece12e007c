/* SPDX-License-Identifier: MIT */
/* tests/host/printk_host.c: what kernel code built for the host printed. */
#ifndef TESTS_PRINTK_HOST_H
#define TESTS_PRINTK_HOST_H

#include <stddef.h>

#define HOST_LOG_SIZE 65536
extern char host_log[HOST_LOG_SIZE];
extern size_t host_log_len;

void host_log_reset(void);
unsigned int host_log_lines(void);

#endif /* TESTS_PRINTK_HOST_H */
