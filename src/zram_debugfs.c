// SPDX-License-Identifier: GPL-2.0
/*
 * hzram debugfs, /sys/kernel/debug/zram/zramN/:
 *
 *   block_state  one line per allocated slot, upstream's format
 *   verify       a whole-device consistency check (zram_verify())
 *
 * The allocator adds its own files to the same directory when a device
 * is initialised (hzs_debugfs.c), and test builds add "corrupt"
 * (zram_test_hooks.c). Like all of debugfs, these are root-only and not
 * an ABI.
 *
 * Lock order: zram->init_lock (read) -> slot lock -> allocator locks.
 * Every file here takes init_lock for reading, so the table and pool
 * cannot be freed under it, and each slot lock in turn.
 */

#define pr_fmt(fmt) "zram: " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "hz_kunit.h"
#include "hzs_pool.h"
#include "zram_drv.h"
#include "zram_wb.h"

static struct dentry *zram_debugfs_root;

/* Problems beyond this many are counted but not described one by one. */
#define ZRAM_VERIFY_REPORTS	16

struct zram_verify_state {
	struct zram *zram;
	void *buf;		/* PAGE_SIZE, for re-reading objects */
	unsigned long problems;
	u64 stored, same, huge, objs, bytes, summed;
	u64 wb;			/* written-back slots */
	struct page *page;	/* lowmem, for reading backing blocks */
	unsigned long *blocks;	/* backing blocks the slots hold, or NULL */
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

/*
 * A written-back slot: its block must be in the backing store, taken in
 * the bitmap, and held by no other slot.
 */
static void zram_verify_wb_slot(struct zram_verify_state *vs, u32 index)
{
	struct zram *zram = vs->zram;
	struct zram_slot *slot = zram_slot(zram, index);
	struct zram_backing *bk = zram->backing;
	unsigned long blk = slot->handle;
	size_t size = zram_slot_size(slot);

	vs->stored++;
	vs->wb++;
	if (zram_slot_test(slot, ZRAM_SAME) || zram_slot_test(slot, ZRAM_HUGE) ||
	    zram_slot_test(slot, ZRAM_UNDER_WB) || !size || size > PAGE_SIZE)
		zram_verify_bad(vs, "block %u: written back, size %zu, flags %#x",
				index, size, slot->flags);
	if (!bk || blk >= bk->nr_blocks) {
		zram_verify_bad(vs, "block %u: backing block %lu does not exist",
				index, blk);
		return;
	}
	if (!test_bit(blk, bk->bitmap))
		zram_verify_bad(vs, "block %u: backing block %lu is free in the bitmap",
				index, blk);
	if (vs->blocks && __test_and_set_bit(blk, vs->blocks))
		zram_verify_bad(vs, "block %u: backing block %lu is held twice",
				index, blk);
	if (!zram->checksum || !vs->page || size > PAGE_SIZE)
		return;
	/* The block's bytes, as the read path would check them. */
	if (zram_bd_rw(zram, blk, vs->page, REQ_OP_READ)) {
		zram_verify_bad(vs, "block %u: backing block %lu cannot be read",
				index, blk);
		return;
	}
	vs->summed++;
	if (zram_csum(page_address(vs->page), size, index) !=
	    *zram_slot_csum(zram, index))
		zram_verify_bad(vs, "block %u: checksum mismatch (backing block %lu)",
				index, blk);
}

/* One slot; its lock held. */
static void zram_verify_slot(struct zram_verify_state *vs, u32 index)
{
	struct zram *zram = vs->zram;
	struct zram_slot *slot = zram_slot(zram, index);
	size_t size = zram_slot_size(slot);

	if (zram_slot_test(slot, ZRAM_SAME)) {
		vs->stored++;
		vs->same++;
		if (size || zram_slot_test(slot, ZRAM_HUGE))
			zram_verify_bad(vs, "block %u: pattern, size %zu, flags %#x",
					index, size, slot->flags);
		return;
	}
	if (zram_slot_test(slot, ZRAM_WB)) {
		zram_verify_wb_slot(vs, index);
		return;
	}
	if (zram_slot_test(slot, ZRAM_UNDER_WB))
		zram_verify_bad(vs, "block %u: under writeback on a quiet device",
				index);
	if (!slot->handle) {
		if (slot->flags & (ZRAM_SIZE_MASK | ZRAM_CONTENT_FLAGS))
			zram_verify_bad(vs, "block %u: empty, flags %#x",
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
		zram_verify_bad(vs, "block %u: %#x is no live %zu-byte object",
				index, slot->handle, size);
		return;
	}
	if (!zram->checksum)
		return;
	if (hzs_read(zram->pool, slot->handle, vs->buf, size)) {
		zram_verify_bad(vs, "block %u: %#x cannot be read",
				index, slot->handle);
		return;
	}
	vs->summed++;
	if (zram_csum(vs->buf, size, index) != *zram_slot_csum(zram, index))
		zram_verify_bad(vs, "block %u: checksum mismatch (handle %#x)",
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
	unsigned long index, end = zram->nr_pages, c, chunks = 0;

	vs.buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!vs.buf)
		return -ENOMEM;
	if (zram->backing) {
		vs.blocks = kvcalloc(BITS_TO_LONGS(zram->backing->nr_blocks),
				     sizeof(long), GFP_KERNEL);
		vs.page = alloc_page(GFP_KERNEL);
		if (!vs.blocks || !vs.page) {
			kvfree(vs.blocks);
			if (vs.page)
				__free_page(vs.page);
			kfree(vs.buf);
			return -ENOMEM;
		}
	}
	for (index = zram_slot_next(zram, 0, end); index < end;
	     index = zram_slot_next(zram, index + 1, end)) {
		zram_slot_lock(zram, index);
		zram_verify_slot(&vs, index);
		zram_slot_unlock(zram, index);
		cond_resched();
	}
	/* Every chunk the directory holds is counted, and only those. */
	for (c = 0; c < zram->nr_chunks; c++)
		chunks += !!zram_chunk(zram, c * ZRAM_CHUNK_SLOTS);
	if (chunks != atomic_long_read(&zram->stats.chunks))
		zram_verify_bad(&vs, "%lu chunks in the directory, %ld counted",
				chunks,
				atomic_long_read(&zram->stats.chunks));
	kfree(vs.buf);
	if (zram->backing) {
		struct zram_backing *bk = zram->backing;
		unsigned long used = bitmap_weight(bk->bitmap, bk->nr_blocks);

		/* Blocks taken that no slot holds have leaked. */
		if (used != vs.wb)
			zram_verify_bad(&vs, "%lu backing blocks in use, %llu written-back slots",
					used, vs.wb);
		zram_verify_stat(&vs, "bd_count", &zram->stats.bd_count, used);
		kvfree(vs.blocks);
		__free_page(vs.page);
	} else if (vs.wb) {
		zram_verify_bad(&vs, "%llu written-back slots, no backing store",
				vs.wb);
	}
	if (atomic64_read(&zram->stats.bd_double_free))
		zram_verify_bad(&vs, "%lld backing blocks were freed twice",
				(s64)atomic64_read(&zram->stats.bd_double_free));

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
	seq_printf(m, "slots %llu same %llu objects %llu huge %llu bytes %llu checksummed %llu pool_problems %lu written_back %llu chunks %lu chunk_bytes %zu pool_pages %llu\n",
		   vs.stored, vs.same, vs.objs, vs.huge, vs.bytes, vs.summed,
		   pool_problems, vs.wb, chunks, zram->chunk_alloc,
		   hzs_pool_total_pages(zram->pool));
	return vs.problems;
}

HZ_EXPORT_IF_KUNIT(zram_verify);

/* Upper bound on one read's kernel buffer; userspace just reads again. */
#define ZRAM_BLOCK_STATE_CHUNK	(16 * PAGE_SIZE)

/*
 * One line per allocated slot, in upstream's format: index, access time
 * and the flags s(ame) w(ritten back) h(uge) i(dle) r(ecompressed)
 * n(incompressible). *ppos counts slots, not bytes.
 */
static ssize_t zram_block_state_read(struct file *file, char __user *ubuf,
				     size_t count, loff_t *ppos)
{
	struct zram *zram = file->private_data;
	size_t written = 0;
	ssize_t ret;
	loff_t index;
	char *kbuf;

	count = min_t(size_t, count, ZRAM_BLOCK_STATE_CHUNK);
	kbuf = kvmalloc(count, GFP_KERNEL);
	if (!kbuf)
		return -ENOMEM;

	down_read(&zram->init_lock);
	if (!zram_init_done(zram)) {
		ret = -EINVAL;
		goto out_unlock;
	}
	for (index = *ppos; index >= 0 && index < zram->nr_pages; index++) {
		struct zram_slot *slot;
		char line[80];
		int len = 0;

		/* Absent chunks have no allocated slot to list. */
		index = zram_slot_next(zram, index, zram->nr_pages);
		if (index >= zram->nr_pages) {
			*ppos = index;
			break;
		}
		slot = zram_slot(zram, index);

		zram_slot_lock(zram, index);
		if (zram_slot_allocated(slot)) {
			len = scnprintf(line, sizeof(line),
					"%12zd %12lld.%06lu %c%c%c%c%c%c\n",
					(ssize_t)index,
					(s64)zram_slot_actime(slot), 0UL,
					zram_slot_test(slot, ZRAM_SAME) ? 's' : '.',
					zram_slot_test(slot, ZRAM_WB) ? 'w' : '.',
					zram_slot_test(slot, ZRAM_HUGE) ? 'h' : '.',
					zram_slot_test(slot, ZRAM_IDLE) ? 'i' : '.',
					(slot->flags & (BIT(ZRAM_PRIO_BIT0) |
							BIT(ZRAM_PRIO_BIT1))) ?
						'r' : '.',
					zram_slot_test(slot, ZRAM_INCOMPRESSIBLE) ?
						'n' : '.');
		}
		zram_slot_unlock(zram, index);
		if (written + len > count)
			break;
		memcpy(kbuf + written, line, len);
		written += len;
		*ppos = index + 1;
		cond_resched();
	}
	ret = written;
out_unlock:
	up_read(&zram->init_lock);
	if (ret > 0 && copy_to_user(ubuf, kbuf, written))
		ret = -EFAULT;
	kvfree(kbuf);
	return ret;
}

static const struct file_operations zram_block_state_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.read	= zram_block_state_read,
	.llseek	= default_llseek,
};

/*
 * "verify": the whole-device consistency check (see zram_verify()). The
 * first number printed is the count of problems found, so a test can
 * read it without knowing the rest of the format.
 */
static int zram_verify_show(struct seq_file *m, void *unused)
{
	struct zram *zram = m->private;
	long ret = 0;

	down_read(&zram->init_lock);
	if (zram_init_done(zram))
		ret = zram_verify(zram, m);
	else
		seq_puts(m, "0 problems\nnot initialised\n");
	up_read(&zram->init_lock);
	return ret < 0 ? ret : 0;
}
DEFINE_SHOW_ATTRIBUTE(zram_verify);

void zram_debugfs_register(struct zram *zram)
{
	zram->debugfs_dir = debugfs_create_dir(zram->disk->disk_name,
					       zram_debugfs_root);
	debugfs_create_file("block_state", 0400, zram->debugfs_dir, zram,
			    &zram_block_state_fops);
	debugfs_create_file("verify", 0400, zram->debugfs_dir, zram,
			    &zram_verify_fops);
	zram_test_hooks_debugfs(zram);
}

/* After the pool is gone: its own files live in this directory. */
void zram_debugfs_unregister(struct zram *zram)
{
	debugfs_remove_recursive(zram->debugfs_dir);
	zram->debugfs_dir = NULL;
}

void zram_debugfs_module_init(void)
{
	zram_debugfs_root = debugfs_create_dir("zram", NULL);
}

void zram_debugfs_module_exit(void)
{
	debugfs_remove_recursive(zram_debugfs_root);
}
