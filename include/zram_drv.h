/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hzram: internal definitions shared by src/zram_*.c and the KUnit suites.
 *
 * Locks, from outermost to innermost:
 *
 *   zram_index_mutex (zram_drv.c)  the device idr; hot_add/hot_remove
 *   disk->open_mutex               zram->claim against opens
 *   zram->init_lock (rw_semaphore) the device's configuration and its
 *                                  metadata lifetime (see struct zram)
 *   cpu_hotplug_lock               taken by zcomp_create()/destroy()
 *                                  (adding a hotplug instance) under
 *                                  init_lock; the hotplug callbacks
 *                                  then take zcomp_strm.lock
 *   zram->pp_lock (mutex)          one post-processing pass (writeback
 *                                  or recompression) at a time; a
 *                                  second waits, as upstream 7.0's
 *   slot lock (a bit in flags)     one table entry
 *   (a chunk's publication)        lock-free: cmpxchg_release of a
 *                                  directory entry, never under a slot
 *                                  lock (see struct zram_chunk)
 *   zcomp_strm.lock (mutex)        one per-CPU compression stream
 *   zram->wb_limit_lock (spinlock) writeback_limit; nothing nests in it
 *   allocator locks                (hzs_internal.h: migrate_lock,
 *                                  class->lock, zspage->lock)
 *
 * Debugfs adds the allocator benchmark's input mutex (hz_bench_input.h),
 * taken with none of the above held, above the locks of the private
 * pool the benchmark runs in.
 *
 * A lock is only ever taken while holding locks above it. open_mutex is
 * dropped before init_lock is taken, so the two never nest. The I/O path
 * does not take init_lock at all: I/O needs an opener, and reset and
 * removal only proceed with no opener and zram->claim set.
 */
#ifndef _HZRAM_ZRAM_DRV_H
#define _HZRAM_ZRAM_DRV_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/blk_types.h>
#include <linux/lockdep.h>
#include <linux/log2.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "hz_compat.h"
#include "hz_kunit.h"
#include "zcomp.h"

struct hzs_pool;
struct gendisk;
struct dentry;
struct seq_file;

#define SECTORS_PER_PAGE_SHIFT	(PAGE_SHIFT - SECTOR_SHIFT)
#define SECTORS_PER_PAGE	(PAGE_SIZE >> SECTOR_SHIFT)
#define ZRAM_LOGICAL_BLOCK_SIZE	4096

/*
 * Slot flags word: the low ZRAM_SIZE_BITS hold the stored object size
 * (0..PAGE_SIZE inclusive, hence the extra bit), the bits above hold the
 * flags below. The word is 32 bits on every architecture, so that an
 * entry is three of them: see struct zram_slot.
 */
#define ZRAM_SIZE_BITS		(PAGE_SHIFT + 1)
#define ZRAM_SIZE_MASK		(BIT(ZRAM_SIZE_BITS) - 1)

enum zram_slot_flag {
	ZRAM_LOCK = ZRAM_SIZE_BITS,	/* the slot lock itself */
	ZRAM_SAME,		/* handle is a fill pattern, nothing stored */
	ZRAM_WB,		/* handle is a backing block, size what it holds */
	ZRAM_UNDER_WB,		/* in the pool, a copy on its way to a block */
	ZRAM_HUGE,		/* stored raw: did not compress below threshold */
	ZRAM_IDLE,		/* not accessed since the last idle marking */
	ZRAM_INCOMPRESSIBLE,	/* no secondary algorithm could shrink it */
	ZRAM_PP_SLOT,		/* reserved: selected for post-processing */
	ZRAM_PRIO_BIT0,		/* the algorithm that stored it, 2 bits: */
	ZRAM_PRIO_BIT1,		/* 0 the primary, 1-3 recompression */
	__NR_ZRAM_SLOT_FLAGS,
};

/* Flags describing what a slot holds; cleared when the slot is freed. */
#define ZRAM_CONTENT_FLAGS	(BIT(ZRAM_SAME) | BIT(ZRAM_WB) |	\
				 BIT(ZRAM_HUGE) | BIT(ZRAM_IDLE) |	\
				 BIT(ZRAM_INCOMPRESSIBLE) |		\
				 BIT(ZRAM_PP_SLOT) | BIT(ZRAM_PRIO_BIT0) | \
				 BIT(ZRAM_PRIO_BIT1))

/*
 * One entry per PAGE_SIZE block of the disk, 12 bytes on every
 * architecture: one is paid for every stored page, and a third of it
 * is the largest single item of what a page costs beyond its data.
 *
 * @handle and every bit of @flags except ZRAM_LOCK are protected by the
 * slot lock, a sleepable lock on the ZRAM_LOCK bit (see zram_slot_lock()).
 * Under CONFIG_DEBUG_LOCK_ALLOC each entry carries a lockdep map so the
 * slot lock takes part in lockdep's checks like any other lock.
 */
struct zram_slot {
	u32 flags;
	/*
	 * An hzs handle (32 bits wide, hzs_pool.h), a fill pattern if
	 * ZRAM_SAME, a backing block if ZRAM_WB; 0 if nothing is stored.
	 */
	u32 handle;
	u32 ac_time;		/* last access, CLOCK_BOOTTIME seconds */
#ifdef CONFIG_DEBUG_LOCK_ALLOC
	struct lockdep_map dep_map;
#endif
};

/*
 * The slot table is two-level, so that its cost follows what is stored
 * and not disksize: a directory of ZRAM_CHUNK_SLOTS-slot chunks, sized
 * by disksize (one pointer per chunk), and the chunks themselves,
 * allocated on the first write to any of their slots.
 *
 * A chunk is as many slots as fit in a page. That is not a power of two
 * (341 slots of 12 bytes in 4 KiB), so a slot is found with a division
 * by a constant, which compiles to a multiplication: rounding the chunk
 * down to 256 slots would leave a quarter of every chunk unused. With
 * checksums on the device, each chunk has a checksum array of its own,
 * found through a second directory: in the chunk it would take the
 * chunk past a page, into a kmalloc bucket twice the size. Nothing else
 * in a device is sized by disksize but the directories.
 */
#define ZRAM_CHUNK_SLOTS	(PAGE_SIZE / sizeof(struct zram_slot))

/*
 * One chunk of the slot table.
 *
 * Life: zram_chunk_get() allocates it in the write path, before any slot
 * lock is taken (GFP_NOIO: swap writes come from reclaim), initialises
 * every slot's lock, and only then publishes it with a cmpxchg_release()
 * of its directory entry; a racing allocator that loses the cmpxchg
 * frees its copy. Readers load the entry with smp_load_acquire()
 * (zram_chunk()), so a chunk seen is a chunk whose slots and lockdep maps
 * are initialised. A published chunk is never unpublished or freed while
 * the device is live: only zram_teardown() frees chunks, with no I/O
 * possible (see the comment at the top of this file), so a pointer to a
 * slot stays valid for as long as its user may run.
 *
 * With checksums, the chunk's checksum array goes into zram->csum_dir
 * before the chunk is published (by whichever writer publishes it), so
 * a chunk seen is a chunk whose checksums are there too.
 *
 * The slots are protected by their own slot locks, and so is each slot's
 * checksum entry.
 */
struct zram_chunk {
	struct zram_slot slots[ZRAM_CHUNK_SLOTS];
};

/*
 * Compression algorithms: the primary (priority 0) compresses every
 * write; up to three secondaries (priorities 1-3) recompress (see
 * zram_recomp.h). A slot records the priority that stored it.
 */
#define ZRAM_PRIMARY_COMP	0U
#define ZRAM_SECONDARY_COMP	1U
#define ZRAM_MAX_COMPS		4U

/*
 * One priority's configuration: comp_algorithm (or recomp_algorithm) and
 * algorithm_params.
 */
struct zram_comp_conf {
	const char *name;		/* canonical backend name; NULL: unset */
	struct zcomp_params params;	/* params.dict points into @dict */
	void *dict;			/* owned (vmalloc), or NULL */
};

struct zram_stats {
	atomic64_t compr_data_size;	/* bytes held by stored objects */
	atomic64_t failed_reads;
	atomic64_t failed_writes;
	atomic64_t notify_free;		/* swap free notifications + discards */
	atomic64_t same_pages;		/* slots holding a fill pattern */
	atomic64_t huge_pages;		/* slots stored raw */
	atomic64_t huge_pages_since;	/* raw stores since init */
	atomic64_t pages_stored;	/* allocated slots */
	atomic_long_t max_used_pages;	/* high-water mark of mem_used pages */
	atomic_long_t chunks;		/* slot table chunks allocated */
	atomic64_t writestall;		/* writes that needed a reclaiming alloc */
	atomic64_t miss_free;		/* free notifications lost to contention */
	atomic64_t checksum_errors;	/* reads that failed their checksum */
	atomic64_t bd_count;		/* backing blocks holding a slot */
	atomic64_t bd_reads;		/* pages read back from them */
	atomic64_t bd_writes;		/* pages written back to them */
	atomic64_t bd_write_errors;	/* writebacks the backing store failed */
	atomic64_t bd_read_errors;	/* read-backs it failed */
	atomic64_t bd_double_free;	/* blocks freed twice: must stay 0 */
};

/*
 * A zram device.
 *
 * init_lock, taken for writing, protects the transitions between the
 * uninitialised and initialised states (disksize, reset) and the
 * configuration fields marked [I]. Readers (sysfs show, compact, idle,
 * block_state) take it for reading so the metadata cannot go away
 * under them. The I/O path relies on the claim protocol instead; it
 * reads @nr_pages with acquire semantics, pairing with the release store
 * that publishes a fully built table, pool and compressor.
 */
struct zram {
	/*
	 * [I] The slot table's directory: nr_chunks entries, each NULL or
	 * a chunk. The array is [I]; an entry goes from NULL to a chunk
	 * once, by cmpxchg_release() (see struct zram_chunk), and back
	 * only in zram_teardown().
	 */
	struct zram_chunk **dir;
	/*
	 * [I] With checksums, nr_chunks entries, each NULL or a chunk's
	 * ZRAM_CHUNK_SLOTS checksums; set once, by cmpxchg(), before the
	 * chunk's own entry. NULL without checksums.
	 */
	u32 **csum_dir;
	unsigned long nr_chunks;	/* [I] */
	/* [I] bytes kmalloc gives a chunk, and its checksums if any */
	size_t chunk_alloc;
	struct hzs_pool *pool;		/* [I] */
	/* [I] One per configured priority, NULL for the others. */
	struct zcomp *comps[ZRAM_MAX_COMPS];
	struct gendisk *disk;
	struct rw_semaphore init_lock;
	u64 disksize;			/* [I] bytes; 0 = not initialised */
	unsigned long nr_pages;		/* [I] published last, see above */
	size_t huge_threshold;		/* [I] largest size stored packed */
	unsigned long limit_pages;	/* [I] 0 = no limit; READ_ONCE in I/O */
	/* [I] What comps[] are built from; conf[0].name is always set. */
	struct zram_comp_conf conf[ZRAM_MAX_COMPS];
	/*
	 * [I] Checksum every stored object: one xxh32 per slot over the
	 * bytes stored, seeded with the slot index, kept in the slot's
	 * chunk (zram_slot_csum()) and protected by the slot's lock.
	 */
	bool checksum;
	/*
	 * [I] The writeback store, or NULL: set by backing_dev before
	 * init, dropped by reset (zram_wb.h).
	 */
	struct zram_backing *backing;
	bool wb_compressed;		/* [I] write objects back as stored */
	u32 wb_batch_size;		/* writes in flight; READ_ONCE */
	/* Serialises writeback and recompression passes; under init_lock. */
	struct mutex pp_lock;
	spinlock_t wb_limit_lock;	/* protects the two fields below */
	bool wb_limit_enable;
	u64 wb_limit;			/* remaining, in 4K units */
	bool claim;			/* open_mutex: reset/remove in progress */
	int id;
	struct dentry *debugfs_dir;
	struct zram_stats stats;
#ifdef HZ_TEST_HOOKS
	atomic_t chunk_fail_nth;	/* zram_test_chunk_fail_nth() */
	atomic_t chunk_race;		/* zram_test_chunk_race_arm() */
#endif
};

/* ---- the slot table (see struct zram_chunk) ---- */

/*
 * The chunk holding slot @index, or NULL if none of its slots was ever
 * written. @index must be below nr_pages of a live (or owned) device.
 */
static inline struct zram_chunk *zram_chunk(struct zram *zram, u32 index)
{
	/* Pairs with the cmpxchg_release() in zram_chunk_get(). */
	return smp_load_acquire(&zram->dir[index / ZRAM_CHUNK_SLOTS]);
}

/* Slot @index, or NULL if its chunk is absent (the slot is empty). */
static inline struct zram_slot *zram_slot_get(struct zram *zram, u32 index)
{
	struct zram_chunk *chunk = zram_chunk(zram, index);

	return chunk ? &chunk->slots[index % ZRAM_CHUNK_SLOTS] : NULL;
}

/*
 * Slot @index, whose chunk is known to be present: its caller holds the
 * slot lock, or made sure of the chunk (zram_chunk_get()) before.
 */
static inline struct zram_slot *zram_slot(struct zram *zram, u32 index)
{
	return &zram_chunk(zram, index)->slots[index % ZRAM_CHUNK_SLOTS];
}

/* Slot @index's checksum entry; the device keeps checksums, chunk present. */
static inline u32 *zram_slot_csum(struct zram *zram, u32 index)
{
	/* Set before the chunk the caller's slot lock lives in was seen. */
	return &READ_ONCE(zram->csum_dir[index / ZRAM_CHUNK_SLOTS])
		[index % ZRAM_CHUNK_SLOTS];
}

/*
 * The first slot at or after @index whose chunk is present, or @end:
 * iterators step over absent chunks with one load each, which is what
 * makes them fast on a sparse device. Chunks only appear while the
 * device is live, so a walk may miss a chunk published behind it, whose
 * slots were empty when the walk started: as good as a walk of a flat
 * table that raced with those writes.
 */
static inline unsigned long zram_slot_next(struct zram *zram,
					   unsigned long index,
					   unsigned long end)
{
	unsigned long step;

	for (;;) {
		if (index >= end)
			return end;
		/* Pairs with the cmpxchg_release() in zram_chunk_get(). */
		if (smp_load_acquire(&zram->dir[index / ZRAM_CHUNK_SLOTS]))
			return index;
		step = ZRAM_CHUNK_SLOTS - index % ZRAM_CHUNK_SLOTS;
		/* The last chunk: index + step must not wrap on 32-bit. */
		if (step >= end - index)
			return end;
		index += step;
	}
}

/* Bytes of memory the slot table's chunks hold (see mm_stat). */
static inline u64 zram_chunk_bytes(struct zram *zram)
{
	return (u64)atomic_long_read(&zram->stats.chunks) * zram->chunk_alloc;
}

/* ---- slot accessors: all require the slot lock ---- */

static inline size_t zram_slot_size(const struct zram_slot *slot)
{
	return slot->flags & ZRAM_SIZE_MASK;
}

static inline void zram_slot_set_size(struct zram_slot *slot, size_t size)
{
	slot->flags = (slot->flags & ~ZRAM_SIZE_MASK) | size;
}

static inline bool zram_slot_test(const struct zram_slot *slot,
				  enum zram_slot_flag flag)
{
	return slot->flags & BIT(flag);
}

static inline void zram_slot_set(struct zram_slot *slot,
				 enum zram_slot_flag flag)
{
	slot->flags |= BIT(flag);
}

static inline void zram_slot_clear(struct zram_slot *slot,
				   enum zram_slot_flag flag)
{
	slot->flags &= ~BIT(flag);
}

static inline u32 zram_slot_prio(const struct zram_slot *slot)
{
	return (slot->flags >> ZRAM_PRIO_BIT0) & (ZRAM_MAX_COMPS - 1);
}

static inline void zram_slot_set_prio(struct zram_slot *slot, u32 prio)
{
	slot->flags &= ~(BIT(ZRAM_PRIO_BIT0) | BIT(ZRAM_PRIO_BIT1));
	slot->flags |= (prio & (ZRAM_MAX_COMPS - 1)) << ZRAM_PRIO_BIT0;
}

/* The compressor that stored @slot's object; NULL if none has its priority. */
static inline struct zcomp *zram_slot_comp(struct zram *zram,
					   const struct zram_slot *slot)
{
	return zram->comps[zram_slot_prio(slot)];
}

static inline bool zram_slot_allocated(const struct zram_slot *slot)
{
	return zram_slot_size(slot) || zram_slot_test(slot, ZRAM_SAME) ||
	       zram_slot_test(slot, ZRAM_WB);
}

static inline u32 zram_slot_actime(const struct zram_slot *slot)
{
	return slot->ac_time;
}

static inline void zram_slot_set_actime(struct zram_slot *slot, u32 t)
{
	slot->ac_time = t;
}

/*
 * A sysfs store sees its bytes as a C string. Bytes after an embedded
 * NUL would be silently ignored, so treat such input as malformed; a
 * trailing NUL (a C caller writing sizeof(str) bytes) is fine.
 */
static inline bool zram_input_ok(const char *buf, size_t len)
{
	size_t n = strnlen(buf, len);

	return !memchr_inv(buf + n, 0, len - n);
}

static inline bool zram_init_done(struct zram *zram)
{
	return zram->disksize;
}

/* ---- zram_io.c ---- */

/* A new slot content, built before the slot lock is taken. */
struct zram_obj {
	u32 handle;		/* pool handle, or fill pattern */
	size_t size;		/* bytes stored, 0 for a pattern */
	/* BIT(ZRAM_SAME), BIT(ZRAM_HUGE), priority bits, or 0 */
	u32 flags;
	u32 csum;		/* of the stored bytes, if zram->checksum */
};

int zram_obj_alloc(struct zram *zram, unsigned int len, bool reclaim,
		   unsigned long *handle);
int zram_obj_fill(struct zram *zram, unsigned long handle, const void *buf,
		  unsigned int len, u32 index, struct zram_obj *obj);
void zram_slot_install(struct zram *zram, u32 index,
		       const struct zram_obj *obj);
void zram_slot_lock(struct zram *zram, u32 index);
bool zram_slot_trylock(struct zram *zram, u32 index);
void zram_slot_unlock(struct zram *zram, u32 index);
void zram_slot_handoff(struct zram *zram, u32 index);
void zram_slot_unlock_io(struct zram *zram, u32 index);
u32 zram_now(void);
u32 zram_csum(const void *buf, size_t len, u32 index);

int zram_table_alloc(struct zram *zram, unsigned long nr_pages);
void zram_table_free(struct zram *zram);
int zram_chunk_get(struct zram *zram, u32 index);
unsigned long zram_mem_used_pages(struct zram *zram);
void zram_slot_free(struct zram *zram, u32 index);
int zram_read_locked(struct zram *zram, u32 index, struct page *page,
		     bool quiet);
int zram_read_refused(struct zram *zram, u32 index, unsigned long handle,
		      const char *why);
int zram_csum_check(struct zram *zram, u32 index, const void *buf,
		    size_t len);
void zram_mark_idle(struct zram *zram, s64 cutoff);
void zram_update_used_max(struct zram *zram, unsigned long pages);

void zram_submit_bio(struct bio *bio);
int zram_rw_page(struct block_device *bdev, sector_t sector,
		 struct page *page, enum req_op op);
void zram_swap_slot_free_notify(struct block_device *bdev,
				unsigned long index);

/* ---- zram_drv.c ---- */
void zram_init_struct(struct zram *zram, int id);
int zram_init_device(struct zram *zram, u64 disksize);
int zram_reset(struct zram *zram);

/* ---- zram_sysfs.c ---- */
const struct attribute_group **zram_sysfs_groups(void);
int zram_parse_size(const char *buf, u64 *size);

/*
 * Parsed form of an algorithm_params write: "[priority=N] [algo=NAME]
 * [level=N] [dict=PATH] [deflate.winbits=N]" in any order. @dict points
 * into @copy, which the caller frees with kfree().
 */
struct zram_algo_params {
	const char *algo;	/* canonical name, or NULL if not given */
	s32 prio;		/* -1 if not given */
	s32 level;		/* ZCOMP_NO_LEVEL if not given */
	s32 winbits;		/* ZCOMP_NO_LEVEL if not given */
	const char *dict;	/* a path, or NULL if not given */
	char *copy;
};

int zram_parse_algo_params(const char *buf, struct zram_algo_params *p);
void zram_comp_conf_reset(struct zram_comp_conf *conf);
int zram_parse_bool(const char *buf, bool *val);
int zram_parse_writeback(const char *buf, u32 nr_pages,
			 int (*scan)(void *ctx, unsigned int mode, u32 first,
				     u32 last),
			 void *ctx);

/* ---- zram_debugfs.c: block_state, verify ---- */
#ifdef CONFIG_DEBUG_FS
void zram_debugfs_module_init(void);
void zram_debugfs_module_exit(void);
void zram_debugfs_register(struct zram *zram);
void zram_debugfs_unregister(struct zram *zram);
long zram_verify(struct zram *zram, struct seq_file *m);
#else
static inline void zram_debugfs_module_init(void) {}
static inline void zram_debugfs_module_exit(void) {}
static inline void zram_debugfs_register(struct zram *zram) {}
static inline void zram_debugfs_unregister(struct zram *zram) {}
#endif

/* ---- zram_test_hooks.c: test builds only (see Kbuild) ---- */
#ifdef HZ_TEST_HOOKS
int zram_corrupt_slot(struct zram *zram, u32 index);
void zram_test_hooks_debugfs(struct zram *zram);
void zram_test_chunk_fail_nth(struct zram *zram, unsigned int nth);
bool zram_test_chunk_fail(struct zram *zram);
void zram_test_chunk_race_arm(struct zram *zram);
void zram_test_chunk_race(struct zram *zram, u32 index);
#else
static inline void zram_test_hooks_debugfs(struct zram *zram) {}
static inline bool zram_test_chunk_fail(struct zram *zram)
{
	return false;
}

static inline void zram_test_chunk_race(struct zram *zram, u32 index) {}
#endif

#if IS_ENABLED(CONFIG_KUNIT)
/* Internals visible to zram_kunit.ko only (namespace HZRAM_KUNIT). */
void zram_set_defaults(struct zram *zram);
int zram_setup(struct zram *zram, u64 disksize);
void zram_teardown(struct zram *zram);
bool zram_page_same_filled(const void *mem, u32 *pattern);
int zram_read_page(struct zram *zram, struct page *page, u32 index);
int zram_bvec_read(struct zram *zram, struct bio_vec *bv, u32 index,
		   u32 offset, struct bio *parent);
int zram_write_page(struct zram *zram, struct page *page, u32 index);
int zram_bvec_write(struct zram *zram, struct bio_vec *bv, u32 index,
		    u32 offset);
void zram_discard_page(struct zram *zram, u32 index);
bool zram_free_notify(struct zram *zram, unsigned long index);
#endif

#endif /* _HZRAM_ZRAM_DRV_H */
