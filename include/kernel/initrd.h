/* SPDX-License-Identifier: MIT */
/*
 * The initial ramdisk: a cpio "newc" archive the boot loader hands over
 * (QEMU's -initrd, the PVH start_info's first module). Its regular files
 * appear in the file tree under their archive paths ("/lib/modules/x.ko");
 * their bytes stay in the archive, which the page allocator never reuses.
 */
#ifndef KERNEL_INITRD_H
#define KERNEL_INITRD_H

#include <stddef.h>
#include <kernel/platform.h>

/*
 * initrd_init() - parse the archive of boot (bounds-checked: a bad entry
 * stops the parse with one line, the files before it stay) and publish
 * its files. After the heap and the file tree exist. 0 or -E*.
 */
int initrd_init(const struct boot_info *boot);

/* One entry of a cpio newc archive, as cpio_entry() found it. */
struct cpio_entry {
	const char *name; /* NUL-terminated, inside the archive */
	const void *data;
	uint32_t mode;
	uint32_t size;
	size_t next; /* offset of the next header */
};

/*
 * cpio_entry() - the entry at offset off of an archive of size bytes
 * (off <= size): 0, or -EINVAL when its header, name or data do not lie
 * whole inside the archive or the header is not newc.
 */
int cpio_entry(const char *archive, size_t size, size_t off,
	       struct cpio_entry *e);

/* initrd_find() - the bytes of file path ("/lib/modules/x.ko"); -ENOENT. */
int initrd_find(const char *path, const void **data, size_t *size);

#endif /* KERNEL_INITRD_H */
