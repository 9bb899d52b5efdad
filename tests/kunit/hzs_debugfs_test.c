// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the hzs debugfs files (src/hzs_debugfs.c): the
 * "classes" table and the files' lifetime, which ends with the pool's.
 */
#include <kunit/test.h>
#include <linux/debugfs.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "hzs_fixture.h"
#include "hzs_test_hooks.h"

/* What "classes" prints, rendered into a plain buffer. */
static void hzs_debugfs_classes_table(struct kunit *test)
{
	struct hzs_pool *pool = t_pool(test, false, 0);
	struct seq_file m = { };
	size_t size = 16 * PAGE_SIZE;
	unsigned long h;
	char *buf;

	buf = kunit_kzalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	h = hzs_alloc(pool, 700, GFP_KERNEL);
	KUNIT_ASSERT_NE(test, h, 0UL);

	m.buf = buf;
	m.size = size - 1;
	m.private = pool;
	KUNIT_EXPECT_EQ(test, hzs_classes_show(&m, NULL), 0);
	KUNIT_EXPECT_FALSE(test, seq_has_overflowed(&m));
	buf[min(m.count, size - 1)] = '\0';
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "zspages"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "objs 1 bytes 700 "));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "total"));
	/* One line per class, plus the header lines and the total. */
	KUNIT_EXPECT_EQ(test, (unsigned int)t_count_lines(buf),
			hzs_pool_nr_classes(pool) + 4);
	hzs_free(pool, h);
}

static void hzs_debugfs_files(struct kunit *test)
{
	struct hzs_pool *pool;
	struct dentry *dir, *d;
	char name[32];

	snprintf(name, sizeof(name), "hzs-kunit-%d", current->pid);
	dir = debugfs_create_dir(name, NULL);
	if (IS_ERR_OR_NULL(dir))
		kunit_skip(test, "debugfs unavailable");
	/* Destroyed by hand below, so not a KUnit resource: no ASSERTs. */
	pool = hzs_pool_create_opts("kunit-debugfs", NULL);
	KUNIT_EXPECT_NOT_NULL(test, pool);
	if (!pool) {
		debugfs_remove(dir);
		return;
	}

	hzs_pool_debugfs(pool, dir);
	hzs_pool_debugfs(pool, dir);	/* second call: no duplicate */
	d = debugfs_lookup("classes", dir);
	KUNIT_EXPECT_NOT_NULL(test, d);
	dput(d);
	d = debugfs_lookup("bench", dir);
	KUNIT_EXPECT_NOT_NULL(test, d);
	dput(d);

	/* The pool takes its files with it. */
	hzs_pool_destroy(pool);
	d = debugfs_lookup("classes", dir);
	KUNIT_EXPECT_NULL(test, d);
	dput(d);
	debugfs_remove(dir);
}

static struct kunit_case hzs_debugfs_cases[] = {
	KUNIT_CASE(hzs_debugfs_files),
	KUNIT_CASE(hzs_debugfs_classes_table),
	{}
};

static struct kunit_suite hzs_debugfs_suite = {
	.name = "hzs_debugfs",
	.test_cases = hzs_debugfs_cases,
};

kunit_test_suites(&hzs_debugfs_suite);
