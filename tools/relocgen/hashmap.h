/* SPDX-License-Identifier: MIT */
/*
 * A map from 64-bit keys to 32-bit values: open addressing with linear
 * probing, grown at half full. relocgen keys forms by their packed operands
 * and memoizes template encodings by (form, variant); both are looked up
 * once per site, so a million sites cost a million probes.
 */
#ifndef RELOCGEN_HASHMAP_H
#define RELOCGEN_HASHMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hashmap {
	uint64_t *keys;
	uint32_t *values;
	bool *used;
	size_t capacity; /* a power of two, or 0 */
	size_t count;
};

void hashmap_init(struct hashmap *map);
void hashmap_free(struct hashmap *map);
/* Returns true and sets *value when key is present. */
bool hashmap_get(const struct hashmap *map, uint64_t key, uint32_t *value);
void hashmap_put(struct hashmap *map, uint64_t key, uint32_t value);

#endif /* RELOCGEN_HASHMAP_H */
