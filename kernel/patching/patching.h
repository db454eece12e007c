/* SPDX-License-Identifier: MIT */
/*
 * Private to kernel/patching/: the engine's state and the steps the
 * orchestrator (engine.c) runs in order -- load the table (table.c),
 * decide (decide.c), emit (emit.c), verify and write (apply.c). The unit
 * tests include it to drive each step on synthetic tables.
 */
#ifndef KERNEL_PATCHING_H
#define KERNEL_PATCHING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <relink/engine.h>
#include <relink/format.h>
#include <relink/platform.h>

/* The pseudo-variant "the code as compiled": unpatched call sites call
 * the call symbol, other sites hold the default variant's code. */
#define RELINK_ORIGINAL 255

struct relink_choice_state {
	uint8_t variant;
	uint8_t decided_by; /* enum relink_decided_by */
	bool patched;
	uint32_t n_sites; /* the table's and the loaded modules' */
	/* The choice's sites lie in [first_site, end_site) of the table
	 * (format.h: sites are sorted by choice); its first branch site owns
	 * branch target first_branch; its variants start at first_variant. */
	uint32_t first_site;
	uint32_t end_site;
	uint32_t first_branch;
	uint32_t first_variant;
};

struct relink_engine {
	const struct relink_table_header *header; /* NULL: no table */
	const struct relink_table_choice *choices;
	const struct relink_table_variant *variants;
	const struct relink_form *forms;
	const struct relink_site *sites;
	const int32_t *branch_targets;
	const char *strings;
	/*
	 * The choices: the image's (.relink.choices, in table order), then
	 * those of each loaded module, in load order (module.c). A module's
	 * choices leave with it and the later ones move down.
	 */
	const struct relink_choice_def *defs[RELINK_MAX_CHOICES];
	unsigned int n_choices;
	unsigned int n_image_choices;
	uint32_t n_sites;
	uint64_t text_base;
	uint64_t text_start;
	uint64_t text_end;
	bool debug;
	struct relink_module *modules; /* loaded, in load order */
	struct relink_choice_state state[RELINK_MAX_CHOICES];
	struct relink_stats stats;
};

/* What one apply pass changes: for each touched choice, from and to. */
struct relink_plan {
	uint8_t from[RELINK_MAX_CHOICES];
	uint8_t to[RELINK_MAX_CHOICES];
	uint8_t by[RELINK_MAX_CHOICES];
	bool touch[RELINK_MAX_CHOICES];
	bool early; /* boot: text_poke_early, no stop_machine */
	bool staged; /* verify staged it (relink_stage): write copies */
	uint32_t to_write; /* sites whose bytes change (verify) */
	uint32_t written; /* sites written (write) */
};

extern struct relink_engine relink_engine;

/* table.c: validate image's table against its choice definitions. */
int relink_table_load(struct relink_engine *e,
		      const struct relink_image *image);

bool relink_def_ok(const struct relink_choice_def *def);

unsigned int relink_site_choice(const struct relink_engine *e, uint32_t index);

/* decide.c */
bool relink_pred_holds(const struct relink_variant_def *v, char *why,
		       size_t size);
void relink_decide_all(struct relink_engine *e, struct relink_plan *plan);
void relink_decide_auto(const struct relink_choice_def *def, uint8_t *variant,
			uint8_t *by, bool quiet);
void relink_decide_one(const struct relink_choice_def *def, uint8_t *variant,
		       uint8_t *by);
int relink_find_variant(const struct relink_choice_def *def, const char *name,
			size_t len);

/* emit.c */
uint64_t relink_site_address(const struct relink_engine *e, uint32_t index);
int relink_emit_site(const struct relink_engine *e, unsigned int choice,
		     uint32_t index, unsigned int variant, uint32_t branch,
		     uint8_t *out);
const char *relink_emit_why(const struct relink_engine *e, unsigned int choice,
			    uint32_t index, unsigned int variant);
void relink_emit_reset(void);
void relink_site_name(const struct relink_engine *e, uint32_t index, char *buf,
		      size_t size);
const struct relink_variant_def *
relink_variant_def(const struct relink_engine *e, unsigned int choice,
		   unsigned int variant);

static inline const struct relink_form *
relink_site_form(const struct relink_engine *e, uint32_t index)
{
	return &e->forms[relink_site_form_index(&e->sites[index])];
}

/*
 * Sites are a few bytes long: comparing them inline is much cheaper than a
 * call of memcmp() per site, which the apply rate of millions of sites a
 * second cannot afford.
 */
static inline bool relink_bytes_equal(const uint8_t *a, const uint8_t *b,
				      unsigned int len)
{
	for (unsigned int i = 0; i < len; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/*
 * Where a pass over a plan is: a site of the table (sites are sorted by
 * choice, format.h, so a pass walks the range of each touched choice in
 * table order), then the sites of each module whose choice is touched.
 */
struct plan_cursor {
	unsigned int choice;
	uint32_t site; /* the table's site index */
	uint32_t branch; /* the site's branch target, if it is a branch */
	const struct relink_module *module; /* set: module->sites[msite] */
	uint32_t msite;
	uint32_t ordinal; /* how many sites the pass passed before this one */
};

const struct relink_form *relink_cursor_form(const struct relink_engine *e,
					     const struct plan_cursor *cur);
uint64_t relink_cursor_address(const struct relink_engine *e,
			       const struct plan_cursor *cur);
int relink_cursor_emit(const struct relink_engine *e,
		       const struct plan_cursor *cur, unsigned int variant,
		       uint8_t *out);
void relink_cursor_name(const struct relink_engine *e,
			const struct plan_cursor *cur, char *buf, size_t size);

/* emit.c: the bytes of a site outside the table (a module's). */
int relink_emit_form(const struct relink_engine *e,
		     const struct relink_form *form, unsigned int choice,
		     unsigned int variant, uint64_t address, uint64_t target,
		     uint8_t *out, const char **why);
void relink_address_name(uint64_t address, char *buf, size_t size);

/* engine.c: the busy flag every entry point takes. */
bool relink_trylock(void);
void relink_unlock(void);

/* apply.c: verify writes nothing; write needs a verified plan. */
struct strbuf;
void relink_refusal_start(struct strbuf *sb);
int relink_plan_verify(struct relink_engine *e, struct relink_plan *plan);
/*
 * The stage: a plan's writes, gathered by relink_plan_verify()
 * (plan->staged; false when they do not fit, and then
 * relink_plan_write() emits), so that the write pass (in the stop, or by
 * the INT3 protocol) only copies bytes. The sites the plan changes in
 * pass order, each with its new bytes and then its old ones. Static, as
 * the engine allocates nothing; the engine's lock makes it one plan's.
 */
#define RELINK_STAGE_SITES 512
#define RELINK_STAGE_BYTES 8192
struct relink_staged_site {
	uint64_t address;
	uint16_t at; /* new bytes: bytes[at]; old: bytes[at + length] */
	uint8_t length;
	uint8_t choice;
	uint8_t shape; /* the site's (enum relink_shape), for int3.c */
};
struct relink_stage {
	uint32_t n, used;
	struct relink_staged_site site[RELINK_STAGE_SITES];
	uint8_t bytes[RELINK_STAGE_BYTES];
};
extern struct relink_stage relink_stage;

static inline const uint8_t *
relink_staged_new(const struct relink_staged_site *s)
{
	return relink_stage.bytes + s->at;
}

static inline const uint8_t *
relink_staged_old(const struct relink_staged_site *s)
{
	return relink_stage.bytes + s->at + s->length;
}
int relink_plan_write(struct relink_engine *e, struct relink_plan *plan);
/* In a batch: write len bytes of text at addr and read them back. */
int relink_text_write(bool early, uint64_t addr, const uint8_t *bytes,
		      unsigned int len);
bool relink_plan_cpu_inside(const struct relink_engine *e,
			    const struct relink_plan *plan);
void relink_plan_commit(struct relink_engine *e,
			const struct relink_plan *plan);

/*
 * int3.c: the write method of a switch (enum relink_method), or
 * -EOPNOTSUPP when int3 is forced and a site cannot take it; then the
 * INT3 protocol's write of a verified plan.
 */
int relink_pick_method(const struct relink_engine *e,
		       const struct relink_plan *plan, unsigned int choice);
int relink_plan_write_int3(struct relink_engine *e, struct relink_plan *plan,
			   unsigned int choice);

/* engine.c */
void relink_engine_reset(struct relink_engine *e);

#define relink_log(level, ...) \
	relink_platform_log(level, "relink: " __VA_ARGS__)

#endif /* KERNEL_PATCHING_H */
