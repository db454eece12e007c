// SPDX-License-Identifier: MIT
/*
 * Loading and unloading modules, and what shows them: insmod, rmmod,
 * lsmod and /proc/modules. A load runs its steps in order, each of which
 * may refuse with one line and leaves nothing behind (module_free()
 * undoes whatever the steps before did):
 *
 *  1. find /lib/modules/NAME.ko in the initrd; refuse a second NAME;
 *  2. check the object (elf.c);
 *  3. take a slot of the module area, lay the sections out, map them
 *     writable and not executable, copy them (layout.c);
 *  4. resolve the symbols, apply every relocation, collect the sites
 *     (relocate.c);
 *  5. hand the sites and the module's own choices to the engine, which
 *     writes their choices' current variants -- before the text can
 *     execute; each own choice gets its choice/<name> file;
 *  6. text read-only and executable, rodata read-only (layout.c);
 *  7. init_module(); a non-zero result unloads it again.
 *
 * Unloading runs cleanup_module(), removes its choices' files, takes the
 * sites and its choices out of the engine under the engine's lock, then
 * unmaps and frees. Loads and unloads are
 * serialized by a busy flag: a second one at once gets -EBUSY.
 */
#include <arch/layout.h>
#include <kernel/fs.h>
#include <kernel/init.h>
#include <kernel/initrd.h>
#include <kernel/mm.h>
#include <kernel/module.h>
#include <kernel/printk.h>
#include <kernel/relink.h>
#include <kernel/shell.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/string.h>

#include "module.h"

static struct module *modules;
static bool slot_used[MODULE_SLOTS];
static bool module_busy;

static bool module_trylock(void)
{
	return !__atomic_test_and_set(&module_busy, __ATOMIC_ACQUIRE);
}

static void module_unlock(void)
{
	__atomic_clear(&module_busy, __ATOMIC_RELEASE);
}

static struct module *module_find(const char *name)
{
	for (struct module *m = modules; m; m = m->next)
		if (!strcmp(m->name, name))
			return m;
	return NULL;
}

/* The choice/<name> files of its own choices, made and taken away. */
static void module_choice_files_remove(struct module *mod)
{
	while (mod->choice_files)
		relink_debugfs_choice_remove(
			&mod->sites.choices[--mod->choice_files]);
}

static int module_choice_files_add(struct module *mod, char *why)
{
	for (uint32_t k = 0; k < mod->sites.n_choices; k++) {
		int rc = relink_debugfs_choice_add(&mod->sites.choices[k]);

		if (rc) {
			snprintf(why, MODULE_WHY_MAX,
				 "cannot make the file of choice %s (%d)",
				 mod->sites.choices[k].name, rc);
			return rc;
		}
		mod->choice_files++;
	}
	return 0;
}

static void module_free(struct module *mod)
{
	/* No one switches its choices once their files are gone. */
	module_choice_files_remove(mod);
	if (mod->sites_added)
		relink_module_remove(&mod->sites);
	module_unmap(mod);
	if (mod->base)
		slot_used[mod->slot] = false;
	kfree(mod->sites.sites);
	kfree(mod->symbol_value);
	kfree(mod->section_address);
	kfree(mod);
}

static int take_slot(struct module *mod, char *why)
{
	for (unsigned int s = 0; s < MODULE_SLOTS; s++) {
		if (slot_used[s])
			continue;
		slot_used[s] = true;
		mod->slot = s;
		mod->base = MODULE_BASE + (uint64_t)s * MODULE_SLOT_SIZE;
		return 0;
	}
	snprintf(why, MODULE_WHY_MAX, "all %u module slots are in use",
		 (unsigned int)MODULE_SLOTS);
	return -ENOSPC;
}

/* A global function symbol of the module's text, by name, or NULL. */
static void *module_function(const struct module *mod, const char *name)
{
	for (size_t i = 1; i < mod->image.n_symbols; i++) {
		const Elf64_Sym *sym = &mod->image.symbols[i];

		if (ELF64_ST_TYPE(sym->st_info) == STT_FUNC &&
		    ELF64_ST_BIND(sym->st_info) == STB_GLOBAL &&
		    sym->st_shndx < mod->image.n_sections &&
		    (mod->image.sections[sym->st_shndx].sh_flags &
		     SHF_EXECINSTR) &&
		    mod->symbol_value[i] &&
		    !strcmp(module_symbol_name(&mod->image, i), name))
			return (void *)(uintptr_t)mod->symbol_value[i];
	}
	return NULL;
}

static int module_sites(struct module *mod, char *why)
{
	int rc;

	mod->sites.name = mod->name;
	mod->sites.text_start = mod->base;
	mod->sites.text_end = mod->base + mod->text_pages * PAGE_SIZE;
	rc = relink_module_add(&mod->sites);
	if (rc) {
		snprintf(why, MODULE_WHY_MAX, "%s (%d)", mod->sites.why, rc);
		return rc;
	}
	mod->sites_added = true;
	return module_choice_files_add(mod, why);
}

/* Steps 2 to 6 of a load; then the module's functions. */
static int module_build(struct module *mod, const void *data, size_t size,
			char *why)
{
	int rc = module_image_check(&mod->image, data, size, why);

	if (!rc)
		rc = take_slot(mod, why);
	if (!rc)
		rc = module_layout(mod, why);
	if (!rc)
		rc = module_resolve(mod, why);
	if (!rc)
		rc = module_relocate(mod, why);
	/* The engine writes the sites while the text cannot execute. */
	if (!rc)
		rc = module_sites(mod, why);
	if (!rc)
		rc = module_protect(mod, why);
	if (rc)
		return rc;
	mod->init = module_function(mod, "init_module");
	mod->exit = module_function(mod, "cleanup_module");
	if (!mod->init) {
		snprintf(why, MODULE_WHY_MAX, "no init_module function");
		return -ENOEXEC;
	}
	return 0;
}

static int __module_load_image(const char *name, const void *data, size_t size,
			       char *why)
{
	struct module *mod;
	int rc;

	if (module_find(name)) {
		snprintf(why, MODULE_WHY_MAX, "already loaded");
		return -EEXIST;
	}
	mod = kzalloc(sizeof(*mod));
	if (!mod) {
		snprintf(why, MODULE_WHY_MAX, "out of memory");
		return -ENOMEM;
	}
	strlcpy(mod->name, name, sizeof(mod->name));
	rc = module_build(mod, data, size, why);
	if (!rc) {
		rc = mod->init();
		if (rc)
			snprintf(why, MODULE_WHY_MAX, "init_module failed (%d)",
				 rc);
	}
	if (rc) {
		module_free(mod);
		return rc;
	}
	mod->next = modules;
	modules = mod;
	return 0;
}

static bool name_ok(const char *name, char *why)
{
	if (*name && strlen(name) < MODULE_NAME_MAX && !strchr(name, '/'))
		return true;
	snprintf(why, MODULE_WHY_MAX,
		 "a module name is 1 to %d characters, no '/'",
		 MODULE_NAME_MAX - 1);
	return false;
}

int module_load_image(const char *name, const void *data, size_t size,
		      char *why)
{
	int rc;

	if (!name_ok(name, why))
		return -EINVAL;
	if (!module_trylock()) {
		snprintf(why, MODULE_WHY_MAX, "a module is being (un)loaded");
		return -EBUSY;
	}
	rc = __module_load_image(name, data, size, why);
	module_unlock();
	return rc;
}

/**
 * module_load() - load module name (/lib/modules/NAME.ko of the initrd).
 * 0, or -E* with one line in why (MODULE_WHY_MAX bytes).
 */
int module_load(const char *name, char *why)
{
	char path[sizeof("/lib/modules/.ko") + MODULE_NAME_MAX];
	const void *data;
	size_t size;

	if (!name_ok(name, why))
		return -EINVAL;
	snprintf(path, sizeof(path), "/lib/modules/%s.ko", name);
	if (initrd_find(path, &data, &size)) {
		snprintf(why, MODULE_WHY_MAX, "no %s in the initrd", path);
		return -ENOENT;
	}
	return module_load_image(name, data, size, why);
}

/** module_unload() - cleanup_module(), then the module is gone. */
int module_unload(const char *name, char *why)
{
	struct module *mod, **p;

	if (!module_trylock()) {
		snprintf(why, MODULE_WHY_MAX, "a module is being (un)loaded");
		return -EBUSY;
	}
	mod = module_find(name);
	if (!mod) {
		module_unlock();
		snprintf(why, MODULE_WHY_MAX, "not loaded");
		return -ENOENT;
	}
	for (p = &modules; *p != mod; p = &(*p)->next)
		;
	*p = mod->next;
	if (mod->exit)
		mod->exit();
	/* Its sites leave their choices before its text is freed. */
	module_free(mod);
	module_unlock();
	return 0;
}

/* The function symbol of a module that holds address, as module:sym+off. */
int module_symbolize(uint64_t address, char *buf, size_t size)
{
	for (const struct module *m = modules; m; m = m->next) {
		if (address < m->base ||
		    address >= m->base + m->text_pages * PAGE_SIZE)
			continue;
		for (size_t i = 1; i < m->image.n_symbols; i++) {
			const Elf64_Sym *sym = &m->image.symbols[i];
			uint64_t start = m->symbol_value[i];

			if (ELF64_ST_TYPE(sym->st_info) != STT_FUNC ||
			    address < start || address - start >= sym->st_size)
				continue;
			snprintf(buf, size, "%s:%s+0x%llx", m->name,
				 module_symbol_name(&m->image, i),
				 (unsigned long long)(address - start));
			return 0;
		}
		snprintf(buf, size, "%s:0x%llx", m->name,
			 (unsigned long long)(address - m->base));
		return 0;
	}
	return -ENOENT;
}

/* "NAME SIZE SITES RELOCATIONS ADDRESS", one line per module. */
static void module_show(struct seq_buf *s)
{
	for (const struct module *m = modules; m; m = m->next)
		seq_printf(s, "%-16s %6zu %5u sites %5u relocations 0x%llx\n",
			   m->name,
			   (m->text_pages + m->rodata_pages + m->data_pages) *
				   PAGE_SIZE,
			   m->sites.n_sites, m->n_relocations,
			   (unsigned long long)m->base);
}

static int modules_show(struct seq_buf *s, void *data __unused)
{
	module_show(s);
	return s->overflow ? -ENOMEM : 0;
}

static const struct file_ops modules_ops = { .show = modules_show };

static int modules_init(void)
{
	return fs_create_file(fs_mkdir_path("/proc"), "modules", &modules_ops,
			      NULL) ?
		       0 :
		       -ENOMEM;
}
INITCALL(modules_init);

/* insmod NAME, rmmod NAME: op on the one name, its refusal one line. */
static int module_command(int argc, char **argv,
			  int (*op)(const char *name, char *why))
{
	char why[MODULE_WHY_MAX];

	if (argc != 2) {
		kprintf("usage: %s NAME\n", argv[0]);
		return -EINVAL;
	}
	if (op(argv[1], why)) {
		kprintf("%s: %s: %s\n", argv[0], argv[1], why);
		return -EINVAL;
	}
	return 0;
}

static int cmd_insmod(int argc, char **argv)
{
	return module_command(argc, argv, module_load);
}
SHELL_COMMAND("insmod", cmd_insmod, "insmod NAME",
	      "load /lib/modules/NAME.ko, relinked for this machine");

static int cmd_rmmod(int argc, char **argv)
{
	return module_command(argc, argv, module_unload);
}
SHELL_COMMAND("rmmod", cmd_rmmod, "rmmod NAME", "unload a module");

static int cmd_lsmod(int argc, char **argv __unused)
{
	struct seq_buf s;

	if (argc != 1) {
		kprintf("usage: lsmod\n");
		return -EINVAL;
	}
	seq_init(&s);
	kprintf("Module             Size Sites       Relocations       "
		"Address\n");
	module_show(&s);
	if (s.len)
		kprintf("%s", s.buf);
	seq_release(&s);
	return 0;
}
SHELL_COMMAND("lsmod", cmd_lsmod, "lsmod", "list the loaded modules");
