// SPDX-License-Identifier: GPL-2.0
/*
 * hzbench_zs: the hzs "bench" measurement, run on the kernel's own
 * zsmalloc, so both allocators can be fed the same size distribution in
 * the same guest and compared.
 *
 * This is a benchmark, not a test: it measures and never judges. It is
 * built only when the target kernel has zsmalloc and LZ4 (see Kbuild),
 * is not part of zram.ko, and exports nothing.
 *
 * /sys/kernel/debug/hzbench_zs/
 *   bench_data  write-only; every full page written is LZ4-compressed
 *               and its size (PAGE_SIZE if it does not compress) becomes
 *               one object of the input, exactly as hzs's bench_data does.
 *   bench       write decimal sizes (or "clear"/"0" to drop the input);
 *               reading it runs the benchmark on the input and prints
 *               the same keys as hzs's bench file, plus zsmalloc-only ones.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/zsmalloc.h>

#include "hz_bench_input.h"
#include "hz_compat.h"

/*
 * zsmalloc keeps the layout of its per-zspage descriptor private. To
 * count the lowmem it costs, this mirrors the member types of struct
 * zspage in mm/zsmalloc.c of the kernels we build against (6.1, 6.12):
 * the same types give the same size, lockdep's share of the rwlock
 * included. Whether it has the lock differs by kernel (hz_compat.h).
 */
struct hzb_zspage_shape {
	unsigned int bits;
	unsigned int inuse;
	unsigned int freeobj;
	struct page *first_page;
	struct list_head list;
	void *pool;
#if HZ_ZSPAGE_HAS_LOCK
	rwlock_t lock;
#endif
};

/* zsmalloc stores the handle in front of every object below the huge class. */
#define HZB_INBAND_HANDLE	sizeof(unsigned long)

struct hzb_result {
	unsigned long objs, huge_objs, zspages;
	u64 obj_bytes, pool_bytes;
	u64 meta_handle, meta_zspage, meta_inband;
	u64 ns_alloc, ns_write, ns_read, ns_map, ns_free, ns_compact;
	u64 frag_pool_bytes, compact_pool_bytes;
	unsigned long compacted_pages;
	size_t huge;
};

static struct dentry *hzb_dir;
/* The input, fed exactly as hzs's bench files are (hz_bench_input.h). */
static struct hz_bench_input hzb_input;

/*
 * What zram would store: it keeps anything at or above zsmalloc's huge
 * class size as a whole page (zram_write_page()).
 */
static size_t hzb_obj_size(u32 size, size_t huge)
{
	return size >= huge ? PAGE_SIZE : size;
}

static int hzb_run(const u32 *sizes, unsigned long n, struct hzb_result *res)
{
	/* As zram allocates: its pages may be highmem and movable. */
	const gfp_t gfp = GFP_KERNEL | __GFP_NOWARN | __GFP_HIGHMEM |
			  __GFP_MOVABLE;
	unsigned long *handles, i, pages, last_pages = 0, stored = 0;
	struct zs_pool *pool;
	u8 *data, *bounce;
	u64 t, ns_free;
	size_t huge;
	int ret = -ENOMEM;

	memset(res, 0, sizeof(*res));
	handles = kvcalloc(n, sizeof(*handles), GFP_KERNEL);
	data = kmalloc(PAGE_SIZE, GFP_KERNEL);
	bounce = kmalloc(PAGE_SIZE, GFP_KERNEL);
	pool = zs_create_pool("hzbench_zs");
	if (!handles || !data || !bounce || !pool)
		goto out;
	for (i = 0; i < PAGE_SIZE; i++)
		data[i] = i * 7;
	huge = zs_huge_class_size(pool);
	res->huge = huge;

	/*
	 * Nothing is freed in this loop, so each rise of the page count is
	 * one new zspage: that is how zspages are counted without reaching
	 * into zsmalloc. The extra atomic read costs about a nanosecond.
	 */
	t = ktime_get_ns();
	for (i = 0; i < n; i++) {
		unsigned long h = zs_malloc(pool, hzb_obj_size(sizes[i], huge),
					    gfp);

		handles[i] = IS_ERR_VALUE(h) ? 0 : h;
		pages = zs_get_total_pages(pool);
		if (pages != last_pages) {
			res->zspages++;
			last_pages = pages;
		}
	}
	res->ns_alloc = hz_bench_per_op(ktime_get_ns() - t, n);
	for (i = 0; i < n; i++) {
		size_t sz = hzb_obj_size(sizes[i], huge);

		if (!handles[i])
			continue;
		stored++;
		res->obj_bytes += sz;
		if (sz == PAGE_SIZE)
			res->huge_objs++;
		else
			res->meta_inband += HZB_INBAND_HANDLE;
	}
	res->objs = stored;
	res->meta_handle = (u64)stored * sizeof(unsigned long);
	res->meta_zspage = (u64)res->zspages *
			   ALIGN(sizeof(struct hzb_zspage_shape), sizeof(void *));

	t = ktime_get_ns();
	for (i = 0; i < n; i++) {
		void *p;

		if (!handles[i])
			continue;
		p = zs_map_object(pool, handles[i], ZS_MM_WO);
		memcpy(p, data, hzb_obj_size(sizes[i], huge));
		zs_unmap_object(pool, handles[i]);
	}
	res->ns_write = hz_bench_per_op(ktime_get_ns() - t, stored);

	t = ktime_get_ns();
	for (i = 0; i < n; i++) {
		void *p;

		if (!handles[i])
			continue;
		p = zs_map_object(pool, handles[i], ZS_MM_RO);
		memcpy(bounce, p, hzb_obj_size(sizes[i], huge));
		zs_unmap_object(pool, handles[i]);
	}
	res->ns_read = hz_bench_per_op(ktime_get_ns() - t, stored);

	/* The counterpart of hzs_read_begin()/hzs_read_end(): no copy. */
	t = ktime_get_ns();
	for (i = 0; i < n; i++) {
		if (!handles[i])
			continue;
		zs_map_object(pool, handles[i], ZS_MM_RO);
		zs_unmap_object(pool, handles[i]);
	}
	res->ns_map = hz_bench_per_op(ktime_get_ns() - t, stored);

	res->pool_bytes = (u64)zs_get_total_pages(pool) * PAGE_SIZE;

	/* The same fragmenting pattern as hzs's bench: every other object. */
	t = ktime_get_ns();
	for (i = 0; i < n; i += 2)
		if (handles[i])
			zs_free(pool, handles[i]);
	ns_free = ktime_get_ns() - t;
	res->frag_pool_bytes = (u64)zs_get_total_pages(pool) * PAGE_SIZE;

	t = ktime_get_ns();
	res->compacted_pages = zs_compact(pool);
	res->ns_compact = ktime_get_ns() - t;
	res->compact_pool_bytes = (u64)zs_get_total_pages(pool) * PAGE_SIZE;

	t = ktime_get_ns();
	for (i = 1; i < n; i += 2)
		if (handles[i])
			zs_free(pool, handles[i]);
	ns_free += ktime_get_ns() - t;
	res->ns_free = hz_bench_per_op(ns_free, stored);
	ret = 0;
out:
	if (pool)
		zs_destroy_pool(pool);
	kfree(bounce);
	kfree(data);
	kvfree(handles);
	return ret;
}

static int hzb_bench_open(struct inode *inode, struct file *file)
{
	struct hzb_result r;
	struct hz_bench_text *out;
	u64 meta;
	int ret;

	if (!(file->f_mode & FMODE_READ))
		return 0;

	mutex_lock(&hzb_input.lock);
	/* No synthetic fallback: this module only compares real input. */
	ret = hzb_input.nr ? hzb_run(hzb_input.sizes, hzb_input.nr, &r) :
			     -ENODATA;
	mutex_unlock(&hzb_input.lock);
	if (ret)
		return ret;

	out = kzalloc(sizeof(*out), GFP_KERNEL);
	if (!out)
		return -ENOMEM;
	meta = r.meta_handle + r.meta_zspage + r.meta_inband;
	out->len = scnprintf(out->buf, sizeof(out->buf),
			     "input written sizes\nobjects %lu\nhuge_objects %lu\nobject_bytes %llu\npool_bytes %llu\npacking_permille %llu\nmeta_bytes %llu\nmeta_bytes_per_object %llu\nns_alloc %llu\nns_write %llu\nns_read %llu\nns_read_begin_end %llu\nns_free %llu\nhalf_freed_pool_bytes %llu\ncompacted_pool_bytes %llu\nns_compact %llu\n"
			     "huge_class_size %zu\nzspages %lu\nmeta_handle_bytes %llu\nmeta_zspage_bytes %llu\nmeta_inband_bytes %llu\ncompacted_pages %lu\n",
			     r.objs, r.huge_objs, r.obj_bytes, r.pool_bytes,
			     r.pool_bytes ? div64_u64(r.obj_bytes * 1000, r.pool_bytes) : 0,
			     meta, hz_bench_per_op(meta, r.objs),
			     r.ns_alloc, r.ns_write, r.ns_read, r.ns_map,
			     r.ns_free, r.frag_pool_bytes, r.compact_pool_bytes,
			     r.ns_compact, r.huge,
			     r.zspages, r.meta_handle, r.meta_zspage,
			     r.meta_inband, r.compacted_pages);
	file->private_data = out;
	return 0;
}

static ssize_t hzb_bench_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	return hz_bench_input_write_sizes(&hzb_input, ubuf, count);
}

static const struct file_operations hzb_bench_fops = {
	.owner = THIS_MODULE,
	.open = hzb_bench_open,
	.read = hz_bench_text_read,
	.write = hzb_bench_write,
	.release = hz_bench_text_release,
	.llseek = default_llseek,
};

/* Raw data, turned into sizes exactly as hzs's bench_data does it. */
static ssize_t hzb_data_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	return hz_bench_input_write_data(&hzb_input, ubuf, count, ppos);
}

static const struct file_operations hzb_data_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = hzb_data_write,
};

static int __init hzb_init(void)
{
	hz_bench_input_init(&hzb_input);
	hzb_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	if (IS_ERR(hzb_dir))
		return PTR_ERR(hzb_dir);
	debugfs_create_file("bench", 0600, hzb_dir, NULL, &hzb_bench_fops);
	debugfs_create_file("bench_data", 0200, hzb_dir, NULL, &hzb_data_fops);
	return 0;
}

static void __exit hzb_exit(void)
{
	/* An open file pins the module (.owner): nothing uses what is freed. */
	debugfs_remove_recursive(hzb_dir);
	hz_bench_input_free(&hzb_input);
}

module_init(hzb_init);
module_exit(hzb_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hzram benchmark: the hzs bench measurement run on zsmalloc");
