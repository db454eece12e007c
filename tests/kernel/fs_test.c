// SPDX-License-Identifier: MIT
/*
 * KTAP suite "debugfs": the file tree and the debugfs API subsystems use
 * to publish their state.
 */
#include <kernel/fs.h>
#include <kernel/ktest.h>
#include <lib/errno.h>
#include <lib/parse.h>
#include <lib/string.h>

struct test_value {
	int value;
	int writes;
};

/* What a refusing file says (unused when a write succeeds). */
static char why[FS_WHY_MAX];

static int value_show(struct seq_buf *s, void *data)
{
	struct test_value *v = data;

	return seq_printf(s, "value %d\n", v->value) < 0 ? -ENOMEM : 0;
}

static int value_write(const char *buf, size_t len __unused, void *data,
		       char *reason)
{
	struct test_value *v = data;
	int x;

	if (kstrtoint(buf, 10, &x)) {
		strlcpy(reason, "value: not a number", FS_WHY_MAX);
		return -EINVAL;
	}
	v->value = x;
	v->writes++;
	return 0;
}

static const struct file_ops rw_ops = { value_show, value_write };
static const struct file_ops ro_ops = { .show = value_show };

static char *read_file(const char *path, struct seq_buf *s, int *rc)
{
	seq_init(s);
	*rc = fs_read(path, s);
	return s->buf ? s->buf : "";
}

static void test_create_read_write(struct ktest *t)
{
	struct test_value v = { .value = 7 };
	struct fs_node *dir = debugfs_create_dir("ktest_fs", NULL);
	struct fs_node *f = debugfs_create_file("value", dir, &rw_ops, &v);
	struct seq_buf s;
	int rc;

	KTEST_ASSERT_TRUE(t, dir && f);
	KTEST_EXPECT_STREQ(
		t, read_file("/sys/kernel/debug/ktest_fs/value", &s, &rc),
		"value 7\n");
	seq_release(&s);
	KTEST_EXPECT_EQ(
		t, fs_write("/sys/kernel/debug/ktest_fs/value", "42\n", 3, why),
		0);
	KTEST_EXPECT_EQ(t, v.value, 42);
	KTEST_EXPECT_STREQ(
		t, read_file("//sys/kernel//debug/ktest_fs/value", &s, &rc),
		"value 42\n");
	seq_release(&s);
	KTEST_EXPECT_EQ(t, fs_remove(dir), -ENOTEMPTY);
	KTEST_EXPECT_EQ(t, fs_remove(f), 0);
	KTEST_EXPECT_EQ(t, fs_remove(dir), 0);
	KTEST_EXPECT_TRUE(t, fs_lookup("/sys/kernel/debug/ktest_fs") == NULL);
}

static void test_bad_write_changes_nothing(struct ktest *t)
{
	struct test_value v = { .value = 3 };
	struct fs_node *f = debugfs_create_file("ktest_bad", NULL, &rw_ops, &v);

	KTEST_ASSERT_TRUE(t, f != NULL);
	KTEST_EXPECT_EQ(t,
			fs_write("/sys/kernel/debug/ktest_bad", "x1", 2, why),
			-EINVAL);
	KTEST_EXPECT_EQ(t, v.value, 3);
	KTEST_EXPECT_EQ(t, v.writes, 0);
	KTEST_EXPECT_STREQ(t, why, "value: not a number");
	fs_remove(f);
}

static void test_errors(struct ktest *t)
{
	struct test_value v = { 0 };
	struct fs_node *f = debugfs_create_file("ktest_ro", NULL, &ro_ops, &v);
	struct seq_buf s;
	int rc;

	KTEST_ASSERT_TRUE(t, f != NULL);
	KTEST_EXPECT_EQ(t, fs_write("/sys/kernel/debug/ktest_ro", "1", 1, why),
			-EROFS);
	KTEST_EXPECT_TRUE(t, debugfs_create_file("ktest_ro", NULL, &ro_ops,
						 &v) == NULL);
	read_file("/nope", &s, &rc);
	KTEST_EXPECT_EQ(t, rc, -ENOENT);
	read_file("/sys/kernel", &s, &rc);
	KTEST_EXPECT_EQ(t, rc, -EISDIR);
	KTEST_EXPECT_EQ(t, fs_write("/proc", "1", 1, why), -EISDIR);
	KTEST_EXPECT_TRUE(t, fs_lookup("relative/path") == NULL);
	KTEST_EXPECT_TRUE(t, fs_lookup("/sys/kernel/debug/ktest_ro/x") == NULL);
	fs_remove(f);
}

static void test_proc_files_exist(struct ktest *t)
{
	struct seq_buf s;
	int rc;

	KTEST_EXPECT_TRUE(t, strstr(read_file("/proc/cpuinfo", &s, &rc),
				    "vendor_id") != NULL);
	KTEST_EXPECT_EQ(t, rc, 0);
	seq_release(&s);
	read_file("/proc/cmdline", &s, &rc);
	KTEST_EXPECT_EQ(t, rc, 0);
	KTEST_EXPECT_TRUE(t, s.buf && strstr(s.buf, "ktest=") != NULL);
	seq_release(&s);
}

static void test_large_file_grows_buffer(struct ktest *t)
{
	struct seq_buf s;

	seq_init(&s);
	for (int i = 0; i < 2000; i++)
		seq_printf(&s, "line %04d\n", i);
	KTEST_EXPECT_EQ(t, s.len, 2000 * 10);
	KTEST_EXPECT_TRUE(t, !s.overflow);
	KTEST_EXPECT_TRUE(t, !strncmp(s.buf + 1999 * 10, "line 1999\n", 10));
	seq_release(&s);
}

static const struct ktest_case fs_cases[] = {
	KTEST_CASE(test_create_read_write),
	KTEST_CASE(test_bad_write_changes_nothing),
	KTEST_CASE(test_errors),
	KTEST_CASE(test_proc_files_exist),
	KTEST_CASE(test_large_file_grows_buffer),
	{}
};
KTEST_SUITE(debugfs, fs_cases);
