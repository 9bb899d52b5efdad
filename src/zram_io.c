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
 * (see the comment at the top of zram_drv.h).
 */

#define pr_fmt(fmt) "zram: " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>
#include <linux/wait_bit.h>	/* wait_var_event() */
#include <linux/xxhash.h>

#include "hz_compat.h"
#include "hz_kunit.h"
#include "hzs_pool.h"
#include "zram_drv.h"
#include "zram_wb.h"

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

/*
 * The slot lock is a bit of a 32-bit word, which the kernel's bit
 * operations cannot take (they work on longs, and on 64-bit a long in a
 * 12-byte entry would be misaligned), so it is taken with a cmpxchg and
 * waited for on the word's address. While it is held, no one else
 * writes the word: a trylock that finds the bit set fails without a
 * store, so the holder updates the other bits with plain stores.
 */
static bool zram_slot_bit_trylock(struct zram_slot *slot)
{
	u32 old = READ_ONCE(slot->flags);

	do {
		if (old & BIT(ZRAM_LOCK))
			return false;
	} while (!try_cmpxchg_acquire(&slot->flags, &old,
				      old | BIT(ZRAM_LOCK)));
	return true;
}

static void zram_slot_bit_unlock(struct zram_slot *slot)
{
	/* Pairs with the acquire of the next holder's cmpxchg. */
	smp_store_release(&slot->flags, slot->flags & ~BIT(ZRAM_LOCK));
	/* wake_up_var() checks for waiters: order the release before it. */
	smp_mb();
	wake_up_var(&slot->flags);
}

/*
 * The slot lock functions need the slot's chunk to be present: a caller
 * made sure of it (zram_chunk_get()), or found it with zram_slot_get()
 * or zram_slot_next(), and a chunk never goes away while the device is
 * live.
 */
void zram_slot_lock(struct zram *zram, u32 index)
{
	struct zram_slot *slot = zram_slot(zram, index);

	might_sleep();
	/* Annotate first, so lockdep reports a deadlock before it happens. */
	zram_slot_acquire(slot, 0, _RET_IP_);
	wait_var_event(&slot->flags, zram_slot_bit_trylock(slot));
	zram_slot_acquired(slot, _RET_IP_);
}

HZ_EXPORT_IF_KUNIT(zram_slot_lock);

/* Never sleeps: used from the atomic swap free notification. */
bool zram_slot_trylock(struct zram *zram, u32 index)
{
	struct zram_slot *slot = zram_slot(zram, index);

	if (!zram_slot_bit_trylock(slot))
		return false;
	zram_slot_acquire(slot, 1, _RET_IP_);
	zram_slot_acquired(slot, _RET_IP_);
	return true;
}

HZ_EXPORT_IF_KUNIT(zram_slot_trylock);

void zram_slot_unlock(struct zram *zram, u32 index)
{
	struct zram_slot *slot = zram_slot(zram, index);

	zram_slot_release(slot, _RET_IP_);
	zram_slot_bit_unlock(slot);
}

HZ_EXPORT_IF_KUNIT(zram_slot_unlock);

/*
 * Hand a held slot lock over to an I/O in flight (an asynchronous
 * read-back, zram_wb.c): lockdep sees it released by this task now,
 * and zram_slot_unlock_io() clears the bit when the I/O completes, in
 * whatever context that is. Meanwhile the slot stays locked for
 * everyone else, who sleep on it as usual.
 */
void zram_slot_handoff(struct zram *zram, u32 index)
{
	zram_slot_release(zram_slot(zram, index), _RET_IP_);
}

void zram_slot_unlock_io(struct zram *zram, u32 index)
{
	zram_slot_bit_unlock(zram_slot(zram, index));
}

/* ------------------------------ helpers ------------------------------ */

/* Slot access times are kept in seconds to fit in 32 bits. */
u32 zram_now(void)
{
	return (u32)ktime_get_boottime_seconds();
}

HZ_EXPORT_IF_KUNIT(zram_now);

/*
 * What mem_used_total, mem_used_max and mem_limit count, in pages: the
 * pool's data pages and metadata (hzs_pool_total_pages()) and the slot
 * table's chunks at the size kmalloc hands out. Not the directory: like
 * upstream's flat table it is sized by disksize, but it is one pointer
 * per chunk, a few hundred times smaller (see mm_stat in admin-guide).
 */
unsigned long zram_mem_used_pages(struct zram *zram)
{
	return hzs_pool_total_pages(zram->pool) +
	       DIV_ROUND_UP_ULL(zram_chunk_bytes(zram), PAGE_SIZE);
}

HZ_EXPORT_IF_KUNIT(zram_mem_used_pages);

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
 * True if the page is one 32-bit word repeated; *@pattern gets the word.
 * A slot keeps its pattern in 32 bits, so on 64-bit a page of one long
 * whose halves differ is not a pattern: it is compressed, and comes back
 * exactly like any other page (upstream keeps a long). The scan goes a
 * long at a time all the same. The last word is checked first: pages
 * that differ usually differ at the end too, and this rejects them
 * without scanning.
 */
HZ_VISIBLE_IF_KUNIT bool zram_page_same_filled(const void *mem, u32 *pattern)
{
	const unsigned long *word = mem;
	unsigned int last = PAGE_SIZE / sizeof(*word) - 1;
	unsigned long val = word[0];
	unsigned int i;

	if (word[last] != val ||
	    (BITS_PER_LONG == 64 && lower_32_bits(val) != upper_32_bits(val)))
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
	/* Pairs with the release in zram_setup(). */
	return smp_load_acquire(&zram->nr_pages);
}

static bool zram_range_ok(struct zram *zram, sector_t sector, u64 bytes)
{
	u64 size = (u64)zram_live_pages(zram) << PAGE_SHIFT;
	u64 start = (u64)sector << SECTOR_SHIFT;

	return size && start < size && bytes <= size - start;
}

/* ---------------------------- slot table ----------------------------- */

/*
 * The directory of a table of @nr_pages slots, every chunk absent: one
 * pointer per ZRAM_CHUNK_SLOTS slots (two with checksums), the only part
 * of a device sized by disksize. __GFP_NOWARN: an absurd disksize fails
 * quietly with -ENOMEM. A chunk's cost is fixed here: its slots, and
 * with checksums its checksum array, each as kmalloc sizes it.
 */
int zram_table_alloc(struct zram *zram, unsigned long nr_pages)
{
	zram->nr_chunks = DIV_ROUND_UP(nr_pages, ZRAM_CHUNK_SLOTS);
	zram->dir = kvcalloc(zram->nr_chunks, sizeof(*zram->dir),
			     GFP_KERNEL | __GFP_NOWARN);
	if (!zram->dir)
		return -ENOMEM;
	zram->chunk_alloc = kmalloc_size_roundup(sizeof(struct zram_chunk));
	if (!zram->checksum)
		return 0;
	zram->csum_dir = kvcalloc(zram->nr_chunks, sizeof(*zram->csum_dir),
				  GFP_KERNEL | __GFP_NOWARN);
	if (!zram->csum_dir) {
		kvfree(zram->dir);
		zram->dir = NULL;
		return -ENOMEM;
	}
	zram->chunk_alloc += kmalloc_size_roundup(ZRAM_CHUNK_SLOTS *
						  sizeof(u32));
	return 0;
}

/*
 * Make sure the chunk of slot @index is present, allocating it if this
 * is the first write to any of its slots. Called in the write path with
 * no slot lock held: GFP_NOIO, since swap writes come from reclaim, and
 * no warning, since failing is an ordinary -ENOMEM write error (counted
 * in failed_writes by the bio path) that loses nothing stored. A chunk is
 * device memory like the pool's (zram_mem_used_pages()), so it counts
 * against mem_limit: a write that needs one at the limit fails as any
 * write over the limit does.
 */
int zram_chunk_get(struct zram *zram, u32 index)
{
	struct zram_chunk **entry = &zram->dir[index / ZRAM_CHUNK_SLOTS];
	struct zram_chunk *chunk;
	unsigned long limit, pages;
	u32 *csums = NULL;
	unsigned long i;

	/* Pairs with the cmpxchg_release() below. */
	if (likely(smp_load_acquire(entry)))
		return 0;

	/* Charged before it exists, so racing writers cannot all pass. */
	atomic_long_inc(&zram->stats.chunks);
	pages = zram_mem_used_pages(zram);
	limit = READ_ONCE(zram->limit_pages);
	chunk = NULL;
	if ((!limit || pages <= limit) && !zram_test_chunk_fail(zram))
		chunk = kzalloc(sizeof(*chunk), GFP_NOIO | __GFP_NOWARN);
	if (chunk && zram->csum_dir) {
		csums = kcalloc(ZRAM_CHUNK_SLOTS, sizeof(*csums),
				GFP_NOIO | __GFP_NOWARN);
		if (!csums) {
			kfree(chunk);
			chunk = NULL;
		}
	}
	if (!chunk) {
		atomic_long_dec(&zram->stats.chunks);
		return -ENOMEM;
	}
	/* Every lock ready before any other task can see a slot. */
	for (i = 0; i < ZRAM_CHUNK_SLOTS; i++)
		zram_slot_lock_init(&chunk->slots[i]);
	/* Test builds: another writer may be made to get in first here. */
	zram_test_chunk_race(zram, index);
	/*
	 * Checksums first: whoever publishes the chunk has made sure they
	 * are in place. If another writer's got there, they serve.
	 */
	if (csums && cmpxchg(&zram->csum_dir[index / ZRAM_CHUNK_SLOTS], NULL,
			     csums))
		kfree(csums);
	/* Publish; pairs with the acquire in zram_chunk(). */
	if (cmpxchg_release(entry, NULL, chunk)) {
		/* Another writer's chunk won: ours was never seen. */
		kfree(chunk);
		atomic_long_dec(&zram->stats.chunks);
		return 0;
	}
	zram_update_used_max(zram, pages);
	return 0;
}

HZ_EXPORT_IF_KUNIT(zram_chunk_get);

/*
 * Release whatever the slot holds and return it to the empty state,
 * keeping only the lock bit. Slot lock held (or no other user possible).
 * Never sleeps: the swap free notification calls it in atomic context.
 *
 * Clearing every flag includes ZRAM_UNDER_WB: that is how a writeback
 * in flight learns, when it takes the slot lock again, that the copy it
 * wrote is no longer the slot's content (zram_wb.c).
 */
void zram_slot_free(struct zram *zram, u32 index)
{
	struct zram_slot *slot = zram_slot(zram, index);

	if (zram_slot_test(slot, ZRAM_SAME)) {
		atomic64_dec(&zram->stats.same_pages);
		atomic64_dec(&zram->stats.pages_stored);
	} else if (zram_slot_test(slot, ZRAM_WB)) {
		/* Its handle is a backing block; block 0 is a valid one. */
		zram_bd_free(zram, slot->handle);
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

/*
 * Empty every slot of an unpublished table (zram_teardown(): no I/O can
 * reach it), giving each stored object back to the pool, then free the
 * chunks and the directory. The only place chunks are freed.
 */
void zram_table_free(struct zram *zram)
{
	unsigned long c, i;

	if (!zram->dir)
		return;
	for (c = 0; c < zram->nr_chunks; c++) {
		struct zram_chunk *chunk = zram->dir[c];

		if (!chunk)
			continue;
		for (i = 0; i < ZRAM_CHUNK_SLOTS; i++)
			zram_slot_free(zram, c * ZRAM_CHUNK_SLOTS + i);
		zram->dir[c] = NULL;
		kfree(chunk);
		if (zram->csum_dir) {
			kfree(zram->csum_dir[c]);
			zram->csum_dir[c] = NULL;
		}
		atomic_long_dec(&zram->stats.chunks);
		cond_resched();
	}
	kvfree(zram->csum_dir);
	zram->csum_dir = NULL;
	kvfree(zram->dir);
	zram->dir = NULL;
	zram->nr_chunks = 0;
}

/* @cutoff: slots last accessed at or before it become idle; S64_MAX = all */
void zram_mark_idle(struct zram *zram, s64 cutoff)
{
	unsigned long i, end = zram->nr_pages;

	/* Absent chunks hold nothing to mark. */
	for (i = zram_slot_next(zram, 0, end); i < end;
	     i = zram_slot_next(zram, i + 1, end)) {
		struct zram_slot *slot = zram_slot(zram, i);

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

/* ------------------------------ checksum ----------------------------- */

/*
 * The checksum covers the bytes stored in the pool, not the page they
 * decompress to: it is cheaper (objects are smaller than pages), and it
 * catches damage before the decompressor has to cope with it. Seeding
 * with the slot index means an object reached through the wrong slot
 * (a stale or crossed handle) fails the check as well.
 */
u32 zram_csum(const void *buf, size_t len, u32 index)
{
	return xxh32(buf, len, index);
}

/* 0 if @buf is what was stored in slot @index, -EIO otherwise. Slot lock held. */
int zram_csum_check(struct zram *zram, u32 index, const void *buf,
		    size_t len)
{
	if (!zram->checksum ||
	    likely(zram_csum(buf, len, index) == *zram_slot_csum(zram, index)))
		return 0;
	atomic64_inc(&zram->stats.checksum_errors);
	pr_err_ratelimited("zram%d: checksum mismatch at sector %llu (block %u, handle %#x, %zu bytes)\n",
			   zram->id,
			   (unsigned long long)index << SECTORS_PER_PAGE_SHIFT,
			   index, zram_slot(zram, index)->handle, len);
	return -EIO;
}

/* ------------------------------- read -------------------------------- */

static void zram_fill_page(struct page *page, u32 pattern)
{
	void *mem = kmap_local_page(page);

	memset32(mem, pattern, PAGE_SIZE / sizeof(u32));
	kunmap_local(mem);
}

/* A slot that holds nothing, in a present chunk or an absent one. */
static void zram_read_unwritten(struct zram *zram, u32 index,
				struct page *page, bool quiet)
{
	if (!quiet && READ_ONCE(warn_unwritten_read))
		pr_warn_ratelimited("zram%d: read of never-written block %u\n",
				    zram->id, index);
	zram_fill_page(page, 0);
}

/*
 * A stored block that cannot be produced exactly: the read fails with
 * -EIO (the bio path counts it in failed_reads), and the block is logged.
 */
int zram_read_refused(struct zram *zram, u32 index, unsigned long handle,
		      const char *why)
{
	pr_err_ratelimited("zram%d: read of sector %llu (block %u, handle %#lx) failed: %s\n",
			   zram->id,
			   (unsigned long long)index << SECTORS_PER_PAGE_SHIFT,
			   index, handle, why);
	return -EIO;
}

/*
 * Produce the slot's page contents in @page. Slot lock held, which is
 * what makes the handle, size and flags read here consistent: a
 * concurrent free or overwrite waits for us. @quiet suppresses the
 * never-written warning for internal read-modify-write cycles.
 */
int zram_read_locked(struct zram *zram, u32 index, struct page *page,
		     bool quiet)
{
	struct zram_slot *slot = zram_slot(zram, index);
	unsigned long handle = slot->handle;
	size_t size = zram_slot_size(slot);
	struct zcomp_strm *strm;
	struct zcomp *comp;
	struct hzs_map map;
	void *dst;
	int ret;

	if (zram_slot_test(slot, ZRAM_SAME)) {
		zram_fill_page(page, handle);
		return 0;
	}
	if (zram_slot_test(slot, ZRAM_WB))
		return zram_wb_read(zram, index, page);
	if (!handle) {
		zram_read_unwritten(zram, index, page, quiet);
		return 0;
	}
	if (!size || size > PAGE_SIZE)
		return zram_read_refused(zram, index, handle, "bad size");
	if (zram_slot_test(slot, ZRAM_HUGE)) {
		if (size != PAGE_SIZE)
			return zram_read_refused(zram, index, handle,
						 "raw slot is not a page");
		dst = kmap_local_page(page);
		/*
		 * A handle the allocator refuses must fail the read: the page
		 * is left as it was, and never passed off as the block.
		 */
		if (hzs_read(zram->pool, handle, dst, PAGE_SIZE))
			ret = zram_read_refused(zram, index, handle,
						"the allocator refused the handle");
		else
			ret = zram_csum_check(zram, index, dst, PAGE_SIZE);
		kunmap_local(dst);
		return ret;
	}

	/* Always the algorithm that stored it (recompression changes it). */
	comp = zram_slot_comp(zram, slot);
	if (!comp)
		return zram_read_refused(zram, index, handle,
					 "no algorithm has its priority");
	/* Take the (sleeping) stream before any mapping is made. */
	strm = zcomp_stream_get(comp);
	dst = kmap_local_page(page);
	/* The recorded size must be the object's: see hzs_read_begin(). */
	ret = hzs_read_begin(zram->pool, handle, size, strm->buffer, &map);
	if (!ret) {
		ret = zram_csum_check(zram, index, map.addr, size);
		if (!ret)
			ret = zcomp_decompress(comp, strm, map.addr, size,
					       dst);
		hzs_read_end(&map);
	} else {
		ret = zram_read_refused(zram, index, handle,
					"the allocator refused the handle or size");
	}
	kunmap_local(dst);
	zcomp_stream_put(strm);
	if (ret && ret != -EIO)
		pr_err_ratelimited("zram%d: block %u failed to decompress (%d)\n",
				   zram->id, index, ret);
	return ret;
}

/*
 * Read slot @index into @page. With @parent (a whole-page read of a
 * bio), a written-back slot is read asynchronously, chained to
 * @parent: the slot lock goes with the I/O and is dropped when it
 * completes (zram_wb_read_async()).
 */
static int zram_read_page_bio(struct zram *zram, struct page *page,
			      u32 index, struct bio *parent)
{
	struct zram_slot *slot = zram_slot_get(zram, index);
	int ret;

	/*
	 * No chunk: nothing was ever stored in any of its slots. Reading
	 * allocates nothing; a write racing with this read is ordered
	 * after it, as with an empty slot of a present chunk.
	 */
	if (!slot) {
		zram_read_unwritten(zram, index, page, false);
		return 0;
	}

	zram_slot_lock(zram, index);
	if (parent && zram_slot_test(slot, ZRAM_WB)) {
		zram_slot_touch(slot);
		ret = zram_wb_read_async(zram, index, page, parent);
		if (ret != -EAGAIN)
			return ret;	/* the lock went with the I/O */
	}
	ret = zram_read_locked(zram, index, page, false);
	if (!ret && zram_slot_allocated(slot))
		zram_slot_touch(slot);
	zram_slot_unlock(zram, index);
	return ret;
}

HZ_VISIBLE_IF_KUNIT int zram_read_page(struct zram *zram, struct page *page,
				       u32 index)
{
	return zram_read_page_bio(zram, page, index, NULL);
}

HZ_EXPORT_IF_KUNIT(zram_read_page);

HZ_VISIBLE_IF_KUNIT int zram_bvec_read(struct zram *zram, struct bio_vec *bv,
				       u32 index, u32 offset, struct bio *parent)
{
	struct page *page;
	int ret;

	if (!offset && bv->bv_len == PAGE_SIZE)
		return zram_read_page_bio(zram, bv->bv_page, index, parent);

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

HZ_EXPORT_IF_KUNIT(zram_bvec_read);

/* ------------------------------- write ------------------------------- */

/*
 * A pool object of @len bytes in *@handle. @reclaim: the write path may
 * wait for reclaim when the fast attempt fails; recompression may not,
 * since it runs to save memory and must not take it from others (it
 * keeps the old object instead). Returns 0, 1 if it had to wait, or
 * -ENOMEM.
 */
int zram_obj_alloc(struct zram *zram, unsigned int len, bool reclaim,
		   unsigned long *handle)
{
	*handle = hzs_alloc(zram->pool, len, ZRAM_GFP_FAST);
	if (*handle)
		return 0;
	if (!reclaim)
		return -ENOMEM;
	atomic64_inc(&zram->stats.writestall);
	*handle = hzs_alloc(zram->pool, len, ZRAM_GFP_SLOW);
	return *handle ? 1 : -ENOMEM;
}

/*
 * Put @len bytes of @buf, a stream's buffer (so they cannot change under
 * us), in @handle, sized for them, for slot @index, with their checksum;
 * the handle is freed on failure (mem_limit reached).
 */
int zram_obj_fill(struct zram *zram, unsigned long handle, const void *buf,
		  unsigned int len, u32 index, struct zram_obj *obj)
{
	unsigned long pages, limit;

	/* Data, allocator metadata, chunks: see mm_stat in admin-guide. */
	pages = zram_mem_used_pages(zram);
	limit = READ_ONCE(zram->limit_pages);
	if (limit && pages > limit) {
		hzs_free(zram->pool, handle);
		return -ENOMEM;
	}
	/*
	 * Only a total the device keeps counts: an object refused above
	 * (and the zspage it may have brought) is given back at once, and
	 * must not leave mem_used_max past mem_limit.
	 */
	zram_update_used_max(zram, pages);
	if (zram->checksum)
		obj->csum = zram_csum(buf, len, index);
	/* Cannot fail for the object just allocated with this length. */
	if (hzs_write(zram->pool, handle, buf, len)) {
		hzs_free(zram->pool, handle);
		return -EIO;
	}
	obj->handle = handle;
	obj->size = len;
	return 0;
}

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
	struct zcomp *comp = zram->comps[ZRAM_PRIMARY_COMP];
	struct zcomp_strm *strm;
	unsigned long handle;
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
		/* Never checked for a pattern, but csums get no stack garbage. */
		obj->csum = 0;
		return 0;
	}

	strm = zcomp_stream_get(comp);
	mem = kmap_local_page(page);
	ret = zcomp_compress(comp, strm, mem, &len);
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
	ret = zram_obj_alloc(zram, len, true, &handle);
	if (ret < 0)
		goto out;
	ret = zram_obj_fill(zram, handle, strm->buffer, len, index, obj);
	obj->flags = huge ? BIT(ZRAM_HUGE) : 0;
out:
	zcomp_stream_put(strm);
	return ret;
}

/* Replace the slot's content with @obj. Slot lock held. */
void zram_slot_install(struct zram *zram, u32 index,
		       const struct zram_obj *obj)
{
	struct zram_slot *slot = zram_slot(zram, index);

	zram_slot_free(zram, index);
	slot->handle = obj->handle;
	zram_slot_set_size(slot, obj->size);
	slot->flags |= obj->flags;
	zram_slot_touch(slot);
	if (zram->checksum)
		*zram_slot_csum(zram, index) = obj->csum;

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

	/* The slot's chunk first, so a failure here has nothing to undo. */
	ret = zram_chunk_get(zram, index);
	if (ret)
		return ret;
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

	/*
	 * Zeroing part of a block that holds nothing changes nothing: it
	 * reads as zeroes already, and storing a zero page would count a
	 * block the user never wrote in orig_data_size and same_pages.
	 * A block of an absent chunk holds nothing: no chunk for it.
	 */
	if (!bv && !zram_chunk(zram, index))
		return 0;
	ret = zram_chunk_get(zram, index);
	if (ret)
		return ret;
	page = alloc_page(GFP_NOIO | __GFP_NOWARN);
	if (!page)
		return -ENOMEM;

	zram_slot_lock(zram, index);
	if (!bv && !zram_slot_allocated(zram_slot(zram, index))) {
		ret = 0;
		goto out;
	}
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

HZ_VISIBLE_IF_KUNIT int zram_bvec_write(struct zram *zram, struct bio_vec *bv,
					u32 index, u32 offset)
{
	if (!offset && bv->bv_len == PAGE_SIZE)
		return zram_write_page(zram, bv->bv_page, index);
	return zram_write_partial(zram, index, offset, bv->bv_len, bv);
}

HZ_EXPORT_IF_KUNIT(zram_bvec_write);

/* ----------------------------- discard ------------------------------- */

HZ_VISIBLE_IF_KUNIT void zram_discard_page(struct zram *zram, u32 index)
{
	/* An absent chunk holds nothing to discard. */
	if (!zram_chunk(zram, index))
		return;
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
				bio->bi_status = BLK_STS_IOERR;
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
			/* A read-back in flight flushes the page itself. */
			ret = zram_bvec_read(zram, &bv, index, offset, bio);
			if (!ret)
				flush_dcache_page(bv.bv_page);
		}
		if (ret) {
			/* As upstream: any failure is an I/O error (EIO). */
			atomic64_inc(failed);
			bio->bi_status = BLK_STS_IOERR;
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
 * Whole-page synchronous I/O for swap on kernels whose swap needs
 * ->rw_page to do it (HZ_BDOPS_RW_PAGE in hz_compat.h; elsewhere this is
 * unused). Failures are not counted here: the caller retries with a
 * bio, which counts them if they persist.
 */
int zram_rw_page(struct block_device *bdev, sector_t sector,
		 struct page *page, enum req_op op)
{
	struct zram *zram = bdev->bd_disk->private_data;
	u32 index = sector >> SECTORS_PER_PAGE_SHIFT;
	unsigned long start;
	int ret;

	/*
	 * Refused before accounting: the caller retries these with a bio,
	 * which is what diskstats should count, once.
	 */
	if (PageTransHuge(page))
		return -EOPNOTSUPP;
	if ((sector & (SECTORS_PER_PAGE - 1)) ||
	    !zram_range_ok(zram, sector, PAGE_SIZE))
		return -EINVAL;

	start = hz_rw_page_begin(bdev, op);
	if (op_is_write(op)) {
		ret = zram_write_page(zram, page, index);
	} else {
		ret = zram_read_page(zram, page, index);
		if (!ret)
			flush_dcache_page(page);
	}
	hz_rw_page_end(bdev, page, op, start, ret);
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
	/* Nothing stored in an absent chunk: nothing missed either. */
	if (!zram_chunk(zram, index))
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
