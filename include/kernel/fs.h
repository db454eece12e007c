/* SPDX-License-Identifier: MIT */
/*
 * The kernel's file tree: directories and files whose contents come from
 * callbacks. debugfs (/sys/kernel/debug), /proc and /sys are parts of it.
 * A file has a show() callback that prints its contents and, if writable,
 * a write() callback that takes what was written; write() validates the
 * whole input first and changes nothing on error. A write() that refuses
 * says why in one line, written into why (FS_WHY_MAX bytes, no newline),
 * and never prints it: the shell prints it, at any log level.
 */
#ifndef KERNEL_FS_H
#define KERNEL_FS_H

#include <stddef.h>
#include <kernel/seq.h>

struct fs_node;

#define FS_WHY_MAX 160

struct file_ops {
	int (*show)(struct seq_buf *s, void *data);
	/* buf is NUL-terminated, one trailing newline removed. */
	int (*write)(const char *buf, size_t len, void *data, char *why);
};

/* fs_mkdir() - the directory name under parent (NULL = root); made if absent. */
struct fs_node *fs_mkdir(struct fs_node *parent, const char *name);
/* fs_mkdir_path() - every directory of an absolute path, made if absent. */
struct fs_node *fs_mkdir_path(const char *path);
/* fs_create_file() - a file under parent; NULL when the name is taken. */
struct fs_node *fs_create_file(struct fs_node *parent, const char *name,
			       const struct file_ops *ops, void *data);
/* fs_remove() - remove a file or an empty directory. */
int fs_remove(struct fs_node *node);

/* debugfs: the same API rooted at /sys/kernel/debug. */
struct fs_node *debugfs_create_dir(const char *name, struct fs_node *parent);
struct fs_node *debugfs_create_file(const char *name, struct fs_node *parent,
				    const struct file_ops *ops, void *data);

/* Path operations, for the shell and tests. Return 0 or -E*. */
int fs_read(const char *path, struct seq_buf *out);
/* fs_write() - why (FS_WHY_MAX bytes) gets the file's reason on error. */
int fs_write(const char *path, const char *buf, size_t len, char *why);
struct fs_node *fs_lookup(const char *path);
bool fs_is_dir(const struct fs_node *node);
/* fs_list() - call fn for each child of a directory, in creation order. */
int fs_list(const char *path,
	    void (*fn)(const char *name, bool is_dir, void *ctx), void *ctx);

#endif /* KERNEL_FS_H */
