// SPDX-License-Identifier: MIT
/*
 * Symbol lookup over the table scripts/gen-ksyms builds from link 1: the
 * text symbols sorted by address, so an address resolves by binary search.
 * Link 1 has an empty table; link 2 (the image that boots) has it filled.
 */
#include <kernel/symbols.h>
#include <lib/printf.h>
#include <lib/string.h>

extern const char __ksyms_start[], __ksyms_end[];

static const struct ksyms_header *ksyms(void)
{
	if ((size_t)(__ksyms_end - __ksyms_start) < sizeof(struct ksyms_header))
		return NULL;
	return (const struct ksyms_header *)__ksyms_start;
}

static const struct ksym *ksym_entries(const struct ksyms_header *h)
{
	return (const struct ksym *)(h + 1);
}

static const char *ksym_name(const struct ksyms_header *h, const struct ksym *s)
{
	return (const char *)h + h->strings_offset + s->name;
}

const char *ksym_lookup(uint64_t addr, uint64_t *offset)
{
	const struct ksyms_header *h = ksyms();
	const struct ksym *syms;
	size_t lo = 0, hi;

	if (!h || !h->count)
		return NULL;
	syms = ksym_entries(h);
	hi = h->count;
	/* Find the last symbol that starts at or below addr. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (syms[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (addr < syms[lo].addr)
		return NULL;
	if (syms[lo].size && addr >= syms[lo].addr + syms[lo].size)
		return NULL;
	*offset = addr - syms[lo].addr;
	return ksym_name(h, &syms[lo]);
}

char *ksym_format(uint64_t addr, char *buf, size_t size)
{
	uint64_t offset;
	const char *name = ksym_lookup(addr, &offset);

	if (name)
		snprintf(buf, size, "%s+0x%llx", name,
			 (unsigned long long)offset);
	else
		snprintf(buf, size, "0x%016llx", (unsigned long long)addr);
	return buf;
}

uint64_t ksym_address(const char *name)
{
	const struct ksyms_header *h = ksyms();

	if (!h)
		return 0;
	for (uint64_t i = 0; i < h->count; i++) {
		const struct ksym *s = &ksym_entries(h)[i];

		if (!strcmp(ksym_name(h, s), name))
			return s->addr;
	}
	return 0;
}
