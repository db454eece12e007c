// SPDX-License-Identifier: MIT
/*
 * The text of the debugfs files under /sys/kernel/debug/relink/:
 * "choices" (one line per choice: current variant, who decided, sites, the
 * variants with the unusable ones marked and why), "sites" (one line per
 * site: address, symbol+offset, shape, choice, variant, length, bytes) and
 * "stats" (the table, boot patching and its rate, the latest and the
 * longest run-time switch). Each line goes to a printf-like callback, so the same text
 * serves debugfs, the shell and the host tests.
 */
#include <relink/names.h>

#include "patching.h"
#include "strbuf.h"

static void put_variants(const struct relink_engine *e, unsigned int c,
			 struct strbuf *sb)
{
	const struct relink_choice_def *def = e->defs[c];
	char why[96];

	for (unsigned int v = 0; v < def->n_variants; v++) {
		strbuf_putc(sb, ' ');
		if (v == e->state[c].variant)
			strbuf_putc(sb, '*');
		strbuf_puts(sb, def->variants[v].name);
		if (!relink_pred_holds(&def->variants[v], why, sizeof(why))) {
			strbuf_puts(sb, "(unavailable: ");
			strbuf_puts(sb, why);
			strbuf_putc(sb, ')');
		}
	}
}

void relink_show_choices(relink_print_fn out, void *ctx)
{
	const struct relink_engine *e = &relink_engine;
	char variants[512];
	struct strbuf sb;

	for (unsigned int c = 0; c < e->n_choices; c++) {
		const struct relink_choice_state *st = &e->state[c];
		const struct relink_module *m = relink_choice_module(c);

		strbuf_init(&sb, variants, sizeof(variants));
		put_variants(e, c, &sb);
		/* A module's own choice says whose it is. */
		if (m) {
			strbuf_puts(&sb, " module=");
			strbuf_puts(&sb, m->name);
		}
		out(ctx, "%-20s %-10s %-10s sites=%-6u variants:%s\n",
		    e->defs[c]->name, e->defs[c]->variants[st->variant].name,
		    relink_decided_by_name(
			    (enum relink_decided_by)st->decided_by),
		    st->n_sites, variants);
	}
}

/*
 * One line per site in the format of relocgen --dump, so the two can be
 * compared line by line (the variant and bytes as they are now).
 */
static void show_site(const struct relink_engine *e, uint32_t i,
		      relink_print_fn out, void *ctx)
{
	const struct relink_form *form = relink_site_form(e, i);
	char name[96], regs[64], clobbers[96], bytes[3 * 256];
	struct relink_site_info info;
	struct strbuf sb;

	relink_site_get(i, &info);
	relink_site_name(e, i, name, sizeof(name));
	relink_format_registers(regs, sizeof(regs), form->regs, form->n_regs);
	relink_format_register_mask(clobbers, sizeof(clobbers), form->clobbers);
	strbuf_init(&sb, bytes, sizeof(bytes));
	for (unsigned int b = 0; b < info.length; b++) {
		if (b)
			strbuf_putc(&sb, ' ');
		strbuf_puthex8(&sb, info.bytes[b]);
	}
	out(ctx,
	    "0x%016llx %s %s %s variant=%s len=%u regs=%s clobbers=%s "
	    "bytes=%s\n",
	    (unsigned long long)info.address, name,
	    relink_shape_name(info.shape), e->defs[info.choice]->name,
	    info.variant, info.length, regs, clobbers, bytes);
}

/* A module's site, named "module:symbol+0xoff", in the same format. */
static void show_module_site(const struct relink_engine *e,
			     const struct relink_module_site *s,
			     relink_print_fn out, void *ctx)
{
	const struct relink_form *form = &s->form;
	const uint8_t *text = (const uint8_t *)(uintptr_t)s->address;
	char name[96], regs[64], clobbers[96], bytes[3 * 256];
	const struct relink_choice_def *def = e->defs[s->choice];
	struct strbuf sb;

	relink_address_name(s->address, name, sizeof(name));
	relink_format_registers(regs, sizeof(regs), form->regs, form->n_regs);
	relink_format_register_mask(clobbers, sizeof(clobbers), form->clobbers);
	strbuf_init(&sb, bytes, sizeof(bytes));
	for (unsigned int b = 0; b < form->length; b++) {
		if (b)
			strbuf_putc(&sb, ' ');
		strbuf_puthex8(&sb, text[b]);
	}
	out(ctx,
	    "0x%016llx %s %s %s variant=%s len=%u regs=%s clobbers=%s "
	    "bytes=%s\n",
	    (unsigned long long)s->address, name,
	    relink_shape_name(form->shape), def->name,
	    def->variants[e->state[s->choice].variant].name, form->length, regs,
	    clobbers, bytes);
}

void relink_show_module_sites(relink_print_fn out, void *ctx)
{
	const struct relink_engine *e = &relink_engine;

	for (const struct relink_module *m = e->modules; m; m = m->next)
		for (uint32_t k = 0; k < m->n_sites; k++)
			show_module_site(e, &m->sites[k], out, ctx);
}

/* The table's sites, then each loaded module's. */
void relink_show_sites(relink_print_fn out, void *ctx)
{
	const struct relink_engine *e = &relink_engine;

	for (uint32_t i = 0; i < e->n_sites; i++)
		show_site(e, i, out, ctx);
	relink_show_module_sites(out, ctx);
}

static const char *method_name(enum relink_method method)
{
	return method == RELINK_METHOD_INT3 ? "int3" : "stop";
}

/* "NAME, N sites written, method M, stopped S ns, total T ns". */
static void show_switch(const struct relink_engine *e, relink_print_fn out,
			void *ctx, const char *which, int choice,
			uint32_t written, enum relink_method method,
			uint64_t stop_ns, uint64_t total_ns)
{
	if (choice < 0) {
		out(ctx, "%s switch: none\n", which);
		return;
	}
	out(ctx,
	    "%s switch: %s, %u sites written, method %s, stopped %llu ns, total %llu ns (%u switches)\n",
	    which, e->defs[choice]->name, written, method_name(method),
	    (unsigned long long)stop_ns, (unsigned long long)total_ns,
	    e->stats.switches);
}

/* Boot patching: the whole table loaded, decided, verified and written. */
static void show_boot(const struct relink_stats *st, relink_print_fn out,
		      void *ctx)
{
	out(ctx, "boot: %u sites written in %llu ns\n", st->boot_sites_written,
	    (unsigned long long)st->boot_ns);
	if (st->boot_ns)
		out(ctx, "boot rate: %llu sites/s (%u sites in the table)\n",
		    (unsigned long long)((uint64_t)st->n_sites * 1000000000ull /
					 st->boot_ns),
		    st->n_sites);
	out(ctx,
	    "boot phases: load %llu ns, decide %llu ns, verify %llu ns, "
	    "write %llu ns\n",
	    (unsigned long long)st->boot_phase_ns[RELINK_PHASE_LOAD],
	    (unsigned long long)st->boot_phase_ns[RELINK_PHASE_DECIDE],
	    (unsigned long long)st->boot_phase_ns[RELINK_PHASE_VERIFY],
	    (unsigned long long)st->boot_phase_ns[RELINK_PHASE_WRITE]);
}

void relink_show_stats(relink_print_fn out, void *ctx)
{
	const struct relink_engine *e = &relink_engine;
	const struct relink_stats *st = &e->stats;

	out(ctx, "table: %s, %u bytes, %u choices, %u forms, %u sites\n",
	    st->have_table ? "loaded" : "none", st->table_bytes, st->n_choices,
	    st->n_forms, st->n_sites);
	out(ctx, "sites by shape: call %u, inline %u, lock %u, branch %u\n",
	    st->sites_by_shape[RELINK_SHAPE_CALL],
	    st->sites_by_shape[RELINK_SHAPE_INLINE],
	    st->sites_by_shape[RELINK_SHAPE_LOCK],
	    st->sites_by_shape[RELINK_SHAPE_BRANCH]);
	for (unsigned int c = 0; c < e->n_choices; c++)
		out(ctx, "choice %s: %u sites\n", e->defs[c]->name,
		    e->state[c].n_sites);
	show_boot(st, out, ctx);
	show_switch(e, out, ctx, "last", st->last_choice,
		    st->last_sites_written, st->last_method, st->last_stop_ns,
		    st->last_total_ns);
	show_switch(e, out, ctx, "longest", st->longest_choice,
		    st->longest_sites_written, st->longest_method,
		    st->longest_stop_ns, st->longest_total_ns);
}
