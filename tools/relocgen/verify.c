// SPDX-License-Identifier: MIT
/*
 * The link-2 check. Adding the table object must not move code: if it did,
 * every site address in the table (built from link 1) would be wrong. The
 * sites of both links are compared one by one, then link 2's embedded
 * table is compared byte for byte with the table rebuilt from link 2.
 */
#include <inttypes.h>
#include <string.h>

#include "output.h"
#include "program.h"
#include "rela.h"
#include "util.h"
#include "verify.h"

static bool same_site(const struct program *a, const struct site *x,
		      const struct program *b, const struct site *y)
{
	return x->address == y->address && x->ops == y->ops &&
	       !strcmp(a->choices.choices[x->choice].name,
		       b->choices.choices[y->choice].name);
}

static int compare_sites(const struct program *link1,
			 const struct program *link2)
{
	const struct site_set *s1 = &link1->sites, *s2 = &link2->sites;
	size_t i, n = s1->n_sites < s2->n_sites ? s1->n_sites : s2->n_sites;
	char was[256];
	int errors = 0;

	for (i = 0; i < n; i++) {
		const struct site *x = &s1->sites[i], *y = &s2->sites[i];

		if (same_site(link1, x, link2, y))
			continue;
		elf_file_symbolize(&link1->file, x->address, was, sizeof(was));
		report_at(&link2->file, y->address,
			  "site moved: choice %s site was at 0x%" PRIx64
			  " (%s in %s), now choice %s at 0x%" PRIx64,
			  link1->choices.choices[x->choice].name, x->address,
			  was, link1->file.path,
			  link2->choices.choices[y->choice].name, y->address);
		errors++;
	}
	if (s1->n_sites != s2->n_sites) {
		report(link2->file.path, "%zu sites, but %s has %zu",
		       s2->n_sites, link1->file.path, s1->n_sites);
		errors++;
	}
	return errors ? -1 : 0;
}

static int compare_table(const struct program *link2)
{
	const struct table_image *rebuilt = &link2->table;
	const uint8_t *data;
	size_t size, i;
	bool exact;

	if (table_find(&link2->file, &data, &size, &exact))
		return -1;
	if (size < rebuilt->size || (exact && size != rebuilt->size)) {
		report(link2->file.path,
		       ".relink.table is %zu bytes, the "
		       "table rebuilt from it is %zu",
		       size, rebuilt->size);
		return -1;
	}
	for (i = 0; i < rebuilt->size; i++)
		if (data[i] != rebuilt->data[i])
			break;
	if (i < rebuilt->size) {
		report(link2->file.path,
		       ".relink.table differs from the table rebuilt from "
		       "this image (first difference at byte %zu)",
		       i);
		return -1;
	}
	return 0;
}

/*
 * Verifying a verified image would add a second .rela.relink, every site
 * listed twice: refused. Link 2 is verified once, as ld wrote it.
 */
static int check_not_verified(const struct program *link2)
{
	if (!elf_file_section_by_name(&link2->file, RELA_SECTION_NAME))
		return 0;
	report(link2->file.path,
	       "already has " RELA_SECTION_NAME " (verified before): "
	       "verify link 2 as ld wrote it");
	return -1;
}

int verify_links(const char *link1, const char *link2, const char *out)
{
	struct program p1, p2;
	int rc = -1;

	/* Before the work: a device or FIFO as output is refused at once. */
	if (output_check(out))
		return -1;
	if (program_load(&p1, link1))
		goto out1;
	if (program_load(&p2, link2))
		goto out2;
	if (check_not_verified(&p2) || compare_sites(&p1, &p2) ||
	    compare_table(&p2))
		goto out2;
	rc = rela_write(&p2.file, &p2.choices, &p2.sites, out);
out2:
	program_free(&p2);
out1:
	program_free(&p1);
	return rc;
}
