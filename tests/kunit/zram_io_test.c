// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for the I/O path (src/zram_io.c): the slot state machine
 * (write, read, overwrite, discard, free notification, huge pages,
 * mem_limit, idle marking, checksums) and same-filled page detection.
 * The races of that path have their own file, zram_io_race_test.c.
 */

#include <kunit/test.h>
#include <linux/bvec.h>
#include <linux/highmem.h>
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
	 * The limit bounds data and metadata together: two pages more than
	 * the empty pool's own structures. Incompressible pages: each needs
	 * a whole pool page, and a handle record.
	 */
	KUNIT_ASSERT_NOT_NULL(test, zt_slot(zram, 0));	/* the chunk */
	limit = zram_mem_used_pages(zram) + 2;
	KUNIT_ASSERT_GT(test, limit, 2UL);
	zram->limit_pages = limit;
	for (i = 0; i < ZT_NR_PAGES; i++) {
		get_random_bytes(page_address(ctx->in), PAGE_SIZE);
		ret = zram_write_page(zram, ctx->in, i);
		if (ret)
			break;
		stored++;
	}
	KUNIT_EXPECT_EQ(test, ret, -ENOMEM);
	KUNIT_EXPECT_GE(test, stored, 1U);
	KUNIT_EXPECT_LE(test, stored, 2U);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.pages_stored), (u64)stored);
	KUNIT_EXPECT_LE(test, hzs_pool_pages(zram->pool), 2ULL);
	/* Counting data pages only would have let metadata exceed it. */
	KUNIT_EXPECT_LE(test, hzs_pool_total_pages(zram->pool), (u64)limit);
	KUNIT_EXPECT_LE(test, zram_mem_used_pages(zram), limit);
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
	/* The checksums ride in the chunks, one u32 per slot. */
	KUNIT_EXPECT_EQ(test, zram->chunk_size, sizeof(struct zram_chunk) +
			ZRAM_CHUNK_SLOTS * sizeof(u32));

	zt_fill_text(page_address(ctx->in), 7);
	get_random_bytes(page_address(raw), PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, zram_write_page(zram, ctx->in, 3), 0);
	KUNIT_ASSERT_EQ(test, zram_write_page(zram, raw, 4), 0);
	KUNIT_EXPECT_TRUE(test, zram_slot_test(zt_slot(zram, 4), ZRAM_HUGE));
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
	KUNIT_EXPECT_EQ(test, zram->chunk_size, sizeof(struct zram_chunk));
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

		hzs_test_corrupt(handle, false, 0x1);
		zt_read_paths(test, ctx, index, -EIO);
		KUNIT_EXPECT_EQ(test, zt_pool_errors(zram->pool), errs + 2);
		hzs_test_corrupt(handle, false, 0x1);
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

/* A word whose bytes all differ, so only whole-word repeats match. */
#if BITS_PER_LONG == 64
#define ZT_WORD_PATTERN	0x0123456789abcdefUL
#else
#define ZT_WORD_PATTERN	0x89abcdefUL
#endif

static const struct zt_same_case zt_same_cases[] = {
	{ "zero", ZT_FILL_CONST, 0, true },
	{ "ones", ZT_FILL_CONST, ~0UL, true },
	{ "word-pattern", ZT_FILL_CONST, ZT_WORD_PATTERN, true },
	{ "low-byte", ZT_FILL_CONST, 0x5a, true },
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
	unsigned long *w, got = 0x1234;
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
		KUNIT_EXPECT_EQ(test, got, c->pattern);
	else
		KUNIT_EXPECT_EQ(test, got, 0x1234UL); /* left alone */
}

static struct kunit_case zt_same_test_cases[] = {
	KUNIT_CASE_PARAM(zt_same_filled, zt_same_gen_params),
	{}
};

static struct kunit_suite zt_same_suite = {
	.name = "hzram_same_filled",
	.test_cases = zt_same_test_cases,
};

kunit_test_suites(&zt_slot_suite, &zt_same_suite);
