/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hzram compression backends: lzo, lzo-rle, lz4, lz4hc, zstd, deflate and
 * 842, driven through the kernel's lib/ compressors directly (no crypto
 * API), so the same code runs on every supported kernel. deflate and 842
 * exist only where the kernel was built with their library.
 */
#ifndef _HZRAM_ZCOMP_H
#define _HZRAM_ZCOMP_H

#include <linux/types.h>
#include <linux/mutex.h>
#include <linux/list.h>
#include <linux/limits.h>
#include <asm/page.h>

/* "No level given": the backend picks its own default. */
#define ZCOMP_NO_LEVEL		S32_MIN

/* Largest dictionary algorithm_params accepts (zstd's trainer makes ~100K). */
#define ZCOMP_DICT_MAX		(4 << 20)

/*
 * How one compressor is set up. @level and @winbits are ZCOMP_NO_LEVEL
 * for "the backend's default". @dict is borrowed: its owner (the device's
 * configuration) keeps it until every zcomp created with it is gone.
 */
struct zcomp_params {
	s32 level;
	s32 winbits;		/* deflate's window, log2 bytes */
	const void *dict;
	size_t dict_sz;
};

static inline void zcomp_params_init(struct zcomp_params *p)
{
	p->level = ZCOMP_NO_LEVEL;
	p->winbits = ZCOMP_NO_LEVEL;
	p->dict = NULL;
	p->dict_sz = 0;
}

/* Compressed output may exceed the input; the scratch buffer allows that. */
#define ZCOMP_BUF_SIZE		(2 * PAGE_SIZE)

struct zcomp_backend;

/*
 * One compression stream per CPU, in alloc_percpu() memory.
 *
 * @lock protects everything below it and is held for the whole of a
 * compression or decompression, so a task may sleep or migrate while it
 * owns a stream: migrating just means it keeps using another CPU's
 * stream. The CPU hotplug callbacks take it too, to attach or detach the
 * buffers. Lock order: zram slot lock -> @lock -> allocator locks.
 */
struct zcomp_strm {
	struct mutex lock;	/* owns the stream: fields below + use */
	void *buffer;		/* ZCOMP_BUF_SIZE scratch, NULL if CPU down */
	void *cwork;		/* backend compression workspace */
	void *dwork;		/* backend decompression workspace */
	/* Backend contexts inside cwork and dwork, from its strm_init. */
	void *cctx;
	void *dctx;
};

struct zcomp {
	struct zcomp_strm __percpu *strm;
	const struct zcomp_backend *be;
	/* Resolved: level and winbits are never ZCOMP_NO_LEVEL here. */
	struct zcomp_params params;
	void *priv;		/* backend data shared by all streams */
	struct hlist_node cpuhp_node;
};

int zcomp_module_init(void);
void zcomp_module_exit(void);

/* Canonical name of a backend, or NULL if @name names none. */
const char *zcomp_lookup(const char *name);
/* 0 if @level is acceptable for @name (ZCOMP_NO_LEVEL always is). */
int zcomp_check_level(const char *name, s32 level);
/*
 * 0 if @p can set up @name: the level, the window and, with a dictionary,
 * whether this backend on this kernel can use one (-EOPNOTSUPP if not).
 */
int zcomp_check_params(const char *name, const struct zcomp_params *p);
/* Upstream list format: every name and a space, @cur in brackets. */
ssize_t zcomp_available_show(const char *cur, char *buf, int at);

struct zcomp *zcomp_create(const char *name, const struct zcomp_params *p);
/*
 * The streams' memory, over the CPUs that have one: what was asked for
 * (scratch buffer and workspaces) and what the allocators really took.
 */
void zcomp_footprint(const struct zcomp *comp, size_t *asked, size_t *taken);
void zcomp_destroy(struct zcomp *comp);

/* Returns a stream with ->lock held; may sleep. */
struct zcomp_strm *zcomp_stream_get(struct zcomp *comp);
void zcomp_stream_put(struct zcomp_strm *strm);

/*
 * Compress one page from @src into strm->buffer; *@dst_len is set to the
 * compressed size. A non-zero return means the page could not be
 * compressed and must be stored raw.
 */
int zcomp_compress(struct zcomp *comp, struct zcomp_strm *strm,
		   const void *src, unsigned int *dst_len);
/*
 * Decompress @src_len bytes into the page at @dst. Fails with -EIO unless
 * exactly one page comes out; never reads or writes out of bounds.
 */
int zcomp_decompress(struct zcomp *comp, struct zcomp_strm *strm,
		     const void *src, unsigned int src_len, void *dst);

#endif /* _HZRAM_ZCOMP_H */
