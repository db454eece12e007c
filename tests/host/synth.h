/* SPDX-License-Identifier: MIT */
/*
 * Synthetic site tables for the unit tests and the benchmarks: builds, in
 * memory, the same ".relink.table" layout relocgen writes, from a list of
 * choice definitions and sites, and fills a fake text buffer with each
 * site's compiled code.
 */
#ifndef TESTS_HOST_SYNTH_H
#define TESTS_HOST_SYNTH_H

#include <stddef.h>
#include <stdint.h>

#include <relink/format.h>

struct synth_site {
	uint32_t offset; /* from text_base */
	uint8_t choice;
	struct relink_form form;
	int32_t branch_target; /* branch sites: relative to the site's end */
};

struct synth_table {
	void *data; /* 8-byte aligned; free() it */
	size_t size;
};

/*
 * Builds the table, its sites in table order (by choice, then offset,
 * whatever the order of sites[]). 0 or -errno.
 */
int synth_build(const struct relink_choice_def *defs, unsigned int n_defs,
		const struct synth_site *sites, uint32_t n_sites,
		uint64_t text_base, struct synth_table *out);

/*
 * Writes every site's compiled code into text (mapped at text_base): a
 * call to the call symbol at call sites, the default variant elsewhere.
 */
int synth_fill_original(const struct relink_choice_def *defs,
			const struct synth_site *sites, uint32_t n_sites,
			uint8_t *text, uint64_t text_base);

#endif /* TESTS_HOST_SYNTH_H */
