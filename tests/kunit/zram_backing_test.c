// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the backing store's bookkeeping (src/zram_backing.c):
 * the block bitmap (every block handed out once, found again when
 * freed, a double free counted and harmless) and the block-to-sector
 * map of a file's extents.
 */

#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/slab.h>

#include "zram_drv.h"
#include "zram_wb.h"
#include "zram_fixture.h"

#define ZT_BD_BLOCKS	70	/* not a multiple of BITS_PER_LONG */

static struct zram_mem_faults zt_bd_faults;

static struct zram *zt_bd_zram(struct kunit *test, unsigned long blocks)
{
	struct zram *zram = zt_zram_create(test, 9992, ZT_NR_PAGES, false);

	KUNIT_ASSERT_EQ(test, zram_test_attach_mem(zram, blocks,
						   &zt_bd_faults), 0);
	return zram;
}

static void zt_bd_bitmap(struct kunit *test)
{
	struct zram *zram = zt_bd_zram(test, ZT_BD_BLOCKS);
	struct zram_backing *bk = zram->backing;
	unsigned long seen[BITS_TO_LONGS(ZT_BD_BLOCKS)] = {};
	unsigned long blk, i;

	for (i = 0; i < ZT_BD_BLOCKS; i++) {
		KUNIT_ASSERT_TRUE(test, zram_bd_alloc(zram, &blk));
		KUNIT_ASSERT_LT(test, blk, (unsigned long)ZT_BD_BLOCKS);
		/* Each block once. */
		KUNIT_EXPECT_FALSE(test, __test_and_set_bit(blk, seen));
	}
	KUNIT_EXPECT_FALSE(test, zram_bd_alloc(zram, &blk));
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.bd_count),
			(u64)ZT_BD_BLOCKS);
	KUNIT_EXPECT_EQ(test, bitmap_weight(bk->bitmap, bk->nr_blocks),
			(unsigned int)ZT_BD_BLOCKS);

	/* Freed blocks are found again, wherever the search starts. */
	zram_bd_free(zram, 3);
	zram_bd_free(zram, ZT_BD_BLOCKS - 1);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.bd_count),
			(u64)ZT_BD_BLOCKS - 2);
	KUNIT_ASSERT_TRUE(test, zram_bd_alloc(zram, &blk));
	KUNIT_ASSERT_TRUE(test, zram_bd_alloc(zram, &i));
	KUNIT_EXPECT_EQ(test, blk + i, 3UL + ZT_BD_BLOCKS - 1);
	KUNIT_EXPECT_FALSE(test, zram_bd_alloc(zram, &blk));

	/* A double free or a block out of range: counted, nothing else. */
	zram_bd_free(zram, 10);
	zram_bd_free(zram, 10);
	zram_bd_free(zram, ZT_BD_BLOCKS + 5);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.bd_double_free), 2ULL);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.bd_count),
			(u64)ZT_BD_BLOCKS - 1);
	zt_zram_destroy(zram);
}

/* Block 0 is a block like any other (its slot says ZRAM_WB). */
static void zt_bd_block_zero(struct kunit *test)
{
	struct zram *zram = zt_bd_zram(test, 1);
	unsigned long blk = 99;

	KUNIT_ASSERT_TRUE(test, zram_bd_alloc(zram, &blk));
	KUNIT_EXPECT_EQ(test, blk, 0UL);
	KUNIT_EXPECT_FALSE(test, zram_bd_alloc(zram, &blk));
	zram_bd_free(zram, 0);
	KUNIT_EXPECT_TRUE(test, zram_bd_alloc(zram, &blk));
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.bd_double_free), 0ULL);
	zt_zram_destroy(zram);
}

/* A file's extents: blocks are numbered densely, sectors are not. */
static void zt_bd_sectors(struct kunit *test)
{
	static const struct zram_bd_extent ext[] = {
		{ .first = 0, .nr = 3, .sector = 2048 },
		{ .first = 3, .nr = 1, .sector = 800000 },
		{ .first = 4, .nr = 5, .sector = 16 },
	};
	const sector_t per = PAGE_SIZE >> SECTOR_SHIFT;
	struct zram_backing bk = {
		.extents = (struct zram_bd_extent *)ext,
		.nr_extents = ARRAY_SIZE(ext),
		.nr_blocks = 9,
	};

	KUNIT_EXPECT_EQ(test, zram_bd_sector(&bk, 0), (sector_t)2048);
	KUNIT_EXPECT_EQ(test, zram_bd_sector(&bk, 2), 2048 + 2 * per);
	KUNIT_EXPECT_EQ(test, zram_bd_sector(&bk, 3), (sector_t)800000);
	KUNIT_EXPECT_EQ(test, zram_bd_sector(&bk, 4), (sector_t)16);
	KUNIT_EXPECT_EQ(test, zram_bd_sector(&bk, 8), 16 + 4 * per);
	bk.nr_extents = 1;
	KUNIT_EXPECT_EQ(test, zram_bd_sector(&bk, 2), 2048 + 2 * per);
}

static struct kunit_case zt_bd_cases[] = {
	KUNIT_CASE(zt_bd_bitmap),
	KUNIT_CASE(zt_bd_block_zero),
	KUNIT_CASE(zt_bd_sectors),
	{}
};

static struct kunit_suite zt_bd_suite = {
	.name = "hzram_backing",
	.test_cases = zt_bd_cases,
};

kunit_test_suites(&zt_bd_suite);
