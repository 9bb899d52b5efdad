/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels hzram supports (6.1 and 6.12)
 * lives here and nowhere else.
 */
#ifndef _HZ_COMPAT_H
#define _HZ_COMPAT_H

#include <linux/module.h>

/*
 * Cases that run for seconds by design (stress, every class in every
 * mode) carry the "slow" speed attribute from 6.6 on, so the runner does
 * not suggest marking them and a speed filter can skip them. 6.1's KUnit
 * has no attributes. Only meaningful after <kunit/test.h>.
 */
#ifdef KUNIT_CASE_PARAM_ATTR
#define HZ_KUNIT_CASE_SLOW(fn)	KUNIT_CASE_SLOW(fn)
#define HZ_KUNIT_CASE_PARAM_SLOW(fn, gen) \
	KUNIT_CASE_PARAM_ATTR(fn, gen, { .speed = KUNIT_SPEED_SLOW })
#else
#define HZ_KUNIT_CASE_SLOW(fn)	KUNIT_CASE(fn)
#define HZ_KUNIT_CASE_PARAM_SLOW(fn, gen) KUNIT_CASE_PARAM(fn, gen)
#endif

/* ---------------------------------------------------------------------
 * Driver block (src/zram_*.c). Maintained with the block driver.
 *
 * Two API generations are supported: the 6.1.y one and the one from 6.11
 * on (queue_limits features, gendisk-based open, const class attributes,
 * no ->rw_page). Kernels in between mix the two and are refused rather
 * than half-supported. Which one the target has is probed by Kbuild
 * (HZ_HAVE_BLK_FEATURES, HZ_KERNEL_6_1).
 * ---------------------------------------------------------------------
 */
#include <linux/blkdev.h>
#include <linux/device.h>
#include <linux/pagemap.h>

#if defined(HZ_HAVE_BLK_FEATURES)
#define HZ_BLK_LIMITS_API	1
#elif defined(HZ_KERNEL_6_1)
#define HZ_BLK_LIMITS_API	0
#else
#error "hzram supports Linux 6.1.y and 6.11 or later"
#endif

/* What the driver wants from its request queue, in a version-neutral form. */
struct hz_disk_limits {
	unsigned int logical_block_size;
	unsigned int physical_block_size;
	unsigned int max_discard_sectors;
	unsigned int max_write_zeroes_sectors;
};

#if HZ_BLK_LIMITS_API

/*
 * Allocate a bio-based gendisk that is non-rotational, adds no entropy,
 * wants stable pages and completes I/O synchronously (swap then skips the
 * swap cache round trip). Returns an ERR_PTR on failure.
 */
static inline struct gendisk *hz_alloc_disk(const struct hz_disk_limits *hl,
					    int node)
{
	struct queue_limits lim = {
		.logical_block_size	= hl->logical_block_size,
		.physical_block_size	= hl->physical_block_size,
		.io_min			= hl->physical_block_size,
		.io_opt			= hl->physical_block_size,
		.max_hw_discard_sectors	= hl->max_discard_sectors,
		.max_write_zeroes_sectors = hl->max_write_zeroes_sectors,
		.features		= BLK_FEAT_STABLE_WRITES |
					  BLK_FEAT_SYNCHRONOUS,
	};

	return blk_alloc_disk(&lim, node);
}

/* Class attribute callbacks take const pointers; classes have no owner. */
#define HZ_CLASS_CONST		const
#define HZ_CLASS_OWNER

/*
 * ->open(): the first argument's type (HZ_BDEV_OPEN_ARG *) and the mode's
 * type differ; hz_open_disk() gets the gendisk from the first argument.
 */
#define HZ_BDEV_OPEN_ARG	struct gendisk
#define HZ_BDEV_OPEN_MODE	blk_mode_t

static inline struct gendisk *hz_open_disk(struct gendisk *disk)
{
	return disk;
}

/*
 * No ->rw_page: BLK_FEAT_SYNCHRONOUS gives swap its synchronous path. The
 * driver's rw_page function is then unused; its accounting and page
 * completion shims do nothing.
 */
#define HZ_BDOPS_RW_PAGE(fn)

static inline unsigned long hz_rw_page_begin(struct block_device *bdev,
					     enum req_op op)
{
	return 0;
}

static inline void hz_rw_page_end(struct block_device *bdev,
				  struct page *page, enum req_op op,
				  unsigned long start, int ret)
{
}

#else /* 6.1 */

static inline struct gendisk *hz_alloc_disk(const struct hz_disk_limits *hl,
					    int node)
{
	struct gendisk *disk = blk_alloc_disk(node);
	struct request_queue *q;

	if (!disk)
		return ERR_PTR(-ENOMEM);
	q = disk->queue;
	blk_queue_logical_block_size(q, hl->logical_block_size);
	blk_queue_physical_block_size(q, hl->physical_block_size);
	blk_queue_io_min(q, hl->physical_block_size);
	blk_queue_io_opt(q, hl->physical_block_size);
	q->limits.discard_granularity = hl->physical_block_size;
	blk_queue_max_discard_sectors(q, hl->max_discard_sectors);
	blk_queue_max_write_zeroes_sectors(q, hl->max_write_zeroes_sectors);
	blk_queue_flag_set(QUEUE_FLAG_NONROT, q);
	blk_queue_flag_clear(QUEUE_FLAG_ADD_RANDOM, q);
	blk_queue_flag_set(QUEUE_FLAG_STABLE_WRITES, q);
	return disk;
}

#define HZ_CLASS_CONST
#define HZ_CLASS_OWNER		.owner = THIS_MODULE,

#define HZ_BDEV_OPEN_ARG	struct block_device
#define HZ_BDEV_OPEN_MODE	fmode_t

static inline struct gendisk *hz_open_disk(struct block_device *bdev)
{
	return bdev->bd_disk;
}

/*
 * 6.1 only marks a swap device SWP_SYNCHRONOUS_IO when it has ->rw_page.
 * The driver accounts the call itself and completes the page on success;
 * on an error the caller retries with a bio, so the page stays open.
 */
#define HZ_BDOPS_RW_PAGE(fn)	.rw_page = fn,

/* Disk statistics around one ->rw_page call. */
static inline unsigned long hz_rw_page_begin(struct block_device *bdev,
					     enum req_op op)
{
	return bdev_start_io_acct(bdev->bd_disk->part0,
				  PAGE_SIZE >> SECTOR_SHIFT, op, jiffies);
}

static inline void hz_rw_page_end(struct block_device *bdev,
				  struct page *page, enum req_op op,
				  unsigned long start, int ret)
{
	bdev_end_io_acct(bdev->bd_disk->part0, op, start);
	if (!ret)
		page_endio(page, op_is_write(op), 0);
}

#endif /* HZ_BLK_LIMITS_API */

/* ------------------------- end of driver block ------------------------ */

/* ---- tests/bench/hzbench_zs.c: zsmalloc's private struct zspage -------- */
/*
 * The zspage descriptor carries a migration rwlock on 6.1 only with
 * CONFIG_COMPACTION, and always on later kernels.
 */
#if defined(HZ_KERNEL_6_1) && !IS_ENABLED(CONFIG_COMPACTION)
#define HZ_ZSPAGE_HAS_LOCK	0
#else
#define HZ_ZSPAGE_HAS_LOCK	1
#endif

/* ---- hzs allocator (src/hzs_pool.c): shrinker -------------------------- */
/*
 * 6.7 replaced the embedded struct shrinker and register_shrinker() with
 * shrinker_alloc()/shrinker_register()/shrinker_free(). The callbacks get
 * their owner back with hz_shrinker_private() on both. Kbuild probes for
 * shrinker_alloc() (HZ_HAVE_SHRINKER_ALLOC).
 */
#include <linux/shrinker.h>

typedef unsigned long (*hz_shrink_fn)(struct shrinker *s,
				      struct shrink_control *sc);

#ifdef HZ_HAVE_SHRINKER_ALLOC
struct hz_shrinker {
	struct shrinker *shrinker;
};

static inline int hz_shrinker_register(struct hz_shrinker *hs,
				       hz_shrink_fn count, hz_shrink_fn scan,
				       void *priv, const char *name)
{
	hs->shrinker = shrinker_alloc(0, "%s", name);
	if (!hs->shrinker)
		return -ENOMEM;
	hs->shrinker->count_objects = count;
	hs->shrinker->scan_objects = scan;
	hs->shrinker->private_data = priv;
	shrinker_register(hs->shrinker);
	return 0;
}

/* Waits for running callbacks; safe on a never-registered hz_shrinker. */
static inline void hz_shrinker_unregister(struct hz_shrinker *hs)
{
	shrinker_free(hs->shrinker);
	hs->shrinker = NULL;
}

static inline void *hz_shrinker_private(struct shrinker *s)
{
	return s->private_data;
}
#else
struct hz_shrinker {
	struct shrinker shrinker;
	void *private_data;
};

static inline int hz_shrinker_register(struct hz_shrinker *hs,
				       hz_shrink_fn count, hz_shrink_fn scan,
				       void *priv, const char *name)
{
	hs->private_data = priv;
	hs->shrinker.count_objects = count;
	hs->shrinker.scan_objects = scan;
	hs->shrinker.seeks = DEFAULT_SEEKS;
	return register_shrinker(&hs->shrinker, "%s", name);
}

static inline void hz_shrinker_unregister(struct hz_shrinker *hs)
{
	unregister_shrinker(&hs->shrinker);
}

static inline void *hz_shrinker_private(struct shrinker *s)
{
	return container_of(s, struct hz_shrinker, shrinker)->private_data;
}
#endif
/* ---- end hzs allocator ------------------------------------------------- */

#endif /* _HZ_COMPAT_H */
