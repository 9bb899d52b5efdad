// SPDX-License-Identifier: GPL-2.0
/*
 * hzram: a compressed RAM block device, compatible with zram.
 *
 * This file owns device life: module init and exit, creating and
 * removing devices (num_devices, the zram-control class), initialising
 * a device (disksize) and resetting it, and the debugfs files.
 *
 * Lock order: zram_index_mutex -> disk->open_mutex (dropped before the
 * next) -> zram->init_lock -> slot locks. See zram_drv.h for the whole
 * hierarchy and for what each lock protects.
 */

#define pr_fmt(fmt) "zram: " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/blkdev.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/jiffies.h>
#include <linux/kdev_t.h>
#include <linux/mutex.h>
#include <linux/part_stat.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "hz_compat.h"
#include "hz_plant.h"
#include "hzs_pool.h"
#include "zram_drv.h"

static unsigned int num_devices = 1;
module_param(num_devices, uint, 0);
MODULE_PARM_DESC(num_devices, "Number of pre-created zram devices");

/* Protects zram_index_idr; serialises hot_add, hot_remove and exit. */
static DEFINE_MUTEX(zram_index_mutex);
static DEFINE_IDR(zram_index_idr);

static int zram_major;
static struct dentry *zram_debugfs_root;

/* Matches upstream's default. */
static const char *const zram_default_comp = "lzo-rle";

/* How long reset and hot_remove wait for a transient opener to leave. */
#define ZRAM_CLAIM_WAIT_MS	1000
#define ZRAM_CLAIM_POLL_MS	20

/* ------------------------------ block ops ---------------------------- */

static int zram_open_disk(struct gendisk *disk)
{
	struct zram *zram = disk->private_data;

	lockdep_assert_held(&disk->open_mutex);
	/* A reset or removal owns the device until it is done. */
	return zram->claim ? -EBUSY : 0;
}

static int zram_open(HZ_BDEV_OPEN_ARG *arg, HZ_BDEV_OPEN_MODE mode)
{
	return zram_open_disk(hz_open_disk(arg));
}

static const struct block_device_operations zram_devops = {
	.owner			= THIS_MODULE,
	.open			= zram_open,
	.submit_bio		= zram_submit_bio,
	.swap_slot_free_notify	= zram_swap_slot_free_notify,
	HZ_BDOPS_RW_PAGE
};

/* ----------------------------- init/reset ---------------------------- */

int zram_init_device(struct zram *zram, u64 disksize)
{
	struct zcomp *comp;
	int ret;

	/* Slot indexes are u32; the check also keeps round_up() from wrapping. */
	if (!disksize || disksize > (u64)U32_MAX << PAGE_SHIFT)
		return -EINVAL;
	disksize = round_up(disksize, PAGE_SIZE);

	down_write(&zram->init_lock);
	if (zram_init_done(zram)) {
		ret = -EBUSY;
		goto out_unlock;
	}

	comp = zcomp_create(zram->comp_name, zram->comp_level);
	if (IS_ERR(comp)) {
		pr_err("%s: cannot set up %s compression (%ld)\n",
		       zram->disk->disk_name, zram->comp_name, PTR_ERR(comp));
		ret = PTR_ERR(comp);
		goto out_unlock;
	}
	/* Before the table: zram_meta_alloc() publishes the device. */
	zram->comp = comp;
	ret = zram_meta_alloc(zram, disksize);
	if (ret) {
		zram->comp = NULL;
		zcomp_destroy(comp);
		goto out_unlock;
	}
	hzs_pool_debugfs(zram->pool, zram->debugfs_dir);
	zram->disksize = disksize;
	set_capacity_and_notify(zram->disk, disksize >> SECTOR_SHIFT);
	ret = 0;
out_unlock:
	up_write(&zram->init_lock);
	return ret;
}

/* Back to the state hot_add left the device in. No I/O can be running. */
static void zram_reset_device(struct zram *zram)
{
	down_write(&zram->init_lock);
	set_capacity_and_notify(zram->disk, 0);
	part_stat_set_all(zram->disk->part0, 0);
	zram->disksize = 0;

	zram_meta_free(zram);
	zcomp_destroy(zram->comp);
	zram->comp = NULL;
	memset(&zram->stats, 0, sizeof(zram->stats));
	zram->limit_pages = 0;
	/* As upstream 6.12: a reset also forgets the algorithm choice. */
	zram->comp_name = zram_default_comp;
	zram->comp_level = ZCOMP_NO_LEVEL;
	zram->integrity = false;
	up_write(&zram->init_lock);
}

/*
 * Take the device away from openers for a reset or removal. A udev probe
 * may hold the device open for a moment after a change event, so wait a
 * little for openers to leave before giving up with -EBUSY. @patient
 * (module exit) waits for good: no opener can exist then, only a reset
 * that is finishing, and giving up would leave the device behind.
 */
static int zram_claim(struct zram *zram, bool patient)
{
	struct gendisk *disk = zram->disk;
	unsigned long deadline;

	deadline = jiffies + msecs_to_jiffies(ZRAM_CLAIM_WAIT_MS);
	for (;;) {
		mutex_lock(&disk->open_mutex);
		if (!disk_openers(disk) && !zram->claim) {
			zram->claim = true;
			mutex_unlock(&disk->open_mutex);
			return 0;
		}
		mutex_unlock(&disk->open_mutex);
		if (!patient &&
		    time_after(jiffies + msecs_to_jiffies(ZRAM_CLAIM_POLL_MS),
			       deadline))
			return -EBUSY;
		msleep(ZRAM_CLAIM_POLL_MS);
	}
}

static void zram_unclaim(struct zram *zram)
{
	mutex_lock(&zram->disk->open_mutex);
	zram->claim = false;
	mutex_unlock(&zram->disk->open_mutex);
}

int zram_reset(struct zram *zram)
{
	int ret;

	ret = zram_claim(zram, false);
	if (ret)
		return ret;
	/* No opener is left, but their dirty page cache may be. */
	sync_blockdev(zram->disk->part0);
	zram_reset_device(zram);
	zram_unclaim(zram);
	return 0;
}

/* ------------------------------- debugfs ----------------------------- */

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
		struct zram_slot *slot = &zram->table[index];
		char line[80];
		int len = 0;

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

/*
 * "corrupt": write a block index to flip a bit of what that block has
 * stored in the pool. It exists to prove the integrity option end to
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

static void zram_debugfs_register(struct zram *zram)
{
	zram->debugfs_dir = debugfs_create_dir(zram->disk->disk_name,
					       zram_debugfs_root);
	debugfs_create_file("block_state", 0400, zram->debugfs_dir, zram,
			    &zram_block_state_fops);
	debugfs_create_file("verify", 0400, zram->debugfs_dir, zram,
			    &zram_verify_fops);
	debugfs_create_file("corrupt", 0200, zram->debugfs_dir, zram,
			    &zram_corrupt_fops);
}

/* ---------------------------- create/remove -------------------------- */

static int zram_add(void)
{
	static const struct hz_disk_limits limits = {
		.logical_block_size	  = ZRAM_LOGICAL_BLOCK_SIZE,
		/* Whole, aligned pages are what zram stores cheaply. */
		.physical_block_size	  = PAGE_SIZE,
		.max_discard_sectors	  = UINT_MAX,
		.max_write_zeroes_sectors = UINT_MAX,
	};
	struct gendisk *disk;
	struct zram *zram;
	int ret, id;

	zram = kzalloc(sizeof(*zram), GFP_KERNEL);
	if (!zram)
		return -ENOMEM;

	id = idr_alloc(&zram_index_idr, zram, 0, 1 << MINORBITS, GFP_KERNEL);
	if (id < 0) {
		ret = id;
		goto err_free;
	}
	zram->id = id;
	init_rwsem(&zram->init_lock);
	zram->comp_name = zram_default_comp;
	zram->comp_level = ZCOMP_NO_LEVEL;

	disk = hz_alloc_disk(&limits, NUMA_NO_NODE);
	if (IS_ERR(disk)) {
		ret = PTR_ERR(disk);
		goto err_idr;
	}
	zram->disk = disk;
	disk->major = zram_major;
	disk->first_minor = id;
	disk->minors = 1;
	disk->flags |= GENHD_FL_NO_PART;
	disk->fops = &zram_devops;
	disk->private_data = zram;
	snprintf(disk->disk_name, DISK_NAME_LEN, "zram%d", id);
	set_capacity(disk, 0);
	/* Before the attributes appear: disksize populates this directory. */
	zram_debugfs_register(zram);

	ret = device_add_disk(NULL, disk, zram_sysfs_groups());
	if (ret)
		goto err_debugfs;

	pr_info("added device %s\n", disk->disk_name);
	return id;

err_debugfs:
	debugfs_remove_recursive(zram->debugfs_dir);
	put_disk(disk);
err_idr:
	idr_remove(&zram_index_idr, id);
err_free:
	kfree(zram);
	return ret;
}

/* zram_index_mutex held. Frees @zram on success. */
static int zram_remove(struct zram *zram, bool patient)
{
	int ret;

	ret = zram_claim(zram, patient);
	if (ret)
		return ret;

	sync_blockdev(zram->disk->part0);
	zram_reset_device(zram);
	pr_info("removing device %s\n", zram->disk->disk_name);
	del_gendisk(zram->disk);
	/*
	 * A disksize write could have slipped in before del_gendisk()
	 * removed the attribute (claim only stops opens); the files are
	 * gone now, so this last reset frees whatever it set up.
	 */
	zram_reset_device(zram);
	/* After the pool (its own debugfs files live in this directory). */
	debugfs_remove_recursive(zram->debugfs_dir);
	put_disk(zram->disk);
	kfree(zram);
	return 0;
}

/* ---------------------------- zram-control --------------------------- */

/*
 * Reading hot_add creates a device and returns its id, so the file is
 * 0400 (not the 0444 of CLASS_ATTR_RO) to keep unprivileged readers from
 * creating devices.
 */
static ssize_t hot_add_show(HZ_CLASS_CONST struct class *class,
			    HZ_CLASS_CONST struct class_attribute *attr,
			    char *buf)
{
	int ret;

	mutex_lock(&zram_index_mutex);
	ret = zram_add();
	mutex_unlock(&zram_index_mutex);
	if (ret < 0)
		return ret;
	return sysfs_emit(buf, "%d\n", ret);
}

static struct class_attribute class_attr_hot_add =
	__ATTR(hot_add, 0400, hot_add_show, NULL);

static ssize_t hot_remove_store(HZ_CLASS_CONST struct class *class,
				HZ_CLASS_CONST struct class_attribute *attr,
				const char *buf, size_t count)
{
	struct zram *zram;
	int ret, id;

	/* Any malformed or out-of-range id is EINVAL, not kstrto*'s ERANGE. */
	if (!zram_input_ok(buf, count) || kstrtoint(buf, 10, &id) || id < 0)
		return -EINVAL;

	mutex_lock(&zram_index_mutex);
	zram = idr_find(&zram_index_idr, id);
	if (zram) {
		ret = zram_remove(zram, false);
		if (!ret)
			idr_remove(&zram_index_idr, id);
	} else {
		ret = -ENODEV;
	}
	mutex_unlock(&zram_index_mutex);
	return ret ? ret : count;
}
static CLASS_ATTR_WO(hot_remove);

static struct attribute *zram_control_class_attrs[] = {
	&class_attr_hot_add.attr,
	&class_attr_hot_remove.attr,
	NULL,
};
ATTRIBUTE_GROUPS(zram_control_class);

static struct class zram_control_class = {
	.name		= "zram-control",
	HZ_CLASS_OWNER
	.class_groups	= zram_control_class_groups,
};

/* ------------------------------- module ------------------------------ */

static int zram_remove_cb(int id, void *ptr, void *data)
{
	/* Cannot fail: every opener holds a module reference. */
	zram_remove(ptr, true);
	return 0;
}

static void zram_destroy_devices(void)
{
	mutex_lock(&zram_index_mutex);
	idr_for_each(&zram_index_idr, zram_remove_cb, NULL);
	idr_destroy(&zram_index_idr);
	mutex_unlock(&zram_index_mutex);
}

static int __init zram_init(void)
{
	unsigned int i;
	int ret;

	BUILD_BUG_ON(__NR_ZRAM_SLOT_FLAGS > 32);
	/* Two words per slot on 64-bit, 12 bytes on 32-bit (see design.rst). */
	BUILD_BUG_ON(!IS_ENABLED(CONFIG_DEBUG_LOCK_ALLOC) &&
		     sizeof(struct zram_slot) !=
		     (BITS_PER_LONG == 64 ? 16 : 12));
	BUILD_BUG_ON(ZRAM_LOGICAL_BLOCK_SIZE > PAGE_SIZE);

	/* Nothing, unless make check-harness built a planted bug in. */
	ret = hz_plant_init();
	if (ret)
		return ret;

	ret = zcomp_module_init();
	if (ret)
		return ret;

	zram_major = register_blkdev(0, "zram");
	if (zram_major <= 0) {
		pr_err("cannot get a block major\n");
		ret = -EBUSY;
		goto err_zcomp;
	}
	zram_debugfs_root = debugfs_create_dir("zram", NULL);

	/* Last: hot_add must not run before the major exists. */
	ret = class_register(&zram_control_class);
	if (ret) {
		pr_err("cannot register the zram-control class\n");
		goto err_blkdev;
	}

	for (i = 0; i < num_devices; i++) {
		mutex_lock(&zram_index_mutex);
		ret = zram_add();
		mutex_unlock(&zram_index_mutex);
		if (ret < 0)
			goto err_devices;
	}
	return 0;

err_devices:
	class_unregister(&zram_control_class);
	zram_destroy_devices();
err_blkdev:
	debugfs_remove_recursive(zram_debugfs_root);
	unregister_blkdev(zram_major, "zram");
err_zcomp:
	zcomp_module_exit();
	return ret;
}

static void __exit zram_exit(void)
{
	class_unregister(&zram_control_class);
	zram_destroy_devices();
	debugfs_remove_recursive(zram_debugfs_root);
	unregister_blkdev(zram_major, "zram");
	zcomp_module_exit();
}

module_init(zram_init);
module_exit(zram_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hzram: hardened compressed RAM block device (zram-compatible)");
