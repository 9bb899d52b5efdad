// SPDX-License-Identifier: GPL-2.0
/*
 * hzram recompression: objects stored by the primary algorithm (or by a
 * weaker secondary) are compressed again with the secondaries, in
 * priority order, and replaced where the result lands in a smaller
 * allocator class. A slot no secondary could shrink is marked
 * incompressible so later passes leave it alone.
 *
 * Lock order (zram_drv.h): init_lock (read) -> pp_lock -> slot lock ->
 * zcomp_strm.lock -> allocator locks. The slot lock is held from the
 * read of the old object until the new one is installed, so the slot
 * cannot change in between; a slot under writeback is skipped, and one
 * that is freed or rewritten later simply loses its recompressed copy
 * with everything else.
 */

#define pr_fmt(fmt) "zram: " fmt

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/highmem.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "hz_kunit.h"
#include "hzs_pool.h"
#include "zcomp.h"
#include "zram_drv.h"
#include "zram_recomp.h"

/* Priorities [lo, hi) a pass may use, and how many are configured. */
struct zram_recomp_pass {
	struct zram *zram;
	const struct zram_recomp_req *req;
	struct zram_recomp_result *res;
	u32 lo, hi;
	u32 nr_secondaries;	/* configured, whatever the range */
	u64 budget;		/* slots it may still try */
	struct page *page;
};

static bool zram_recomp_wanted(const struct zram_recomp_pass *rp,
			       const struct zram_slot *slot)
{
	unsigned int mode = rp->req->mode;
	size_t size = zram_slot_size(slot);
	u32 p;

	if (!size || zram_slot_test(slot, ZRAM_SAME) ||
	    zram_slot_test(slot, ZRAM_WB) ||
	    zram_slot_test(slot, ZRAM_UNDER_WB) ||
	    zram_slot_test(slot, ZRAM_INCOMPRESSIBLE))
		return false;
	if ((mode & ZRAM_RECOMP_IDLE) && !zram_slot_test(slot, ZRAM_IDLE))
		return false;
	if ((mode & ZRAM_RECOMP_HUGE) && !zram_slot_test(slot, ZRAM_HUGE))
		return false;
	if (size < rp->req->threshold)
		return false;
	/* Some algorithm of this pass must be above the one that stored it. */
	for (p = max(rp->lo, zram_slot_prio(slot) + 1); p < rp->hi; p++)
		if (rp->zram->comps[p])
			return true;
	return false;
}

/*
 * Compress the page in rp->page with each usable secondary until one
 * lands in a smaller class (and under the threshold). Returns the stream
 * holding that result, with *@prio and *@len set, or NULL.
 */
static struct zcomp_strm *zram_recomp_try(struct zram_recomp_pass *rp,
					  u32 old_prio, size_t old_size,
					  u32 *prio, unsigned int *len,
					  u32 *tried)
{
	struct zram *zram = rp->zram;
	int old_class = hzs_pool_size_class(zram->pool, old_size);
	struct zcomp_strm *strm;
	struct zcomp *comp;
	void *src;
	u32 p;
	int ret;

	for (p = rp->lo; p < rp->hi; p++) {
		comp = zram->comps[p];
		if (!comp || p <= old_prio)
			continue;
		(*tried)++;
		strm = zcomp_stream_get(comp);
		src = kmap_local_page(rp->page);
		ret = zcomp_compress(comp, strm, src, len);
		kunmap_local(src);
		if (!ret && *len < PAGE_SIZE && *len <= zram->huge_threshold &&
		    hzs_pool_size_class(zram->pool, *len) < old_class &&
		    (!rp->req->threshold || *len < rp->req->threshold)) {
			*prio = p;
			return strm;
		}
		zcomp_stream_put(strm);
	}
	return NULL;
}

/* Configured secondaries above priority @prio. */
static u32 zram_recomp_above(struct zram *zram, u32 prio)
{
	u32 p, n = 0;

	for (p = max(prio + 1, ZRAM_SECONDARY_COMP); p < ZRAM_MAX_COMPS; p++)
		n += !!zram->comps[p];
	return n;
}

/* Slot @index is locked and wanted. 0, or an error that ends the pass. */
static int zram_recomp_slot(struct zram_recomp_pass *rp, u32 index)
{
	struct zram *zram = rp->zram;
	struct zram_slot *slot = zram_slot(zram, index);
	u32 old_prio = zram_slot_prio(slot), prio = 0, tried = 0, actime;
	struct zcomp_strm *strm;
	struct zram_obj obj;
	unsigned long handle;
	unsigned int len = 0;
	int ret;

	/* A slot we cannot read is reported by the read; leave it as is. */
	if (zram_read_locked(zram, index, rp->page, true)) {
		rp->res->failed++;
		return 0;
	}
	/*
	 * Reading it here is not the user's access: keep its time, but
	 * drop IDLE so another post-processing pass does not pick it up
	 * for the same reason (upstream does the same).
	 */
	zram_slot_clear(slot, ZRAM_IDLE);

	strm = zram_recomp_try(rp, old_prio, zram_slot_size(slot), &prio,
			       &len, &tried);
	if (!tried)
		return 0;
	/* An attempt spends the budget whether or not it saved anything. */
	rp->budget--;
	rp->res->tried++;
	if (!strm) {
		/*
		 * Only when every secondary that could still help (those
		 * above the slot's priority) had its try in this pass.
		 */
		if (tried == zram_recomp_above(zram, old_prio)) {
			zram_slot_set(slot, ZRAM_INCOMPRESSIBLE);
			rp->res->incompressible++;
		}
		return 0;
	}

	/* No reclaim: failing keeps the old object, which is fine. */
	ret = zram_obj_alloc(zram, len, false, &handle);
	if (!ret)
		ret = zram_obj_fill(zram, handle, strm->buffer, len, index,
				    &obj);
	zcomp_stream_put(strm);
	if (ret)
		return ret;
	obj.flags = (unsigned long)prio << ZRAM_PRIO_BIT0;
	actime = zram_slot_actime(slot);
	zram_slot_install(zram, index, &obj);
	zram_slot_set_actime(slot, actime);
	rp->res->recompressed++;
	return 0;
}

/*
 * With a budget smaller than the candidates, the largest objects go
 * first (they have the most to gain), as upstream has done since 6.13.
 * One pass over the table counts the candidates of each size; the
 * result is the smallest size that still gets a turn, and how many
 * slots of exactly that size do (*@at_cut), so that the second pass
 * takes exactly the @budget largest, the lowest indexes among equals.
 */
static int zram_recomp_cutoff(struct zram_recomp_pass *rp, size_t *cut,
			      u64 *at_cut)
{
	struct zram *zram = rp->zram;
	u32 *count;
	u64 sum = 0;
	unsigned long i, end = zram->nr_pages;
	size_t size;

	*cut = 0;
	*at_cut = U64_MAX;
	if (rp->budget == U64_MAX || rp->budget >= end)
		return 0;
	count = kvcalloc(PAGE_SIZE + 1, sizeof(*count), GFP_KERNEL);
	if (!count)
		return -ENOMEM;
	/* Absent chunks hold no candidates. */
	for (i = zram_slot_next(zram, 0, end); i < end;
	     i = zram_slot_next(zram, i + 1, end)) {
		struct zram_slot *slot = zram_slot(zram, i);

		zram_slot_lock(zram, i);
		if (zram_recomp_wanted(rp, slot))
			count[zram_slot_size(slot)]++;
		zram_slot_unlock(zram, i);
		if (!(i % 4096))
			cond_resched();
	}
	for (size = PAGE_SIZE; size > 0; size--) {
		if (sum + count[size] >= rp->budget) {
			*cut = size;
			*at_cut = rp->budget - sum;
			break;
		}
		sum += count[size];
	}
	kvfree(count);
	return 0;
}

/* Which priorities the request may use, or -EINVAL for an unknown algo. */
static int zram_recomp_range(struct zram_recomp_pass *rp)
{
	const struct zram_recomp_req *req = rp->req;
	struct zram *zram = rp->zram;
	u32 p;

	rp->lo = max(req->prio, ZRAM_SECONDARY_COMP);
	rp->hi = min(req->prio_max, ZRAM_MAX_COMPS);
	/* With priority= too, the name must be selected at that priority. */
	if (req->algo) {
		for (p = rp->lo; p < rp->hi; p++)
			if (zram->conf[p].name &&
			    !strcmp(zram->conf[p].name, req->algo))
				break;
		if (p == rp->hi)
			return -EINVAL;
		rp->lo = p;
		rp->hi = p + 1;
	} else if (req->prio_max == req->prio + 1 && !zram->comps[req->prio]) {
		return -EINVAL;	/* priority= names no algorithm */
	}
	for (p = ZRAM_SECONDARY_COMP; p < ZRAM_MAX_COMPS; p++)
		rp->nr_secondaries += !!zram->comps[p];
	return 0;
}

int zram_recompress(struct zram *zram, const struct zram_recomp_req *req,
		    struct zram_recomp_result *res)
{
	struct zram_recomp_pass rp = {
		.zram = zram, .req = req, .res = res, .budget = req->max_pages,
	};
	unsigned long i, end;
	u64 at_cut;
	size_t cut;
	int ret;

	memset(res, 0, sizeof(*res));
	ret = zram_recomp_range(&rp);
	if (ret)
		return ret;
	/* A threshold no packed object can pass would select nothing. */
	if (req->threshold > zram->huge_threshold)
		return -EINVAL;
	if (!rp.nr_secondaries || rp.lo >= rp.hi || !rp.budget)
		return 0;

	rp.page = alloc_page(GFP_KERNEL);
	if (!rp.page)
		return -ENOMEM;
	mutex_lock(&zram->pp_lock);
	ret = zram_recomp_cutoff(&rp, &cut, &at_cut);
	end = zram->nr_pages;
	for (i = zram_slot_next(zram, 0, end); !ret && i < end && rp.budget;
	     i = zram_slot_next(zram, i + 1, end)) {
		struct zram_slot *slot = zram_slot(zram, i);

		zram_slot_lock(zram, i);
		if (zram_recomp_wanted(&rp, slot) &&
		    zram_slot_size(slot) >= cut) {
			if (zram_slot_size(slot) > cut || at_cut) {
				if (zram_slot_size(slot) == cut)
					at_cut--;
				ret = zram_recomp_slot(&rp, i);
			}
		}
		zram_slot_unlock(zram, i);
		cond_resched();
	}
	mutex_unlock(&zram->pp_lock);
	__free_page(rp.page);
	if (!ret && res->failed)
		ret = -EIO;
	return ret;
}

HZ_EXPORT_IF_KUNIT(zram_recompress);
