/* SPDX-License-Identifier: MIT */
/*
 * The choice definitions of an image: section ".relink.choices" (or, when
 * a linker script folds it into another output section, the bytes between
 * __relink_choices_start and __relink_choices_end), an array of struct
 * relink_choice_def (include/relink/format.h), each under a global symbol
 * __choice_<id>, whose pointers lead to names, variant arrays and templates
 * elsewhere in the image.
 */
#ifndef RELOCGEN_CHOICES_H
#define RELOCGEN_CHOICES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <relink/format.h>

#include "elf.h"

/* The most choices a table can hold: a site names its choice in a byte. */
#define RELOCGEN_MAX_CHOICES 255

struct variant {
	const char *name; /* in the file's mapping */
	struct relink_insn *insns;
	size_t n_insns;
	uint64_t target; /* RELINK_OP_CALL destination, or 0 */
	uint8_t pred;
	uint16_t pred_arg;
	uint8_t max_length; /* longest emission over the choice's sites */
	size_t index; /* among all variants, in table order */
};

struct choice {
	size_t index;
	uint64_t address; /* of the definition */
	const char *name;
	const struct elf_symbol *symbol; /* __choice_<id> */
	uint64_t call_symbol;
	uint8_t decider;
	uint8_t default_variant;
	size_t n_variants;
	struct variant *variants;
	uint32_t n_sites;
};

struct call_symbol {
	uint64_t address;
	size_t choice;
};

struct choice_set {
	/*
	 * The definitions live in another file than the sites (a module's
	 * trial link against the kernel, relocgen --module): a marker's
	 * symbol is then an absolute one at a definition's address.
	 */
	bool external;
	struct elf_region region; /* the array of definitions */
	/*
	 * A module's own definitions (choices_read_own()), in its trial
	 * link: choices [first_own, n_choices); own.section NULL if none.
	 */
	struct elf_region own;
	size_t first_own;
	size_t n_choices;
	struct choice *choices;
	size_t n_variants; /* over all choices */
	/* Choices that have call sites, sorted by call symbol address. */
	size_t n_calls;
	struct call_symbol *calls;
};

/*
 * choices_read() - read and check every choice definition of a linked
 * image. Returns 0, or -1 after reporting each bad definition.
 */
int choices_read(const struct elf_file *file, struct choice_set *set);
/*
 * choices_read_own() - add the definitions a module's trial link holds in
 * its own .relink.choices (none is fine) to set, the kernel's: the same
 * rules, and no name the kernel's choices have. 0, or -1 after reporting.
 */
int choices_read_own(const struct elf_file *file, struct choice_set *set);
void choices_free(struct choice_set *set);

/* Whether a symbol lies in the definitions (a marker's symbol does). */
bool choices_has_symbol(const struct choice_set *set,
			const struct elf_symbol *symbol);

/* The choice whose definition holds address, or NULL. */
const struct choice *choices_at(const struct choice_set *set, uint64_t address);

/* The choice whose call symbol is at address, or NULL. */
const struct choice *choices_by_call(const struct choice_set *set,
				     uint64_t address);

#endif /* RELOCGEN_CHOICES_H */
