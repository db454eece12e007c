/* SPDX-License-Identifier: MIT */
/*
 * The sites of an image, as found in its relocations (link with
 * --emit-relocs):
 *
 *  - markers: R_X86_64_NONE against __choice_<id>, r_offset = site,
 *    r_addend = packed operands (RELINK_OPS in format.h);
 *  - call sites: an R_X86_64_PC32/PLT32 in executable text whose symbol is
 *    a choice's call symbol, right after an 0xe8 opcode, addend -4;
 *  - branch targets: pairs of int32 (site - &slot0, target - &slot1) in
 *    section .relink.branch_targets, one pair per branch site.
 */
#ifndef RELOCGEN_SITES_H
#define RELOCGEN_SITES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <relink/format.h>

struct elf_file;
struct choice_set;

struct site {
	uint64_t address;
	uint64_t ops; /* packed operands, as in the marker's addend */
	uint64_t target; /* branch sites: where the jump goes */
	uint32_t choice;
	uint32_t form; /* index into site_set.forms */
	uint8_t shape;
	uint8_t length;
	bool has_target;
	bool bad; /* failed a check: later checks skip it */
};

struct site_set {
	size_t n_sites;
	struct site *sites; /* sorted by address */
	uint64_t text_base; /* lowest address of any executable section */
	size_t n_forms;
	struct relink_form *forms; /* in order of first use */
	uint64_t *form_ops; /* the packed operands of each form */
};

/* The operands relocgen gives a call site: the psABI's caller-saved set. */
#define SITE_CALL_OPS \
	RELINK_OPS(5, RELINK_SHAPE_CALL, 0, 0, 0, 0, RELINK_CALLER_SAVED)

/*
 * sites_collect() - find every site of an image, sorted by address, with
 * its branch target. Returns 0, or -1 after reporting every bad reference.
 */
int sites_collect(const struct elf_file *file, const struct choice_set *choices,
		  struct site_set *set);

/* Read .relink.branch_targets and give every branch site its target. */
int branch_targets_attach(const struct elf_file *file, struct site_set *set);

void sites_free(struct site_set *set);

#endif /* RELOCGEN_SITES_H */
