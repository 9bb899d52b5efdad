// SPDX-License-Identifier: GPL-2.0
/*
 * hzram writeback: moving slots out of the pool to the backing store
 * (the writeback attribute) and reading them back.
 *
 * A pass takes slots one batch at a time. For each slot of a batch,
 * under its slot lock, it copies what the slot holds into a page of
 * its own (the decompressed page, or with compressed_writeback the
 * object as stored) and sets ZRAM_UNDER_WB; then it drops the lock.
 * The batch's writes go to the backing store together. When they are
 * done, each slot's lock is taken again: if ZRAM_UNDER_WB is still set,
 * nothing has replaced or freed the slot meanwhile (zram_slot_free()
 * clears every flag, and every write, discard and free goes through
 * it), so the pool object is freed and the slot points at its block.
 * Otherwise the block is given back and the slot is left as it is.
 * Reads in between still find the pool object, which stays until the
 * switch. So no interleaving leaves a slot stale, zeroed, or holding a
 * block twice.
 *
 * A written-back slot keeps its block number in ->handle and in its
 * size what the block holds: PAGE_SIZE for a page, less for a
 * compressed object. A checksum, if the device keeps them, covers those
 * bytes, so damage on the backing device fails the read like damage
 * in the pool.
 *
 * GFP rules: a pass runs in the writer's process context, holding
 * init_lock for reading and no slot lock when it allocates (GFP_KERNEL,
 * before the first slot is touched): reclaim may swap to this device,
 * whose writes need slot locks, never init_lock for writing. A read-back
 * runs in the I/O path, under the slot lock: GFP_NOIO, no retries.
 *
 * Lock order: init_lock (read) -> pp_lock -> slot lock ->
 * zcomp_strm.lock -> allocator locks; wb_limit_lock innermost.
 */

#define pr_fmt(fmt) "zram: " fmt

#include <linux/kernel.h>
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "hz_kunit.h"
#include "hzs_pool.h"
#include "zram_drv.h"
#include "zram_wb.h"

/* ------------------------------ read-back ---------------------------- */

/*
 * A backing read of slot @index's block @blk into @src_page ended with
 * @err: check it and the block's checksum, and decompress @src_page into
 * @page unless the block is the page itself. Process context. Shared by
 * the synchronous and the asynchronous read-back.
 */
static int zram_wb_read_done(struct zram *zram, u32 index, unsigned long blk,
			     int err, struct page *src_page, struct page *page,
			     size_t size)
{
	struct zcomp_strm *strm;
	struct zcomp *comp;
	void *src, *dst;
	int ret;

	if (err) {
		atomic64_inc(&zram->stats.bd_read_errors);
		return zram_read_refused(zram, index, blk,
					 "the backing device failed the read");
	}
	src = kmap_local_page(src_page);
	ret = zram_csum_check(zram, index, src, size);
	if (!ret && src_page != page) {
		/* The block keeps the priority of the object it copies. */
		comp = zram_slot_comp(zram, zram_slot(zram, index));
		if (!comp) {
			kunmap_local(src);
			return zram_read_refused(zram, index, blk,
						 "no algorithm has its priority");
		}
		strm = zcomp_stream_get(comp);
		dst = kmap_local_page(page);
		ret = zcomp_decompress(comp, strm, src, size, dst);
		kunmap_local(dst);
		zcomp_stream_put(strm);
		if (ret)
			ret = zram_read_refused(zram, index, blk,
						"the block did not decompress");
	}
	kunmap_local(src);
	return ret;
}

/*
 * Produce written-back slot @index in @page. Slot lock held: a free or
 * overwrite waits until the block has been read.
 */
int zram_wb_read(struct zram *zram, u32 index, struct page *page)
{
	struct zram_slot *slot = zram_slot(zram, index);
	unsigned long blk = slot->handle;
	size_t size = zram_slot_size(slot);
	struct page *tmp;
	int ret;

	if (!size || size > PAGE_SIZE)
		return zram_read_refused(zram, index, blk, "bad size");
	tmp = size == PAGE_SIZE ? page : alloc_page(GFP_NOIO | __GFP_NOWARN);
	if (!tmp)
		return -ENOMEM;
	atomic64_inc(&zram->stats.bd_reads);
	ret = zram_bd_rw(zram, blk, tmp, REQ_OP_READ);
	ret = zram_wb_read_done(zram, index, blk, ret, tmp, page, size);
	if (tmp != page)
		__free_page(tmp);
	return ret;
}

HZ_EXPORT_IF_KUNIT(zram_wb_read);

/*
 * An asynchronous read-back, chained to the bio that asked for it. It
 * owns the slot lock from submission to completion, so the block cannot
 * be freed and reused (and read as someone else's data) while it is in
 * flight, and it keeps a bio's pages in flight together instead of one
 * synchronous round trip each.
 */
struct zram_rb {
	struct zram_bd_req req;		/* reads into @page, or @tmp */
	struct zram *zram;
	struct bio *parent;
	struct page *page;		/* the caller's */
	struct page *tmp;		/* a compressed block, or NULL */
	u32 index;
	size_t size;
	struct work_struct work;
};

static void zram_rb_finish(struct zram_rb *rb, int err)
{
	struct zram *zram = rb->zram;

	if (err) {
		atomic64_inc(&zram->stats.failed_reads);
		rb->parent->bi_status = BLK_STS_IOERR;
	} else {
		flush_dcache_page(rb->page);
	}
	zram_slot_unlock_io(zram, rb->index);
	bio_endio(rb->parent);
	if (rb->tmp)
		__free_page(rb->tmp);
	kfree(rb);
}

/* Checksum and decompression: process context. */
static void zram_rb_work(struct work_struct *work)
{
	struct zram_rb *rb = container_of(work, struct zram_rb, work);

	zram_rb_finish(rb, zram_wb_read_done(rb->zram, rb->index, rb->req.blk,
					     rb->req.err, rb->req.page, rb->page,
					     rb->size));
}

/* May run in interrupt context: only the plain, healthy case ends here. */
static void zram_rb_done(struct zram_bd_req *req)
{
	struct zram_rb *rb = container_of(req, struct zram_rb, req);

	if (!req->err && !rb->tmp && !rb->zram->checksum) {
		zram_rb_finish(rb, 0);
		return;
	}
	queue_work(rb->zram->backing->wq, &rb->work);
}

/*
 * Start reading written-back slot @index into @page for @parent. Slot
 * lock held; on success (0) it belongs to the read from now on. -EAGAIN
 * (no memory for the request: the caller reads synchronously, lock
 * still held) and other errors leave the lock with the caller.
 */
int zram_wb_read_async(struct zram *zram, u32 index, struct page *page,
		       struct bio *parent)
{
	struct zram_slot *slot = zram_slot(zram, index);
	size_t size = zram_slot_size(slot);
	struct zram_rb *rb;

	if (!size || size > PAGE_SIZE)
		return -EAGAIN;	/* the synchronous path refuses it */
	rb = kzalloc(sizeof(*rb), GFP_NOIO | __GFP_NOWARN);
	if (!rb)
		return -EAGAIN;
	if (size < PAGE_SIZE) {
		rb->tmp = alloc_page(GFP_NOIO | __GFP_NOWARN);
		if (!rb->tmp) {
			kfree(rb);
			return -EAGAIN;
		}
	}
	rb->zram = zram;
	rb->parent = parent;
	rb->page = page;
	rb->index = index;
	rb->size = size;
	rb->req.page = rb->tmp ? rb->tmp : page;
	rb->req.blk = slot->handle;
	rb->req.op = REQ_OP_READ;
	rb->req.done = zram_rb_done;
	INIT_WORK(&rb->work, zram_rb_work);
	atomic64_inc(&zram->stats.bd_reads);
	bio_inc_remaining(parent);
	zram_slot_handoff(zram, index);
	zram_bd_submit(zram, &rb->req);
	return 0;
}

/* ---------------------------- writeback ------------------------------ */

struct zram_wb_batch;

/* One slot on its way out. */
struct zram_wb_slot {
	struct zram_bd_req req;		/* its page and block */
	struct zram_wb_batch *batch;
	u32 index;
	size_t size;			/* bytes of the block that matter */
	u32 csum;			/* of those bytes, if checksummed */
	u32 prio;			/* what compressed them, if they are */
};

struct zram_wb_batch {
	struct zram *zram;
	unsigned int n;			/* slots in use */
	unsigned int cap;		/* slots allocated */
	atomic_t pending;		/* writes not yet completed, plus one */
	struct completion done;
	struct zram_wb_slot *slots;	/* @cap of them (each holds a bio) */
};

/* writeback_limit: may one more page go out, given @reserved in flight? */
static bool zram_wb_limit_ok(struct zram *zram, unsigned int reserved)
{
	bool ok;

	spin_lock(&zram->wb_limit_lock);
	ok = !zram->wb_limit_enable ||
	     zram->wb_limit >= (u64)(reserved + 1) * ZRAM_WB_LIMIT_UNITS;
	spin_unlock(&zram->wb_limit_lock);
	return ok;
}

static void zram_wb_limit_charge(struct zram *zram)
{
	spin_lock(&zram->wb_limit_lock);
	if (zram->wb_limit_enable)
		zram->wb_limit -= min_t(u64, zram->wb_limit,
					ZRAM_WB_LIMIT_UNITS);
	spin_unlock(&zram->wb_limit_lock);
}

static bool zram_wb_wanted(const struct zram_slot *slot, unsigned int mode)
{
	if (!zram_slot_allocated(slot) || zram_slot_test(slot, ZRAM_SAME) ||
	    zram_slot_test(slot, ZRAM_WB) ||
	    zram_slot_test(slot, ZRAM_UNDER_WB))
		return false;
	if ((mode & ZRAM_WB_IDLE) && !zram_slot_test(slot, ZRAM_IDLE))
		return false;
	if ((mode & ZRAM_WB_HUGE) && !zram_slot_test(slot, ZRAM_HUGE))
		return false;
	if ((mode & ZRAM_WB_INCOMPRESSIBLE) &&
	    !zram_slot_test(slot, ZRAM_INCOMPRESSIBLE))
		return false;
	return true;
}

/*
 * Copy slot @index into @ws's page if @mode selects it, and mark it
 * under writeback. Returns true if the slot joins the batch.
 */
static bool zram_wb_prepare(struct zram *zram, u32 index, unsigned int mode,
			    struct zram_wb_slot *ws)
{
	struct zram_slot *slot = zram_slot(zram, index);
	bool raw, ok = false;
	void *mem;

	zram_slot_lock(zram, index);
	if (!zram_wb_wanted(slot, mode))
		goto out;
	raw = !zram->wb_compressed || zram_slot_test(slot, ZRAM_HUGE);
	if (raw) {
		/* Checks the slot's checksum on the way, if it has one. */
		if (zram_read_locked(zram, index, ws->req.page, true))
			goto out;
		ws->size = PAGE_SIZE;
		ws->prio = ZRAM_PRIMARY_COMP;
		if (zram->checksum) {
			mem = kmap_local_page(ws->req.page);
			ws->csum = zram_csum(mem, PAGE_SIZE, index);
			kunmap_local(mem);
		}
	} else {
		ws->size = zram_slot_size(slot);
		ws->prio = zram_slot_prio(slot);
		mem = kmap_local_page(ws->req.page);
		if (hzs_read(zram->pool, slot->handle, mem, ws->size)) {
			kunmap_local(mem);
			zram_read_refused(zram, index, slot->handle,
					  "the allocator refused the handle");
			goto out;
		}
		/* Never write damage out: it would be preserved. */
		if (zram_csum_check(zram, index, mem, ws->size)) {
			kunmap_local(mem);
			goto out;
		}
		/* Zero the tail: no stale bytes of ours go to the device. */
		memset(mem + ws->size, 0, PAGE_SIZE - ws->size);
		kunmap_local(mem);
		if (zram->checksum)
			ws->csum = *zram_slot_csum(zram, index);
	}
	ws->index = index;
	zram_slot_set(slot, ZRAM_UNDER_WB);
	ok = true;
out:
	zram_slot_unlock(zram, index);
	return ok;
}

/*
 * The block is written: switch the slot over to it, if the slot is
 * still what was copied. Returns true if the block is now the slot's.
 */
static bool zram_wb_commit(struct zram *zram, struct zram_wb_slot *ws)
{
	struct zram_slot *slot = zram_slot(zram, ws->index);
	bool done = false;
	u32 actime;

	zram_slot_lock(zram, ws->index);
	if (!zram_slot_test(slot, ZRAM_UNDER_WB))
		goto out;	/* freed or rewritten meanwhile */
	actime = zram_slot_actime(slot);
	zram_slot_free(zram, ws->index);
	slot->handle = ws->req.blk;
	zram_slot_set_size(slot, ws->size);
	zram_slot_set(slot, ZRAM_WB);
	zram_slot_set_prio(slot, ws->prio);
	zram_slot_set_actime(slot, actime);
	if (zram->checksum)
		*zram_slot_csum(zram, ws->index) = ws->csum;
	atomic64_inc(&zram->stats.pages_stored);
	done = true;
out:
	zram_slot_unlock(zram, ws->index);
	return done;
}

/* The write failed: the slot stays in the pool, as if never chosen. */
static void zram_wb_abort(struct zram *zram, struct zram_wb_slot *ws)
{
	zram_slot_lock(zram, ws->index);
	/* Only if it is still ours: a new content has no UNDER_WB. */
	zram_slot_clear(zram_slot(zram, ws->index), ZRAM_UNDER_WB);
	zram_slot_unlock(zram, ws->index);
}

static void zram_wb_write_done(struct zram_bd_req *req)
{
	struct zram_wb_slot *ws = container_of(req, struct zram_wb_slot, req);

	if (atomic_dec_and_test(&ws->batch->pending))
		complete(&ws->batch->done);
}

/* Write the batch's blocks, all in flight at once, and wait for them. */
static void zram_wb_submit(struct zram_wb_batch *b)
{
	struct blk_plug plug;
	unsigned int i;

	reinit_completion(&b->done);
	atomic_set(&b->pending, b->n + 1);
	blk_start_plug(&plug);
	for (i = 0; i < b->n; i++) {
		b->slots[i].req.op = REQ_OP_WRITE;
		b->slots[i].req.done = zram_wb_write_done;
		zram_bd_submit(b->zram, &b->slots[i].req);
	}
	blk_finish_plug(&plug);
	if (!atomic_dec_and_test(&b->pending))
		wait_for_completion_io(&b->done);
}

/* Returns the last write error, or 0. */
static int zram_wb_complete(struct zram *zram, struct zram_wb_batch *b)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < b->n; i++) {
		struct zram_wb_slot *ws = &b->slots[i];

		if (ws->req.err) {
			atomic64_inc(&zram->stats.bd_write_errors);
			pr_err_ratelimited("zram%d: writeback of block %u to backing block %lu failed (%d); it stays in memory\n",
					   zram->id, ws->index, ws->req.blk,
					   ws->req.err);
			zram_wb_abort(zram, ws);
			zram_bd_free(zram, ws->req.blk);
			ret = ws->req.err;
			continue;
		}
		atomic64_inc(&zram->stats.bd_writes);
		if (zram_wb_commit(zram, ws))
			zram_wb_limit_charge(zram);
		else
			zram_bd_free(zram, ws->req.blk);
	}
	b->n = 0;
	return ret;
}

static void zram_wb_batch_free(struct zram_wb_batch *b)
{
	unsigned int i;

	for (i = 0; b->slots && i < b->cap; i++)
		if (b->slots[i].req.page)
			__free_page(b->slots[i].req.page);
	kvfree(b->slots);
	kfree(b);
}

static struct zram_wb_batch *zram_wb_batch_alloc(struct zram *zram,
						 unsigned int cap)
{
	struct zram_wb_batch *b;
	unsigned int i;

	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return NULL;
	b->zram = zram;
	b->cap = cap;
	b->slots = kvcalloc(cap, sizeof(*b->slots), GFP_KERNEL);
	if (!b->slots) {
		zram_wb_batch_free(b);
		return NULL;
	}
	init_completion(&b->done);
	for (i = 0; i < cap; i++) {
		b->slots[i].batch = b;
		b->slots[i].req.page = alloc_page(GFP_KERNEL | __GFP_NOWARN);
		if (!b->slots[i].req.page) {
			/* As upstream: fewer in flight, unless none at all. */
			if (!i) {
				zram_wb_batch_free(b);
				return NULL;
			}
			b->cap = i;
			break;
		}
	}
	return b;
}

/*
 * Write back the slots of [@first, @last] that @mode selects. Caller
 * holds init_lock for reading on an initialised device. A pass already
 * running is waited for (as upstream 7.0). Returns 0, or as upstream:
 * -ENODEV without a backing store, -EIO once writeback_limit is used up, -ENOSPC when the store
 * is full, or the last write error (the pass goes on past those).
 */
int zram_writeback(struct zram *zram, unsigned int mode, u32 first, u32 last)
{
	unsigned int cap = clamp_t(u32, READ_ONCE(zram->wb_batch_size), 1,
				   ZRAM_WB_BATCH_MAX);
	struct zram_wb_batch *b;
	unsigned long blk;
	bool have_blk = false;
	int stop = 0, wr_err = 0, err;
	u64 index;

	if (!zram->backing)
		return -ENODEV;
	if (mutex_lock_interruptible(&zram->pp_lock))
		return -EINTR;
	cap = min_t(u64, cap, (u64)last - first + 1);
	b = zram_wb_batch_alloc(zram, cap);
	if (!b) {
		stop = -ENOMEM;
		goto out_pp;
	}

	for (index = first; index <= last && !stop; ) {
		/* Fill a batch: the limit counts the slots already in it. */
		while (b->n < b->cap && index <= last) {
			struct zram_wb_slot *ws = &b->slots[b->n];

			/* Absent chunks hold nothing to write back. */
			index = zram_slot_next(zram, index, (u64)last + 1);
			if (index > last)
				break;

			if (!zram_wb_limit_ok(zram, b->n)) {
				stop = -EIO;
				break;
			}
			if (!have_blk && !zram_bd_alloc(zram, &blk)) {
				stop = -ENOSPC;
				break;
			}
			have_blk = true;
			if (zram_wb_prepare(zram, index, mode, ws)) {
				ws->req.blk = blk;
				have_blk = false;
				b->n++;
			}
			index++;
			if (fatal_signal_pending(current)) {
				stop = -EINTR;
				break;
			}
			cond_resched();
		}
		if (!b->n)
			continue;
		zram_wb_submit(b);
		/* As upstream, a failed write does not end the pass. */
		err = zram_wb_complete(zram, b);
		if (err)
			wr_err = err;
	}
	if (have_blk)
		zram_bd_free(zram, blk);
	zram_wb_batch_free(b);
out_pp:
	mutex_unlock(&zram->pp_lock);
	return stop ? stop : wr_err;
}

HZ_EXPORT_IF_KUNIT(zram_writeback);
