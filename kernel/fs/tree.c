// SPDX-License-Identifier: MIT
/*
 * The in-memory file tree: nodes with a name, a parent and children in
 * creation order. Files carry file_ops; directories carry children. Path
 * lookup walks absolute paths ("/a/b"), ignoring repeated slashes. The tree
 * is guarded by one lock; callbacks run without it.
 */
#include <stdbool.h>
#include <kernel/fs.h>
#include <kernel/init.h>
#include <kernel/mm.h>
#include <kernel/spinlock.h>
#include <lib/errno.h>
#include <lib/string.h>
#include <kernel/module.h>

#define FS_NAME_MAX 48

struct fs_node {
	char name[FS_NAME_MAX];
	bool is_dir;
	struct fs_node *parent;
	struct fs_node *first_child, *last_child, *next_sibling;
	const struct file_ops *ops;
	void *data;
};

static struct fs_node root = { .name = "", .is_dir = true };
static DEFINE_SPINLOCK(tree_lock);

static struct fs_node *child_find(struct fs_node *dir, const char *name,
				  size_t len)
{
	for (struct fs_node *c = dir->first_child; c; c = c->next_sibling)
		if (strlen(c->name) == len && !strncmp(c->name, name, len))
			return c;
	return NULL;
}

static void child_link(struct fs_node *dir, struct fs_node *n)
{
	n->parent = dir;
	if (dir->last_child)
		dir->last_child->next_sibling = n;
	else
		dir->first_child = n;
	dir->last_child = n;
}

static struct fs_node *node_new(struct fs_node *dir, const char *name,
				bool is_dir)
{
	struct fs_node *n;

	if (!*name || strlen(name) >= FS_NAME_MAX || strchr(name, '/'))
		return NULL;
	n = kzalloc(sizeof(*n));
	if (!n)
		return NULL;
	strlcpy(n->name, name, sizeof(n->name));
	n->is_dir = is_dir;
	child_link(dir, n);
	return n;
}

struct fs_node *fs_mkdir(struct fs_node *parent, const char *name)
{
	struct fs_node *dir = parent ? parent : &root, *n;
	unsigned long flags = spin_lock_irqsave(&tree_lock);

	n = child_find(dir, name, strlen(name));
	if (n && !n->is_dir)
		n = NULL;
	else if (!n)
		n = node_new(dir, name, true);
	spin_unlock_irqrestore(&tree_lock, flags);
	return n;
}

struct fs_node *fs_mkdir_path(const char *path)
{
	struct fs_node *dir = &root;
	char part[FS_NAME_MAX];

	while (dir && *path) {
		size_t len = strcspn(path, "/");

		if (len >= sizeof(part))
			return NULL;
		if (len) {
			memcpy(part, path, len);
			part[len] = '\0';
			dir = fs_mkdir(dir, part);
		}
		path += len;
		if (*path == '/')
			path++;
	}
	return dir;
}

struct fs_node *fs_create_file(struct fs_node *parent, const char *name,
			       const struct file_ops *ops, void *data)
{
	struct fs_node *dir = parent ? parent : &root, *n = NULL;
	unsigned long flags = spin_lock_irqsave(&tree_lock);

	if (dir->is_dir && !child_find(dir, name, strlen(name)))
		n = node_new(dir, name, false);
	if (n) {
		n->ops = ops;
		n->data = data;
	}
	spin_unlock_irqrestore(&tree_lock, flags);
	return n;
}

static void child_unlink(struct fs_node *n)
{
	struct fs_node *dir = n->parent, **link = &dir->first_child;
	struct fs_node *prev = NULL;

	while (*link != n) {
		prev = *link;
		link = &(*link)->next_sibling;
	}
	*link = n->next_sibling;
	if (dir->last_child == n)
		dir->last_child = prev;
}

int fs_remove(struct fs_node *n)
{
	unsigned long flags;

	if (!n || n == &root)
		return -EINVAL;
	flags = spin_lock_irqsave(&tree_lock);
	if (n->is_dir && n->first_child) {
		spin_unlock_irqrestore(&tree_lock, flags);
		return -ENOTEMPTY;
	}
	child_unlink(n);
	spin_unlock_irqrestore(&tree_lock, flags);
	kfree(n);
	return 0;
}

struct fs_node *fs_lookup(const char *path)
{
	struct fs_node *n = &root;

	if (*path != '/')
		return NULL;
	while (n && *path) {
		size_t len;

		path += strspn(path, "/");
		len = strcspn(path, "/");
		if (!len)
			break;
		if (!n->is_dir)
			return NULL;
		n = child_find(n, path, len);
		path += len;
	}
	return n;
}

bool fs_is_dir(const struct fs_node *node)
{
	return node->is_dir;
}

int fs_read(const char *path, struct seq_buf *out)
{
	struct fs_node *n = fs_lookup(path);

	if (!n)
		return -ENOENT;
	if (n->is_dir)
		return -EISDIR;
	if (!n->ops->show)
		return -EPERM;
	return n->ops->show(out, n->data);
}

int fs_write(const char *path, const char *buf, size_t len, char *why)
{
	struct fs_node *n = fs_lookup(path);
	char *copy;
	int rc;

	why[0] = '\0';
	if (!n)
		return -ENOENT;
	if (n->is_dir)
		return -EISDIR;
	if (!n->ops->write)
		return -EROFS;
	/* Hand the callback a NUL-terminated copy without the newline. */
	if (len && buf[len - 1] == '\n')
		len--;
	copy = kmalloc(len + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, buf, len);
	copy[len] = '\0';
	why[0] = '\0';
	rc = n->ops->write(copy, len, n->data, why);
	kfree(copy);
	return rc;
}

int fs_list(const char *path,
	    void (*fn)(const char *name, bool is_dir, void *ctx), void *ctx)
{
	struct fs_node *n = fs_lookup(path);

	if (!n)
		return -ENOENT;
	if (!n->is_dir)
		return -ENOTDIR;
	for (struct fs_node *c = n->first_child; c; c = c->next_sibling)
		fn(c->name, c->is_dir, ctx);
	return 0;
}

static struct fs_node *debugfs_root(void)
{
	static struct fs_node *dir;

	if (!dir)
		dir = fs_mkdir_path("/sys/kernel/debug");
	return dir;
}

struct fs_node *debugfs_create_dir(const char *name, struct fs_node *parent)
{
	return fs_mkdir(parent ? parent : debugfs_root(), name);
}

struct fs_node *debugfs_create_file(const char *name, struct fs_node *parent,
				    const struct file_ops *ops, void *data)
{
	return fs_create_file(parent ? parent : debugfs_root(), name, ops,
			      data);
}

/* /sys/kernel/debug exists from boot, before any subsystem publishes. */
static int debugfs_init(void)
{
	return debugfs_root() ? 0 : -ENOMEM;
}
INITCALL(debugfs_init);
EXPORT_SYMBOL(fs_mkdir_path);
EXPORT_SYMBOL(fs_create_file);
EXPORT_SYMBOL(fs_remove);
