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

/* ---- compressors (src/zcomp.c): zstd dictionaries --------------------- */
/*
 * The kernel's zstd exports its dictionary API (CDict/DDict, by
 * reference) from 6.12 on; 6.1's wrapper has none, so there a zstd
 * dictionary is refused (HZ_ZSTD_DICT is 0) and the stubs never run.
 * Probed by Kbuild (HZ_HAVE_ZSTD_DICT).
 */
#include <linux/zstd.h>
#include <linux/mm.h>

#ifdef HZ_HAVE_ZSTD_DICT
#define HZ_ZSTD_DICT	1

struct hz_zstd_dict {
	zstd_cdict *c;
	zstd_ddict *d;
	zstd_compression_parameters cparams;	/* the CDict's */
};

/* Only dictionary creation allocates: the contexts are static. */
static inline void *hz_zstd_alloc(void *opaque, size_t size)
{
	return kvmalloc(size, GFP_KERNEL);
}

static inline void hz_zstd_free(void *opaque, void *address)
{
	kvfree(address);
}

static inline void hz_zstd_dict_free(struct hz_zstd_dict *zd)
{
	if (zd->c)
		zstd_free_cdict(zd->c);
	if (zd->d)
		zstd_free_ddict(zd->d);
	zd->c = NULL;
	zd->d = NULL;
}

static inline int hz_zstd_dict_create(struct hz_zstd_dict *zd, int level,
				      size_t src_size, const void *dict,
				      size_t dict_sz)
{
	zstd_custom_mem mem = {
		.customAlloc = hz_zstd_alloc,
		.customFree = hz_zstd_free,
	};

	zd->cparams = zstd_get_cparams(level, src_size, dict_sz);
	zd->c = zstd_create_cdict_byreference(dict, dict_sz, zd->cparams,
					      mem);
	zd->d = zstd_create_ddict_byreference(dict, dict_sz, mem);
	if (!zd->c || !zd->d) {
		hz_zstd_dict_free(zd);
		return -EINVAL;
	}
	return 0;
}

static inline size_t hz_zstd_dict_cwork(const struct hz_zstd_dict *zd)
{
	return zstd_cctx_workspace_bound(&zd->cparams);
}

static inline size_t hz_zstd_compress_dict(zstd_cctx *cctx, void *dst,
					   size_t cap, const void *src,
					   size_t len,
					   const struct hz_zstd_dict *zd)
{
	return zstd_compress_using_cdict(cctx, dst, cap, src, len, zd->c);
}

static inline size_t hz_zstd_decompress_dict(zstd_dctx *dctx, void *dst,
					     size_t cap, const void *src,
					     size_t len,
					     const struct hz_zstd_dict *zd)
{
	return zstd_decompress_using_ddict(dctx, dst, cap, src, len, zd->d);
}
#else
#define HZ_ZSTD_DICT	0

struct hz_zstd_dict {
	int unused;
};

static inline void hz_zstd_dict_free(struct hz_zstd_dict *zd)
{
}

static inline int hz_zstd_dict_create(struct hz_zstd_dict *zd, int level,
				      size_t src_size, const void *dict,
				      size_t dict_sz)
{
	return -EOPNOTSUPP;
}

static inline size_t hz_zstd_dict_cwork(const struct hz_zstd_dict *zd)
{
	return 0;
}

/* (size_t)-1 is zstd's generic error code. */
static inline size_t hz_zstd_compress_dict(zstd_cctx *cctx, void *dst,
					   size_t cap, const void *src,
					   size_t len,
					   const struct hz_zstd_dict *zd)
{
	return (size_t)-1;
}

static inline size_t hz_zstd_decompress_dict(zstd_dctx *dctx, void *dst,
					     size_t cap, const void *src,
					     size_t len,
					     const struct hz_zstd_dict *zd)
{
	return (size_t)-1;
}
#endif

/*
 * 6.1 declares LZ4_resetStreamHC() but does not export it; all it does
 * is forget the stream's history and set its level.
 */
#include <linux/lz4.h>
#ifdef HZ_KERNEL_6_1
static inline void hz_lz4hc_reset(LZ4_streamHC_t *s, int level)
{
	s->internal_donotuse.base = NULL;
	s->internal_donotuse.compressionLevel = level;
}
#else
static inline void hz_lz4hc_reset(LZ4_streamHC_t *s, int level)
{
	LZ4_resetStreamHC(s, level);
}
#endif
/* ---- end compressors --------------------------------------------------- */

#endif /* _HZ_COMPAT_H */
