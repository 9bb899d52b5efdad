/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hzs allocator benchmark (src/hzs_bench.c): stores a list of object
 * sizes in a fresh pool and reports what it cost. It measures and never
 * judges. Read through debugfs ("bench", src/hzs_debugfs.c) and run by
 * the KUnit suite hzs_bench; built only where one of those exists.
 */
#ifndef _HZS_BENCH_H
#define _HZS_BENCH_H

#include <linux/types.h>

#include "hzs_pool.h"

struct hzs_bench_result {
	unsigned long objs;		/* objects stored */
	unsigned long huge_objs;	/* of which above the huge threshold */
	u64 obj_bytes;			/* bytes requested */
	u64 pool_bytes;			/* data pages * PAGE_SIZE */
	u64 meta_bytes;			/* lowmem metadata */
	u64 ns_alloc, ns_write, ns_read, ns_map, ns_free;	/* per call */
	u64 frag_pool_bytes;		/* after freeing every other object */
	u64 compact_pool_bytes;		/* ... and compacting */
	u64 ns_compact;			/* the whole hzs_compact() call */
};

/* Store @n objects of @sizes[i] bytes in a pool made with @opts. */
int hzs_bench_run(const struct hzs_pool_opts *opts, const u32 *sizes,
		  unsigned long n, struct hzs_bench_result *res);
/* The same on the LZ4 sizes of @n generated pages (hz_bench_input.h). */
int hzs_bench_run_synthetic(const struct hzs_pool_opts *opts,
			    unsigned long n, struct hzs_bench_result *res);

#endif /* _HZS_BENCH_H */
