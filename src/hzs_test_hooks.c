// SPDX-License-Identifier: GPL-2.0
/*
 * hzs test hooks: ways for tests to look inside the allocator, fail its
 * allocations on demand and damage its metadata, so that the checks
 * that should catch damage can be shown to catch it. Built only into
 * test builds (a KUnit kernel, or make HZ_TEST_HOOKS=1; see Kbuild),
 * never into a production module.
 *
 * Locks are taken as in hzs_pool.c (its lock order applies); the
 * corrupting hooks take none, since they exist to break things.
 */
#define pr_fmt(fmt) "hzs: " fmt

#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "hz_kunit.h"
#include "hzs_internal.h"
#include "hzs_test_hooks.h"

int hzs_handle_locate(struct hzs_pool *pool, unsigned long handle,
		      struct hzs_obj_loc *loc)
{
	struct hzs_zspage *zs;
	struct hzs_obj obj;
	unsigned long off;

	read_lock(&pool->migrate_lock);
	if (!hzs_resolve(pool, handle, "locate", &obj)) {
		read_unlock(&pool->migrate_lock);
		return -EINVAL;
	}
	zs = obj.zs;
	off = hzs_slot_off(zs->class, obj.idx);
	memset(loc, 0, sizeof(*loc));
	loc->page_idx = off >> PAGE_SHIFT;
	loc->offset = offset_in_page(off);
	loc->index = obj.idx;
	loc->size = obj.size;
	loc->slot = zs->class->size;
	loc->spans = loc->offset + loc->size > PAGE_SIZE;
	loc->pages[0] = zs->pages[loc->page_idx];
	if (loc->spans)
		loc->pages[1] = zs->pages[loc->page_idx + 1];
	read_unlock(&pool->migrate_lock);
	return 0;
}

HZ_EXPORT_IF_KUNIT(hzs_handle_locate);

typedef void (*hzs_zspage_fn)(struct hzs_zspage *zs, void *arg);

/* Calls @fn on every zspage, with migrate_lock (write) and its class lock. */
static void hzs_walk_zspages(struct hzs_pool *pool, hzs_zspage_fn fn,
			     void *arg)
{
	unsigned int i, b;

	write_lock(&pool->migrate_lock);
	for (i = 0; i < pool->nr_classes; i++) {
		struct hzs_class *class = &pool->classes[i];
		struct hzs_zspage *zs;

		spin_lock(hzs_class_lock(pool, class));
		for (b = 0; b < HZS_NR_BANDS; b++)
			list_for_each_entry(zs, &class->bands[b], node)
				fn(zs, arg);
		spin_unlock(hzs_class_lock(pool, class));
	}
	write_unlock(&pool->migrate_lock);
}

struct hzs_page_walk {
	hzs_page_fn fn;
	void *arg;
	unsigned long count;
};

static void hzs_walk_zspage_pages(struct hzs_zspage *zs, void *arg)
{
	struct hzs_page_walk *w = arg;
	unsigned int p;

	for (p = 0; p < zs->class->pages_per_zspage; p++) {
		if (!zs->pages[p])	/* a free huge slot */
			continue;
		w->fn(zs->pages[p], w->arg);
		w->count++;
	}
}

unsigned long hzs_pool_walk_pages(struct hzs_pool *pool, hzs_page_fn fn,
				  void *arg)
{
	struct hzs_page_walk w = { .fn = fn, .arg = arg };

	hzs_walk_zspages(pool, hzs_walk_zspage_pages, &w);
	return w.count;
}

HZ_EXPORT_IF_KUNIT(hzs_pool_walk_pages);

/*
 * What the slab allocator itself says the pool's metadata takes: ksize()
 * of every live descriptor, of the record and zspage tables and of the
 * pool's own structures, measured instead of counted, so a test can
 * hold the pool's counters to it.
 */
static void hzs_zspage_ksize(struct hzs_zspage *zs, void *arg)
{
	u64 *meta = arg;

	*meta += ksize(zs);
}

size_t hzs_test_desc_bytes(unsigned int pages, unsigned int objs)
{
	return hzs_desc_bytes(pages, objs);
}

HZ_EXPORT_IF_KUNIT(hzs_test_desc_bytes);

unsigned int hzs_test_chain_limit(void)
{
	return HZS_MAX_CHAIN_LIMIT;
}

HZ_EXPORT_IF_KUNIT(hzs_test_chain_limit);

static size_t hzs_test_dir_ksize(const struct hzs_dir *d)
{
	size_t bytes = 0;
	unsigned int i;

	if (!d->chunk)
		return 0;
	for (i = 0; i < d->nr; i++)
		bytes += ksize(d->chunk[i]);
	/* vmalloc'd past a page: whole pages, as many as it needs. */
	if (is_vmalloc_addr(d->chunk))
		return bytes + PAGE_ALIGN(d->len * sizeof(*d->chunk));
	return bytes + ksize(d->chunk);
}

void hzs_test_meta_ksize(struct hzs_pool *pool, u64 *meta, u64 *fixed)
{
	*meta = 0;
	*fixed = ksize(pool) + ksize(pool->name) + ksize(pool->size_map);
	/* vmalloc'd: whole pages, as many as the array needs. */
	if (is_vmalloc_addr(pool->classes))
		*fixed += PAGE_ALIGN(hzs_classes_bytes(pool->nr_classes));
	else
		*fixed += ksize(pool->classes);
	hzs_walk_zspages(pool, hzs_zspage_ksize, meta);
	read_lock(&pool->migrate_lock);
	spin_lock(&pool->zt_lock);
	*meta += hzs_test_dir_ksize(&pool->zt);
	spin_unlock(&pool->zt_lock);
	spin_lock(&pool->rt_lock);
	*meta += hzs_test_dir_ksize(&pool->rt);
	spin_unlock(&pool->rt_lock);
	read_unlock(&pool->migrate_lock);
}

HZ_EXPORT_IF_KUNIT(hzs_test_meta_ksize);

void hzs_pool_fail_nth(struct hzs_pool *pool, unsigned int nth)
{
	atomic_set(&pool->fail_nth, nth);
}

HZ_EXPORT_IF_KUNIT(hzs_pool_fail_nth);

int hzs_debug_poke(struct hzs_pool *pool, unsigned long handle,
		   unsigned int offset, const void *src, size_t len)
{
	struct hzs_class *class;
	unsigned long off, end;
	struct hzs_obj obj;
	int ret = 0;

	if (!hzs_pin(pool, handle, "poke", &obj))
		return -EINVAL;
	class = obj.zs->class;
	off = hzs_slot_off(class, obj.idx) + offset;
	/*
	 * Only pages the zspage holds: a huge slot's neighbours, and the
	 * tail of a zspage still filling, may have no page at all. The
	 * count only grows, so a stale read is merely cautious.
	 */
	end = hzs_class_huge(class) ? hzs_slot_off(class, obj.idx) + PAGE_SIZE :
	      (unsigned long)READ_ONCE(obj.zs->npages) * PAGE_SIZE;
	if (off + len > end)
		ret = -ERANGE;
	else
		hzs_copy_to(obj.zs, off, src, len);
	hzs_unpin(&obj);
	return ret;
}

HZ_EXPORT_IF_KUNIT(hzs_debug_poke);

/*
 * The record's zspage, as the table has it (the record may be damaged).
 * Without migrate_lock: callers may hold a read pin (a zspage lock),
 * which nests inside it, and a test that damages or inspects a handle
 * has no other thread growing the pool's table meanwhile.
 */
static struct hzs_handle *hzs_test_rec(struct hzs_pool *pool,
				       unsigned long handle)
{
	u32 ri;

	hzs_handle_ri(pool, handle, &ri);
	return hzs_rt_rec(pool, ri);
}

static struct hzs_zspage *hzs_test_zspage(struct hzs_pool *pool,
					  unsigned long handle)
{
	return hzs_zt_lookup(pool, hzs_test_rec(pool, handle)->zsid);
}

void hzs_test_corrupt(struct hzs_pool *pool, unsigned long handle,
		      bool zspage, u32 xor)
{
	struct hzs_handle *rec = hzs_test_rec(pool, handle);

	if (zspage)
		hzs_test_zspage(pool, handle)->id ^= xor;
	else
		rec->tag ^= xor << HZS_REC_MAGIC_SHIFT;	/* the magic bits */
}

HZ_EXPORT_IF_KUNIT(hzs_test_corrupt);

unsigned long hzs_test_forge(struct hzs_pool *pool, size_t size,
			     struct page * const *pages, unsigned int nr_pages,
			     unsigned int index)
{
	struct hzs_class *class;
	struct hzs_handle *rec;
	struct hzs_zspage *zs;
	u32 ri;

	if (!size || size > PAGE_SIZE)
		return 0;
	class = hzs_class_for(pool, size);
	if (nr_pages != class->pages_per_zspage ||
	    index >= class->objs_per_zspage)
		return 0;
	zs = hzs_desc_alloc(pool, class, GFP_KERNEL);
	if (!zs)
		return 0;
	if (hzs_rt_get(pool, GFP_KERNEL, &ri)) {
		hzs_desc_free(pool, zs);
		return 0;
	}
	memcpy(zs->pages, pages, nr_pages * sizeof(*pages));
	zs->npages = nr_pages;
	rec = hzs_rt_rec(pool, ri);
	rec->zsid = zs->id;
	rec->tag = hzs_rec_tag(HZS_REC_MAGIC, index, size);
	hzs_zs_refs(zs)[index] = ri + 1;
	__set_bit(index, hzs_zs_bitmap(zs));
	zs->inuse = 1;
	return hzs_handle_of(pool, ri);
}

HZ_EXPORT_IF_KUNIT(hzs_test_forge);

void hzs_test_unforge(struct hzs_pool *pool, unsigned long handle)
{
	u32 ri;

	hzs_handle_ri(pool, handle, &ri);
	hzs_desc_free(pool, hzs_test_zspage(pool, handle));
	hzs_rt_put(pool, ri);
}

HZ_EXPORT_IF_KUNIT(hzs_test_unforge);

/*
 * True if nobody holds @handle's zspage lock: a reader's pin that was
 * never released shows up here, without hanging the test the way the
 * next compaction of that zspage would.
 */
bool hzs_test_zspage_unpinned(struct hzs_pool *pool, unsigned long handle)
{
	struct hzs_zspage *zs = hzs_test_zspage(pool, handle);

#ifdef __CHECKER__
	/*
	 * sparse reports a context imbalance for every trylock-then-unlock
	 * with 6.12's rwlock macros (checked on a two-line function); this
	 * hook is only ever compiled for real, so sparse gets a stand-in.
	 */
	return zs;
#else
	if (write_trylock(&zs->lock)) {
		write_unlock(&zs->lock);
		return true;
	}
	return false;
#endif
}

HZ_EXPORT_IF_KUNIT(hzs_test_zspage_unpinned);
