// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for recompression (src/zram_recomp.c): slots stored by a
 * weak primary are recompressed by secondaries in priority order, read
 * back with the algorithm that stored them (also after a compressed
 * writeback), selected by type, threshold and max_pages (largest
 * first), marked incompressible when no secondary helps, and raced
 * against overwrites, frees and reads.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/highmem.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "hzs_pool.h"
#include "zram_drv.h"
#include "zram_recomp.h"
#include "zram_wb.h"
#include "zram_fixture.h"

#define ZT_RC_PAGES	48

struct zt_rc {
	struct zram *zram;
	struct page *data[ZT_RC_PAGES];	/* what each slot should hold */
	struct page *out;
	struct zram_mem_faults faults;
};

/*
 * Page @i's content: kernel code and data (real, mixed compressibility),
 * text, and every seventh page random (incompressible).
 */
static void zt_rc_fill(struct page *page, int i)
{
	unsigned long base = (unsigned long)&kfree & PAGE_MASK;
	void *mem = kmap_local_page(page);

	if (i % 7 == 6)
		get_random_bytes(mem, PAGE_SIZE);
	else if (i % 3 == 0)
		zt_fill_text(mem, i * 13);
	else if (copy_from_kernel_nofault(mem, (void *)(base + i * PAGE_SIZE),
					  PAGE_SIZE))
		zt_fill_text(mem, i);
	kunmap_local(mem);
}

/*
 * A device of ZT_RC_PAGES with lzo as primary and @sec[0..2] as
 * secondaries at priorities 1-3 (NULL: unset), filled with real data.
 */
static struct zt_rc *zt_rc_setup(struct kunit *test, const char *const *sec,
				 bool checksum)
{
	struct zt_rc *r;
	u32 prio;
	int i;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	test->priv = r;
	r->zram = kunit_kzalloc(test, sizeof(*r->zram), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r->zram);
	zram_init_struct(r->zram, 9980);
	r->zram->checksum = checksum;
	r->zram->conf[0].name = zcomp_lookup("lzo");
	for (prio = 1; prio < ZRAM_MAX_COMPS; prio++)
		r->zram->conf[prio].name = sec[prio - 1] ?
					   zcomp_lookup(sec[prio - 1]) : NULL;
	KUNIT_ASSERT_EQ(test, zram_setup(r->zram,
					 (u64)ZT_RC_PAGES * PAGE_SIZE), 0);
	r->zram->disksize = (u64)ZT_RC_PAGES * PAGE_SIZE;
	for (i = 0; i < ZT_RC_PAGES; i++) {
		r->data[i] = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, r->data[i]);
		zt_rc_fill(r->data[i], i);
		KUNIT_ASSERT_EQ(test, zram_write_page(r->zram, r->data[i], i),
				0);
	}
	r->out = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r->out);
	return r;
}

static void zt_rc_exit(struct kunit *test)
{
	struct zt_rc *r = test->priv;
	int i;

	if (!r)
		return;
	zt_zram_destroy(r->zram);
	for (i = 0; i < ZT_RC_PAGES; i++)
		if (r->data[i])
			__free_page(r->data[i]);
	if (r->out)
		__free_page(r->out);
}

/* Every slot reads back exactly; returns the number that did not. */
static int zt_rc_check(struct kunit *test, struct zt_rc *r)
{
	int i, bad = 0;

	for (i = 0; i < ZT_RC_PAGES; i++) {
		memset(page_address(r->out), 0x5a, PAGE_SIZE);
		if (zram_read_page(r->zram, r->out, i) ||
		    !zt_pages_equal(r->out, r->data[i]))
			bad++;
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
	KUNIT_EXPECT_EQ(test, zt_verify(test, r->zram), 0L);
	return bad;
}

/* The stats the pass must keep honest, against the table. */
static void zt_rc_stats(struct kunit *test, struct zram *zram)
{
	u64 bytes = 0, huge = 0;
	int i;

	for (i = 0; i < ZT_RC_PAGES; i++) {
		struct zram_slot *slot = zt_slot(zram, i);

		if (zram_slot_test(slot, ZRAM_SAME) ||
		    zram_slot_test(slot, ZRAM_WB))
			continue;
		bytes += zram_slot_size(slot);
		huge += zram_slot_test(slot, ZRAM_HUGE);
	}
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.compr_data_size), bytes);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.huge_pages), huge);
}

static struct zram_recomp_req zt_req(unsigned int mode)
{
	struct zram_recomp_req req = {
		.mode = mode, .max_pages = U64_MAX,
		.prio = ZRAM_SECONDARY_COMP, .prio_max = ZRAM_MAX_COMPS,
	};

	return req;
}

static const char *const zt_zstd[3] = { "zstd" };

/*
 * lzo, then zstd: the data shrinks, every slot reads back (which needs
 * zstd for the recompressed ones), the stats follow, and a second pass
 * has nothing left to try.
 */
static void zt_recomp_basic(struct kunit *test)
{
	struct zt_rc *r = zt_rc_setup(test, zt_zstd, false);
	struct zram *zram = r->zram;
	struct zram_recomp_req req = zt_req(0);
	struct zram_recomp_result res;
	u64 before = zt_stat(&zram->stats.compr_data_size);
	u64 stored = zt_stat(&zram->stats.pages_stored);
	int i, r1 = 0, inc = 0;

	KUNIT_ASSERT_EQ(test, zram_recompress(zram, &req, &res), 0);
	for (i = 0; i < ZT_RC_PAGES; i++) {
		struct zram_slot *slot = zt_slot(zram, i);

		r1 += zram_slot_prio(slot) == 1;
		inc += zram_slot_test(slot, ZRAM_INCOMPRESSIBLE);
		/* Each slot either moved to zstd or was marked, not both. */
		KUNIT_EXPECT_FALSE(test, zram_slot_prio(slot) == 1 &&
				   zram_slot_test(slot, ZRAM_INCOMPRESSIBLE));
	}
	kunit_info(test, "compr_data_size %llu -> %llu; %d recompressed, %d incompressible\n",
		   before, zt_stat(&zram->stats.compr_data_size), r1, inc);
	KUNIT_EXPECT_EQ(test, res.recompressed, (u64)r1);
	KUNIT_EXPECT_EQ(test, res.incompressible, (u64)inc);
	KUNIT_EXPECT_EQ(test, res.tried, (u64)ZT_RC_PAGES);
	KUNIT_EXPECT_GT(test, r1, ZT_RC_PAGES / 2);
	/* The random pages cannot shrink. */
	KUNIT_EXPECT_GE(test, inc, ZT_RC_PAGES / 7);
	KUNIT_EXPECT_LT(test, zt_stat(&zram->stats.compr_data_size) * 10,
			before * 9);
	KUNIT_EXPECT_EQ(test, zt_stat(&zram->stats.pages_stored), stored);
	zt_rc_stats(test, zram);
	zt_rc_check(test, r);

	/* Nothing is left to try: recompressed by the last, or marked. */
	KUNIT_EXPECT_EQ(test, zram_recompress(zram, &req, &res), 0);
	KUNIT_EXPECT_EQ(test, res.tried, 0ULL);
	zt_rc_check(test, r);

	/* An overwrite stores with the primary again and clears the marks. */
	KUNIT_ASSERT_EQ(test, zram_write_page(zram, r->data[1], 6), 0);
	KUNIT_EXPECT_EQ(test, zram_slot_prio(zt_slot(zram, 6)), 0U);
	KUNIT_EXPECT_FALSE(test, zram_slot_test(zt_slot(zram, 6),
						ZRAM_INCOMPRESSIBLE));
	memcpy(page_address(r->data[6]), page_address(r->data[1]), PAGE_SIZE);
	zt_rc_check(test, r);
}

/*
 * Raw (huge) slots: type=huge tries exactly them. zstd shrinks some a
 * weak primary could not; the random ones are marked incompressible.
 */
static void zt_recomp_huge(struct kunit *test)
{
	struct zt_rc *r = zt_rc_setup(test, zt_zstd, true);
	struct zram *zram = r->zram;
	struct zram_recomp_req req = zt_req(ZRAM_RECOMP_HUGE);
	struct zram_recomp_result res;
	bool huge[ZT_RC_PAGES];
	u64 nr_huge = zt_stat(&zram->stats.huge_pages);
	int i;

	for (i = 0; i < ZT_RC_PAGES; i++)
		huge[i] = zram_slot_test(zt_slot(zram, i), ZRAM_HUGE);
	KUNIT_ASSERT_GE(test, nr_huge, (u64)ZT_RC_PAGES / 7);
	KUNIT_ASSERT_EQ(test, zram_recompress(zram, &req, &res), 0);
	KUNIT_EXPECT_EQ(test, res.tried, nr_huge);
	KUNIT_EXPECT_EQ(test, res.incompressible + res.recompressed, nr_huge);
	for (i = 0; i < ZT_RC_PAGES; i++) {
		struct zram_slot *slot = zt_slot(zram, i);
		bool inc = zram_slot_test(slot, ZRAM_INCOMPRESSIBLE);
		u32 prio = zram_slot_prio(slot);

		if (!huge[i]) {
			KUNIT_EXPECT_FALSE_MSG(test, inc || prio, "slot %d", i);
			continue;
		}
		/* Each huge slot moved to zstd (and is raw no more) or is marked. */
		KUNIT_EXPECT_TRUE_MSG(test, inc != (prio == 1), "slot %d", i);
		KUNIT_EXPECT_EQ(test, zram_slot_test(slot, ZRAM_HUGE), inc);
		if (i % 7 == 6)
			KUNIT_EXPECT_TRUE_MSG(test, inc, "random slot %d", i);
	}
	zt_rc_stats(test, zram);
	zt_rc_check(test, r);
}

/* type=idle: only idle slots, and they are idle no more. */
static void zt_recomp_idle(struct kunit *test)
{
	struct zt_rc *r = zt_rc_setup(test, zt_zstd, true);
	struct zram *zram = r->zram;
	struct zram_recomp_req req = zt_req(ZRAM_RECOMP_IDLE);
	struct zram_recomp_result res;
	int i, idle = 0;

	for (i = 0; i < ZT_RC_PAGES; i += 4) {
		zram_slot_lock(zram, i);
		zram_slot_set(zt_slot(zram, i), ZRAM_IDLE);
		zram_slot_unlock(zram, i);
		idle++;
	}
	KUNIT_ASSERT_EQ(test, zram_recompress(zram, &req, &res), 0);
	KUNIT_EXPECT_EQ(test, res.tried, (u64)idle);
	for (i = 0; i < ZT_RC_PAGES; i++) {
		struct zram_slot *slot = zt_slot(zram, i);
		bool touched = zram_slot_prio(slot) ||
			       zram_slot_test(slot, ZRAM_INCOMPRESSIBLE);

		KUNIT_EXPECT_EQ_MSG(test, touched, i % 4 == 0, "slot %d", i);
		KUNIT_EXPECT_FALSE(test, zram_slot_test(slot, ZRAM_IDLE));
	}
	zt_rc_check(test, r);
}

/* threshold=T: only objects of T bytes or more, and results under T. */
static void zt_recomp_threshold(struct kunit *test)
{
	struct zt_rc *r = zt_rc_setup(test, zt_zstd, false);
	struct zram *zram = r->zram;
	struct zram_recomp_req req = zt_req(0);
	struct zram_recomp_result res;
	size_t sizes[ZT_RC_PAGES];
	int i, want = 0;

	req.threshold = PAGE_SIZE / 4;
	for (i = 0; i < ZT_RC_PAGES; i++) {
		sizes[i] = zram_slot_size(zt_slot(zram, i));
		want += sizes[i] >= req.threshold;
	}
	KUNIT_ASSERT_EQ(test, zram_recompress(zram, &req, &res), 0);
	KUNIT_EXPECT_EQ(test, res.tried, (u64)want);
	for (i = 0; i < ZT_RC_PAGES; i++) {
		struct zram_slot *slot = zt_slot(zram, i);

		if (sizes[i] < req.threshold) {
			KUNIT_EXPECT_EQ(test, zram_slot_prio(slot), 0U);
			KUNIT_EXPECT_EQ(test, zram_slot_size(slot), sizes[i]);
		} else if (zram_slot_prio(slot)) {
			KUNIT_EXPECT_LT(test, zram_slot_size(slot),
					(size_t)req.threshold);
		}
	}
	zt_rc_check(test, r);

	/* Beyond the largest packed object, nothing could pass. */
	req.threshold = zram->huge_threshold + 1;
	KUNIT_EXPECT_EQ(test, zram_recompress(zram, &req, &res), -EINVAL);
}

static int zt_cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? 1 : x > y ? -1 : 0;
}

/* max_pages=K tries exactly the K largest objects (as upstream 6.13+). */
static void zt_recomp_largest_first(struct kunit *test)
{
	struct zt_rc *r = zt_rc_setup(test, zt_zstd, false);
	struct zram *zram = r->zram;
	struct zram_recomp_req req = zt_req(0);
	struct zram_recomp_result res;
	size_t sizes[ZT_RC_PAGES], sorted[ZT_RC_PAGES], cut;
	int i, k = 10, above = 0, tried_at = 0;

	for (i = 0; i < ZT_RC_PAGES; i++) {
		sizes[i] = zram_slot_size(zt_slot(zram, i));
		sorted[i] = sizes[i];
	}
	sort(sorted, ZT_RC_PAGES, sizeof(sorted[0]), zt_cmp_size, NULL);
	cut = sorted[k - 1];
	for (i = 0; i < k; i++)
		above += sorted[i] > cut;

	req.max_pages = k;
	KUNIT_ASSERT_EQ(test, zram_recompress(zram, &req, &res), 0);
	KUNIT_EXPECT_EQ(test, res.tried, (u64)k);
	for (i = 0; i < ZT_RC_PAGES; i++) {
		struct zram_slot *slot = zt_slot(zram, i);
		bool tried = zram_slot_prio(slot) ||
			     zram_slot_test(slot, ZRAM_INCOMPRESSIBLE);

		if (sizes[i] > cut)
			KUNIT_EXPECT_TRUE_MSG(test, tried, "slot %d (%zu B)",
					      i, sizes[i]);
		else if (sizes[i] < cut)
			KUNIT_EXPECT_FALSE_MSG(test, tried, "slot %d (%zu B)",
					       i, sizes[i]);
		else
			tried_at += tried;
	}
	/* Ties at the cut: exactly the remainder of the budget. */
	KUNIT_EXPECT_EQ(test, tried_at, k - above);
	zt_rc_check(test, r);

	req.max_pages = 0;
	KUNIT_EXPECT_EQ(test, zram_recompress(zram, &req, &res), 0);
	KUNIT_EXPECT_EQ(test, res.tried, 0ULL);
}

/*
 * Two secondaries: priority order, algo= and priority= pick one, and
 * each slot reads back with the algorithm its priority bits name.
 */
static void zt_recomp_priorities(struct kunit *test)
{
	static const char *const sec[3] = { "lz4", NULL, "zstd" };
	struct zt_rc *r = zt_rc_setup(test, sec, true);
	struct zram *zram = r->zram;
	struct zram_recomp_req req = zt_req(0);
	struct zram_recomp_result res;
	int i, p1 = 0, p3 = 0;

	/* Priority 2 has no algorithm: naming it is an error. */
	req.prio = 2;
	req.prio_max = 3;
	KUNIT_EXPECT_EQ(test, zram_recompress(zram, &req, &res), -EINVAL);
	req = zt_req(0);
	req.algo = "deflate-not-selected";
	KUNIT_EXPECT_EQ(test, zram_recompress(zram, &req, &res), -EINVAL);

	/* Only lz4 (priority 1). */
	req = zt_req(0);
	req.prio = 1;
	req.prio_max = 2;
	KUNIT_ASSERT_EQ(test, zram_recompress(zram, &req, &res), 0);
	for (i = 0; i < ZT_RC_PAGES; i++) {
		KUNIT_EXPECT_NE(test, zram_slot_prio(zt_slot(zram, i)), 3U);
		/* zstd has not had its try: nothing is marked yet. */
		KUNIT_EXPECT_FALSE(test, zram_slot_test(zt_slot(zram, i),
							ZRAM_INCOMPRESSIBLE));
	}
	zt_rc_check(test, r);

	/* Then zstd by name: it takes slots stored by lzo and by lz4. */
	req = zt_req(0);
	req.algo = "zstd";
	KUNIT_ASSERT_EQ(test, zram_recompress(zram, &req, &res), 0);
	for (i = 0; i < ZT_RC_PAGES; i++) {
		p1 += zram_slot_prio(zt_slot(zram, i)) == 1;
		p3 += zram_slot_prio(zt_slot(zram, i)) == 3;
	}
	kunit_info(test, "%d slots stay with lz4, %d moved to zstd\n", p1, p3);
	KUNIT_EXPECT_GT(test, p3, 0);
	/* lz4 had its try in another pass: nothing is marked yet. */
	KUNIT_EXPECT_EQ(test, res.incompressible, 0ULL);
	zt_rc_check(test, r);

	/* A full pass tries both on what is left: the random pages fail. */
	req = zt_req(0);
	KUNIT_ASSERT_EQ(test, zram_recompress(zram, &req, &res), 0);
	KUNIT_EXPECT_GE(test, res.incompressible, (u64)ZT_RC_PAGES / 7);
	for (i = 0; i < ZT_RC_PAGES; i++)
		if (i % 7 == 6)
			KUNIT_EXPECT_TRUE(test, zram_slot_test(zt_slot(zram, i),
							       ZRAM_INCOMPRESSIBLE));
	zt_rc_stats(test, zram);
	zt_rc_check(test, r);
}

/*
 * A recompressed object written back compressed keeps its priority:
 * reading it back decompresses with zstd, not the primary.
 */
static void zt_recomp_writeback(struct kunit *test)
{
	struct zt_rc *r = zt_rc_setup(test, zt_zstd, true);
	struct zram *zram = r->zram;
	struct zram_recomp_req req = zt_req(0);
	struct zram_recomp_result res;
	int i, wb_r = 0;

	KUNIT_ASSERT_EQ(test, zram_recompress(zram, &req, &res), 0);
	zram->wb_compressed = true;
	KUNIT_ASSERT_EQ(test, zram_test_attach_mem(zram, ZT_RC_PAGES,
						   &r->faults), 0);
	KUNIT_ASSERT_EQ(test, zram_writeback(zram, 0, 0, ZT_RC_PAGES - 1), 0);
	for (i = 0; i < ZT_RC_PAGES; i++) {
		struct zram_slot *slot = zt_slot(zram, i);

		KUNIT_EXPECT_TRUE(test, zram_slot_test(slot, ZRAM_WB));
		wb_r += zram_slot_prio(slot) == 1;
	}
	KUNIT_EXPECT_GT(test, wb_r, ZT_RC_PAGES / 2);
	zt_rc_check(test, r);
	/* Written-back slots are not recompressed. */
	KUNIT_EXPECT_EQ(test, zram_recompress(zram, &req, &res), 0);
	KUNIT_EXPECT_EQ(test, res.tried, 0ULL);
}

struct zt_rc_race {
	struct zt_rc *r;
	atomic_t passes;
	int err;
};

static int zt_rc_racer(void *arg)
{
	struct zt_rc_race *rr = arg;
	struct zram_recomp_req req = zt_req(0);
	struct zram_recomp_result res;

	while (!kthread_should_stop()) {
		int ret = zram_recompress(rr->r->zram, &req, &res);

		if (ret && !rr->err)
			rr->err = ret;
		atomic_inc(&rr->passes);
		cond_resched();
	}
	return 0;
}

/*
 * Overwrites, discards and reads race a thread that recompresses over
 * and over: every read sees the slot's current content, exactly.
 */
static void zt_recomp_race(struct kunit *test)
{
	struct zt_rc *r = zt_rc_setup(test, zt_zstd, true);
	struct zram *zram = r->zram;
	struct zt_rc_race rr = { .r = r };
	struct task_struct *t;
	unsigned long end = jiffies + 3 * HZ;
	int round = 0, bad = 0;

	t = kthread_run(zt_rc_racer, &rr, "zt_recomp");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	while (time_before(jiffies, end) || atomic_read(&rr.passes) < 3) {
		int i = get_random_u32() % ZT_RC_PAGES;

		switch (round++ % 3) {
		case 0:
			zt_rc_fill(r->data[i], get_random_u32() % 64);
			if (zram_write_page(zram, r->data[i], i))
				bad++;
			break;
		case 1:
			zram_discard_page(zram, i);
			memset(page_address(r->data[i]), 0, PAGE_SIZE);
			break;
		default:
			if (zram_read_page(zram, r->out, i) ||
			    !zt_pages_equal(r->out, r->data[i]))
				bad++;
		}
		if (!(round % 64))
			cond_resched();
	}
	kthread_stop(t);
	kunit_info(test, "%d operations against %d recompression passes\n",
		   round, atomic_read(&rr.passes));
	KUNIT_EXPECT_EQ(test, bad, 0);
	KUNIT_EXPECT_EQ(test, rr.err, 0);
	zt_rc_stats(test, zram);
	zt_rc_check(test, r);
}

static struct kunit_case zt_recomp_cases[] = {
	KUNIT_CASE(zt_recomp_basic),
	KUNIT_CASE(zt_recomp_huge),
	KUNIT_CASE(zt_recomp_idle),
	KUNIT_CASE(zt_recomp_threshold),
	KUNIT_CASE(zt_recomp_largest_first),
	KUNIT_CASE(zt_recomp_priorities),
	KUNIT_CASE(zt_recomp_writeback),
	HZ_KUNIT_CASE_SLOW(zt_recomp_race),
	{}
};

static struct kunit_suite zt_recomp_suite = {
	.name = "hzram_recomp",
	.exit = zt_rc_exit,
	.test_cases = zt_recomp_cases,
};

kunit_test_suites(&zt_recomp_suite);
