/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hzram writeback: the backing store (zram_backing.c) and moving slots
 * to it and back (zram_wb.c).
 *
 * The backing store is a block device, or a regular file whose blocks
 * are mapped once at attach time (as swapon maps a swap file). Either
 * way it is seen as nr_blocks PAGE_SIZE blocks, block n living at
 * zram_bd_sector(bk, n) of @bdev; I/O goes to @bdev directly, never
 * through a page cache.
 *
 * Locks: none of its own beyond the bitmap's atomic bit operations and
 * zram->wb_limit_lock, a spinlock taken innermost (nothing is taken
 * under it). The backing store itself is [I] in struct zram: attached
 * and detached only with init_lock held for writing on an
 * uninitialised device, so the I/O path uses it without locks.
 */
#ifndef _HZRAM_ZRAM_WB_H
#define _HZRAM_ZRAM_WB_H

#include <linux/blk_types.h>
#include <linux/completion.h>
#include <linux/atomic.h>
#include <linux/types.h>

struct zram;
struct zram_backing;
struct page;
struct file;
struct workqueue_struct;

/* A run of backing blocks that are contiguous on the backing bdev. */
struct zram_bd_extent {
	unsigned long first;	/* first block of the run */
	unsigned long nr;	/* blocks in the run */
	sector_t sector;	/* where block @first starts */
};

/* One PAGE_SIZE transfer between a page and a backing block. */
struct zram_bd_req {
	struct page *page;
	unsigned long blk;
	enum req_op op;		/* REQ_OP_READ or REQ_OP_WRITE */
	int err;		/* set before @done is called */
	/* Completion; may be called in interrupt context. */
	void (*done)(struct zram_bd_req *req);
	void *private;		/* the submitter's */
	struct bio bio;		/* block device store only */
	struct bio_vec bvec;
};

/*
 * How blocks are moved. The block device store is the only one in a
 * production module; test builds add an in-memory store that can be
 * told to fail (zram_test_hooks.c), for the KUnit suites.
 */
struct zram_bd_ops {
	void (*submit)(struct zram_backing *bk, struct zram_bd_req *req);
	void (*release)(struct zram_backing *bk);
};

struct zram_backing {
	const struct zram_bd_ops *ops;
	struct file *file;		/* what the user named, held open */
	struct block_device *bdev;	/* where the blocks are */
	bool is_file;			/* a regular file we marked S_SWAPFILE */
	unsigned long nr_blocks;
	unsigned long *bitmap;		/* bit set = block holds a slot */
	unsigned long hint;		/* where the next search starts */
	struct zram_bd_extent *extents;
	unsigned int nr_extents;
	/*
	 * Synchronous reads issued from inside our own ->submit_bio (a
	 * swap-in of a written-back page) cannot wait for a bio submitted
	 * from the same context: they are handed to this queue. It has a
	 * rescuer (WQ_MEM_RECLAIM): swap-in under memory pressure needs it.
	 */
	struct workqueue_struct *wq;
	void *test_store;		/* the in-memory store's pages */
};

/* ---- zram_backing.c ---- */
int zram_backing_attach(struct zram *zram, const char *path);
void zram_backing_detach(struct zram *zram);
ssize_t zram_backing_show(struct zram *zram, char *buf);
bool zram_bd_alloc(struct zram *zram, unsigned long *blk);
void zram_bd_free(struct zram *zram, unsigned long blk);
sector_t zram_bd_sector(const struct zram_backing *bk, unsigned long blk);
int zram_bd_rw(struct zram *zram, unsigned long blk, struct page *page,
	       enum req_op op);
void zram_bd_submit(struct zram *zram, struct zram_bd_req *req);
int zram_backing_install(struct zram *zram, struct zram_backing *bk);

/* ---- zram_wb.c ---- */

/* What a writeback request selects, beyond "stored and in memory". */
#define ZRAM_WB_IDLE		BIT(0)
#define ZRAM_WB_HUGE		BIT(1)
#define ZRAM_WB_INCOMPRESSIBLE	BIT(2)

/* writeback_batch_size: default and upper bound. */
#define ZRAM_WB_BATCH_DEFAULT	32
#define ZRAM_WB_BATCH_MAX	256

int zram_writeback(struct zram *zram, unsigned int mode, u32 first,
		   u32 last);
int zram_wb_read(struct zram *zram, u32 index, struct page *page);
int zram_wb_read_async(struct zram *zram, u32 index, struct page *page,
		       struct bio *parent);
#ifdef HZ_TEST_HOOKS
/*
 * The in-memory store's faults and counters (zram_test_hooks.c). The
 * next @fail_writes writes and @fail_reads reads fail with -EIO; @hook,
 * if set, runs at the start of every write, with no zram lock held: it
 * is how a test makes something happen to a slot while its writeback
 * is in flight.
 */
struct zram_mem_faults {
	atomic_t fail_writes;
	atomic_t fail_reads;
	atomic_t writes;
	atomic_t reads;
	void (*hook)(struct zram_mem_faults *f, unsigned long blk);
	void *ctx;			/* the hook's */
};

int zram_test_attach_mem(struct zram *zram, unsigned long nr_blocks,
			 struct zram_mem_faults *faults);
#endif

/* Units of writeback_limit per page written back (the limit is in 4K). */
#define ZRAM_WB_LIMIT_UNITS	(1UL << (PAGE_SHIFT - 12))

#endif /* _HZRAM_ZRAM_WB_H */
