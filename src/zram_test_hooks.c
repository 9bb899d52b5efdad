// SPDX-License-Identifier: GPL-2.0
/*
 * hzram test hooks: ways for tests to damage what a device has stored,
 * so that the checks meant to catch damage can be shown to catch it.
 * Built only into test builds (a KUnit kernel, or make HZ_TEST_HOOKS=1;
 * see Kbuild), never into a production module.
 *
 *   debugfs corrupt  write a block index: one bit of what that block
 *                    stored in the pool is flipped
 *
 * Lock order: zram->init_lock (read) -> slot lock -> allocator locks.
 */

#define pr_fmt(fmt) "zram: " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "hz_kunit.h"
#include "hzs_pool.h"
#include "zram_drv.h"

/*
 * Flip one bit in the middle of slot @index's stored object, to prove
 * the checksum option end to end. Caller holds init_lock for reading
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

/*
 * "corrupt": write a block index to flip a bit of what that block has
 * stored in the pool. It exists to prove the checksum option end to
 * end; like the rest of debugfs it is root-only and not an ABI.
 */
static ssize_t zram_corrupt_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	struct zram *zram = file->private_data;
	u32 index;
	int ret;

	ret = kstrtou32_from_user(ubuf, count, 0, &index);
	if (ret)
		return ret;
	down_read(&zram->init_lock);
	if (!zram_init_done(zram))
		ret = -ENODEV;
	else if (index >= zram->nr_pages)
		ret = -EINVAL;
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
