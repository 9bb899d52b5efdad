// SPDX-License-Identifier: GPL-2.0
/*
 * hzram backing store: the block device or regular file that
 * backing_dev names, its block bitmap, and block I/O to it.
 *
 * A regular file is mapped once, when it is attached, the way swapon
 * maps a swap file: every page of it must be allocated (no holes), and
 * its blocks are looked up with bmap() and kept as a few extents. I/O
 * then goes straight to the filesystem's block device, with no page
 * cache in the path. While attached the file carries S_SWAPFILE, which
 * makes the VFS refuse to write, truncate, unlink or swapon it, exactly
 * as for a swap file.
 *
 * Locks: none. The bitmap uses atomic bit operations; the store itself
 * changes only on an uninitialised device under init_lock held for
 * writing (see zram_wb.h), which the caller holds.
 */

#define pr_fmt(fmt) "zram: " fmt

#include <linux/kernel.h>
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "hz_kunit.h"
#include "zram_drv.h"
#include "zram_wb.h"

/* ------------------------------ blocks ------------------------------- */

/*
 * Take a free block. The search starts after the last block taken, so
 * a pass writes its blocks in ascending order (sequential I/O for the
 * backing device) instead of rescanning the full front of the bitmap.
 */
bool zram_bd_alloc(struct zram *zram, unsigned long *blk)
{
	struct zram_backing *bk = zram->backing;
	unsigned long start = READ_ONCE(bk->hint), b;
	bool wrapped = false;

	b = start;
	for (;;) {
		b = find_next_zero_bit(bk->bitmap, bk->nr_blocks, b);
		if (b >= bk->nr_blocks) {
			if (wrapped || !start)
				return false;
			wrapped = true;
			b = 0;
			continue;
		}
		if (wrapped && b >= start)
			return false;
		if (!test_and_set_bit(b, bk->bitmap))
			break;
	}
	WRITE_ONCE(bk->hint, b + 1 < bk->nr_blocks ? b + 1 : 0);
	atomic64_inc(&zram->stats.bd_count);
	*blk = b;
	return true;
}

HZ_EXPORT_IF_KUNIT(zram_bd_alloc);

/*
 * Give a block back. Atomic context is fine (swap free notification).
 * A block that was not taken means two slots claimed one block: count
 * it (debug_stat, verify) and leave the counter alone rather than WARN.
 */
void zram_bd_free(struct zram *zram, unsigned long blk)
{
	struct zram_backing *bk = zram->backing;

	if (!bk || blk >= bk->nr_blocks ||
	    !test_and_clear_bit(blk, bk->bitmap)) {
		atomic64_inc(&zram->stats.bd_double_free);
		pr_err_ratelimited("zram%d: backing block %lu freed but not in use\n",
				   zram->id, blk);
		return;
	}
	atomic64_dec(&zram->stats.bd_count);
}

HZ_EXPORT_IF_KUNIT(zram_bd_free);

/* Where block @blk starts on the backing bdev: a binary search. */
sector_t zram_bd_sector(const struct zram_backing *bk, unsigned long blk)
{
	unsigned int lo = 0, hi = bk->nr_extents;

	while (hi - lo > 1) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (bk->extents[mid].first <= blk)
			lo = mid;
		else
			hi = mid;
	}
	return bk->extents[lo].sector +
	       ((sector_t)(blk - bk->extents[lo].first) <<
		(PAGE_SHIFT - SECTOR_SHIFT));
}

HZ_EXPORT_IF_KUNIT(zram_bd_sector);

/* -------------------------------- I/O -------------------------------- */

static void zram_bdev_end_io(struct bio *bio)
{
	struct zram_bd_req *req = bio->bi_private;

	req->err = blk_status_to_errno(bio->bi_status);
	bio_uninit(bio);
	req->done(req);
}

static void zram_bdev_submit(struct zram_backing *bk, struct zram_bd_req *req)
{
	blk_opf_t opf = req->op == REQ_OP_WRITE ? REQ_OP_WRITE | REQ_SYNC :
						 REQ_OP_READ;

	bio_init(&req->bio, bk->bdev, &req->bvec, 1, opf);
	req->bio.bi_iter.bi_sector = zram_bd_sector(bk, req->blk);
	__bio_add_page(&req->bio, req->page, PAGE_SIZE, 0);
	req->bio.bi_private = req;
	req->bio.bi_end_io = zram_bdev_end_io;
	submit_bio(&req->bio);
}

static const struct zram_bd_ops zram_bdev_ops = {
	.submit = zram_bdev_submit,
};

/* Start @req; req->done() reports the outcome. */
void zram_bd_submit(struct zram *zram, struct zram_bd_req *req)
{
	struct zram_backing *bk = zram->backing;

	if (req->blk >= bk->nr_blocks) {
		req->err = -EIO;
		req->done(req);
		return;
	}
	bk->ops->submit(bk, req);
}

struct zram_bd_sync {
	struct zram_bd_req req;
	struct completion done;
	struct work_struct work;
	struct zram *zram;
};

static void zram_bd_sync_done(struct zram_bd_req *req)
{
	struct zram_bd_sync *s = container_of(req, struct zram_bd_sync, req);

	complete(&s->done);
}

static void zram_bd_sync_run(struct zram_bd_sync *s)
{
	zram_bd_submit(s->zram, &s->req);
	wait_for_completion_io(&s->done);
}

static void zram_bd_sync_work(struct work_struct *work)
{
	zram_bd_sync_run(container_of(work, struct zram_bd_sync, work));
}

/*
 * One page to or from block @blk, waiting for it. Called from inside
 * our ->submit_bio, a bio we submitted would only be queued until we
 * return (current->bio_list), so waiting for it here would never end:
 * then the wait happens in a worker instead.
 */
int zram_bd_rw(struct zram *zram, unsigned long blk, struct page *page,
	       enum req_op op)
{
	struct zram_bd_sync s = {
		.req = { .page = page, .blk = blk, .op = op,
			 .done = zram_bd_sync_done },
		.zram = zram,
	};

	init_completion(&s.done);
	if (!current->bio_list) {
		zram_bd_sync_run(&s);
		return s.req.err;
	}
	INIT_WORK_ONSTACK(&s.work, zram_bd_sync_work);
	queue_work(zram->backing->wq, &s.work);
	flush_work(&s.work);
	destroy_work_on_stack(&s.work);
	return s.req.err;
}

HZ_EXPORT_IF_KUNIT(zram_bd_rw);

/* ------------------------------ mapping ------------------------------ */

/*
 * Where page @pg of the file starts on the device, in sectors; 0 if the
 * page cannot be used as one piece (its blocks are not contiguous), or
 * a negative errno: -ENODATA for a hole, -EINVAL if the filesystem has
 * no bmap.
 */
static s64 zram_file_page_sector(struct inode *inode, pgoff_t pg)
{
	unsigned int blkbits = inode->i_blkbits;
	unsigned int per_page = 1U << (PAGE_SHIFT - blkbits);
	sector_t first = (sector_t)pg << (PAGE_SHIFT - blkbits);
	sector_t start = 0;
	unsigned int i;

	for (i = 0; i < per_page; i++) {
		sector_t b = first + i;
		int ret = bmap(inode, &b);

		if (ret)
			return -EINVAL;
		if (!b)
			return -ENODATA;
		if (!i)
			start = b;
		else if (b != start + i)
			return 0;
	}
	return (s64)start << (blkbits - SECTOR_SHIFT);
}

/*
 * Walk the file's pages and build its extents. Called twice: once with
 * @ext NULL to count extents, once to fill them. Pages whose blocks are
 * not contiguous are left out, as swapon leaves them out. Returns the
 * number of extents, or a negative errno with @why set.
 */
static long zram_file_extents(struct inode *inode, pgoff_t npages,
			      struct zram_bd_extent *ext,
			      unsigned long *nr_blocks, const char **why)
{
	sector_t per = PAGE_SIZE >> SECTOR_SHIFT;
	unsigned long blocks = 0;
	long n = 0;
	sector_t next = 0;
	pgoff_t pg;

	for (pg = 0; pg < npages; pg++) {
		s64 s = zram_file_page_sector(inode, pg);

		if (s == -EINVAL) {
			*why = "its filesystem cannot map blocks (no bmap)";
			return -EINVAL;
		}
		if (s == -ENODATA) {
			*why = "it has holes or unwritten extents (write it with dd)";
			return -EINVAL;
		}
		if (s > 0) {
			if (!n || (sector_t)s != next) {
				if (ext)
					ext[n] = (struct zram_bd_extent){
						.first = blocks, .sector = s };
				n++;
			}
			if (ext)
				ext[n - 1].nr++;
			next = s + per;
			blocks++;
		}
		if (fatal_signal_pending(current)) {
			*why = "interrupted";
			return -EINTR;
		}
		cond_resched();
	}
	*nr_blocks = blocks;
	return n;
}

static int zram_file_map(struct zram_backing *bk, struct inode *inode,
			 const char **why)
{
	pgoff_t npages = i_size_read(inode) >> PAGE_SHIFT;
	unsigned long nr_blocks;
	long n;

	if (!inode->i_sb->s_bdev) {
		*why = "its filesystem is not on a block device";
		return -EINVAL;
	}
	if (inode->i_blkbits > PAGE_SHIFT) {
		*why = "its filesystem's blocks are larger than a page";
		return -EINVAL;
	}
	/* Delayed allocation: blocks exist only once the data is written. */
	filemap_write_and_wait(inode->i_mapping);
	n = zram_file_extents(inode, npages, NULL, &nr_blocks, why);
	if (n < 0)
		return n;
	if (!n) {
		*why = "it has no page-sized run of blocks";
		return -EINVAL;
	}
	bk->extents = kvcalloc(n, sizeof(*bk->extents), GFP_KERNEL);
	if (!bk->extents) {
		*why = "out of memory";
		return -ENOMEM;
	}
	/* S_SWAPFILE is set, so the mapping cannot have changed. */
	n = zram_file_extents(inode, npages, bk->extents, &nr_blocks, why);
	if (n < 0)
		return n;
	bk->nr_extents = n;
	/* A slot keeps its block number in 32 bits: the rest goes unused. */
	bk->nr_blocks = min_t(unsigned long, nr_blocks, U32_MAX);
	bk->bdev = inode->i_sb->s_bdev;
	return 0;
}

/* Mark @inode as ours, as swapon does; refuse one that already is. */
static int zram_file_claim(struct inode *inode, const char **why)
{
	int ret = 0;

	inode_lock(inode);
	if (IS_SWAPFILE(inode)) {
		*why = "it is a swap file, or another zram's backing file";
		ret = -EBUSY;
	} else {
		inode->i_flags |= S_SWAPFILE;
	}
	inode_unlock(inode);
	return ret;
}

static void zram_file_unclaim(struct inode *inode)
{
	inode_lock(inode);
	inode->i_flags &= ~S_SWAPFILE;
	inode_unlock(inode);
	/* We wrote below the page cache: drop what it may hold. */
	invalidate_mapping_pages(inode->i_mapping, 0, -1);
}

/* Free a store that is not (or no longer) installed. */
static void zram_backing_free(struct zram_backing *bk)
{
	if (!bk)
		return;
	if (bk->wq)
		destroy_workqueue(bk->wq);
	if (bk->ops && bk->ops->release)
		bk->ops->release(bk);
	if (bk->is_file)
		zram_file_unclaim(file_inode(bk->file));
	if (bk->file)
		filp_close(bk->file, NULL);
	kvfree(bk->extents);
	kvfree(bk->bitmap);
	kfree(bk);
}

/*
 * Give @bk its bitmap and worker queue and make it @zram's store. For
 * the block device and file stores here, and for the in-memory store of
 * test builds. Caller holds init_lock for writing; the device is not
 * initialised. On failure @bk is freed.
 */
int zram_backing_install(struct zram *zram, struct zram_backing *bk)
{
	bk->bitmap = kvcalloc(BITS_TO_LONGS(bk->nr_blocks), sizeof(long),
			      GFP_KERNEL);
	bk->wq = alloc_workqueue("zram%d_wb", WQ_MEM_RECLAIM | WQ_UNBOUND, 0,
				 zram->id);
	if (!bk->bitmap || !bk->wq) {
		zram_backing_free(bk);
		return -ENOMEM;
	}
	zram_backing_detach(zram);
	zram->backing = bk;
	return 0;
}

HZ_EXPORT_IF_KUNIT(zram_backing_install);

/*
 * backing_dev: attach the block device or regular file at @path.
 * Caller holds init_lock for writing on an uninitialised device.
 */
int zram_backing_attach(struct zram *zram, const char *path)
{
	const char *why = NULL;
	struct zram_backing *bk;
	struct inode *inode;
	int ret;

	bk = kzalloc(sizeof(*bk), GFP_KERNEL);
	if (!bk)
		return -ENOMEM;
	bk->ops = &zram_bdev_ops;
	/* O_EXCL makes a block device ours alone; files ignore it. */
	bk->file = filp_open(path, O_RDWR | O_LARGEFILE | O_EXCL, 0);
	if (IS_ERR(bk->file)) {
		ret = PTR_ERR(bk->file);
		bk->file = NULL;
		why = "it cannot be opened for exclusive read-write";
		goto err;
	}
	inode = file_inode(bk->file);
	if (S_ISBLK(inode->i_mode)) {
		bk->bdev = I_BDEV(bk->file->f_mapping->host);
		/* As for a file: 32 bits of block number in a slot. */
		bk->nr_blocks = min_t(u64, bdev_nr_bytes(bk->bdev) >> PAGE_SHIFT,
				      U32_MAX);
		bk->extents = kzalloc(sizeof(*bk->extents), GFP_KERNEL);
		if (!bk->extents) {
			ret = -ENOMEM;
			goto err;
		}
		bk->extents[0].nr = bk->nr_blocks;
		bk->nr_extents = 1;
	} else if (S_ISREG(inode->i_mode)) {
		ret = zram_file_claim(inode, &why);
		if (ret)
			goto err;
		bk->is_file = true;
		ret = zram_file_map(bk, inode, &why);
		if (ret)
			goto err;
	} else {
		ret = -ENOTBLK;
		why = "it is neither a block device nor a regular file";
		goto err;
	}
	/* Also what keeps a device from backing itself (its size is 0). */
	if (!bk->nr_blocks) {
		ret = -EINVAL;
		why = "it is smaller than a page";
		goto err;
	}
	ret = zram_backing_install(zram, bk);
	if (ret)
		return ret;
	pr_info("zram%d: backing %s %s: %lu blocks of %lu bytes in %u extent%s\n",
		zram->id, bk->is_file ? "file" : "device", path,
		bk->nr_blocks, PAGE_SIZE, bk->nr_extents,
		bk->nr_extents == 1 ? "" : "s");
	return 0;

err:
	pr_err("zram%d: cannot use %s as backing_dev (%d): %s\n", zram->id,
	       path, ret, why ? why : "out of memory");
	zram_backing_free(bk);
	return ret;
}

/*
 * Drop the store (reset, or a new backing_dev). Every slot must have
 * given its block back already: the table is gone or never was.
 */
void zram_backing_detach(struct zram *zram)
{
	struct zram_backing *bk = zram->backing;

	if (!bk)
		return;
	zram->backing = NULL;
	zram_backing_free(bk);
}

HZ_EXPORT_IF_KUNIT(zram_backing_detach);

/* backing_dev's show: the path, or "none". Caller holds init_lock. */
ssize_t zram_backing_show(struct zram *zram, char *buf)
{
	struct zram_backing *bk = zram->backing;
	char *p;
	int n;

	if (!bk || !bk->file)
		return sysfs_emit(buf, bk ? "(test store)\n" : "none\n");
	p = file_path(bk->file, buf, PAGE_SIZE - 1);
	if (IS_ERR(p))
		return PTR_ERR(p);
	n = strlen(p);
	memmove(buf, p, n);
	buf[n++] = '\n';
	return n;
}
