// SPDX-License-Identifier: MIT
/*
 * The initrd: a cpio "newc" archive, read in place through the direct
 * map. Each entry is a 110-byte header ("070701" and thirteen 8-digit hex
 * fields), the NUL-terminated name, padding to 4 bytes, the data, padding
 * to 4 bytes; "TRAILER!!!" ends the archive. Every field is checked
 * against what is left of the archive before it is used. Regular files
 * become files of the tree whose show() says their size; the module
 * loader takes their bytes from initrd_find().
 */
#include <kernel/fs.h>
#include <kernel/initrd.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <lib/compiler.h>
#include <lib/errno.h>
#include <lib/string.h>

#define CPIO_MAGIC "070701"
#define CPIO_HEADER 110
#define CPIO_FIELD_MODE 1
#define CPIO_FIELD_FILESIZE 6
#define CPIO_FIELD_NAMESIZE 11
#define CPIO_MODE_TYPE 0170000
#define CPIO_MODE_REGULAR 0100000
#define INITRD_PATH_MAX 128

struct initrd_file {
	char path[INITRD_PATH_MAX];
	const void *data;
	size_t size;
	struct initrd_file *next;
};

static struct initrd_file *initrd_files;

/* Field n of the header at h (8 hex digits); false when not hex. */
static bool cpio_field(const char *h, unsigned int n, uint32_t *value)
{
	const char *p = h + 6 + 8 * n;

	*value = 0;
	for (unsigned int i = 0; i < 8; i++) {
		char c = p[i];
		unsigned int digit;

		if (c >= '0' && c <= '9')
			digit = (unsigned int)(c - '0');
		else if (c >= 'A' && c <= 'F')
			digit = (unsigned int)(c - 'A' + 10);
		else if (c >= 'a' && c <= 'f')
			digit = (unsigned int)(c - 'a' + 10);
		else
			return false;
		*value = *value << 4 | digit;
	}
	return true;
}

static int file_show(struct seq_buf *s, void *data)
{
	const struct initrd_file *f = data;

	seq_printf(s, "%zu bytes from the initrd\n", f->size);
	return s->overflow ? -ENOMEM : 0;
}

static const struct file_ops initrd_file_ops = { .show = file_show };

/* "/" + name into the tree: its directories made, the file created. */
static int publish(const char *name, const void *data, size_t size)
{
	struct initrd_file *f = kzalloc(sizeof(*f));
	struct fs_node *dir;
	char *slash;

	if (!f)
		return -ENOMEM;
	f->path[0] = '/';
	strlcpy(f->path + 1, name, sizeof(f->path) - 1);
	f->data = data;
	f->size = size;
	slash = strrchr(f->path, '/');
	*slash = '\0';
	dir = slash == f->path ? fs_mkdir_path("/") : fs_mkdir_path(f->path);
	*slash = '/';
	if (!dir || !fs_create_file(dir, slash + 1, &initrd_file_ops, f)) {
		pr_warn("initrd: cannot publish %s\n", f->path);
		kfree(f);
		return -EEXIST;
	}
	f->next = initrd_files;
	initrd_files = f;
	return 0;
}

int cpio_entry(const char *archive, size_t size, size_t off,
	       struct cpio_entry *e)
{
	const char *h = archive + off;
	uint32_t name_size;
	size_t data_off;

	if (size - off < CPIO_HEADER || memcmp(h, CPIO_MAGIC, 6) ||
	    !cpio_field(h, CPIO_FIELD_MODE, &e->mode) ||
	    !cpio_field(h, CPIO_FIELD_FILESIZE, &e->size) ||
	    !cpio_field(h, CPIO_FIELD_NAMESIZE, &name_size))
		return -EINVAL;
	/* The name, NUL included, then the data, each padded to 4. */
	if (!name_size || name_size > size - off - CPIO_HEADER ||
	    h[CPIO_HEADER + name_size - 1] != '\0')
		return -EINVAL;
	data_off = ALIGN_UP(off + CPIO_HEADER + name_size, 4);
	if (data_off > size || e->size > size - data_off)
		return -EINVAL;
	e->name = h + CPIO_HEADER;
	e->data = archive + data_off;
	e->next = ALIGN_UP(data_off + e->size, 4);
	return 0;
}

static void initrd_parse(const char *archive, size_t size)
{
	unsigned int files = 0;
	struct cpio_entry e;
	size_t off = 0;

	for (;;) {
		if (cpio_entry(archive, size, off, &e)) {
			pr_err("initrd: bad cpio entry at offset %zu: not newc, "
			       "or past the end of the archive (%zu bytes)\n",
			       off, size);
			break;
		}
		if (!strcmp(e.name, "TRAILER!!!"))
			break;
		if ((e.mode & CPIO_MODE_TYPE) == CPIO_MODE_REGULAR &&
		    strlen(e.name) < INITRD_PATH_MAX - 1 &&
		    !publish(e.name, e.data, e.size))
			files++;
		if (e.next >= size)
			break;
		off = e.next;
	}
	pr_info("initrd: %u files, %zu bytes\n", files, size);
}

int initrd_init(const struct boot_info *boot)
{
	if (!boot->initrd_size)
		return 0;
	if (boot->initrd_phys + boot->initrd_size > direct_map_limit_kernel() ||
	    boot->initrd_phys + boot->initrd_size < boot->initrd_phys) {
		pr_err("initrd: at 0x%llx, beyond the direct map: not used\n",
		       (unsigned long long)boot->initrd_phys);
		return -ERANGE;
	}
	initrd_parse(phys_to_virt_kernel(boot->initrd_phys),
		     (size_t)boot->initrd_size);
	return 0;
}

int initrd_find(const char *path, const void **data, size_t *size)
{
	for (const struct initrd_file *f = initrd_files; f; f = f->next) {
		if (!strcmp(f->path, path)) {
			*data = f->data;
			*size = f->size;
			return 0;
		}
	}
	return -ENOENT;
}
