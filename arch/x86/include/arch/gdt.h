/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU descriptor tables.
 */
#ifndef ARCH_GDT_H
#define ARCH_GDT_H

#include <stdint.h>

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

struct cpu_gdt {
	uint64_t entries[5];
	struct tss64 tss;
	uint8_t ist1_stack[8192] __attribute__((aligned(16)));
};

/* gdt_of_cpu() - the descriptor tables of CPU cpu. */
struct cpu_gdt *gdt_of_cpu(unsigned int cpu);
/* Fill g, load it, reload the segment registers and the task register. */
void gdt_init_cpu(struct cpu_gdt *g);

#endif /* ARCH_GDT_H */
