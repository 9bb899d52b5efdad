/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hzs private structures, shared by the allocator core (hzs_pool.c) and
 * its optional rooms: debugfs (hzs_debugfs.c), the benchmark
 * (hzs_bench.c) and the KUnit hooks (hzs_test_hooks.c). Nothing outside
 * src/hzs_*.c includes this file; the driver sees only hzs_pool.h.
 *
 * Lock order, outermost first (see hzs_pool.c for who takes what):
 *
 *   pool->migrate_lock   rwlock: handle records' (zspage, slot) pairs,
 *                        and both tables' directories
 *     class lock         spinlock, one of pool->class_locks (see
 *                        hzs_class_lock()): the lists, bitmaps and
 *                        counters of the classes that share it
 *       zspage->lock     rwlock: the zspage's object bytes stay put
 *       pool->rt_lock    spinlock: the record table's free list and
 *                        counts; under migrate_lock (either way), with
 *                        or without a class lock, never with a zspage
 *                        lock or zt_lock
 *     pool->zt_lock      spinlock: zspage table entries and free list;
 *                        taken alone or under migrate_lock (either
 *                        way), never with a class or zspage lock
 *
 * The debugfs benchmark input has its own mutex (hz_bench_input.lock),
 * taken in process context with none of the above held; the benchmark
 * it feeds runs in a private pool whose locks nest inside it.
 */
#ifndef _HZS_INTERNAL_H
#define _HZS_INTERNAL_H

#include <linux/atomic.h>
#include <linux/hash.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "hz_compat.h"
#include "hzs_pool.h"

/* Class granularity; also the smallest slot. */
#define HZS_ALIGN		16
/*
 * Upper bound for hzs_max_chain: beyond it metadata grows, waste doesn't.
 * Bigger pages get shorter chains so that a slot index still fits a
 * record's tag (below) with a few bits of magic: 16 with 16K pages, 4
 * with 64K.
 */
#define HZS_MAX_CHAIN_LIMIT	(PAGE_SHIFT > 14 ? 4 : PAGE_SHIFT > 12 ? 16 : 32)
/*
 * Class locks per pool. A class takes lock (index % HZS_CLASS_LOCKS),
 * so neighbouring sizes, the ones a workload hits together, never
 * share one. No path holds two class locks, so sharing cannot
 * deadlock; it keeps the class array small where a lock is big (a
 * PREEMPT_RT lockdep kernel's is 136 bytes, half a class).
 */
#define HZS_CLASS_LOCKS		32
/* Minimum red zone behind each object in debug mode. */
#define HZS_REDZONE		16
#define HZS_RED_BYTE		0xbb
#define HZS_POISON_BYTE		0x5a

/*
 * A handle record's tag word, low bits first: the slot index (enough
 * bits for the most slots a zspage can have), the object's size less
 * one (PAGE_SHIFT bits), and a magic in what is left: 7 bits with 4K
 * pages, 4 with 16K, 2 with 64K. The magic is only the first gate; the
 * slot's back-pointer to the record is the check that counts.
 */
#define HZS_REC_IDX_BITS	(PAGE_SHIFT + ilog2(HZS_MAX_CHAIN_LIMIT) - \
				 ilog2(HZS_ALIGN))
#define HZS_REC_MAGIC_SHIFT	(HZS_REC_IDX_BITS + PAGE_SHIFT)
#define HZS_REC_MAGIC_MASK	(BIT(32 - HZS_REC_MAGIC_SHIFT) - 1)
#define HZS_REC_MAGIC		(0xa5U & HZS_REC_MAGIC_MASK)
#define HZS_REC_DEAD		(0x5aU & HZS_REC_MAGIC_MASK)

struct hzs_zspage;
struct hzs_pool_debugfs;

/*
 * The directory of a chunked table (the zspage table, the record
 * table): @chunk lists the chunks, and doubles when it fills; past a
 * page it comes from vmalloc, so that a big pool's write path never
 * waits on a high-order allocation (the sizes are powers of two, so
 * vmalloc's whole pages cost what kmalloc's bucket would). Lookups
 * hold migrate_lock (either way) and take no other lock: @chunk is
 * swapped or dropped only under migrate_lock held for write, and a
 * chunk is published (@cap, release) before any entry in it is handed
 * out. @len and @nr also change only under the table's own lock.
 */
struct hzs_dir {
	void **chunk;
	unsigned int len;	/* room in chunk[] */
	unsigned int nr;	/* chunks in chunk[] */
	u32 cap;		/* entries the chunks hold */
};

/*
 * The object a handle names: an entry of the pool's record table (see
 * hzs_handle_of()). It names its zspage by id in the pool's zspage
 * table rather than by pointer, so a record is 8 bytes on every
 * architecture: there is one per stored object. zsid and the tag's
 * index change only under migrate_lock held for write. A free record
 * has the dead magic, and its zsid links the table's free list.
 */
struct hzs_handle {
	u32 zsid;
	u32 tag;	/* see HZS_REC_IDX_BITS */
};

/*
 * A handle is a record's index in its pool's table, shifted over a
 * fixed mark in the low bits, so that a value off by a few (a pointer
 * into the middle of something, a neighbour's handle plus one) is
 * refused before any table is read. It is 32 bits on every
 * architecture, so that a user's table can keep it in a u32. The index
 * is XORed with a hash of the pool's id: a handle given to the wrong
 * pool decodes to an index far past any table of a realistic size. A
 * slot names its record back by index + 1 (0: free), 4 bytes where a
 * pointer took 8.
 */
#define HZS_H_SHIFT		3
#define HZS_H_MARK		5UL
/* No free record; also one past the last index a table may hand out. */
#define HZS_RT_NONE		(U32_MAX >> HZS_H_SHIFT)
/* Records per record table chunk: 4 KiB. */
#define HZS_RT_CHUNK		512

static inline u32 hzs_rec_tag(u32 magic, unsigned int idx, size_t size)
{
	return magic << HZS_REC_MAGIC_SHIFT |
	       (u32)(size - 1) << HZS_REC_IDX_BITS | idx;
}

static inline u32 hzs_tag_magic(u32 tag)
{
	return tag >> HZS_REC_MAGIC_SHIFT;
}

static inline unsigned int hzs_tag_idx(u32 tag)
{
	return tag & (BIT(HZS_REC_IDX_BITS) - 1);
}

static inline unsigned int hzs_tag_size(u32 tag)
{
	return ((tag >> HZS_REC_IDX_BITS) & (PAGE_SIZE - 1)) + 1;
}

/* Moves the record to slot @idx of zspage @zsid; size and magic stay. */
static inline void hzs_rec_move(struct hzs_handle *rec, u32 zsid,
				unsigned int idx)
{
	rec->zsid = zsid;
	rec->tag = (rec->tag & ~(u32)(BIT(HZS_REC_IDX_BITS) - 1)) | idx;
}

/*
 * A handle decoded under migrate_lock: what its record said then. Stays
 * true while the caller holds migrate_lock or the zspage's lock.
 */
struct hzs_obj {
	struct hzs_handle *rec;
	u32 ri;		/* the record's index */
	struct hzs_zspage *zs;
	unsigned int idx;
	unsigned int size;
};

/*
 * A size class. Its class lock (hzs_class_lock()) protects the band
 * lists and counters below, and the bitmap, refs and inuse of every
 * zspage of the class.
 */
struct hzs_class {
	unsigned int size;
	/*
	 * The class array is per-device memory, so the fixed fields are
	 * as narrow as they can be: up to 32 pages and 16,384 objects
	 * (32 pages of 4K, 16 of 16K, or 4 of 64K, in 16-byte slots).
	 */
	u16 pages_per_zspage;
	u16 objs_per_zspage;
	unsigned int desc_size;		/* kmalloc bucket of a descriptor */
	struct list_head bands[HZS_NR_BANDS];
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
 * (pages_per_zspage entries), then the bitmap of used slots, then the
 * slot -> record back-references (objs_per_zspage). The arrays are
 * found from the class's geometry rather than through pointers of
 * their own: a descriptor is metadata paid for every zspage.
 */
struct hzs_zspage {
	/*
	 * Every zspage pays for this header, and one of large objects
	 * holds only a handful of them, so the small fields share one
	 * word. @id is the zspage's entry in the pool's zspage table,
	 * fixed for its life; a record names the zspage by it.
	 */
	u32 id;
	u16 inuse;			/* under the class lock */
	u8 band;			/* under the class lock */
	/*
	 * Outside the huge class, pages[0..npages) are held and the rest
	 * are NULL: a zspage takes a page only when an object first
	 * reaches into it, so a class's last, partly filled zspage holds
	 * less than a page it does not use. Changes under the class lock.
	 */
	u8 npages;
	struct hzs_class *class;
	struct list_head node;		/* in class->bands[band] */
	/*
	 * Held for read while object bytes are copied or mapped, for write
	 * while compaction moves objects out, so accessors never see an
	 * object half-moved.
	 */
	rwlock_t lock;
	/*
	 * Under the class lock. In the huge class a free slot's entry is NULL
	 * and a used slot's page is its object's alone.
	 */
	struct page *pages[];
};

/* Used slots, under the class lock. */
static inline unsigned long *hzs_zs_bitmap(const struct hzs_zspage *zs)
{
	return (unsigned long *)&zs->pages[zs->class->pages_per_zspage];
}

/*
 * slot -> record index + 1, under the class lock; 0 for a free slot. Read
 * without it (READ_ONCE) by hzs_resolve(), under migrate_lock.
 */
static inline u32 *hzs_zs_refs(const struct hzs_zspage *zs)
{
	return (u32 *)&hzs_zs_bitmap(zs)[BITS_TO_LONGS(zs->class->objs_per_zspage)];
}

/* A descriptor's bytes before the slab rounds them: the layout above. */
static inline size_t hzs_desc_bytes(unsigned int pages, unsigned int objs)
{
	return sizeof(struct hzs_zspage) + pages * sizeof(struct page *) +
	       BITS_TO_LONGS(objs) * sizeof(unsigned long) +
	       objs * sizeof(u32);
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
	/*
	 * The class locks, HZS_CLASS_LOCKS of them, right after the class
	 * array in its allocation; see hzs_class_lock() for which class
	 * takes which, and the order at the top of this file.
	 */
	spinlock_t *class_locks;
	/*
	 * The record table, where handles find their records by index:
	 * chunks of HZS_RT_CHUNK records, kept until the pool holds no
	 * record. The free list (through free records' zsid), rt_live
	 * and rt's own counts are under rt_lock.
	 */
	spinlock_t rt_lock;
	struct hzs_dir rt;
	u32 rt_free;			/* a free record, or HZS_RT_NONE */
	u32 rt_live;			/* records handed out */
	/*
	 * The zspage table, where records find their zspage by id: chunks
	 * of HZS_ZT_CHUNK entries. An entry holds its zspage's descriptor,
	 * or (odd) the next free id shifted up by one. Everything here,
	 * zt's own counts included, is under zt_lock.
	 */
	spinlock_t zt_lock;
	struct hzs_dir zt;
	u32 zt_next;			/* ids below it were handed out once */
	u32 zt_free;			/* a free id below zt_next, or HZS_ZT_NONE */
	u32 zt_live;			/* ids held by a descriptor */
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

/*
 * The class array and its locks, allocated together: what they take
 * before the slab or vmalloc rounds it.
 */
static inline size_t hzs_classes_bytes(unsigned int nr_classes)
{
	return nr_classes * sizeof(struct hzs_class) +
	       HZS_CLASS_LOCKS * sizeof(spinlock_t);
}

static inline spinlock_t *hzs_class_lock(const struct hzs_pool *pool,
					 const struct hzs_class *class)
{
	return &pool->class_locks[(class - pool->classes) % HZS_CLASS_LOCKS];
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
 * Pages compaction can free now: the free slots in pages already held,
 * in whole pages (holes in pages not yet taken cost nothing). An
 * estimate, not a bound: compaction moves objects down into those
 * holes and gives back the pages they leave empty (hzs_drain()), and
 * how the slots fall across page boundaries shifts the count by a page
 * either way. It is 0 once compaction has run.
 */
static inline unsigned long hzs_class_freeable(const struct hzs_class *class)
{
	unsigned long slots = READ_ONCE(class->slots);
	unsigned long used = READ_ONCE(class->objs_used);

	if (hzs_class_huge(class) || slots <= used)
		return 0;
	return (slots - used) * class->size >> PAGE_SHIFT;
}

/* Entries per zspage table chunk: 4 KiB on 64-bit, 2 KiB on 32-bit. */
#define HZS_ZT_CHUNK		512
/* No free id; also one past the last id the table may hand out. */
#define HZS_ZT_NONE		(U32_MAX >> 1)

/* What a table takes now: its chunks and its directory. */
static inline size_t hzs_dir_bytes(const struct hzs_dir *d, size_t chunk_bytes)
{
	if (!d->chunk)
		return 0;
	return d->nr * kmalloc_size_roundup(chunk_bytes) +
	       hzs_table_bytes(d->len * sizeof(*d->chunk));
}

#define HZS_ZT_CHUNK_BYTES	(HZS_ZT_CHUNK * sizeof(unsigned long))
#define HZS_RT_CHUNK_BYTES	(HZS_RT_CHUNK * sizeof(struct hzs_handle))

/* What the zspage table takes now. Caller holds migrate_lock or zt_lock. */
static inline size_t hzs_zt_bytes(const struct hzs_pool *pool)
{
	return hzs_dir_bytes(&pool->zt, HZS_ZT_CHUNK_BYTES);
}

/* What the record table takes now. Caller holds migrate_lock or rt_lock. */
static inline size_t hzs_rt_bytes(const struct hzs_pool *pool)
{
	return hzs_dir_bytes(&pool->rt, HZS_RT_CHUNK_BYTES);
}

static inline unsigned long hzs_handle_of(const struct hzs_pool *pool, u32 ri)
{
	return (unsigned long)(ri ^ hash_32(pool->id, 32 - HZS_H_SHIFT))
	       << HZS_H_SHIFT | HZS_H_MARK;
}

/* The record index @handle names, or false if it is not one of @pool's. */
static inline bool hzs_handle_ri(const struct hzs_pool *pool,
				 unsigned long handle, u32 *ri)
{
	*ri = (u32)handle >> HZS_H_SHIFT ^ hash_32(pool->id, 32 - HZS_H_SHIFT);
	return (handle & (BIT(HZS_H_SHIFT) - 1)) == HZS_H_MARK &&
	       !upper_32_bits(handle);
}

/* Record @ri, unchecked: caller holds migrate_lock, or is a test hook. */
static inline struct hzs_handle *hzs_rt_rec(struct hzs_pool *pool, u32 ri)
{
	return &((struct hzs_handle *)pool->rt.chunk[ri / HZS_RT_CHUNK])
		[ri % HZS_RT_CHUNK];
}

/* Core helpers the optional rooms use (hzs_pool.c). */
struct hzs_zspage *hzs_zt_lookup(struct hzs_pool *pool, u32 id);
int hzs_rt_get(struct hzs_pool *pool, gfp_t gfp, u32 *ri);
void hzs_rt_put(struct hzs_pool *pool, u32 ri);
bool hzs_resolve(struct hzs_pool *pool, unsigned long handle, const char *op,
		 struct hzs_obj *obj);
bool hzs_pin(struct hzs_pool *pool, unsigned long handle, const char *op,
	     struct hzs_obj *obj);
void hzs_unpin(struct hzs_obj *obj);
void hzs_copy_to(struct hzs_zspage *zs, unsigned long off, const void *src,
		 size_t len);
struct hzs_zspage *hzs_desc_alloc(struct hzs_pool *pool,
				  struct hzs_class *class, gfp_t gfp);
void hzs_desc_free(struct hzs_pool *pool, struct hzs_zspage *zs);

#ifdef CONFIG_DEBUG_FS
/* Removes the files hzs_pool_debugfs() made; waits for their readers. */
void hzs_pool_debugfs_remove(struct hzs_pool *pool);
#else
static inline void hzs_pool_debugfs_remove(struct hzs_pool *pool) {}
#endif

#endif /* _HZS_INTERNAL_H */
