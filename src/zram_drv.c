// SPDX-License-Identifier: GPL-2.0
/*
 * hzram: a compressed RAM block device, compatible with zram.
 *
 * This file owns device life: module init and exit, creating and
 * removing devices (num_devices, the zram-control class), and setting a
 * device up (disksize: zram_setup()) and tearing it down (reset, remove:
 * zram_teardown()).
 *
 * Lock order: zram_index_mutex -> disk->open_mutex (dropped before the
 * next) -> zram->init_lock -> slot locks. See zram_drv.h for the whole
 * hierarchy and for what each lock protects.
 */

#define pr_fmt(fmt) "zram: " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/blkdev.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/jiffies.h>
#include <linux/kdev_t.h>
#include <linux/mutex.h>
#include <linux/part_stat.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "hz_compat.h"
#include "hz_kunit.h"
#include "hz_plant.h"
#include "hzs_pool.h"
#include "zram_drv.h"
#include "zram_wb.h"

static unsigned int num_devices = 1;
module_param(num_devices, uint, 0);
MODULE_PARM_DESC(num_devices, "Number of pre-created zram devices");

/* Protects zram_index_idr; serialises hot_add, hot_remove and exit. */
static DEFINE_MUTEX(zram_index_mutex);
static DEFINE_IDR(zram_index_idr);

static int zram_major;

/*
 * The algorithm new devices start with, and a reset returns to. It stands
 * in for upstream's build-time CONFIG_ZRAM_DEF_COMP, which a module built
 * out of tree cannot have; the default is upstream's default. Checked at
 * load: a name no backend has fails the load.
 */
static char *default_algorithm = "lzo-rle";
module_param(default_algorithm, charp, 0444);
MODULE_PARM_DESC(default_algorithm,
		 "Compression algorithm of new devices (as CONFIG_ZRAM_DEF_COMP; default lzo-rle)");

/* default_algorithm's canonical name, set once at load. */
static const char *zram_default_comp;

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
	HZ_BDOPS_RW_PAGE(zram_rw_page)
};

/* ----------------------------- init/reset ---------------------------- */

/* The configuration of a new device, and of one after a reset. */
void zram_comp_conf_reset(struct zram_comp_conf *conf)
{
	vfree(conf->dict);
	conf->dict = NULL;
	zcomp_params_init(&conf->params);
}

/* Forgets what algorithm_params set for a priority, and its dictionary. */
HZ_VISIBLE_IF_KUNIT void zram_set_defaults(struct zram *zram)
{
	u32 prio;

	zram->limit_pages = 0;
	/*
	 * As upstream 6.12: a reset also forgets the algorithms, their
	 * parameters and the secondaries.
	 */
	for (prio = 0; prio < ZRAM_MAX_COMPS; prio++) {
		zram_comp_conf_reset(&zram->conf[prio]);
		zram->conf[prio].name = NULL;
	}
	zram->conf[ZRAM_PRIMARY_COMP].name = zram_default_comp;
	zram->checksum = false;
}

HZ_EXPORT_IF_KUNIT(zram_set_defaults);

/*
 * A new struct zram's locks and configuration, for the driver and the
 * KUnit fixture alike. The writeback settings are set here only: as
 * upstream's, they survive a reset.
 */
void zram_init_struct(struct zram *zram, int id)
{
	zram->id = id;
	init_rwsem(&zram->init_lock);
	mutex_init(&zram->pp_lock);
	spin_lock_init(&zram->wb_limit_lock);
	zram->wb_batch_size = ZRAM_WB_BATCH_DEFAULT;
	zram_set_defaults(zram);
}

HZ_EXPORT_IF_KUNIT(zram_init_struct);

static void zram_comps_destroy(struct zram *zram)
{
	u32 prio;

	for (prio = 0; prio < ZRAM_MAX_COMPS; prio++) {
		zcomp_destroy(zram->comps[prio]);
		zram->comps[prio] = NULL;
	}
}

/* One compressor for each configured priority. */
static int zram_comps_create(struct zram *zram, const char *name)
{
	u32 prio;

	for (prio = 0; prio < ZRAM_MAX_COMPS; prio++) {
		struct zram_comp_conf *conf = &zram->conf[prio];
		struct zcomp *comp;

		if (!conf->name)
			continue;
		comp = zcomp_create(conf->name, &conf->params);
		if (IS_ERR(comp)) {
			pr_err("%s: cannot set up %s compression (priority %u): %ld\n",
			       name, conf->name, prio, PTR_ERR(comp));
			zram_comps_destroy(zram);
			return PTR_ERR(comp);
		}
		zram->comps[prio] = comp;
	}
	return 0;
}

/*
 * Build everything an initialised device has, then publish it. This is
 * the only place a device is set up, for the driver and for the KUnit
 * fixture alike. Caller holds init_lock for writing (or owns @zram).
 *
 * Order: the compressor, the table's directory and the pool first,
 * then the pool's debugfs files, and last the release store of
 * nr_pages, which the I/O path pairs with an acquire load (see
 * zram_live_pages()): a request sees a complete device or none.
 */
HZ_VISIBLE_IF_KUNIT int zram_setup(struct zram *zram, u64 disksize)
{
	unsigned long nr_pages = disksize >> PAGE_SHIFT;
	const char *name = zram->disk ? zram->disk->disk_name : "zram";
	int ret = -ENOMEM;

	if (!nr_pages || nr_pages > U32_MAX)
		return -EINVAL;

	ret = zram_comps_create(zram, name);
	if (ret)
		return ret;
	/* Chunks come with the first write to each (zram_chunk_get()). */
	ret = zram_table_alloc(zram, nr_pages);
	if (ret)
		goto err_comp;
	ret = -ENOMEM;
	zram->pool = hzs_pool_create(name);
	if (!zram->pool)
		goto err_table;
	zram->huge_threshold = hzs_huge_threshold(zram->pool);
	hzs_pool_debugfs(zram->pool, zram->debugfs_dir);

	/* Publish last; pairs with the acquire in zram_live_pages(). */
	smp_store_release(&zram->nr_pages, nr_pages);
	return 0;

err_table:
	zram_table_free(zram);
err_comp:
	zram_comps_destroy(zram);
	return ret;
}

HZ_EXPORT_IF_KUNIT(zram_setup);

/*
 * Undo zram_setup(): the only place a device's metadata is freed, the
 * slot table's chunks included. No I/O can be running (the caller holds
 * the device claimed, or owns @zram), which is why a chunk, once
 * published, can be used without a reference. The pool goes before the
 * debugfs directory it has files in.
 */
HZ_VISIBLE_IF_KUNIT void zram_teardown(struct zram *zram)
{
	if (!zram->dir)
		return;
	/* Unpublish first; no I/O can be running, this is for clarity. */
	WRITE_ONCE(zram->nr_pages, 0);
	/* The slots give their objects back before the pool goes. */
	zram_table_free(zram);
	hzs_pool_destroy(zram->pool);
	zram_comps_destroy(zram);
	zram->pool = NULL;
}

HZ_EXPORT_IF_KUNIT(zram_teardown);

int zram_init_device(struct zram *zram, u64 disksize)
{
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
	ret = zram_setup(zram, disksize);
	if (ret)
		goto out_unlock;
	zram->disksize = disksize;
	set_capacity_and_notify(zram->disk, disksize >> SECTOR_SHIFT);
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
	zram_teardown(zram);
	/* After the slots: they gave their blocks back. As upstream. */
	zram_backing_detach(zram);
	memset(&zram->stats, 0, sizeof(zram->stats));
	zram_set_defaults(zram);
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
	zram_init_struct(zram, id);

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
	zram_debugfs_unregister(zram);
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
	zram_debugfs_unregister(zram);
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

static int __init zram_check_default_algorithm(void)
{
	char *list;

	zram_default_comp = zcomp_lookup(default_algorithm);
	if (zram_default_comp)
		return 0;
	list = (char *)__get_free_page(GFP_KERNEL);
	if (list)
		zcomp_available_show(NULL, list, 0);
	pr_err("default_algorithm=%s is not an algorithm of this build; available: %s",
	       default_algorithm, list ? list : "(see comp_algorithm)\n");
	free_page((unsigned long)list);
	return -EINVAL;
}

static int __init zram_init(void)
{
	unsigned int i;
	int ret;

	BUILD_BUG_ON(__NR_ZRAM_SLOT_FLAGS > 32);
	/* Three 32-bit words per slot everywhere (see design.rst). */
	BUILD_BUG_ON(!IS_ENABLED(CONFIG_DEBUG_LOCK_ALLOC) &&
		     sizeof(struct zram_slot) != 12);
	BUILD_BUG_ON(ZRAM_LOGICAL_BLOCK_SIZE > PAGE_SIZE);
	/* A chunk's slots fit in a page (design.rst, "Slot table"). */
	BUILD_BUG_ON(sizeof(struct zram_chunk) > PAGE_SIZE);
	BUILD_BUG_ON(ZRAM_CHUNK_SLOTS < 2);

	/* Nothing, unless make check-harness built a planted bug in. */
	ret = hz_plant_init();
	if (ret)
		return ret;

	ret = zram_check_default_algorithm();
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
	zram_debugfs_module_init();

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
	zram_debugfs_module_exit();
	unregister_blkdev(zram_major, "zram");
err_zcomp:
	zcomp_module_exit();
	return ret;
}

static void __exit zram_exit(void)
{
	class_unregister(&zram_control_class);
	zram_destroy_devices();
	zram_debugfs_module_exit();
	unregister_blkdev(zram_major, "zram");
	zcomp_module_exit();
}

module_init(zram_init);
module_exit(zram_exit);

#ifndef HZ_VERSION
#define HZ_VERSION "unknown"
#endif

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hzram (out-of-tree zram replacement): hardened compressed RAM block device");
MODULE_VERSION(HZ_VERSION);
