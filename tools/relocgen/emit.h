/* SPDX-License-Identifier: MIT */
/*
 * Every variant at every site, through the kernel's own x86 emitter
 * (include/relink/arch.h, built from arch/x86/patching/ for the host): the
 * bytes checked here are the bytes the kernel writes. Zydis, the
 * independent decoder, then checks each emission, and the code as
 * compiled must be what the kernel expects to find before its first write.
 */
#ifndef RELOCGEN_EMIT_H
#define RELOCGEN_EMIT_H

#include <stddef.h>

#include "decode.h"
#include "hashmap.h"

struct elf_file;
struct choice;
struct site;
struct site_set;

struct emitter {
	const struct elf_file *file;
	const struct site_set *set;
	struct decoder decoder;
	struct hashmap memo; /* (form, variant) -> index into prepared */
	struct prepared *prepared;
	size_t n_prepared, capacity;
};

void emitter_init(struct emitter *em, const struct elf_file *file,
		  const struct site_set *set);
void emitter_free(struct emitter *em);

/*
 * emit_check_site() - check site s of choice c: the compiled code is the
 * kernel's emission of the code as compiled (the default variant, or at a
 * call site the call of the call symbol), and every variant emits, as the
 * kernel would, whole instructions that fill the site. Records each
 * variant's longest code. Returns 0, or -1 after reporting the first
 * problem as "FILE: symbol+0xoff: ...".
 */
int emit_check_site(struct emitter *em, struct choice *c, const struct site *s);

#endif /* RELOCGEN_EMIT_H */
