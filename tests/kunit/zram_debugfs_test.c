// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the driver's debugfs checks (src/zram_debugfs.c):
 * verify must find every kind of damage it claims to find.
 */

#include <kunit/test.h>
#include <linux/mm.h>

#include "hzs_pool.h"
#include "zram_drv.h"
#include "zram_fixture.h"

/*
 * verify must notice a broken table: two slots sharing one object, a
 * counter that disagrees, a slot whose object was freed behind its back.
 */
static void zt_verify_detects(struct kunit *test)
{
	struct zt_ctx *ctx = test->priv;
	struct zram *zram = ctx->zram;
	struct zram_slot *a = zt_slot(zram, 1), *b = zt_slot(zram, 2);
	unsigned long handle;

	zt_fill_text(page_address(ctx->in), 9);
	KUNIT_ASSERT_EQ(test, zram_write_page(zram, ctx->in, 1), 0);
	KUNIT_EXPECT_EQ(test, zt_verify(test, zram), 0L);

	/* Shared object: the pool holds fewer objects than slots claim. */
	b->handle = a->handle;
	b->flags = a->flags;
	atomic64_inc(&zram->stats.pages_stored);
	atomic64_add(zram_slot_size(a), &zram->stats.compr_data_size);
	KUNIT_EXPECT_GT(test, zt_verify(test, zram), 0L);
	b->handle = 0;
	b->flags = 0;
	atomic64_dec(&zram->stats.pages_stored);
	atomic64_sub(zram_slot_size(a), &zram->stats.compr_data_size);
	KUNIT_EXPECT_EQ(test, zt_verify(test, zram), 0L);

	/* A counter off by one. */
	atomic64_inc(&zram->stats.same_pages);
	KUNIT_EXPECT_GT(test, zt_verify(test, zram), 0L);
	atomic64_dec(&zram->stats.same_pages);

	/* A stale handle: the object is freed, the slot still points at it. */
	handle = a->handle;
	a->handle = hzs_alloc(zram->pool, zram_slot_size(a), GFP_KERNEL);
	KUNIT_ASSERT_NE(test, a->handle, 0UL);
	hzs_free(zram->pool, a->handle);
	KUNIT_EXPECT_GT(test, zt_verify(test, zram), 0L);
	a->handle = handle;
	KUNIT_EXPECT_EQ(test, zt_verify(test, zram), 0L);
}

static struct kunit_case zt_debugfs_cases[] = {
	KUNIT_CASE(zt_verify_detects),
	{}
};

static struct kunit_suite zt_debugfs_suite = {
	.name = "hzram_debugfs",
	.init = zt_slot_init,
	.exit = zt_slot_exit,
	.test_cases = zt_debugfs_cases,
};

kunit_test_suites(&zt_debugfs_suite);
