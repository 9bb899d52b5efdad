/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hzs test hooks (src/hzs_test_hooks.c): built only into test builds (a
 * KUnit kernel, or make HZ_TEST_HOOKS=1), exported to zram_kunit.ko in
 * namespace HZRAM_KUNIT. Not for the driver's data path.
 */
#ifndef _HZS_TEST_HOOKS_H
#define _HZS_TEST_HOOKS_H

#include <linux/types.h>

#include "hzs_pool.h"

struct page;
struct seq_file;

struct hzs_obj_loc {
	struct page *pages[2];	/* pages[1] only when the object spans */
	unsigned int page_idx;	/* index of pages[0] in the zspage chain */
	unsigned int offset;	/* object start within pages[0] */
	unsigned int index;	/* slot number within the zspage */
	unsigned int size;	/* requested size */
	unsigned int slot;	/* class slot size */
	bool spans;		/* the requested bytes cross a page boundary */
};

int hzs_handle_locate(struct hzs_pool *pool, unsigned long handle,
		      struct hzs_obj_loc *loc);
/* Calls @fn for every data page, with the pool's locks held (atomic). */
typedef void (*hzs_page_fn)(struct page *page, void *arg);
unsigned long hzs_pool_walk_pages(struct hzs_pool *pool, hzs_page_fn fn,
				  void *arg);
/* A zspage descriptor's size before slab rounding, for a geometry. */
size_t hzs_test_desc_bytes(unsigned int pages, unsigned int objs);
/* The longest chain a pool may be given on this page size. */
unsigned int hzs_test_chain_limit(void);
/*
 * ksize() of the live metadata (descriptors, records) in *@meta and of
 * the pool's own structures in *@fixed: the slab allocator's view.
 */
void hzs_test_meta_ksize(struct hzs_pool *pool, u64 *meta, u64 *fixed);
/* Fail the @nth metadata or page allocation from now on (0: off). */
void hzs_pool_fail_nth(struct hzs_pool *pool, unsigned int nth);
/* Write raw bytes at @offset from the object start, past its end too. */
int hzs_debug_poke(struct hzs_pool *pool, unsigned long handle,
		   unsigned int offset, const void *src, size_t len);
/*
 * XOR the magic of a handle record, or the id its zspage descriptor
 * has for itself (the record and the table then disagree with it).
 */
void hzs_test_corrupt(struct hzs_pool *pool, unsigned long handle,
		      bool zspage, u32 xor);
/*
 * A handle to a fake zspage built on caller-supplied page pointers (never
 * dereferenced, never freed by the pool), for decoding tests.
 */
unsigned long hzs_test_forge(struct hzs_pool *pool, size_t size,
			     struct page * const *pages, unsigned int nr_pages,
			     unsigned int index);
void hzs_test_unforge(struct hzs_pool *pool, unsigned long handle);
/* No one holds @handle's zspage lock (a leaked read pin would). */
bool hzs_test_zspage_unpinned(struct hzs_pool *pool, unsigned long handle);

/* The debugfs "classes" table (hzs_debugfs.c); m->private is the pool. */
int hzs_classes_show(struct seq_file *m, void *unused);

#endif /* _HZS_TEST_HOOKS_H */
