// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for the I/O path (src/zram_io.c): the slot state machine
 * (write, read, overwrite, discard, free notification, huge pages,
 * mem_limit, idle marking, checksums) and same-filled page detection.
 * The races of that path have their own file, zram_io_race_test.c.
 */

#include <kunit/test.h>
#include <linux/bvec.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/highmem.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "hzs_pool.h"
#include "hzs_test_hooks.h"
#include "zram_drv.h"
#include "zram_fixture.h"

static void zt_write_read_roundtrip(struct kunit *test)
{
	struct zt_ctx *ctx = test->priv;
	struct zram *zram = ctx->zram;
	struct zram_slot *slot = zt_slot(zram, 3);

	zt_fill_text(page_address(ctx->in), 1);
	KUNIT_ASSERT_EQ(test, zram_write_page(zram, ctx->in, 3), 0);

	KUNIT_EXPECT_TRUE(test, zram_slot_allocated(slot));
	KUNIT_EXPECT_FALSE(test, zram_slot_test(slot, ZRAM_SAME));
	KUNIT_EXPECT_FALSE(test, zram_slot_test(slot, ZRAM_HUGE));
	KUNIT_EXPECT_FALSE(test, zram_slot_test(slot, ZRAM_LOCK));
	KUNIT_EXPECT_GT(test, zram_slot_size(slot), (size_t)0);
	KUNIT_EXPECT_LT(test, zram_slot_size(slot), (size_t)PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.pages_stored), 1ULL);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.compr_data_size),
			(u64)zram_slot_size(slot));
	KUNIT_EXPECT_GE(test, atomic_long_read(&zram->stats.max_used_pages),
			(long)hzs_pool_total_pages(zram->pool));

	memset(page_address(ctx->out), 0x5a, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, zram_read_page(zram, ctx->out, 3), 0);
	KUNIT_EXPECT_TRUE(test, zt_pages_equal(ctx->in, ctx->out));
	/* Neighbours untouched. */
	KUNIT_EXPECT_FALSE(test, zram_slot_allocated(zt_slot(zram, 2)));
	KUNIT_EXPECT_FALSE(test, zram_slot_allocated(zt_slot(zram, 4)));
}

static void zt_overwrite(struct kunit *test)
{
	struct zt_ctx *ctx = test->priv;
	struct zram *zram = ctx->zram;
	struct zram_slot *slot = zt_slot(zram, 5);

	zt_fill_text(page_address(ctx->in), 1);
	KUNIT_ASSERT_EQ(test, zram_write_page(zram, ctx->in, 5), 0);
	zt_fill_text(page_address(ctx->in), 77);
	KUNIT_ASSERT_EQ(test, zram_write_page(zram, ctx->in, 5), 0);

	/* The first object was freed, not leaked or double-counted. */
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.pages_stored), 1ULL);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.compr_data_size),
			(u64)zram_slot_size(slot));
	KUNIT_ASSERT_EQ(test, zram_read_page(zram, ctx->out, 5), 0);
	KUNIT_EXPECT_TRUE(test, zt_pages_equal(ctx->in, ctx->out));

	/* Compressed -> same-filled: the object goes, a pattern stays. */
	memset(page_address(ctx->in), 0xab, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, zram_write_page(zram, ctx->in, 5), 0);
	KUNIT_EXPECT_TRUE(test, zram_slot_test(slot, ZRAM_SAME));
	KUNIT_EXPECT_EQ(test, zram_slot_size(slot), (size_t)0);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.compr_data_size), 0ULL);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.same_pages), 1ULL);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.pages_stored), 1ULL);
	KUNIT_EXPECT_EQ(test, zt_pool_objs(zram->pool), 0ULL);
	KUNIT_ASSERT_EQ(test, zram_read_page(zram, ctx->out, 5), 0);
	KUNIT_EXPECT_TRUE(test, zt_pages_equal(ctx->in, ctx->out));

	/* Same-filled -> compressed again. */
	zt_fill_text(page_address(ctx->in), 5);
	KUNIT_ASSERT_EQ(test, zram_write_page(zram, ctx->in, 5), 0);
	KUNIT_EXPECT_FALSE(test, zram_slot_test(slot, ZRAM_SAME));
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.same_pages), 0ULL);
	KUNIT_ASSERT_EQ(test, zram_read_page(zram, ctx->out, 5), 0);
	KUNIT_EXPECT_TRUE(test, zt_pages_equal(ctx->in, ctx->out));
}

static void zt_discard(struct kunit *test)
{
	struct zt_ctx *ctx = test->priv;
	struct zram *zram = ctx->zram;

	zt_fill_text(page_address(ctx->in), 9);
	KUNIT_ASSERT_EQ(test, zram_write_page(zram, ctx->in, 7), 0);
	zram_discard_page(zram, 7);

	KUNIT_EXPECT_FALSE(test, zram_slot_allocated(zt_slot(zram, 7)));
	KUNIT_EXPECT_EQ(test, zt_slot(zram, 7)->handle, 0UL);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.pages_stored), 0ULL);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.compr_data_size), 0ULL);
	KUNIT_EXPECT_EQ(test, zt_pool_objs(zram->pool), 0ULL);

	memset(page_address(ctx->out), 0x5a, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, zram_read_page(zram, ctx->out, 7), 0);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(page_address(ctx->out), 0,
					    PAGE_SIZE));
	/* Discarding an empty slot is harmless. */
	zram_discard_page(zram, 7);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.pages_stored), 0ULL);
}

static void zt_empty_read(struct kunit *test)
{
	struct zt_ctx *ctx = test->priv;
	struct zram *zram = ctx->zram;

	memset(page_address(ctx->out), 0xa5, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, zram_read_page(zram, ctx->out, 0), 0);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(page_address(ctx->out), 0,
					    PAGE_SIZE));
	/* Reading must not make the slot look written, or allocate. */
	KUNIT_EXPECT_NULL(test, zram_slot_get(zram, 0));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&zram->stats.chunks), 0L);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.pages_stored), 0ULL);
	/* Nor in a present chunk. */
	KUNIT_EXPECT_FALSE(test, zram_slot_allocated(zt_slot(zram, 0)));
	KUNIT_ASSERT_EQ(test, zram_read_page(zram, ctx->out, 0), 0);
	KUNIT_EXPECT_FALSE(test, zram_slot_allocated(zt_slot(zram, 0)));
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.pages_stored), 0ULL);
}

static void zt_free_notify_contention(struct kunit *test)
{
	struct zt_ctx *ctx = test->priv;
	struct zram *zram = ctx->zram;
	struct zram_slot *slot = zt_slot(zram, 9);

	zt_fill_text(page_address(ctx->in), 3);
	KUNIT_ASSERT_EQ(test, zram_write_page(zram, ctx->in, 9), 0);

	/* A reader holds the slot: the notification must not free it. */
	zram_slot_lock(zram, 9);
	KUNIT_EXPECT_FALSE(test, zram_free_notify(zram, 9));
	KUNIT_EXPECT_TRUE(test, zram_slot_allocated(slot));
	KUNIT_EXPECT_TRUE(test, zram_slot_test(slot, ZRAM_LOCK));
	zram_slot_unlock(zram, 9);

	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.miss_free), 1ULL);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.notify_free), 1ULL);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.pages_stored), 1ULL);
	KUNIT_EXPECT_FALSE(test, zram_slot_test(slot, ZRAM_LOCK));

	/* The slot survived intact... */
	KUNIT_ASSERT_EQ(test, zram_read_page(zram, ctx->out, 9), 0);
	KUNIT_EXPECT_TRUE(test, zt_pages_equal(ctx->in, ctx->out));

	/* ...and an uncontended notification frees it. */
	KUNIT_EXPECT_TRUE(test, zram_free_notify(zram, 9));
	KUNIT_EXPECT_FALSE(test, zram_slot_allocated(slot));
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.miss_free), 1ULL);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.notify_free), 2ULL);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.pages_stored), 0ULL);
	KUNIT_EXPECT_EQ(test, zt_pool_objs(zram->pool), 0ULL);

	/* Out of range: counted as a notification, nothing touched. */
	KUNIT_EXPECT_FALSE(test, zram_free_notify(zram, ZT_NR_PAGES));
	KUNIT_EXPECT_FALSE(test, zram_free_notify(zram, ULONG_MAX));
}

static void zt_trylock(struct kunit *test)
{
	struct zt_ctx *ctx = test->priv;
	struct zram *zram = ctx->zram;

	/* Slot locks live in chunks: make sure of this one first. */
	KUNIT_ASSERT_EQ(test, zram_chunk_get(zram, 1), 0);
	KUNIT_ASSERT_TRUE(test, zram_slot_trylock(zram, 1));
	KUNIT_EXPECT_FALSE(test, zram_slot_trylock(zram, 1));
	/* Other slots are independent. */
	KUNIT_EXPECT_TRUE(test, zram_slot_trylock(zram, 2));
	zram_slot_unlock(zram, 2);
	zram_slot_unlock(zram, 1);
	KUNIT_EXPECT_TRUE(test, zram_slot_trylock(zram, 1));
	zram_slot_unlock(zram, 1);
	KUNIT_EXPECT_EQ(test, zt_slot(zram, 1)->flags, 0UL);
}

struct zt_waiter {
	struct zram *zram;
	u32 index;
	struct completion started, locked;
};

static int zt_waiter_fn(void *data)
{
	struct zt_waiter *w = data;

	complete(&w->started);
	zram_slot_lock(w->zram, w->index);
	/* A flag of its own, beside the one the holder set. */
	zram_slot_set(zram_slot(w->zram, w->index), ZRAM_IDLE);
	zram_slot_unlock(w->zram, w->index);
	complete(&w->locked);
	return 0;
}

/*
 * A task that finds a slot locked sleeps until the holder lets go, and
 * then gets it: an unlock must wake the sleeper, or it sleeps forever
 * (the lock is a bit of a 32-bit word, waited for on its address).
 */
static void zt_lock_waits(struct kunit *test)
{
	struct zt_ctx *ctx = test->priv;
	struct zram *zram = ctx->zram;
	struct zt_waiter w = { .zram = zram, .index = 5 };
	struct task_struct *t;

	KUNIT_ASSERT_EQ(test, zram_chunk_get(zram, 5), 0);
	init_completion(&w.started);
	init_completion(&w.locked);
	zram_slot_lock(zram, 5);
	t = kthread_run(zt_waiter_fn, &w, "zt_lock_waits");
	if (IS_ERR(t)) {
		zram_slot_unlock(zram, 5);
		KUNIT_FAIL(test, "kthread_run: %ld", PTR_ERR(t));
		return;
	}
	wait_for_completion(&w.started);
	/* Long enough for it to be asleep on the lock, not spinning. */
	msleep(100);
	KUNIT_EXPECT_FALSE(test, completion_done(&w.locked));
	/* The holder's own updates leave the lock bit alone. */
	zram_slot_set(zt_slot(zram, 5), ZRAM_PP_SLOT);
	zram_slot_unlock(zram, 5);
	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&w.locked,
							    10 * HZ) > 0);
	/* If it never woke, the lock stays held: this fails the test too. */
	if (!completion_done(&w.locked))
		return;
	KUNIT_EXPECT_TRUE(test, zram_slot_test(zt_slot(zram, 5), ZRAM_IDLE));
	KUNIT_EXPECT_TRUE(test, zram_slot_test(zt_slot(zram, 5),
					       ZRAM_PP_SLOT));
	KUNIT_EXPECT_FALSE(test, zram_slot_test(zt_slot(zram, 5), ZRAM_LOCK));
	KUNIT_EXPECT_FALSE(test, zram_slot_test(zt_slot(zram, 4), ZRAM_IDLE));
	zram_slot_lock(zram, 5);
	zt_slot(zram, 5)->flags = 0;
	zram_slot_unlock(zram, 5);
}

static void zt_huge(struct kunit *test)
{
	struct zt_ctx *ctx = test->priv;
	struct zram *zram = ctx->zram;
	struct zram_slot *slot = zt_slot(zram, 11);

	get_random_bytes(page_address(ctx->in), PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, zram_write_page(zram, ctx->in, 11), 0);
	KUNIT_EXPECT_TRUE(test, zram_slot_test(slot, ZRAM_HUGE));
	KUNIT_EXPECT_EQ(test, zram_slot_size(slot), (size_t)PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.huge_pages), 1ULL);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.huge_pages_since), 1ULL);
	KUNIT_ASSERT_EQ(test, zram_read_page(zram, ctx->out, 11), 0);
	KUNIT_EXPECT_TRUE(test, zt_pages_equal(ctx->in, ctx->out));

	/* Overwritten by compressible data: huge_pages drops, _since not. */
	zt_fill_text(page_address(ctx->in), 4);
	KUNIT_ASSERT_EQ(test, zram_write_page(zram, ctx->in, 11), 0);
	KUNIT_EXPECT_FALSE(test, zram_slot_test(slot, ZRAM_HUGE));
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.huge_pages), 0ULL);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.huge_pages_since), 1ULL);
	KUNIT_ASSERT_EQ(test, zram_read_page(zram, ctx->out, 11), 0);
	KUNIT_EXPECT_TRUE(test, zt_pages_equal(ctx->in, ctx->out));
}

static void zt_mem_limit(struct kunit *test)
{
	struct zt_ctx *ctx = test->priv;
	struct zram *zram = ctx->zram;
	unsigned int i, stored = 0;
	unsigned long limit;
	int ret = 0;

	/*
	 * The limit bounds data and metadata together: one page more than
	 * a device holding one object, whose pool has its tables by then.
	 * Incompressible pages: each needs a whole pool page, a record and
	 * a share of a descriptor, so one more object fits at most.
	 */
	get_random_bytes(page_address(ctx->in), PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, zram_write_page(zram, ctx->in, 0), 0);
	stored = 1;
	limit = zram_mem_used_pages(zram) + 1;
	KUNIT_ASSERT_GT(test, limit, 2UL);
	zram->limit_pages = limit;
	for (i = 1; i < ZT_NR_PAGES; i++) {
		get_random_bytes(page_address(ctx->in), PAGE_SIZE);
		ret = zram_write_page(zram, ctx->in, i);
		if (ret)
			break;
		stored++;
	}
	KUNIT_EXPECT_EQ(test, ret, -ENOMEM);
	KUNIT_EXPECT_LE(test, stored, 2U);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.pages_stored), (u64)stored);
	KUNIT_EXPECT_LE(test, hzs_pool_pages(zram->pool), 2ULL);
	/* Counting data pages only would have let metadata exceed it. */
	KUNIT_EXPECT_LE(test, hzs_pool_total_pages(zram->pool), (u64)limit);
	KUNIT_EXPECT_LE(test, zram_mem_used_pages(zram), limit);
	/* The refused write's object went back: the mark stays in bounds. */
	KUNIT_EXPECT_LE(test, atomic_long_read(&zram->stats.max_used_pages),
			(long)limit);
	/* The failed slot was not touched. */
	KUNIT_EXPECT_FALSE(test, zram_slot_allocated(zt_slot(zram, stored)));

	/* Same-filled pages need no memory and still succeed. */
	memset(page_address(ctx->in), 0, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, zram_write_page(zram, ctx->in, ZT_NR_PAGES - 1),
			0);
	/* Data stored before the limit hit is intact. */
	KUNIT_EXPECT_EQ(test, zram_read_page(zram, ctx->out, 0), 0);
}

static void zt_idle(struct kunit *test)
{
	struct zt_ctx *ctx = test->priv;
	struct zram *zram = ctx->zram;

	zt_fill_text(page_address(ctx->in), 2);
	KUNIT_ASSERT_EQ(test, zram_write_page(zram, ctx->in, 1), 0);
	KUNIT_ASSERT_EQ(test, zram_write_page(zram, ctx->in, 2), 0);
	memset(page_address(ctx->in), 0, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, zram_write_page(zram, ctx->in, 3), 0);

	zram_mark_idle(zram, S64_MAX);
	KUNIT_EXPECT_TRUE(test, zram_slot_test(zt_slot(zram, 1), ZRAM_IDLE));
	KUNIT_EXPECT_TRUE(test, zram_slot_test(zt_slot(zram, 2), ZRAM_IDLE));
	/* Fill patterns and empty slots never become idle. */
	KUNIT_EXPECT_FALSE(test, zram_slot_test(zt_slot(zram, 3), ZRAM_IDLE));
	KUNIT_EXPECT_FALSE(test, zram_slot_test(zt_slot(zram, 4), ZRAM_IDLE));

	/* Access clears idleness. */
	KUNIT_ASSERT_EQ(test, zram_read_page(zram, ctx->out, 1), 0);
	KUNIT_EXPECT_FALSE(test, zram_slot_test(zt_slot(zram, 1), ZRAM_IDLE));
	KUNIT_EXPECT_TRUE(test, zram_slot_test(zt_slot(zram, 2), ZRAM_IDLE));

	/* An age older than every access marks nothing and clears. */
	zram_mark_idle(zram, -1);
	KUNIT_EXPECT_FALSE(test, zram_slot_test(zt_slot(zram, 2), ZRAM_IDLE));
	KUNIT_EXPECT_LE(test, zram_slot_actime(zt_slot(zram, 2)), zram_now());
}

/*
 * Checksum on: a flipped bit in a stored object (compressed or raw)
 * fails exactly that block's reads with -EIO and is counted; a rewrite
 * heals it; verify sees the damage too.
 */
static void zt_checksum(struct kunit *test)
{
	struct zt_ctx *ctx = test->priv;
	struct zram *zram = ctx->zram;
	struct page *raw = alloc_page(GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, raw);
	zt_zram_destroy(zram);
	zram = zt_zram_create(test, 9999, ZT_NR_PAGES, true);
	ctx->zram = zram;
	KUNIT_ASSERT_TRUE(test, zram->checksum);
	/*
	 * One u32 per slot, in an array of their own beside each chunk: a
	 * chunk stays one page, and costs at most a quarter more.
	 */
	KUNIT_ASSERT_NOT_NULL(test, zram->csum_dir);
	KUNIT_EXPECT_EQ(test, zram->chunk_alloc,
			kmalloc_size_roundup(sizeof(struct zram_chunk)) +
			kmalloc_size_roundup(ZRAM_CHUNK_SLOTS * sizeof(u32)));
	KUNIT_EXPECT_LE(test, zram->chunk_alloc,
			(size_t)PAGE_SIZE + PAGE_SIZE / 4);

	zt_fill_text(page_address(ctx->in), 7);
	get_random_bytes(page_address(raw), PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, zram_write_page(zram, ctx->in, 3), 0);
	KUNIT_ASSERT_EQ(test, zram_write_page(zram, raw, 4), 0);
	KUNIT_EXPECT_TRUE(test, zram_slot_test(zt_slot(zram, 4), ZRAM_HUGE));
	/* What the chunk and its checksums take is what is charged. */
	KUNIT_ASSERT_NOT_NULL(test, zram->csum_dir[0]);
	KUNIT_EXPECT_EQ(test, ksize(zram_chunk(zram, 0)) +
			ksize(zram->csum_dir[0]), zram->chunk_alloc);
	KUNIT_EXPECT_EQ(test, zram_chunk_bytes(zram), (u64)zram->chunk_alloc);
	KUNIT_EXPECT_EQ(test, zt_verify(test, zram), 0L);
	KUNIT_ASSERT_EQ(test, zram_read_page(zram, ctx->out, 3), 0);
	KUNIT_EXPECT_TRUE(test, zt_pages_equal(ctx->in, ctx->out));

	KUNIT_EXPECT_EQ(test, zram_corrupt_slot(zram, 3), 0);
	KUNIT_EXPECT_EQ(test, zram_read_page(zram, ctx->out, 3), -EIO);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.checksum_errors), 1ULL);
	KUNIT_EXPECT_EQ(test, zram_read_page(zram, ctx->out, 4), 0);
	KUNIT_EXPECT_TRUE(test, zt_pages_equal(raw, ctx->out));
	KUNIT_EXPECT_EQ(test, zram_corrupt_slot(zram, 4), 0);
	KUNIT_EXPECT_EQ(test, zram_read_page(zram, ctx->out, 4), -EIO);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.checksum_errors), 2ULL);
	KUNIT_EXPECT_EQ(test, zt_verify(test, zram), 2L);
	/* Nothing stored, nothing to damage. */
	KUNIT_EXPECT_EQ(test, zram_corrupt_slot(zram, 5), -ENOENT);

	KUNIT_ASSERT_EQ(test, zram_write_page(zram, ctx->in, 3), 0);
	KUNIT_ASSERT_EQ(test, zram_read_page(zram, ctx->out, 3), 0);
	KUNIT_EXPECT_TRUE(test, zt_pages_equal(ctx->in, ctx->out));
	zram_discard_page(zram, 4);
	KUNIT_EXPECT_EQ(test, zt_verify(test, zram), 0L);
	__free_page(raw);
}

/* Without checksums the same damage reads back as (wrong) data. */
static void zt_checksum_off(struct kunit *test)
{
	struct zt_ctx *ctx = test->priv;
	struct zram *zram = ctx->zram;

	KUNIT_EXPECT_FALSE(test, zram->checksum);
	KUNIT_EXPECT_NULL(test, zram->csum_dir);
	KUNIT_EXPECT_EQ(test, zram->chunk_alloc,
			kmalloc_size_roundup(sizeof(struct zram_chunk)));
	get_random_bytes(page_address(ctx->in), PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, zram_write_page(zram, ctx->in, 2), 0);
	KUNIT_EXPECT_EQ(test, zram_corrupt_slot(zram, 2), 0);
	KUNIT_EXPECT_EQ(test, zram_read_page(zram, ctx->out, 2), 0);
	KUNIT_EXPECT_FALSE(test, zt_pages_equal(ctx->in, ctx->out));
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.checksum_errors), 0ULL);
}

static u64 zt_pool_errors(struct hzs_pool *pool)
{
	struct hzs_pool_stats st;

	hzs_pool_stats(pool, &st);
	return st.errors;
}

/*
 * Read @index through the full-page path (also what 6.1's ->rw_page
 * runs) and through the partial path, expecting @ret from both; a
 * failed read must leave the caller's page as it was.
 */
static void zt_read_paths(struct kunit *test, struct zt_ctx *ctx, u32 index,
			  int ret)
{
	struct bio_vec bv = {
		.bv_page = ctx->out,
		.bv_len = SECTOR_SIZE,
		.bv_offset = 0,
	};

	memset(page_address(ctx->out), 0x5a, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, zram_read_page(ctx->zram, ctx->out, index), ret);
	if (ret)
		KUNIT_EXPECT_NULL(test, memchr_inv(page_address(ctx->out), 0x5a,
						   PAGE_SIZE));
	memset(page_address(ctx->out), 0x5a, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, zram_bvec_read(ctx->zram, &bv, index,
					     PAGE_SIZE - SECTOR_SIZE, NULL), ret);
	if (ret)
		KUNIT_EXPECT_NULL(test, memchr_inv(page_address(ctx->out), 0x5a,
						   PAGE_SIZE));
}

/*
 * A handle the allocator refuses (its record damaged behind the driver's
 * back) fails the read of a compressed slot and of a raw one alike, on
 * every read path: -EIO, never a zero page passed off as the block.
 */
static void zt_read_bad_handle(struct kunit *test)
{
	struct zt_ctx *ctx = test->priv;
	struct zram *zram = ctx->zram;
	struct page *raw = alloc_page(GFP_KERNEL);
	u32 index;

	KUNIT_ASSERT_NOT_NULL(test, raw);
	zt_fill_text(page_address(ctx->in), 11);
	get_random_bytes(page_address(raw), PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, zram_write_page(zram, ctx->in, 1), 0);
	KUNIT_ASSERT_EQ(test, zram_write_page(zram, raw, 2), 0);
	KUNIT_ASSERT_FALSE(test, zram_slot_test(zt_slot(zram, 1), ZRAM_HUGE));
	KUNIT_ASSERT_TRUE(test, zram_slot_test(zt_slot(zram, 2), ZRAM_HUGE));

	for (index = 1; index <= 2; index++) {
		unsigned long handle = zt_slot(zram, index)->handle;
		u64 errs = zt_pool_errors(zram->pool);

		hzs_test_corrupt(zram->pool, handle, false, 0x1);
		zt_read_paths(test, ctx, index, -EIO);
		KUNIT_EXPECT_EQ(test, zt_pool_errors(zram->pool), errs + 2);
		hzs_test_corrupt(zram->pool, handle, false, 0x1);
		zt_read_paths(test, ctx, index, 0);
	}
	KUNIT_ASSERT_EQ(test, zram_read_page(zram, ctx->out, 1), 0);
	KUNIT_EXPECT_TRUE(test, zt_pages_equal(ctx->in, ctx->out));
	KUNIT_ASSERT_EQ(test, zram_read_page(zram, ctx->out, 2), 0);
	KUNIT_EXPECT_TRUE(test, zt_pages_equal(raw, ctx->out));
	__free_page(raw);
}

/*
 * A slot whose recorded size differs from its object's fails the read
 * with -EIO before the decompressor sees a byte, and the allocator
 * counts the refusal; the object itself is not touched.
 */
static void zt_read_size_mismatch(struct kunit *test)
{
	struct zt_ctx *ctx = test->priv;
	struct zram *zram = ctx->zram;
	struct zram_slot *slot = zt_slot(zram, 3);
	static const int delta[] = { 1, -1, 64 };
	unsigned int i;
	size_t size;

	zt_fill_text(page_address(ctx->in), 12);
	KUNIT_ASSERT_EQ(test, zram_write_page(zram, ctx->in, 3), 0);
	size = zram_slot_size(slot);
	KUNIT_ASSERT_GT(test, size, (size_t)1);
	KUNIT_ASSERT_LT(test, size + 64, (size_t)PAGE_SIZE);

	for (i = 0; i < ARRAY_SIZE(delta); i++) {
		u64 errs = zt_pool_errors(zram->pool);

		zram_slot_lock(zram, 3);
		zram_slot_set_size(slot, size + delta[i]);
		zram_slot_unlock(zram, 3);
		zt_read_paths(test, ctx, 3, -EIO);
		KUNIT_EXPECT_EQ(test, zt_pool_errors(zram->pool), errs + 2);
		zram_slot_lock(zram, 3);
		zram_slot_set_size(slot, size);
		zram_slot_unlock(zram, 3);
	}
	KUNIT_ASSERT_EQ(test, zram_read_page(zram, ctx->out, 3), 0);
	KUNIT_EXPECT_TRUE(test, zt_pages_equal(ctx->in, ctx->out));
}

static struct kunit_case zt_slot_cases[] = {
	KUNIT_CASE(zt_checksum),
	KUNIT_CASE(zt_checksum_off),
	KUNIT_CASE(zt_read_bad_handle),
	KUNIT_CASE(zt_read_size_mismatch),
	KUNIT_CASE(zt_write_read_roundtrip),
	KUNIT_CASE(zt_overwrite),
	KUNIT_CASE(zt_discard),
	KUNIT_CASE(zt_empty_read),
	KUNIT_CASE(zt_free_notify_contention),
	KUNIT_CASE(zt_trylock),
	KUNIT_CASE(zt_lock_waits),
	KUNIT_CASE(zt_huge),
	KUNIT_CASE(zt_mem_limit),
	KUNIT_CASE(zt_idle),
	{}
};

static struct kunit_suite zt_slot_suite = {
	.name = "hzram_slot",
	.init = zt_slot_init,
	.exit = zt_slot_exit,
	.test_cases = zt_slot_cases,
};

/* --------------------------- sparse table ---------------------------- */

/*
 * A device far larger than anything written to it: 64 chunks' worth of
 * slots, a handful written. What it costs must follow what is stored.
 */
#define ZT_SPARSE_CHUNKS	64

static u32 zt_sparse_pages(void)
{
	return ZT_SPARSE_CHUNKS * ZRAM_CHUNK_SLOTS;
}

/* Chunks present in the directory, counted the slow way. */
static unsigned long zt_chunks_present(struct zram *zram)
{
	unsigned long c, n = 0;

	for (c = 0; c < zram->nr_chunks; c++)
		n += !!zram_chunk(zram, c * ZRAM_CHUNK_SLOTS);
	return n;
}

/* The slots a chunk-aligned write test spreads over: one per chunk. */
static const u32 zt_sparse_chunk_of[] = { 0, 1, 17, ZT_SPARSE_CHUNKS - 1 };

static u32 zt_sparse_index(unsigned int i)
{
	/* A different offset in each chunk, the last slot of the last. */
	return zt_sparse_chunk_of[i] * ZRAM_CHUNK_SLOTS +
	       (i == ARRAY_SIZE(zt_sparse_chunk_of) - 1 ? ZRAM_CHUNK_SLOTS - 1 :
							   i * 3);
}

static int zt_sparse_init(struct kunit *test)
{
	return zt_ctx_init(test, 9998, zt_sparse_pages());
}

/* A new device has a directory and no chunk; memory counts no chunk. */
static void zt_sparse_empty(struct kunit *test)
{
	struct zram *zram = ((struct zt_ctx *)test->priv)->zram;

	KUNIT_EXPECT_EQ(test, zram->nr_chunks, (unsigned long)ZT_SPARSE_CHUNKS);
	KUNIT_EXPECT_EQ(test, zt_chunks_present(zram), 0UL);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&zram->stats.chunks), 0L);
	KUNIT_EXPECT_EQ(test, zram_chunk_bytes(zram), 0ULL);
	KUNIT_EXPECT_EQ(test, (u64)zram_mem_used_pages(zram),
			hzs_pool_total_pages(zram->pool));
	/* A chunk is at most a page of slots, sized as kmalloc gives it. */
	KUNIT_EXPECT_LE(test, sizeof(struct zram_chunk), (size_t)PAGE_SIZE);
	KUNIT_EXPECT_GT(test, 2 * sizeof(struct zram_chunk), (size_t)PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, zram->chunk_alloc,
			kmalloc_size_roundup(sizeof(struct zram_chunk)));
	KUNIT_EXPECT_EQ(test, zt_verify(test, zram), 0L);
}

/*
 * Writes far apart allocate exactly one chunk each, charged at the size
 * the slab allocator hands out; a second write into a chunk allocates
 * nothing; the data reads back; verify agrees.
 */
static void zt_sparse_writes(struct kunit *test)
{
	struct zt_ctx *ctx = test->priv;
	struct zram *zram = ctx->zram;
	unsigned int i, n = ARRAY_SIZE(zt_sparse_chunk_of);
	u64 bytes;

	for (i = 0; i < n; i++) {
		u32 index = zt_sparse_index(i);
		struct zram_chunk *chunk;
		struct zram_slot *slot;

		KUNIT_EXPECT_NULL(test, zram_chunk(zram, index));
		zt_fill_text(page_address(ctx->in), index);
		KUNIT_ASSERT_EQ(test, zram_write_page(zram, ctx->in, index), 0);
		chunk = zram_chunk(zram, index);
		KUNIT_ASSERT_NOT_NULL(test, chunk);
		KUNIT_EXPECT_EQ(test, atomic_long_read(&zram->stats.chunks),
				(long)i + 1);
		KUNIT_EXPECT_EQ(test, zt_chunks_present(zram), (unsigned long)i + 1);
		KUNIT_EXPECT_EQ(test, ksize(chunk), zram->chunk_alloc);
		/* The neighbours in the chunk are there, and empty. */
		slot = zram_slot_get(zram, index ^ 1);
		KUNIT_ASSERT_NOT_NULL(test, slot);
		KUNIT_EXPECT_FALSE(test, zram_slot_allocated(slot));
	}
	/* Another slot of a present chunk: no new chunk. */
	memset(page_address(ctx->in), 0x3c, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, zram_write_page(zram, ctx->in,
					      zt_sparse_index(2) + 1), 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&zram->stats.chunks), (long)n);

	bytes = (u64)n * kmalloc_size_roundup(sizeof(struct zram_chunk));
	KUNIT_EXPECT_EQ(test, zram_chunk_bytes(zram), bytes);
	/* mem_used_total counts the chunks, exactly. */
	KUNIT_EXPECT_EQ(test, (u64)zram_mem_used_pages(zram),
			hzs_pool_total_pages(zram->pool) +
			DIV_ROUND_UP_ULL(bytes, PAGE_SIZE));
	KUNIT_EXPECT_GE(test, atomic_long_read(&zram->stats.max_used_pages),
			(long)zram_mem_used_pages(zram));

	for (i = 0; i < n; i++) {
		u32 index = zt_sparse_index(i);

		zt_fill_text(page_address(ctx->in), index);
		KUNIT_ASSERT_EQ(test, zram_read_page(zram, ctx->out, index), 0);
		KUNIT_EXPECT_TRUE(test, zt_pages_equal(ctx->in, ctx->out));
	}
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.pages_stored), (u64)n + 1);
	KUNIT_EXPECT_EQ(test, zt_verify(test, zram), 0L);
}

/*
 * Slots of absent chunks: reads give zeroes and allocate nothing,
 * discards and free notifications do nothing (and miss nothing), a
 * partial write-zeroes stores nothing; the walks step over them.
 */
static void zt_sparse_absent(struct kunit *test)
{
	struct zt_ctx *ctx = test->priv;
	struct zram *zram = ctx->zram;
	u32 far = 40 * ZRAM_CHUNK_SLOTS + 5, end = zt_sparse_pages();
	struct bio_vec bv = {
		.bv_page = ctx->out,
		.bv_len = SECTOR_SIZE,
	};

	memset(page_address(ctx->out), 0x5a, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, zram_read_page(zram, ctx->out, far), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(page_address(ctx->out), 0,
					   PAGE_SIZE));
	memset(page_address(ctx->out), 0x5a, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, zram_bvec_read(zram, &bv, far, SECTOR_SIZE,
					     NULL), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(page_address(ctx->out), 0,
					   SECTOR_SIZE));
	zram_discard_page(zram, far);
	KUNIT_EXPECT_FALSE(test, zram_free_notify(zram, far));
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.miss_free), 0ULL);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.notify_free), 1ULL);
	zram_mark_idle(zram, S64_MAX);
	KUNIT_EXPECT_NULL(test, zram_chunk(zram, far));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&zram->stats.chunks), 0L);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.pages_stored), 0ULL);

	/* The iterators' step: only present chunks, to the end and no further. */
	KUNIT_EXPECT_EQ(test, zram_slot_next(zram, 0, end), (unsigned long)end);
	zt_fill_text(page_address(ctx->in), 1);
	KUNIT_ASSERT_EQ(test, zram_write_page(zram, ctx->in, far), 0);
	KUNIT_EXPECT_EQ(test, zram_slot_next(zram, 0, end),
			(unsigned long)(far - far % ZRAM_CHUNK_SLOTS));
	KUNIT_EXPECT_EQ(test, zram_slot_next(zram, far, end),
			(unsigned long)far);
	KUNIT_EXPECT_EQ(test, zram_slot_next(zram, far + ZRAM_CHUNK_SLOTS, end),
			(unsigned long)end);
	KUNIT_EXPECT_EQ(test, zram_slot_next(zram, 0, far - far % ZRAM_CHUNK_SLOTS),
			(unsigned long)(far - far % ZRAM_CHUNK_SLOTS));

	/* Mark idle reaches the one stored slot across the gaps. */
	zram_mark_idle(zram, S64_MAX);
	KUNIT_EXPECT_TRUE(test, zram_slot_test(zram_slot_get(zram, far),
					       ZRAM_IDLE));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&zram->stats.chunks), 1L);
	KUNIT_EXPECT_EQ(test, zt_verify(test, zram), 0L);
}

/*
 * A chunk that cannot be allocated fails the write with -ENOMEM and
 * leaves everything else as it was; the next attempt succeeds. Full and
 * partial writes alike; writes into present chunks never need one.
 */
static void zt_sparse_alloc_fail(struct kunit *test)
{
	struct zt_ctx *ctx = test->priv;
	struct zram *zram = ctx->zram;
	u32 kept = 3, lost = 9 * ZRAM_CHUNK_SLOTS + 1;
	struct bio_vec bv = {
		.bv_page = ctx->in,
		.bv_len = SECTOR_SIZE,
	};
	u64 used;

	zt_fill_text(page_address(ctx->in), 21);
	KUNIT_ASSERT_EQ(test, zram_write_page(zram, ctx->in, kept), 0);
	/* Armed, but a present chunk needs no allocation. */
	zram_test_chunk_fail_nth(zram, 1);
	KUNIT_EXPECT_EQ(test, zram_write_page(zram, ctx->in, kept + 1), 0);
	used = zram_mem_used_pages(zram);

	KUNIT_EXPECT_EQ(test, zram_write_page(zram, ctx->in, lost), -ENOMEM);
	KUNIT_EXPECT_NULL(test, zram_chunk(zram, lost));
	zram_test_chunk_fail_nth(zram, 1);
	KUNIT_EXPECT_EQ(test, zram_bvec_write(zram, &bv, lost, SECTOR_SIZE),
			-ENOMEM);
	KUNIT_EXPECT_NULL(test, zram_chunk(zram, lost));
	zram_test_chunk_fail_nth(zram, 0);

	KUNIT_EXPECT_EQ(test, atomic_long_read(&zram->stats.chunks), 1L);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.pages_stored), 2ULL);
	KUNIT_EXPECT_EQ(test, (u64)zram_mem_used_pages(zram), used);
	KUNIT_ASSERT_EQ(test, zram_read_page(zram, ctx->out, kept), 0);
	KUNIT_EXPECT_TRUE(test, zt_pages_equal(ctx->in, ctx->out));
	memset(page_address(ctx->out), 0x5a, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, zram_read_page(zram, ctx->out, lost), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(page_address(ctx->out), 0,
					   PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, zt_verify(test, zram), 0L);

	/* Disarmed: the same write goes through. */
	KUNIT_ASSERT_EQ(test, zram_write_page(zram, ctx->in, lost), 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&zram->stats.chunks), 2L);
	KUNIT_ASSERT_EQ(test, zram_read_page(zram, ctx->out, lost), 0);
	KUNIT_EXPECT_TRUE(test, zt_pages_equal(ctx->in, ctx->out));
}

/*
 * At mem_limit, a write that needs a new chunk fails like any write over
 * the limit, even a fill pattern (which needs no pool memory); one into
 * a present chunk still stores its pattern.
 */
static void zt_sparse_limit(struct kunit *test)
{
	struct zt_ctx *ctx = test->priv;
	struct zram *zram = ctx->zram;
	u32 far = 30 * ZRAM_CHUNK_SLOTS;

	memset(page_address(ctx->in), 0x77, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, zram_write_page(zram, ctx->in, 0), 0);
	zram->limit_pages = zram_mem_used_pages(zram);
	KUNIT_EXPECT_EQ(test, zram_write_page(zram, ctx->in, far), -ENOMEM);
	KUNIT_EXPECT_NULL(test, zram_chunk(zram, far));
	KUNIT_EXPECT_EQ(test, zram_write_page(zram, ctx->in, 1), 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&zram->stats.chunks), 1L);
	KUNIT_EXPECT_LE(test, zram_mem_used_pages(zram), zram->limit_pages);
	/* One chunk more of room, and the same write fits. */
	zram->limit_pages += DIV_ROUND_UP(zram->chunk_alloc, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, zram_write_page(zram, ctx->in, far), 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&zram->stats.chunks), 2L);
}

/*
 * Two writers allocate the same chunk and the second publishes first
 * (zram_test_chunk_race_arm()): the first gives its copy back, and with
 * checksums its array too. One chunk is present and counted, at what
 * it really takes; the write reads back; verify agrees.
 */
static void zt_sparse_race(struct kunit *test)
{
	struct zt_ctx *ctx = test->priv;
	struct zram *zram = ctx->zram;
	u32 index = 5 * ZRAM_CHUNK_SLOTS + 3;
	unsigned int pass;

	for (pass = 0; pass < 2; pass++) {
		if (pass) {
			zt_zram_destroy(zram);
			zram = zt_zram_create(test, 9997, zt_sparse_pages(), true);
			ctx->zram = zram;
		}
		zram_test_chunk_race_arm(zram);
		zt_fill_text(page_address(ctx->in), index + pass);
		KUNIT_ASSERT_EQ(test, zram_write_page(zram, ctx->in, index), 0);
		/* The rival ran inside the write, and its chunk won. */
		KUNIT_EXPECT_EQ(test, atomic_read(&zram->chunk_race), 2);
		KUNIT_EXPECT_EQ(test, atomic_long_read(&zram->stats.chunks), 1L);
		KUNIT_EXPECT_EQ(test, zt_chunks_present(zram), 1UL);
		KUNIT_EXPECT_EQ(test, zram_chunk_bytes(zram),
				(u64)zram->chunk_alloc);
		if (zram->csum_dir) {
			KUNIT_ASSERT_NOT_NULL(test, zram->csum_dir[5]);
			KUNIT_EXPECT_EQ(test, ksize(zram_chunk(zram, index)) +
					ksize(zram->csum_dir[5]),
					zram->chunk_alloc);
		}
		KUNIT_ASSERT_EQ(test, zram_read_page(zram, ctx->out, index), 0);
		KUNIT_EXPECT_TRUE(test, zt_pages_equal(ctx->in, ctx->out));
		KUNIT_EXPECT_EQ(test, zt_verify(test, zram), 0L);
	}
	KUNIT_EXPECT_TRUE(test, zram->checksum);
}

/* Reset (teardown) frees every chunk, checksummed ones included. */
static void zt_sparse_teardown(struct kunit *test)
{
	struct zt_ctx *ctx = test->priv;
	struct zram *zram = ctx->zram;
	unsigned int i;

	zt_zram_destroy(zram);
	zram = zt_zram_create(test, 9998, zt_sparse_pages(), true);
	ctx->zram = zram;
	KUNIT_EXPECT_EQ(test, zram->chunk_alloc,
			kmalloc_size_roundup(sizeof(struct zram_chunk)) +
			kmalloc_size_roundup(ZRAM_CHUNK_SLOTS * sizeof(u32)));
	for (i = 0; i < ZT_SPARSE_CHUNKS; i += 7) {
		u32 index = i * ZRAM_CHUNK_SLOTS + i % ZRAM_CHUNK_SLOTS;

		zt_fill_text(page_address(ctx->in), index);
		KUNIT_ASSERT_EQ(test, zram_write_page(zram, ctx->in, index), 0);
		/* A chunk comes with its checksums, and nowhere else. */
		KUNIT_ASSERT_NOT_NULL(test, zram->csum_dir[i]);
		KUNIT_EXPECT_EQ(test, ksize(zram_chunk(zram, index)) +
				ksize(zram->csum_dir[i]), zram->chunk_alloc);
		if (i + 1 < zram->nr_chunks)
			KUNIT_EXPECT_NULL(test, zram->csum_dir[i + 1]);
	}
	KUNIT_EXPECT_EQ(test, atomic_long_read(&zram->stats.chunks),
			(long)DIV_ROUND_UP(ZT_SPARSE_CHUNKS, 7));
	KUNIT_EXPECT_EQ(test, zt_verify(test, zram), 0L);
	/* A flipped bit in a far chunk's object is caught by its checksum. */
	KUNIT_EXPECT_EQ(test, zram_corrupt_slot(zram, 63 * ZRAM_CHUNK_SLOTS +
						63 % ZRAM_CHUNK_SLOTS), 0);
	KUNIT_EXPECT_EQ(test, zram_read_page(zram, ctx->out,
					     63 * ZRAM_CHUNK_SLOTS +
					     63 % ZRAM_CHUNK_SLOTS), -EIO);
	KUNIT_EXPECT_EQ(test, zram_corrupt_slot(zram, 2 * ZRAM_CHUNK_SLOTS),
			-ENOENT);

	zram_teardown(zram);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&zram->stats.chunks), 0L);
	KUNIT_EXPECT_NULL(test, zram->dir);
	KUNIT_EXPECT_NULL(test, zram->csum_dir);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.pages_stored), 0ULL);
	/* zt_slot_exit() tears down again: a second teardown is a no-op. */
}

static struct kunit_case zt_sparse_cases[] = {
	KUNIT_CASE(zt_sparse_empty),
	KUNIT_CASE(zt_sparse_writes),
	KUNIT_CASE(zt_sparse_absent),
	KUNIT_CASE(zt_sparse_alloc_fail),
	KUNIT_CASE(zt_sparse_limit),
	KUNIT_CASE(zt_sparse_race),
	KUNIT_CASE(zt_sparse_teardown),
	{}
};

static struct kunit_suite zt_sparse_suite = {
	.name = "hzram_sparse",
	.init = zt_sparse_init,
	.exit = zt_slot_exit,
	.test_cases = zt_sparse_cases,
};

/* ------------------------ same-filled detection ---------------------- */

enum zt_fill_kind {
	ZT_FILL_CONST,		/* every word = pattern */
	ZT_FILL_LAST_DIFFERS,
	ZT_FILL_FIRST_DIFFERS,
	ZT_FILL_MIDDLE_DIFFERS,
	ZT_FILL_PENULT_DIFFERS,
	ZT_FILL_SECOND_DIFFERS,
	ZT_FILL_LAST_BYTE,	/* only the very last byte differs */
	ZT_FILL_BYTE_PERIOD3,	/* byte pattern not word-periodic */
};

struct zt_same_case {
	const char *name;
	enum zt_fill_kind kind;
	unsigned long pattern;
	bool same;
};

/*
 * A slot keeps a fill word in 32 bits: a page is a pattern when it is a
 * 32-bit word repeated. ZT_REP32() makes the long that holds such a word
 * (twice on 64-bit); a long whose halves differ is no pattern on 64-bit,
 * and on 32-bit it is its low half, repeated.
 */
#define ZT_REP32(x)	((unsigned long)((u64)(x) * 0x100000001ULL))
#define ZT_HALVES	(0x0123456789abcdefULL & ULONG_MAX)

static const struct zt_same_case zt_same_cases[] = {
	{ "zero", ZT_FILL_CONST, 0, true },
	{ "ones", ZT_FILL_CONST, ~0UL, true },
	/* Its bytes all differ, so only whole-word repeats match. */
	{ "word-pattern", ZT_FILL_CONST, ZT_REP32(0x89abcdef), true },
	{ "long-halves-differ", ZT_FILL_CONST, ZT_HALVES, BITS_PER_LONG == 32 },
	{ "low-byte", ZT_FILL_CONST, ZT_REP32(0x5a), true },
	{ "long-low-byte", ZT_FILL_CONST, 0x5a, BITS_PER_LONG == 32 },
	{ "last-differs", ZT_FILL_LAST_DIFFERS, 0, false },
	{ "first-differs", ZT_FILL_FIRST_DIFFERS, 0, false },
	{ "middle-differs", ZT_FILL_MIDDLE_DIFFERS, 0x11, false },
	{ "penultimate-differs", ZT_FILL_PENULT_DIFFERS, 0, false },
	{ "second-differs", ZT_FILL_SECOND_DIFFERS, ~0UL, false },
	{ "last-byte-differs", ZT_FILL_LAST_BYTE, 0, false },
	{ "byte-period-3", ZT_FILL_BYTE_PERIOD3, 0, false },
};

static void zt_same_desc(const struct zt_same_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(zt_same, zt_same_cases, zt_same_desc);

static void zt_same_filled(struct kunit *test)
{
	const struct zt_same_case *c = test->param_value;
	unsigned int nr = PAGE_SIZE / sizeof(unsigned long);
	unsigned long *w;
	u32 got = 0x1234;
	unsigned int i;
	bool same;
	u8 *b;

	w = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, w);
	for (i = 0; i < nr; i++)
		w[i] = c->pattern;
	b = (u8 *)w;

	switch (c->kind) {
	case ZT_FILL_CONST:
		break;
	case ZT_FILL_LAST_DIFFERS:
		w[nr - 1] ^= 1;
		break;
	case ZT_FILL_FIRST_DIFFERS:
		w[0] ^= 1UL << (BITS_PER_LONG - 1);
		break;
	case ZT_FILL_MIDDLE_DIFFERS:
		w[nr / 2] ^= 0x100;
		break;
	case ZT_FILL_PENULT_DIFFERS:
		w[nr - 2] = 1;
		break;
	case ZT_FILL_SECOND_DIFFERS:
		w[1] = 0;
		break;
	case ZT_FILL_LAST_BYTE:
		b[PAGE_SIZE - 1] = 0x80;
		break;
	case ZT_FILL_BYTE_PERIOD3:
		for (i = 0; i < PAGE_SIZE; i++)
			b[i] = i % 3;
		break;
	}

	same = zram_page_same_filled(w, &got);
	KUNIT_EXPECT_EQ(test, same, c->same);
	if (c->same)
		KUNIT_EXPECT_EQ(test, got, (u32)c->pattern);
	else
		KUNIT_EXPECT_EQ(test, got, 0x1234U); /* left alone */
}

static struct kunit_case zt_same_test_cases[] = {
	KUNIT_CASE_PARAM(zt_same_filled, zt_same_gen_params),
	{}
};

static struct kunit_suite zt_same_suite = {
	.name = "hzram_same_filled",
	.test_cases = zt_same_test_cases,
};

kunit_test_suites(&zt_slot_suite, &zt_sparse_suite, &zt_same_suite);
