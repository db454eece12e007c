/* SPDX-License-Identifier: MIT */
/*
 * The private relocations: a copy of link 2 with a non-allocated SHT_RELA
 * section ".rela.relink" holding one Elf64_Rela per site, r_offset = site,
 * symbol = __choice_<id>, type = RELINK_R_BASE + shape, addend = packed
 * operands. "readelf -r" lists them.
 */
#ifndef RELOCGEN_RELA_H
#define RELOCGEN_RELA_H

#define RELA_SECTION_NAME ".rela.relink"

struct elf_file;
struct choice_set;
struct site_set;

/*
 * rela_write() - write path atomically as file plus .rela.relink. Every
 * existing byte keeps its offset: the section names table and the new
 * section go after the end of the file, and the section header table after
 * them. Returns 0 or -1 after reporting.
 */
int rela_write(const struct elf_file *file, const struct choice_set *choices,
	       const struct site_set *sites, const char *path);

#endif /* RELOCGEN_RELA_H */
