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
#include <linux/lz4.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/zsmalloc.h>

/* The same cap as hzs's bench input, so the same data fits both. */
#define HZB_MAX_SIZES	(256 * 1024)

/*
 * zsmalloc keeps the layout of its per-zspage descriptor private. To
 * count the lowmem it costs, this mirrors the member types of struct
 * zspage in mm/zsmalloc.c of the kernels we build against (6.1, 6.12):
 * the same types give the same size, lockdep's share of the rwlock
 * included. 6.1 has the lock only with CONFIG_COMPACTION, 6.12 always
 * (HZ_KERNEL_6_1 comes from the top-level Kbuild).
 */
struct hzb_zspage_shape {
	unsigned int bits;
	unsigned int inuse;
	unsigned int freeobj;
	struct page *first_page;
	struct list_head list;
	void *pool;
#if !defined(HZ_KERNEL_6_1) || IS_ENABLED(CONFIG_COMPACTION)
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

/* All state below is serialised by hzb_lock (debugfs, process context). */
static DEFINE_MUTEX(hzb_lock);
static struct dentry *hzb_dir;
static u32 *hzb_sizes;
static unsigned long hzb_nr;
static u8 *hzb_stage;
static size_t hzb_stage_len;

static u64 hzb_per_op(u64 ns, unsigned long n)
{
	return n ? div_u64(ns, n) : 0;
}

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
	res->ns_alloc = hzb_per_op(ktime_get_ns() - t, n);
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
	res->ns_write = hzb_per_op(ktime_get_ns() - t, stored);

	t = ktime_get_ns();
	for (i = 0; i < n; i++) {
		void *p;

		if (!handles[i])
			continue;
		p = zs_map_object(pool, handles[i], ZS_MM_RO);
		memcpy(bounce, p, hzb_obj_size(sizes[i], huge));
		zs_unmap_object(pool, handles[i]);
	}
	res->ns_read = hzb_per_op(ktime_get_ns() - t, stored);

	/* The counterpart of hzs_read_begin()/hzs_read_end(): no copy. */
	t = ktime_get_ns();
	for (i = 0; i < n; i++) {
		if (!handles[i])
			continue;
		zs_map_object(pool, handles[i], ZS_MM_RO);
		zs_unmap_object(pool, handles[i]);
	}
	res->ns_map = hzb_per_op(ktime_get_ns() - t, stored);

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
	res->ns_free = hzb_per_op(ns_free, stored);
	ret = 0;
out:
	if (pool)
		zs_destroy_pool(pool);
	kfree(bounce);
	kfree(data);
	kvfree(handles);
	return ret;
}

static int hzb_prepare(void)
{
	if (!hzb_sizes)
		hzb_sizes = kvcalloc(HZB_MAX_SIZES, sizeof(*hzb_sizes),
				     GFP_KERNEL);
	return hzb_sizes ? 0 : -ENOMEM;
}

static void hzb_add(u32 size)
{
	if (hzb_nr < HZB_MAX_SIZES)
		hzb_sizes[hzb_nr++] = size;
}

struct hzb_text {
	size_t len;
	char buf[1024];
};

static int hzb_bench_open(struct inode *inode, struct file *file)
{
	struct hzb_result r;
	struct hzb_text *out;
	u64 meta;
	int ret;

	if (!(file->f_mode & FMODE_READ))
		return 0;

	mutex_lock(&hzb_lock);
	/* No synthetic fallback: this module only compares real input. */
	ret = -ENODATA;
	if (!hzb_nr)
		goto out_unlock;
	ret = hzb_run(hzb_sizes, hzb_nr, &r);
	if (ret)
		goto out_unlock;

	ret = -ENOMEM;
	out = kzalloc(sizeof(*out), GFP_KERNEL);
	if (!out)
		goto out_unlock;
	meta = r.meta_handle + r.meta_zspage + r.meta_inband;
	out->len = scnprintf(out->buf, sizeof(out->buf),
			     "input written sizes\nobjects %lu\nhuge_objects %lu\nobject_bytes %llu\npool_bytes %llu\npacking_permille %llu\nmeta_bytes %llu\nmeta_bytes_per_object %llu\nns_alloc %llu\nns_write %llu\nns_read %llu\nns_read_begin_end %llu\nns_free %llu\nhalf_freed_pool_bytes %llu\ncompacted_pool_bytes %llu\nns_compact %llu\n"
			     "huge_class_size %zu\nzspages %lu\nmeta_handle_bytes %llu\nmeta_zspage_bytes %llu\nmeta_inband_bytes %llu\ncompacted_pages %lu\n",
			     r.objs, r.huge_objs, r.obj_bytes, r.pool_bytes,
			     r.pool_bytes ? div64_u64(r.obj_bytes * 1000, r.pool_bytes) : 0,
			     meta, hzb_per_op(meta, r.objs),
			     r.ns_alloc, r.ns_write, r.ns_read, r.ns_map,
			     r.ns_free, r.frag_pool_bytes, r.compact_pool_bytes,
			     r.ns_compact, r.huge,
			     r.zspages, r.meta_handle, r.meta_zspage,
			     r.meta_inband, r.compacted_pages);
	file->private_data = out;
	ret = 0;
out_unlock:
	mutex_unlock(&hzb_lock);
	return ret;
}

static ssize_t hzb_bench_read(struct file *file, char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	struct hzb_text *out = file->private_data;

	if (!out)
		return -EINVAL;
	return simple_read_from_buffer(ubuf, count, ppos, out->buf, out->len);
}

/* Decimal sizes, as hzs's bench file takes them; "0" or "clear" drops them. */
static ssize_t hzb_bench_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	char *buf, *p, *tok;
	ssize_t ret;

	if (count > PAGE_SIZE)
		count = PAGE_SIZE;
	buf = memdup_user_nul(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);

	mutex_lock(&hzb_lock);
	ret = hzb_prepare();
	if (ret)
		goto out;
	/* A number cut at the page limit is left for the next write. */
	if (count == PAGE_SIZE) {
		size_t cut = count;

		while (cut && !strchr(" \t\n,", buf[cut - 1]))
			cut--;
		if (cut) {
			buf[cut] = '\0';
			count = cut;
		}
	}
	p = buf;
	while ((tok = strsep(&p, " \t\n,")) != NULL) {
		unsigned int v;

		if (!*tok)
			continue;
		if (!strcmp(tok, "clear")) {
			hzb_nr = 0;
			continue;
		}
		if (kstrtouint(tok, 0, &v) || v > PAGE_SIZE) {
			ret = -EINVAL;
			goto out;
		}
		if (!v)
			hzb_nr = 0;
		else
			hzb_add(v);
	}
	ret = count;
out:
	mutex_unlock(&hzb_lock);
	kfree(buf);
	return ret;
}

static int hzb_bench_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

static const struct file_operations hzb_bench_fops = {
	.owner = THIS_MODULE,
	.open = hzb_bench_open,
	.read = hzb_bench_read,
	.write = hzb_bench_write,
	.release = hzb_bench_release,
	.llseek = default_llseek,
};

/*
 * Raw data: each full page is compressed with LZ4_compress_default(),
 * the call hzs's bench_data makes, and an incompressible page counts as
 * PAGE_SIZE, so the same bytes give both allocators the same sizes.
 */
static ssize_t hzb_data_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	const int bound = LZ4_COMPRESSBOUND(PAGE_SIZE);
	size_t done = 0;
	void *wrkmem;
	char *dst;
	ssize_t ret;

	wrkmem = vmalloc(LZ4_MEM_COMPRESS);
	dst = kvmalloc(bound, GFP_KERNEL);
	ret = -ENOMEM;
	if (!wrkmem || !dst)
		goto out_free;

	mutex_lock(&hzb_lock);
	ret = hzb_prepare();
	if (!ret && !hzb_stage) {
		hzb_stage = kmalloc(PAGE_SIZE, GFP_KERNEL);
		if (!hzb_stage)
			ret = -ENOMEM;
	}
	while (!ret && done < count) {
		size_t n = min_t(size_t, count - done,
				 PAGE_SIZE - hzb_stage_len);
		int len;

		if (copy_from_user(hzb_stage + hzb_stage_len, ubuf + done, n)) {
			ret = -EFAULT;
			break;
		}
		done += n;
		hzb_stage_len += n;
		if (hzb_stage_len < PAGE_SIZE)
			continue;
		len = LZ4_compress_default((const char *)hzb_stage, dst,
					   PAGE_SIZE, bound, wrkmem);
		hzb_add(len <= 0 || len > PAGE_SIZE ? PAGE_SIZE : len);
		hzb_stage_len = 0;
	}
	mutex_unlock(&hzb_lock);
out_free:
	kvfree(dst);
	vfree(wrkmem);
	if (!done)
		return ret;
	*ppos += done;
	return done;
}

static const struct file_operations hzb_data_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = hzb_data_write,
};

static int __init hzb_init(void)
{
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
	kvfree(hzb_sizes);
	kfree(hzb_stage);
}

module_init(hzb_init);
module_exit(hzb_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hzram benchmark: the hzs bench measurement run on zsmalloc");
