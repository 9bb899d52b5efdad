/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hzs private structures, shared by the allocator core (hzs_pool.c) and
 * its optional rooms: debugfs (hzs_debugfs.c), the benchmark
 * (hzs_bench.c) and the KUnit hooks (hzs_test_hooks.c). Nothing outside
 * src/hzs_*.c includes this file; the driver sees only hzs_pool.h.
 *
 * Lock order, outermost first (see hzs_pool.c for who takes what):
 *
 *   pool->migrate_lock   rwlock: handle records' (zspage, slot) pairs
 *     class->lock        spinlock: the class's lists, bitmaps, counters
 *       zspage->lock     rwlock: the zspage's object bytes stay put
 *
 * The debugfs benchmark input has its own mutex (hz_bench_input.lock),
 * taken in process context with none of the above held; the benchmark
 * it feeds runs in a private pool whose locks nest inside it.
 */
#ifndef _HZS_INTERNAL_H
#define _HZS_INTERNAL_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "hz_compat.h"
#include "hzs_pool.h"

/* Class granularity; also the smallest slot. */
#define HZS_ALIGN		16
/* Upper bound for hzs_max_chain: beyond it metadata grows, waste doesn't. */
#define HZS_MAX_CHAIN_LIMIT	16
/* Minimum red zone behind each object in debug mode. */
#define HZS_REDZONE		16
#define HZS_RED_BYTE		0xbb
#define HZS_POISON_BYTE		0x5a

/*
 * A handle record keeps its magic and the object's size in one word,
 * the size in the low HZS_REC_SIZE_BITS (it may be PAGE_SIZE itself, so
 * it needs PAGE_SHIFT + 1 bits; 64K pages are the largest we build for).
 */
#define HZS_REC_SIZE_BITS	18
#define HZS_REC_SIZE_MASK	(BIT(HZS_REC_SIZE_BITS) - 1)
#define HZS_REC_MAGIC		0x2a5bU		/* 14 bits */
#define HZS_REC_DEAD		0x0deaU
#define HZS_ZSPAGE_MAGIC	0x5a53		/* "SZ" */
#define HZS_DEAD_MAGIC		0x6564

struct hzs_zspage;
struct hzs_pool_debugfs;

/*
 * The object a handle names. The handle is this record's address. Its
 * zspage and idx change only under migrate_lock held for write. Kept
 * to two words on 64-bit (three on 32-bit): there is one per object.
 */
struct hzs_handle {
	struct hzs_zspage *zspage;
	u32 idx;
	u32 tag;	/* magic << HZS_REC_SIZE_BITS | size from hzs_alloc() */
};

static inline u32 hzs_rec_tag(u32 magic, size_t size)
{
	return magic << HZS_REC_SIZE_BITS | (u32)size;
}

static inline u32 hzs_tag_magic(u32 tag)
{
	return tag >> HZS_REC_SIZE_BITS;
}

static inline u32 hzs_rec_size(const struct hzs_handle *rec)
{
	return rec->tag & HZS_REC_SIZE_MASK;
}

struct hzs_class {
	/*
	 * Protects the band lists and counters below, and the bitmap,
	 * handles[] and inuse of every zspage of this class.
	 */
	spinlock_t lock;
	unsigned int index;
	unsigned int size;
	unsigned int min_obj;
	unsigned int max_obj;
	unsigned int pages_per_zspage;
	unsigned int objs_per_zspage;
	size_t desc_size;		/* kmalloc bucket of a descriptor */
	struct list_head bands[HZS_NR_BANDS];
	unsigned long nr_band[HZS_NR_BANDS];
	unsigned long zspages;
	/*
	 * Slots whose bytes lie in pages the zspages hold now: what a
	 * compaction can move objects into without allocating.
	 */
	unsigned long slots;
	unsigned long objs_used;
	u64 bytes_used;
};

/*
 * A zspage descriptor, allocated with its arrays behind it: pages[]
 * (pages_per_zspage entries), then the slot -> record back-pointers
 * (objs_per_zspage), then the bitmap of used slots. The arrays are
 * found from the class's geometry rather than through pointers of
 * their own: a descriptor is metadata paid for every zspage.
 */
struct hzs_zspage {
	/*
	 * Every zspage pays for this header, and one of large objects
	 * holds only a handful of them, so the small fields share one
	 * word: a 16-bit magic is enough with the slot's back-pointer
	 * checked behind it.
	 */
	u16 magic;
	u8 band;			/* under class->lock */
	/*
	 * Outside the huge class, pages[0..npages) are held and the rest
	 * are NULL: a zspage takes a page only when an object first
	 * reaches into it, so a class's last, partly filled zspage holds
	 * less than a page it does not use. Changes under class->lock.
	 */
	u8 npages;
	unsigned int inuse;		/* under class->lock */
	struct hzs_class *class;
	struct list_head node;		/* in class->bands[band] */
	/*
	 * Held for read while object bytes are copied or mapped, for write
	 * while compaction moves objects out, so accessors never see an
	 * object half-moved.
	 */
	rwlock_t lock;
	/*
	 * Under class->lock. In the huge class a free slot's entry is NULL
	 * and a used slot's page is its object's alone.
	 */
	struct page *pages[];
};

/* slot -> record, under class->lock; NULL for a free slot. */
static inline struct hzs_handle **hzs_zs_handles(const struct hzs_zspage *zs)
{
	return (struct hzs_handle **)&zs->pages[zs->class->pages_per_zspage];
}

/* Used slots, under class->lock. */
static inline unsigned long *hzs_zs_bitmap(const struct hzs_zspage *zs)
{
	return (unsigned long *)&hzs_zs_handles(zs)[zs->class->objs_per_zspage];
}

struct hzs_pool {
	const char *name;
	unsigned int id;
	bool debug;
	unsigned int redzone;
	unsigned int max_chain;
	size_t huge_threshold;
	/*
	 * 1 while a compaction runs. Not a lock: a second compactor (a
	 * reclaimer in the shrinker, a compact write) leaves at once, as
	 * upstream's zs_compact() does, instead of queueing on
	 * migrate_lock for write behind the first.
	 */
	atomic_t compacting;
	/* Pins every handle record's (zspage, idx); see hzs_pool.c. */
	rwlock_t migrate_lock;
	unsigned int nr_sizes;
	u16 *size_map;			/* (needed bytes - 1) / HZS_ALIGN */
	unsigned int nr_classes;
	struct hzs_class *classes;
	struct kmem_cache *rec_cache;
	size_t rec_size;
	/*
	 * pages and meta_bytes change only with a class lock and either side
	 * of migrate_lock held, so verify (write side) sees them settled;
	 * everyone else reads them without locks.
	 */
	atomic_long_t pages;
	atomic_long_t meta_bytes;
	/* The pool's own structures (pool, classes, size map), fixed. */
	size_t fixed_bytes;
	atomic_long_t pages_compacted;
	atomic_long_t errors;
	atomic_t fail_nth;		/* fault injection for tests */
	struct hz_shrinker shrinker;
	struct hzs_pool_debugfs *dbg;	/* hzs_debugfs.c; NULL without it */
};

/*
 * What a table of @bytes costs: kmalloc's bucket, or whole vmalloc'd
 * pages where those cost less (past a page, kmalloc rounds to a power of
 * two). The pool allocates its class array the way this says.
 */
static inline size_t hzs_table_bytes(size_t bytes)
{
	size_t slab = kmalloc_size_roundup(bytes);

	return bytes > PAGE_SIZE && PAGE_ALIGN(bytes) < slab ?
	       PAGE_ALIGN(bytes) : slab;
}

static inline struct hzs_class *hzs_class_for(struct hzs_pool *pool,
					      size_t size)
{
	size_t need = min_t(size_t, size + pool->redzone, PAGE_SIZE);

	return &pool->classes[pool->size_map[(need - 1) / HZS_ALIGN]];
}

/*
 * The one-object-per-page class, always the top one (PAGE_SIZE slots).
 * Its zspages are descriptors for objs_per_zspage slots of one page
 * each, and a slot's page is allocated with its object and freed with
 * it: one descriptor serves several huge objects, and nothing is left
 * to compact. Derived, not stored: the class array is per-device
 * memory (on a lockdep kernel one more field took it past 32 KiB).
 */
static inline bool hzs_class_huge(const struct hzs_class *class)
{
	return class->size == PAGE_SIZE;
}

static inline unsigned long hzs_slot_off(const struct hzs_class *class,
					 unsigned int idx)
{
	return (unsigned long)idx * class->size;
}

/*
 * Slots that lie wholly in a zspage's first @npages pages: the ones an
 * object can be put in without taking another page.
 */
static inline unsigned int hzs_slots_in(const struct hzs_class *class,
					unsigned int npages)
{
	if (hzs_class_huge(class))
		return class->objs_per_zspage;
	return min_t(unsigned int, class->objs_per_zspage,
		     (unsigned long)npages * PAGE_SIZE / class->size);
}

/*
 * Pages compaction can free now: a chain for every full zspage's worth
 * of holes in pages already held (holes in pages not yet taken cost
 * nothing). At most that: a source that gave back its top pages when
 * they emptied frees fewer than a chain.
 */
static inline unsigned long hzs_class_freeable(const struct hzs_class *class)
{
	unsigned long slots = READ_ONCE(class->slots);
	unsigned long used = READ_ONCE(class->objs_used);

	if (hzs_class_huge(class) || slots <= used)
		return 0;
	return (slots - used) / class->objs_per_zspage *
	       class->pages_per_zspage;
}

/* Core helpers the optional rooms use (hzs_pool.c). */
struct hzs_handle *hzs_resolve(struct hzs_pool *pool, unsigned long handle,
			       const char *op);
struct hzs_handle *hzs_pin(struct hzs_pool *pool, unsigned long handle,
			   const char *op);
void hzs_unpin(struct hzs_handle *rec);
void hzs_copy_to(struct hzs_zspage *zs, unsigned long off, const void *src,
		 size_t len);
struct hzs_zspage *hzs_desc_alloc(struct hzs_class *class, gfp_t gfp);

#ifdef CONFIG_DEBUG_FS
/* Removes the files hzs_pool_debugfs() made; waits for their readers. */
void hzs_pool_debugfs_remove(struct hzs_pool *pool);
#else
static inline void hzs_pool_debugfs_remove(struct hzs_pool *pool) {}
#endif

#endif /* _HZS_INTERNAL_H */
