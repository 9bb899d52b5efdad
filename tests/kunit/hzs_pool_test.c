// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for the hzs allocator (src/hzs_pool.c).
 *
 * Linked into zram_kunit.ko; kunit_main.c carries the module macros.
 * Pools are KUnit resources, so a failed assertion still destroys them.
 * Only KUnit API present in 6.1 is used.
 */
#include <kunit/test.h>
#include <kunit/resource.h>
#include <linux/delay.h>
#include <linux/highmem.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "hz_compat.h"
#include "hzs_fixture.h"
#include "hzs_pool.h"
#include "hzs_test_hooks.h"

#define T_ALIGN		16	/* class granularity the allocator promises */

/* ---------------------------------------------------------------------
 * Helpers
 */

/*
 * Bytes that depend on the object and the position in it; a shorter fill
 * is a prefix of a longer one with the same seed.
 */
static void t_fill(u8 *buf, size_t len, u32 seed)
{
	u32 x = (seed * 0x9e3779b1u) ^ 0x7f4a7c15u;
	size_t i;

	if (!x)
		x = 1;
	for (i = 0; i < len; i += 4) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		memcpy(buf + i, &x, min_t(size_t, 4, len - i));
	}
}

static bool t_check(const u8 *buf, size_t len, u32 seed, u8 *scratch)
{
	t_fill(scratch, len, seed);
	return !memcmp(buf, scratch, len);
}

static u32 t_rand(u32 *state)
{
	u32 x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

static u64 t_errors(struct hzs_pool *pool)
{
	struct hzs_pool_stats st;

	hzs_pool_stats(pool, &st);
	return st.errors;
}

/* A descriptor as the slab sizes it. */
static size_t t_desc_size(unsigned int pages, unsigned int objs)
{
	return kmalloc_size_roundup(hzs_test_desc_bytes(pages, objs));
}

/*
 * The independent model: among chains whose descriptor fits a page, the
 * one whose pages and slab-rounded descriptor cost least per object, by
 * brute force in u64, shortest on ties. Only the descriptor's unrounded
 * layout comes from the allocator.
 */
static void t_best_chain(unsigned int size, unsigned int chain,
			 unsigned int *pages, unsigned int *objs)
{
	u64 best_cost = 0;
	unsigned int n;

	*pages = 0;
	*objs = 0;
	for (n = 1; n <= chain; n++) {
		unsigned int o = n * PAGE_SIZE / size;
		u64 cost = (u64)n * PAGE_SIZE + t_desc_size(n, o);

		if (n > 1 && t_desc_size(n, o) > PAGE_SIZE)
			continue;
		if (!*pages || cost * *objs < best_cost * o) {
			*pages = n;
			*objs = o;
			best_cost = cost;
		}
	}
}

/*
 * A class of big objects, some of which span two pages: at least three
 * pages per zspage and a slot that does not divide a page, or -1.
 */
static int t_spanning_class(struct hzs_pool *pool, struct hzs_class_info *ci)
{
	unsigned int i;

	for (i = 0; i < hzs_pool_nr_classes(pool); i++) {
		hzs_pool_class_info(pool, i, ci);
		if (ci->pages_per_zspage >= 3 && ci->objs_per_zspage >= 3 &&
		    ci->max_obj >= PAGE_SIZE / 2 && PAGE_SIZE % ci->size)
			return i;
	}
	return -1;
}

KUNIT_ARRAY_PARAM(t_mode, t_modes, t_mode_desc);

/* ---------------------------------------------------------------------
 * 1. Geometry
 */

static const struct t_mode t_geo_modes[] = {
	{ false, 1, "chain1" },
	{ false, 4, "chain4" },
	{ false, 8, "chain8" },
	{ true, 8, "chain8-debug" },
	{ false, 16, "chain16" },
	{ false, 32, "chain32" },
};

KUNIT_ARRAY_PARAM(t_geo, t_geo_modes, t_mode_desc);

/* A pool for a geometry mode; skips chains this page size refuses. */
static struct hzs_pool *t_geo_pool(struct kunit *test, const struct t_mode *m)
{
	if (m->chain > hzs_test_chain_limit())
		kunit_skip(test, "chains of %u pages need 4K pages", m->chain);
	return t_pool(test, m->debug, m->chain);
}

static void hzs_geometry_every_size(struct kunit *test)
{
	const struct t_mode *m = test->param_value;
	struct hzs_pool *pool = t_geo_pool(test, m);
	unsigned int rz = hzs_pool_redzone(pool), size, nr;
	struct hzs_class_info ci, prev;
	int last = -1, idx;

	nr = hzs_pool_nr_classes(pool);
	KUNIT_ASSERT_GT(test, nr, 1U);
	if (m->debug)
		KUNIT_EXPECT_GT(test, rz, 0U);
	else
		KUNIT_EXPECT_EQ(test, rz, 0U);

	for (size = 1; size <= PAGE_SIZE; size++) {
		unsigned int need = min_t(unsigned int, size + rz, PAGE_SIZE);

		idx = hzs_pool_size_class(pool, size);
		KUNIT_ASSERT_GE(test, idx, 0);
		KUNIT_ASSERT_LT(test, (unsigned int)idx, nr);
		hzs_pool_class_info(pool, idx, &ci);
		/* Fits, including the red zone when there is room for it. */
		KUNIT_ASSERT_GE_MSG(test, ci.size, need, "size %u", size);
		KUNIT_EXPECT_GE(test, size, ci.min_obj);
		KUNIT_EXPECT_LE(test, size, ci.max_obj);
		/* Monotonic, and nothing smaller would have fitted. */
		KUNIT_ASSERT_GE(test, idx, last);
		if (idx > 0) {
			hzs_pool_class_info(pool, idx - 1, &prev);
			KUNIT_ASSERT_LT_MSG(test, prev.size, need, "size %u", size);
		}
		last = idx;
	}
	KUNIT_EXPECT_EQ(test, hzs_pool_size_class(pool, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, hzs_pool_size_class(pool, PAGE_SIZE + 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, (unsigned int)last, nr - 1);
}

static void hzs_geometry_optimal_chain(struct kunit *test)
{
	const struct t_mode *m = test->param_value;
	struct hzs_pool *pool = t_geo_pool(test, m);
	unsigned int nr = hzs_pool_nr_classes(pool), i, pages, objs, s;
	unsigned int below = 0;
	struct hzs_class_info ci, next;

	for (i = 0; i < nr; i++) {
		unsigned long waste;

		hzs_pool_class_info(pool, i, &ci);
		KUNIT_EXPECT_EQ(test, ci.size % T_ALIGN, 0U);
		/* Its own layout, checked after the loop. */
		if (ci.huge) {
			KUNIT_EXPECT_EQ(test, i, nr - 1);
			break;
		}
		KUNIT_EXPECT_LE(test, ci.pages_per_zspage, m->chain);
		KUNIT_EXPECT_EQ(test, ci.objs_per_zspage,
				ci.pages_per_zspage * (unsigned int)PAGE_SIZE / ci.size);

		/* Brute force: no chain length costs less per object. */
		t_best_chain(ci.size, m->chain, &pages, &objs);
		KUNIT_EXPECT_EQ_MSG(test, ci.pages_per_zspage, pages,
				    "class size %u", ci.size);
		KUNIT_EXPECT_EQ(test, ci.objs_per_zspage, objs);
		/* Descriptors come from slab pages, never higher orders. */
		KUNIT_EXPECT_LE_MSG(test, t_desc_size(ci.pages_per_zspage,
						      ci.objs_per_zspage),
				    (size_t)PAGE_SIZE, "class size %u", ci.size);
		waste = ci.pages_per_zspage * PAGE_SIZE -
			(unsigned long)ci.objs_per_zspage * ci.size;
		KUNIT_EXPECT_LT(test, waste, (unsigned long)ci.size);

		/*
		 * Merged: every granule size folded into this class would
		 * have had the same geometry on its own, so the biggest
		 * slot costs nothing in objects per zspage.
		 */
		for (s = below + T_ALIGN; s < ci.size; s += T_ALIGN) {
			t_best_chain(s, m->chain, &pages, &objs);
			KUNIT_EXPECT_EQ_MSG(test, pages, ci.pages_per_zspage,
					    "granule %u in class %u", s, ci.size);
			KUNIT_EXPECT_EQ_MSG(test, objs, ci.objs_per_zspage,
					    "granule %u in class %u", s, ci.size);
		}
		/* ...and neighbours that differ were rightly not merged. */
		if (i + 1 < nr) {
			bool same;

			hzs_pool_class_info(pool, i + 1, &next);
			same = !next.huge &&
			       next.pages_per_zspage == ci.pages_per_zspage &&
			       next.objs_per_zspage == ci.objs_per_zspage;
			KUNIT_EXPECT_FALSE_MSG(test, same,
					       "classes %u and %u should be one",
					       ci.size, next.size);
		}
		below = ci.size;
	}
	/*
	 * The top class is the huge class: one object per page, several
	 * such slots per descriptor, slot i being page i.
	 */
	KUNIT_EXPECT_TRUE(test, ci.huge);
	KUNIT_EXPECT_EQ(test, ci.size, (unsigned int)PAGE_SIZE);
	KUNIT_EXPECT_GT(test, ci.objs_per_zspage, 1U);
	KUNIT_EXPECT_EQ(test, ci.pages_per_zspage, ci.objs_per_zspage);
}

static void hzs_geometry_huge_threshold(struct kunit *test)
{
	const struct t_mode *m = test->param_value;
	struct hzs_pool *pool = t_geo_pool(test, m);
	size_t thr = hzs_huge_threshold(pool);
	unsigned int nr = hzs_pool_nr_classes(pool);
	struct hzs_class_info ci;

	KUNIT_ASSERT_GT(test, thr, (size_t)0);
	KUNIT_ASSERT_LT(test, thr, (size_t)PAGE_SIZE);
	hzs_pool_class_info(pool, hzs_pool_size_class(pool, thr), &ci);
	KUNIT_EXPECT_GT(test, ci.objs_per_zspage, 1U);
	KUNIT_EXPECT_EQ(test, hzs_pool_size_class(pool, thr + 1), (int)nr - 1);
	KUNIT_EXPECT_EQ(test, hzs_pool_size_class(pool, PAGE_SIZE), (int)nr - 1);
}

/*
 * Values computed outside the kernel (a 30-line script of the same rule,
 * with the slab's kmalloc buckets) for the page sizes and descriptor
 * layouts we test on: catches a rule change the brute force in the test
 * would share with the allocator. The layout is the descriptor header's
 * size and the pointer size; only the class count depends on it.
 */
static void hzs_geometry_known_values(struct kunit *test)
{
	static const struct {
		unsigned short page_size, header, ptr;
		unsigned short chain, classes, threshold;
	} known[] = {
		/* 64-bit without lockdep (Debian's kernels) */
		{ 4096, 40, 8, 1, 31, 2048 }, { 4096, 40, 8, 4, 70, 3264 },
		{ 4096, 40, 8, 8, 120, 3632 }, { 4096, 40, 8, 16, 193, 3840 },
		{ 4096, 40, 8, 32, 242, 3968 },
		/* x86_64 and arm64 with lockdep */
		{ 4096, 96, 8, 1, 31, 2048 }, { 4096, 96, 8, 4, 70, 3264 },
		{ 4096, 96, 8, 8, 120, 3632 }, { 4096, 96, 8, 16, 192, 3840 },
		{ 4096, 96, 8, 32, 242, 3968 },
		/* x86_64 PREEMPT_RT with lockdep */
		{ 4096, 176, 8, 1, 31, 2048 }, { 4096, 176, 8, 4, 70, 3264 },
		{ 4096, 176, 8, 8, 120, 3632 }, { 4096, 176, 8, 16, 191, 3840 },
		{ 4096, 176, 8, 32, 240, 3968 },
		/* arm32 with lockdep */
		{ 4096, 56, 4, 1, 31, 2048 }, { 4096, 56, 4, 4, 70, 3264 },
		{ 4096, 56, 4, 8, 120, 3632 }, { 4096, 56, 4, 16, 192, 3840 },
		{ 4096, 56, 4, 32, 242, 3968 },
		/* arm64 16K pages with lockdep */
		{ 16384, 96, 8, 1, 63, 8192 }, { 16384, 96, 8, 4, 144, 13104 },
		{ 16384, 96, 8, 8, 265, 14560 }, { 16384, 96, 8, 16, 465, 15408 },
	};
	size_t header = hzs_test_desc_bytes(0, 0);
	unsigned int i, checked = 0;

	for (i = 0; i < ARRAY_SIZE(known); i++) {
		struct hzs_pool *pool;

		if (known[i].page_size != PAGE_SIZE ||
		    known[i].header != header ||
		    known[i].ptr != sizeof(void *))
			continue;
		pool = t_pool(test, false, known[i].chain);
		KUNIT_EXPECT_EQ_MSG(test, hzs_pool_nr_classes(pool),
				    (unsigned int)known[i].classes,
				    "chain %u", known[i].chain);
		KUNIT_EXPECT_EQ(test, hzs_huge_threshold(pool),
				(size_t)known[i].threshold);
		checked++;
	}
	if (!checked)
		kunit_skip(test, "no values for PAGE_SIZE %lu, header %zu",
			   PAGE_SIZE, header);
}

static struct kunit_case hzs_geometry_cases[] = {
	KUNIT_CASE_PARAM(hzs_geometry_every_size, t_geo_gen_params),
	KUNIT_CASE_PARAM(hzs_geometry_optimal_chain, t_geo_gen_params),
	KUNIT_CASE_PARAM(hzs_geometry_huge_threshold, t_geo_gen_params),
	KUNIT_CASE(hzs_geometry_known_values),
	{}
};

static struct kunit_suite hzs_geometry_suite = {
	.name = "hzs_geometry",
	.test_cases = hzs_geometry_cases,
};

/* ---------------------------------------------------------------------
 * 2. Round trip through every class
 */

struct t_bufs {
	u8 *a, *b, *bounce;
};

static void t_bufs_get(struct kunit *test, struct t_bufs *b)
{
	b->a = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	b->b = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	b->bounce = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b->a);
	KUNIT_ASSERT_NOT_NULL(test, b->b);
	KUNIT_ASSERT_NOT_NULL(test, b->bounce);
}

/* A new object of @size holding t_fill()'s bytes for @seed. */
static unsigned long t_alloc_written(struct kunit *test,
				     struct hzs_pool *pool, size_t size,
				     u32 seed, struct t_bufs *b)
{
	unsigned long h = hzs_alloc(pool, size, GFP_KERNEL);

	KUNIT_ASSERT_NE(test, h, 0UL);
	t_fill(b->a, size, seed);
	hzs_write(pool, h, b->a, size);
	return h;
}

/* Checks one object three ways; returns false on any difference. */
static bool t_verify_obj(struct kunit *test, struct hzs_pool *pool,
			 unsigned long h, size_t size, u32 seed,
			 struct t_bufs *b)
{
	struct hzs_obj_loc loc;
	struct hzs_map map;
	bool ok = true, direct;

	memset(b->a, 0, size);
	ok &= !hzs_read(pool, h, b->a, size);
	ok &= t_check(b->a, size, seed, b->b);

	if (hzs_read_begin(pool, h, size, b->bounce, &map))
		return false;
	direct = map.addr != b->bounce;
	ok &= t_check(map.addr, size, seed, b->b);
	hzs_read_end(&map);

	/* Direct mapping exactly when the object lies in one page. */
	KUNIT_EXPECT_EQ(test, hzs_handle_locate(pool, h, &loc), 0);
	KUNIT_EXPECT_EQ(test, direct, !loc.spans);

	/* A prefix read sees the prefix. */
	if (size > 1) {
		hzs_read(pool, h, b->a, size / 2);
		ok &= t_check(b->a, size / 2, seed, b->b);
	}
	return ok;
}

static void hzs_roundtrip_every_class(struct kunit *test)
{
	const struct t_mode *m = test->param_value;
	struct hzs_pool *pool = t_pool(test, m->debug, m->chain);
	unsigned int nr = hzs_pool_nr_classes(pool), c, i;
	unsigned long spanning_total = 0, bad = 0;
	struct hzs_class_info ci;
	struct t_bufs b;
	u32 seed = 1;

	t_bufs_get(test, &b);
	for (c = 0; c < nr; c++) {
		unsigned int n, spans = 0, expect_spans = 0, seen = 0;
		unsigned long *h;
		size_t *sz;
		bool *at;

		hzs_pool_class_info(pool, c, &ci);
		/* Debug mode: the red zone alone fills the smallest slots. */
		if (!ci.max_obj) {
			KUNIT_EXPECT_TRUE(test, m->debug);
			KUNIT_EXPECT_LE(test, ci.size, hzs_pool_redzone(pool));
			continue;
		}
		/*
		 * The first zspage fills slot by slot with the largest size
		 * (every offset the geometry has); a few more objects, of
		 * both extreme sizes, start a second chain.
		 */
		n = ci.objs_per_zspage + min(ci.objs_per_zspage, 4U);
		h = kunit_kcalloc(test, n, sizeof(*h), GFP_KERNEL);
		sz = kunit_kcalloc(test, n, sizeof(*sz), GFP_KERNEL);
		at = kunit_kcalloc(test, ci.objs_per_zspage, sizeof(*at),
				   GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, h);
		KUNIT_ASSERT_NOT_NULL(test, sz);
		KUNIT_ASSERT_NOT_NULL(test, at);

		for (i = 0; i < n; i++) {
			sz[i] = i >= ci.objs_per_zspage && i % 2 ?
				ci.min_obj : ci.max_obj;
			h[i] = hzs_alloc(pool, sz[i], GFP_KERNEL);
			KUNIT_EXPECT_NE(test, h[i], 0UL);
			if (!h[i])
				continue;
			KUNIT_EXPECT_EQ(test, hzs_obj_size(pool, h[i]), sz[i]);
			t_fill(b.a, sz[i], seed + i);
			hzs_write(pool, h[i], b.a, sz[i]);
		}
		for (i = 0; i < ci.objs_per_zspage; i++) {
			unsigned long off = (unsigned long)i * ci.size;

			if (offset_in_page(off) + ci.max_obj > PAGE_SIZE)
				expect_spans++;
		}
		for (i = 0; i < n; i++) {
			struct hzs_obj_loc loc;

			if (!h[i])
				continue;
			if (!t_verify_obj(test, pool, h[i], sz[i], seed + i, &b))
				bad++;
			if (i >= ci.objs_per_zspage ||
			    hzs_handle_locate(pool, h[i], &loc))
				continue;
			if (loc.index < ci.objs_per_zspage && !at[loc.index]) {
				at[loc.index] = true;
				seen++;
			}
			spans += loc.spans;
		}
		KUNIT_EXPECT_EQ_MSG(test, seen, ci.objs_per_zspage,
				    "class %u: slots covered", ci.size);
		KUNIT_EXPECT_EQ_MSG(test, spans, expect_spans,
				    "class %u: spanning objects", ci.size);
		spanning_total += spans;

		/* Overwrite in place, then check again. */
		for (i = 0; i < n; i++) {
			if (!h[i])
				continue;
			t_fill(b.a, sz[i], ~(seed + i));
			hzs_write(pool, h[i], b.a, sz[i]);
		}
		for (i = 0; i < n; i++)
			if (h[i] && !t_verify_obj(test, pool, h[i], sz[i],
						  ~(seed + i), &b))
				bad++;
		for (i = 0; i < n; i++)
			hzs_free(pool, h[i]);
		kunit_kfree(test, h);
		kunit_kfree(test, sz);
		kunit_kfree(test, at);
		seed += n;
		KUNIT_EXPECT_EQ(test, hzs_pool_pages(pool), 0ULL);
	}
	KUNIT_EXPECT_EQ(test, bad, 0UL);
	KUNIT_EXPECT_GT(test, spanning_total, 0UL);
	KUNIT_EXPECT_EQ(test, hzs_pool_verify(pool), 0UL);
	KUNIT_EXPECT_EQ(test, t_errors(pool), 0ULL);
	kunit_info(test, "%u classes, %lu spanning objects checked\n", nr,
		   spanning_total);
}

static void hzs_roundtrip_bad_sizes(struct kunit *test)
{
	struct hzs_pool *pool = t_pool(test, false, 0);

	KUNIT_EXPECT_EQ(test, hzs_alloc(pool, 0, GFP_KERNEL), 0UL);
	KUNIT_EXPECT_EQ(test, hzs_alloc(pool, PAGE_SIZE + 1, GFP_KERNEL), 0UL);
	KUNIT_EXPECT_EQ(test, hzs_pool_pages(pool), 0ULL);
	/* Freeing 0 is a no-op, like upstream. */
	hzs_free(pool, 0);
	KUNIT_EXPECT_EQ(test, t_errors(pool), 0ULL);
}

static struct kunit_case hzs_roundtrip_cases[] = {
	HZ_KUNIT_CASE_PARAM_SLOW(hzs_roundtrip_every_class, t_mode_gen_params),
	KUNIT_CASE(hzs_roundtrip_bad_sizes),
	{}
};

static struct kunit_suite hzs_roundtrip_suite = {
	.name = "hzs_roundtrip",
	.test_cases = hzs_roundtrip_cases,
};

/* ---------------------------------------------------------------------
 * 3. Highmem
 */

struct t_page_walk {
	unsigned long pages, highmem, movable, private_set;
	unsigned long max_pfn;
};

static void t_walk_page(struct page *page, void *arg)
{
	struct t_page_walk *w = arg;
	unsigned long pfn = page_to_pfn(page);

	w->pages++;
	if (PageHighMem(page))
		w->highmem++;
	if (page_zonenum(page) == ZONE_MOVABLE)
		w->movable++;
	if (page_private(page))
		w->private_set++;
	w->max_pfn = max(w->max_pfn, pfn);
}

static void hzs_highmem_pages(struct kunit *test)
{
	struct hzs_pool *pool = t_pool(test, false, 0);
	unsigned long n, i, bad = 0, hi_spans = 0;
	struct t_page_walk w = { 0 };
	struct hzs_class_info ci;
	phys_addr_t top;
	unsigned long *h;
	struct t_bufs b;
	int c;

	t_bufs_get(test, &b);
	c = t_spanning_class(pool, &ci);
	KUNIT_ASSERT_GE(test, c, 0);
	/* About 2 MiB of data pages. */
	n = DIV_ROUND_UP(2UL << 20, PAGE_SIZE) / ci.pages_per_zspage *
	    ci.objs_per_zspage;
	h = kunit_kcalloc(test, n, sizeof(*h), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h);

	for (i = 0; i < n; i++) {
		h[i] = hzs_alloc(pool, ci.max_obj, GFP_KERNEL);
		if (!h[i])
			break;
		t_fill(b.a, ci.max_obj, 7 * i);
		hzs_write(pool, h[i], b.a, ci.max_obj);
	}
	KUNIT_EXPECT_EQ(test, i, n);
	n = i;

	hzs_pool_walk_pages(pool, t_walk_page, &w);
	KUNIT_EXPECT_EQ(test, w.pages, (unsigned long)hzs_pool_pages(pool));
	/* Unmovable pages never sit in ZONE_MOVABLE; struct page untouched. */
	KUNIT_EXPECT_EQ(test, w.movable, 0UL);
	KUNIT_EXPECT_EQ(test, w.private_set, 0UL);

	for (i = 0; i < n; i++) {
		struct hzs_obj_loc loc;

		if (!t_verify_obj(test, pool, h[i], ci.max_obj, 7 * i, &b))
			bad++;
		if (!hzs_handle_locate(pool, h[i], &loc) && loc.spans &&
		    PageHighMem(loc.pages[0]) && PageHighMem(loc.pages[1]))
			hi_spans++;
	}
	KUNIT_EXPECT_EQ(test, bad, 0UL);

	top = PFN_PHYS(w.max_pfn);
	kunit_info(test, "%lu pool pages, %lu highmem, highest PFN %#lx (phys %pa), above 4 GiB: %s\n",
		   w.pages, w.highmem, w.max_pfn, &top,
		   (u64)w.max_pfn >= (1ULL << (32 - PAGE_SHIFT)) ? "yes" : "no");
	for (i = 0; i < n; i++)
		hzs_free(pool, h[i]);
	KUNIT_EXPECT_EQ(test, hzs_pool_pages(pool), 0ULL);

	/* A skip would hide the failures above: skip only a clean run. */
	if (!IS_ENABLED(CONFIG_HIGHMEM) && test->status != KUNIT_FAILURE)
		kunit_skip(test, "no CONFIG_HIGHMEM: every page is lowmem here");
	if (!IS_ENABLED(CONFIG_HIGHMEM))
		return;
	KUNIT_EXPECT_GT(test, w.highmem, 0UL);
	KUNIT_EXPECT_GT(test, hi_spans, 0UL);
	kunit_info(test, "%lu objects spanning two highmem pages round-tripped\n",
		   hi_spans);
}

static struct kunit_case hzs_highmem_cases[] = {
	KUNIT_CASE(hzs_highmem_pages),
	{}
};

static struct kunit_suite hzs_highmem_suite = {
	.name = "hzs_highmem",
	.test_cases = hzs_highmem_cases,
};

/* ---------------------------------------------------------------------
 * 4. Handle encoding and validation
 */

/* Physical address bits this build can ever see. */
static unsigned int t_phys_bits(void)
{
#if defined(MAX_POSSIBLE_PHYSMEM_BITS)
	return MAX_POSSIBLE_PHYSMEM_BITS;
#elif defined(MAX_PHYSMEM_BITS)
	return MAX_PHYSMEM_BITS;
#else
	return 8 * sizeof(phys_addr_t);
#endif
}

/*
 * Forge a zspage on @pages (never dereferenced) and decode a handle to
 * every slot. With @pfn set, the decoded page must also give back the PFN
 * it was made from.
 */
static void t_forge_check(struct kunit *test, struct hzs_pool *pool,
			  const struct hzs_class_info *ci,
			  struct page * const *pages, unsigned long pfn)
{
	unsigned int idx, checked = 0;

	for (idx = 0; idx < ci->objs_per_zspage; idx++) {
		unsigned long off = (unsigned long)idx * ci->size;
		struct hzs_obj_loc loc;
		unsigned long h;

		h = hzs_test_forge(pool, ci->max_obj, pages,
				   ci->pages_per_zspage, idx);
		KUNIT_ASSERT_NE(test, h, 0UL);
		KUNIT_EXPECT_EQ(test, hzs_handle_locate(pool, h, &loc), 0);
		KUNIT_EXPECT_EQ(test, loc.index, idx);
		KUNIT_EXPECT_EQ(test, loc.page_idx, (unsigned int)(off >> PAGE_SHIFT));
		KUNIT_EXPECT_EQ(test, loc.offset, (unsigned int)offset_in_page(off));
		KUNIT_EXPECT_PTR_EQ(test, loc.pages[0], pages[loc.page_idx]);
		if (loc.spans)
			KUNIT_EXPECT_PTR_EQ(test, loc.pages[1],
					    pages[loc.page_idx + 1]);
		if (pfn)
			KUNIT_EXPECT_EQ(test, page_to_pfn(loc.pages[0]),
					pfn - loc.page_idx);
		hzs_test_unforge(pool, h);
		checked++;
	}
	KUNIT_EXPECT_EQ(test, checked, ci->objs_per_zspage);
}

/* The chain pfn, pfn - 1, ... as struct page pointers. */
static void t_forge_pfn(struct kunit *test, struct hzs_pool *pool,
			const struct hzs_class_info *ci, unsigned long pfn)
{
	struct page *pages[32];
	unsigned int k;

	KUNIT_ASSERT_LE(test, ci->pages_per_zspage, (unsigned int)ARRAY_SIZE(pages));
	KUNIT_ASSERT_GE(test, pfn, (unsigned long)ci->pages_per_zspage);
	for (k = 0; k < ci->pages_per_zspage; k++)
		pages[k] = pfn_to_page(pfn - k);
	/*
	 * On 32-bit the memmap cannot describe every PFN the physical
	 * address width allows; such a PFN has no struct page, so no pool
	 * page can have it. Say so rather than pretend.
	 */
	if (page_to_pfn(pages[0]) != pfn) {
		kunit_info(test, "PFN %#lx has no struct page on this build\n",
			   pfn);
		pfn = 0;
	}
	t_forge_check(test, pool, ci, pages, pfn);
}

static void hzs_handle_max_pfn(struct kunit *test)
{
	struct hzs_pool *pool = t_pool(test, false, 0);
	unsigned int bits = t_phys_bits(), k;
	struct hzs_class_info ci;
	struct page *tokens[32];
	unsigned long max;
	struct page *page;

	KUNIT_ASSERT_GE(test, t_spanning_class(pool, &ci), 0);
	KUNIT_ASSERT_LE(test, ci.pages_per_zspage, (unsigned int)ARRAY_SIZE(tokens));

	/* A real page, highmem where there is some. */
	page = alloc_page(GFP_KERNEL | __GFP_HIGHMEM);
	KUNIT_ASSERT_NOT_NULL(test, page);
	if (page_to_pfn(page) >= ci.pages_per_zspage)
		t_forge_pfn(test, pool, &ci, page_to_pfn(page));
	__free_page(page);

	if (bits - PAGE_SHIFT >= BITS_PER_LONG)
		max = ULONG_MAX;
	else
		max = (1UL << (bits - PAGE_SHIFT)) - 1;
	kunit_info(test, "physical address bits %u, largest PFN %#lx\n",
		   bits, max);
	if (IS_ENABLED(CONFIG_FLATMEM) || IS_ENABLED(CONFIG_SPARSEMEM_VMEMMAP)) {
		/* The first frame above 4 GiB, and the very last one. */
		t_forge_pfn(test, pool, &ci, 1UL << (32 - PAGE_SHIFT));
		t_forge_pfn(test, pool, &ci, max);
	} else {
		/*
		 * Classic sparsemem has no struct page for a PFN without
		 * memory; the decode never looks through the pointer
		 * anyway, so the top of the address space stands in.
		 */
		kunit_info(test, "memmap not linear: page pointers forged as tokens\n");
	}
	for (k = 0; k < ci.pages_per_zspage; k++)
		tokens[k] = (struct page *)(ULONG_MAX - 63 - 64 * k);
	t_forge_check(test, pool, &ci, tokens, 0);

	/* Forged zspages are never linked into the pool. */
	KUNIT_EXPECT_EQ(test, hzs_pool_verify(pool), 0UL);
	KUNIT_EXPECT_EQ(test, hzs_pool_pages(pool), 0ULL);
}

static void hzs_handle_bad_rejected(struct kunit *test)
{
	struct hzs_pool *pool = t_pool(test, false, 0);
	struct hzs_pool *other = t_pool(test, false, 0);
	unsigned long h, h2, ho, *garbage;
	struct hzs_obj_loc loc;
	struct t_bufs b;
	u64 err;

	t_bufs_get(test, &b);
	h = hzs_alloc(pool, 200, GFP_KERNEL);
	h2 = hzs_alloc(pool, 200, GFP_KERNEL);
	KUNIT_ASSERT_NE(test, h, 0UL);
	KUNIT_ASSERT_NE(test, h2, 0UL);
	t_fill(b.a, 200, 1);
	hzs_write(pool, h, b.a, 200);
	t_fill(b.a, 200, 2);
	hzs_write(pool, h2, b.a, 200);

	/*
	 * Record magic flipped: every entry point refuses, and the reads
	 * say so (-EIO) instead of handing out zeroes as the object.
	 */
	hzs_test_corrupt(pool, h, false, 0x1);
	err = t_errors(pool);
	memset(b.a, 0xff, 200);
	KUNIT_EXPECT_EQ(test, hzs_read(pool, h, b.a, 200), -EIO);
	KUNIT_EXPECT_NULL(test, memchr_inv(b.a, 0xff, 200));
	t_fill(b.a, 200, 99);
	KUNIT_EXPECT_EQ(test, hzs_write(pool, h, b.a, 200), -EIO);
	KUNIT_EXPECT_EQ(test, hzs_obj_size(pool, h), (size_t)0);
	KUNIT_EXPECT_EQ(test, hzs_handle_locate(pool, h, &loc), -EINVAL);
	hzs_free(pool, h);
	KUNIT_EXPECT_EQ(test, t_errors(pool), err + 5);
	hzs_test_corrupt(pool, h, false, 0x1);
	/* Refused means untouched: still there, old contents. */
	KUNIT_EXPECT_EQ(test, hzs_obj_size(pool, h), (size_t)200);
	hzs_read(pool, h, b.a, 200);
	KUNIT_EXPECT_TRUE(test, t_check(b.a, 200, 1, b.b));

	/* Descriptor magic flipped. */
	hzs_test_corrupt(pool, h, true, 0x100);
	err = t_errors(pool);
	KUNIT_EXPECT_EQ(test, hzs_obj_size(pool, h), (size_t)0);
	hzs_free(pool, h);
	KUNIT_EXPECT_EQ(test, t_errors(pool), err + 2);
	hzs_test_corrupt(pool, h, true, 0x100);
	KUNIT_EXPECT_EQ(test, hzs_obj_size(pool, h), (size_t)200);

	/*
	 * A pointer; a handle plus one; a handle given to another pool,
	 * one whose first record, the same index as h's, is live.
	 */
	garbage = kunit_kzalloc(test, 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, garbage);
	ho = hzs_alloc(other, 200, GFP_KERNEL);
	KUNIT_ASSERT_NE(test, ho, 0UL);
	err = t_errors(pool);
	KUNIT_EXPECT_EQ(test, hzs_obj_size(pool, (unsigned long)garbage), (size_t)0);
	KUNIT_EXPECT_EQ(test, hzs_obj_size(pool, h + 1), (size_t)0);
	KUNIT_EXPECT_EQ(test, hzs_obj_size(other, h), (size_t)0);
	hzs_free(other, h);
	KUNIT_EXPECT_EQ(test, t_errors(pool), err + 2);
	KUNIT_EXPECT_EQ(test, t_errors(other), 2ULL);
	KUNIT_EXPECT_EQ(test, hzs_obj_size(other, ho), (size_t)200);
	hzs_free(other, ho);
	KUNIT_EXPECT_EQ(test, hzs_pool_verify(other), 0UL);

	/* read_begin on a bad handle fails and holds nothing. */
	{
		struct hzs_map map = { };

		KUNIT_EXPECT_EQ(test, hzs_read_begin(pool, h + 1, 200,
						     b.bounce, &map), -EIO);
		KUNIT_EXPECT_NULL(test, map.pin);
	}

	/* The neighbour never noticed. */
	hzs_read(pool, h2, b.a, 200);
	KUNIT_EXPECT_TRUE(test, t_check(b.a, 200, 2, b.b));

	/* Double free: the second is refused and counted. */
	hzs_free(pool, h);
	err = t_errors(pool);
	hzs_free(pool, h);
	KUNIT_EXPECT_EQ(test, t_errors(pool), err + 1);
	hzs_free(pool, h2);
	KUNIT_EXPECT_EQ(test, hzs_pool_pages(pool), 0ULL);
	KUNIT_EXPECT_EQ(test, hzs_pool_verify(pool), 0UL);
}

static void hzs_handle_oversize_access(struct kunit *test)
{
	struct hzs_pool *pool = t_pool(test, false, 0);
	unsigned long h[3];
	struct t_bufs b;
	unsigned int i;
	u64 err;

	t_bufs_get(test, &b);
	for (i = 0; i < 3; i++) {
		h[i] = hzs_alloc(pool, 100, GFP_KERNEL);
		KUNIT_ASSERT_NE(test, h[i], 0UL);
		t_fill(b.a, 100, i);
		hzs_write(pool, h[i], b.a, 100);
	}
	/* The 2016 bug: a copy longer than the object. Refused whole. */
	err = t_errors(pool);
	t_fill(b.a, 200, 50);
	KUNIT_EXPECT_EQ(test, hzs_write(pool, h[1], b.a, 200), -EIO);
	KUNIT_EXPECT_EQ(test, hzs_read(pool, h[1], b.a, 101), -EIO);
	KUNIT_EXPECT_EQ(test, t_errors(pool), err + 2);
	/*
	 * A mapping for any size but the object's is refused too: a caller's
	 * stale or damaged size must not reach past the object, nor a short
	 * one pass a prefix off as the whole.
	 */
	{
		static const size_t wrong[] = { 101, 99 };
		struct hzs_map map = { };

		err = t_errors(pool);
		for (i = 0; i < ARRAY_SIZE(wrong); i++) {
			int ret = hzs_read_begin(pool, h[1], wrong[i], b.bounce,
						 &map);

			KUNIT_EXPECT_EQ_MSG(test, ret, -EIO,
					    "a %zu-byte mapping of a 100-byte object",
					    wrong[i]);
			if (!ret)
				hzs_read_end(&map);	/* keep the test sane */
		}
		KUNIT_EXPECT_NULL(test, map.pin);
		KUNIT_EXPECT_EQ(test, t_errors(pool), err + 2);
		KUNIT_ASSERT_EQ(test, hzs_read_begin(pool, h[1], 100, b.bounce,
						     &map), 0);
		KUNIT_EXPECT_TRUE(test, t_check(map.addr, 100, 1, b.b));
		hzs_read_end(&map);
	}
	for (i = 0; i < 3; i++) {
		hzs_read(pool, h[i], b.a, 100);
		KUNIT_EXPECT_TRUE(test, t_check(b.a, 100, i, b.b));
		hzs_free(pool, h[i]);
	}
}

/*
 * Begin and end pair by construction: a handle damaged between
 * hzs_read_begin() and hzs_read_end() still gets its pin released (the
 * end does not decode the handle again), so the next compaction of that
 * zspage cannot wait forever for it.
 */
static void hzs_handle_end_after_damage(struct kunit *test)
{
	struct hzs_pool *pool = t_pool(test, false, 0);
	struct hzs_map map;
	unsigned long h[2];
	struct t_bufs b;
	unsigned int i;

	t_bufs_get(test, &b);
	for (i = 0; i < 2; i++) {
		h[i] = hzs_alloc(pool, 300, GFP_KERNEL);
		KUNIT_ASSERT_NE(test, h[i], 0UL);
		t_fill(b.a, 300, i);
		KUNIT_ASSERT_EQ(test, hzs_write(pool, h[i], b.a, 300), 0);
	}
	KUNIT_ASSERT_EQ(test, hzs_read_begin(pool, h[0], 300, b.bounce, &map),
			0);
	KUNIT_EXPECT_FALSE(test, hzs_test_zspage_unpinned(pool, h[0]));
	hzs_test_corrupt(pool, h[0], false, 0x1);
	hzs_read_end(&map);
	hzs_test_corrupt(pool, h[0], false, 0x1);
	KUNIT_EXPECT_TRUE(test, hzs_test_zspage_unpinned(pool, h[0]));

	/* The same with the descriptor's magic damaged. */
	KUNIT_ASSERT_EQ(test, hzs_read_begin(pool, h[1], 300, b.bounce, &map),
			0);
	hzs_test_corrupt(pool, h[1], true, 0x100);
	hzs_read_end(&map);
	hzs_test_corrupt(pool, h[1], true, 0x100);
	KUNIT_EXPECT_TRUE(test, hzs_test_zspage_unpinned(pool, h[1]));

	hzs_free(pool, h[1]);
	hzs_compact(pool);
	KUNIT_EXPECT_EQ(test, hzs_read(pool, h[0], b.a, 300), 0);
	KUNIT_EXPECT_TRUE(test, t_check(b.a, 300, 0, b.b));
	hzs_free(pool, h[0]);
	KUNIT_EXPECT_EQ(test, hzs_pool_verify(pool), 0UL);
}

static struct kunit_case hzs_handle_cases[] = {
	KUNIT_CASE(hzs_handle_max_pfn),
	KUNIT_CASE(hzs_handle_bad_rejected),
	KUNIT_CASE(hzs_handle_oversize_access),
	KUNIT_CASE(hzs_handle_end_after_damage),
	{}
};

static struct kunit_suite hzs_handle_suite = {
	.name = "hzs_handle",
	.test_cases = hzs_handle_cases,
};

/* ---------------------------------------------------------------------
 * 5. Failure injection
 */

static void t_expect_empty(struct kunit *test, struct hzs_pool *pool)
{
	struct hzs_pool_stats st;

	hzs_pool_stats(pool, &st);
	KUNIT_EXPECT_EQ(test, st.pages, 0ULL);
	KUNIT_EXPECT_EQ(test, st.objs_used, 0ULL);
	KUNIT_EXPECT_EQ(test, st.objs_allocated, 0ULL);
	KUNIT_EXPECT_EQ(test, st.bytes_used, 0ULL);
	KUNIT_EXPECT_EQ(test, st.meta_bytes, 0ULL);
	KUNIT_EXPECT_EQ(test, hzs_pool_verify(pool), 0UL);
}

static void hzs_fault_every_step(struct kunit *test)
{
	const struct t_mode *m = test->param_value;
	struct hzs_pool *pool = t_pool(test, m->debug, m->chain);
	unsigned int steps, nth, i;
	struct hzs_pool_stats before, after;
	unsigned int grow_faults = 0;
	struct hzs_class_info ci;
	unsigned long *h, extra;
	struct t_bufs b;

	t_bufs_get(test, &b);
	KUNIT_ASSERT_GE(test, t_spanning_class(pool, &ci), 0);
	/*
	 * Record, the record table's directory and first chunk, descriptor,
	 * the zspage table's directory and first chunk (a new pool has no
	 * tables), then the zspage's first page, no more.
	 */
	steps = 7;

	for (nth = 1; nth <= steps; nth++) {
		hzs_pool_fail_nth(pool, nth);
		KUNIT_EXPECT_EQ_MSG(test, hzs_alloc(pool, ci.max_obj, GFP_KERNEL),
				    0UL, "allocation %u of %u failed", nth, steps);
		t_expect_empty(test, pool);
	}
	hzs_pool_fail_nth(pool, 0);

	/*
	 * Fill a zspage one object at a time. It takes a page only when an
	 * object first reaches into it; failing that page (the second step,
	 * after the record) leaves the pool as it was.
	 */
	h = kunit_kcalloc(test, ci.objs_per_zspage, sizeof(*h), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h);
	for (i = 0; i < ci.objs_per_zspage; i++) {
		u64 need = DIV_ROUND_UP((u64)(i + 1) * ci.size, PAGE_SIZE);

		hzs_pool_stats(pool, &before);
		for (nth = 1; i && need > before.pages && nth <= 2; nth++) {
			hzs_pool_fail_nth(pool, nth);
			KUNIT_EXPECT_EQ_MSG(test,
					    hzs_alloc(pool, ci.max_obj, GFP_KERNEL),
					    0UL, "object %u, step %u", i, nth);
			hzs_pool_stats(pool, &after);
			KUNIT_EXPECT_EQ(test, after.pages, before.pages);
			KUNIT_EXPECT_EQ(test, after.objs_used, before.objs_used);
			KUNIT_EXPECT_EQ(test, after.meta_bytes, before.meta_bytes);
			KUNIT_EXPECT_EQ(test, hzs_pool_verify(pool), 0UL);
			grow_faults++;
		}
		hzs_pool_fail_nth(pool, 0);
		h[i] = t_alloc_written(test, pool, ci.max_obj, i, &b);
		KUNIT_EXPECT_EQ_MSG(test, hzs_pool_pages(pool), need,
				    "pages held after object %u", i);
	}
	KUNIT_EXPECT_EQ(test, grow_faults, 2 * (ci.pages_per_zspage - 1));
	KUNIT_EXPECT_EQ(test, hzs_pool_pages(pool), (u64)ci.pages_per_zspage);
	KUNIT_EXPECT_EQ(test, hzs_pool_verify(pool), 0UL);

	/*
	 * A full zspage, then a failure while starting the next one: the
	 * record, the descriptor or its page (the table has room now).
	 */
	hzs_pool_stats(pool, &before);
	for (nth = 1; nth <= 3; nth++) {
		hzs_pool_fail_nth(pool, nth);
		KUNIT_EXPECT_EQ(test, hzs_alloc(pool, ci.max_obj, GFP_KERNEL), 0UL);
		hzs_pool_stats(pool, &after);
		KUNIT_EXPECT_EQ(test, after.pages, before.pages);
		KUNIT_EXPECT_EQ(test, after.objs_used, before.objs_used);
		KUNIT_EXPECT_EQ(test, after.meta_bytes, before.meta_bytes);
		KUNIT_EXPECT_EQ(test, hzs_pool_verify(pool), 0UL);
	}
	hzs_pool_fail_nth(pool, 0);
	for (i = 0; i < ci.objs_per_zspage; i++) {
		hzs_read(pool, h[i], b.a, ci.max_obj);
		KUNIT_EXPECT_TRUE(test, t_check(b.a, ci.max_obj, i, b.b));
	}

	/* Later allocations succeed, and everything returns to zero. */
	extra = hzs_alloc(pool, ci.max_obj, GFP_KERNEL);
	KUNIT_EXPECT_NE(test, extra, 0UL);
	/* The new zspage holds the one page its object reaches. */
	KUNIT_EXPECT_EQ(test, hzs_pool_pages(pool), ci.pages_per_zspage + 1ULL);
	hzs_free(pool, extra);
	for (i = 0; i < ci.objs_per_zspage; i++)
		hzs_free(pool, h[i]);
	t_expect_empty(test, pool);
	KUNIT_EXPECT_EQ(test, t_errors(pool), 0ULL);
}

static struct kunit_case hzs_fault_cases[] = {
	KUNIT_CASE_PARAM(hzs_fault_every_step, t_mode_gen_params),
	{}
};

static struct kunit_suite hzs_fault_suite = {
	.name = "hzs_fault",
	.test_cases = hzs_fault_cases,
};

/* ---------------------------------------------------------------------
 * 6. Compaction
 */

static void hzs_compaction_frees_pages(struct kunit *test)
{
	const struct t_mode *m = test->param_value;
	struct hzs_pool *pool = t_pool(test, m->debug, m->chain);
	static const unsigned int sizes[] = { 40, 300, 700, 1500, 3000 };
	unsigned long n = 0, i, j, live = 0, bad = 0, freed, est, pages;
	unsigned long total = 0;
	struct hzs_pool_stats st;
	struct hzs_class_info ci;
	unsigned long *h;
	size_t *sz;
	struct t_bufs b;
	unsigned int s;

	t_bufs_get(test, &b);
	/* Six zspages per class. */
	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		hzs_pool_class_info(pool, hzs_pool_size_class(pool, sizes[s]), &ci);
		total += 6 * ci.objs_per_zspage;
	}
	h = kunit_kcalloc(test, total, sizeof(*h), GFP_KERNEL);
	sz = kunit_kcalloc(test, total, sizeof(*sz), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_ASSERT_NOT_NULL(test, sz);
	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		hzs_pool_class_info(pool, hzs_pool_size_class(pool, sizes[s]), &ci);
		for (j = 0; j < 6 * ci.objs_per_zspage; j++) {
			sz[n] = sizes[s];
			h[n] = hzs_alloc(pool, sz[n], GFP_KERNEL);
			KUNIT_ASSERT_NE(test, h[n], 0UL);
			t_fill(b.a, sz[n], n);
			hzs_write(pool, h[n], b.a, sz[n]);
			n++;
		}
	}

	/* Keep one object in four, spread over every zspage. */
	for (i = 0; i < n; i++) {
		if (i % 4 == 1)
			continue;
		hzs_free(pool, h[i]);
		h[i] = 0;
	}
	pages = hzs_pool_pages(pool);
	est = hzs_pool_compactable(pool);
	KUNIT_EXPECT_GT(test, est, 0UL);

	/*
	 * The estimate is the free slots in held pages, in whole pages;
	 * how slots fall across page boundaries moves what compaction
	 * really gives back by about a page per class either way.
	 */
	freed = hzs_compact(pool);
	KUNIT_EXPECT_GT(test, freed, 0UL);
	KUNIT_EXPECT_LE(test, freed, est + 2 * ARRAY_SIZE(sizes));
	KUNIT_EXPECT_GE(test, freed + 2 * ARRAY_SIZE(sizes), est);
	KUNIT_EXPECT_EQ(test, hzs_pool_pages(pool), (u64)(pages - freed));
	hzs_pool_stats(pool, &st);
	KUNIT_EXPECT_EQ(test, st.pages_compacted, (u64)freed);
	KUNIT_EXPECT_EQ(test, hzs_pool_compactable(pool), 0UL);
	KUNIT_EXPECT_EQ(test, hzs_compact(pool), 0UL);

	/*
	 * As dense as the pages held allow: less than a page's worth of
	 * free slots left in them (compaction cannot take new pages, but
	 * gives back the ones it empties, not only whole zspages).
	 */
	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		hzs_pool_class_info(pool, hzs_pool_size_class(pool, sizes[s]), &ci);
		KUNIT_EXPECT_LT_MSG(test, (ci.slots - ci.objs_used) * ci.size,
				    PAGE_SIZE, "class %u", ci.size);
	}

	/* Every handle still finds its own bytes. */
	for (i = 0; i < n; i++) {
		if (!h[i])
			continue;
		live++;
		if (!t_verify_obj(test, pool, h[i], sz[i], i, &b))
			bad++;
	}
	KUNIT_EXPECT_EQ(test, bad, 0UL);
	KUNIT_EXPECT_EQ(test, st.objs_used, (u64)live);
	KUNIT_EXPECT_EQ(test, hzs_pool_verify(pool), 0UL);
	KUNIT_EXPECT_EQ(test, t_errors(pool), 0ULL);
	kunit_info(test, "%lu pages -> %lu after compaction (%lu live objects)\n",
		   pages, pages - freed, live);

	for (i = 0; i < n; i++)
		hzs_free(pool, h[i]);
	t_expect_empty(test, pool);
}

/*
 * A class whose zspage, holding only its first page, sits in a fuller
 * band than a zspage holding one object: compaction would prefer it as
 * a destination if it looked at bands alone.
 */
static int t_grow_class(struct hzs_pool *pool, struct hzs_class_info *ci)
{
	unsigned int i, k;

	for (i = 0; i < hzs_pool_nr_classes(pool); i++) {
		hzs_pool_class_info(pool, i, ci);
		/* With a red zone the smallest slots take no request. */
		if (ci->huge || !ci->max_obj || ci->pages_per_zspage < 2 ||
		    ci->objs_per_zspage < 8)
			continue;
		k = PAGE_SIZE / ci->size;
		if (k < ci->objs_per_zspage && 4 * k >= ci->objs_per_zspage)
			return i;
	}
	return -1;
}

/*
 * Compaction cannot take pages under its locks, so it moves objects only
 * into slots whose pages a zspage already holds. The zspage still
 * filling has free slots, but none in the page it holds: moving an
 * object there would write through a page that is not there.
 */
static void hzs_compaction_held_pages_only(struct kunit *test)
{
	const struct t_mode *m = test->param_value;
	struct hzs_pool *pool = t_pool(test, m->debug, m->chain);
	unsigned long *h, n, i, freed, pages, bad = 0;
	struct hzs_class_info ci;
	unsigned int k, a;
	struct t_bufs b;

	t_bufs_get(test, &b);
	if (t_grow_class(pool, &ci) < 0) {
		kunit_skip(test, "no class with a short enough chain");
		return;
	}
	k = PAGE_SIZE / ci.size;
	/* Two full zspages, then one holding k objects in its first page. */
	n = 2 * ci.objs_per_zspage + k;
	h = kunit_kcalloc(test, n, sizeof(*h), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h);
	for (i = 0; i < n; i++)
		h[i] = t_alloc_written(test, pool, ci.max_obj, 3 * i, &b);
	KUNIT_ASSERT_EQ(test, hzs_pool_pages(pool),
			2ULL * ci.pages_per_zspage + 1);
	/*
	 * Leave the top object in each full zspage: it reaches into the
	 * last page, so neither zspage gives a page back on the frees.
	 */
	for (a = 0; a < 2; a++) {
		for (i = a * ci.objs_per_zspage;
		     i < (a + 1) * ci.objs_per_zspage - 1; i++) {
			hzs_free(pool, h[i]);
			h[i] = 0;
		}
	}
	pages = hzs_pool_pages(pool);
	KUNIT_EXPECT_EQ(test, hzs_pool_compactable(pool),
			2UL * (ci.objs_per_zspage - 1) * ci.size >> PAGE_SHIFT);

	/*
	 * The 2 + k objects fit in one zspage's held pages plus what a
	 * drained source keeps: at least one of the sparse zspages goes,
	 * and no object may land in a page its zspage does not hold
	 * (verify checks every object lies in held pages).
	 */
	freed = hzs_compact(pool);
	KUNIT_EXPECT_GE(test, freed, (unsigned long)ci.pages_per_zspage);
	KUNIT_EXPECT_EQ(test, hzs_pool_pages(pool), (u64)(pages - freed));
	KUNIT_EXPECT_EQ(test, hzs_pool_compactable(pool), 0UL);
	hzs_pool_class_info(pool, ci.index, &ci);
	KUNIT_EXPECT_LE(test, ci.zspages, 2UL);
	KUNIT_EXPECT_LT(test, (ci.slots - ci.objs_used) * ci.size, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, hzs_pool_verify(pool), 0UL);
	for (i = 0; i < n; i++)
		if (h[i] && !t_verify_obj(test, pool, h[i], ci.max_obj, 3 * i,
					  &b))
			bad++;
	KUNIT_EXPECT_EQ(test, bad, 0UL);
	KUNIT_EXPECT_EQ(test, t_errors(pool), 0ULL);
	for (i = 0; i < n; i++)
		hzs_free(pool, h[i]);
	t_expect_empty(test, pool);
}

static void t_expect_accounted(struct kunit *test, struct hzs_pool *pool,
			       const char *when);

/* A class of several pages per zspage and at most half-page slots. */
static int t_long_class(struct hzs_pool *pool, struct hzs_class_info *ci)
{
	unsigned int i;

	for (i = 0; i < hzs_pool_nr_classes(pool); i++) {
		hzs_pool_class_info(pool, i, ci);
		if (!ci->huge && ci->max_obj && ci->pages_per_zspage >= 4 &&
		    ci->objs_per_zspage >= 8 && ci->size <= PAGE_SIZE / 2)
			return i;
	}
	return -1;
}

/*
 * Two full zspages lose every other object below their highest: fewer
 * free slots than a zspage holds, so emptying whole zspages frees
 * nothing, yet pages' worth of slots are free. Compaction fills one
 * zspage from the top of the other, packs what is left of that one at
 * its bottom and gives back the pages above it.
 */
static void hzs_compaction_frees_partial_zspages(struct kunit *test)
{
	const struct t_mode *m = test->param_value;
	struct hzs_pool *pool = t_pool(test, m->debug, m->chain);
	unsigned long *h, n, i, live, freed, pages, keep, bad = 0;
	struct hzs_class_info ci;
	unsigned int objs;
	struct t_bufs b;

	t_bufs_get(test, &b);
	if (t_long_class(pool, &ci) < 0) {
		kunit_skip(test, "no class with chains of 4 pages or more");
		return;
	}
	objs = ci.objs_per_zspage;
	n = 2 * objs;
	h = kunit_kcalloc(test, n, sizeof(*h), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h);
	for (i = 0; i < n; i++)
		h[i] = t_alloc_written(test, pool, ci.max_obj, 7 * i, &b);
	KUNIT_ASSERT_EQ(test, hzs_pool_pages(pool),
			2ULL * ci.pages_per_zspage);
	for (i = 0; i < n; i++) {
		if (i % objs == objs - 1 || i % 2 == 0)
			continue;
		hzs_free(pool, h[i]);
		h[i] = 0;
	}
	for (i = 0, live = 0; i < n; i++)
		live += !!h[i];
	pages = hzs_pool_pages(pool);
	/* No page was given back by the frees, and no zspage can go. */
	KUNIT_ASSERT_EQ(test, pages, 2ULL * ci.pages_per_zspage);
	KUNIT_ASSERT_LT(test, n - live, (unsigned long)objs);
	KUNIT_EXPECT_GT(test, hzs_pool_compactable(pool), 0UL);

	freed = hzs_compact(pool);
	keep = DIV_ROUND_UP((live - objs) * ci.size, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, freed, ci.pages_per_zspage - keep);
	KUNIT_EXPECT_EQ(test, hzs_pool_pages(pool), (u64)(pages - freed));
	hzs_pool_class_info(pool, ci.index, &ci);
	KUNIT_EXPECT_EQ(test, ci.zspages, 2UL);
	KUNIT_EXPECT_EQ(test, ci.pages, ci.pages_per_zspage + keep);
	KUNIT_EXPECT_LT(test, (ci.slots - ci.objs_used) * ci.size, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, hzs_pool_compactable(pool), 0UL);
	KUNIT_EXPECT_EQ(test, hzs_pool_verify(pool), 0UL);
	t_expect_accounted(test, pool, "partly compacted");
	for (i = 0; i < n; i++)
		if (h[i] && !t_verify_obj(test, pool, h[i], ci.max_obj, 7 * i,
					  &b))
			bad++;
	KUNIT_EXPECT_EQ(test, bad, 0UL);
	KUNIT_EXPECT_EQ(test, t_errors(pool), 0ULL);
	kunit_info(test, "class %u: %lu of %lu pages freed, %lu objects live\n",
		   ci.size, freed, pages, live);
	for (i = 0; i < n; i++)
		hzs_free(pool, h[i]);
	t_expect_empty(test, pool);
}

static struct kunit_case hzs_compaction_cases[] = {
	KUNIT_CASE_PARAM(hzs_compaction_frees_pages, t_mode_gen_params),
	KUNIT_CASE_PARAM(hzs_compaction_held_pages_only, t_mode_gen_params),
	KUNIT_CASE_PARAM(hzs_compaction_frees_partial_zspages, t_mode_gen_params),
	{}
};

static struct kunit_suite hzs_compaction_suite = {
	.name = "hzs_compaction",
	.test_cases = hzs_compaction_cases,
};

/* ---------------------------------------------------------------------
 * Atomic context: the paths the driver calls under its own spinlocks
 */

enum t_atomic { T_SPINLOCK, T_PREEMPT_OFF, T_IRQ_OFF };

static DEFINE_SPINLOCK(t_lock);

/*
 * t_lock is held from t_atomic_enter() to t_atomic_exit() only for
 * T_SPINLOCK, which sparse cannot follow: the __release()/__acquire()
 * markers hand the lock over out of its sight.
 */
static void t_atomic_enter(enum t_atomic how, unsigned long *flags)
{
	switch (how) {
	case T_SPINLOCK:
		spin_lock(&t_lock);
		__release(&t_lock);
		break;
	case T_PREEMPT_OFF:
		preempt_disable();
		break;
	case T_IRQ_OFF:
		local_irq_save(*flags);
		break;
	}
}

static void t_atomic_exit(enum t_atomic how, unsigned long flags)
{
	switch (how) {
	case T_SPINLOCK:
		__acquire(&t_lock);
		spin_unlock(&t_lock);
		break;
	case T_PREEMPT_OFF:
		preempt_enable();
		break;
	case T_IRQ_OFF:
		local_irq_restore(flags);
		break;
	}
}

/* Every atomic-safe call in each context from @first to @last. */
static void t_atomic_paths(struct kunit *test, enum t_atomic first,
			   enum t_atomic last)
{
	const struct t_mode *m = test->param_value;
	struct hzs_pool *pool = t_pool(test, m->debug, m->chain);
	static const unsigned int sizes[] = { 24, 1000, 3000, PAGE_SIZE };
	unsigned long h[ARRAY_SIZE(sizes)], flags = 0;
	unsigned int how, i, bad = 0, ok_atomic = 0;
	struct t_bufs b;

	t_bufs_get(test, &b);
	for (how = first; how <= last; how++) {
		/* Allocation is atomic-safe only with an atomic gfp. */
		t_atomic_enter(how, &flags);
		for (i = 0; i < ARRAY_SIZE(sizes); i++)
			h[i] = hzs_alloc(pool, sizes[i], GFP_ATOMIC | __GFP_NOWARN);
		t_atomic_exit(how, flags);

		for (i = 0; i < ARRAY_SIZE(sizes); i++) {
			struct hzs_map map;

			if (!h[i])
				continue;
			t_fill(b.a, sizes[i], how * 10 + i);
			t_atomic_enter(how, &flags);
			hzs_write(pool, h[i], b.a, sizes[i]);
			hzs_read(pool, h[i], b.b, sizes[i]);
			ok_atomic += !memcmp(b.a, b.b, sizes[i]);
			if (hzs_read_begin(pool, h[i], sizes[i], b.bounce,
					   &map)) {
				bad++;
			} else {
				bad += !!memcmp(map.addr, b.a, sizes[i]);
				hzs_read_end(&map);
			}
			bad += hzs_obj_size(pool, h[i]) != sizes[i];
			hzs_free(pool, h[i]);
			t_atomic_exit(how, flags);
		}
	}
	KUNIT_EXPECT_EQ(test, bad, 0U);
	/* GFP_ATOMIC may fail under pressure; most must have worked. */
	KUNIT_EXPECT_GT(test, ok_atomic, 0U);
	t_expect_empty(test, pool);
	KUNIT_EXPECT_EQ(test, t_errors(pool), 0ULL);
}

/* Under a spinlock_t: what the driver does, on every kernel. */
static void hzs_atomic_spinlock(struct kunit *test)
{
	t_atomic_paths(test, T_SPINLOCK, T_SPINLOCK);
}

/*
 * Preemption or interrupts truly off. On PREEMPT_RT the allocator's
 * spinlock_t and rwlock_t are sleeping locks, so this context is not
 * allowed there (hzs_pool.h says so); elsewhere it must work.
 */
static void hzs_atomic_hard(struct kunit *test)
{
	if (IS_ENABLED(CONFIG_PREEMPT_RT))
		kunit_skip(test, "PREEMPT_RT: the pool's locks may sleep");
	t_atomic_paths(test, T_PREEMPT_OFF, T_IRQ_OFF);
}

static struct kunit_case hzs_atomic_cases[] = {
	KUNIT_CASE_PARAM(hzs_atomic_spinlock, t_mode_gen_params),
	KUNIT_CASE_PARAM(hzs_atomic_hard, t_mode_gen_params),
	{}
};

static struct kunit_suite hzs_atomic_suite = {
	.name = "hzs_atomic",
	.test_cases = hzs_atomic_cases,
};

/* ---------------------------------------------------------------------
 * 7. Concurrency: churn while another thread compacts
 */

#define T_RING		96
#define T_WORKERS	3

struct t_conc {
	struct hzs_pool *pool;
	atomic_long_t checks, mismatches, alloc_fail, verify_problems;
	atomic_long_t compactions;
};

struct t_worker {
	struct t_conc *c;
	u32 seed;
	unsigned long h[T_RING];
	u32 size[T_RING];
	u32 tag[T_RING];
	u8 *buf, *scratch, *bounce;
};

static int t_worker_fn(void *arg)
{
	struct t_worker *w = arg;
	struct hzs_pool *pool = w->c->pool;
	u32 tag = w->seed;

	while (!kthread_should_stop()) {
		unsigned int r = t_rand(&w->seed) % T_RING;

		if (w->h[r]) {
			bool ok;

			if (r & 1) {
				hzs_read(pool, w->h[r], w->buf, w->size[r]);
				ok = t_check(w->buf, w->size[r], w->tag[r],
					     w->scratch);
			} else {
				struct hzs_map map;

				ok = !hzs_read_begin(pool, w->h[r], w->size[r],
						     w->bounce, &map);
				if (ok) {
					ok = t_check(map.addr, w->size[r],
						     w->tag[r], w->scratch);
					hzs_read_end(&map);
				}
			}
			atomic_long_inc(&w->c->checks);
			if (!ok)
				atomic_long_inc(&w->c->mismatches);
			/* Free most, keep some long-lived ones around. */
			if (t_rand(&w->seed) % 4) {
				hzs_free(pool, w->h[r]);
				w->h[r] = 0;
			}
		} else {
			/*
			 * A few classes only, so zspages fill and thin out;
			 * sizes scale with the page, or with 16K pages a
			 * zspage holds too many objects for the ring ever to
			 * leave a zspage's worth of holes to compact.
			 */
			static const u32 sizes[] = { 50, 200, 900, 1800, 2900 };
			u32 size = sizes[t_rand(&w->seed) % ARRAY_SIZE(sizes)] *
				   (PAGE_SIZE / 4096);

			w->h[r] = hzs_alloc(pool, size, GFP_KERNEL | __GFP_NOWARN);
			if (!w->h[r]) {
				atomic_long_inc(&w->c->alloc_fail);
				continue;
			}
			w->size[r] = size;
			w->tag[r] = ++tag;
			t_fill(w->buf, size, tag);
			hzs_write(pool, w->h[r], w->buf, size);
		}
		cond_resched();
	}
	return 0;
}

static int t_compactor_fn(void *arg)
{
	struct t_conc *c = arg;

	while (!kthread_should_stop()) {
		hzs_compact(c->pool);
		atomic_long_inc(&c->compactions);
		cond_resched();
	}
	return 0;
}

static int t_verifier_fn(void *arg)
{
	struct t_conc *c = arg;

	while (!kthread_should_stop()) {
		atomic_long_add(hzs_pool_verify(c->pool), &c->verify_problems);
		msleep(20);
	}
	return 0;
}

static void hzs_concurrency_compact_under_load(struct kunit *test)
{
	const struct t_mode *m = test->param_value;
	struct hzs_pool *pool = t_pool(test, m->debug, m->chain);
	struct task_struct *tasks[T_WORKERS + 2];
	struct t_worker *w;
	struct hzs_pool_stats st;
	struct t_conc *c;
	unsigned int i, j, started = 0;

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	w = kunit_kcalloc(test, T_WORKERS, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_ASSERT_NOT_NULL(test, w);
	c->pool = pool;
	for (i = 0; i < T_WORKERS; i++) {
		w[i].c = c;
		w[i].seed = 0x1234567 * (i + 1);
		w[i].buf = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
		w[i].scratch = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
		w[i].bounce = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, w[i].buf);
		KUNIT_ASSERT_NOT_NULL(test, w[i].scratch);
		KUNIT_ASSERT_NOT_NULL(test, w[i].bounce);
	}

	/* From here on no ASSERT: the threads must be stopped first. */
	for (i = 0; i < T_WORKERS + 2; i++) {
		if (i < T_WORKERS)
			tasks[i] = kthread_run(t_worker_fn, &w[i], "hzs-w%u", i);
		else if (i == T_WORKERS)
			tasks[i] = kthread_run(t_compactor_fn, c, "hzs-compact");
		else
			tasks[i] = kthread_run(t_verifier_fn, c, "hzs-verify");
		if (IS_ERR(tasks[i]))
			break;
		started++;
	}
	KUNIT_EXPECT_EQ(test, started, (unsigned int)ARRAY_SIZE(tasks));
	msleep(2500);
	for (i = 0; i < started; i++)
		kthread_stop(tasks[i]);

	/* Everything left must still be intact after the storm. */
	for (i = 0; i < T_WORKERS; i++)
		for (j = 0; j < T_RING; j++) {
			if (!w[i].h[j])
				continue;
			hzs_read(pool, w[i].h[j], w[i].buf, w[i].size[j]);
			if (!t_check(w[i].buf, w[i].size[j], w[i].tag[j],
				     w[i].scratch))
				atomic_long_inc(&c->mismatches);
			atomic_long_inc(&c->checks);
		}
	KUNIT_EXPECT_EQ(test, hzs_pool_verify(pool), 0UL);
	hzs_pool_stats(pool, &st);
	for (i = 0; i < T_WORKERS; i++)
		for (j = 0; j < T_RING; j++)
			hzs_free(pool, w[i].h[j]);

	kunit_info(test, "%ld checks, %ld compaction passes, %llu pages compacted, %ld alloc failures\n",
		   atomic_long_read(&c->checks), atomic_long_read(&c->compactions),
		   st.pages_compacted, atomic_long_read(&c->alloc_fail));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&c->mismatches), 0L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&c->verify_problems), 0L);
	KUNIT_EXPECT_GT(test, atomic_long_read(&c->checks), 0L);
	KUNIT_EXPECT_GT(test, st.pages_compacted, 0ULL);
	KUNIT_EXPECT_EQ(test, st.errors, 0ULL);
	t_expect_empty(test, pool);
}

static struct kunit_case hzs_concurrency_cases[] = {
	HZ_KUNIT_CASE_PARAM_SLOW(hzs_concurrency_compact_under_load, t_mode_gen_params),
	{}
};

static struct kunit_suite hzs_concurrency_suite = {
	.name = "hzs_concurrency",
	.test_cases = hzs_concurrency_cases,
};

/* ---------------------------------------------------------------------
 * 8. Overrun containment (debug mode)
 */

static void hzs_debug_overrun_contained(struct kunit *test)
{
	struct hzs_pool *pool = t_pool(test, true, 0);
	static const unsigned int sizes[] = { 100, 1000, 3000 };
	enum { PER = 12, N = PER * ARRAY_SIZE(sizes) };
	static const unsigned int victims[] = { 1, 14, 27 };
	unsigned long h[N], gap_left = 0;
	unsigned int i, v, gap = N, planted;
	struct hzs_obj_loc loc, loc2;
	struct t_bufs b;
	u8 junk[4] = { 0, 1, 2, 3 };
	u64 err;

	t_bufs_get(test, &b);
	for (i = 0; i < N; i++) {
		h[i] = hzs_alloc(pool, sizes[i / PER], GFP_KERNEL);
		KUNIT_ASSERT_NE(test, h[i], 0UL);
		t_fill(b.a, sizes[i / PER], i);
		hzs_write(pool, h[i], b.a, sizes[i / PER]);
	}
	KUNIT_ASSERT_EQ(test, hzs_pool_verify(pool), 0UL);

	/* Off-by-a-few writes past three objects, into their red zones. */
	for (v = 0; v < ARRAY_SIZE(victims); v++) {
		i = victims[v];
		KUNIT_ASSERT_EQ(test, hzs_debug_poke(pool, h[i], sizes[i / PER],
						     junk, v + 1), 0);
	}
	planted = ARRAY_SIZE(victims);

	/*
	 * A write into a freed slot through its live neighbour's end. The
	 * first class's objects sit in one zspage, slot after slot.
	 */
	for (i = 1; i < PER - 1; i++) {
		KUNIT_ASSERT_EQ(test, hzs_handle_locate(pool, h[i], &loc), 0);
		KUNIT_ASSERT_EQ(test, hzs_handle_locate(pool, h[i + 1], &loc2), 0);
		if (i != victims[0] && i + 1 != victims[0] &&
		    loc2.index == loc.index + 1) {
			gap = i + 1;
			gap_left = h[i];
			break;
		}
	}
	if (gap < N) {
		hzs_free(pool, h[gap]);
		h[gap] = 0;
		KUNIT_ASSERT_EQ(test, hzs_debug_poke(pool, gap_left, loc.slot + 5,
						     junk, 1), 0);
		planted++;
	}

	/* Verify finds exactly what was planted, and says so each time. */
	KUNIT_EXPECT_EQ(test, hzs_pool_verify(pool), (unsigned long)planted);
	KUNIT_EXPECT_EQ(test, hzs_pool_verify(pool), (unsigned long)planted);

	/* Reading a damaged object reports it; its own bytes are intact. */
	err = t_errors(pool);
	i = victims[0];
	hzs_read(pool, h[i], b.a, sizes[i / PER]);
	KUNIT_EXPECT_TRUE(test, t_check(b.a, sizes[i / PER], i, b.b));
	KUNIT_EXPECT_EQ(test, t_errors(pool), err + 1);
	{
		struct hzs_map map;

		KUNIT_ASSERT_EQ(test, hzs_read_begin(pool, h[i], sizes[i / PER],
						     b.bounce, &map), 0);
		KUNIT_EXPECT_TRUE(test, t_check(map.addr, sizes[i / PER], i,
						b.b));
		hzs_read_end(&map);
	}
	KUNIT_EXPECT_EQ(test, t_errors(pool), err + 2);

	/* Everything else round-trips and raises nothing. */
	err = t_errors(pool);
	for (i = 0; i < N; i++) {
		if (!h[i])
			continue;
		if (i == victims[0] || i == victims[1] || i == victims[2])
			continue;
		hzs_read(pool, h[i], b.a, sizes[i / PER]);
		KUNIT_EXPECT_TRUE_MSG(test, t_check(b.a, sizes[i / PER], i, b.b),
				      "object %u", i);
	}
	KUNIT_EXPECT_EQ(test, t_errors(pool), err);

	/* Freeing the damaged objects reports each once more. */
	for (v = 0; v < ARRAY_SIZE(victims); v++) {
		hzs_free(pool, h[victims[v]]);
		h[victims[v]] = 0;
	}
	KUNIT_EXPECT_EQ(test, t_errors(pool), err + ARRAY_SIZE(victims));
	KUNIT_EXPECT_EQ(test, hzs_pool_verify(pool),
			(unsigned long)(planted - ARRAY_SIZE(victims)));

	for (i = 0; i < N; i++)
		hzs_free(pool, h[i]);
	KUNIT_EXPECT_EQ(test, hzs_pool_verify(pool), 0UL);
	KUNIT_EXPECT_EQ(test, hzs_pool_pages(pool), 0ULL);
	kunit_info(test, "%u planted problems found\n", planted);
}

/* Objects survive compaction with red zones and poison intact. */
static void hzs_debug_compaction_keeps_redzones(struct kunit *test)
{
	struct hzs_pool *pool = t_pool(test, true, 0);
	enum { N = 64 };
	unsigned long h[N];
	unsigned int i;
	struct t_bufs b;

	t_bufs_get(test, &b);
	for (i = 0; i < N; i++) {
		h[i] = hzs_alloc(pool, 500, GFP_KERNEL);
		KUNIT_ASSERT_NE(test, h[i], 0UL);
		t_fill(b.a, 500, i);
		hzs_write(pool, h[i], b.a, 500);
	}
	for (i = 0; i < N; i++)
		if (i % 3) {
			hzs_free(pool, h[i]);
			h[i] = 0;
		}
	KUNIT_EXPECT_GT(test, hzs_compact(pool), 0UL);
	KUNIT_EXPECT_EQ(test, hzs_pool_verify(pool), 0UL);
	for (i = 0; i < N; i++) {
		if (!h[i])
			continue;
		hzs_read(pool, h[i], b.a, 500);
		KUNIT_EXPECT_TRUE(test, t_check(b.a, 500, i, b.b));
		hzs_free(pool, h[i]);
	}
	KUNIT_EXPECT_EQ(test, t_errors(pool), 0ULL);
	t_expect_empty(test, pool);
}

static struct kunit_case hzs_debug_cases[] = {
	KUNIT_CASE(hzs_debug_overrun_contained),
	KUNIT_CASE(hzs_debug_compaction_keeps_redzones),
	{}
};

static struct kunit_suite hzs_debug_suite = {
	.name = "hzs_debug",
	.test_cases = hzs_debug_cases,
};

/* ---------------------------------------------------------------------
 * 9. Statistics, lifetime, debugfs
 */

static void t_band_bounds(const struct hzs_class_info *ci, unsigned int band,
			  unsigned long *lo, unsigned long *hi)
{
	unsigned long o = ci->objs_per_zspage;

	switch (band) {
	case HZS_BAND_EMPTY:
		*lo = 0;
		*hi = 0;
		return;
	case HZS_BAND_FULL:
		*lo = o;
		*hi = o;
		return;
	}
	/* Band k holds zspages with k/4 <= used/objs < (k+1)/4, used >= 1. */
	*lo = max(1UL, DIV_ROUND_UP((band - HZS_BAND_0_25) * o, 4));
	*hi = min(o - 1, DIV_ROUND_UP((band - HZS_BAND_0_25 + 1) * o, 4) - 1);
}

/* hzs_pool_walk_pages() counts; nothing else to do per page. */
static void t_count_page(struct page *page, void *arg)
{
}

static void hzs_stats_add_up(struct kunit *test)
{
	struct hzs_pool *pool = t_pool(test, false, 0);
	enum { N = 1500 };
	unsigned long *h, pages = 0, used = 0, allocated = 0, i;
	u64 bytes = 0, cbytes = 0;
	struct hzs_pool_stats st;
	struct hzs_class_info ci;
	u32 *sz, seed = 42;
	unsigned int c, b;

	h = kunit_kcalloc(test, N, sizeof(*h), GFP_KERNEL);
	sz = kunit_kcalloc(test, N, sizeof(*sz), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_ASSERT_NOT_NULL(test, sz);
	for (i = 0; i < N; i++) {
		sz[i] = 1 + t_rand(&seed) % PAGE_SIZE;
		h[i] = hzs_alloc(pool, sz[i], GFP_KERNEL);
		KUNIT_ASSERT_NE(test, h[i], 0UL);
	}
	for (i = 0; i < N; i++) {
		if (t_rand(&seed) % 3 == 0) {
			hzs_free(pool, h[i]);
			h[i] = 0;
		} else {
			bytes += sz[i];
		}
	}

	hzs_pool_stats(pool, &st);
	for (c = 0; c < hzs_pool_nr_classes(pool); c++) {
		unsigned long zs = 0, lo_sum = 0, hi_sum = 0, lo, hi;

		hzs_pool_class_info(pool, c, &ci);
		KUNIT_EXPECT_LE(test, ci.objs_used, ci.objs_allocated);
		KUNIT_EXPECT_EQ(test, ci.objs_allocated,
				ci.zspages * ci.objs_per_zspage);
		KUNIT_EXPECT_EQ(test, ci.band[HZS_BAND_EMPTY], 0UL);
		for (b = 0; b < HZS_NR_BANDS; b++) {
			zs += ci.band[b];
			t_band_bounds(&ci, b, &lo, &hi);
			lo_sum += ci.band[b] * lo;
			hi_sum += ci.band[b] * hi;
		}
		KUNIT_EXPECT_EQ(test, zs, ci.zspages);
		/* The band counts are consistent with the objects in use. */
		KUNIT_EXPECT_LE_MSG(test, lo_sum, ci.objs_used, "class %u", ci.size);
		KUNIT_EXPECT_GE_MSG(test, hi_sum, ci.objs_used, "class %u", ci.size);
		/*
		 * A huge object holds one page. Any other zspage holds at
		 * least one and at most its chain, and room for its objects.
		 */
		if (ci.huge) {
			KUNIT_EXPECT_EQ(test, ci.pages, ci.objs_used);
		} else {
			KUNIT_EXPECT_GE(test, ci.pages, ci.zspages);
			KUNIT_EXPECT_LE(test, ci.pages,
					ci.zspages * ci.pages_per_zspage);
			KUNIT_EXPECT_GE(test, ci.slots, ci.objs_used);
			KUNIT_EXPECT_LE(test, ci.slots, ci.objs_allocated);
			KUNIT_EXPECT_LE(test, (u64)ci.slots * ci.size,
					(u64)ci.pages * PAGE_SIZE);
		}
		pages += ci.pages;
		used += ci.objs_used;
		allocated += ci.objs_allocated;
		cbytes += ci.bytes_used;
	}
	KUNIT_EXPECT_EQ(test, st.pages, (u64)pages);
	KUNIT_EXPECT_EQ(test, hzs_pool_pages(pool), (u64)pages);
	/* Counted pages are the pages really held, one by one. */
	KUNIT_EXPECT_EQ(test, hzs_pool_walk_pages(pool, t_count_page, NULL),
			pages);
	KUNIT_EXPECT_EQ(test, st.objs_used, (u64)used);
	KUNIT_EXPECT_EQ(test, st.objs_allocated, (u64)allocated);
	KUNIT_EXPECT_EQ(test, st.bytes_used, bytes);
	KUNIT_EXPECT_EQ(test, cbytes, bytes);
	KUNIT_EXPECT_LE(test, st.bytes_used, st.pages * PAGE_SIZE);
	KUNIT_EXPECT_GT(test, st.meta_bytes, 0ULL);
	KUNIT_EXPECT_EQ(test, hzs_pool_verify(pool), 0UL);
	kunit_info(test, "%llu objects, %llu bytes in %llu pages, %llu metadata bytes\n",
		   st.objs_used, st.bytes_used, st.pages, st.meta_bytes);

	for (i = 0; i < N; i++)
		hzs_free(pool, h[i]);
	t_expect_empty(test, pool);
}

/*
 * The pool's count of what it holds, held to the slab allocator's own
 * view (ksize() of every live descriptor and record): after the 1-byte
 * extreme (the most objects, hence the largest descriptors, per
 * zspage), a mix, and the huge extreme, after frees and after
 * compaction; and the total in pages is data plus all of that, rounded
 * up, which is what mem_used_total and mem_limit use.
 */
static void t_expect_accounted(struct kunit *test, struct hzs_pool *pool,
			       const char *when)
{
	struct hzs_pool_stats st;
	u64 meta, fixed;

	hzs_pool_stats(pool, &st);
	hzs_test_meta_ksize(pool, &meta, &fixed);
	KUNIT_EXPECT_EQ_MSG(test, st.meta_bytes, meta, "%s", when);
	KUNIT_EXPECT_EQ_MSG(test, st.fixed_bytes, fixed, "%s", when);
	KUNIT_EXPECT_EQ_MSG(test, hzs_pool_total_pages(pool),
			    st.pages + DIV_ROUND_UP_ULL(meta + fixed, PAGE_SIZE),
			    "%s", when);
	KUNIT_EXPECT_EQ(test, hzs_pool_verify(pool), 0UL);
}

static void hzs_stats_accounting_exact(struct kunit *test)
{
	struct hzs_pool *pool = t_pool(test, false, 0);
	enum { N = 1200 };
	unsigned long *h, i;
	struct hzs_pool_stats st;
	u32 seed = 7;

	h = kunit_kcalloc(test, 3 * N, sizeof(*h), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h);
	t_expect_accounted(test, pool, "empty");
	hzs_pool_stats(pool, &st);
	KUNIT_EXPECT_GT(test, st.fixed_bytes, 0ULL);

	for (i = 0; i < N; i++) {
		h[i] = hzs_alloc(pool, 1, GFP_KERNEL);
		KUNIT_ASSERT_NE(test, h[i], 0UL);
	}
	t_expect_accounted(test, pool, "1-byte objects");
	hzs_pool_stats(pool, &st);
	/* Records outweigh 1-byte data: the total must not hide them. */
	KUNIT_EXPECT_GT(test, st.meta_bytes, st.bytes_used);
	KUNIT_EXPECT_GT(test, hzs_pool_total_pages(pool), st.pages);

	for (i = N; i < 2 * N; i++) {
		h[i] = hzs_alloc(pool, 1 + t_rand(&seed) % PAGE_SIZE, GFP_KERNEL);
		KUNIT_ASSERT_NE(test, h[i], 0UL);
	}
	for (i = 2 * N; i < 2 * N + 64; i++) {
		h[i] = hzs_alloc(pool, PAGE_SIZE, GFP_KERNEL);
		KUNIT_ASSERT_NE(test, h[i], 0UL);
	}
	t_expect_accounted(test, pool, "mixed and huge");

	for (i = 0; i < 2 * N + 64; i += 2) {
		hzs_free(pool, h[i]);
		h[i] = 0;
	}
	t_expect_accounted(test, pool, "half freed");
	hzs_compact(pool);
	t_expect_accounted(test, pool, "compacted");

	for (i = 0; i < 2 * N + 64; i++)
		hzs_free(pool, h[i]);
	t_expect_empty(test, pool);
	t_expect_accounted(test, pool, "emptied");
}

/*
 * Huge objects share descriptors but not pages: each holds exactly one
 * page from alloc to free, a free slot holds none, a freed slot is
 * reused before a new descriptor is made, and every page reads back
 * its own object's bytes throughout.
 */
static void hzs_stats_huge_pages_follow_objects(struct kunit *test)
{
	struct hzs_pool *pool = t_pool(test, false, 0);
	struct hzs_class_info ci;
	unsigned long *h, i, n, live, descs;
	struct t_page_walk w = { 0 };
	struct t_bufs b;
	int c = hzs_pool_size_class(pool, PAGE_SIZE);

	t_bufs_get(test, &b);
	hzs_pool_class_info(pool, c, &ci);
	KUNIT_ASSERT_TRUE(test, ci.huge);
	n = 3 * ci.objs_per_zspage + 1;
	h = kunit_kcalloc(test, n, sizeof(*h), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h);

	for (i = 0; i < n; i++) {
		h[i] = hzs_alloc(pool, PAGE_SIZE - (i % 3), GFP_KERNEL);
		KUNIT_ASSERT_NE(test, h[i], 0UL);
		t_fill(b.a, PAGE_SIZE - (i % 3), 31 * i);
		KUNIT_ASSERT_EQ(test, hzs_write(pool, h[i], b.a,
						PAGE_SIZE - (i % 3)), 0);
	}
	descs = DIV_ROUND_UP(n, ci.objs_per_zspage);
	hzs_pool_class_info(pool, c, &ci);
	KUNIT_EXPECT_EQ(test, ci.zspages, descs);
	KUNIT_EXPECT_EQ(test, hzs_pool_pages(pool), (u64)n);
	KUNIT_EXPECT_EQ(test, hzs_pool_walk_pages(pool, t_walk_page, &w), n);
	t_expect_accounted(test, pool, "huge, all live");

	/* Every other one goes; its page goes with it. */
	for (i = 0, live = n; i < n; i += 2, live--) {
		hzs_free(pool, h[i]);
		h[i] = 0;
		KUNIT_EXPECT_EQ(test, hzs_pool_pages(pool), (u64)live - 1);
	}
	hzs_pool_class_info(pool, c, &ci);
	KUNIT_EXPECT_EQ(test, ci.pages, live);
	/* Nothing to compact: every page left holds an object. */
	KUNIT_EXPECT_EQ(test, hzs_pool_compactable(pool), 0UL);
	KUNIT_EXPECT_EQ(test, hzs_compact(pool), 0UL);
	t_expect_accounted(test, pool, "huge, half freed");
	for (i = 1; i < n; i += 2)
		KUNIT_EXPECT_TRUE(test, t_verify_obj(test, pool, h[i],
						     PAGE_SIZE - (i % 3),
						     31 * i, &b));

	/* The holes are refilled before any new descriptor is made. */
	for (i = 0; i < n; i += 2) {
		h[i] = hzs_alloc(pool, PAGE_SIZE, GFP_KERNEL);
		KUNIT_ASSERT_NE(test, h[i], 0UL);
	}
	hzs_pool_class_info(pool, c, &ci);
	KUNIT_EXPECT_LE(test, ci.zspages, descs);
	KUNIT_EXPECT_EQ(test, hzs_pool_pages(pool), (u64)n);
	t_expect_accounted(test, pool, "huge, refilled");

	for (i = 0; i < n; i++)
		hzs_free(pool, h[i]);
	t_expect_empty(test, pool);
}

/* Destroying a pool with live objects frees them (kmemleak watches). */
/*
 * Freeing a zspage's highest object gives back the pages past the last
 * one a live object reaches into; freeing one below it gives back
 * nothing. The pages come back as objects do, and every object reads
 * back its own bytes throughout.
 */
static void hzs_stats_tail_pages_follow_objects(struct kunit *test)
{
	const struct t_mode *m = test->param_value;
	struct hzs_pool *pool = t_pool(test, m->debug, m->chain);
	unsigned long *h, i, n, top, bad = 0;
	struct hzs_class_info ci;
	struct t_bufs b;

	t_bufs_get(test, &b);
	if (t_spanning_class(pool, &ci) < 0) {
		kunit_skip(test, "no class spanning three pages");
		return;
	}
	n = ci.objs_per_zspage;
	h = kunit_kcalloc(test, n, sizeof(*h), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h);
	for (i = 0; i < n; i++)
		h[i] = t_alloc_written(test, pool, ci.max_obj, 5 * i, &b);
	KUNIT_ASSERT_EQ(test, hzs_pool_pages(pool), (u64)ci.pages_per_zspage);

	/* Below the top: every page still holds part of a live object. */
	hzs_free(pool, h[1]);
	h[1] = 0;
	KUNIT_EXPECT_EQ(test, hzs_pool_pages(pool), (u64)ci.pages_per_zspage);

	/* From the top down, the pages follow the highest live object. */
	for (i = n - 1; i >= 2; i--) {
		hzs_free(pool, h[i]);
		h[i] = 0;
		top = i - 1 == 1 ? 0 : i - 1;
		KUNIT_EXPECT_EQ_MSG(test, hzs_pool_pages(pool),
				    (u64)DIV_ROUND_UP((top + 1) * ci.size,
						      PAGE_SIZE),
				    "after freeing slot %lu", i);
		KUNIT_EXPECT_EQ(test, hzs_pool_verify(pool), 0UL);
	}
	KUNIT_EXPECT_EQ(test, hzs_pool_pages(pool),
			(u64)DIV_ROUND_UP(ci.size, PAGE_SIZE));
	KUNIT_EXPECT_TRUE(test, t_verify_obj(test, pool, h[0], ci.max_obj, 0,
					     &b));

	/* Back into the same zspage, which takes its pages again. */
	for (i = 1; i < n; i++)
		h[i] = t_alloc_written(test, pool, ci.max_obj, 5 * i, &b);
	hzs_pool_class_info(pool, ci.index, &ci);
	KUNIT_EXPECT_EQ(test, ci.zspages, 1UL);
	KUNIT_EXPECT_EQ(test, hzs_pool_pages(pool), (u64)ci.pages_per_zspage);
	for (i = 0; i < n; i++)
		if (!t_verify_obj(test, pool, h[i], ci.max_obj, 5 * i, &b))
			bad++;
	KUNIT_EXPECT_EQ(test, bad, 0UL);
	KUNIT_EXPECT_EQ(test, hzs_pool_verify(pool), 0UL);
	KUNIT_EXPECT_EQ(test, t_errors(pool), 0ULL);
	for (i = 0; i < n; i++)
		hzs_free(pool, h[i]);
	t_expect_empty(test, pool);
}

static void hzs_stats_destroy_nonempty(struct kunit *test)
{
	struct hzs_pool *pool = hzs_pool_create_opts("kunit-leak", NULL);
	unsigned int i, ok = 0;

	KUNIT_ASSERT_NOT_NULL(test, pool);
	for (i = 0; i < 50; i++)
		ok += !!hzs_alloc(pool, 10 + i * 70, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, ok, 50U);
	KUNIT_EXPECT_GT(test, hzs_pool_pages(pool), 0ULL);
	hzs_pool_destroy(pool);
}

/* Zspages of the class a @size request lands in. */
static unsigned long t_class_zspages(struct kunit *test, struct hzs_pool *pool,
				     size_t size)
{
	int index = hzs_pool_size_class(pool, size);
	struct hzs_class_info ci;

	KUNIT_EXPECT_EQ(test, hzs_pool_class_info(pool, index, &ci), 0);
	return ci.zspages;
}

/*
 * Records name their zspage by id in the pool's zspage table. With more
 * zspages than the table's first directory covers (4 chunks of 512 ids),
 * ids are handed out, freed, reused and rewritten by compaction, every
 * object keeps its bytes, the table is counted exactly (ksize), and an
 * empty pool gives the whole table back, then builds it again.
 */
static void hzs_stats_zspage_table(struct kunit *test)
{
	struct hzs_pool *pool = t_pool(test, false, 1);
	enum { Z = 2100, N = 2 * Z, SZ = PAGE_SIZE / 2 };
	struct hzs_class_info ci;
	unsigned long *h, i;
	struct t_bufs b;
	u32 round;

	t_bufs_get(test, &b);
	h = kunit_kcalloc(test, N, sizeof(*h), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_ASSERT_EQ(test, hzs_pool_class_info(pool,
						  hzs_pool_size_class(pool, SZ),
						  &ci), 0);
	/* Chain 1, half a page: zspage k holds objects 2k and 2k + 1. */
	KUNIT_ASSERT_EQ(test, ci.objs_per_zspage, 2U);

	for (round = 0; round < 2; round++) {
		for (i = 0; i < N; i++)
			h[i] = t_alloc_written(test, pool, SZ, round + i, &b);
		KUNIT_EXPECT_EQ(test, t_class_zspages(test, pool, SZ),
				(unsigned long)Z);
		t_expect_accounted(test, pool, "table grown");

		/* Half-empty zspages, paired up by compaction. */
		for (i = 0; i < N; i += 2)
			hzs_free(pool, h[i]);
		t_expect_accounted(test, pool, "half freed");
		KUNIT_EXPECT_EQ(test, hzs_compact(pool), (unsigned long)Z / 2);
		KUNIT_EXPECT_EQ(test, t_class_zspages(test, pool, SZ),
				(unsigned long)Z / 2);
		t_expect_accounted(test, pool, "compacted");

		/* New zspages take freed ids. */
		for (i = 0; i < N; i += 2)
			h[i] = t_alloc_written(test, pool, SZ, round + i, &b);
		KUNIT_EXPECT_EQ(test, t_class_zspages(test, pool, SZ),
				(unsigned long)Z);
		t_expect_accounted(test, pool, "refilled");
		for (i = 0; i < N; i++) {
			bool ok = t_verify_obj(test, pool, h[i], SZ, round + i,
					       &b);

			KUNIT_EXPECT_TRUE_MSG(test, ok, "round %u object %lu",
					      round, i);
		}
		for (i = 0; i < N; i++)
			hzs_free(pool, h[i]);
		t_expect_empty(test, pool);
		KUNIT_EXPECT_EQ(test, t_errors(pool), 0ULL);
	}
}

/*
 * Handles index the pool's record table, 512 records a chunk. With more
 * chunks than a page of directory lists (a quarter million objects on
 * 64-bit with 4 KiB pages: a 1 GiB swap device's worth), the directory
 * comes from vmalloc; it is counted as exactly as a small one, and
 * records keep naming their objects as it grows. Emptied, the pool
 * gives back every chunk but keeps that directory (vfree() may sleep,
 * and the last free may not), still counted, until it is destroyed;
 * then it fills again. 1-byte objects: the most a zspage holds, the
 * least data.
 */
static void hzs_stats_record_table_big(struct kunit *test)
{
	const unsigned long n = (PAGE_SIZE / sizeof(void *)) * 512 + 1;
	struct hzs_pool_stats st;
	struct hzs_pool *pool;
	unsigned long *h, i, wide = 0;
	u8 byte;

	if (n > 600000)
		kunit_skip(test, "%lu objects: too slow for a guest", n);
	pool = t_pool(test, false, 0);
	h = kvcalloc(n, sizeof(*h), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h);
	for (i = 0; i < n; i++) {
		byte = i % 251;
		h[i] = hzs_alloc(pool, 1, GFP_KERNEL);
		if (!h[i] || hzs_write(pool, h[i], &byte, 1))
			break;
		/* The driver keeps handles in 32 bits (struct zram_slot). */
		wide += !!upper_32_bits(h[i]);
		if (!(i % 4096))
			cond_resched();
	}
	KUNIT_EXPECT_EQ(test, i, n);
	KUNIT_EXPECT_EQ(test, wide, 0UL);
	if (i == n) {
		t_expect_accounted(test, pool, "directory past a page");
		for (i = 0; i < n; i += n / 7) {
			byte = 0xff;
			KUNIT_EXPECT_EQ(test, hzs_read(pool, h[i], &byte, 1), 0);
			KUNIT_EXPECT_EQ_MSG(test, byte, (u8)(i % 251),
					    "object %lu", i);
		}
	}
	for (i = 0; i + 1 < n && h[i]; i++) {
		hzs_free(pool, h[i]);
		if (!(i % 4096))
			cond_resched();
	}
	/*
	 * The last free empties the table, under a spinlock as the
	 * driver's slot lock holds it: nothing on that path may sleep
	 * (CONFIG_DEBUG_ATOMIC_SLEEP would say so).
	 */
	if (i + 1 == n) {
		spin_lock(&t_lock);
		hzs_free(pool, h[i]);
		spin_unlock(&t_lock);
	}
	hzs_pool_stats(pool, &st);
	KUNIT_EXPECT_EQ(test, st.objs_used, 0ULL);
	KUNIT_EXPECT_EQ(test, st.pages, 0ULL);
	/* The directory alone: 1,024 or 2,048 entries, 8 KiB either way. */
	KUNIT_EXPECT_EQ(test, st.meta_bytes, (u64)SZ_8K);
	t_expect_accounted(test, pool, "emptied");

	for (i = 0; i < n; i += 2) {
		h[i] = hzs_alloc(pool, 1, GFP_KERNEL);
		KUNIT_ASSERT_NE(test, h[i], 0UL);
	}
	t_expect_accounted(test, pool, "refilled");
	for (i = 0; i < n; i += 2)
		hzs_free(pool, h[i]);
	kvfree(h);
}

static struct kunit_case hzs_stats_cases[] = {
	KUNIT_CASE(hzs_stats_add_up),
	KUNIT_CASE(hzs_stats_accounting_exact),
	HZ_KUNIT_CASE_SLOW(hzs_stats_zspage_table),
	HZ_KUNIT_CASE_SLOW(hzs_stats_record_table_big),
	KUNIT_CASE(hzs_stats_huge_pages_follow_objects),
	KUNIT_CASE_PARAM(hzs_stats_tail_pages_follow_objects, t_mode_gen_params),
	KUNIT_CASE(hzs_stats_destroy_nonempty),
	{}
};

static struct kunit_suite hzs_stats_suite = {
	.name = "hzs_stats",
	.test_cases = hzs_stats_cases,
};

kunit_test_suites(&hzs_geometry_suite, &hzs_roundtrip_suite,
		  &hzs_highmem_suite, &hzs_handle_suite, &hzs_fault_suite,
		  &hzs_compaction_suite, &hzs_atomic_suite,
		  &hzs_concurrency_suite, &hzs_debug_suite, &hzs_stats_suite);
