/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hzram recompression (zram_recomp.c): stored objects compressed again
 * with a secondary algorithm (recomp_algorithm, priorities 1-3), kept
 * only where that saves memory.
 *
 * A pass holds init_lock for reading and zram->pp_lock (one
 * post-processing pass at a time, as writeback), then works slot by
 * slot under each slot's lock, so a read, overwrite, free, discard or
 * writeback of a slot either happens before its recompression or waits
 * for it. No lock of its own.
 */
#ifndef _HZRAM_ZRAM_RECOMP_H
#define _HZRAM_ZRAM_RECOMP_H

#include <linux/types.h>

struct zram;

#define ZRAM_RECOMP_IDLE	0x1	/* only slots marked idle */
#define ZRAM_RECOMP_HUGE	0x2	/* only slots stored raw */

/* A parsed write to "recompress". */
struct zram_recomp_req {
	unsigned int mode;	/* ZRAM_RECOMP_* bits; 0: any slot */
	/*
	 * Only objects of at least @threshold bytes, and a result is kept
	 * only if it is below it too; 0: no threshold.
	 */
	u32 threshold;
	u64 max_pages;		/* slots it may try; U64_MAX: no limit */
	const char *algo;	/* only this secondary (canonical), or NULL */
	u32 prio;		/* first priority to try */
	u32 prio_max;		/* one past the last */
};

/* What a pass did, for tests and the kernel log. */
struct zram_recomp_result {
	u64 tried;		/* slots compressed again */
	u64 recompressed;	/* of them, now stored smaller */
	u64 incompressible;	/* of them, newly marked incompressible */
	u64 failed;		/* slots that could not be read */
};

int zram_parse_recompress(const char *buf, struct zram_recomp_req *req);
int zram_parse_recomp_algorithm(const char *buf, const char **algo,
				u32 *prio);
/* init_lock held for reading, device initialised. */
int zram_recompress(struct zram *zram, const struct zram_recomp_req *req,
		    struct zram_recomp_result *res);

#endif /* _HZRAM_ZRAM_RECOMP_H */
