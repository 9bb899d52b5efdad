// SPDX-License-Identifier: GPL-2.0
/*
 * hzram I/O path: the slot table, the life of a slot, and the bio and
 * swap entry points.
 *
 * Lock order: slot lock -> zcomp_strm.lock -> allocator locks.
 * A full-page write compresses and allocates holding only a stream,
 * drops it, and then takes the slot lock just to swap the new object in.
 * A read, a partial write and a partial write-zeroes take the slot lock
 * first and a stream under it. The I/O path never takes zram->init_lock
 * (see the comment at the top of zram_drv.h); the debugfs checks at the
 * end (zram_verify(), zram_corrupt_slot()) run under it, taken for
 * reading by their caller, and take slot locks inside it.
 */

#define pr_fmt(fmt) "zram: " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>
#include <linux/wait_bit.h>
#include <linux/xxhash.h>

#include "hz_compat.h"
#include "hzs_pool.h"
#include "zram_drv.h"

static bool warn_unwritten_read;
module_param(warn_unwritten_read, bool, 0644);
MODULE_PARM_DESC(warn_unwritten_read,
		 "Log (rate-limited) reads of blocks that were never written");

/*
 * First allocation attempt: no direct reclaim, so a swap-out path does
 * not recurse into reclaim while it holds a compression stream.
 */
#define ZRAM_GFP_FAST	(__GFP_KSWAPD_RECLAIM | __GFP_NOWARN)
/* Second attempt: may reclaim, but must not start I/O (we are the I/O). */
#define ZRAM_GFP_SLOW	(GFP_NOIO | __GFP_NOWARN)

/* ------------------------------ slot lock ---------------------------- */

/*
 * The slot lock is bit ZRAM_LOCK of the slot's flags word: it costs no
 * memory beyond the bit, sleeps instead of spinning (holders decompress,
 * and a partial write even allocates, under it), and is annotated for
 * lockdep through a per-slot map of one shared class.
 */
#ifdef CONFIG_DEBUG_LOCK_ALLOC
static struct lock_class_key zram_slot_lock_key;

static void zram_slot_lock_init(struct zram_slot *slot)
{
	lockdep_init_map(&slot->dep_map, "zram->slot_lock",
			 &zram_slot_lock_key, 0);
}

static void zram_slot_acquire(struct zram_slot *slot, int trylock,
			      unsigned long ip)
{
	mutex_acquire(&slot->dep_map, 0, trylock, ip);
}

static void zram_slot_acquired(struct zram_slot *slot, unsigned long ip)
{
	lock_acquired(&slot->dep_map, ip);
}

static void zram_slot_release(struct zram_slot *slot, unsigned long ip)
{
	mutex_release(&slot->dep_map, ip);
}
#else
static inline void zram_slot_lock_init(struct zram_slot *slot) {}
static inline void zram_slot_acquire(struct zram_slot *slot, int trylock,
				     unsigned long ip) {}
static inline void zram_slot_acquired(struct zram_slot *slot,
				      unsigned long ip) {}
static inline void zram_slot_release(struct zram_slot *slot,
				     unsigned long ip) {}
#endif

void zram_slot_lock(struct zram *zram, u32 index)
{
	struct zram_slot *slot = &zram->table[index];

	might_sleep();
	/* Annotate first, so lockdep reports a deadlock before it happens. */
	zram_slot_acquire(slot, 0, _RET_IP_);
	wait_on_bit_lock(&slot->flags, ZRAM_LOCK, TASK_UNINTERRUPTIBLE);
	zram_slot_acquired(slot, _RET_IP_);
}

HZ_EXPORT_IF_KUNIT(zram_slot_lock);

/* Never sleeps: used from the atomic swap free notification. */
bool zram_slot_trylock(struct zram *zram, u32 index)
{
	struct zram_slot *slot = &zram->table[index];

	if (test_and_set_bit_lock(ZRAM_LOCK, &slot->flags))
		return false;
	zram_slot_acquire(slot, 1, _RET_IP_);
	zram_slot_acquired(slot, _RET_IP_);
	return true;
}

HZ_EXPORT_IF_KUNIT(zram_slot_trylock);

void zram_slot_unlock(struct zram *zram, u32 index)
{
	struct zram_slot *slot = &zram->table[index];

	zram_slot_release(slot, _RET_IP_);
	clear_and_wake_up_bit(ZRAM_LOCK, &slot->flags);
}

HZ_EXPORT_IF_KUNIT(zram_slot_unlock);

/* ------------------------------ helpers ------------------------------ */

/* Slot access times are kept in seconds to fit in 32 bits. */
u32 zram_now(void)
{
	return (u32)ktime_get_boottime_seconds();
}

HZ_EXPORT_IF_KUNIT(zram_now);

void zram_update_used_max(struct zram *zram, unsigned long pages)
{
	long cur = atomic_long_read(&zram->stats.max_used_pages);

	do {
		if (cur >= (long)pages)
			return;
	} while (!atomic_long_try_cmpxchg(&zram->stats.max_used_pages,
					  &cur, pages));
}

/*
 * True if the page is one machine word repeated; *@pattern gets the word.
 * The last word is checked first: pages that differ usually differ at
 * the end too, and this rejects them without scanning.
 */
HZ_VISIBLE_IF_KUNIT bool zram_page_same_filled(const void *mem,
					       unsigned long *pattern)
{
	const unsigned long *word = mem;
	unsigned int last = PAGE_SIZE / sizeof(*word) - 1;
	unsigned long val = word[0];
	unsigned int i;

	if (word[last] != val)
		return false;
	for (i = 1; i < last; i++)
		if (word[i] != val)
			return false;
	*pattern = val;
	return true;
}

HZ_EXPORT_IF_KUNIT(zram_page_same_filled);

static void zram_slot_touch(struct zram_slot *slot)
{
	zram_slot_clear(slot, ZRAM_IDLE);
	zram_slot_set_actime(slot, zram_now());
}

/*
 * Number of slots the I/O path may use: 0 until the table, pool and
 * compressor are all in place. nr_pages (not the u64 disksize) carries
 * the publication because it is a native word on every architecture.
 */
static unsigned long zram_live_pages(struct zram *zram)
{
	/* Pairs with the release in zram_meta_alloc(). */
	return smp_load_acquire(&zram->nr_pages);
}

static bool zram_range_ok(struct zram *zram, sector_t sector, u64 bytes)
{
	u64 size = (u64)zram_live_pages(zram) << PAGE_SHIFT;
	u64 start = (u64)sector << SECTOR_SHIFT;

	return size && start < size && bytes <= size - start;
}

/* ---------------------------- slot table ----------------------------- */

int zram_meta_alloc(struct zram *zram, u64 disksize)
{
	unsigned long nr_pages = disksize >> PAGE_SHIFT;
	struct zram_slot *table;
	struct hzs_pool *pool;
	unsigned long i;

	if (!nr_pages || disksize >> PAGE_SHIFT > U32_MAX)
		return -EINVAL;
	table = __vmalloc(array_size(nr_pages, sizeof(*table)),
			  GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN);
	if (!table)
		return -ENOMEM;
	if (zram->integrity) {
		zram->csums = vcalloc(nr_pages, sizeof(*zram->csums));
		if (!zram->csums)
			goto err_table;
	}
	pool = hzs_pool_create(zram->disk ? zram->disk->disk_name : "zram");
	if (!pool)
		goto err_csums;
	for (i = 0; i < nr_pages; i++) {
		zram_slot_lock_init(&table[i]);
		if (!(i % 4096))
			cond_resched();
	}
	zram->table = table;
	zram->pool = pool;
	zram->huge_threshold = hzs_huge_threshold(pool);
	/*
	 * Publish last: pairs with zram_live_pages(). The caller has set
	 * zram->comp already, so the I/O path finds everything it needs.
	 */
	smp_store_release(&zram->nr_pages, nr_pages);
	return 0;

err_csums:
	vfree(zram->csums);
	zram->csums = NULL;
err_table:
	vfree(table);
	return -ENOMEM;
}

HZ_EXPORT_IF_KUNIT(zram_meta_alloc);

/*
 * Release whatever the slot holds and return it to the empty state,
 * keeping only the lock bit. Slot lock held (or no other user possible).
 */
static void zram_slot_free(struct zram *zram, u32 index)
{
	struct zram_slot *slot = &zram->table[index];

	if (zram_slot_test(slot, ZRAM_SAME)) {
		atomic64_dec(&zram->stats.same_pages);
		atomic64_dec(&zram->stats.pages_stored);
	} else if (slot->handle) {
		hzs_free(zram->pool, slot->handle);
		atomic64_sub(zram_slot_size(slot),
			     &zram->stats.compr_data_size);
		if (zram_slot_test(slot, ZRAM_HUGE))
			atomic64_dec(&zram->stats.huge_pages);
		atomic64_dec(&zram->stats.pages_stored);
	}
	slot->handle = 0;
	slot->flags &= BIT(ZRAM_LOCK);
#if BITS_PER_LONG == 32
	slot->ac_time = 0;
#endif
}

/* Caller guarantees exclusive access (init_lock held for writing). */
void zram_meta_free(struct zram *zram)
{
	unsigned long i;

	unsigned long nr_pages = zram->nr_pages;

	if (!zram->table)
		return;
	/* Unpublish first; no I/O can be running, this is for clarity. */
	WRITE_ONCE(zram->nr_pages, 0);
	for (i = 0; i < nr_pages; i++) {
		zram_slot_free(zram, i);
		if (!(i % 4096))
			cond_resched();
	}
	hzs_pool_destroy(zram->pool);
	vfree(zram->table);
	vfree(zram->csums);
	zram->pool = NULL;
	zram->table = NULL;
	zram->csums = NULL;
}

HZ_EXPORT_IF_KUNIT(zram_meta_free);

/* @cutoff: slots last accessed at or before it become idle; S64_MAX = all */
void zram_mark_idle(struct zram *zram, s64 cutoff)
{
	unsigned long i;

	for (i = 0; i < zram->nr_pages; i++) {
		struct zram_slot *slot = &zram->table[i];

		zram_slot_lock(zram, i);
		/*
		 * Fill patterns cost nothing to keep, and written-back slots
		 * already left memory: idleness only matters for the rest.
		 */
		if (zram_slot_allocated(slot) &&
		    !zram_slot_test(slot, ZRAM_SAME) &&
		    !zram_slot_test(slot, ZRAM_WB) &&
		    !zram_slot_test(slot, ZRAM_UNDER_WB)) {
			if ((s64)zram_slot_actime(slot) <= cutoff)
				zram_slot_set(slot, ZRAM_IDLE);
			else
				zram_slot_clear(slot, ZRAM_IDLE);
		}
		zram_slot_unlock(zram, i);
		cond_resched();
	}
}

HZ_EXPORT_IF_KUNIT(zram_mark_idle);

/* ------------------------------ integrity ---------------------------- */

/*
 * The checksum covers the bytes stored in the pool, not the page they
 * decompress to: it is cheaper (objects are smaller than pages), and it
 * catches damage before the decompressor has to cope with it. Seeding
 * with the slot index means an object reached through the wrong slot
 * (a stale or crossed handle) fails the check as well.
 */
static u32 zram_csum(const void *buf, size_t len, u32 index)
{
	return xxh32(buf, len, index);
}

/* 0 if @buf is what was stored in slot @index, -EIO otherwise. Slot lock held. */
static int zram_csum_check(struct zram *zram, u32 index, const void *buf,
			   size_t len)
{
	if (!zram->csums ||
	    likely(zram_csum(buf, len, index) == zram->csums[index]))
		return 0;
	atomic64_inc(&zram->stats.integrity_errors);
	pr_err_ratelimited("zram%d: checksum mismatch at sector %llu (block %u, handle %#lx, %zu bytes)\n",
			   zram->id,
			   (unsigned long long)index << SECTORS_PER_PAGE_SHIFT,
			   index, zram->table[index].handle, len);
	return -EIO;
}

/* ------------------------------- read -------------------------------- */

static void zram_fill_page(struct page *page, unsigned long pattern)
{
	void *mem = kmap_local_page(page);

	memset_l(mem, pattern, PAGE_SIZE / sizeof(unsigned long));
	kunmap_local(mem);
}

/*
 * Produce the slot's page contents in @page. Slot lock held, which is
 * what makes the handle, size and flags read here consistent: a
 * concurrent free or overwrite waits for us. @quiet suppresses the
 * never-written warning for internal read-modify-write cycles.
 */
static int zram_read_locked(struct zram *zram, u32 index, struct page *page,
			    bool quiet)
{
	struct zram_slot *slot = &zram->table[index];
	unsigned long handle = slot->handle;
	size_t size = zram_slot_size(slot);
	struct zcomp_strm *strm;
	const void *src;
	void *dst;
	int ret;

	if (zram_slot_test(slot, ZRAM_SAME)) {
		zram_fill_page(page, handle);
		return 0;
	}
	if (!handle) {
		if (!quiet && READ_ONCE(warn_unwritten_read))
			pr_warn_ratelimited("zram%d: read of never-written block %u\n",
					    zram->id, index);
		zram_fill_page(page, 0);
		return 0;
	}
	if (!size || size > PAGE_SIZE) {
		pr_err_ratelimited("zram%d: block %u has bad size %zu\n",
				   zram->id, index, size);
		return -EIO;
	}
	if (zram_slot_test(slot, ZRAM_HUGE)) {
		if (size != PAGE_SIZE)
			return -EIO;
		dst = kmap_local_page(page);
		hzs_read(zram->pool, handle, dst, PAGE_SIZE);
		ret = zram_csum_check(zram, index, dst, PAGE_SIZE);
		kunmap_local(dst);
		return ret;
	}

	/* Take the (sleeping) stream before any mapping is made. */
	strm = zcomp_stream_get(zram->comp);
	dst = kmap_local_page(page);
	src = hzs_read_begin(zram->pool, handle, strm->buffer);
	ret = zram_csum_check(zram, index, src, size);
	if (!ret)
		ret = zcomp_decompress(zram->comp, strm, src, size, dst);
	hzs_read_end(zram->pool, handle, src);
	kunmap_local(dst);
	zcomp_stream_put(strm);
	if (ret && ret != -EIO)
		pr_err_ratelimited("zram%d: block %u failed to decompress (%d)\n",
				   zram->id, index, ret);
	return ret;
}

HZ_VISIBLE_IF_KUNIT int zram_read_page(struct zram *zram, struct page *page,
				       u32 index)
{
	struct zram_slot *slot = &zram->table[index];
	int ret;

	zram_slot_lock(zram, index);
	ret = zram_read_locked(zram, index, page, false);
	if (!ret && zram_slot_allocated(slot))
		zram_slot_touch(slot);
	zram_slot_unlock(zram, index);
	return ret;
}

HZ_EXPORT_IF_KUNIT(zram_read_page);

static int zram_bvec_read(struct zram *zram, struct bio_vec *bv, u32 index,
			  u32 offset)
{
	struct page *page;
	int ret;

	if (!offset && bv->bv_len == PAGE_SIZE)
		return zram_read_page(zram, bv->bv_page, index);

	/* Part of a page: decompress the whole of it aside, copy the part. */
	page = alloc_page(GFP_NOIO | __GFP_NOWARN);
	if (!page)
		return -ENOMEM;
	ret = zram_read_page(zram, page, index);
	if (!ret)
		memcpy_to_bvec(bv, page_address(page) + offset);
	__free_page(page);
	return ret;
}

/* ------------------------------- write ------------------------------- */

/* A new slot content, built before the slot lock is taken. */
struct zram_obj {
	unsigned long handle;	/* pool handle, or fill pattern */
	size_t size;		/* bytes stored, 0 for a pattern */
	unsigned long flags;	/* BIT(ZRAM_SAME), BIT(ZRAM_HUGE) or 0 */
	u32 csum;		/* of the stored bytes, if zram->csums */
};

/*
 * Compress @page and store the result in a new pool object. Compression
 * happens exactly once: the size we allocate and the bytes we copy both
 * come from that single result, even if the allocation has to wait (the
 * stream, and with it the compressed bytes, stays ours meanwhile). A
 * page that keeps changing under us therefore cannot overrun its object.
 */
static int zram_obj_create(struct zram *zram, struct page *page, u32 index,
			   struct zram_obj *obj)
{
	struct zcomp_strm *strm;
	unsigned long handle, pages, limit;
	unsigned int len = 0;
	bool huge;
	void *mem;
	int ret;

	mem = kmap_local_page(page);
	huge = zram_page_same_filled(mem, &obj->handle);
	kunmap_local(mem);
	if (huge) {
		obj->size = 0;
		obj->flags = BIT(ZRAM_SAME);
		return 0;
	}

	strm = zcomp_stream_get(zram->comp);
	mem = kmap_local_page(page);
	ret = zcomp_compress(zram->comp, strm, mem, &len);
	kunmap_local(mem);
	/* A page the backend cannot handle is stored as it is. */
	huge = ret || len >= PAGE_SIZE || len > zram->huge_threshold;
	if (huge) {
		/*
		 * Stored raw, but from a private copy too: the checksum and
		 * the stored bytes must describe the same snapshot of a page
		 * that may be changing under us.
		 */
		len = PAGE_SIZE;
		mem = kmap_local_page(page);
		memcpy(strm->buffer, mem, PAGE_SIZE);
		kunmap_local(mem);
	}
	if (zram->csums)
		obj->csum = zram_csum(strm->buffer, len, index);

	handle = hzs_alloc(zram->pool, len, ZRAM_GFP_FAST);
	if (!handle) {
		atomic64_inc(&zram->stats.writestall);
		handle = hzs_alloc(zram->pool, len, ZRAM_GFP_SLOW);
		if (!handle) {
			ret = -ENOMEM;
			goto out;
		}
	}

	pages = hzs_pool_pages(zram->pool);
	zram_update_used_max(zram, pages);
	limit = READ_ONCE(zram->limit_pages);
	if (limit && pages > limit) {
		hzs_free(zram->pool, handle);
		ret = -ENOMEM;
		goto out;
	}

	hzs_write(zram->pool, handle, strm->buffer, len);
	obj->handle = handle;
	obj->size = len;
	obj->flags = huge ? BIT(ZRAM_HUGE) : 0;
	ret = 0;
out:
	zcomp_stream_put(strm);
	return ret;
}

/* Replace the slot's content with @obj. Slot lock held. */
static void zram_slot_install(struct zram *zram, u32 index,
			      const struct zram_obj *obj)
{
	struct zram_slot *slot = &zram->table[index];

	zram_slot_free(zram, index);
	slot->handle = obj->handle;
	zram_slot_set_size(slot, obj->size);
	slot->flags |= obj->flags;
	zram_slot_touch(slot);
	if (zram->csums)
		zram->csums[index] = obj->csum;

	if (obj->flags & BIT(ZRAM_SAME)) {
		atomic64_inc(&zram->stats.same_pages);
	} else {
		atomic64_add(obj->size, &zram->stats.compr_data_size);
		if (obj->flags & BIT(ZRAM_HUGE)) {
			atomic64_inc(&zram->stats.huge_pages);
			atomic64_inc(&zram->stats.huge_pages_since);
		}
	}
	atomic64_inc(&zram->stats.pages_stored);
}

HZ_VISIBLE_IF_KUNIT int zram_write_page(struct zram *zram, struct page *page,
					u32 index)
{
	struct zram_obj obj;
	int ret;

	ret = zram_obj_create(zram, page, index, &obj);
	if (ret)
		return ret;
	zram_slot_lock(zram, index);
	zram_slot_install(zram, index, &obj);
	zram_slot_unlock(zram, index);
	return 0;
}

HZ_EXPORT_IF_KUNIT(zram_write_page);

/*
 * Update part of a page: @bv's data, or zeroes if @bv is NULL. The slot
 * lock is held across the whole read-modify-write, so two writers of
 * different parts of one page (4K blocks on a 16K-page kernel) cannot
 * lose each other's update.
 */
static int zram_write_partial(struct zram *zram, u32 index, u32 offset,
			      u32 len, struct bio_vec *bv)
{
	struct zram_obj obj;
	struct page *page;
	int ret;

	page = alloc_page(GFP_NOIO | __GFP_NOWARN);
	if (!page)
		return -ENOMEM;

	zram_slot_lock(zram, index);
	ret = zram_read_locked(zram, index, page, true);
	if (ret)
		goto out;
	if (bv)
		memcpy_from_bvec(page_address(page) + offset, bv);
	else
		memset(page_address(page) + offset, 0, len);
	ret = zram_obj_create(zram, page, index, &obj);
	if (!ret)
		zram_slot_install(zram, index, &obj);
out:
	zram_slot_unlock(zram, index);
	__free_page(page);
	return ret;
}

static int zram_bvec_write(struct zram *zram, struct bio_vec *bv, u32 index,
			   u32 offset)
{
	if (!offset && bv->bv_len == PAGE_SIZE)
		return zram_write_page(zram, bv->bv_page, index);
	return zram_write_partial(zram, index, offset, bv->bv_len, bv);
}

/* ----------------------------- discard ------------------------------- */

HZ_VISIBLE_IF_KUNIT void zram_discard_page(struct zram *zram, u32 index)
{
	zram_slot_lock(zram, index);
	zram_slot_free(zram, index);
	zram_slot_unlock(zram, index);
}

HZ_EXPORT_IF_KUNIT(zram_discard_page);

/*
 * Whole pages are freed for both operations: an empty slot reads back
 * as zeroes, so it is the cheapest way to store them (and it is what
 * upstream does, which keeps mm_stat comparable). The ragged ends of a
 * sub-page range differ: discard is a hint and skips them, since
 * recompressing a partly discarded page would cost memory, not save it;
 * write-zeroes must read back as zeroes, so its ends are zeroed in place.
 */
static void zram_bio_discard(struct zram *zram, struct bio *bio)
{
	bool zeroes = bio_op(bio) == REQ_OP_WRITE_ZEROES;
	u64 pos = (u64)bio->bi_iter.bi_sector << SECTOR_SHIFT;
	u64 end = pos + bio->bi_iter.bi_size;
	int ret;

	if (!zram_range_ok(zram, bio->bi_iter.bi_sector, bio->bi_iter.bi_size)) {
		atomic64_inc(&zram->stats.failed_writes);
		bio_io_error(bio);
		return;
	}

	while (pos < end) {
		u32 index = pos >> PAGE_SHIFT;
		u32 offset = offset_in_page(pos);
		u32 len = min_t(u64, PAGE_SIZE - offset, end - pos);

		if (len == PAGE_SIZE) {
			zram_discard_page(zram, index);
			atomic64_inc(&zram->stats.notify_free);
		} else if (zeroes) {
			ret = zram_write_partial(zram, index, offset, len,
						 NULL);
			if (ret) {
				atomic64_inc(&zram->stats.failed_writes);
				bio->bi_status = errno_to_blk_status(ret);
				break;
			}
		}
		pos += len;
		cond_resched();
	}
	bio_endio(bio);
}

/* ------------------------------ bio path ----------------------------- */

static void zram_bio_rw(struct zram *zram, struct bio *bio)
{
	bool is_write = op_is_write(bio_op(bio));
	atomic64_t *failed = is_write ? &zram->stats.failed_writes :
					&zram->stats.failed_reads;
	struct bvec_iter iter = bio->bi_iter;
	unsigned long start;
	int ret;

	if (!zram_range_ok(zram, iter.bi_sector, iter.bi_size)) {
		atomic64_inc(failed);
		bio_io_error(bio);
		return;
	}

	start = bio_start_io_acct(bio);
	while (iter.bi_size) {
		u32 index = iter.bi_sector >> SECTORS_PER_PAGE_SHIFT;
		u32 offset = (iter.bi_sector & (SECTORS_PER_PAGE - 1)) <<
			     SECTOR_SHIFT;
		struct bio_vec bv = bio_iter_iovec(bio, iter);

		/* One zram page at a time; a segment may straddle two. */
		bv.bv_len = min_t(u32, bv.bv_len, PAGE_SIZE - offset);
		if (is_write) {
			ret = zram_bvec_write(zram, &bv, index, offset);
		} else {
			ret = zram_bvec_read(zram, &bv, index, offset);
			if (!ret)
				flush_dcache_page(bv.bv_page);
		}
		if (ret) {
			atomic64_inc(failed);
			bio->bi_status = errno_to_blk_status(ret);
			break;
		}
		bio_advance_iter_single(bio, &iter, bv.bv_len);
	}
	bio_end_io_acct(bio, start);
	bio_endio(bio);
}

void zram_submit_bio(struct bio *bio)
{
	struct zram *zram = bio->bi_bdev->bd_disk->private_data;

	switch (bio_op(bio)) {
	case REQ_OP_READ:
	case REQ_OP_WRITE:
		zram_bio_rw(zram, bio);
		break;
	case REQ_OP_DISCARD:
	case REQ_OP_WRITE_ZEROES:
		zram_bio_discard(zram, bio);
		break;
	case REQ_OP_FLUSH:
		/* Nothing is cached: every write is in the pool on completion. */
		bio_endio(bio);
		break;
	default:
		bio->bi_status = BLK_STS_NOTSUPP;
		bio_endio(bio);
		break;
	}
}

/*
 * Whole-page synchronous I/O for kernels whose swap needs ->rw_page (see
 * hz_compat.h). Failures are not counted here: the caller retries with a
 * bio, which counts them if they persist.
 */
int zram_page_rw(struct block_device *bdev, sector_t sector,
		 struct page *page, bool is_write)
{
	struct zram *zram = bdev->bd_disk->private_data;
	u32 index = sector >> SECTORS_PER_PAGE_SHIFT;
	int ret;

	if (PageTransHuge(page))
		return -EOPNOTSUPP;
	if ((sector & (SECTORS_PER_PAGE - 1)) ||
	    !zram_range_ok(zram, sector, PAGE_SIZE))
		return -EINVAL;

	if (is_write)
		return zram_write_page(zram, page, index);
	ret = zram_read_page(zram, page, index);
	if (!ret)
		flush_dcache_page(page);
	return ret;
}

/* ------------------------ swap free notification --------------------- */

/*
 * Called with the swap device's lock held, so it must not sleep. If the
 * slot is busy (being read or written) we leave it: its content is
 * stale but harmless and goes away at the next write, discard or reset.
 */
HZ_VISIBLE_IF_KUNIT bool zram_free_notify(struct zram *zram,
					  unsigned long index)
{
	atomic64_inc(&zram->stats.notify_free);
	if (index >= zram_live_pages(zram))
		return false;
	if (!zram_slot_trylock(zram, index)) {
		atomic64_inc(&zram->stats.miss_free);
		return false;
	}
	zram_slot_free(zram, index);
	zram_slot_unlock(zram, index);
	return true;
}

HZ_EXPORT_IF_KUNIT(zram_free_notify);

void zram_swap_slot_free_notify(struct block_device *bdev,
				unsigned long index)
{
	zram_free_notify(bdev->bd_disk->private_data, index);
}

/* ---------------------------- debug checks --------------------------- */

/* Problems beyond this many are counted but not described one by one. */
#define ZRAM_VERIFY_REPORTS	16

struct zram_verify_state {
	struct zram *zram;
	void *buf;		/* PAGE_SIZE, for re-reading objects */
	unsigned long problems;
	u64 stored, same, huge, objs, bytes, summed;
};

static __printf(2, 3) void zram_verify_bad(struct zram_verify_state *vs,
					   const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	if (vs->problems++ >= ZRAM_VERIFY_REPORTS)
		return;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_err("zram%d: verify: %pV\n", vs->zram->id, &vaf);
	va_end(args);
}

/* One slot; its lock held. */
static void zram_verify_slot(struct zram_verify_state *vs, u32 index)
{
	struct zram *zram = vs->zram;
	struct zram_slot *slot = &zram->table[index];
	size_t size = zram_slot_size(slot);

	if (zram_slot_test(slot, ZRAM_SAME)) {
		vs->stored++;
		vs->same++;
		if (size || zram_slot_test(slot, ZRAM_HUGE))
			zram_verify_bad(vs, "block %u: pattern, size %zu, flags %#lx",
					index, size, slot->flags);
		return;
	}
	if (!slot->handle) {
		if (slot->flags & (ZRAM_SIZE_MASK | ZRAM_CONTENT_FLAGS))
			zram_verify_bad(vs, "block %u: empty, flags %#lx",
					index, slot->flags);
		return;
	}
	vs->stored++;
	vs->objs++;
	vs->bytes += size;
	if (zram_slot_test(slot, ZRAM_HUGE)) {
		vs->huge++;
		if (size != PAGE_SIZE)
			zram_verify_bad(vs, "block %u: raw object of %zu bytes",
					index, size);
	}
	if (!size || size > PAGE_SIZE) {
		zram_verify_bad(vs, "block %u: bad size %zu", index, size);
		return;
	}
	if (hzs_obj_size(zram->pool, slot->handle) != size) {
		zram_verify_bad(vs, "block %u: %#lx is no live %zu-byte object",
				index, slot->handle, size);
		return;
	}
	if (!zram->csums)
		return;
	hzs_read(zram->pool, slot->handle, vs->buf, size);
	vs->summed++;
	if (zram_csum(vs->buf, size, index) != zram->csums[index])
		zram_verify_bad(vs, "block %u: checksum mismatch (handle %#lx)",
				index, slot->handle);
}

/* A counter against what the walk found. */
static void zram_verify_stat(struct zram_verify_state *vs, const char *name,
			     atomic64_t *stat, u64 found)
{
	s64 val = atomic64_read(stat);

	if (val != found)
		zram_verify_bad(vs, "%s is %lld, the slots say %llu", name, val,
				found);
}

/*
 * Cross-check the slot table, the statistics and the allocator: every
 * slot's flags against its size, every stored handle against the pool
 * (a slot pointing at a freed object fails the pool's magic checks), the
 * number and bytes of live objects against what the slots claim (an
 * object no slot points at, or one two slots share, shows up there),
 * each checksum if the device keeps them, and the pool's own metadata.
 * The counters only agree on a quiet device, which is how tests use it.
 * Caller holds init_lock for reading and has checked the device is set
 * up. Returns the number of problems, or -ENOMEM.
 */
long zram_verify(struct zram *zram, struct seq_file *m)
{
	struct zram_verify_state vs = { .zram = zram };
	unsigned long pool_problems;
	struct hzs_pool_stats st;
	u32 index;

	vs.buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!vs.buf)
		return -ENOMEM;
	for (index = 0; index < zram->nr_pages; index++) {
		zram_slot_lock(zram, index);
		zram_verify_slot(&vs, index);
		zram_slot_unlock(zram, index);
		cond_resched();
	}
	kfree(vs.buf);

	zram_verify_stat(&vs, "pages_stored", &zram->stats.pages_stored,
			 vs.stored);
	zram_verify_stat(&vs, "same_pages", &zram->stats.same_pages, vs.same);
	zram_verify_stat(&vs, "huge_pages", &zram->stats.huge_pages, vs.huge);
	zram_verify_stat(&vs, "compr_data_size",
			 &zram->stats.compr_data_size, vs.bytes);
	hzs_pool_stats(zram->pool, &st);
	if (vs.objs != st.objs_used || vs.bytes != st.bytes_used)
		zram_verify_bad(&vs, "slots hold %llu objects of %llu bytes, the pool %llu of %llu",
				vs.objs, vs.bytes, st.objs_used, st.bytes_used);
	pool_problems = hzs_pool_verify(zram->pool);
	vs.problems += pool_problems;

	seq_printf(m, "%lu problems\n", vs.problems);
	seq_printf(m, "slots %llu same %llu objects %llu huge %llu bytes %llu checksummed %llu pool_problems %lu\n",
		   vs.stored, vs.same, vs.objs, vs.huge, vs.bytes, vs.summed,
		   pool_problems);
	return vs.problems;
}

HZ_EXPORT_IF_KUNIT(zram_verify);

/*
 * Flip one bit in the middle of slot @index's stored object, to prove
 * the integrity check end to end. Caller holds init_lock for reading
 * and has checked the device is set up and @index is in range.
 */
int zram_corrupt_slot(struct zram *zram, u32 index)
{
	struct zram_slot *slot = &zram->table[index];
	size_t size;
	u8 *buf;
	int ret = 0;

	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	zram_slot_lock(zram, index);
	size = zram_slot_size(slot);
	if (zram_slot_test(slot, ZRAM_SAME) || !slot->handle || !size ||
	    size > PAGE_SIZE) {
		ret = -ENOENT;	/* nothing stored to damage */
	} else {
		hzs_read(zram->pool, slot->handle, buf, size);
		buf[size / 2] ^= 0x10;
		hzs_write(zram->pool, slot->handle, buf, size);
		pr_info("zram%d: corrupted block %u (handle %#lx) on request\n",
			zram->id, index, slot->handle);
	}
	zram_slot_unlock(zram, index);
	kfree(buf);
	return ret;
}

HZ_EXPORT_IF_KUNIT(zram_corrupt_slot);
