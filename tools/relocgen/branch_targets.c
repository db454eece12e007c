// SPDX-License-Identifier: MIT
/*
 * Branch targets: section .relink.branch_targets (or the bytes between
 * __relink_branch_targets_start and _end, when a linker script folds it
 * into another output section) holds one pair of int32 per branch site,
 * written by the site macro as
 *
 *	.long <site> - .
 *	.long <target> - .
 *
 * so after the link each value is relative to its own slot: site =
 * &slot0 + value0 and target = &slot1 + value1. The pairs are matched to
 * branch markers by address; a branch site without a pair, or a pair
 * without a branch site, is an error.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "elf.h"
#include "sites.h"
#include "util.h"

struct branch_pair {
	uint64_t site;
	uint64_t target;
};

static int compare_pairs(const void *a, const void *b)
{
	const struct branch_pair *x = a, *y = b;

	if (x->site != y->site)
		return x->site < y->site ? -1 : 1;
	return x->target < y->target ? -1 : x->target > y->target;
}

/* The pairs, sorted by site; *count is SIZE_MAX after an error. */
static struct branch_pair *read_pairs(const struct elf_file *file,
				      size_t *count)
{
	struct elf_region region;
	struct branch_pair *pairs;
	size_t i;
	int rc = elf_file_region(file, ".relink.branch_targets",
				 "__relink_branch_targets_start",
				 "__relink_branch_targets_end", &region);

	*count = rc < 0 ? SIZE_MAX : 0;
	if (rc)
		return NULL;
	if (region.size % 8) {
		report(file->path,
		       ".relink.branch_targets: size %zu is not a multiple of "
		       "8 (pairs of int32)",
		       region.size);
		*count = SIZE_MAX;
		return NULL;
	}
	*count = region.size / 8;
	pairs = xcalloc(*count, sizeof(*pairs));
	for (i = 0; i < *count; i++) {
		uint64_t slot = region.address + 8 * i;
		int32_t values[2];

		memcpy(values, region.data + 8 * i, sizeof(values));
		pairs[i].site = slot + (uint64_t)(int64_t)values[0];
		pairs[i].target = slot + 4 + (uint64_t)(int64_t)values[1];
	}
	qsort(pairs, *count, sizeof(*pairs), compare_pairs);
	return pairs;
}

/* Match sorted pairs to sorted sites in one merge. */
static int match_pairs(const struct elf_file *file, struct site_set *set,
		       const struct branch_pair *pairs, size_t n_pairs)
{
	size_t p = 0, i;
	int errors = 0;

	for (i = 0; i < set->n_sites; i++) {
		struct site *s = &set->sites[i];

		for (; p < n_pairs && pairs[p].site < s->address; p++) {
			report_at(file, pairs[p].site,
				  ".relink.branch_targets names no branch site "
				  "here");
			errors++;
		}
		if (s->shape != RELINK_SHAPE_BRANCH)
			continue;
		if (p == n_pairs || pairs[p].site != s->address) {
			report_at(file, s->address,
				  "branch site has no target in "
				  ".relink.branch_targets");
			s->bad = true;
			errors++;
			continue;
		}
		s->target = pairs[p].target;
		s->has_target = true;
		for (p++; p < n_pairs && pairs[p].site == s->address; p++) {
			if (pairs[p].target == s->target)
				continue;
			report_at(file, s->address,
				  "branch site has two targets in "
				  ".relink.branch_targets");
			errors++;
		}
	}
	for (; p < n_pairs; p++) {
		report_at(file, pairs[p].site,
			  ".relink.branch_targets names no branch site here");
		errors++;
	}
	return errors ? -1 : 0;
}

int branch_targets_attach(const struct elf_file *file, struct site_set *set)
{
	size_t n_pairs;
	struct branch_pair *pairs = read_pairs(file, &n_pairs);
	int rc;

	if (n_pairs == SIZE_MAX)
		return -1;
	rc = match_pairs(file, set, pairs, n_pairs);
	free(pairs);
	return rc;
}
