/* SPDX-License-Identifier: MIT */
/*
 * The choice engine's public interface (kernel/patching/): boot-time and
 * run-time patching, and the read-only views the debugfs files, the shell
 * and the tests print. All functions run in thread context; the run-time
 * ones serialize on an internal busy flag and return -EBUSY instead of
 * waiting.
 */
#ifndef RELINK_ENGINE_H
#define RELINK_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <relink/format.h>
#include <relink/names.h> /* relink_shape_name() and the other names */

/* Who decided a choice's current variant, as the "choices" file says. */
enum relink_decided_by {
	RELINK_BY_DEFAULT = 0,
	RELINK_BY_CPUID = 1,
	RELINK_BY_SMP = 2,
	RELINK_BY_HYPERVISOR = 3,
	RELINK_BY_CMDLINE = 4,
	RELINK_BY_RUNTIME = 5,
};

struct relink_choice_info {
	const char *name;
	const struct relink_choice_def *def;
	unsigned int n_variants;
	unsigned int variant; /* current */
	unsigned int default_variant;
	enum relink_decided_by decided_by;
	bool patched; /* false: sites hold the compiled code */
	uint32_t n_sites;
};

struct relink_site_info {
	uint64_t address;
	unsigned int shape; /* enum relink_shape */
	unsigned int choice;
	unsigned int length;
	const uint8_t *bytes; /* the site's current bytes in text */
	const char *variant; /* name of the variant it holds */
	unsigned int n_regs; /* register operands the compiler chose: */
	uint8_t regs[RELINK_MAX_REGS]; /* x86 numbers, rax 0 to r15 15 */
};

/* How a run-time switch wrote its sites, as the "stats" file says. */
enum relink_method {
	RELINK_METHOD_STOP = 0, /* every CPU parked in stop_machine */
	RELINK_METHOD_INT3 = 1, /* the int3 breakpoint protocol */
};

enum relink_boot_phase {
	RELINK_PHASE_LOAD, /* the table checked against the definitions */
	RELINK_PHASE_DECIDE,
	RELINK_PHASE_VERIFY, /* every site emitted and compared */
	RELINK_PHASE_WRITE,
};

struct relink_stats {
	bool have_table;
	uint32_t table_bytes;
	uint32_t n_choices;
	uint32_t n_forms;
	uint32_t n_sites;
	uint32_t sites_by_shape[RELINK_SHAPE_MAX + 1];
	uint32_t boot_sites_written;
	uint64_t boot_ns; /* load, decide, verify and write */
	/* Each of the four, in that order (enum relink_boot_phase). */
	uint64_t boot_phase_ns[4];
	uint32_t switches; /* successful run-time switches */
	int last_choice; /* -1: none yet */
	uint32_t last_sites_written;
	enum relink_method last_method;
	uint64_t last_stop_ns; /* how long the machine was stopped */
	uint64_t last_total_ns; /* the whole switch: verify and write */
	/* The switch with the longest total time since boot. */
	int longest_choice; /* -1: none yet */
	uint32_t longest_sites_written;
	enum relink_method longest_method;
	uint64_t longest_stop_ns;
	uint64_t longest_total_ns;
};

/**
 * relink_init_early() - load the table, decide every choice, patch.
 *
 * Boot time, one CPU, interrupts off, before the other CPUs start. Every
 * site is emitted and verified before the first byte is written; on any
 * error nothing is written and the error is returned (the caller panics).
 * An image without a table (link 1) returns 0 and patches nothing.
 */
int relink_init_early(void);

/**
 * relink_rehearse_boot() - the boot's load, decide and verify again.
 *
 * On a second engine over the same image, started from the variants the
 * sites hold now; nothing is written. The boot's phases pay for an
 * emulator's first translation of the engine's code (TCG translates each
 * block on first run); this run measures the engine's own cost per site,
 * which make bench prints beside the boot's. phase_ns[] gets load, decide
 * and verify (enum relink_boot_phase; write stays 0). A pin on the
 * command line that does not hold is reported again. 0, -EBUSY (a
 * switch is running), -ENODEV (no table) or verify's error (a site holds
 * bytes the engine does not expect: nothing is written either way).
 */
int relink_rehearse_boot(uint64_t phase_ns[4]);

/**
 * relink_switch() - switch choice to variant at run time.
 *
 * Checks the predicate (-EPERM with a log line), emits and verifies every
 * new byte, then writes them under relink_platform_stop_machine(). Returns
 * -ENOENT (no such choice), -EINVAL (no such variant), -EPERM, -EBUSY,
 * -ENODEV (no table), or the error of a site that cannot take the variant;
 * nothing changes on error.
 */
int relink_switch(const char *choice, const char *variant);
/*
 * relink_redecide() - relink_switch() on behalf of a decider whose input
 * changed (the SMP decider on CPU hot-plug); the choices file then names
 * that decider instead of "runtime".
 */
int relink_redecide(const char *choice, const char *variant,
		    enum relink_decided_by by);
int relink_switch_index(unsigned int choice, unsigned int variant);
/*
 * relink_switch_index_by() - the same on behalf of by: RELINK_BY_RUNTIME
 * is a request (refused for a choice decided at boot only), anything else
 * the kernel deciding (e.g. no local APIC: acpi.irq=noirq at boot).
 */
int relink_switch_index_by(unsigned int choice, unsigned int variant,
			   enum relink_decided_by by);
/*
 * relink_switch_auto() - hand choice back to its decider: switch to what
 * the decider picks now (which may differ from what it picked at boot),
 * and name the decider as who decided. Errors as relink_switch().
 */
int relink_switch_auto(unsigned int choice);

/**
 * relink_machine_changed() - re-decide every choice after the machine
 * changed (a CPU coming online or gone offline).
 *
 * A choice its decider owns follows the decider; a variant pinned on the
 * command line or by a run-time switch stays while its predicate holds,
 * and is overridden, with one log line, when it stops holding. 0, or the
 * first switch's error (-EBUSY when a switch is running).
 */
int relink_machine_changed(void);

/*
 * relink_option_check() - for the command line, before the engine loads:
 * 0 when choice has a variant called variant; else -ENOENT (no choice) or
 * -EINVAL (no variant), with the reason in why.
 */
int relink_option_check(const char *choice, const char *variant, char *why,
			size_t size);

/**
 * relink_method_force() - how every later switch writes its sites: "stop"
 * (stop_machine), "int3" (the breakpoint protocol, every CPU running) or
 * "auto" (int3 when every site of the switch allows it, else stop).
 *
 * 0, or -EINVAL for another name. A switch with int3 forced is refused
 * with -EOPNOTSUPP where a site cannot take it (inline code) or no int3
 * reaches the #BP handler (relink_refusal() says which).
 */
int relink_method_force(const char *name);
/* relink_method_forced() - "stop", "int3" or "auto". */
const char *relink_method_forced(void);

/*
 * relink_refusal() - why a switch was refused, as one line: after -EIO
 * the site whose bytes were not what the engine expected, and what it
 * found; after -EOPNOTSUPP why the forced INT3 method cannot write it.
 */
const char *relink_refusal(void);

/*
 * The sites of a loaded module (kernel/module/ fills them from the
 * module's R_RELINK_* relocations). A choice's sites are the kernel
 * table's and those of every module added; every switch covers them all.
 */
struct relink_module_site {
	uint64_t address;
	uint64_t target; /* branch sites: where the jump goes */
	struct relink_form form;
	/*
	 * relink_choice_at(): a kernel choice, or RELINK_OWN_CHOICE | k, the
	 * module's own choice k; relink_module_add() makes it the engine's
	 * index.
	 */
	uint16_t choice;
};

#define RELINK_OWN_CHOICE 0x8000

struct relink_module {
	const char *name;
	/* Every site, and every branch target, lies in [text_start, text_end). */
	uint64_t text_start;
	uint64_t text_end;
	uint32_t n_sites;
	struct relink_module_site *sites;
	/*
	 * The module's own choices (its .relink.choices, relocated): they
	 * join the engine's with the sites and leave with them.
	 */
	const struct relink_choice_def *choices;
	uint32_t n_choices;
	unsigned int first_choice; /* the engine's: index of choices[0] */
	char why[128]; /* relink_module_add() refused: why, one line */
	struct relink_module *next; /* the engine's */
};

/**
 * relink_choice_at() - the choice a site of module's, of shape, names by
 * the address its relocation's symbol resolved to: a choice's definition
 * (__choice_<id>), or for call sites its call symbol; the module's own
 * choices as RELINK_OWN_CHOICE | k. -ENOENT when none.
 */
int relink_choice_at(const struct relink_module *module, uint64_t address,
		     unsigned int shape);

/**
 * relink_module_add() - the module's choices and sites join the engine.
 *
 * Its text must be written (relocated) but not yet executable. Its own
 * choices are checked (the image's rules; no name the engine knows) and
 * decided, and take the indices after every loaded choice; then
 * the engine checks that every site holds the code as compiled and
 * writes each site's current variant with plain stores, all or nothing.
 * Waits while a switch runs. 0, -EEXIST (a choice's name is taken),
 * -ENOSPC (too many choices), -EINVAL (a bad definition or site), -EIO
 * (a site holds other bytes) or the emitter's error, with one line in
 * module->why; nothing added, nothing written then.
 */
int relink_module_add(struct relink_module *module);

/**
 * relink_module_remove() - the module's sites and choices leave, under
 * the engine's lock (never during a switch); before its text is freed.
 * The choices after its own move down to fill their place.
 */
void relink_module_remove(struct relink_module *module);

/* The loaded module that defines choice, or NULL (the kernel's). */
const struct relink_module *relink_choice_module(unsigned int choice);

/* Logs every site written (the "debug-alternative" boot option). */
void relink_set_debug(bool on);

/* Lookups for the debugfs files and the tests. */
unsigned int relink_choice_count(void);
int relink_choice_find(const char *name);
int relink_variant_find(unsigned int choice, const char *name);
int relink_choice_get(unsigned int choice, struct relink_choice_info *info);
/* True when variant may be used now; else why (one phrase) in why. */
bool relink_variant_usable(unsigned int choice, unsigned int variant, char *why,
			   size_t size);
const char *relink_decided_by_name(enum relink_decided_by by);
/* "a, b, c": the names of def's variants, into buf. */
void relink_list_variants(const struct relink_choice_def *def, char *buf,
			  size_t size);
uint32_t relink_site_count(void);
int relink_site_get(uint32_t index, struct relink_site_info *info);
void relink_get_stats(struct relink_stats *stats);

/*
 * The text of the debugfs files, one line per call of out(), which gets
 * printf conversions (the kernel passes a seq_printf-like function).
 */
typedef void (*relink_print_fn)(void *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void relink_show_choices(relink_print_fn out, void *ctx);
void relink_show_sites(relink_print_fn out, void *ctx);
/* The sites of the loaded modules only, as relink_show_sites() ends. */
void relink_show_module_sites(relink_print_fn out, void *ctx);
void relink_show_stats(relink_print_fn out, void *ctx);

#endif /* RELINK_ENGINE_H */
