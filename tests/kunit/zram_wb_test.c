// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for writeback (src/zram_wb.c): slots moving to a backing
 * store and back, the selection modes, writeback_limit, a full store,
 * failing writes and reads, checksums over written-back blocks, partial
 * I/O, and the races of a slot that is freed, overwritten or read while
 * its writeback is in flight, forced at the moment of the write.
 *
 * The store is the in-memory one of test builds (zram_test_hooks.c);
 * the guest steps run the same paths against real block devices and
 * files.
 */

#include <kunit/test.h>
#include <linux/bio.h>
#include <linux/bvec.h>
#include <linux/completion.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "hzs_pool.h"
#include "zram_drv.h"
#include "zram_wb.h"
#include "zram_fixture.h"

#define ZT_WB_BLOCKS	64

struct zt_wb {
	struct zram *zram;
	struct zram_mem_faults faults;
	struct page *data[ZT_NR_PAGES];	/* what each slot should hold */
	struct page *out;
	u32 hook_index;			/* the slot the hook acts on */
	int hook_action;
	int hook_ret;
	struct kunit *test;
};

enum {
	ZT_HOOK_NONE,
	ZT_HOOK_DISCARD,
	ZT_HOOK_OVERWRITE,
	ZT_HOOK_READ,
	ZT_HOOK_NOTIFY,
};

/* A device with an in-memory store of @blocks; torn down by zt_wb_exit(). */
static struct zt_wb *zt_wb_setup(struct kunit *test, bool checksum,
				 bool compressed, unsigned long blocks)
{
	struct zt_wb *w;
	int i;

	w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	test->priv = w;
	w->test = test;
	w->zram = zt_zram_create(test, 9990, ZT_NR_PAGES, checksum);
	w->zram->wb_compressed = compressed;
	w->faults.ctx = w;
	KUNIT_ASSERT_EQ(test, zram_test_attach_mem(w->zram, blocks,
						   &w->faults), 0);
	for (i = 0; i < ZT_NR_PAGES; i++) {
		w->data[i] = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, w->data[i]);
	}
	w->out = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w->out);
	return w;
}

static void zt_wb_exit(struct kunit *test)
{
	struct zt_wb *w = test->priv;
	int i;

	if (!w)
		return;
	zt_zram_destroy(w->zram);
	for (i = 0; i < ZT_NR_PAGES; i++)
		if (w->data[i])
			__free_page(w->data[i]);
	if (w->out)
		__free_page(w->out);
}

/* Slot @i gets text (compressible), or random bytes (huge) if @huge. */
static void zt_wb_store(struct zt_wb *w, u32 i, bool huge)
{
	void *mem = page_address(w->data[i]);

	if (huge)
		get_random_bytes(mem, PAGE_SIZE);
	else
		zt_fill_text(mem, 100 + i);
	KUNIT_ASSERT_EQ(w->test, zram_write_page(w->zram, w->data[i], i), 0);
}

static void zt_wb_expect_data(struct zt_wb *w, u32 i)
{
	memset(page_address(w->out), 0xa5, PAGE_SIZE);
	KUNIT_ASSERT_EQ(w->test, zram_read_page(w->zram, w->out, i), 0);
	KUNIT_EXPECT_TRUE_MSG(w->test, zt_pages_equal(w->data[i], w->out),
			      "slot %u read back wrong", i);
}

static bool zt_wb_is_wb(struct zt_wb *w, u32 i)
{
	return zram_slot_test(zt_slot(w->zram, i), ZRAM_WB);
}

/* Every stored slot written back reads back exactly; frees give blocks back. */
static void zt_wb_roundtrip(struct kunit *test, bool checksum, bool compressed)
{
	struct zt_wb *w;
	struct zram *zram;
	u32 i;

	w = zt_wb_setup(test, checksum, compressed, ZT_WB_BLOCKS);
	zram = w->zram;
	for (i = 0; i < 8; i++)
		zt_wb_store(w, i, i == 5);
	/* A pattern page is never written back: it costs nothing. */
	memset(page_address(w->data[8]), 0, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, zram_write_page(zram, w->data[8], 8), 0);

	KUNIT_ASSERT_EQ(test, zram_writeback(zram, 0, 0, ZT_NR_PAGES - 1), 0);
	for (i = 0; i < 8; i++) {
		KUNIT_EXPECT_TRUE(test, zt_wb_is_wb(w, i));
		KUNIT_EXPECT_FALSE(test, zram_slot_test(zt_slot(zram, i),
							ZRAM_UNDER_WB));
	}
	KUNIT_EXPECT_FALSE(test, zt_wb_is_wb(w, 8));
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.bd_count), 8ULL);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.bd_writes), 8ULL);
	KUNIT_EXPECT_EQ(test, atomic_read(&w->faults.writes), 8);
	/* Out of the pool, still stored. */
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.compr_data_size), 0ULL);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.huge_pages), 0ULL);
	KUNIT_EXPECT_EQ(test, zt_pool_objs(zram->pool), 0ULL);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.pages_stored), 9ULL);
	KUNIT_EXPECT_EQ(test, zt_verify(test, zram), 0L);
	/* With compressed writeback, only the raw page is a full block. */
	KUNIT_EXPECT_EQ(test, zram_slot_size(zt_slot(zram, 0)) < PAGE_SIZE,
			compressed);
	KUNIT_EXPECT_EQ(test, zram_slot_size(zt_slot(zram, 5)),
			(size_t)PAGE_SIZE);

	for (i = 0; i < 9; i++)
		zt_wb_expect_data(w, i);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.bd_reads), 8ULL);

	/* A second pass finds nothing left to write. */
	KUNIT_EXPECT_EQ(test, zram_writeback(zram, 0, 0, ZT_NR_PAGES - 1), 0);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.bd_writes), 8ULL);

	/* Every way a slot is freed gives its block back. */
	zram_discard_page(zram, 0);
	KUNIT_EXPECT_TRUE(test, zram_free_notify(zram, 1));
	zt_wb_store(w, 2, false);
	KUNIT_EXPECT_FALSE(test, zt_wb_is_wb(w, 2));
	zt_wb_expect_data(w, 2);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.bd_count), 5ULL);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.bd_double_free), 0ULL);
	KUNIT_EXPECT_EQ(test, zt_verify(test, zram), 0L);
}

static void zt_wb_roundtrip_plain(struct kunit *test)
{
	zt_wb_roundtrip(test, false, false);
}

static void zt_wb_roundtrip_compressed(struct kunit *test)
{
	zt_wb_roundtrip(test, false, true);
}

static void zt_wb_roundtrip_checksum(struct kunit *test)
{
	zt_wb_roundtrip(test, true, false);
}

static void zt_wb_roundtrip_checksum_compressed(struct kunit *test)
{
	zt_wb_roundtrip(test, true, true);
}

/* idle, huge, huge_idle and incompressible select what they say. */
static void zt_wb_modes(struct kunit *test)
{
	struct zt_wb *w;
	struct zram *zram;

	w = zt_wb_setup(test, false, false, ZT_WB_BLOCKS);
	zram = w->zram;
	zt_wb_store(w, 0, false);
	zt_wb_store(w, 1, true);
	zram_mark_idle(zram, S64_MAX);
	zt_wb_store(w, 2, false);	/* written after: not idle */
	zt_wb_store(w, 3, true);

	KUNIT_ASSERT_EQ(test, zram_writeback(zram, ZRAM_WB_INCOMPRESSIBLE, 0,
					     ZT_NR_PAGES - 1), 0);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.bd_count), 0ULL);

	KUNIT_ASSERT_EQ(test, zram_writeback(zram, ZRAM_WB_IDLE | ZRAM_WB_HUGE,
					     0, ZT_NR_PAGES - 1), 0);
	KUNIT_EXPECT_TRUE(test, zt_wb_is_wb(w, 1));
	KUNIT_EXPECT_FALSE(test, zt_wb_is_wb(w, 0));
	KUNIT_EXPECT_FALSE(test, zt_wb_is_wb(w, 3));

	KUNIT_ASSERT_EQ(test, zram_writeback(zram, ZRAM_WB_HUGE, 0,
					     ZT_NR_PAGES - 1), 0);
	KUNIT_EXPECT_TRUE(test, zt_wb_is_wb(w, 3));
	KUNIT_EXPECT_FALSE(test, zt_wb_is_wb(w, 0));

	KUNIT_ASSERT_EQ(test, zram_writeback(zram, ZRAM_WB_IDLE, 0,
					     ZT_NR_PAGES - 1), 0);
	KUNIT_EXPECT_TRUE(test, zt_wb_is_wb(w, 0));
	KUNIT_EXPECT_FALSE(test, zt_wb_is_wb(w, 2));

	/* A range selects only inside it. */
	zt_wb_store(w, 6, false);
	zt_wb_store(w, 7, false);
	KUNIT_ASSERT_EQ(test, zram_writeback(zram, 0, 7, 7), 0);
	KUNIT_EXPECT_TRUE(test, zt_wb_is_wb(w, 7));
	KUNIT_EXPECT_FALSE(test, zt_wb_is_wb(w, 6));
	KUNIT_EXPECT_FALSE(test, zt_wb_is_wb(w, 2));
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.bd_count), 4ULL);
	KUNIT_EXPECT_EQ(test, zt_verify(test, zram), 0L);
}

/* writeback_limit stops a pass with -EIO and is charged per page. */
static void zt_wb_limit(struct kunit *test)
{
	struct zt_wb *w;
	struct zram *zram;
	u32 i;

	w = zt_wb_setup(test, false, false, ZT_WB_BLOCKS);
	zram = w->zram;
	for (i = 0; i < 6; i++)
		zt_wb_store(w, i, false);
	zram->wb_limit_enable = true;
	zram->wb_limit = 2 * ZRAM_WB_LIMIT_UNITS;
	KUNIT_EXPECT_EQ(test, zram_writeback(zram, 0, 0, ZT_NR_PAGES - 1),
			-EIO);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.bd_count), 2ULL);
	KUNIT_EXPECT_EQ(test, zram->wb_limit, 0ULL);
	KUNIT_EXPECT_EQ(test, zram_writeback(zram, 0, 0, ZT_NR_PAGES - 1),
			-EIO);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.bd_count), 2ULL);

	/* A failed write gives its charge back. */
	zram->wb_limit = 1 * ZRAM_WB_LIMIT_UNITS;
	atomic_set(&w->faults.fail_writes, 1);
	KUNIT_EXPECT_EQ(test, zram_writeback(zram, 0, 0, ZT_NR_PAGES - 1),
			-EIO);
	KUNIT_EXPECT_EQ(test, zram->wb_limit, (u64)ZRAM_WB_LIMIT_UNITS);

	/* Disabled, the limit's value does not matter. */
	zram->wb_limit_enable = false;
	zram->wb_limit = 0;
	KUNIT_EXPECT_EQ(test, zram_writeback(zram, 0, 0, ZT_NR_PAGES - 1), 0);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.bd_count), 6ULL);
	KUNIT_EXPECT_EQ(test, zt_verify(test, zram), 0L);
	for (i = 0; i < 6; i++)
		zt_wb_expect_data(w, i);
}

/* A full store ends the pass with -ENOSPC and leaks no block. */
static void zt_wb_full(struct kunit *test)
{
	struct zt_wb *w;
	struct zram *zram;
	u32 i, n = 0;

	w = zt_wb_setup(test, false, false, 3);
	zram = w->zram;
	for (i = 0; i < 5; i++)
		zt_wb_store(w, i, false);
	KUNIT_EXPECT_EQ(test, zram_writeback(zram, 0, 0, ZT_NR_PAGES - 1),
			-ENOSPC);
	for (i = 0; i < 5; i++)
		n += zt_wb_is_wb(w, i);
	KUNIT_EXPECT_EQ(test, n, 3U);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.bd_count), 3ULL);
	KUNIT_EXPECT_EQ(test, zt_verify(test, zram), 0L);
	/* A freed block is found again. */
	zram_discard_page(zram, 0);
	KUNIT_EXPECT_EQ(test, zram_writeback(zram, 0, 0, ZT_NR_PAGES - 1),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.bd_count), 3ULL);
	for (i = 1; i < 5; i++)
		zt_wb_expect_data(w, i);
	KUNIT_EXPECT_EQ(test, zt_verify(test, zram), 0L);
}

/* A failing write leaves the page in memory, counted; the pass goes on. */
static void zt_wb_write_error(struct kunit *test)
{
	struct zt_wb *w;
	struct zram *zram;
	u32 i, n = 0;

	w = zt_wb_setup(test, false, false, ZT_WB_BLOCKS);
	zram = w->zram;
	for (i = 0; i < 6; i++)
		zt_wb_store(w, i, i == 2);
	atomic_set(&w->faults.fail_writes, 2);
	zram->wb_batch_size = 4;
	KUNIT_EXPECT_EQ(test, zram_writeback(zram, 0, 0, ZT_NR_PAGES - 1),
			-EIO);
	for (i = 0; i < 6; i++) {
		n += zt_wb_is_wb(w, i);
		KUNIT_EXPECT_FALSE(test, zram_slot_test(zt_slot(zram, i),
							ZRAM_UNDER_WB));
	}
	KUNIT_EXPECT_EQ(test, n, 4U);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.bd_write_errors), 2ULL);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.bd_writes), 4ULL);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.bd_count), 4ULL);
	KUNIT_EXPECT_EQ(test, zt_verify(test, zram), 0L);
	for (i = 0; i < 6; i++)
		zt_wb_expect_data(w, i);
	/* The device keeps working: the next pass takes the rest. */
	KUNIT_EXPECT_EQ(test, zram_writeback(zram, 0, 0, ZT_NR_PAGES - 1), 0);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.bd_count), 6ULL);
}

/* A failing read fails that block only, and only that once. */
static void zt_wb_read_error(struct kunit *test)
{
	struct zt_wb *w;
	struct zram *zram;
	u32 i;

	w = zt_wb_setup(test, false, true, ZT_WB_BLOCKS);
	zram = w->zram;
	for (i = 0; i < 3; i++)
		zt_wb_store(w, i, false);
	KUNIT_ASSERT_EQ(test, zram_writeback(zram, 0, 0, ZT_NR_PAGES - 1), 0);
	atomic_set(&w->faults.fail_reads, 1);
	KUNIT_EXPECT_EQ(test, zram_read_page(zram, w->out, 1), -EIO);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.bd_read_errors), 1ULL);
	KUNIT_EXPECT_TRUE(test, zt_wb_is_wb(w, 1));
	for (i = 0; i < 3; i++)
		zt_wb_expect_data(w, i);
	KUNIT_EXPECT_EQ(test, zt_verify(test, zram), 0L);
}

/* Damage on the backing store fails the read when checksums are on. */
static void zt_wb_checksum_damage(struct kunit *test)
{
	struct zt_wb *w;
	struct zram *zram;
	unsigned long blk;
	u8 *mem;

	w = zt_wb_setup(test, true, true, ZT_WB_BLOCKS);
	zram = w->zram;
	zt_wb_store(w, 4, false);
	KUNIT_ASSERT_EQ(test, zram_writeback(zram, 0, 4, 4), 0);
	KUNIT_ASSERT_TRUE(test, zt_wb_is_wb(w, 4));
	blk = zt_slot(zram, 4)->handle;
	KUNIT_ASSERT_EQ(test, zram_bd_rw(zram, blk, w->out, REQ_OP_READ), 0);
	mem = page_address(w->out);
	mem[7] ^= 0x01;
	KUNIT_ASSERT_EQ(test, zram_bd_rw(zram, blk, w->out, REQ_OP_WRITE), 0);
	KUNIT_EXPECT_EQ(test, zram_read_page(zram, w->out, 4), -EIO);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.checksum_errors), 1ULL);
	KUNIT_EXPECT_GT(test, zt_verify(test, zram), 0L);
}

/* Partial reads and writes of a written-back slot (any page size). */
static void zt_wb_partial(struct kunit *test)
{
	struct zt_wb *w;
	struct zram *zram;
	struct bio_vec bv;
	u8 *buf;

	w = zt_wb_setup(test, false, false, ZT_WB_BLOCKS);
	zram = w->zram;
	zt_wb_store(w, 3, false);
	KUNIT_ASSERT_EQ(test, zram_writeback(zram, 0, 3, 3), 0);
	KUNIT_ASSERT_TRUE(test, zt_wb_is_wb(w, 3));

	memset(page_address(w->out), 0, PAGE_SIZE);
	bvec_set_page(&bv, w->out, 512, 1024);
	KUNIT_ASSERT_EQ(test, zram_bvec_read(zram, &bv, 3, 1024, NULL), 0);
	KUNIT_EXPECT_EQ(test, memcmp(page_address(w->out) + 1024,
				     page_address(w->data[3]) + 1024, 512), 0);

	/* A partial write merges into the block and brings it back. */
	buf = page_address(w->out);
	memset(buf, 0x3c, PAGE_SIZE);
	bvec_set_page(&bv, w->out, 512, 0);
	KUNIT_ASSERT_EQ(test, zram_bvec_write(zram, &bv, 3, 2048), 0);
	memset(page_address(w->data[3]) + 2048, 0x3c, 512);
	KUNIT_EXPECT_FALSE(test, zt_wb_is_wb(w, 3));
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.bd_count), 0ULL);
	zt_wb_expect_data(w, 3);
	KUNIT_EXPECT_EQ(test, zt_verify(test, zram), 0L);
}

/* Whole-page reads of a bio go out asynchronously, chained to it. */
struct zt_parent {
	struct bio bio;
	struct completion done;
};

static void zt_parent_end_io(struct bio *bio)
{
	complete(&container_of(bio, struct zt_parent, bio)->done);
}

/* Read slot @i as the bio path would; the parent's status as an errno. */
static int zt_wb_bio_read(struct zt_wb *w, u32 i)
{
	struct zt_parent p;
	struct bio_vec bv;
	int ret;

	bio_init(&p.bio, NULL, NULL, 0, REQ_OP_READ);
	p.bio.bi_end_io = zt_parent_end_io;
	init_completion(&p.done);
	memset(page_address(w->out), 0xa5, PAGE_SIZE);
	bvec_set_page(&bv, w->out, PAGE_SIZE, 0);
	ret = zram_bvec_read(w->zram, &bv, i, 0, &p.bio);
	KUNIT_EXPECT_EQ(w->test, ret, 0);
	/* The caller's own completion, as zram_bio_rw() ends every bio. */
	bio_endio(&p.bio);
	KUNIT_EXPECT_NE(w->test, wait_for_completion_timeout(&p.done, 10 * HZ),
			0UL);
	/* The slot lock went with the read and came back. */
	KUNIT_EXPECT_FALSE(w->test, zram_slot_test(zt_slot(w->zram, i),
						   ZRAM_LOCK));
	return blk_status_to_errno(p.bio.bi_status);
}

static void zt_wb_read_async(struct kunit *test, bool checksum,
			     bool compressed)
{
	struct zt_wb *w;
	struct zram *zram;
	u32 i;

	w = zt_wb_setup(test, checksum, compressed, ZT_WB_BLOCKS);
	zram = w->zram;
	for (i = 0; i < 4; i++)
		zt_wb_store(w, i, i == 2);
	KUNIT_ASSERT_EQ(test, zram_writeback(zram, 0, 0, 3), 0);
	for (i = 0; i < 4; i++) {
		KUNIT_EXPECT_EQ(test, zt_wb_bio_read(w, i), 0);
		KUNIT_EXPECT_TRUE(test, zt_pages_equal(w->data[i], w->out));
	}
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.bd_reads), 4ULL);
	/* A failed read fails the bio, counted; the slot stays as it was. */
	atomic_set(&w->faults.fail_reads, 1);
	KUNIT_EXPECT_EQ(test, zt_wb_bio_read(w, 1), -EIO);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.failed_reads), 1ULL);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.bd_read_errors), 1ULL);
	KUNIT_EXPECT_TRUE(test, zt_wb_is_wb(w, 1));
	KUNIT_EXPECT_EQ(test, zt_wb_bio_read(w, 1), 0);
	KUNIT_EXPECT_TRUE(test, zt_pages_equal(w->data[1], w->out));
	KUNIT_EXPECT_EQ(test, zt_verify(test, zram), 0L);
}

static void zt_wb_read_async_plain(struct kunit *test)
{
	zt_wb_read_async(test, false, false);
}

static void zt_wb_read_async_checked(struct kunit *test)
{
	zt_wb_read_async(test, true, true);
}

/* -------------------- races forced at the write ---------------------- */

static void zt_wb_hook(struct zram_mem_faults *f, unsigned long blk)
{
	struct zt_wb *w = f->ctx;
	struct page *page;

	switch (w->hook_action) {
	case ZT_HOOK_DISCARD:
		zram_discard_page(w->zram, w->hook_index);
		break;
	case ZT_HOOK_OVERWRITE:
		page = w->data[w->hook_index];
		zt_fill_text(page_address(page), 4242);
		w->hook_ret = zram_write_page(w->zram, page, w->hook_index);
		break;
	case ZT_HOOK_READ:
		/* The pool object is still there: the read finds it. */
		w->hook_ret = zram_read_page(w->zram, w->out, w->hook_index);
		if (!w->hook_ret && !zt_pages_equal(w->out,
						    w->data[w->hook_index]))
			w->hook_ret = -EBADMSG;
		break;
	case ZT_HOOK_NOTIFY:
		w->hook_ret = zram_free_notify(w->zram, w->hook_index) ?
			      0 : -EBUSY;
		break;
	}
	w->hook_action = ZT_HOOK_NONE;
}

static void zt_wb_race(struct kunit *test, int action)
{
	struct zt_wb *w;
	struct zram *zram;

	w = zt_wb_setup(test, true, false, ZT_WB_BLOCKS);
	zram = w->zram;
	zt_wb_store(w, 6, false);
	zt_wb_store(w, 7, false);
	w->hook_index = 6;
	w->hook_action = action;
	w->faults.hook = zt_wb_hook;
	KUNIT_ASSERT_EQ(test, zram_writeback(zram, 0, 6, 7), 0);
	KUNIT_EXPECT_EQ(test, w->hook_action, ZT_HOOK_NONE);
	KUNIT_EXPECT_EQ(test, w->hook_ret, 0);
	/* The bystander was written back either way. */
	KUNIT_EXPECT_TRUE(test, zt_wb_is_wb(w, 7));
	zt_wb_expect_data(w, 7);

	switch (action) {
	case ZT_HOOK_DISCARD:
	case ZT_HOOK_NOTIFY:
		/* Empty, not pointing at the block written for it. */
		KUNIT_EXPECT_FALSE(test, zram_slot_allocated(zt_slot(zram, 6)));
		break;
	case ZT_HOOK_OVERWRITE:
		/* The new data, in the pool; the stale copy's block freed. */
		KUNIT_EXPECT_FALSE(test, zt_wb_is_wb(w, 6));
		zt_wb_expect_data(w, 6);
		break;
	case ZT_HOOK_READ:
		/* A read changes nothing: the switch goes ahead. */
		KUNIT_EXPECT_TRUE(test, zt_wb_is_wb(w, 6));
		zt_wb_expect_data(w, 6);
		break;
	}
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.bd_count),
			action == ZT_HOOK_READ ? 2ULL : 1ULL);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.bd_double_free), 0ULL);
	KUNIT_EXPECT_EQ(test, zt_verify(test, zram), 0L);
}

static void zt_wb_race_discard(struct kunit *test)
{
	zt_wb_race(test, ZT_HOOK_DISCARD);
}

static void zt_wb_race_overwrite(struct kunit *test)
{
	zt_wb_race(test, ZT_HOOK_OVERWRITE);
}

static void zt_wb_race_read(struct kunit *test)
{
	zt_wb_race(test, ZT_HOOK_READ);
}

static void zt_wb_race_notify(struct kunit *test)
{
	zt_wb_race(test, ZT_HOOK_NOTIFY);
}

/* Without a store, writeback is -ENODEV; reads of other slots unaffected. */
static void zt_wb_no_store(struct kunit *test)
{
	struct zram *zram = zt_zram_create(test, 9991, ZT_NR_PAGES, false);

	KUNIT_EXPECT_EQ(test, zram_writeback(zram, 0, 0, ZT_NR_PAGES - 1),
			-ENODEV);
	zt_zram_destroy(zram);
}

static struct kunit_case zt_wb_cases[] = {
	KUNIT_CASE(zt_wb_roundtrip_plain),
	KUNIT_CASE(zt_wb_roundtrip_compressed),
	KUNIT_CASE(zt_wb_roundtrip_checksum),
	KUNIT_CASE(zt_wb_roundtrip_checksum_compressed),
	KUNIT_CASE(zt_wb_modes),
	KUNIT_CASE(zt_wb_limit),
	KUNIT_CASE(zt_wb_full),
	KUNIT_CASE(zt_wb_write_error),
	KUNIT_CASE(zt_wb_read_error),
	KUNIT_CASE(zt_wb_checksum_damage),
	KUNIT_CASE(zt_wb_partial),
	KUNIT_CASE(zt_wb_read_async_plain),
	KUNIT_CASE(zt_wb_read_async_checked),
	KUNIT_CASE(zt_wb_race_discard),
	KUNIT_CASE(zt_wb_race_overwrite),
	KUNIT_CASE(zt_wb_race_read),
	KUNIT_CASE(zt_wb_race_notify),
	KUNIT_CASE(zt_wb_no_store),
	{}
};

static struct kunit_suite zt_wb_suite = {
	.name = "hzram_writeback",
	.exit = zt_wb_exit,
	.test_cases = zt_wb_cases,
};

kunit_test_suites(&zt_wb_suite);
