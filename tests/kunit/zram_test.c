// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for the hzram block driver: the slot state machine,
 * same-filled detection, every compression backend, and the sysfs
 * parsers. Module boilerplate lives in kunit_main.c.
 *
 * The slot tests drive a bare struct zram (table, pool and compressor,
 * but no gendisk) through the same internal entry points the bio path
 * uses, so they exercise the real slot lifecycle without a block device.
 */

#include <kunit/test.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "hzs_pool.h"
#include "zcomp.h"
#include "zram_drv.h"

#define ZT_NR_PAGES	16

/* ----------------------------- test data ----------------------------- */

/* Log-like text: repetitive, but not trivially so. */
static void zt_fill_text(void *buf, unsigned int seed)
{
	static const char *const words[] = {
		"swap", "page", "compress", "zram", "block", "kernel",
		"memory", "slot", "lock", "the", "of", "and", "device",
	};
	char *p = buf, *end = p + PAGE_SIZE;
	unsigned int i = seed;

	while (p < end) {
		int n = scnprintf(p, end - p, "%s %s %u\n",
				  words[i % ARRAY_SIZE(words)],
				  words[(i * 5) % ARRAY_SIZE(words)], i % 64);

		if (n <= 0)
			break;
		p += n;
		i++;
	}
	memset(p, 0, end - p);
}

/* Bytes copied from a page of kernel code or data, if it is readable. */
static bool zt_fill_kernel(void *buf, const void *addr)
{
	unsigned long page = (unsigned long)addr & PAGE_MASK;

	return !copy_from_kernel_nofault(buf, (const void *)page, PAGE_SIZE);
}

/* ------------------------- slot state machine ------------------------ */

struct zt_ctx {
	struct zram *zram;
	struct page *in;
	struct page *out;
};

static int zt_slot_init(struct kunit *test)
{
	struct zt_ctx *ctx;
	struct zram *zram;
	int ret;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ctx);
	zram = kunit_kzalloc(test, sizeof(*zram), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, zram);
	ctx->zram = zram;
	test->priv = ctx;

	init_rwsem(&zram->init_lock);
	zram->id = 9999;
	zram->comp_name = "lzo-rle";
	zram->comp_level = ZCOMP_NO_LEVEL;
	zram->comp = zcomp_create(zram->comp_name, zram->comp_level);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, zram->comp);

	ret = zram_meta_alloc(zram, ZT_NR_PAGES * PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, ret, 0);
	zram->disksize = ZT_NR_PAGES * PAGE_SIZE;

	ctx->in = alloc_page(GFP_KERNEL);
	ctx->out = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->in);
	KUNIT_ASSERT_NOT_NULL(test, ctx->out);
	return 0;
}

static void zt_slot_exit(struct kunit *test)
{
	struct zt_ctx *ctx = test->priv;

	if (!ctx)
		return;
	if (ctx->zram) {
		zram_meta_free(ctx->zram);
		if (!IS_ERR_OR_NULL(ctx->zram->comp))
			zcomp_destroy(ctx->zram->comp);
	}
	if (ctx->in)
		__free_page(ctx->in);
	if (ctx->out)
		__free_page(ctx->out);
}

static u64 zt_stat(atomic64_t *v)
{
	return atomic64_read(v);
}

static u64 zt_pool_objs(struct hzs_pool *pool)
{
	struct hzs_pool_stats st = {};

	hzs_pool_stats(pool, &st);
	return st.objs_used;
}

static bool zt_pages_equal(struct page *a, struct page *b)
{
	return !memcmp(page_address(a), page_address(b), PAGE_SIZE);
}

static struct zram_slot *zt_slot(struct zram *zram, u32 index)
{
	return &zram->table[index];
}

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
			(long)hzs_pool_pages(zram->pool));

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
	/* Reading must not make the slot look written. */
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
	int ret = 0;

	/* Incompressible pages: each needs a whole pool page. */
	zram->limit_pages = 2;
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

/* zram_verify() into a scratch seq_file; returns its problem count. */
static long zt_verify(struct kunit *test, struct zram *zram)
{
	struct seq_file m = { .size = PAGE_SIZE };
	long ret;

	m.buf = kunit_kzalloc(test, m.size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m.buf);
	ret = zram_verify(zram, &m);
	kunit_info(test, "verify: %.*s", (int)m.count, m.buf);
	return ret;
}

/*
 * Integrity on: a flipped bit in a stored object (compressed or raw)
 * fails exactly that block's reads with -EIO and is counted; a rewrite
 * heals it; verify sees the damage too.
 */
static void zt_integrity(struct kunit *test)
{
	struct zt_ctx *ctx = test->priv;
	struct zram *zram = ctx->zram;
	struct page *raw = alloc_page(GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, raw);
	zram_meta_free(zram);
	zram->integrity = true;
	KUNIT_ASSERT_EQ(test, zram_meta_alloc(zram, ZT_NR_PAGES * PAGE_SIZE), 0);
	KUNIT_ASSERT_NOT_NULL(test, zram->csums);

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
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.integrity_errors), 1ULL);
	KUNIT_EXPECT_EQ(test, zram_read_page(zram, ctx->out, 4), 0);
	KUNIT_EXPECT_TRUE(test, zt_pages_equal(raw, ctx->out));
	KUNIT_EXPECT_EQ(test, zram_corrupt_slot(zram, 4), 0);
	KUNIT_EXPECT_EQ(test, zram_read_page(zram, ctx->out, 4), -EIO);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.integrity_errors), 2ULL);
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

/* Without integrity the same damage reads back as (wrong) data. */
static void zt_integrity_off(struct kunit *test)
{
	struct zt_ctx *ctx = test->priv;
	struct zram *zram = ctx->zram;

	KUNIT_EXPECT_NULL(test, zram->csums);
	get_random_bytes(page_address(ctx->in), PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, zram_write_page(zram, ctx->in, 2), 0);
	KUNIT_EXPECT_EQ(test, zram_corrupt_slot(zram, 2), 0);
	KUNIT_EXPECT_EQ(test, zram_read_page(zram, ctx->out, 2), 0);
	KUNIT_EXPECT_FALSE(test, zt_pages_equal(ctx->in, ctx->out));
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.integrity_errors), 0ULL);
}

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

static struct kunit_case zt_slot_cases[] = {
	KUNIT_CASE(zt_integrity),
	KUNIT_CASE(zt_integrity_off),
	KUNIT_CASE(zt_verify_detects),
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

/* ------------------------------ backends ----------------------------- */

struct zt_codec_case {
	const char *algo;
	s32 level;
	char desc[24];
	unsigned int text_max;	/* bound on the text sample's size */
};

/*
 * Fast settings trade ratio for speed; they may expand text, but no
 * more than LZ4's worst case (LZ4_COMPRESSBOUND), which the stream
 * buffer is sized for. The bounds scale with the page (16K pages too).
 */
#define ZT_TEXT_GOOD	(PAGE_SIZE / 2)
#define ZT_TEXT_FAST	(PAGE_SIZE + PAGE_SIZE / 255 + 16)
/* A zero page shrinks to almost nothing: under 1/64 of the page. */
#define ZT_ZERO_MAX	(PAGE_SIZE / 64)

static const struct zt_codec_case zt_codec_cases[] = {
	{ "lzo", ZCOMP_NO_LEVEL, "lzo", ZT_TEXT_GOOD },
	{ "lzo-rle", ZCOMP_NO_LEVEL, "lzo-rle", ZT_TEXT_GOOD },
	{ "lz4", ZCOMP_NO_LEVEL, "lz4", ZT_TEXT_GOOD },
	{ "lz4", 8, "lz4-accel-8", ZT_TEXT_GOOD },
	{ "lz4", 65537, "lz4-accel-max", ZT_TEXT_FAST },
	{ "lz4hc", 1, "lz4hc-1", ZT_TEXT_GOOD },
	{ "lz4hc", 4, "lz4hc-4", ZT_TEXT_GOOD },
	{ "lz4hc", ZCOMP_NO_LEVEL, "lz4hc-default", ZT_TEXT_GOOD },
	{ "lz4hc", 12, "lz4hc-12", ZT_TEXT_GOOD },
	{ "lz4hc", 16, "lz4hc-16", ZT_TEXT_GOOD },
	{ "zstd", -5, "zstd--5", ZT_TEXT_GOOD },
	{ "zstd", 1, "zstd-1", ZT_TEXT_GOOD },
	{ "zstd", ZCOMP_NO_LEVEL, "zstd-default", ZT_TEXT_GOOD },
	{ "zstd", 9, "zstd-9", ZT_TEXT_GOOD },
	{ "zstd", 19, "zstd-19", ZT_TEXT_GOOD },
	{ "zstd", 22, "zstd-22", ZT_TEXT_GOOD },
};

static void zt_codec_desc(const struct zt_codec_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(zt_codec, zt_codec_cases, zt_codec_desc);

enum {
	ZT_SRC_TEXT,
	ZT_SRC_KTEXT1,
	ZT_SRC_KTEXT2,
	ZT_SRC_KDATA,
	ZT_SRC_MIXED,
	ZT_SRC_RANDOM,
	ZT_SRC_ZERO,
	ZT_NR_SRC
};

/* Fill @buf with sample @n; false if that sample is unavailable. */
static bool zt_codec_sample(void *buf, int n)
{
	switch (n) {
	case ZT_SRC_TEXT:
		zt_fill_text(buf, 11);
		return true;
	case ZT_SRC_KTEXT1:
		return zt_fill_kernel(buf, (const void *)&kfree);
	case ZT_SRC_KTEXT2:
		return zt_fill_kernel(buf, (const void *)&kstrtoull);
	case ZT_SRC_KDATA:
		return zt_fill_kernel(buf, (const void *)&system_wq);
	case ZT_SRC_MIXED:
		/* Text, noise, a zero run, then machine code. */
		zt_fill_text(buf, 23);
		get_random_bytes(buf + PAGE_SIZE / 4, PAGE_SIZE / 4);
		memset(buf + PAGE_SIZE / 2, 0, PAGE_SIZE / 8);
		return !copy_from_kernel_nofault(buf + PAGE_SIZE * 5 / 8,
						 (const void *)((unsigned long)&kfree &
								PAGE_MASK),
						 PAGE_SIZE * 3 / 8);
	case ZT_SRC_RANDOM:
		get_random_bytes(buf, PAGE_SIZE);
		return true;
	case ZT_SRC_ZERO:
		memset(buf, 0, PAGE_SIZE);
		return true;
	}
	return false;
}

static void zt_codec_roundtrip(struct kunit *test)
{
	const struct zt_codec_case *c = test->param_value;
	unsigned int len, sizes[ZT_NR_SRC] = {};
	struct zcomp_strm *strm;
	struct zcomp *comp;
	void *src, *cbuf, *dst;
	int n, ret, tested = 0;

	src = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	dst = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	cbuf = kunit_kzalloc(test, ZCOMP_BUF_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, src);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dst);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, cbuf);

	comp = zcomp_create(c->algo, c->level);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, comp);

	for (n = 0; n < ZT_NR_SRC; n++) {
		if (!zt_codec_sample(src, n))
			continue;
		tested++;

		strm = zcomp_stream_get(comp);
		len = 0;
		ret = zcomp_compress(comp, strm, src, &len);
		if (!ret)
			memcpy(cbuf, strm->buffer, min_t(unsigned int, len,
							 ZCOMP_BUF_SIZE));
		zcomp_stream_put(strm);
		KUNIT_EXPECT_EQ_MSG(test, ret, 0, "sample %d", n);
		if (ret)
			continue;
		KUNIT_EXPECT_GT_MSG(test, len, 0U, "sample %d", n);
		KUNIT_EXPECT_LE_MSG(test, len, (unsigned int)ZCOMP_BUF_SIZE,
				    "sample %d", n);
		sizes[n] = len;
		if (len > PAGE_SIZE) /* the driver would store it raw */
			continue;

		memset(dst, 0xee, PAGE_SIZE);
		strm = zcomp_stream_get(comp);
		ret = zcomp_decompress(comp, strm, cbuf, len, dst);
		zcomp_stream_put(strm);
		KUNIT_EXPECT_EQ_MSG(test, ret, 0, "sample %d", n);
		KUNIT_EXPECT_EQ_MSG(test, memcmp(src, dst, PAGE_SIZE), 0,
				    "sample %d differs after round trip", n);

		/* Truncated input must be refused, not half-decoded. */
		if (len > 1) {
			strm = zcomp_stream_get(comp);
			ret = zcomp_decompress(comp, strm, cbuf, len - 1, dst);
			zcomp_stream_put(strm);
			KUNIT_EXPECT_NE_MSG(test, ret, 0,
					    "sample %d: truncated input accepted",
					    n);
		}
	}
	zcomp_destroy(comp);

	KUNIT_EXPECT_GE(test, tested, 4);
	/* Compressible inputs must actually shrink. */
	KUNIT_EXPECT_LT(test, sizes[ZT_SRC_TEXT], c->text_max);
	KUNIT_EXPECT_LT(test, sizes[ZT_SRC_ZERO], (unsigned int)ZT_ZERO_MAX);
	/* Random data cannot. */
	KUNIT_EXPECT_GT(test, sizes[ZT_SRC_RANDOM],
			(unsigned int)PAGE_SIZE * 3 / 4);
}

static void zt_codec_levels(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, zcomp_check_level("lz4hc", 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, zcomp_check_level("lz4hc", 17), -EINVAL);
	KUNIT_EXPECT_EQ(test, zcomp_check_level("lz4hc", 16), 0);
	KUNIT_EXPECT_EQ(test, zcomp_check_level("lz4", 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, zcomp_check_level("zstd", 23), -EINVAL);
	KUNIT_EXPECT_EQ(test, zcomp_check_level("zstd", 22), 0);
	KUNIT_EXPECT_EQ(test, zcomp_check_level("zstd", 0), 0);
	/* Level-less algorithms ignore a level, like upstream. */
	KUNIT_EXPECT_EQ(test, zcomp_check_level("lzo", 5), 0);
	KUNIT_EXPECT_EQ(test, zcomp_check_level("nope", 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, zcomp_check_level("zstd", ZCOMP_NO_LEVEL), 0);
	KUNIT_EXPECT_TRUE(test, IS_ERR(zcomp_create("lz4hc", 99)));
	KUNIT_EXPECT_TRUE(test, IS_ERR(zcomp_create("deflate",
						    ZCOMP_NO_LEVEL)));
}

#define ZT_LIST_LZ4	"lzo lzo-rle [lz4] lz4hc zstd\x20\n"
#define ZT_LIST_LZORLE	"lzo [lzo-rle] lz4 lz4hc zstd\x20\n"

static void zt_codec_names(struct kunit *test)
{
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	KUNIT_EXPECT_STREQ(test, zcomp_lookup("lzo-rle\n"), "lzo-rle");
	KUNIT_EXPECT_STREQ(test, zcomp_lookup("zstd"), "zstd");
	KUNIT_EXPECT_NULL(test, zcomp_lookup("LZ4"));
	KUNIT_EXPECT_NULL(test, zcomp_lookup("lz4 "));
	KUNIT_EXPECT_NULL(test, zcomp_lookup(""));
	KUNIT_EXPECT_NULL(test, zcomp_lookup("lz"));
	KUNIT_EXPECT_NULL(test, zcomp_lookup("lz4hcx"));

	/* Upstream's format, trailing space included. */
	zcomp_available_show("lz4", buf, 0);
	KUNIT_EXPECT_STREQ(test, buf, ZT_LIST_LZ4);
	zcomp_available_show("lzo-rle", buf, 0);
	KUNIT_EXPECT_STREQ(test, buf, ZT_LIST_LZORLE);
}

static struct kunit_case zt_codec_cases_list[] = {
	KUNIT_CASE_PARAM(zt_codec_roundtrip, zt_codec_gen_params),
	KUNIT_CASE(zt_codec_levels),
	KUNIT_CASE(zt_codec_names),
	{}
};

static struct kunit_suite zt_codec_suite = {
	.name = "hzram_zcomp",
	.test_cases = zt_codec_cases_list,
};

/* ------------------------------ parsing ------------------------------ */

struct zt_size_case {
	const char *in;
	int ret;
	u64 val;
};

static const struct zt_size_case zt_size_cases[] = {
	{ "4096", 0, 4096 },
	{ "4096\n", 0, 4096 },
	{ "0", 0, 0 },
	{ "4K", 0, 4096 },
	{ "4k\n", 0, 4096 },
	{ "1M", 0, 1ULL << 20 },
	{ "2G", 0, 2ULL << 30 },
	{ "3T", 0, 3ULL << 40 },
	{ "1p", 0, 1ULL << 50 },
	{ "15E", 0, 15ULL << 60 },
	{ "0x1000", 0, 4096 },
	{ "0x10K", 0, 16 << 10 },
	{ "010", 0, 8 },
	{ "18446744073709551615", 0, U64_MAX },
	{ "16E", -ERANGE, 0 },
	{ "17179869184G", -ERANGE, 0 },
	{ "18446744073709551616", -ERANGE, 0 },
	{ "", -EINVAL, 0 },
	{ "\n", -EINVAL, 0 },
	{ "K", -EINVAL, 0 },
	{ "abc", -EINVAL, 0 },
	{ "4G4", -EINVAL, 0 },
	{ "4KB", -EINVAL, 0 },
	{ "-1", -EINVAL, 0 },
	{ " 4K", -EINVAL, 0 },
	{ "4K\n\n", -EINVAL, 0 },
	{ "4096\n\n", -EINVAL, 0 },
	{ "1\n2", -EINVAL, 0 },
	{ "4 K", -EINVAL, 0 },
	{ "0x", -EINVAL, 0 },
	{ "09", -EINVAL, 0 },
	{ "000000000000000000000000000000000000000000000000000000000000000001",
	  -EINVAL, 0 },
};

/* Case names from inputs, with newlines and tabs made visible. */
static void zt_desc_str(const char *in, char *desc)
{
	int i, n = 0;

	for (i = 0; in[i] && n < KUNIT_PARAM_DESC_SIZE - 3; i++) {
		if (in[i] == '\n' || in[i] == '\t') {
			desc[n++] = '\\';
			desc[n++] = in[i] == '\n' ? 'n' : 't';
		} else {
			desc[n++] = in[i];
		}
	}
	desc[n] = '\0';
	if (!n)
		strscpy(desc, "(empty)", KUNIT_PARAM_DESC_SIZE);
}

static void zt_size_desc(const struct zt_size_case *c, char *desc)
{
	zt_desc_str(c->in, desc);
}

KUNIT_ARRAY_PARAM(zt_size, zt_size_cases, zt_size_desc);

static void zt_parse_size(struct kunit *test)
{
	const struct zt_size_case *c = test->param_value;
	u64 val = 0xdead;
	int ret;

	ret = zram_parse_size(c->in, &val);
	KUNIT_EXPECT_EQ(test, ret, c->ret);
	if (!c->ret)
		KUNIT_EXPECT_EQ(test, val, c->val);
	else
		KUNIT_EXPECT_EQ(test, val, 0xdeadULL);
}

struct zt_params_case {
	const char *in;
	int ret;
	const char *algo;
	s32 level;
};

static const struct zt_params_case zt_params_cases[] = {
	{ "algo=zstd level=3", 0, "zstd", 3 },
	{ "level=9\n", 0, NULL, 9 },
	{ "algo=lz4\n", 0, "lz4", ZCOMP_NO_LEVEL },
	{ "priority=0 algo=lz4hc level=12", 0, "lz4hc", 12 },
	{ "  algo=zstd \t level=-5\x20\t\n", 0, "zstd", -5 },
	{ "level=1 level=2", 0, NULL, 2 },
	{ "priority=0", 0, NULL, ZCOMP_NO_LEVEL },
	{ "priority=1 level=3", -EINVAL, NULL, 0 },
	{ "priority=x", -EINVAL, NULL, 0 },
	{ "level=abc", -EINVAL, NULL, 0 },
	{ "level=", -EINVAL, NULL, 0 },
	{ "level", -EINVAL, NULL, 0 },
	{ "=3", -EINVAL, NULL, 0 },
	{ "algo=foo", -EINVAL, NULL, 0 },
	{ "algo=LZ4", -EINVAL, NULL, 0 },
	{ "", -EINVAL, NULL, 0 },
	{ "\x20\t\x20\n", -EINVAL, NULL, 0 },
	{ "bogus=1", -EINVAL, NULL, 0 },
	{ "algo=zstd bogus=1", -EINVAL, NULL, 0 },
	{ "dict=/etc/passwd", -EOPNOTSUPP, NULL, 0 },
	{ "level=99999999999", -ERANGE, NULL, 0 },
	{ "level=-2147483648", -ERANGE, NULL, 0 },
	{ "level=3x", -EINVAL, NULL, 0 },
};

static void zt_params_desc(const struct zt_params_case *c, char *desc)
{
	zt_desc_str(c->in, desc);
}

KUNIT_ARRAY_PARAM(zt_params, zt_params_cases, zt_params_desc);

static void zt_parse_params(struct kunit *test)
{
	const struct zt_params_case *c = test->param_value;
	struct zram_algo_params p;
	int ret;

	ret = zram_parse_algo_params(c->in, &p);
	KUNIT_EXPECT_EQ(test, ret, c->ret);
	if (c->ret)
		return;
	if (c->algo)
		KUNIT_EXPECT_STREQ(test, p.algo, c->algo);
	else
		KUNIT_EXPECT_NULL(test, p.algo);
	KUNIT_EXPECT_EQ(test, p.level, c->level);
}

static void zt_input_nul(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, zram_input_ok("4G", 2));
	KUNIT_EXPECT_TRUE(test, zram_input_ok("4G\n", 3));
	/* A C caller writing sizeof("4G"): the terminator is harmless. */
	KUNIT_EXPECT_TRUE(test, zram_input_ok("4G\0", 3));
	KUNIT_EXPECT_TRUE(test, zram_input_ok("4G\0\0", 4));
	KUNIT_EXPECT_TRUE(test, zram_input_ok("", 0));
	/* Anything after an embedded NUL would be silently dropped. */
	KUNIT_EXPECT_FALSE(test, zram_input_ok("1\0garbage", 9));
	KUNIT_EXPECT_FALSE(test, zram_input_ok("\0001", 2));	/* NUL, '1' */
	KUNIT_EXPECT_FALSE(test, zram_input_ok("lz4\0\0x", 6));
}

static struct kunit_case zt_parse_cases[] = {
	KUNIT_CASE(zt_input_nul),
	KUNIT_CASE_PARAM(zt_parse_size, zt_size_gen_params),
	KUNIT_CASE_PARAM(zt_parse_params, zt_params_gen_params),
	{}
};

static struct kunit_suite zt_parse_suite = {
	.name = "hzram_parse",
	.test_cases = zt_parse_cases,
};

kunit_test_suites(&zt_slot_suite, &zt_same_suite, &zt_codec_suite,
		  &zt_parse_suite);
