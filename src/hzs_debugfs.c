// SPDX-License-Identifier: GPL-2.0
/*
 * hzs debugfs files, in the driver's per-device directory:
 *
 *   classes     one row per size class (geometry, zspages by fullness,
 *               objects), with the pool totals before and after
 *   bench       reading it runs the allocator benchmark (hzs_bench.c)
 *               in a fresh pool with this pool's settings, on the sizes
 *               written to it, or on generated pages if none were;
 *               writing decimal sizes sets that input ("clear" drops it)
 *   bench_data  each full page written is LZ4-compressed and its size
 *               added to the bench input (hz_bench_input.c)
 *
 * Lock order: the bench input's mutex, then the locks of the pool the
 * benchmark creates (hzs_pool.c). "classes" takes this pool's class
 * locks one at a time, as hzs_pool_stats() does.
 */
#define pr_fmt(fmt) "hzs: " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/math64.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "hz_bench_input.h"
#include "hz_kunit.h"
#include "hzs_bench.h"
#include "hzs_internal.h"
#include "hzs_test_hooks.h"

/* Generated pages the benchmark uses when nobody wrote an input. */
#define HZS_BENCH_SYNTHETIC	4096

struct hzs_pool_debugfs {
	struct dentry *classes;
	struct dentry *bench;
	struct dentry *bench_data;
	struct hz_bench_input input;
};

int hzs_classes_show(struct seq_file *m, void *unused)
{
	struct hzs_pool *pool = m->private;
	struct hzs_class_info ci, tot = { 0 };
	unsigned long tot_pages = 0;
	struct hzs_pool_stats st;
	unsigned int i, b;

	hzs_pool_stats(pool, &st);
	seq_printf(m, "pool %s: debug %d red_zone %u max_chain %u huge_threshold %zu\n",
		   pool->name, pool->debug, pool->redzone, pool->max_chain,
		   pool->huge_threshold);
	seq_printf(m, "pages %llu compacted %llu objs %llu bytes %llu meta_bytes %llu fixed_bytes %llu total_pages %llu errors %llu compactable %lu\n",
		   st.pages, st.pages_compacted, st.objs_used, st.bytes_used,
		   st.meta_bytes, st.fixed_bytes, hzs_pool_total_pages(pool),
		   st.errors, hzs_pool_compactable(pool));
	seq_printf(m, "%5s %5s %5s %5s %8s %6s %6s %6s %6s %6s %6s %10s %10s %8s %8s\n",
		   "class", "size", "pages", "objs", "zspages", "empty", "0-25",
		   "25-50", "50-75", "75-99", "full", "obj_alloc", "obj_used",
		   "pg_used", "freeable");
	for (i = 0; i < pool->nr_classes; i++) {
		hzs_pool_class_info(pool, i, &ci);
		seq_printf(m, "%5u %5u %5u %5u %8lu", i, ci.size,
			   ci.pages_per_zspage, ci.objs_per_zspage, ci.zspages);
		for (b = 0; b < HZS_NR_BANDS; b++) {
			seq_printf(m, " %6lu", ci.band[b]);
			tot.band[b] += ci.band[b];
		}
		seq_printf(m, " %10lu %10lu %8lu %8lu\n", ci.objs_allocated,
			   ci.objs_used, ci.pages,
			   hzs_class_freeable(&pool->classes[i]));
		tot.zspages += ci.zspages;
		tot.objs_allocated += ci.objs_allocated;
		tot.objs_used += ci.objs_used;
		tot_pages += ci.pages;
	}
	seq_printf(m, "%5s %5s %5s %5s %8lu", "total", "", "", "", tot.zspages);
	for (b = 0; b < HZS_NR_BANDS; b++)
		seq_printf(m, " %6lu", tot.band[b]);
	seq_printf(m, " %10lu %10lu %8lu %8lu\n", tot.objs_allocated,
		   tot.objs_used, tot_pages,
		   hzs_pool_compactable(pool));
	return 0;
}

HZ_EXPORT_IF_KUNIT(hzs_classes_show);
DEFINE_SHOW_ATTRIBUTE(hzs_classes);

static int hzs_bench_open(struct inode *inode, struct file *file)
{
	struct hzs_pool *pool = inode->i_private;
	struct hz_bench_input *in = &pool->dbg->input;
	struct hzs_pool_opts opts = {
		.debug = pool->debug,
		.max_chain = pool->max_chain,
	};
	struct hzs_bench_result r;
	struct hz_bench_text *out;
	bool written;
	int ret;

	if (!(file->f_mode & FMODE_READ))
		return 0;

	mutex_lock(&in->lock);
	written = in->nr;
	if (written)
		ret = hzs_bench_run(&opts, in->sizes, in->nr, &r);
	else
		ret = hzs_bench_run_synthetic(&opts, HZS_BENCH_SYNTHETIC, &r);
	mutex_unlock(&in->lock);
	if (ret)
		return ret;

	out = kzalloc(sizeof(*out), GFP_KERNEL);
	if (!out)
		return -ENOMEM;
	out->len = scnprintf(out->buf, sizeof(out->buf),
			     "input %s\nobjects %lu\nhuge_objects %lu\nobject_bytes %llu\npool_bytes %llu\npacking_permille %llu\nmeta_bytes %llu\nmeta_bytes_per_object %llu\nns_alloc %llu\nns_write %llu\nns_read %llu\nns_read_begin_end %llu\nns_free %llu\nhalf_freed_pool_bytes %llu\ncompacted_pool_bytes %llu\nns_compact %llu\n",
			     written ? "written sizes" : "synthetic lz4",
			     r.objs, r.huge_objs, r.obj_bytes, r.pool_bytes,
			     r.pool_bytes ? div64_u64(r.obj_bytes * 1000, r.pool_bytes) : 0,
			     r.meta_bytes, hz_bench_per_op(r.meta_bytes, r.objs),
			     r.ns_alloc, r.ns_write, r.ns_read, r.ns_map,
			     r.ns_free, r.frag_pool_bytes, r.compact_pool_bytes,
			     r.ns_compact);
	file->private_data = out;
	return 0;
}

static ssize_t hzs_bench_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct hzs_pool *pool = file_inode(file)->i_private;

	return hz_bench_input_write_sizes(&pool->dbg->input, ubuf, count);
}

static const struct file_operations hzs_bench_fops = {
	.owner = THIS_MODULE,
	.open = hzs_bench_open,
	.read = hz_bench_text_read,
	.write = hzs_bench_write,
	.release = hz_bench_text_release,
	.llseek = default_llseek,
};

static ssize_t hzs_bench_data_write(struct file *file, const char __user *ubuf,
				    size_t count, loff_t *ppos)
{
	struct hzs_pool *pool = file_inode(file)->i_private;

	return hz_bench_input_write_data(&pool->dbg->input, ubuf, count, ppos);
}

static const struct file_operations hzs_bench_data_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = hzs_bench_data_write,
};

void hzs_pool_debugfs(struct hzs_pool *pool, struct dentry *parent)
{
	struct hzs_pool_debugfs *dbg;

	if (IS_ERR_OR_NULL(parent) || pool->dbg)
		return;
	dbg = kzalloc(sizeof(*dbg), GFP_KERNEL);
	if (!dbg)
		return;
	hz_bench_input_init(&dbg->input);
	/* Before the files exist: their handlers find it through the pool. */
	pool->dbg = dbg;
	dbg->classes = debugfs_create_file("classes", 0444, parent, pool,
					   &hzs_classes_fops);
	dbg->bench = debugfs_create_file("bench", 0600, parent, pool,
					 &hzs_bench_fops);
	dbg->bench_data = debugfs_create_file("bench_data", 0200, parent, pool,
					      &hzs_bench_data_fops);
}

HZ_EXPORT_IF_KUNIT(hzs_pool_debugfs);

void hzs_pool_debugfs_remove(struct hzs_pool *pool)
{
	struct hzs_pool_debugfs *dbg = pool->dbg;

	if (!dbg)
		return;
	/* Waits for handlers still running, so the input is ours after. */
	debugfs_remove(dbg->bench_data);
	debugfs_remove(dbg->bench);
	debugfs_remove(dbg->classes);
	hz_bench_input_free(&dbg->input);
	kfree(dbg);
	pool->dbg = NULL;
}
