/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hzs: the hzram size-class allocator.
 *
 * A pool packs objects of 1..PAGE_SIZE bytes into "zspages": chains of
 * order-0 pages (highmem allowed) shared by one size class. All metadata
 * (zspage descriptors, free-object bitmaps, handle records) lives in
 * lowmem slab memory, never in the data pages and never in struct page,
 * so nothing a caller writes into an object can reach it.
 *
 * A handle is an opaque, never-zero unsigned long. It stays valid while
 * compaction moves the object, until hzs_free().
 *
 * Context rules (see Documentation/design.rst):
 *  - hzs_alloc() may sleep if @gfp allows it; with GFP_NOWAIT/GFP_ATOMIC
 *    it is safe in atomic context.
 *  - hzs_free(), hzs_read(), hzs_write(), hzs_read_begin()/end() never
 *    sleep and may be called from atomic context.
 *  - Between hzs_read_begin() and hzs_read_end() the caller must not
 *    sleep, and any kmap_local mapping it makes must be undone before
 *    hzs_read_end() (kmap_local is LIFO).
 *  - hzs_compact() and hzs_pool_destroy() may sleep.
 */
#ifndef _HZS_POOL_H
#define _HZS_POOL_H

#include <linux/types.h>
#include <linux/gfp.h>

struct hzs_pool;

struct hzs_pool_stats {
	u64 pages;		/* data pages currently held by the pool */
	u64 pages_compacted;	/* pages released by compaction, ever */
	u64 objs_used;		/* live objects */
	u64 bytes_used;		/* sum of the sizes callers asked for */
};

struct hzs_pool *hzs_pool_create(const char *name);
void hzs_pool_destroy(struct hzs_pool *pool);

/*
 * Returns a handle, or 0 on failure (@size == 0, @size > PAGE_SIZE, or
 * no memory). A failed call leaves no partial state. __GFP_HIGHMEM is
 * added for the data pages; metadata is allocated with @gfp as given.
 */
unsigned long hzs_alloc(struct hzs_pool *pool, size_t size, gfp_t gfp);
void hzs_free(struct hzs_pool *pool, unsigned long handle);

/* The size that was passed to hzs_alloc() for this handle. */
size_t hzs_obj_size(struct hzs_pool *pool, unsigned long handle);

/* Copy the whole object out / in (len <= object size). */
void hzs_read(struct hzs_pool *pool, unsigned long handle, void *dst,
	      size_t len);
void hzs_write(struct hzs_pool *pool, unsigned long handle,
	       const void *src, size_t len);

/*
 * Read-only access without a copy when possible: returns a pointer to
 * the object's bytes, mapped with kmap_local if it lies in one page, or
 * @bounce (at least PAGE_SIZE bytes) filled with a copy if it spans two.
 * Must be paired with hzs_read_end() in the same context.
 */
const void *hzs_read_begin(struct hzs_pool *pool, unsigned long handle,
			   void *bounce);
void hzs_read_end(struct hzs_pool *pool, unsigned long handle,
		  const void *addr);

/* Moves objects to release pages; returns the number of pages freed. */
unsigned long hzs_compact(struct hzs_pool *pool);

void hzs_pool_stats(struct hzs_pool *pool, struct hzs_pool_stats *st);
u64 hzs_pool_pages(struct hzs_pool *pool);

/*
 * Largest size that is still stored packed; anything bigger lands in the
 * huge class (one object per page) and the driver stores it raw.
 */
size_t hzs_huge_threshold(struct hzs_pool *pool);

/*
 * Debug mode only (module parameter hzs_debug): check every object's
 * canary and the pool's bookkeeping. Returns the number of problems found
 * (each is also logged).
 */
unsigned long hzs_pool_verify(struct hzs_pool *pool);

#endif /* _HZS_POOL_H */
