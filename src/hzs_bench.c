// SPDX-License-Identifier: GPL-2.0
/*
 * The hzs allocator benchmark: it stores a list of object sizes in a
 * fresh pool, the way zram would (raw pages above the huge threshold),
 * and reports packing, metadata, time per call, and what compaction
 * recovers after every other object is freed. It measures and never
 * judges. Built only with debugfs (which reads it) or KUnit (which runs
 * it); see include/hzs_bench.h.
 *
 * Only the public allocator API is used, so the figures are what the
 * driver would see. The pool's locks are its own (hzs_pool.c).
 */
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "hz_bench_input.h"
#include "hz_kunit.h"
#include "hzs_bench.h"

/* Like zram: anything above the huge threshold is stored raw. */
static size_t hzs_bench_size(u32 size, size_t huge)
{
	return size > huge ? PAGE_SIZE : size;
}

int hzs_bench_run(const struct hzs_pool_opts *opts, const u32 *sizes,
		  unsigned long n, struct hzs_bench_result *res)
{
	unsigned long *handles, i, stored = 0;
	u64 t, ns_free;
	struct hzs_pool_stats st;
	struct hzs_pool *pool;
	u8 *data, *bounce;
	size_t huge;
	int ret = -ENOMEM;

	memset(res, 0, sizeof(*res));
	handles = kvcalloc(n, sizeof(*handles), GFP_KERNEL);
	data = kmalloc(PAGE_SIZE, GFP_KERNEL);
	bounce = kmalloc(PAGE_SIZE, GFP_KERNEL);
	pool = hzs_pool_create_opts("bench", opts);
	if (!handles || !data || !bounce || !pool)
		goto out;
	for (i = 0; i < PAGE_SIZE; i++)
		data[i] = i * 7;
	huge = hzs_huge_threshold(pool);

	t = ktime_get_ns();
	for (i = 0; i < n; i++)
		handles[i] = hzs_alloc(pool, hzs_bench_size(sizes[i], huge),
				       GFP_KERNEL | __GFP_NOWARN);
	res->ns_alloc = hz_bench_per_op(ktime_get_ns() - t, n);
	for (i = 0; i < n; i++) {
		if (!handles[i])
			continue;
		stored++;
		res->obj_bytes += hzs_bench_size(sizes[i], huge);
		if (hzs_bench_size(sizes[i], huge) == PAGE_SIZE)
			res->huge_objs++;
	}
	res->objs = stored;

	t = ktime_get_ns();
	for (i = 0; i < n; i++)
		if (handles[i])
			hzs_write(pool, handles[i], data, hzs_bench_size(sizes[i], huge));
	res->ns_write = hz_bench_per_op(ktime_get_ns() - t, stored);

	t = ktime_get_ns();
	for (i = 0; i < n; i++)
		if (handles[i])
			hzs_read(pool, handles[i], bounce, hzs_bench_size(sizes[i], huge));
	res->ns_read = hz_bench_per_op(ktime_get_ns() - t, stored);

	t = ktime_get_ns();
	for (i = 0; i < n; i++) {
		struct hzs_map map;

		if (handles[i] &&
		    !hzs_read_begin(pool, handles[i],
				    hzs_bench_size(sizes[i], huge), bounce, &map))
			hzs_read_end(&map);
	}
	res->ns_map = hz_bench_per_op(ktime_get_ns() - t, stored);

	hzs_pool_stats(pool, &st);
	res->pool_bytes = st.pages * PAGE_SIZE;
	res->meta_bytes = st.meta_bytes;

	/* Every other object goes: the fragmentation compaction exists for. */
	t = ktime_get_ns();
	for (i = 0; i < n; i += 2)
		hzs_free(pool, handles[i]);
	ns_free = ktime_get_ns() - t;
	res->frag_pool_bytes = hzs_pool_pages(pool) * PAGE_SIZE;

	t = ktime_get_ns();
	hzs_compact(pool);
	res->ns_compact = ktime_get_ns() - t;
	res->compact_pool_bytes = hzs_pool_pages(pool) * PAGE_SIZE;

	t = ktime_get_ns();
	for (i = 1; i < n; i += 2)
		hzs_free(pool, handles[i]);
	ns_free += ktime_get_ns() - t;
	res->ns_free = hz_bench_per_op(ns_free, stored);
	ret = 0;
out:
	hzs_pool_destroy(pool);
	kfree(bounce);
	kfree(data);
	kvfree(handles);
	return ret;
}

HZ_EXPORT_IF_KUNIT(hzs_bench_run);

int hzs_bench_run_synthetic(const struct hzs_pool_opts *opts,
			    unsigned long n, struct hzs_bench_result *res)
{
	u32 *sizes;
	int ret;

	sizes = kvmalloc_array(n, sizeof(*sizes), GFP_KERNEL);
	if (!sizes)
		return -ENOMEM;
	ret = hz_bench_synthetic_sizes(sizes, n);
	if (!ret)
		ret = hzs_bench_run(opts, sizes, n, res);
	kvfree(sizes);
	return ret;
}

HZ_EXPORT_IF_KUNIT(hzs_bench_run_synthetic);
