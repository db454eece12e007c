// SPDX-License-Identifier: MIT
/*
 * The 64-bit to 32-bit hash map of hashmap.h.
 */
#include <stdlib.h>
#include <string.h>

#include "hashmap.h"
#include "util.h"

/* A 64-bit mixer (splitmix64's finalizer): spreads nearby keys. */
static size_t hash_key(uint64_t key, size_t capacity)
{
	key ^= key >> 30;
	key *= 0xbf58476d1ce4e5b9ull;
	key ^= key >> 27;
	key *= 0x94d049bb133111ebull;
	key ^= key >> 31;
	return (size_t)key & (capacity - 1);
}

void hashmap_init(struct hashmap *map)
{
	memset(map, 0, sizeof(*map));
}

void hashmap_free(struct hashmap *map)
{
	free(map->keys);
	free(map->values);
	free(map->used);
	hashmap_init(map);
}

static size_t find_slot(const struct hashmap *map, uint64_t key)
{
	size_t i = hash_key(key, map->capacity);

	while (map->used[i] && map->keys[i] != key)
		i = (i + 1) & (map->capacity - 1);
	return i;
}

bool hashmap_get(const struct hashmap *map, uint64_t key, uint32_t *value)
{
	size_t i;

	if (!map->capacity)
		return false;
	i = find_slot(map, key);
	if (!map->used[i])
		return false;
	*value = map->values[i];
	return true;
}

static void resize(struct hashmap *map, size_t capacity)
{
	struct hashmap old = *map;
	size_t i;

	map->capacity = capacity;
	map->count = 0;
	map->keys = xcalloc(capacity, sizeof(*map->keys));
	map->values = xcalloc(capacity, sizeof(*map->values));
	map->used = xcalloc(capacity, sizeof(*map->used));
	for (i = 0; i < old.capacity; i++)
		if (old.used[i])
			hashmap_put(map, old.keys[i], old.values[i]);
	free(old.keys);
	free(old.values);
	free(old.used);
}

void hashmap_put(struct hashmap *map, uint64_t key, uint32_t value)
{
	size_t i;

	if (2 * (map->count + 1) > map->capacity)
		resize(map, map->capacity ? 2 * map->capacity : 64);
	i = find_slot(map, key);
	if (!map->used[i]) {
		map->used[i] = true;
		map->keys[i] = key;
		map->count++;
	}
	map->values[i] = value;
}
