/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared fixture of the driver's KUnit files: a struct zram built the
 * way the driver builds one (zram_setup()), without a gendisk, driven
 * through the same internal entry points the bio path uses.
 */
#ifndef _ZRAM_FIXTURE_H
#define _ZRAM_FIXTURE_H

#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/rwsem.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "hzs_pool.h"
#include "zram_drv.h"
#include "zram_wb.h"

#define ZT_NR_PAGES	16

/* Log-like text: repetitive, but not trivially so. */
static inline void zt_fill_text(void *buf, unsigned int seed)
{
	static const char *const words[] = {
		"swap", "page", "compress", "zram", "block", "kernel",
		"memory", "slot", "lock", "the", "of", "and", "device",
	};
	char *p = buf, *end = p + PAGE_SIZE;
	unsigned int i = seed;

	while (p < end) {
		int n = scnprintf(p, end - p, "%s %s %u\n",
				  words[i % ARRAY_SIZE(words)],
				  words[(i * 5) % ARRAY_SIZE(words)], i % 64);

		if (n <= 0)
			break;
		p += n;
		i++;
	}
	memset(p, 0, end - p);
}

struct zt_ctx {
	struct zram *zram;
	struct page *in;
	struct page *out;
};

/*
 * A device without a gendisk, set up and torn down by the driver's own
 * zram_setup()/zram_teardown(), with @checksum as configured before
 * disksize. Torn down by zt_zram_destroy() (or zt_slot_exit()).
 */
static inline struct zram *zt_zram_create(struct kunit *test, int id,
					  u32 nr_pages, bool checksum)
{
	struct zram *zram;

	zram = kunit_kzalloc(test, sizeof(*zram), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, zram);
	zram_init_struct(zram, id);
	zram->checksum = checksum;
	KUNIT_ASSERT_EQ(test, zram_setup(zram, (u64)nr_pages * PAGE_SIZE), 0);
	zram->disksize = (u64)nr_pages * PAGE_SIZE;
	return zram;
}

static inline void zt_zram_destroy(struct zram *zram)
{
	if (!zram)
		return;
	zram_teardown(zram);
	zram_backing_detach(zram);
	/* Frees what algorithm_params loaded (dictionaries). */
	zram_set_defaults(zram);
}

/* A device of @nr_pages as test->priv, and two pages. */
static inline int zt_ctx_init(struct kunit *test, int id, u32 nr_pages)
{
	struct zt_ctx *ctx;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	test->priv = ctx;
	ctx->zram = zt_zram_create(test, id, nr_pages, false);
	ctx->in = alloc_page(GFP_KERNEL);
	ctx->out = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->in);
	KUNIT_ASSERT_NOT_NULL(test, ctx->out);
	return 0;
}

/* Suite .init of the slot suites: a ZT_NR_PAGES device and two pages. */
static inline int zt_slot_init(struct kunit *test)
{
	return zt_ctx_init(test, 9999, ZT_NR_PAGES);
}

static inline void zt_slot_exit(struct kunit *test)
{
	struct zt_ctx *ctx = test->priv;

	if (!ctx)
		return;
	zt_zram_destroy(ctx->zram);
	if (ctx->in)
		__free_page(ctx->in);
	if (ctx->out)
		__free_page(ctx->out);
}

static inline u64 zt_stat(atomic64_t *v)
{
	return atomic64_read(v);
}

static inline u64 zt_pool_objs(struct hzs_pool *pool)
{
	struct hzs_pool_stats st = {};

	hzs_pool_stats(pool, &st);
	return st.objs_used;
}

static inline bool zt_pages_equal(struct page *a, struct page *b)
{
	return !memcmp(page_address(a), page_address(b), PAGE_SIZE);
}

/*
 * Slot @index, its chunk allocated if it was absent (as a write would):
 * the suites look at slots before and after writing them. The sparse
 * suite, which is about absent chunks, uses zram_slot_get() instead.
 */
static inline struct zram_slot *zt_slot(struct zram *zram, u32 index)
{
	if (zram_chunk_get(zram, index))
		return NULL;
	return zram_slot(zram, index);
}

/* zram_verify() into a scratch seq_file; returns its problem count. */
static inline long zt_verify(struct kunit *test, struct zram *zram)
{
	struct seq_file m = { .size = PAGE_SIZE };
	long ret;

	m.buf = kunit_kzalloc(test, m.size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m.buf);
	ret = zram_verify(zram, &m);
	/*
	 * The problem count only: 6.1 keeps a suite's log in a fixed
	 * buffer, and a suite whose log overflows it loses the newline
	 * before its "ok" line (the guest step then sees no verdict).
	 */
	kunit_info(test, "verify: %.*s", (int)strcspn(m.buf, "\n"), m.buf);
	return ret;
}

#endif /* _ZRAM_FIXTURE_H */
