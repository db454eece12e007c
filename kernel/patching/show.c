// SPDX-License-Identifier: MIT
/*
 * The text of the debugfs files under /sys/kernel/debug/relink/:
 * "choices" (one line per choice: current variant, who decided, sites, the
 * variants with the unusable ones marked and why), "sites" (one line per
 * site: address, symbol+offset, shape, choice, variant, length, bytes) and
 * "stats". Each line goes to a printf-like callback, so the same text
 * serves debugfs, the shell and the host tests.
 */
#include <relink/names.h>

#include "patching.h"
#include "strbuf.h"

static void put_variants(const struct relink_engine *e, unsigned int c,
			 struct strbuf *sb)
{
	const struct relink_choice_def *def = &e->defs[c];
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

		strbuf_init(&sb, variants, sizeof(variants));
		put_variants(e, c, &sb);
		out(ctx, "%-20s %-10s %-10s sites=%-6u variants:%s\n",
		    e->defs[c].name, e->defs[c].variants[st->variant].name,
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
	    relink_shape_name(info.shape), e->defs[info.choice].name,
	    info.variant, info.length, regs, clobbers, bytes);
}

void relink_show_sites(relink_print_fn out, void *ctx)
{
	const struct relink_engine *e = &relink_engine;

	for (uint32_t i = 0; i < e->n_sites; i++)
		show_site(e, i, out, ctx);
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
		out(ctx, "choice %s: %u sites\n", e->defs[c].name,
		    e->state[c].n_sites);
	out(ctx, "boot: %u sites written in %llu ns\n", st->boot_sites_written,
	    (unsigned long long)st->boot_ns);
	if (st->last_choice < 0) {
		out(ctx, "last switch: none\n");
		return;
	}
	out(ctx,
	    "last switch: %s, %u sites written, stopped %llu ns, total %llu ns (%u switches)\n",
	    e->defs[st->last_choice].name, st->last_sites_written,
	    (unsigned long long)st->last_stop_ns,
	    (unsigned long long)st->last_total_ns, st->switches);
}
