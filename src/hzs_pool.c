// SPDX-License-Identifier: GPL-2.0
/*
 * hzs: the hzram size-class allocator.
 *
 * Objects of 1..PAGE_SIZE bytes are packed back to back into zspages:
 * chains of 1..hzs_max_chain order-0 pages owned by one size class. An
 * object may straddle two pages of its chain. Data pages may be highmem
 * and are only ever touched through kmap_local_page(), one page at a time
 * or two strictly nested, so nothing depends on a permanent mapping.
 *
 * What the allocator knows about an object lives outside the data pages
 * and outside struct page, in lowmem slab memory:
 *  - a handle record per live object (magic, zspage id, slot, size: 8
 *    bytes), in the pool's record table. The handle given to the caller
 *    is the record's index there (see hzs_handle_of()): it encodes no
 *    PFN, so it decodes for any physical address the machine can have,
 *    and compaction can move the object by rewriting the record. The
 *    zspage id indexes the pool's zspage table, which holds the
 *    descriptor pointers a record would otherwise carry;
 *  - a descriptor per zspage (page pointers, a bitmap of used slots
 *    and a 4-byte reference from each used slot to its record). In
 *    the huge class (one object per page) a descriptor serves several
 *    slots of one page each, and a slot's page comes and goes with its
 *    object, so a raw page costs a record and a share of a descriptor.
 * A zspage takes its pages one at a time, when an object first reaches
 * into the next one (objects go to the lowest free slot, so the pages
 * held are always a prefix of the chain), and gives back the ones past
 * its highest object when that object is freed. A class's last zspage,
 * the one still filling, then wastes less than a page instead of up to
 * a whole chain: at a few MiB stored that tail was most of the loss.
 * A write past an object can therefore only damage object data. Handles
 * are validated (mark and pool; the index in this pool's record table;
 * the record's magic; its id in this pool's zspage table; the slot's
 * reference back to the record) before anything is done with them.
 *
 * Lock order, outermost first:
 *
 *   pool->migrate_lock   rwlock: handle records' (zspage, slot) pairs,
 *                        and the zspage table's directory
 *     class lock         spinlock: the lists, bitmaps and counters of
 *                        the classes sharing it (hzs_class_lock())
 *       zspage->lock     rwlock: the zspage's object bytes stay put
 *       pool->rt_lock    spinlock: record table free list and counts
 *     pool->zt_lock      spinlock: zspage table entries and free list
 *
 * Accessors (read/write/read_begin/obj_size) take migrate_lock for read,
 * decode the handle, take the zspage lock for read, drop migrate_lock and
 * copy. Alloc and free take migrate_lock for read and the class lock; the
 * read side keeps free() from racing with an object being moved. Moving
 * objects (compaction), verify and the page walk take migrate_lock for
 * write, then the class lock, then (to move) the source zspage's lock for
 * write, which waits for accessors still copying from it. No path holds
 * two zspage locks or two class locks at once, which is what lets
 * classes share their locks (HZS_CLASS_LOCKS of them per pool). zt_lock
 * is taken alone (freeing an id) or under migrate_lock (handing one out,
 * growing or dropping the table), never with a class or zspage lock; the
 * table's directory is swapped and dropped only with migrate_lock held
 * for write, so a lookup needs nothing more than migrate_lock either way.
 * The record table works the same way, except that rt_lock is also
 * taken under a class lock (free returns its record there); nothing is
 * taken under rt_lock.
 * Memory is never allocated with any of these held, so reclaim (our
 * shrinker) cannot recurse into a held lock. Nothing here is taken from
 * interrupt context.
 */
#define pr_fmt(fmt) "hzs: " fmt

#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/highmem.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "hz_compat.h"
#include "hz_kunit.h"
#include "hzs_internal.h"

static bool hzs_debug;
module_param(hzs_debug, bool, 0644);
MODULE_PARM_DESC(hzs_debug,
		 "Poison free objects and red-zone live ones (read at pool creation)");

/*
 * The longest chains allowed, 32 with 4K pages (HZS_MAX_CHAIN_LIMIT):
 * the chain with the least waste per page often needs more than 16
 * for objects over 2 KiB, and since compaction gives back pages rather
 * than whole zspages, a long chain no longer costs more after frees.
 */
static unsigned int hzs_max_chain = HZS_MAX_CHAIN_LIMIT;
module_param(hzs_max_chain, uint, 0644);
MODULE_PARM_DESC(hzs_max_chain,
		 "Most pages per zspage, 1..32; 1..16 with 16K pages, 1..4 with 64K (read at pool creation)");

static atomic_t hzs_pool_ids = ATOMIC_INIT(0);

/* ---------------------------------------------------------------------
 * Geometry
 */

/*
 * The chain length whose zspage costs least per object: its pages plus
 * its descriptor as the slab rounds it, over the objects it holds. The
 * descriptor counts because, with long chains, its rounding can cost
 * more than the chain's tail wastes (a 264-byte descriptor takes 512).
 * Compared by cross-multiplying; on a tie the shorter chain wins (less
 * to map).
 *
 * A descriptor is allocated in the write path, often under reclaim
 * (GFP_NOIO), so it must come from a slab that can fall back to single
 * pages: chains whose descriptor would take more than a page are not
 * considered (16-byte slots would otherwise take 15-page zspages with
 * a 32 KiB descriptor, an order-3 allocation).
 */
static void hzs_chain_for(unsigned int size, unsigned int max_chain,
			  unsigned int *pages, unsigned int *objs)
{
	unsigned int best = 1, best_objs = PAGE_SIZE / size, n;
	u64 best_cost = PAGE_SIZE +
			kmalloc_size_roundup(hzs_desc_bytes(1, best_objs));

	for (n = 2; n <= max_chain; n++) {
		unsigned int o = n * PAGE_SIZE / size;
		size_t desc = kmalloc_size_roundup(hzs_desc_bytes(n, o));
		u64 cost = n * PAGE_SIZE + desc;

		if (desc > PAGE_SIZE)
			continue;
		if (cost * best_objs < best_cost * o) {
			best = n;
			best_objs = o;
			best_cost = cost;
		}
	}
	*pages = best;
	*objs = best_objs;
}

/*
 * Slots per huge-class descriptor: the count that makes a descriptor's
 * slab bucket cheapest per slot, the smaller count on a tie (a sparse
 * descriptor then holds less for nothing).
 */
static unsigned int hzs_huge_slots(void)
{
	size_t best_bytes = kmalloc_size_roundup(hzs_desc_bytes(1, 1));
	unsigned int best = 1, n;

	for (n = 2; n <= HZS_MAX_CHAIN_LIMIT; n++) {
		size_t bytes = kmalloc_size_roundup(hzs_desc_bytes(n, n));

		if (bytes * best < best_bytes * n) {
			best = n;
			best_bytes = bytes;
		}
	}
	return best;
}

static void hzs_class_init(struct hzs_pool *pool, struct hzs_class *class,
			   unsigned int size, unsigned int pages,
			   unsigned int objs)
{
	unsigned int b;

	class->size = size;
	class->pages_per_zspage = pages;
	class->objs_per_zspage = objs;
	class->desc_size = kmalloc_size_roundup(hzs_desc_bytes(pages, objs));
	for (b = 0; b < HZS_NR_BANDS; b++)
		INIT_LIST_HEAD(&class->bands[b]);
}

/* Undoes hzs_build_classes(). */
static void hzs_classes_free(struct hzs_pool *pool)
{
	kvfree(pool->classes);
	kfree(pool->size_map);
}

/*
 * The requests class @i takes: those its slot holds, with the red zone,
 * and the class below does not. With a red zone the smallest slots can
 * hold no request at all (0..0); requests near PAGE_SIZE leave less
 * than a full red zone. Derived, not stored: the class array is
 * per-device memory.
 */
static void hzs_class_range(const struct hzs_pool *pool, unsigned int i,
			    unsigned int *min, unsigned int *max)
{
	unsigned int below = i ? pool->classes[i - 1].size : 0;
	unsigned int size = pool->classes[i].size;

	*min = below + 1 > pool->redzone ? below + 1 - pool->redzone : 1;
	*max = size > pool->redzone ? size - pool->redzone : 0;
	if (i == pool->nr_classes - 1)
		*max = PAGE_SIZE;
	if (*max < *min) {
		*min = 0;
		*max = 0;
	}
}

/*
 * Walk slot sizes from the top down and start a new class whenever the
 * geometry changes, so runs of sizes that would fill zspages identically
 * share the biggest slot of the run, and every size still lands in the
 * smallest class that fits it.
 */
static int hzs_build_classes(struct hzs_pool *pool)
{
	unsigned int nr = PAGE_SIZE / HZS_ALIGN, i, count = 0;
	unsigned int pages, objs, last_pages = 0, last_objs = 0, n;
	struct hzs_class *class = NULL;
	unsigned int below;
	size_t bytes;

	pool->nr_sizes = nr;
	pool->size_map = kcalloc(nr, sizeof(*pool->size_map), GFP_KERNEL);
	if (!pool->size_map)
		return -ENOMEM;

	for (i = nr; i-- > 0;) {
		hzs_chain_for((i + 1) * HZS_ALIGN, pool->max_chain, &pages, &objs);
		if (count && pages == last_pages && objs == last_objs)
			continue;
		count++;
		last_pages = pages;
		last_objs = objs;
	}

	/*
	 * The class array and its locks are per-device memory, tens of
	 * KiB on a lockdep kernel with PREEMPT_RT's locks: past a page,
	 * kmalloc would round it to a power of two (64 KiB there), so
	 * whole pages from vmalloc take it when they cost less.
	 * hzs_table_bytes() says which.
	 */
	bytes = hzs_classes_bytes(count);
	if (hzs_table_bytes(bytes) == kmalloc_size_roundup(bytes))
		pool->classes = kzalloc(bytes, GFP_KERNEL);
	else
		pool->classes = vzalloc(bytes);
	if (!pool->classes) {
		kfree(pool->size_map);
		pool->size_map = NULL;
		return -ENOMEM;
	}
	pool->nr_classes = count;
	pool->class_locks = (spinlock_t *)&pool->classes[count];
	for (i = 0; i < HZS_CLASS_LOCKS; i++)
		spin_lock_init(&pool->class_locks[i]);

	for (i = nr; i-- > 0;) {
		hzs_chain_for((i + 1) * HZS_ALIGN, pool->max_chain, &pages, &objs);
		if (!class || pages != class->pages_per_zspage ||
		    objs != class->objs_per_zspage) {
			class = &pool->classes[--count];
			hzs_class_init(pool, class, (i + 1) * HZS_ALIGN,
				       pages, objs);
		}
		pool->size_map[i] = count;
	}

	class = &pool->classes[pool->nr_classes - 1];
	/*
	 * The PAGE_SIZE class holds one object per page: it is the huge
	 * class (hzs_class_huge()). Slot i is page i, so hzs_slot_off()
	 * needs no special case.
	 */
	n = hzs_huge_slots();
	class->pages_per_zspage = n;
	class->objs_per_zspage = n;
	class->desc_size = kmalloc_size_roundup(hzs_desc_bytes(n, n));
	hzs_class_range(pool, pool->nr_classes - 1, &below, &n);
	pool->huge_threshold = below - 1;
	return 0;
}

static unsigned int hzs_band_of(const struct hzs_class *class,
				unsigned int inuse)
{
	if (!inuse)
		return HZS_BAND_EMPTY;
	if (inuse >= class->objs_per_zspage)
		return HZS_BAND_FULL;
	return HZS_BAND_0_25 + 4 * inuse / class->objs_per_zspage;
}

/* Caller holds the class lock. */
static void hzs_rebalance(struct hzs_class *class, struct hzs_zspage *zs)
{
	unsigned int band = hzs_band_of(class, zs->inuse);

	if (band == zs->band)
		return;
	list_move(&zs->node, &class->bands[band]);
	zs->band = band;
}

/* ---------------------------------------------------------------------
 * Data access. Offsets are bytes into the zspage's chain of pages.
 */

static void hzs_copy_from(struct hzs_zspage *zs, unsigned long off,
			  void *dst, size_t len)
{
	while (len) {
		unsigned int in = offset_in_page(off);
		size_t n = min_t(size_t, len, PAGE_SIZE - in);
		void *va = kmap_local_page(zs->pages[off >> PAGE_SHIFT]);

		memcpy(dst, va + in, n);
		kunmap_local(va);
		dst += n;
		off += n;
		len -= n;
	}
}

void hzs_copy_to(struct hzs_zspage *zs, unsigned long off, const void *src,
		 size_t len)
{
	while (len) {
		unsigned int in = offset_in_page(off);
		size_t n = min_t(size_t, len, PAGE_SIZE - in);
		void *va = kmap_local_page(zs->pages[off >> PAGE_SHIFT]);

		memcpy(va + in, src, n);
		kunmap_local(va);
		src += n;
		off += n;
		len -= n;
	}
}

static void hzs_fill(struct hzs_zspage *zs, unsigned long off, size_t len,
		     u8 byte)
{
	while (len) {
		unsigned int in = offset_in_page(off);
		size_t n = min_t(size_t, len, PAGE_SIZE - in);
		void *va = kmap_local_page(zs->pages[off >> PAGE_SHIFT]);

		memset(va + in, byte, n);
		kunmap_local(va);
		off += n;
		len -= n;
	}
}

/* True when every byte of the range equals @byte. */
static bool hzs_all_equal(struct hzs_zspage *zs, unsigned long off,
			  size_t len, u8 byte)
{
	while (len) {
		unsigned int in = offset_in_page(off);
		size_t n = min_t(size_t, len, PAGE_SIZE - in);
		void *va = kmap_local_page(zs->pages[off >> PAGE_SHIFT]);
		bool bad = memchr_inv(va + in, byte, n);

		kunmap_local(va);
		if (bad)
			return false;
		off += n;
		len -= n;
	}
	return true;
}

/* Nested mappings, unmapped in reverse order as kmap_local requires. */
static void hzs_move_bytes(struct hzs_zspage *dzs, unsigned long doff,
			   struct hzs_zspage *szs, unsigned long soff,
			   size_t len)
{
	while (len) {
		unsigned int sin = offset_in_page(soff);
		unsigned int din = offset_in_page(doff);
		size_t n = min_t(size_t, len,
				 PAGE_SIZE - max_t(unsigned int, sin, din));
		void *s = kmap_local_page(szs->pages[soff >> PAGE_SHIFT]);
		void *d = kmap_local_page(dzs->pages[doff >> PAGE_SHIFT]);

		memcpy(d + din, s + sin, n);
		kunmap_local(d);
		kunmap_local(s);
		soff += n;
		doff += n;
		len -= n;
	}
}

/* ---------------------------------------------------------------------
 * Error reporting and fault injection
 */

/* @obj: the decoded handle when there is one, for the object's details. */
static void hzs_report(struct hzs_pool *pool, unsigned long handle,
		       const struct hzs_obj *obj, const char *op,
		       const char *what)
{
	atomic_long_inc(&pool->errors);
	if (obj)
		pr_err_ratelimited("%s: %s: %s (handle %p, class size %u, object size %u, slot %u)\n",
				   pool->name, op, what, (void *)handle,
				   obj->zs->class->size, obj->size, obj->idx);
	else
		pr_err_ratelimited("%s: %s: %s (handle %p)\n", pool->name, op,
				   what, (void *)handle);
}

/* Test builds only: hzs_pool_fail_nth() arms it (hzs_test_hooks.c). */
#ifdef HZ_TEST_HOOKS
static bool hzs_inject_fail(struct hzs_pool *pool)
{
	if (likely(!atomic_read(&pool->fail_nth)))
		return false;
	return atomic_dec_and_test(&pool->fail_nth);
}
#else
static inline bool hzs_inject_fail(struct hzs_pool *pool)
{
	return false;
}
#endif

/* ---------------------------------------------------------------------
 * Chunked tables' directories (struct hzs_dir): the zspage table's and
 * the record table's.
 */

/*
 * A directory of @bytes, a power of two (see struct hzs_dir). vmalloc
 * cannot serve a caller that must not sleep, and a writer that cannot
 * wait is retried by the driver with one that can.
 */
static void **hzs_dir_alloc(size_t bytes, gfp_t gfp)
{
	if (bytes <= PAGE_SIZE)
		return kzalloc(bytes, gfp);
	if (!gfpflags_allow_blocking(gfp))
		return NULL;
	return __vmalloc(bytes, gfp | __GFP_ZERO);
}

/*
 * Make room for more chunks in @d, whose counts @lock protects. Takes
 * migrate_lock for write to swap the directory under lookups;
 * allocates with no lock held.
 */
static int hzs_dir_grow(struct hzs_pool *pool, struct hzs_dir *d,
			spinlock_t *lock, size_t chunk_bytes, u32 per_chunk,
			u32 max, gfp_t gfp)
{
	unsigned int len = READ_ONCE(d->len);
	unsigned int want = len ? 2 * len : 4;
	void **dir, **old = NULL;

	if ((u64)want * per_chunk > max)
		return -ENOMEM;
	if (hzs_inject_fail(pool))
		return -ENOMEM;
	dir = hzs_dir_alloc(want * sizeof(*dir), gfp);
	if (!dir)
		return -ENOMEM;
	write_lock(&pool->migrate_lock);
	spin_lock(lock);
	if (d->len == len) {
		size_t before = hzs_dir_bytes(d, chunk_bytes);

		if (d->nr)
			memcpy(dir, d->chunk, d->nr * sizeof(*dir));
		old = d->chunk;
		d->chunk = dir;
		d->len = want;
		atomic_long_add(hzs_dir_bytes(d, chunk_bytes) - before,
				&pool->meta_bytes);
		dir = NULL;
	}
	spin_unlock(lock);
	write_unlock(&pool->migrate_lock);
	kvfree(old);
	kvfree(dir);	/* someone else grew it first */
	return 0;
}

/*
 * Publish @chunk, of @per_chunk entries, in @d. Caller holds
 * migrate_lock (either way) and the table's lock, has checked that @d
 * has room, and hands out no entry of the chunk before this.
 */
static void hzs_dir_add(struct hzs_pool *pool, struct hzs_dir *d,
			void *chunk, size_t chunk_bytes, u32 per_chunk)
{
	d->chunk[d->nr++] = chunk;
	atomic_long_add(kmalloc_size_roundup(chunk_bytes), &pool->meta_bytes);
	/* Pairs with the lookups' smp_load_acquire(). */
	smp_store_release(&d->cap, d->cap + per_chunk);
}

/*
 * Empty @d and return what it held, for hzs_dir_free() once the locks
 * are dropped. Caller holds migrate_lock for write and the table's lock.
 *
 * A directory from vmalloc stays, empty and counted, until the pool
 * goes (hzs_pool_destroy()): the last free that empties a table may
 * come from a caller that cannot sleep (the driver's slot lock), and
 * vfree() may sleep. Its chunks go now, under the locks (kfree() never
 * sleeps), since the array that lists them stays in use.
 */
static struct hzs_dir hzs_dir_take(struct hzs_pool *pool, struct hzs_dir *d,
				   size_t chunk_bytes)
{
	struct hzs_dir old = *d;

	if (is_vmalloc_addr(d->chunk)) {
		atomic_long_sub(d->nr * kmalloc_size_roundup(chunk_bytes),
				&pool->meta_bytes);
		while (d->nr)
			kfree(d->chunk[--d->nr]);
		old.nr = 0;
		old.chunk = NULL;
	} else {
		atomic_long_sub(hzs_dir_bytes(d, chunk_bytes),
				&pool->meta_bytes);
		d->chunk = NULL;
		d->len = 0;
		d->nr = 0;
	}
	/* Under migrate_lock for write: no lookup runs; plain would do. */
	smp_store_release(&d->cap, 0);
	return old;
}

/* Nothing hzs_dir_take() would give back: no directory, or a kept one. */
static bool hzs_dir_kept(const struct hzs_dir *d)
{
	return !d->chunk || (!d->nr && is_vmalloc_addr(d->chunk));
}

static void hzs_dir_free(struct hzs_dir *d)
{
	unsigned int i;

	for (i = 0; i < d->nr; i++)
		kfree(d->chunk[i]);
	kvfree(d->chunk);
}

/* ---------------------------------------------------------------------
 * The zspage table: id -> descriptor, so that records hold a 32-bit id
 * instead of a pointer. Ids are reused last freed first. Chunks stay
 * until the pool holds no zspage at all, when the whole table goes.
 */

static unsigned long *hzs_zt_entry(struct hzs_pool *pool, u32 id)
{
	return &((unsigned long *)pool->zt.chunk[id / HZS_ZT_CHUNK])
		[id % HZS_ZT_CHUNK];
}

/*
 * The descriptor holding @id, or NULL for an id that is free or past
 * the table. Caller holds migrate_lock (either way); only the test
 * hooks, with the pool otherwise idle, look without it.
 */
struct hzs_zspage *hzs_zt_lookup(struct hzs_pool *pool, u32 id)
{
	unsigned long e;

	/* Pairs with hzs_dir_add(): the chunk is in the directory before. */
	if (id >= smp_load_acquire(&pool->zt.cap))
		return NULL;
	e = READ_ONCE(*hzs_zt_entry(pool, id));
	return e & 1 ? NULL : (struct hzs_zspage *)e;
}

/*
 * The pool holds no zspage: give the whole table back, so an empty pool
 * costs what a new one does. Takes migrate_lock for write.
 */
static void hzs_zt_release(struct hzs_pool *pool)
{
	struct hzs_dir old;

	write_lock(&pool->migrate_lock);
	spin_lock(&pool->zt_lock);
	if (pool->zt_live || hzs_dir_kept(&pool->zt)) {
		spin_unlock(&pool->zt_lock);
		write_unlock(&pool->migrate_lock);
		return;
	}
	old = hzs_dir_take(pool, &pool->zt, HZS_ZT_CHUNK_BYTES);
	pool->zt_next = 0;
	pool->zt_free = HZS_ZT_NONE;
	spin_unlock(&pool->zt_lock);
	write_unlock(&pool->migrate_lock);
	hzs_dir_free(&old);
}

/*
 * Give @zs an id, pointing its table entry at it. Takes migrate_lock
 * (read) and zt_lock; memory for the table is allocated with neither.
 */
static int hzs_zt_insert(struct hzs_pool *pool, struct hzs_zspage *zs,
			 gfp_t gfp)
{
	unsigned long *chunk = NULL;
	u32 id;

	for (;;) {
		bool full;

		read_lock(&pool->migrate_lock);
		spin_lock(&pool->zt_lock);
		if (pool->zt_free != HZS_ZT_NONE) {
			id = pool->zt_free;
			pool->zt_free = *hzs_zt_entry(pool, id) >> 1;
			break;
		}
		if (pool->zt_next < pool->zt.cap) {
			id = pool->zt_next++;
			break;
		}
		full = pool->zt.nr == pool->zt.len;
		if (chunk && !full) {
			hzs_dir_add(pool, &pool->zt, chunk, HZS_ZT_CHUNK_BYTES,
				    HZS_ZT_CHUNK);
			chunk = NULL;
		}
		spin_unlock(&pool->zt_lock);
		read_unlock(&pool->migrate_lock);
		if (full) {
			if (hzs_dir_grow(pool, &pool->zt, &pool->zt_lock,
					 HZS_ZT_CHUNK_BYTES, HZS_ZT_CHUNK,
					 HZS_ZT_NONE, gfp))
				goto nomem;
		} else if (!chunk && READ_ONCE(pool->zt_next) >=
				     READ_ONCE(pool->zt.cap)) {
			if (hzs_inject_fail(pool))
				goto nomem;
			chunk = kmalloc_array(HZS_ZT_CHUNK, sizeof(*chunk), gfp);
			if (!chunk)
				goto nomem;
		}
	}
	WRITE_ONCE(*hzs_zt_entry(pool, id), (unsigned long)zs);
	zs->id = id;
	pool->zt_live++;
	spin_unlock(&pool->zt_lock);
	read_unlock(&pool->migrate_lock);
	kfree(chunk);	/* someone else added one first */
	return 0;
nomem:
	kfree(chunk);
	/* A chunk installed for us alone must not outlive the failure. */
	hzs_zt_release(pool);
	return -ENOMEM;
}

/* @zs's id becomes free; the last one out takes the table with it. */
static void hzs_zt_remove(struct hzs_pool *pool, struct hzs_zspage *zs)
{
	bool empty;

	spin_lock(&pool->zt_lock);
	WRITE_ONCE(*hzs_zt_entry(pool, zs->id),
		   (unsigned long)pool->zt_free << 1 | 1);
	pool->zt_free = zs->id;
	empty = !--pool->zt_live;
	spin_unlock(&pool->zt_lock);
	if (empty)
		hzs_zt_release(pool);
}

/* ---------------------------------------------------------------------
 * The record table: index -> handle record. Records are handed out
 * lowest index first from a new chunk, then last freed first; chunks
 * stay until the pool holds no record, when the whole table goes.
 */

/* Record @ri, or NULL past the table. Caller holds migrate_lock. */
static struct hzs_handle *hzs_rt_lookup(struct hzs_pool *pool, u32 ri)
{
	/* Pairs with hzs_dir_add(): the chunk is in the directory before. */
	if (ri >= smp_load_acquire(&pool->rt.cap))
		return NULL;
	return hzs_rt_rec(pool, ri);
}

/*
 * The pool holds no record: give the whole table back, so an empty pool
 * costs what a new one does. Takes migrate_lock for write.
 */
static void hzs_rt_release(struct hzs_pool *pool)
{
	struct hzs_dir old;

	write_lock(&pool->migrate_lock);
	spin_lock(&pool->rt_lock);
	if (pool->rt_live || hzs_dir_kept(&pool->rt)) {
		spin_unlock(&pool->rt_lock);
		write_unlock(&pool->migrate_lock);
		return;
	}
	old = hzs_dir_take(pool, &pool->rt, HZS_RT_CHUNK_BYTES);
	pool->rt_free = HZS_RT_NONE;
	spin_unlock(&pool->rt_lock);
	write_unlock(&pool->migrate_lock);
	hzs_dir_free(&old);
}

/*
 * Put @chunk's records, all free, on the free list, lowest index first.
 * Caller holds migrate_lock (either way) and rt_lock, and has checked
 * that the directory has room.
 */
static void hzs_rt_add_chunk(struct hzs_pool *pool, struct hzs_handle *chunk)
{
	u32 base = pool->rt.cap, i;

	for (i = 0; i < HZS_RT_CHUNK; i++) {
		chunk[i].zsid = i + 1 < HZS_RT_CHUNK ? base + i + 1 :
						       pool->rt_free;
		chunk[i].tag = hzs_rec_tag(HZS_REC_DEAD, 0, 1);
	}
	pool->rt_free = base;
	hzs_dir_add(pool, &pool->rt, chunk, HZS_RT_CHUNK_BYTES, HZS_RT_CHUNK);
}

/*
 * A free record for a new object, in *@ri: dead magic until the caller
 * fills it in, and the caller's to give back with hzs_rt_put() if it
 * never does. Takes migrate_lock (read) and rt_lock; memory for the
 * table is allocated with neither. Counted as a step for fault
 * injection even when the table has room: it is the step that fails
 * when the table cannot grow.
 */
int hzs_rt_get(struct hzs_pool *pool, gfp_t gfp, u32 *ri)
{
	struct hzs_handle *chunk = NULL;

	if (hzs_inject_fail(pool))
		return -ENOMEM;
	for (;;) {
		bool full;

		read_lock(&pool->migrate_lock);
		spin_lock(&pool->rt_lock);
		if (pool->rt_free == HZS_RT_NONE && chunk &&
		    pool->rt.nr < pool->rt.len) {
			hzs_rt_add_chunk(pool, chunk);
			chunk = NULL;
		}
		if (pool->rt_free != HZS_RT_NONE)
			break;
		full = pool->rt.nr == pool->rt.len;
		spin_unlock(&pool->rt_lock);
		read_unlock(&pool->migrate_lock);
		if (full) {
			if (hzs_dir_grow(pool, &pool->rt, &pool->rt_lock,
					 HZS_RT_CHUNK_BYTES, HZS_RT_CHUNK,
					 HZS_RT_NONE, gfp))
				goto nomem;
		} else if (!chunk) {
			if (hzs_inject_fail(pool))
				goto nomem;
			chunk = kmalloc_array(HZS_RT_CHUNK, sizeof(*chunk), gfp);
			if (!chunk)
				goto nomem;
		}
	}
	*ri = pool->rt_free;
	pool->rt_free = hzs_rt_rec(pool, *ri)->zsid;
	hzs_rt_rec(pool, *ri)->zsid = HZS_ZT_NONE;
	pool->rt_live++;
	spin_unlock(&pool->rt_lock);
	read_unlock(&pool->migrate_lock);
	kfree(chunk);	/* someone else added one first */
	return 0;
nomem:
	kfree(chunk);
	/* A directory grown for us alone must not outlive the failure. */
	hzs_rt_release(pool);
	return -ENOMEM;
}

/*
 * Put record @ri, dead now, back on the free list. Caller holds
 * migrate_lock (either way), and may hold a class lock. Returns true
 * if that was the pool's last record: the caller then calls
 * hzs_rt_release() with no lock held.
 */
static bool hzs_rt_push(struct hzs_pool *pool, u32 ri)
{
	struct hzs_handle *rec = hzs_rt_rec(pool, ri);
	bool empty;

	spin_lock(&pool->rt_lock);
	WRITE_ONCE(rec->tag, hzs_rec_tag(HZS_REC_DEAD, 0, 1));
	WRITE_ONCE(rec->zsid, pool->rt_free);
	pool->rt_free = ri;
	empty = !--pool->rt_live;
	spin_unlock(&pool->rt_lock);
	return empty;
}

/* Gives back a record from hzs_rt_get() that never named an object. */
void hzs_rt_put(struct hzs_pool *pool, u32 ri)
{
	bool empty;

	read_lock(&pool->migrate_lock);
	empty = hzs_rt_push(pool, ri);
	read_unlock(&pool->migrate_lock);
	if (empty)
		hzs_rt_release(pool);
}

/* ---------------------------------------------------------------------
 * Handle validation
 */

/*
 * Decode @handle into @obj, or report and return false. The record
 * comes from our own table, by an index checked against its size, so a
 * wild value is refused rather than followed; its zspage comes from our
 * own zspage table, never from the record, and must name the record
 * back from the slot. The caller holds migrate_lock, so the record
 * cannot move underneath.
 */
bool hzs_resolve(struct hzs_pool *pool, unsigned long handle, const char *op,
		 struct hzs_obj *obj)
{
	struct hzs_handle *rec, copy;
	struct hzs_zspage *zs;
	const char *why;
	u32 ri;

	if (!hzs_handle_ri(pool, handle, &ri)) {
		why = "not a handle of this pool";
		goto bad;
	}
	rec = hzs_rt_lookup(pool, ri);
	if (!rec) {
		why = "no such handle";
		goto bad;
	}
	copy.zsid = READ_ONCE(rec->zsid);
	copy.tag = READ_ONCE(rec->tag);
	if (hzs_tag_magic(copy.tag) != HZS_REC_MAGIC) {
		why = "bad handle magic";
		goto bad;
	}
	zs = hzs_zt_lookup(pool, copy.zsid);
	if (!zs || zs->id != copy.zsid) {
		why = "no such zspage";
		goto bad;
	}
	obj->idx = hzs_tag_idx(copy.tag);
	if (obj->idx >= zs->class->objs_per_zspage ||
	    READ_ONCE(hzs_zs_refs(zs)[obj->idx]) != ri + 1) {
		why = "slot does not point back at handle";
		goto bad;
	}
	obj->rec = rec;
	obj->ri = ri;
	obj->zs = zs;
	obj->size = hzs_tag_size(copy.tag);
	return true;
bad:
	hzs_report(pool, handle, NULL, op, why);
	return false;
}

/* Decode and pin the object's zspage against compaction. */
bool hzs_pin(struct hzs_pool *pool, unsigned long handle, const char *op,
	     struct hzs_obj *obj)
{
	bool ok;

	read_lock(&pool->migrate_lock);
	ok = hzs_resolve(pool, handle, op, obj);
	if (ok) {
		read_lock(&obj->zs->lock);
		/*
		 * Held until hzs_unpin(), only if the handle decoded,
		 * which sparse cannot follow: hand the lock over out of
		 * its sight.
		 */
		__release(&obj->zs->lock);
	}
	read_unlock(&pool->migrate_lock);
	return ok;
}

void hzs_unpin(struct hzs_obj *obj)
{
	__acquire(&obj->zs->lock);	/* taken in hzs_pin() */
	read_unlock(&obj->zs->lock);
}

/* Debug mode: is the red zone behind the object intact? */
static bool hzs_redzone_ok(const struct hzs_obj *obj)
{
	struct hzs_class *class = obj->zs->class;

	return hzs_all_equal(obj->zs, hzs_slot_off(class, obj->idx) + obj->size,
			     class->size - obj->size, HZS_RED_BYTE);
}

static void hzs_check_redzone(struct hzs_pool *pool, const struct hzs_obj *obj,
			      const char *op)
{
	if (!hzs_redzone_ok(obj))
		hzs_report(pool, hzs_handle_of(pool, obj->ri), obj, op,
			   "red zone overwritten (write past the object)");
}

/* ---------------------------------------------------------------------
 * Zspages
 */

/*
 * A descriptor with an id in the zspage table, unlinked and holding no
 * page. No lock held; sleeps if @gfp allows it.
 */
struct hzs_zspage *hzs_desc_alloc(struct hzs_pool *pool,
				  struct hzs_class *class, gfp_t gfp)
{
	struct hzs_zspage *zs;

	if (hzs_inject_fail(pool))
		return NULL;
	zs = kzalloc(class->desc_size, gfp);
	if (!zs)
		return NULL;
	zs->class = class;
	zs->band = HZS_BAND_EMPTY;
	INIT_LIST_HEAD(&zs->node);
	rwlock_init(&zs->lock);
	if (hzs_zt_insert(pool, zs, gfp)) {
		kfree(zs);
		return NULL;
	}
	return zs;
}

/* Undoes hzs_desc_alloc(); the pages are the caller's business. */
void hzs_desc_free(struct hzs_pool *pool, struct hzs_zspage *zs)
{
	hzs_zt_remove(pool, zs);
	kfree(zs);
}

/*
 * A data page, counted as a step for fault injection. Never
 * __GFP_MOVABLE: nothing can migrate these pages, and an unmovable page
 * in ZONE_MOVABLE or a movable pageblock would defeat memory hot-unplug
 * and compaction.
 */
static struct page *hzs_page_alloc(struct hzs_pool *pool, gfp_t gfp)
{
	if (hzs_inject_fail(pool))
		return NULL;
	return alloc_page((gfp & ~__GFP_MOVABLE) | __GFP_HIGHMEM);
}

/*
 * A new zspage, not yet visible to anyone, holding its first page
 * (@first if the caller has one, else a new one; none in the huge
 * class). Sleeps if @gfp allows it. On failure nothing is kept, and
 * @first stays the caller's.
 */
static struct hzs_zspage *hzs_zspage_create(struct hzs_pool *pool,
					    struct hzs_class *class, gfp_t gfp,
					    struct page *first)
{
	gfp_t meta_gfp = gfp & ~(__GFP_HIGHMEM | __GFP_MOVABLE);
	struct hzs_zspage *zs;

	zs = hzs_desc_alloc(pool, class, meta_gfp);
	if (!zs)
		return NULL;
	if (!hzs_class_huge(class)) {
		zs->pages[0] = first ? first : hzs_page_alloc(pool, gfp);
		if (!zs->pages[0]) {
			hzs_desc_free(pool, zs);
			return NULL;
		}
		zs->npages = 1;
		if (pool->debug)
			hzs_fill(zs, 0, PAGE_SIZE, HZS_POISON_BYTE);
	}
	return zs;
}

/*
 * Give @zs its next page. Caller holds migrate_lock (either way) and
 * the class lock; @page is new, so poisoning it in debug mode is all the
 * history it needs.
 */
static void hzs_zspage_grow(struct hzs_pool *pool, struct hzs_class *class,
			    struct hzs_zspage *zs, struct page *page)
{
	unsigned int before = hzs_slots_in(class, zs->npages);

	zs->pages[zs->npages] = page;
	/* hzs_debug_poke() reads it without the class lock. */
	WRITE_ONCE(zs->npages, zs->npages + 1);
	class->slots += hzs_slots_in(class, zs->npages) - before;
	atomic_long_inc(&pool->pages);
	if (pool->debug)
		hzs_fill(zs, (unsigned long)(zs->npages - 1) << PAGE_SHIFT,
			 PAGE_SIZE, HZS_POISON_BYTE);
}

/*
 * After a free: detach the pages of @zs past the last one its highest
 * object reaches into, into @out (room for pages_per_zspage), for the
 * caller to free after its locks. Returns how many. Caller holds
 * migrate_lock (either way) and the class lock. No live object lies in
 * those pages, so no accessor is mapping them: an object is only ever
 * read through its own handle, and the only path that could move one
 * there (compaction) holds migrate_lock for write.
 *
 * Objects go to the lowest free slot, so swap-in and discard free the
 * top of a zspage as often as its middle; without this, its pages
 * stayed until the last object left or compaction emptied it.
 */
static unsigned int hzs_zspage_trim(struct hzs_pool *pool,
				    struct hzs_class *class,
				    struct hzs_zspage *zs, struct page **out)
{
	unsigned int before = hzs_slots_in(class, zs->npages), n = 0;
	unsigned long last, need;

	if (hzs_class_huge(class) || !zs->inuse)
		return 0;
	last = find_last_bit(hzs_zs_bitmap(zs), class->objs_per_zspage);
	need = DIV_ROUND_UP(hzs_slot_off(class, last) + class->size, PAGE_SIZE);
	while (zs->npages > need) {
		out[n++] = zs->pages[zs->npages - 1];
		zs->pages[zs->npages - 1] = NULL;
		/* hzs_debug_poke() reads it without the class lock. */
		WRITE_ONCE(zs->npages, zs->npages - 1);
	}
	if (n) {
		class->slots -= before - hzs_slots_in(class, zs->npages);
		atomic_long_sub(n, &pool->pages);
	}
	return n;
}

/*
 * The pages go back with no trace of us: we never wrote to struct page.
 * Takes zt_lock, and migrate_lock for write if this was the pool's last
 * zspage, so the caller holds neither.
 */
static void hzs_zspage_free(struct hzs_pool *pool, struct hzs_zspage *zs)
{
	unsigned int i;

	for (i = 0; i < zs->class->pages_per_zspage; i++)
		if (zs->pages[i])
			__free_page(zs->pages[i]);
	hzs_desc_free(pool, zs);
}

/* Caller holds migrate_lock (either way) and the class lock. */
static void hzs_zspage_link(struct hzs_pool *pool, struct hzs_class *class,
			    struct hzs_zspage *zs)
{
	list_add(&zs->node, &class->bands[zs->band]);
	class->zspages++;
	class->slots += hzs_slots_in(class, zs->npages);
	atomic_long_add(zs->npages, &pool->pages);
	atomic_long_add(class->desc_size, &pool->meta_bytes);
}

static void hzs_zspage_unlink(struct hzs_pool *pool, struct hzs_class *class,
			      struct hzs_zspage *zs)
{
	list_del_init(&zs->node);
	class->zspages--;
	class->slots -= hzs_slots_in(class, zs->npages);
	atomic_long_sub(zs->npages, &pool->pages);
	atomic_long_sub(class->desc_size, &pool->meta_bytes);
}

/*
 * Fullest zspage that still has room: keeps the others free to empty.
 * With @held, room in the pages it already holds (compaction cannot
 * allocate a page under its locks).
 */
static struct hzs_zspage *hzs_pick_partial(struct hzs_class *class,
					   struct hzs_zspage *not, bool held)
{
	int b;

	for (b = HZS_BAND_75_99; b >= HZS_BAND_EMPTY; b--) {
		struct hzs_zspage *zs;

		list_for_each_entry(zs, &class->bands[b], node) {
			if (zs == not)
				continue;
			if (held && zs->inuse >= hzs_slots_in(class, zs->npages))
				continue;
			return zs;
		}
	}
	return NULL;
}

/* ---------------------------------------------------------------------
 * Allocation and free
 */

/**
 * hzs_alloc() - allocate an object
 * @pool: the pool
 * @size: bytes, 1..PAGE_SIZE
 * @gfp: allocation flags; __GFP_HIGHMEM is added for data pages and
 *	__GFP_MOVABLE is always dropped (nothing here can migrate)
 *
 * Context: sleeps only if @gfp allows it. Takes migrate_lock (read) and
 * the class lock, never while allocating memory.
 * Return: a handle (never 0), or 0 on a bad @size or no memory. A failed
 * call leaves nothing behind.
 */
unsigned long hzs_alloc(struct hzs_pool *pool, size_t size, gfp_t gfp)
{
	gfp_t meta_gfp = gfp & ~(__GFP_HIGHMEM | __GFP_MOVABLE);
	struct page *page = NULL, *spare = NULL;
	struct hzs_zspage *zs;
	struct hzs_class *class;
	spinlock_t *lock;		/* class's, see hzs_class_lock() */
	struct hzs_handle *rec;
	unsigned int idx;
	u32 ri;

	if (unlikely(!size || size > PAGE_SIZE))
		return 0;
	class = hzs_class_for(pool, size);
	lock = hzs_class_lock(pool, class);

	if (hzs_rt_get(pool, meta_gfp, &ri))
		return 0;
	/* A huge object's page is its own: taken now, before any lock. */
	if (hzs_class_huge(class)) {
		page = hzs_page_alloc(pool, gfp);
		if (!page)
			goto err_rec;
	}

	read_lock(&pool->migrate_lock);
	spin_lock(lock);
again:
	/* Room in pages already held first: a hole costs no new page. */
	zs = hzs_pick_partial(class, NULL, true);
	if (!zs)
		zs = hzs_pick_partial(class, NULL, false);
	if (!zs) {
		spin_unlock(lock);
		read_unlock(&pool->migrate_lock);

		zs = hzs_zspage_create(pool, class, gfp, spare);
		if (!zs)
			goto err_page;
		spare = NULL;

		read_lock(&pool->migrate_lock);
		spin_lock(lock);
		hzs_zspage_link(pool, class, zs);
	}

	idx = find_first_zero_bit(hzs_zs_bitmap(zs), class->objs_per_zspage);
	/*
	 * The lowest free slot reaches past the pages held: the zspage
	 * takes its next page. Pages are allocated with no lock held, so
	 * fetch one and look again; the zspage may be gone by then.
	 */
	if (idx >= hzs_slots_in(class, zs->npages)) {
		if (!spare) {
			spin_unlock(lock);
			read_unlock(&pool->migrate_lock);
			spare = hzs_page_alloc(pool, gfp);
			if (!spare)
				goto err_page;
			read_lock(&pool->migrate_lock);
			spin_lock(lock);
			goto again;
		}
		hzs_zspage_grow(pool, class, zs, spare);
		spare = NULL;
		goto again;
	}
	__set_bit(idx, hzs_zs_bitmap(zs));
	/* Under migrate_lock, which holds the table's directory still. */
	rec = hzs_rt_rec(pool, ri);
	WRITE_ONCE(rec->zsid, zs->id);
	WRITE_ONCE(rec->tag, hzs_rec_tag(HZS_REC_MAGIC, idx, size));
	WRITE_ONCE(hzs_zs_refs(zs)[idx], ri + 1);
	if (page) {
		zs->pages[idx] = page;
		atomic_long_inc(&pool->pages);
	}
	zs->inuse++;
	class->objs_used++;
	class->bytes_used += size;
	hzs_rebalance(class, zs);

	if (pool->debug) {
		unsigned long off = hzs_slot_off(class, idx);

		/* A huge slot's page is new: it has no history to check. */
		if (!page &&
		    !hzs_all_equal(zs, off, class->size, HZS_POISON_BYTE)) {
			struct hzs_obj obj = {
				.rec = rec, .ri = ri, .zs = zs, .idx = idx,
				.size = size,
			};

			hzs_report(pool, hzs_handle_of(pool, ri), &obj, "alloc",
				   "free slot was written to (use after free?)");
		}
		hzs_fill(zs, off + size, class->size - size, HZS_RED_BYTE);
	}
	spin_unlock(lock);
	read_unlock(&pool->migrate_lock);
	/* Someone made room while we were fetching a page. */
	if (spare)
		__free_page(spare);
	return hzs_handle_of(pool, ri);

err_page:
	if (spare)
		__free_page(spare);
	if (page)
		__free_page(page);
err_rec:
	hzs_rt_put(pool, ri);
	return 0;
}

HZ_EXPORT_IF_KUNIT(hzs_alloc);

/**
 * hzs_free() - free an object
 * @pool: the pool
 * @handle: from hzs_alloc(), or 0 (nothing happens)
 *
 * An invalid or already freed handle is reported and counted in the
 * pool's errors, and nothing is freed.
 * Context: never sleeps (see hzs_pool.h for PREEMPT_RT).
 */
void hzs_free(struct hzs_pool *pool, unsigned long handle)
{
	struct page *page = NULL, *tail[HZS_MAX_CHAIN_LIMIT];
	struct hzs_zspage *zs, *empty = NULL;
	unsigned int ntail = 0;
	struct hzs_class *class;
	spinlock_t *lock;		/* class's, see hzs_class_lock() */
	struct hzs_obj obj;
	bool no_records;

	if (!handle)
		return;

	read_lock(&pool->migrate_lock);
	if (!hzs_resolve(pool, handle, "free", &obj)) {
		read_unlock(&pool->migrate_lock);
		return;
	}
	zs = obj.zs;
	class = zs->class;
	lock = hzs_class_lock(pool, class);

	spin_lock(lock);
	/* A racing double free passed hzs_resolve() too; only one wins. */
	if (unlikely(hzs_zs_refs(zs)[obj.idx] != obj.ri + 1)) {
		spin_unlock(lock);
		read_unlock(&pool->migrate_lock);
		hzs_report(pool, handle, NULL, "free", "double free");
		return;
	}
	if (pool->debug) {
		hzs_check_redzone(pool, &obj, "free");
		if (!hzs_class_huge(class))
			hzs_fill(zs, hzs_slot_off(class, obj.idx),
				 class->size, HZS_POISON_BYTE);
	}
	/*
	 * The caller owns the object: nobody reads it while it is freed,
	 * so its page can go (after the locks) while neighbours are read.
	 */
	if (hzs_class_huge(class)) {
		page = zs->pages[obj.idx];
		zs->pages[obj.idx] = NULL;
		atomic_long_dec(&pool->pages);
	}
	__clear_bit(obj.idx, hzs_zs_bitmap(zs));
	WRITE_ONCE(hzs_zs_refs(zs)[obj.idx], 0);
	zs->inuse--;
	class->objs_used--;
	class->bytes_used -= obj.size;
	if (!zs->inuse) {
		hzs_zspage_unlink(pool, class, zs);
		empty = zs;
	} else {
		ntail = hzs_zspage_trim(pool, class, zs, tail);
		hzs_rebalance(class, zs);
	}
	no_records = hzs_rt_push(pool, obj.ri);
	spin_unlock(lock);
	read_unlock(&pool->migrate_lock);

	if (no_records)
		hzs_rt_release(pool);
	if (page)
		__free_page(page);
	while (ntail)
		__free_page(tail[--ntail]);
	if (empty)
		hzs_zspage_free(pool, empty);
}

HZ_EXPORT_IF_KUNIT(hzs_free);

/**
 * hzs_obj_size() - the size an object was allocated with
 * @pool: the pool
 * @handle: the object
 *
 * Return: the size passed to hzs_alloc(), or 0 for an invalid handle.
 */
size_t hzs_obj_size(struct hzs_pool *pool, unsigned long handle)
{
	struct hzs_obj obj;
	size_t size = 0;

	read_lock(&pool->migrate_lock);
	if (hzs_resolve(pool, handle, "obj_size", &obj))
		size = obj.size;
	read_unlock(&pool->migrate_lock);
	return size;
}

HZ_EXPORT_IF_KUNIT(hzs_obj_size);

/* ---------------------------------------------------------------------
 * Object access
 */

/**
 * hzs_read() - copy an object out
 * @pool: the pool
 * @handle: the object
 * @dst: where to, @len bytes
 * @len: at most the object's size
 *
 * Return: 0, or -EIO for an invalid handle or a @len past the object
 * (reported, counted in the pool's errors; @dst is left as it was, and
 * no caller may take it for the object).
 */
int hzs_read(struct hzs_pool *pool, unsigned long handle, void *dst,
	     size_t len)
{
	struct hzs_obj obj;
	int ret = 0;

	if (!hzs_pin(pool, handle, "read", &obj))
		return -EIO;
	if (unlikely(len > obj.size)) {
		hzs_report(pool, handle, &obj, "read",
			   "read past the object refused");
		ret = -EIO;
	} else {
		if (pool->debug)
			hzs_check_redzone(pool, &obj, "read");
		hzs_copy_from(obj.zs, hzs_slot_off(obj.zs->class, obj.idx),
			      dst, len);
	}
	hzs_unpin(&obj);
	return ret;
}

HZ_EXPORT_IF_KUNIT(hzs_read);

/**
 * hzs_write() - copy into an object
 * @pool: the pool
 * @handle: the object
 * @src: @len bytes
 * @len: at most the object's size; a longer write is refused, so a
 *	caller's overrun can never reach another object or any metadata
 *
 * Return: 0, or -EIO for an invalid handle or a @len past the object
 * (reported and counted; nothing is written).
 */
int hzs_write(struct hzs_pool *pool, unsigned long handle, const void *src,
	      size_t len)
{
	struct hzs_obj obj;
	int ret = 0;

	if (!hzs_pin(pool, handle, "write", &obj))
		return -EIO;
	/* The 2016 unstable-page overrun: refuse instead of spilling over. */
	if (unlikely(len > obj.size)) {
		hzs_report(pool, handle, &obj, "write",
			   "write past the object refused");
		ret = -EIO;
	} else {
		hzs_copy_to(obj.zs, hzs_slot_off(obj.zs->class, obj.idx),
			    src, len);
	}
	hzs_unpin(&obj);
	return ret;
}

HZ_EXPORT_IF_KUNIT(hzs_write);

static bool hzs_obj_spans(const struct hzs_obj *obj)
{
	unsigned long off = hzs_slot_off(obj->zs->class, obj->idx);

	return offset_in_page(off) + obj->size > PAGE_SIZE;
}

/**
 * hzs_read_begin() - map an object for reading
 * @pool: the pool
 * @handle: the object
 * @len: the object's size as the caller recorded it; anything else is
 *	refused, so a caller's stale or damaged size never reaches past
 *	the object
 * @bounce: PAGE_SIZE bytes, used when the object spans two pages
 * @map: filled in on success, for hzs_read_end()
 *
 * On success the object's zspage is pinned against compaction until
 * hzs_read_end(@map), which must be called in the same context; make no
 * other call into @pool in between, and undo any kmap_local mapping
 * made since first. On failure nothing is held and hzs_read_end() must
 * not be called: begin and end pair by construction, since end needs
 * nothing but what a successful begin recorded in @map.
 *
 * Return: 0 (@map->addr holds the object's bytes, mapped or copied into
 * @bounce), or -EIO for an invalid handle or a size mismatch (reported
 * and counted in the pool's errors).
 */
int hzs_read_begin(struct hzs_pool *pool, unsigned long handle, size_t len,
		   void *bounce, struct hzs_map *map)
{
	struct hzs_zspage *zs;
	struct hzs_obj obj;
	unsigned long off;

	if (!hzs_pin(pool, handle, "read_begin", &obj))
		return -EIO;
	zs = obj.zs;
	if (unlikely(len != obj.size)) {
		hzs_report(pool, handle, &obj, "read_begin",
			   "size differs from the object's, refused");
		hzs_unpin(&obj);
		return -EIO;
	}
	/* Checked before the mapping we return, which must be the last. */
	if (pool->debug)
		hzs_check_redzone(pool, &obj, "read_begin");

	map->pin = zs;
	off = hzs_slot_off(zs->class, obj.idx);
	if (hzs_obj_spans(&obj)) {
		hzs_copy_from(zs, off, bounce, len);
		map->kaddr = NULL;
		map->addr = bounce;
	} else {
		map->kaddr = kmap_local_page(zs->pages[off >> PAGE_SHIFT]);
		map->addr = map->kaddr + offset_in_page(off);
	}
	/* zs->lock stays held until hzs_read_end(), out of sparse's sight. */
	return 0;
}

HZ_EXPORT_IF_KUNIT(hzs_read_begin);

/**
 * hzs_read_end() - end a successful hzs_read_begin()
 * @map: as hzs_read_begin() filled it
 *
 * Undoes the mapping and the pin recorded in @map, and nothing else: it
 * does not look at the handle again, so a handle that has gone bad
 * meanwhile cannot leave the zspage pinned.
 */
void hzs_read_end(struct hzs_map *map)
{
	struct hzs_zspage *zs = map->pin;

	if (map->kaddr)
		kunmap_local(map->kaddr);
	__acquire(&zs->lock);	/* taken in hzs_read_begin() */
	read_unlock(&zs->lock);
	map->pin = NULL;
}

HZ_EXPORT_IF_KUNIT(hzs_read_end);

/* ---------------------------------------------------------------------
 * Compaction
 */

/**
 * hzs_pool_compactable() - pages compaction could release now
 * @pool: the pool
 *
 * Read without locks: a snapshot, as the shrinker's count needs.
 */
unsigned long hzs_pool_compactable(struct hzs_pool *pool)
{
	unsigned long pages = 0;
	unsigned int i;

	for (i = 0; i < pool->nr_classes; i++)
		pages += hzs_class_freeable(&pool->classes[i]);
	return pages;
}

HZ_EXPORT_IF_KUNIT(hzs_pool_compactable);

/* Sparsest zspage, the least recently changed among equals. */
static struct hzs_zspage *hzs_pick_source(struct hzs_class *class)
{
	int b;

	for (b = HZS_BAND_0_25; b < HZS_BAND_FULL; b++)
		if (!list_empty(&class->bands[b]))
			return list_last_entry(&class->bands[b],
					       struct hzs_zspage, node);
	return NULL;
}

/*
 * Move the object in slot @sidx of @src to free slot @didx of @dst,
 * which may be @src itself. Caller holds migrate_lock for write (no one
 * is decoding handles), the class lock, and @src->lock for write (no one is
 * copying from @src). The destination slot is free, so readers of its
 * neighbours in @dst are not disturbed.
 */
static void hzs_move_one(struct hzs_pool *pool, struct hzs_class *class,
			 struct hzs_zspage *src, unsigned int sidx,
			 struct hzs_zspage *dst, unsigned int didx)
{
	u32 ref = hzs_zs_refs(src)[sidx];
	struct hzs_handle *rec = hzs_rt_rec(pool, ref - 1);
	size_t len = pool->debug ? class->size : hzs_tag_size(rec->tag);

	hzs_move_bytes(dst, hzs_slot_off(class, didx),
		       src, hzs_slot_off(class, sidx), len);

	__set_bit(didx, hzs_zs_bitmap(dst));
	hzs_zs_refs(dst)[didx] = ref;
	dst->inuse++;
	__clear_bit(sidx, hzs_zs_bitmap(src));
	hzs_zs_refs(src)[sidx] = 0;
	src->inuse--;
	hzs_rec_move(rec, dst->id, didx);
	if (pool->debug)
		hzs_fill(src, hzs_slot_off(class, sidx), class->size,
			 HZS_POISON_BYTE);
	hzs_rebalance(class, dst);
}

/*
 * Empty @src from the top down, so that its pages go one by one rather
 * than only all together: its highest object moves to the lowest free
 * slot of the fullest other zspage with room in the pages it holds or,
 * when none has any, to @src's own lowest free slot if that lies lower.
 * Then the pages past @src's new highest object are detached into @tail
 * (room for pages_per_zspage); returns how many. Same locks as
 * hzs_move_one(). An emptied @src is the caller's to unlink.
 *
 * Afterwards the class has less than a page of free slots in the pages
 * it holds: every other zspage is full in its held pages, and @src's
 * objects fill its lowest slots. Whole-zspage compaction left up to a
 * zspage's worth, and with the longest chains that was most of what
 * compaction could have given back.
 */
static unsigned int hzs_drain(struct hzs_pool *pool, struct hzs_class *class,
			      struct hzs_zspage *src, struct page **tail)
{
	unsigned int objs = class->objs_per_zspage;
	unsigned long *bits = hzs_zs_bitmap(src);

	while (src->inuse) {
		unsigned int top = find_last_bit(bits, objs), didx;
		struct hzs_zspage *dst = hzs_pick_partial(class, src, true);

		if (dst) {
			didx = find_first_zero_bit(hzs_zs_bitmap(dst), objs);
		} else {
			didx = find_first_zero_bit(bits, objs);
			if (didx > top)
				break;
			dst = src;
		}
		hzs_move_one(pool, class, src, top, dst, didx);
	}
	return hzs_zspage_trim(pool, class, src, tail);
}

static unsigned long hzs_compact_class(struct hzs_pool *pool,
				       struct hzs_class *class)
{
	struct page *tail[HZS_MAX_CHAIN_LIMIT];
	spinlock_t *lock = hzs_class_lock(pool, class);
	unsigned long freed = 0;

	for (;;) {
		struct hzs_zspage *src, *empty = NULL;
		unsigned int got;

		write_lock(&pool->migrate_lock);
		spin_lock(lock);
		if (!hzs_class_freeable(class)) {
			spin_unlock(lock);
			write_unlock(&pool->migrate_lock);
			break;
		}
		src = hzs_pick_source(class);
		write_lock(&src->lock);
		got = hzs_drain(pool, class, src, tail);
		if (src->inuse) {
			hzs_rebalance(class, src);
		} else {
			hzs_zspage_unlink(pool, class, src);
			got = src->npages;
			empty = src;
		}
		atomic_long_add(got, &pool->pages_compacted);
		write_unlock(&src->lock);
		spin_unlock(lock);
		write_unlock(&pool->migrate_lock);
		if (empty) {
			hzs_zspage_free(pool, empty);
		} else {
			unsigned int i;

			for (i = 0; i < got; i++)
				__free_page(tail[i]);
		}
		freed += got;
		/*
		 * A drain that kept its source leaves less than a page of
		 * free slots in held pages (see hzs_drain()), so the
		 * estimate is 0 now; one that freed nothing found the
		 * estimate off by slot remainders: nothing more to gain.
		 */
		if (!got)
			break;
		cond_resched();
	}
	return freed;
}

/**
 * hzs_compact() - move objects so that pages can be released
 * @pool: the pool
 *
 * One compaction runs at a time: a call that finds another running
 * returns 0 at once. Classes with nothing to release are skipped
 * without taking a lock.
 * Context: may sleep. Takes migrate_lock for write once per round.
 * Return: the number of pages released.
 */
unsigned long hzs_compact(struct hzs_pool *pool)
{
	unsigned long freed = 0;
	unsigned int i;

	if (atomic_xchg(&pool->compacting, 1))
		return 0;
	for (i = 0; i < pool->nr_classes; i++) {
		struct hzs_class *class = &pool->classes[i];

		/*
		 * A lock-free look first: a class with nothing to release
		 * must not cost every reader a migrate_lock write section.
		 * hzs_compact_class() checks again under the locks.
		 */
		if (hzs_class_freeable(class))
			freed += hzs_compact_class(pool, class);
	}
	atomic_set_release(&pool->compacting, 0);
	return freed;
}

HZ_EXPORT_IF_KUNIT(hzs_compact);

static unsigned long hzs_shrink_count(struct shrinker *s,
				      struct shrink_control *sc)
{
	return hzs_pool_compactable(hz_shrinker_private(s));
}

static unsigned long hzs_shrink_scan(struct shrinker *s,
				     struct shrink_control *sc)
{
	unsigned long freed = hzs_compact(hz_shrinker_private(s));

	return freed ? freed : SHRINK_STOP;
}

/* ---------------------------------------------------------------------
 * Statistics and verification
 */

/**
 * hzs_pool_stats() - the pool's counters
 * @pool: the pool
 * @st: filled in; each class is read under its lock, the pool-wide
 *	counters without one
 */
void hzs_pool_stats(struct hzs_pool *pool, struct hzs_pool_stats *st)
{
	unsigned int i;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < pool->nr_classes; i++) {
		struct hzs_class *class = &pool->classes[i];

		spin_lock(hzs_class_lock(pool, class));
		st->objs_used += class->objs_used;
		st->bytes_used += class->bytes_used;
		st->objs_allocated += (u64)class->zspages *
				      class->objs_per_zspage;
		spin_unlock(hzs_class_lock(pool, class));
	}
	st->pages = atomic_long_read(&pool->pages);
	st->pages_compacted = atomic_long_read(&pool->pages_compacted);
	st->meta_bytes = atomic_long_read(&pool->meta_bytes);
	st->fixed_bytes = pool->fixed_bytes;
	st->errors = atomic_long_read(&pool->errors);
}

HZ_EXPORT_IF_KUNIT(hzs_pool_stats);

/**
 * hzs_pool_pages() - data pages the pool holds now
 * @pool: the pool
 */
u64 hzs_pool_pages(struct hzs_pool *pool)
{
	return atomic_long_read(&pool->pages);
}

HZ_EXPORT_IF_KUNIT(hzs_pool_pages);

/**
 * hzs_pool_total_pages() - everything the pool holds, in pages
 * @pool: the pool
 *
 * Data pages plus the metadata that lives outside them (zspage
 * descriptors and handle records as the slab allocator sizes them, and
 * the pool's own structures), the metadata rounded up to whole pages.
 * This, not hzs_pool_pages(), is what a memory limit must bound: with
 * small objects the records alone can outweigh the data.
 */
u64 hzs_pool_total_pages(struct hzs_pool *pool)
{
	u64 meta = (u64)atomic_long_read(&pool->meta_bytes) +
		   pool->fixed_bytes;

	return hzs_pool_pages(pool) + DIV_ROUND_UP_ULL(meta, PAGE_SIZE);
}

HZ_EXPORT_IF_KUNIT(hzs_pool_total_pages);

/**
 * hzs_huge_threshold() - the largest size still stored packed
 * @pool: the pool
 *
 * Anything bigger lands in the one-object-per-page class; the driver
 * stores such pages raw.
 */
size_t hzs_huge_threshold(struct hzs_pool *pool)
{
	return pool->huge_threshold;
}

HZ_EXPORT_IF_KUNIT(hzs_huge_threshold);

/**
 * hzs_pool_nr_classes() - the number of size classes
 * @pool: the pool
 */
unsigned int hzs_pool_nr_classes(struct hzs_pool *pool)
{
	return pool->nr_classes;
}

HZ_EXPORT_IF_KUNIT(hzs_pool_nr_classes);

/**
 * hzs_pool_redzone() - bytes reserved after each object in debug mode
 * @pool: the pool
 */
unsigned int hzs_pool_redzone(struct hzs_pool *pool)
{
	return pool->redzone;
}

HZ_EXPORT_IF_KUNIT(hzs_pool_redzone);

/**
 * hzs_pool_size_class() - the class a request lands in
 * @pool: the pool
 * @size: bytes
 *
 * Return: the class index, or -EINVAL for a size no class holds.
 */
int hzs_pool_size_class(struct hzs_pool *pool, size_t size)
{
	if (!size || size > PAGE_SIZE)
		return -EINVAL;
	return hzs_class_for(pool, size) - pool->classes;
}

HZ_EXPORT_IF_KUNIT(hzs_pool_size_class);

/**
 * hzs_pool_class_info() - one class's geometry and counters
 * @pool: the pool
 * @index: 0 .. hzs_pool_nr_classes() - 1
 * @info: filled in
 *
 * Return: 0, or -EINVAL for an index out of range.
 */
int hzs_pool_class_info(struct hzs_pool *pool, unsigned int index,
			struct hzs_class_info *info)
{
	struct hzs_class *class;
	unsigned int b;

	if (index >= pool->nr_classes)
		return -EINVAL;
	class = &pool->classes[index];
	memset(info, 0, sizeof(*info));
	info->index = index;
	info->size = class->size;
	hzs_class_range(pool, index, &info->min_obj, &info->max_obj);
	info->pages_per_zspage = class->pages_per_zspage;
	info->objs_per_zspage = class->objs_per_zspage;

	spin_lock(hzs_class_lock(pool, class));
	info->zspages = class->zspages;
	info->objs_used = class->objs_used;
	info->bytes_used = class->bytes_used;
	info->slots = class->slots;
	/*
	 * Band sizes and pages are not kept per class, but counted here:
	 * the class array is per-device memory, and this is a stats path.
	 */
	for (b = 0; b < HZS_NR_BANDS; b++) {
		struct hzs_zspage *zs;

		list_for_each_entry(zs, &class->bands[b], node) {
			info->band[b]++;
			info->pages += zs->npages;
		}
	}
	if (hzs_class_huge(class))
		info->pages = class->objs_used;
	spin_unlock(hzs_class_lock(pool, class));
	info->huge = hzs_class_huge(class);
	info->objs_allocated = info->zspages * class->objs_per_zspage;
	return 0;
}

HZ_EXPORT_IF_KUNIT(hzs_pool_class_info);

#define hzs_problem(pool, fmt, ...)					\
	pr_err_ratelimited("%s: verify: " fmt "\n", (pool)->name, ##__VA_ARGS__)

/* Caller holds migrate_lock for write and the class lock. */
static unsigned long hzs_verify_zspage(struct hzs_pool *pool,
				       struct hzs_class *class,
				       struct hzs_zspage *zs, unsigned int band,
				       u64 *bytes)
{
	u32 *refs = hzs_zs_refs(zs);
	unsigned long problems = 0;
	unsigned int idx, used = 0, held;
	struct hzs_obj obj;

	if (zs->class != class || hzs_zt_lookup(pool, zs->id) != zs) {
		hzs_problem(pool, "class %u: zspage with bad header", class->size);
		return 1;
	}
	/* Outside the huge class the pages held are a prefix of the chain. */
	if (!hzs_class_huge(class)) {
		if (!zs->npages || zs->npages > class->pages_per_zspage) {
			hzs_problem(pool, "class %u: zspage holds %u pages",
				    class->size, zs->npages);
			return 1;
		}
		for (idx = 0; idx < class->pages_per_zspage; idx++) {
			bool want = idx < zs->npages;

			if (!!zs->pages[idx] == want)
				continue;
			hzs_problem(pool, "class %u: page %u of %u held %s",
				    class->size, idx, zs->npages,
				    zs->pages[idx] ? "past the end" : "missing");
			problems++;
		}
	}
	held = hzs_slots_in(class, zs->npages);
	if (zs->band != band || hzs_band_of(class, zs->inuse) != band) {
		hzs_problem(pool, "class %u: zspage in the wrong band", class->size);
		problems++;
	}
	for (idx = 0; idx < class->objs_per_zspage; idx++) {
		struct hzs_handle *rec = NULL;
		unsigned long off = hzs_slot_off(class, idx);

		if (refs[idx]) {
			rec = hzs_rt_lookup(pool, refs[idx] - 1);
			if (!rec) {
				hzs_problem(pool, "class %u: slot %u: record %u past the table",
					    class->size, idx, refs[idx] - 1);
				problems++;
				continue;
			}
		}
		if (test_bit(idx, hzs_zs_bitmap(zs)) != !!rec) {
			hzs_problem(pool, "class %u: slot %u bitmap/handle mismatch",
				    class->size, idx);
			problems++;
			continue;
		}
		/* A huge slot holds a page exactly while it holds an object. */
		if (hzs_class_huge(class) && !zs->pages[idx] != !rec) {
			hzs_problem(pool, "huge slot %u: %s", idx,
				    rec ? "object without a page" :
					  "free slot holds a page");
			problems++;
			continue;
		}
		if (rec && idx >= held) {
			hzs_problem(pool, "class %u: slot %u past the pages held",
				    class->size, idx);
			problems++;
			continue;
		}
		if (!rec) {
			if (hzs_class_huge(class) || idx >= held)
				continue;
			if (pool->debug &&
			    !hzs_all_equal(zs, off, class->size, HZS_POISON_BYTE)) {
				hzs_problem(pool, "class %u: free slot %u written to",
					    class->size, idx);
				problems++;
			}
			continue;
		}
		used++;
		obj = (struct hzs_obj){
			.rec = rec, .ri = refs[idx] - 1, .zs = zs, .idx = idx,
			.size = hzs_tag_size(rec->tag),
		};
		if (hzs_tag_magic(rec->tag) != HZS_REC_MAGIC ||
		    rec->zsid != zs->id || hzs_tag_idx(rec->tag) != idx ||
		    hzs_class_for(pool, obj.size) != class) {
			hzs_problem(pool, "class %u: slot %u has a bad handle record",
				    class->size, idx);
			problems++;
			continue;
		}
		*bytes += obj.size;
		if (pool->debug && !hzs_redzone_ok(&obj)) {
			hzs_problem(pool, "class %u: handle %lx: red zone overwritten",
				    class->size, hzs_handle_of(pool, obj.ri));
			problems++;
		}
	}
	if (used != zs->inuse) {
		hzs_problem(pool, "class %u: zspage count %u, slots used %u",
			    class->size, zs->inuse, used);
		problems++;
	}
	return problems;
}

/*
 * The zspage table against itself: every id below zt_next is held by a
 * descriptor or on the free list, once; the chunks hold zt.cap ids.
 * A zspage being set up holds its id before it is linked, so the table
 * may hold more than the classes list, never fewer. Caller holds
 * migrate_lock for write (each linked zspage's entry is checked by
 * hzs_verify_zspage()).
 */
static unsigned long hzs_zt_verify(struct hzs_pool *pool,
				   unsigned long zspages)
{
	unsigned long problems = 0, held = 0, free = 0;
	u32 id;

	spin_lock(&pool->zt_lock);
	if (pool->zt.cap != pool->zt.nr * HZS_ZT_CHUNK ||
	    pool->zt.nr > pool->zt.len || pool->zt_next > pool->zt.cap) {
		hzs_problem(pool, "zspage table: %u chunks, room for %u, %u ids, %u used",
			    pool->zt.nr, pool->zt.len, pool->zt.cap,
			    pool->zt_next);
		spin_unlock(&pool->zt_lock);
		return 1;
	}
	for (id = 0; id < pool->zt_next; id++)
		if (!(*hzs_zt_entry(pool, id) & 1))
			held++;
	/* Bounded: a cycle would otherwise never end. */
	for (id = pool->zt_free; id != HZS_ZT_NONE && free <= pool->zt_next;
	     id = *hzs_zt_entry(pool, id) >> 1) {
		if (id >= pool->zt_next || !(*hzs_zt_entry(pool, id) & 1))
			break;
		free++;
	}
	if (id != HZS_ZT_NONE || held != pool->zt_live ||
	    held + free != pool->zt_next || held < zspages) {
		hzs_problem(pool, "zspage ids: %lu held/%u/%lu linked, %lu free, %u used",
			    held, pool->zt_live, zspages, free,
			    pool->zt_next);
		problems++;
	}
	spin_unlock(&pool->zt_lock);
	return problems;
}

/*
 * The record table against itself and the zspages: the free list holds
 * only dead records, once each; every live record is named by the slot
 * it names (hzs_verify_zspage() checked that from the slots' side, so
 * here they only need counting); records handed out are those off the
 * list. A record taken for an object still being placed is dead and
 * off the list. Caller holds migrate_lock for write.
 */
static unsigned long hzs_rt_verify(struct hzs_pool *pool, unsigned long objs)
{
	unsigned long problems = 0, live = 0, free = 0;
	u32 ri;

	spin_lock(&pool->rt_lock);
	if (pool->rt.cap != pool->rt.nr * HZS_RT_CHUNK ||
	    pool->rt.nr > pool->rt.len) {
		hzs_problem(pool, "record table: %u chunks, room for %u, %u records",
			    pool->rt.nr, pool->rt.len, pool->rt.cap);
		spin_unlock(&pool->rt_lock);
		return 1;
	}
	for (ri = 0; ri < pool->rt.cap; ri++)
		if (hzs_tag_magic(hzs_rt_rec(pool, ri)->tag) == HZS_REC_MAGIC)
			live++;
	/* Bounded: a cycle would otherwise never end. */
	for (ri = pool->rt_free; ri != HZS_RT_NONE && free <= pool->rt.cap;
	     ri = hzs_rt_rec(pool, ri)->zsid) {
		if (ri >= pool->rt.cap ||
		    hzs_tag_magic(hzs_rt_rec(pool, ri)->tag) != HZS_REC_DEAD)
			break;
		free++;
	}
	if (ri != HZS_RT_NONE || live != objs || live > pool->rt_live ||
	    pool->rt_live + free != pool->rt.cap) {
		hzs_problem(pool, "records: %lu live/%lu objects, %u handed out, %lu free of %u",
			    live, objs, pool->rt_live, free, pool->rt.cap);
		problems++;
	}
	spin_unlock(&pool->rt_lock);
	return problems;
}

/**
 * hzs_pool_verify() - check the pool's bookkeeping
 * @pool: the pool
 *
 * Bitmaps, handle records and counters, and in debug mode every red zone
 * and every free slot's poison. Holds the whole pool still (migrate_lock
 * for write): for tests and debugging, not for a hot path.
 * Return: the number of problems found, each also logged.
 */
unsigned long hzs_pool_verify(struct hzs_pool *pool)
{
	unsigned long problems = 0, pages = 0, meta = 0, all_zspages = 0;
	unsigned long all_objs = 0;
	unsigned int i, b;

	/* Write side: the whole pool holds still while we count. */
	write_lock(&pool->migrate_lock);
	for (i = 0; i < pool->nr_classes; i++) {
		struct hzs_class *class = &pool->classes[i];
		unsigned long zspages = 0, objs = 0, held = 0, slots = 0;
		u64 bytes = 0;

		spin_lock(hzs_class_lock(pool, class));
		for (b = 0; b < HZS_NR_BANDS; b++) {
			struct hzs_zspage *zs;
			unsigned long n = 0;

			list_for_each_entry(zs, &class->bands[b], node) {
				problems += hzs_verify_zspage(pool, class, zs,
							      b, &bytes);
				objs += zs->inuse;
				held += zs->npages;
				slots += hzs_slots_in(class, zs->npages);
				n++;
			}
			zspages += n;
		}
		if (zspages != class->zspages || objs != class->objs_used ||
		    bytes != class->bytes_used || slots != class->slots) {
			hzs_problem(pool, "class %u: counters disagree with zspages",
				    class->size);
			problems++;
		}
		pages += hzs_class_huge(class) ? objs : held;
		meta += zspages * class->desc_size;
		all_zspages += zspages;
		all_objs += objs;
		spin_unlock(hzs_class_lock(pool, class));
	}
	problems += hzs_zt_verify(pool, all_zspages);
	problems += hzs_rt_verify(pool, all_objs);
	meta += hzs_zt_bytes(pool) + hzs_rt_bytes(pool);
	if (pages != atomic_long_read(&pool->pages) ||
	    meta != atomic_long_read(&pool->meta_bytes)) {
		hzs_problem(pool, "pool page or metadata count disagrees");
		problems++;
	}
	write_unlock(&pool->migrate_lock);
	return problems;
}

HZ_EXPORT_IF_KUNIT(hzs_pool_verify);

/* ---------------------------------------------------------------------
 * Pool lifetime
 */

/**
 * hzs_pool_create_opts() - create a pool
 * @name: for messages and the shrinker's name
 * @opts: settings, or NULL for the module parameters
 *
 * Context: process context, may sleep. Registers the pool's shrinker.
 * Return: the pool, or NULL on failure.
 */
struct hzs_pool *hzs_pool_create_opts(const char *name,
				      const struct hzs_pool_opts *opts)
{
	struct hzs_pool *pool;
	unsigned int chain;
	char *shrinker_name;

	/* A record's tag word keeps at least two bits of magic. */
	BUILD_BUG_ON(HZS_REC_MAGIC_SHIFT > 30);
	BUILD_BUG_ON(!HZS_REC_MAGIC || !(HZS_REC_MAGIC ^ HZS_REC_DEAD));
	BUILD_BUG_ON(sizeof(struct hzs_handle) != 8);
	/* The descriptor's packed header. */
	BUILD_BUG_ON(HZS_MAX_CHAIN_LIMIT > U8_MAX || HZS_NR_BANDS > U8_MAX);
	BUILD_BUG_ON(HZS_MAX_CHAIN_LIMIT * (PAGE_SIZE / HZS_ALIGN) > U16_MAX);

	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return NULL;
	pool->id = atomic_inc_return(&hzs_pool_ids);
	pool->name = kstrdup(name ? name : "hzs", GFP_KERNEL);
	if (!pool->name)
		goto err_pool;

	pool->debug = opts ? opts->debug : READ_ONCE(hzs_debug);
	chain = opts && opts->max_chain ? opts->max_chain :
		READ_ONCE(hzs_max_chain);
	if (chain < 1 || chain > HZS_MAX_CHAIN_LIMIT) {
		pr_warn("%s: max chain %u out of range, using %u\n", pool->name,
			chain, clamp_t(unsigned int, chain, 1, HZS_MAX_CHAIN_LIMIT));
		chain = clamp_t(unsigned int, chain, 1, HZS_MAX_CHAIN_LIMIT);
	}
	pool->max_chain = chain;
	pool->redzone = pool->debug ? HZS_REDZONE : 0;
	rwlock_init(&pool->migrate_lock);
	spin_lock_init(&pool->zt_lock);
	pool->zt_free = HZS_ZT_NONE;
	spin_lock_init(&pool->rt_lock);
	pool->rt_free = HZS_RT_NONE;

	if (hzs_build_classes(pool))
		goto err_name;
	pool->fixed_bytes = kmalloc_size_roundup(sizeof(*pool)) +
		kmalloc_size_roundup(strlen(pool->name) + 1) +
		kmalloc_size_roundup(pool->nr_sizes * sizeof(*pool->size_map)) +
		hzs_table_bytes(hzs_classes_bytes(pool->nr_classes));

	shrinker_name = kasprintf(GFP_KERNEL, "hzs-%s", pool->name);
	if (!shrinker_name)
		goto err_classes;
	if (hz_shrinker_register(&pool->shrinker, hzs_shrink_count,
				 hzs_shrink_scan, pool, shrinker_name)) {
		kfree(shrinker_name);
		goto err_classes;
	}
	/* The shrinker keeps its own copy. */
	kfree(shrinker_name);
	return pool;

err_classes:
	hzs_classes_free(pool);
err_name:
	kfree(pool->name);
err_pool:
	kfree(pool);
	return NULL;
}

HZ_EXPORT_IF_KUNIT(hzs_pool_create_opts);

/**
 * hzs_pool_create() - create a pool with the module parameters' settings
 * @name: for messages and the shrinker's name
 */
struct hzs_pool *hzs_pool_create(const char *name)
{
	return hzs_pool_create_opts(name, NULL);
}

HZ_EXPORT_IF_KUNIT(hzs_pool_create);

/* Frees every zspage of @class and its records; returns live objects. */
static unsigned long hzs_class_drain(struct hzs_pool *pool,
				     struct hzs_class *class)
{
	unsigned long live = 0;
	unsigned int b, idx;

	for (b = 0; b < HZS_NR_BANDS; b++) {
		struct hzs_zspage *zs, *tmp;

		list_for_each_entry_safe(zs, tmp, &class->bands[b], node) {
			for (idx = 0; idx < class->objs_per_zspage; idx++) {
				u32 ref = hzs_zs_refs(zs)[idx];

				if (!ref)
					continue;
				/* The record table goes as a whole, after. */
				hzs_rt_rec(pool, ref - 1)->tag =
					hzs_rec_tag(HZS_REC_DEAD, 0, 1);
				live++;
			}
			list_del(&zs->node);
			hzs_zspage_free(pool, zs);
		}
	}
	return live;
}

/**
 * hzs_pool_destroy() - destroy a pool and everything in it
 * @pool: the pool, or NULL
 *
 * Unregisters the shrinker and removes the pool's debugfs files first.
 * Objects still allocated are freed, and counted in a warning.
 * Context: may sleep.
 */
void hzs_pool_destroy(struct hzs_pool *pool)
{
	unsigned long live = 0;
	unsigned int i;

	if (!pool)
		return;
	hz_shrinker_unregister(&pool->shrinker);
	hzs_pool_debugfs_remove(pool);

	for (i = 0; i < pool->nr_classes; i++)
		live += hzs_class_drain(pool, &pool->classes[i]);
	if (live)
		pr_warn("%s: destroyed with %lu objects still allocated; freed them\n",
			pool->name, live);
	/* The last zspage took the table with it, unless one was lost. */
	if (pool->zt_live) {
		pr_warn("%s: destroyed with %u zspage ids unaccounted for\n",
			pool->name, pool->zt_live);
		pool->zt_live = 0;
		hzs_zt_release(pool);
	}
	/* The records of the objects freed above, or of a lost one. */
	pool->rt_live = 0;
	hzs_rt_release(pool);
	/* Directories from vmalloc outlive their tables' last entries. */
	kvfree(pool->zt.chunk);
	kvfree(pool->rt.chunk);

	hzs_classes_free(pool);
	kfree(pool->name);
	kfree(pool);
}

HZ_EXPORT_IF_KUNIT(hzs_pool_destroy);
