// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the hzs allocator benchmark (src/hzs_bench.c). It
 * prints numbers and asserts only that the benchmark ran and stored
 * every object: a benchmark measures, it never judges.
 */
#include <kunit/test.h>
#include <linux/math64.h>

#include "hz_compat.h"
#include "hzs_bench.h"
#include "hzs_fixture.h"

KUNIT_ARRAY_PARAM(t_mode, t_modes, t_mode_desc);

static void hzs_bench_synthetic(struct kunit *test)
{
	const struct t_mode *m = test->param_value;
	struct hzs_pool_opts opts = { .debug = m->debug, .max_chain = m->chain };
	enum { N = 1024 };
	struct hzs_bench_result r;
	u64 permille, percent;
	u32 tenths;

	KUNIT_ASSERT_EQ(test, hzs_bench_run_synthetic(&opts, N, &r), 0);
	KUNIT_EXPECT_EQ(test, r.objs, (unsigned long)N);
	KUNIT_ASSERT_GT(test, r.pool_bytes, 0ULL);

	permille = div64_u64(r.obj_bytes * 1000, r.pool_bytes);
	percent = div_u64_rem(permille, 10, &tenths);
	kunit_info(test, "%lu objects (%lu huge), %llu bytes in %llu pool bytes: packing %llu.%u%%, metadata %llu bytes/object\n",
		   r.objs, r.huge_objs, r.obj_bytes, r.pool_bytes, percent,
		   tenths, div64_u64(r.meta_bytes, r.objs));
	kunit_info(test, "ns per call: alloc %llu write %llu read %llu read_begin/end %llu free %llu\n",
		   r.ns_alloc, r.ns_write, r.ns_read, r.ns_map, r.ns_free);
	kunit_info(test, "half freed: %llu pool bytes, compacted to %llu in %llu us\n",
		   r.frag_pool_bytes, r.compact_pool_bytes,
		   div_u64(r.ns_compact, 1000));
}

static struct kunit_case hzs_bench_cases[] = {
	HZ_KUNIT_CASE_PARAM_SLOW(hzs_bench_synthetic, t_mode_gen_params),
	{}
};

static struct kunit_suite hzs_bench_suite = {
	.name = "hzs_bench",
	.test_cases = hzs_bench_cases,
};

kunit_test_suites(&hzs_bench_suite);
