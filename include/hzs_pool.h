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
 * A handle is an opaque, never-zero unsigned long whose upper 32 bits
 * are zero on every architecture, so a caller may keep it in a u32. It
 * stays valid while compaction moves the object, until hzs_free().
 *
 * Context rules (see Documentation/design.rst). The allocator's locks
 * are spinlock_t and rwlock_t, so what "atomic" means depends on the
 * kernel:
 *  - hzs_free(), hzs_read(), hzs_write(), hzs_read_begin()/end() and
 *    hzs_obj_size() do not sleep on a non-RT kernel: they may be called
 *    with a spinlock held, preemption off or interrupts off (never from
 *    interrupt context). On PREEMPT_RT those locks are sleeping locks:
 *    the calls may block on a contended lock, so they may be called
 *    with a spinlock_t held (itself a sleeping lock there) but not with
 *    preemption or interrupts truly disabled (raw spinlocks, hardirq).
 *  - hzs_alloc() sleeps if @gfp allows it; with GFP_NOWAIT/GFP_ATOMIC it
 *    follows the rule above.
 *  - Between hzs_read_begin() and hzs_read_end() the caller must not
 *    sleep (on PREEMPT_RT: must not take a lock that could wait for
 *    compaction of the pinned zspage), and any kmap_local mapping it
 *    makes must be undone before hzs_read_end() (kmap_local is LIFO).
 *  - hzs_compact(), hzs_pool_create*() and hzs_pool_destroy() may sleep.
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
	u64 objs_allocated;	/* object slots in the pool's zspages */
	u64 meta_bytes;		/* lowmem held for descriptors and handles */
	u64 fixed_bytes;	/* the pool's own structures, from creation */
	u64 errors;		/* bad handles, overruns, red zone hits */
};

/* Per-pool settings; hzs_pool_create() takes them from module parameters. */
struct hzs_pool_opts {
	bool debug;		/* poison free objects, red zone after each */
	unsigned int max_chain;	/* pages per zspage at most; 0: hzs_max_chain */
};

/* Fullness bands of a zspage (share of its slots in use). */
enum hzs_band {
	HZS_BAND_EMPTY,
	HZS_BAND_0_25,
	HZS_BAND_25_50,
	HZS_BAND_50_75,
	HZS_BAND_75_99,
	HZS_BAND_FULL,
	HZS_NR_BANDS
};

/* One size class: geometry and a snapshot of its counters. */
struct hzs_class_info {
	unsigned int index;		/* 0 .. hzs_pool_nr_classes() - 1 */
	unsigned int size;		/* slot size in bytes */
	unsigned int min_obj;		/* smallest request stored here, */
	unsigned int max_obj;		/* largest; both 0 if none fits */
	unsigned int pages_per_zspage;
	unsigned int objs_per_zspage;
	unsigned long zspages;
	unsigned long band[HZS_NR_BANDS];
	unsigned long objs_allocated;	/* zspages * objs_per_zspage */
	unsigned long objs_used;
	u64 bytes_used;
	unsigned long pages;		/* data pages the class holds */
	/* Slots in pages held: the room compaction can move objects into. */
	unsigned long slots;
	bool huge;			/* a page per object, given back with it */
};

struct hzs_pool *hzs_pool_create(const char *name);
/* As hzs_pool_create(), with explicit settings (@opts NULL: parameters). */
struct hzs_pool *hzs_pool_create_opts(const char *name,
				      const struct hzs_pool_opts *opts);
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

/* Copy an object out / in (len <= object size); 0 or -EIO. */
int hzs_read(struct hzs_pool *pool, unsigned long handle, void *dst,
	     size_t len);
int hzs_write(struct hzs_pool *pool, unsigned long handle,
	      const void *src, size_t len);

/*
 * What a successful hzs_read_begin() holds until hzs_read_end(). Callers
 * read @addr and pass the rest back untouched.
 */
struct hzs_map {
	const void *addr;	/* the object's bytes */
	void *kaddr;		/* kmap_local mapping to undo, or NULL */
	void *pin;		/* the zspage pinned against compaction */
};

/*
 * Read-only access without a copy when possible: @len must be the
 * object's size, @bounce is PAGE_SIZE bytes for an object that spans two
 * pages. Returns 0 or -EIO; only after 0 is hzs_read_end() called (see
 * the kernel-doc in hzs_pool.c).
 */
int hzs_read_begin(struct hzs_pool *pool, unsigned long handle, size_t len,
		   void *bounce, struct hzs_map *map);
void hzs_read_end(struct hzs_map *map);

/* Moves objects to release pages; returns the number of pages freed. */
unsigned long hzs_compact(struct hzs_pool *pool);

void hzs_pool_stats(struct hzs_pool *pool, struct hzs_pool_stats *st);
u64 hzs_pool_pages(struct hzs_pool *pool);
u64 hzs_pool_total_pages(struct hzs_pool *pool);

/*
 * Largest size that is still stored packed; anything bigger lands in the
 * huge class (one object per page) and the driver stores it raw.
 */
size_t hzs_huge_threshold(struct hzs_pool *pool);

/*
 * Check the pool's bookkeeping (bitmaps, handle records, counters) and, in
 * debug mode (module parameter hzs_debug), every object's canary and every
 * free slot's poison. Returns the number of problems found (each is also
 * logged). Holds the whole pool still while it walks it: meant for tests
 * and debugging, not for a hot path or a huge pool.
 */
unsigned long hzs_pool_verify(struct hzs_pool *pool);

/* Pages hzs_compact() would release now (the shrinker's count). */
unsigned long hzs_pool_compactable(struct hzs_pool *pool);

/* Geometry and counters, for statistics and tests. */
unsigned int hzs_pool_nr_classes(struct hzs_pool *pool);
int hzs_pool_class_info(struct hzs_pool *pool, unsigned int index,
			struct hzs_class_info *info);
/* Index of the class a request of @size bytes lands in, or -EINVAL. */
int hzs_pool_size_class(struct hzs_pool *pool, size_t size);
/* Bytes reserved after each object in debug mode (0 otherwise). */
unsigned int hzs_pool_redzone(struct hzs_pool *pool);

struct dentry;
/*
 * Creates "classes" (the per-class table), "bench" and "bench_data" in
 * @parent (src/hzs_debugfs.c). hzs_pool_destroy() removes them, so
 * destroy the pool BEFORE removing @parent (a recursive removal of
 * @parent first would leave the pool holding stale dentries). Debugfs
 * errors are ignored; calling it a second time for the same pool does
 * nothing. Without CONFIG_DEBUG_FS it does nothing at all.
 */
#ifdef CONFIG_DEBUG_FS
void hzs_pool_debugfs(struct hzs_pool *pool, struct dentry *parent);
#else
static inline void hzs_pool_debugfs(struct hzs_pool *pool,
				    struct dentry *parent)
{
}
#endif

#endif /* _HZS_POOL_H */
