// SPDX-License-Identifier: GPL-2.0
/*
 * hzram test hooks: ways for tests to damage what a device has stored,
 * so that the checks meant to catch damage can be shown to catch it.
 * Built only into test builds (a KUnit kernel, or make HZ_TEST_HOOKS=1;
 * see Kbuild), never into a production module.
 *
 *   debugfs corrupt  "N": one bit of what block N stored in the pool
 *                    (or on the backing device, once written back) is
 *                    flipped; "handle N": block N's handle record is
 *                    damaged so the allocator refuses it (written again,
 *                    repaired)
 *   a memory store   an in-memory backing store for the KUnit suites,
 *                    which can fail reads and writes on request and
 *                    run a test's hook in the middle of a write
 *
 * Lock order: zram->init_lock (read) -> slot lock -> allocator locks.
 */

#define pr_fmt(fmt) "zram: " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "hz_kunit.h"
#include "hzs_pool.h"
#include "hzs_test_hooks.h"
#include "zram_drv.h"
#include "zram_wb.h"

/* Flip a bit in the first @size bytes of backing block @blk. */
static int zram_corrupt_block(struct zram *zram, unsigned long blk,
			      size_t size)
{
	struct page *page = alloc_page(GFP_KERNEL);
	u8 *mem;
	int ret;

	if (!page)
		return -ENOMEM;
	ret = zram_bd_rw(zram, blk, page, REQ_OP_READ);
	if (!ret) {
		mem = kmap_local_page(page);
		mem[size / 2] ^= 0x10;
		kunmap_local(mem);
		ret = zram_bd_rw(zram, blk, page, REQ_OP_WRITE);
	}
	__free_page(page);
	return ret;
}

/*
 * Flip one bit in the middle of slot @index's stored object, to prove
 * the checksum option end to end. Caller holds init_lock for reading
 * and has checked the device is set up and @index is in range.
 */
int zram_corrupt_slot(struct zram *zram, u32 index)
{
	struct zram_slot *slot = zram_slot_get(zram, index);
	size_t size;
	u8 *buf;
	int ret = 0;

	if (!slot)
		return -ENOENT;	/* an absent chunk: nothing stored */

	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	zram_slot_lock(zram, index);
	size = zram_slot_size(slot);
	if (zram_slot_test(slot, ZRAM_WB)) {
		ret = zram_corrupt_block(zram, slot->handle, size);
		if (!ret)
			pr_info("zram%d: corrupted block %u (backing block %u) on request\n",
				zram->id, index, slot->handle);
	} else if (zram_slot_test(slot, ZRAM_SAME) || !slot->handle || !size ||
		   size > PAGE_SIZE) {
		ret = -ENOENT;	/* nothing stored to damage */
	} else if (hzs_read(zram->pool, slot->handle, buf, size)) {
		ret = -EIO;
	} else {
		buf[size / 2] ^= 0x10;
		ret = hzs_write(zram->pool, slot->handle, buf, size);
		if (!ret)
			pr_info("zram%d: corrupted block %u (handle %#x) on request\n",
				zram->id, index, slot->handle);
	}
	zram_slot_unlock(zram, index);
	kfree(buf);
	return ret;
}

HZ_EXPORT_IF_KUNIT(zram_corrupt_slot);

/*
 * Toggle damage to the handle record of slot @index's object, so that
 * the allocator refuses the handle (doing it again repairs it). The
 * slot itself is left alone: this is damage the driver cannot see until
 * the allocator tells it. Same locking as zram_corrupt_slot().
 */
static int zram_corrupt_handle(struct zram *zram, u32 index)
{
	struct zram_slot *slot = zram_slot_get(zram, index);
	int ret = 0;

	if (!slot)
		return -ENOENT;

	zram_slot_lock(zram, index);
	if (zram_slot_test(slot, ZRAM_SAME) || !slot->handle) {
		ret = -ENOENT;
	} else {
		hzs_test_corrupt(zram->pool, slot->handle, false, 0x1);
		pr_info("zram%d: toggled damage to the handle of block %u (%#x) on request\n",
			zram->id, index, slot->handle);
	}
	zram_slot_unlock(zram, index);
	return ret;
}

/*
 * "corrupt": "N" flips a stored bit of block N (the checksum option's
 * proof), "handle N" toggles damage to its handle (the read path's proof
 * that a refused handle is an I/O error). Root-only, not an ABI.
 */
static ssize_t zram_corrupt_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	struct zram *zram = file->private_data;
	bool handle = false;
	char buf[32], *p;
	u32 index;
	int ret;

	if (!count || count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	p = strim(buf);
	if (str_has_prefix(p, "handle ")) {
		handle = true;
		p = skip_spaces(p + strlen("handle "));
	}
	ret = kstrtou32(p, 0, &index);
	if (ret)
		return ret;
	down_read(&zram->init_lock);
	if (!zram_init_done(zram))
		ret = -ENODEV;
	else if (index >= zram->nr_pages)
		ret = -EINVAL;
	else if (handle)
		ret = zram_corrupt_handle(zram, index);
	else
		ret = zram_corrupt_slot(zram, index);
	up_read(&zram->init_lock);
	return ret ? ret : count;
}

static const struct file_operations zram_corrupt_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.write	= zram_corrupt_write,
};

void zram_test_hooks_debugfs(struct zram *zram)
{
	debugfs_create_file("corrupt", 0200, zram->debugfs_dir, zram,
			    &zram_corrupt_fops);
}

/* ---------------------------- chunk faults --------------------------- */

/*
 * Fail the @nth next chunk allocation of @zram (1: the next one) as if
 * kmalloc had, and none after it; 0 disarms. For the KUnit suites.
 */
void zram_test_chunk_fail_nth(struct zram *zram, unsigned int nth)
{
	atomic_set(&zram->chunk_fail_nth, nth);
}

HZ_EXPORT_IF_KUNIT(zram_test_chunk_fail_nth);

/* zram_chunk_get(): should this allocation fail? */
bool zram_test_chunk_fail(struct zram *zram)
{
	if (likely(!atomic_read(&zram->chunk_fail_nth)))
		return false;
	return atomic_dec_and_test(&zram->chunk_fail_nth);
}

/*
 * Make the next chunk allocation of @zram lose the race to publish: a
 * second writer gets the same chunk in first, between the first one's
 * allocation and its cmpxchg. Deterministic, on one CPU, so the loser's
 * path (give back its chunk and checksums, count nothing) always runs.
 */
void zram_test_chunk_race_arm(struct zram *zram)
{
	atomic_set(&zram->chunk_race, 1);
}

HZ_EXPORT_IF_KUNIT(zram_test_chunk_race_arm);

/* zram_chunk_get(), its chunk ready but not published: the rival. */
void zram_test_chunk_race(struct zram *zram, u32 index)
{
	if (likely(atomic_read(&zram->chunk_race) != 1) ||
	    atomic_cmpxchg(&zram->chunk_race, 1, 0) != 1)
		return;
	/* 2 tells the test the rival's chunk is the one published. */
	if (!zram_chunk_get(zram, index) && zram_chunk(zram, index))
		atomic_set(&zram->chunk_race, 2);
}

/* ---------------------------- memory store --------------------------- */

struct zram_mem_store {
	struct page **pages;		/* one per block, allocated on demand */
	unsigned long nr;
	struct zram_mem_faults *faults;
};

static void zram_mem_submit(struct zram_backing *bk, struct zram_bd_req *req)
{
	struct zram_mem_store *ms = bk->test_store;
	struct zram_mem_faults *f = ms->faults;
	struct page **slot = &ms->pages[req->blk];
	bool write = req->op == REQ_OP_WRITE;
	void *src, *dst;

	req->err = 0;
	if (write && f->hook)
		f->hook(f, req->blk);
	if (write ? atomic_add_unless(&f->fail_writes, -1, 0) :
		    atomic_add_unless(&f->fail_reads, -1, 0)) {
		req->err = -EIO;
	} else if (write) {
		if (!*slot)
			*slot = alloc_page(GFP_NOIO | __GFP_ZERO);
		if (!*slot) {
			req->err = -ENOMEM;
		} else {
			src = kmap_local_page(req->page);
			dst = kmap_local_page(*slot);
			memcpy(dst, src, PAGE_SIZE);
			kunmap_local(dst);
			kunmap_local(src);
		}
	} else {
		dst = kmap_local_page(req->page);
		if (*slot) {
			src = kmap_local_page(*slot);
			memcpy(dst, src, PAGE_SIZE);
			kunmap_local(src);
		} else {
			memset(dst, 0, PAGE_SIZE);
		}
		kunmap_local(dst);
	}
	if (write)
		atomic_inc(&f->writes);
	else
		atomic_inc(&f->reads);
	req->done(req);
}

static void zram_mem_release(struct zram_backing *bk)
{
	struct zram_mem_store *ms = bk->test_store;
	unsigned long i;

	if (!ms)
		return;
	for (i = 0; i < ms->nr; i++)
		if (ms->pages[i])
			__free_page(ms->pages[i]);
	kvfree(ms->pages);
	kfree(ms);
}

static const struct zram_bd_ops zram_mem_ops = {
	.submit		= zram_mem_submit,
	.release	= zram_mem_release,
};

/*
 * Give an uninitialised @zram an in-memory backing store of @nr_blocks
 * blocks, faults as @faults says (the caller's, alive as long as the
 * store). Caller holds init_lock for writing, or owns @zram.
 */
int zram_test_attach_mem(struct zram *zram, unsigned long nr_blocks,
			 struct zram_mem_faults *faults)
{
	struct zram_mem_store *ms;
	struct zram_backing *bk;

	bk = kzalloc(sizeof(*bk), GFP_KERNEL);
	ms = kzalloc(sizeof(*ms), GFP_KERNEL);
	if (ms)
		ms->pages = kvcalloc(nr_blocks, sizeof(*ms->pages),
				     GFP_KERNEL);
	if (!bk || !ms || !ms->pages) {
		if (ms)
			kvfree(ms->pages);
		kfree(ms);
		kfree(bk);
		return -ENOMEM;
	}
	ms->nr = nr_blocks;
	ms->faults = faults;
	bk->ops = &zram_mem_ops;
	bk->test_store = ms;
	bk->nr_blocks = nr_blocks;
	bk->extents = kzalloc(sizeof(*bk->extents), GFP_KERNEL);
	if (bk->extents) {
		bk->extents[0].nr = nr_blocks;
		bk->nr_extents = 1;
	}
	if (!bk->extents) {
		zram_mem_release(bk);
		kfree(bk);
		return -ENOMEM;
	}
	return zram_backing_install(zram, bk);
}

HZ_EXPORT_IF_KUNIT(zram_test_attach_mem);
