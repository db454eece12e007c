// SPDX-License-Identifier: MIT
/*
 * KTAP suite "module": the loader refuses bad objects. Each case copies
 * the real /lib/modules/demo.ko of the initrd, breaks one thing (cut it
 * short, another machine, a symbol's section index, a relocation's symbol
 * index, offset or type, an undefined symbol's name, a name that is not
 * text, an empty symbol table, a site's operands),
 * and checks that the load fails with its own line, that nothing is
 * loaded, and that every page and heap object it took came back. The
 * real module then loads, a second load of its name is refused, and it
 * unloads leaving memory as it was. A module's own choices (demo.mode,
 * and hello.shout of hello.ko) join the engine while it is loaded: they
 * switch at run time through their files, a malformed definition, one
 * pointing outside the module and a name taken are refused, and the
 * later ones move down when an earlier module leaves.
 *
 * The shell command "modloop NAME N" loads, uses and unloads module NAME
 * N times, switching mem.copy and trace between rounds, and says PASS
 * when memory is the same after the first round and after the last (the
 * stress scenario).
 */
#include <arch/layout.h>
#include <arch/paging.h>
#include <kernel/cpu.h>
#include <kernel/elf64.h>
#include <kernel/fs.h>
#include <kernel/initrd.h>
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/module.h>
#include <kernel/printk.h>
#include <kernel/shell.h>
#include <lib/errno.h>
#include <lib/parse.h>
#include <lib/printf.h>
#include <lib/string.h>
#include <relink/engine.h>

#define DEMO "/lib/modules/demo.ko"
#define CHOICE_FILE "/sys/kernel/debug/relink/choice/demo.mode"

struct memory {
	size_t free_pages, objects, bytes;
};

static void memory_now(struct memory *m)
{
	struct page_stats ps;
	struct heap_stats hs;

	page_stats(&ps);
	heap_stats(&hs);
	m->free_pages = ps.free;
	m->objects = hs.allocations;
	m->bytes = hs.bytes;
}

static bool memory_same(const struct memory *a, const struct memory *b)
{
	return a->free_pages == b->free_pages && a->objects == b->objects &&
	       a->bytes == b->bytes;
}

/* A writable copy of demo.ko, or the case is skipped (no initrd). */
static uint8_t *demo_copy(struct ktest *t, size_t *size)
{
	const void *data;
	uint8_t *copy;

	if (initrd_find(DEMO, &data, size))
		ktest_skip(t, "no " DEMO " (boot with the initrd)");
	copy = kmalloc(*size);
	KTEST_ASSERT_TRUE(t, copy != NULL);
	memcpy(copy, data, *size);
	return copy;
}

static const Elf64_Shdr *section(const uint8_t *image, unsigned int i)
{
	const Elf64_Ehdr *h = (const Elf64_Ehdr *)image;

	return (const Elf64_Shdr *)(image + h->e_shoff) + i;
}

/* The first section of type, or NULL. */
static const Elf64_Shdr *section_of_type(const uint8_t *image, uint32_t type)
{
	const Elf64_Ehdr *h = (const Elf64_Ehdr *)image;

	for (unsigned int i = 0; i < h->e_shnum; i++)
		if (section(image, i)->sh_type == type)
			return section(image, i);
	return NULL;
}

/* The first relocation of the first relocation section of loaded text. */
static Elf64_Rela *text_relocation(uint8_t *image, uint32_t type)
{
	const Elf64_Ehdr *h = (const Elf64_Ehdr *)image;

	for (unsigned int i = 0; i < h->e_shnum; i++) {
		const Elf64_Shdr *s = section(image, i);
		Elf64_Rela *r = (Elf64_Rela *)(image + s->sh_offset);

		if (s->sh_type != SHT_RELA ||
		    !(section(image, s->sh_info)->sh_flags & SHF_EXECINSTR))
			continue;
		for (size_t k = 0; k < s->sh_size / sizeof(*r); k++)
			if (ELF64_R_TYPE(r[k].r_info) == type)
				return &r[k];
	}
	return NULL;
}

/* The symbol called name, or NULL. */
static Elf64_Sym *symbol(uint8_t *image, const char *name)
{
	const Elf64_Shdr *st = section_of_type(image, SHT_SYMTAB);
	const char *strings =
		(const char *)image + section(image, st->sh_link)->sh_offset;
	Elf64_Sym *syms = (Elf64_Sym *)(image + st->sh_offset);

	for (size_t i = 0; i < st->sh_size / sizeof(*syms); i++)
		if (!strcmp(strings + syms[i].st_name, name))
			return &syms[i];
	return NULL;
}

/*
 * The load of image fails saying want; nothing loaded, nothing leaked.
 * Measured on a second try: the first may grow the heap's own pages,
 * which it keeps; a load that leaks leaks again.
 */
static void expect_refused(struct ktest *t, uint8_t *image, size_t size,
			   const char *want)
{
	char why[160] = "";
	struct memory before, after;
	struct seq_buf s;
	int rc;

	module_load_image("bad", image, size, why);
	memory_now(&before);
	rc = module_load_image("bad", image, size, why);
	memory_now(&after);
	KTEST_EXPECT_TRUE(t, rc < 0);
	KTEST_EXPECT_MSG(t, strstr(why, want), "why \"%s\" lacks \"%s\"", why,
			 want);
	KTEST_EXPECT_TRUE(t, memory_same(&before, &after));
	seq_init(&s);
	KTEST_EXPECT_EQ(t, fs_read("/proc/modules", &s), 0);
	KTEST_EXPECT_EQ(t, s.len, 0);
	seq_release(&s);
	kfree(image);
}

static void test_truncated_header(struct ktest *t)
{
	size_t size;
	uint8_t *image = demo_copy(t, &size);

	expect_refused(t, image, 40, "truncated: 40 bytes");
}

static void test_truncated_body(struct ktest *t)
{
	size_t size;
	uint8_t *image = demo_copy(t, &size);

	expect_refused(t, image, size / 2, "truncated or corrupt");
}

static void test_wrong_machine(struct ktest *t)
{
	size_t size;
	uint8_t *image = demo_copy(t, &size);

	((Elf64_Ehdr *)image)->e_machine = 3; /* EM_386 */
	expect_refused(t, image, size, "wrong machine 3, expected x86-64");
}

static void test_section_index_out_of_range(struct ktest *t)
{
	size_t size;
	uint8_t *image = demo_copy(t, &size);
	Elf64_Sym *sym = symbol(image, "init_module");

	KTEST_ASSERT_TRUE(t, sym != NULL);
	sym->st_shndx = 0x2000;
	expect_refused(t, image, size, "section index 8192 out of range");
}

static void test_bad_symbol_index(struct ktest *t)
{
	size_t size;
	uint8_t *image = demo_copy(t, &size);
	Elf64_Rela *r = text_relocation(image, R_X86_64_PLT32);

	KTEST_ASSERT_TRUE(t, r != NULL);
	r->r_info = (uint64_t)0xfffff << 32 | R_X86_64_PLT32;
	expect_refused(t, image, size, "symbol index out of range");
}

static void test_offset_past_section(struct ktest *t)
{
	size_t size;
	uint8_t *image = demo_copy(t, &size);
	Elf64_Rela *r = text_relocation(image, R_X86_64_PLT32);

	KTEST_ASSERT_TRUE(t, r != NULL);
	r->r_offset = 0x100000;
	expect_refused(t, image, size, "offset past its section");
}

static void test_unknown_type(struct ktest *t)
{
	size_t size;
	uint8_t *image = demo_copy(t, &size);
	Elf64_Rela *r = text_relocation(image, R_X86_64_PLT32);

	KTEST_ASSERT_TRUE(t, r != NULL);
	r->r_info = (r->r_info & ~0xffffffffull) | 0x99;
	expect_refused(t, image, size, "unknown type 153");
}

/* Byte k of the name of symbol name, in the string table. */
static uint8_t *symbol_name_byte(struct ktest *t, uint8_t *image,
				 const char *name, size_t k)
{
	const Elf64_Shdr *st = section_of_type(image, SHT_SYMTAB);
	Elf64_Sym *sym = symbol(image, name);

	KTEST_ASSERT_TRUE(t, sym != NULL);
	return image + section(image, st->sh_link)->sh_offset + sym->st_name +
	       k;
}

static void test_unresolved_symbol(struct ktest *t)
{
	size_t size;
	uint8_t *image = demo_copy(t, &size);

	/* Its name in the string table becomes "seq_printx". */
	*symbol_name_byte(t, image, "seq_printf", 9) = 'x';
	expect_refused(t, image, size, "unresolved symbol seq_printx");
}

/* A control byte in a name would break the line: refused at the check. */
static void test_name_not_text(struct ktest *t)
{
	size_t size;
	uint8_t *image = demo_copy(t, &size);

	/* Its NUL becomes a newline: "seq_printf\n" runs into the next. */
	*symbol_name_byte(t, image, "seq_printf", 10) = '\n';
	expect_refused(t, image, size, "symbol names: byte 0x0a at offset");
}

/* Not even the null symbol: the object's fault, not the heap's. */
static void test_empty_symbol_table(struct ktest *t)
{
	size_t size;
	uint8_t *image = demo_copy(t, &size);

	((Elf64_Shdr *)section_of_type(image, SHT_SYMTAB))->sh_size = 0;
	expect_refused(t, image, size, "empty symbol table");
}

static void test_site_operands(struct ktest *t)
{
	size_t size;
	uint8_t *image = demo_copy(t, &size);
	Elf64_Rela *r = text_relocation(image, R_RELINK_LOCK);

	KTEST_ASSERT_TRUE(t, r != NULL);
	/* A lock site of the inline shape: the loader's form check. */
	r->r_addend =
		(int64_t)RELINK_OPS(1, RELINK_SHAPE_INLINE, 0, 0, 0, 0, 0);
	expect_refused(t, image, size, "malformed site operands");
}

static void test_second_load(struct ktest *t)
{
	struct memory before, after;
	const void *data;
	char why[160] = "";
	size_t size;

	if (initrd_find(DEMO, &data, &size))
		ktest_skip(t, "no " DEMO " (boot with the initrd)");
	memory_now(&before);
	KTEST_ASSERT_EQ(t, module_load_image("demo", data, size, why), 0);
	KTEST_EXPECT_EQ(t, module_load_image("demo", data, size, why), -EEXIST);
	KTEST_EXPECT_STREQ(t, why, "already loaded");
	KTEST_EXPECT_EQ(t, module_unload("demo", why), 0);
	memory_now(&after);
	KTEST_EXPECT_TRUE(t, memory_same(&before, &after));
}

/* The direct map's alias of the frame behind module text page va. */
static uint64_t alias_entry(uint64_t frame)
{
	unsigned int level;
	uint64_t *e = paging_lookup(DIRECT_MAP_BASE + frame, &level);

	return e ? *e : 0;
}

/*
 * W^X holds for the frames too: module text is executable and read-only,
 * and the direct map's alias of its frame read-only, until it is unloaded.
 */
static void test_text_frames_read_only(struct ktest *t)
{
	const void *data;
	char why[160] = "", *at;
	unsigned long long base;
	uint64_t frame;
	struct seq_buf s;
	size_t size;

	if (initrd_find(DEMO, &data, &size))
		ktest_skip(t, "no " DEMO " (boot with the initrd)");
	KTEST_ASSERT_EQ(t, module_load_image("demo", data, size, why), 0);
	seq_init(&s);
	fs_read("/proc/modules", &s);
	at = s.buf ? strstr(s.buf, "0x") : NULL;
	KTEST_EXPECT_TRUE(t, at && !kstrtoull(strsep(&at, "\n"), 16, &base));
	seq_release(&s);
	frame = paging_module_text(base);
	KTEST_EXPECT_TRUE(t, frame != 0);
	KTEST_EXPECT_TRUE(t, frame && !(alias_entry(frame) & PTE_WRITE));
	KTEST_EXPECT_EQ(t, module_unload("demo", why), 0);
	KTEST_EXPECT_EQ(t, paging_module_text(base), 0);
	KTEST_EXPECT_TRUE(t, !frame || (alias_entry(frame) & PTE_WRITE));
}

/* The text of file path (one line, no newline) into buf; "" if none. */
static void read_line(const char *path, char *buf, size_t size)
{
	struct seq_buf s;

	buf[0] = '\0';
	seq_init(&s);
	if (!fs_read(path, &s) && s.buf) {
		strlcpy(buf, s.buf, size);
		buf[strcspn(buf, "\n")] = '\0';
	}
	seq_release(&s);
}

/* Loads the module of the initrd, NAME.ko, as name; skips without one. */
static void load(struct ktest *t, const char *name)
{
	char path[64], why[160] = "";
	const void *data;
	size_t size;

	snprintf(path, sizeof(path), "/lib/modules/%s.ko", name);
	if (initrd_find(path, &data, &size))
		ktest_skip(t, "no module in the initrd (boot with it)");
	if (!KTEST_EXPECT_MSG(t, !module_load_image(name, data, size, why),
			      "load %s: %s", name, why))
		ktest_abort(t);
}

/*
 * A module's own choice joins the engine with it: demo.mode is a choice
 * with its one site, a choice/ file switches it at run time and the
 * module's code follows; unloaded, the choice and its file are gone.
 */
static void test_own_choice(struct ktest *t)
{
	unsigned int before = relink_choice_count();
	char why[FS_WHY_MAX], line[96];
	struct relink_choice_info info;
	int c;

	load(t, "demo");
	c = relink_choice_find("demo.mode");
	KTEST_ASSERT_TRUE(t, c >= 0);
	KTEST_EXPECT_EQ(t, relink_choice_count(), before + 1);
	KTEST_EXPECT_EQ(t, relink_choice_get((unsigned int)c, &info), 0);
	KTEST_EXPECT_EQ(t, info.n_sites, 1);
	KTEST_EXPECT_STREQ(t, info.def->variants[info.variant].name, "quiet");
	read_line("/proc/demo", line, sizeof(line));
	KTEST_EXPECT_TRUE(t, strstr(line, "mode=quiet") != NULL);
	KTEST_EXPECT_EQ(t, fs_write(CHOICE_FILE, "loud", 4, why), 0);
	read_line("/proc/demo", line, sizeof(line));
	KTEST_EXPECT_MSG(t, strstr(line, "mode=LOUD"), "/proc/demo: %s", line);
	KTEST_EXPECT_EQ(t, fs_write(CHOICE_FILE, "auto", 4, why), 0);
	read_line("/proc/demo", line, sizeof(line));
	KTEST_EXPECT_TRUE(t, strstr(line, "mode=quiet") != NULL);
	KTEST_EXPECT_EQ(t, module_unload("demo", why), 0);
	KTEST_EXPECT_EQ(t, relink_choice_find("demo.mode"), -ENOENT);
	KTEST_EXPECT_EQ(t, relink_choice_count(), before);
	KTEST_EXPECT_TRUE(t, fs_lookup(CHOICE_FILE) == NULL);
}

/* The section called name, or NULL. */
static Elf64_Shdr *section_named(uint8_t *image, const char *name)
{
	const Elf64_Ehdr *h = (const Elf64_Ehdr *)image;
	const char *names =
		(const char *)image + section(image, h->e_shstrndx)->sh_offset;

	for (unsigned int i = 0; i < h->e_shnum; i++)
		if (!strcmp(names + section(image, i)->sh_name, name))
			return (Elf64_Shdr *)section(image, i);
	return NULL;
}

/* An own choice without variants: the image's rules refuse it. */
static void test_own_choice_malformed(struct ktest *t)
{
	size_t size;
	uint8_t *image = demo_copy(t, &size);
	Elf64_Shdr *s = section_named(image, ".relink.choices");
	struct relink_choice_def *def;

	KTEST_ASSERT_TRUE(t, s != NULL);
	def = (struct relink_choice_def *)(image + s->sh_offset);
	def->n_variants = 0;
	expect_refused(t, image, size, "a choice: malformed definition");
}

/*
 * An own choice whose variants a relocation aims past the module (1 MiB
 * on, another slot): refused before the engine would read them.
 */
static void test_own_choice_outside(struct ktest *t)
{
	size_t size;
	uint8_t *image = demo_copy(t, &size);
	Elf64_Shdr *s = section_named(image, ".rela.relink.choices");
	Elf64_Rela *relas, *variants = NULL;

	KTEST_ASSERT_TRUE(t, s != NULL);
	relas = (Elf64_Rela *)(image + s->sh_offset);
	for (size_t k = 0; k < s->sh_size / sizeof(*relas); k++)
		if (relas[k].r_offset ==
		    offsetof(struct relink_choice_def, variants))
			variants = &relas[k];
	KTEST_ASSERT_TRUE(t, variants != NULL);
	variants->r_addend += 0x100000;
	expect_refused(t, image, size,
		       ".relink.choices: choice 0 points outside the module");
}

/*
 * A branch site without its pair: the loader wants exactly one pair of
 * .relink.branch_targets a branch site (demo.ko's trace point).
 */
static void test_branch_targets_count(struct ktest *t)
{
	size_t size;
	uint8_t *image = demo_copy(t, &size);
	Elf64_Shdr *s = section_named(image, ".relink.branch_targets");

	KTEST_ASSERT_TRUE(t, s != NULL);
	KTEST_ASSERT_EQ(t, s->sh_size, 8);
	s->sh_size = 0;
	expect_refused(t, image, size,
		       "1 branch sites, 0 pairs in .relink.branch_targets");
}

/* A second module with a choice of a name taken: one line, no load. */
static void test_own_choice_name_taken(struct ktest *t)
{
	unsigned int before = relink_choice_count();
	char why[160] = "", modules[160];
	struct memory m0, m1;
	const void *data;
	size_t size;

	load(t, "demo");
	KTEST_ASSERT_EQ(t, initrd_find("/lib/modules/demo.ko", &data, &size),
			0);
	module_load_image("demo2", data, size, why);
	memory_now(&m0);
	KTEST_EXPECT_EQ(t, module_load_image("demo2", data, size, why),
			-EEXIST);
	memory_now(&m1);
	KTEST_EXPECT_STREQ(t, why,
			   "demo.mode: a choice of that name is defined by "
			   "demo (-17)");
	KTEST_EXPECT_TRUE(t, memory_same(&m0, &m1));
	KTEST_EXPECT_EQ(t, relink_choice_count(), before + 1);
	read_line("/proc/modules", modules, sizeof(modules));
	KTEST_EXPECT_TRUE(t, !strncmp(modules, "demo ", 5));
	KTEST_EXPECT_EQ(t, module_unload("demo2", why), -ENOENT);
	KTEST_EXPECT_EQ(t, module_unload("demo", why), 0);
	KTEST_EXPECT_EQ(t, relink_choice_count(), before);
}

/*
 * The choices after an unloaded module's move down: hello.shout, loaded
 * after demo.mode, takes its index when demo goes, and its file and its
 * site still switch it.
 */
static void test_own_choices_move_down(struct ktest *t)
{
	char why[FS_WHY_MAX], line[32];
	int demo, hello;

	load(t, "demo");
	load(t, "hello");
	demo = relink_choice_find("demo.mode");
	hello = relink_choice_find("hello.shout");
	KTEST_EXPECT_EQ(t, hello, demo + 1);
	KTEST_EXPECT_EQ(t, module_unload("demo", why), 0);
	KTEST_EXPECT_EQ(t, relink_choice_find("hello.shout"), demo);
	read_line("/proc/hello", line, sizeof(line));
	KTEST_EXPECT_STREQ(t, line, "hello");
	KTEST_EXPECT_EQ(t,
			fs_write("/sys/kernel/debug/relink/choice/hello.shout",
				 "on", 2, why),
			0);
	read_line("/proc/hello", line, sizeof(line));
	KTEST_EXPECT_STREQ(t, line, "HELLO");
	KTEST_EXPECT_EQ(t, relink_switch("hello.shout", "off"), 0);
	read_line("/proc/hello", line, sizeof(line));
	KTEST_EXPECT_STREQ(t, line, "hello");
	KTEST_EXPECT_EQ(t, module_unload("hello", why), 0);
	KTEST_EXPECT_EQ(t, relink_choice_find("hello.shout"), -ENOENT);
}

static const struct ktest_case module_cases[] = {
	KTEST_CASE(test_truncated_header),
	KTEST_CASE(test_truncated_body),
	KTEST_CASE(test_wrong_machine),
	KTEST_CASE(test_section_index_out_of_range),
	KTEST_CASE(test_bad_symbol_index),
	KTEST_CASE(test_offset_past_section),
	KTEST_CASE(test_unknown_type),
	KTEST_CASE(test_unresolved_symbol),
	KTEST_CASE(test_name_not_text),
	KTEST_CASE(test_empty_symbol_table),
	KTEST_CASE(test_site_operands),
	KTEST_CASE(test_second_load),
	KTEST_CASE(test_text_frames_read_only),
	KTEST_CASE(test_own_choice),
	KTEST_CASE(test_own_choice_malformed),
	KTEST_CASE(test_own_choice_outside),
	KTEST_CASE(test_branch_targets_count),
	KTEST_CASE(test_own_choice_name_taken),
	KTEST_CASE(test_own_choices_move_down),
	{},
};
KTEST_SUITE(module, module_cases);

/* Cycles spent loading and unloading, over every round. */
static uint64_t load_cycles, unload_cycles;

/* One round: load, run its file (every site), switch, unload. */
static int modloop_round(const char *name, unsigned int i, char *why)
{
	uint64_t start = cycles_now();
	struct seq_buf s;
	int rc = module_load(name, why);

	load_cycles += cycles_now() - start;
	if (rc)
		return rc;
	seq_init(&s);
	fs_read("/proc/demo", &s);
	seq_release(&s);
	relink_switch("mem.copy", (i & 1) ? "bytes" : "movsq");
	relink_switch("trace", (i & 2) ? "on" : "off");
	start = cycles_now();
	rc = module_unload(name, why);
	unload_cycles += cycles_now() - start;
	return rc;
}

/* Measured, never asserted: what one load and one unload cost. */
static void modloop_times(const char *name, unsigned int n)
{
	struct seq_buf s;

	seq_init(&s);
	module_load(name, (char[160]){ 0 });
	fs_read("/proc/modules", &s);
	kprintf("modloop: load %llu us, unload %llu us on average of %u; "
		"%s",
		(unsigned long long)cycles_to_ns(load_cycles / n) / 1000,
		(unsigned long long)cycles_to_ns(unload_cycles / n) / 1000, n,
		s.buf ? s.buf : "\n");
	seq_release(&s);
	module_unload(name, (char[160]){ 0 });
}

static int cmd_modloop(int argc, char **argv)
{
	struct memory before, after;
	unsigned int n, i;
	char why[160];
	int rc = 0;

	if (argc != 3 || kstrtouint(argv[2], 10, &n) || n < 2) {
		kprintf("usage: modloop NAME N (N >= 2)\n");
		return -EINVAL;
	}
	load_cycles = unload_cycles = 0;
	/* Round 0 may grow the heap's own pages, which it keeps. */
	rc = modloop_round(argv[1], 0, why);
	memory_now(&before);
	for (i = 1; i < n && !rc; i++)
		rc = modloop_round(argv[1], i, why);
	relink_switch_auto((unsigned int)relink_choice_find("mem.copy"));
	relink_switch_auto((unsigned int)relink_choice_find("trace"));
	memory_now(&after);
	if (rc) {
		kprintf("modloop: FAIL at round %u: %s\n", i, why);
		return rc;
	}
	modloop_times(argv[1], n);
	kprintf("modloop: %s: %u rounds, after round 0 and at the end: free "
		"pages %zu -> %zu, heap objects %zu -> %zu\n",
		memory_same(&before, &after) ? "PASS" : "FAIL", n,
		before.free_pages, after.free_pages, before.objects,
		after.objects);
	return memory_same(&before, &after) ? 0 : -EIO;
}
SHELL_COMMAND("modloop", cmd_modloop, "modloop NAME N",
	      "load, use and unload module NAME N times (a test)");

/*
 * KTAP suite "initrd": the cpio newc reader takes an entry only when its
 * header, name and data lie whole inside the archive.
 */

/* A newc header for name and size bytes of data into buf; its length. */
static size_t newc_header(char *buf, size_t cap, uint32_t name_size,
			  uint32_t size)
{
	uint32_t fields[13] = { 1, 0100644, 0, 0, 1,	     0, size,
				0, 0,	    0, 0, name_size, 0 };
	size_t n = strlcpy(buf, "070701", cap);

	for (unsigned int i = 0; i < 13; i++)
		n += snprintf(buf + n, cap - n, "%08X", fields[i]);
	return n;
}

/*
 * One good entry, 116 bytes: the 110-byte header, "a\0" (the data starts
 * at 112, a multiple of 4), "xyz" and one byte of padding.
 */
static size_t good_archive(char *buf, size_t cap)
{
	size_t n = newc_header(buf, cap, 2, 3);

	memcpy(buf + n, "a\0xyz\0", 6);
	return n + 6;
}

static void test_good_entry(struct ktest *t)
{
	char buf[256];
	size_t size = good_archive(buf, sizeof(buf));
	struct cpio_entry e;

	KTEST_ASSERT_EQ(t, cpio_entry(buf, size, 0, &e), 0);
	KTEST_EXPECT_STREQ(t, e.name, "a");
	KTEST_EXPECT_EQ(t, e.size, 3);
	KTEST_EXPECT_TRUE(t, !memcmp(e.data, "xyz", 3));
	KTEST_EXPECT_EQ(t, e.next, size);
}

static void test_bad_entries(struct ktest *t)
{
	char buf[256];
	size_t size = good_archive(buf, sizeof(buf));
	struct cpio_entry e;

	/* Cut anywhere before the padding: header, name or data is short. */
	for (size_t cut = 0; cut < size - 1; cut++)
		KTEST_EXPECT_EQ(t, cpio_entry(buf, cut, 0, &e), -EINVAL);
	buf[0] = '1'; /* not newc */
	KTEST_EXPECT_EQ(t, cpio_entry(buf, size, 0, &e), -EINVAL);
	good_archive(buf, sizeof(buf));
	buf[6 + 8 * 6] = 'G'; /* not a hex digit in the file size */
	KTEST_EXPECT_EQ(t, cpio_entry(buf, size, 0, &e), -EINVAL);
	newc_header(buf, sizeof(buf), 0, 3); /* no name */
	KTEST_EXPECT_EQ(t, cpio_entry(buf, size, 0, &e), -EINVAL);
	newc_header(buf, sizeof(buf), 0xfffffff0u, 3); /* name past the end */
	KTEST_EXPECT_EQ(t, cpio_entry(buf, size, 0, &e), -EINVAL);
	newc_header(buf, sizeof(buf), 2, 0xfffffff0u); /* data past the end */
	KTEST_EXPECT_EQ(t, cpio_entry(buf, size, 0, &e), -EINVAL);
	good_archive(buf, sizeof(buf));
	buf[110 + 1] = 'b'; /* the name is not NUL-terminated */
	KTEST_EXPECT_EQ(t, cpio_entry(buf, size, 0, &e), -EINVAL);
}

static const struct ktest_case initrd_cases[] = {
	KTEST_CASE(test_good_entry),
	KTEST_CASE(test_bad_entries),
	{},
};
KTEST_SUITE(initrd, initrd_cases);
