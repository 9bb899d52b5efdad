// SPDX-License-Identifier: GPL-2.0
/*
 * hzram compression backends.
 *
 * Every backend is a thin adapter over a kernel lib/ compressor. Going
 * through lib/ rather than the crypto API keeps the behaviour and the
 * set of algorithms identical on every supported kernel, and lets us
 * size each workspace ourselves.
 *
 * Lock order (see also zram_drv.h): zram slot lock -> zcomp_strm.lock.
 * The CPU hotplug callbacks run under the hotplug lock and take only
 * zcomp_strm.lock, and never allocate while holding it.
 */

#define pr_fmt(fmt) "zram: " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/percpu.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/vmalloc.h>
#include <linux/lzo.h>
#include <linux/lz4.h>
#include <linux/zstd.h>
#include <linux/zlib.h>
#include <linux/sw842.h>

#include "hz_compat.h"
#include "hz_kunit.h"
#include "zcomp.h"

/* LZ4's own upper bound on acceleration; beyond it nothing changes. */
#define HZ_LZ4_ACCEL_MAX	65537
/* zstd's documented default level (zstd_default_clevel() is not in 6.1). */
#define HZ_ZSTD_DEFAULT_LEVEL	3

struct zcomp_backend {
	const char *name;
	/* Valid level range and default; ignored when !has_level. */
	bool has_level;
	s32 (*min_level)(void);
	s32 (*max_level)(void);
	s32 default_level;
	/* Takes a dictionary (algorithm_params dict=); may depend on the kernel. */
	bool (*has_dict)(void);
	/* Optional: data shared by all streams of one zcomp. */
	int (*setup)(struct zcomp *comp);
	void (*teardown)(struct zcomp *comp);
	/* Workspace sizes; 0 means none. */
	size_t (*cwork_size)(const struct zcomp *comp);
	size_t (*dwork_size)(const struct zcomp *comp);
	/* Optional: set up a new stream's workspaces, once. */
	int (*strm_init)(const struct zcomp *comp, struct zcomp_strm *strm);
	int (*compress)(const struct zcomp *comp, struct zcomp_strm *strm,
			const void *src, void *dst, unsigned int *dst_len);
	int (*decompress)(const struct zcomp *comp, struct zcomp_strm *strm,
			  const void *src, unsigned int src_len, void *dst);
};

static bool zcomp_dict_always(void)
{
	return true;
}

/*
 * Workspaces run to hundreds of KiB (lz4hc's is 256 KiB, zstd's
 * contexts 100-300 KiB), one set per CPU. kvmalloc() tries kmalloc
 * first, which serves anything past two pages from the page allocator
 * as a power-of-two run: up to twice the size. Where that rounding would
 * cost a page or more, vmalloc, which rounds to a page, takes it.
 */
static void *zcomp_work_alloc(size_t size, int node, bool zero)
{
	if (kmalloc_size_roundup(size) >= PAGE_ALIGN(size) + PAGE_SIZE)
		return zero ? vzalloc_node(size, node) :
			      vmalloc_node(size, node);
	return kvmalloc_node(size, GFP_KERNEL | (zero ? __GFP_ZERO : 0), node);
}

/* ------------------------------ lzo ---------------------------------- */

static size_t lzo_cwork_size(const struct zcomp *comp)
{
	return LZO1X_MEM_COMPRESS;
}

static int lzo_compress(const struct zcomp *comp, struct zcomp_strm *strm,
			const void *src, void *dst, unsigned int *dst_len)
{
	size_t len = ZCOMP_BUF_SIZE;
	int ret;

	ret = lzo1x_1_compress(src, PAGE_SIZE, dst, &len, strm->cwork);
	if (ret != LZO_E_OK || len > ZCOMP_BUF_SIZE)
		return -EINVAL;
	*dst_len = len;
	return 0;
}

static int lzorle_compress(const struct zcomp *comp, struct zcomp_strm *strm,
			   const void *src, void *dst, unsigned int *dst_len)
{
	size_t len = ZCOMP_BUF_SIZE;
	int ret;

	ret = lzorle1x_1_compress(src, PAGE_SIZE, dst, &len, strm->cwork);
	if (ret != LZO_E_OK || len > ZCOMP_BUF_SIZE)
		return -EINVAL;
	*dst_len = len;
	return 0;
}

/* One decompressor reads both formats: lzo-rle is marked in the stream. */
static int lzo_decompress(const struct zcomp *comp, struct zcomp_strm *strm,
			  const void *src, unsigned int src_len, void *dst)
{
	size_t len = PAGE_SIZE;
	int ret;

	ret = lzo1x_decompress_safe(src, src_len, dst, &len);
	if (ret != LZO_E_OK || len != PAGE_SIZE)
		return -EIO;
	return 0;
}

/* ------------------------------ lz4 ---------------------------------- */

/*
 * With a dictionary, lz4 and lz4hc load it once, at setup, into a
 * template stream kept in comp->priv; each compression starts from a
 * copy of it. Loading the dictionary for every page, as the obvious
 * code would, hashes up to 64 KiB per page (lz4 only ever uses the last
 * 64 KiB of a dictionary, and so does its decompressor).
 */

static s32 lz4_min_level(void)
{
	return 1;
}

static s32 lz4_max_level(void)
{
	return HZ_LZ4_ACCEL_MAX;
}

static int lz4_be_setup(struct zcomp *comp)
{
	LZ4_stream_t *tmpl;

	if (!comp->params.dict_sz)
		return 0;
	tmpl = zcomp_work_alloc(sizeof(*tmpl), NUMA_NO_NODE, true);
	if (!tmpl)
		return -ENOMEM;
	LZ4_loadDict(tmpl, comp->params.dict, comp->params.dict_sz);
	comp->priv = tmpl;
	return 0;
}

static void lz4_be_teardown(struct zcomp *comp)
{
	kvfree(comp->priv);
	comp->priv = NULL;
}

static size_t lz4_cwork_size(const struct zcomp *comp)
{
	return sizeof(LZ4_stream_t);
}

/* For lz4 the "level" is the acceleration factor, as upstream zram has it. */
static int lz4_compress(const struct zcomp *comp, struct zcomp_strm *strm,
			const void *src, void *dst, unsigned int *dst_len)
{
	int len;

	if (comp->priv) {
		memcpy(strm->cwork, comp->priv, sizeof(LZ4_stream_t));
		len = LZ4_compress_fast_continue(strm->cwork, src, dst,
						 PAGE_SIZE, ZCOMP_BUF_SIZE,
						 comp->params.level);
	} else {
		len = LZ4_compress_fast(src, dst, PAGE_SIZE, ZCOMP_BUF_SIZE,
					comp->params.level, strm->cwork);
	}
	if (len <= 0)
		return -EINVAL;
	*dst_len = len;
	return 0;
}

/* Shared by lz4 and lz4hc: one format. */
static int lz4_decompress(const struct zcomp *comp, struct zcomp_strm *strm,
			  const void *src, unsigned int src_len, void *dst)
{
	int len;

	if (src_len > INT_MAX)
		return -EIO;
	if (comp->params.dict_sz)
		len = LZ4_decompress_safe_usingDict(src, dst, src_len,
						    PAGE_SIZE,
						    comp->params.dict,
						    comp->params.dict_sz);
	else
		len = LZ4_decompress_safe(src, dst, src_len, PAGE_SIZE);
	if (len != PAGE_SIZE)
		return -EIO;
	return 0;
}

/* ----------------------------- lz4hc --------------------------------- */

static s32 lz4hc_max_level(void)
{
	return LZ4HC_MAX_CLEVEL;
}

static int lz4hc_be_setup(struct zcomp *comp)
{
	LZ4_streamHC_t *tmpl;

	if (!comp->params.dict_sz)
		return 0;
	tmpl = zcomp_work_alloc(sizeof(*tmpl), NUMA_NO_NODE, true);
	if (!tmpl)
		return -ENOMEM;
	hz_lz4hc_reset(tmpl, comp->params.level);
	LZ4_loadDictHC(tmpl, comp->params.dict, comp->params.dict_sz);
	comp->priv = tmpl;
	return 0;
}

static size_t lz4hc_cwork_size(const struct zcomp *comp)
{
	return sizeof(LZ4_streamHC_t);
}

static int lz4hc_compress(const struct zcomp *comp, struct zcomp_strm *strm,
			  const void *src, void *dst, unsigned int *dst_len)
{
	int len;

	if (comp->priv) {
		memcpy(strm->cwork, comp->priv, sizeof(LZ4_streamHC_t));
		len = LZ4_compress_HC_continue(strm->cwork, src, dst,
					       PAGE_SIZE, ZCOMP_BUF_SIZE);
	} else {
		len = LZ4_compress_HC(src, dst, PAGE_SIZE, ZCOMP_BUF_SIZE,
				      comp->params.level, strm->cwork);
	}
	if (len <= 0)
		return -EINVAL;
	*dst_len = len;
	return 0;
}

/* ------------------------------ zstd --------------------------------- */

struct zstd_be_priv {
	zstd_parameters params;		/* without a dictionary */
	bool dict;			/* @zd is set up */
	struct hz_zstd_dict zd;
};

static s32 zstd_min_level(void)
{
	return zstd_min_clevel();
}

static s32 zstd_max_level(void)
{
	return zstd_max_clevel();
}

static bool zstd_has_dict(void)
{
	return HZ_ZSTD_DICT;
}

/* Parameters tuned for one-page inputs keep the workspaces small. */
static int zstd_be_setup(struct zcomp *comp)
{
	struct zstd_be_priv *zp;
	int ret;

	zp = kzalloc(sizeof(*zp), GFP_KERNEL);
	if (!zp)
		return -ENOMEM;
	zp->params = zstd_get_params(comp->params.level, PAGE_SIZE);
	if (comp->params.dict_sz) {
		ret = hz_zstd_dict_create(&zp->zd, comp->params.level,
					  PAGE_SIZE, comp->params.dict,
					  comp->params.dict_sz);
		if (ret) {
			kfree(zp);
			return ret;
		}
		zp->dict = true;
	}
	comp->priv = zp;
	return 0;
}

static void zstd_be_teardown(struct zcomp *comp)
{
	struct zstd_be_priv *zp = comp->priv;

	if (zp && zp->dict)
		hz_zstd_dict_free(&zp->zd);
	kfree(zp);
	comp->priv = NULL;
}

static size_t zstd_cwork_size(const struct zcomp *comp)
{
	const struct zstd_be_priv *zp = comp->priv;

	if (zp->dict)
		return hz_zstd_dict_cwork(&zp->zd);
	return zstd_cctx_workspace_bound(&zp->params.cParams);
}

static size_t zstd_dwork_size(const struct zcomp *comp)
{
	return zstd_dctx_workspace_bound();
}

/*
 * A stream's contexts are set up once and reused: every compression
 * call starts a new frame, so nothing carries over from the last one (a
 * failed one included), and a reused context skips clearing zstd's match
 * tables, which initialising one for every page cost: about 5 % of a
 * zstd write in the profile of 96-bench-profile.
 */
static int zstd_strm_init(const struct zcomp *comp, struct zcomp_strm *strm)
{
	strm->cctx = zstd_init_cctx(strm->cwork, zstd_cwork_size(comp));
	strm->dctx = zstd_init_dctx(strm->dwork, zstd_dwork_size(comp));
	return strm->cctx && strm->dctx ? 0 : -ENOMEM;
}

static int zstd_be_compress(const struct zcomp *comp, struct zcomp_strm *strm,
			    const void *src, void *dst, unsigned int *dst_len)
{
	const struct zstd_be_priv *zp = comp->priv;
	zstd_cctx *cctx = strm->cctx;
	size_t len;

	if (zp->dict)
		len = hz_zstd_compress_dict(cctx, dst, ZCOMP_BUF_SIZE, src,
					    PAGE_SIZE, &zp->zd);
	else
		len = zstd_compress_cctx(cctx, dst, ZCOMP_BUF_SIZE, src,
					 PAGE_SIZE, &zp->params);
	if (zstd_is_error(len) || !len || len > ZCOMP_BUF_SIZE)
		return -EINVAL;
	*dst_len = len;
	return 0;
}

static int zstd_be_decompress(const struct zcomp *comp,
			      struct zcomp_strm *strm, const void *src,
			      unsigned int src_len, void *dst)
{
	const struct zstd_be_priv *zp = comp->priv;
	zstd_dctx *dctx = strm->dctx;
	size_t len;

	if (zp->dict)
		len = hz_zstd_decompress_dict(dctx, dst, PAGE_SIZE, src,
					      src_len, &zp->zd);
	else
		len = zstd_decompress_dctx(dctx, dst, PAGE_SIZE, src, src_len);
	if (zstd_is_error(len) || len != PAGE_SIZE)
		return -EIO;
	return 0;
}

/* ----------------------------- deflate ------------------------------- */

/*
 * deflate.winbits, as upstream's (7.0): a negative window writes raw
 * deflate, a positive one zlib-wrapped streams; the default is raw with
 * a 2 KiB window (a page is only 4 KiB, and the workspace grows with the
 * window). zlib takes 9 to 15 either way, and BUG()s on anything else,
 * so anything else is refused here.
 */
#define HZ_DEFLATE_WINBITS_DEF	(-11)
#define HZ_DEFLATE_WINBITS_MIN	9
#define HZ_DEFLATE_WINBITS_MAX	15

#if IS_REACHABLE(CONFIG_ZLIB_DEFLATE) && IS_REACHABLE(CONFIG_ZLIB_INFLATE)
#define HZ_HAVE_DEFLATE	1

static s32 deflate_min_level(void)
{
	return Z_DEFAULT_COMPRESSION;	/* -1: zlib's own default, 6 */
}

static s32 deflate_max_level(void)
{
	return Z_BEST_COMPRESSION;
}

/*
 * The z_stream lives at the start of each workspace; the rest is zlib's.
 * Both are set up again for every call (zlib's reset would zero the
 * same hash table), so a failed call leaves nothing behind.
 */
static size_t deflate_cwork_size(const struct zcomp *comp)
{
	return ALIGN(sizeof(struct z_stream_s), 16) +
	       zlib_deflate_workspacesize(comp->params.winbits, MAX_MEM_LEVEL);
}

static size_t deflate_dwork_size(const struct zcomp *comp)
{
	return ALIGN(sizeof(struct z_stream_s), 16) +
	       zlib_inflate_workspacesize();
}

static int deflate_compress(const struct zcomp *comp, struct zcomp_strm *strm,
			    const void *src, void *dst, unsigned int *dst_len)
{
	struct z_stream_s *zs = strm->cwork;
	int ret;

	memset(zs, 0, sizeof(*zs));
	zs->workspace = strm->cwork + ALIGN(sizeof(*zs), 16);
	ret = zlib_deflateInit2(zs, comp->params.level, Z_DEFLATED,
				comp->params.winbits, MAX_MEM_LEVEL,
				Z_DEFAULT_STRATEGY);
	if (ret != Z_OK)
		return -EINVAL;
	zs->next_in = src;
	zs->avail_in = PAGE_SIZE;
	zs->next_out = dst;
	zs->avail_out = ZCOMP_BUF_SIZE;
	ret = zlib_deflate(zs, Z_FINISH);
	zlib_deflateEnd(zs);
	if (ret != Z_STREAM_END || !zs->total_out)
		return -EINVAL;
	*dst_len = zs->total_out;
	return 0;
}

static int deflate_decompress(const struct zcomp *comp,
			      struct zcomp_strm *strm, const void *src,
			      unsigned int src_len, void *dst)
{
	struct z_stream_s *zs = strm->dwork;
	int ret;

	memset(zs, 0, sizeof(*zs));
	zs->workspace = strm->dwork + ALIGN(sizeof(*zs), 16);
	/* The largest window reads a stream written with any smaller one. */
	if (zlib_inflateInit2(zs, comp->params.winbits < 0 ? -MAX_WBITS :
			      MAX_WBITS) != Z_OK)
		return -EIO;
	zs->next_in = src;
	zs->avail_in = src_len;
	zs->next_out = dst;
	zs->avail_out = PAGE_SIZE;
	ret = zlib_inflate(zs, Z_FINISH);
	zlib_inflateEnd(zs);
	if (ret != Z_STREAM_END || zs->total_out != PAGE_SIZE)
		return -EIO;
	return 0;
}
#else
#define HZ_HAVE_DEFLATE	0
#endif

/* ------------------------------- 842 --------------------------------- */

#if IS_REACHABLE(CONFIG_842_COMPRESS) && IS_REACHABLE(CONFIG_842_DECOMPRESS)
#define HZ_HAVE_842	1

static size_t sw842_cwork_size(const struct zcomp *comp)
{
	return SW842_MEM_COMPRESS;
}

static int sw842_be_compress(const struct zcomp *comp,
			     struct zcomp_strm *strm, const void *src,
			     void *dst, unsigned int *dst_len)
{
	unsigned int len = ZCOMP_BUF_SIZE;

	if (sw842_compress(src, PAGE_SIZE, dst, &len, strm->cwork) || !len)
		return -EINVAL;
	*dst_len = len;
	return 0;
}

static int sw842_be_decompress(const struct zcomp *comp,
			       struct zcomp_strm *strm, const void *src,
			       unsigned int src_len, void *dst)
{
	unsigned int len = PAGE_SIZE;

	if (sw842_decompress(src, src_len, dst, &len) || len != PAGE_SIZE)
		return -EIO;
	return 0;
}
#else
#define HZ_HAVE_842	0
#endif

/* ---------------------------- registry ------------------------------- */

/*
 * Listed in the order the comp_algorithm file shows them: the crypto-era
 * list (6.1's), with the backends 6.12 added after it.
 */
static const struct zcomp_backend zcomp_backends[] = {
	{
		.name		= "lzo",
		.cwork_size	= lzo_cwork_size,
		.compress	= lzo_compress,
		.decompress	= lzo_decompress,
	},
	{
		.name		= "lzo-rle",
		.cwork_size	= lzo_cwork_size,
		.compress	= lzorle_compress,
		.decompress	= lzo_decompress,
	},
	{
		.name		= "lz4",
		.has_level	= true,
		.min_level	= lz4_min_level,
		.max_level	= lz4_max_level,
		.default_level	= LZ4_ACCELERATION_DEFAULT,
		.has_dict	= zcomp_dict_always,
		.setup		= lz4_be_setup,
		.teardown	= lz4_be_teardown,
		.cwork_size	= lz4_cwork_size,
		.compress	= lz4_compress,
		.decompress	= lz4_decompress,
	},
	{
		.name		= "lz4hc",
		.has_level	= true,
		.min_level	= lz4_min_level,
		.max_level	= lz4hc_max_level,
		.default_level	= LZ4HC_DEFAULT_CLEVEL,
		.has_dict	= zcomp_dict_always,
		.setup		= lz4hc_be_setup,
		.teardown	= lz4_be_teardown,
		.cwork_size	= lz4hc_cwork_size,
		.compress	= lz4hc_compress,
		.decompress	= lz4_decompress,
	},
	{
		.name		= "zstd",
		.has_level	= true,
		.min_level	= zstd_min_level,
		.max_level	= zstd_max_level,
		.default_level	= HZ_ZSTD_DEFAULT_LEVEL,
		.has_dict	= zstd_has_dict,
		.setup		= zstd_be_setup,
		.teardown	= zstd_be_teardown,
		.cwork_size	= zstd_cwork_size,
		.dwork_size	= zstd_dwork_size,
		.strm_init	= zstd_strm_init,
		.compress	= zstd_be_compress,
		.decompress	= zstd_be_decompress,
	},
#if HZ_HAVE_DEFLATE
	{
		.name		= "deflate",
		.has_level	= true,
		.min_level	= deflate_min_level,
		.max_level	= deflate_max_level,
		.default_level	= Z_DEFAULT_COMPRESSION,
		.cwork_size	= deflate_cwork_size,
		.dwork_size	= deflate_dwork_size,
		.compress	= deflate_compress,
		.decompress	= deflate_decompress,
	},
#endif
#if HZ_HAVE_842
	{
		.name		= "842",
		.cwork_size	= sw842_cwork_size,
		.compress	= sw842_be_compress,
		.decompress	= sw842_be_decompress,
	},
#endif
};

static const struct zcomp_backend *zcomp_find(const char *name)
{
	int i;

	if (!name)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(zcomp_backends); i++)
		if (sysfs_streq(name, zcomp_backends[i].name))
			return &zcomp_backends[i];
	return NULL;
}

const char *zcomp_lookup(const char *name)
{
	const struct zcomp_backend *be = zcomp_find(name);

	return be ? be->name : NULL;
}

HZ_EXPORT_IF_KUNIT(zcomp_lookup);

int zcomp_check_level(const char *name, s32 level)
{
	const struct zcomp_backend *be = zcomp_find(name);

	if (!be)
		return -EINVAL;
	/* Like upstream, a level for a level-less backend is ignored. */
	if (level == ZCOMP_NO_LEVEL || !be->has_level)
		return 0;
	if (level < be->min_level() || level > be->max_level())
		return -EINVAL;
	return 0;
}

HZ_EXPORT_IF_KUNIT(zcomp_check_level);

int zcomp_check_params(const char *name, const struct zcomp_params *p)
{
	const struct zcomp_backend *be = zcomp_find(name);
	int ret;

	ret = zcomp_check_level(name, p->level);
	if (ret)
		return ret;
	/* Only deflate has a window; others ignore it, as a level. */
	if (p->winbits != ZCOMP_NO_LEVEL && !strcmp(be->name, "deflate") &&
	    (abs(p->winbits) < HZ_DEFLATE_WINBITS_MIN ||
	     abs(p->winbits) > HZ_DEFLATE_WINBITS_MAX))
		return -EINVAL;
	if (p->dict_sz && !(be->has_dict && be->has_dict()))
		return -EOPNOTSUPP;
	return 0;
}

HZ_EXPORT_IF_KUNIT(zcomp_check_params);

ssize_t zcomp_available_show(const char *cur, char *buf, int at)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(zcomp_backends); i++) {
		const char *name = zcomp_backends[i].name;

		if (cur && !strcmp(cur, name))
			at += sysfs_emit_at(buf, at, "[%s] ", name);
		else
			at += sysfs_emit_at(buf, at, "%s ", name);
	}
	at += sysfs_emit_at(buf, at, "\n");
	return at;
}

HZ_EXPORT_IF_KUNIT(zcomp_available_show);

/* ---------------------------- streams -------------------------------- */

/* Dynamic hotplug state: modules cannot use zram's static one. */
static enum cpuhp_state zcomp_cpuhp_state;

/* The workspace sizes a stream asks for; 0 where the backend has none. */
static size_t zcomp_cwork_size(const struct zcomp *comp)
{
	return comp->be->cwork_size ? comp->be->cwork_size(comp) : 0;
}

static size_t zcomp_dwork_size(const struct zcomp *comp)
{
	return comp->be->dwork_size ? comp->be->dwork_size(comp) : 0;
}

/* What an allocation of @size at @p really takes. */
static size_t zcomp_work_bytes(const void *p, size_t size)
{
	if (!p)
		return 0;
	return is_vmalloc_addr(p) ? PAGE_ALIGN(size) : ksize(p);
}

void zcomp_footprint(const struct zcomp *comp, size_t *asked, size_t *taken)
{
	size_t csz = zcomp_cwork_size(comp), dsz = zcomp_dwork_size(comp);
	int cpu;

	*asked = 0;
	*taken = 0;
	for_each_possible_cpu(cpu) {
		struct zcomp_strm *s = per_cpu_ptr(comp->strm, cpu);

		mutex_lock(&s->lock);
		if (s->buffer) {
			*asked += ZCOMP_BUF_SIZE + csz + dsz;
			*taken += zcomp_work_bytes(s->buffer, ZCOMP_BUF_SIZE) +
				  zcomp_work_bytes(s->cwork, csz) +
				  zcomp_work_bytes(s->dwork, dsz);
		}
		mutex_unlock(&s->lock);
	}
}

HZ_EXPORT_IF_KUNIT(zcomp_footprint);

static void zcomp_strm_release(struct zcomp_strm *s)
{
	kvfree(s->buffer);
	kvfree(s->cwork);
	kvfree(s->dwork);
	s->buffer = NULL;
	s->cwork = NULL;
	s->dwork = NULL;
	s->cctx = NULL;
	s->dctx = NULL;
}

static int zcomp_strm_alloc(const struct zcomp *comp, struct zcomp_strm *s,
			    int node)
{
	const struct zcomp_backend *be = comp->be;
	size_t sz;

	s->buffer = kvmalloc_node(ZCOMP_BUF_SIZE, GFP_KERNEL, node);
	if (!s->buffer)
		goto fail;
	sz = zcomp_cwork_size(comp);
	if (sz) {
		s->cwork = zcomp_work_alloc(sz, node, false);
		if (!s->cwork)
			goto fail;
	}
	sz = zcomp_dwork_size(comp);
	if (sz) {
		s->dwork = zcomp_work_alloc(sz, node, false);
		if (!s->dwork)
			goto fail;
	}
	if (be->strm_init && be->strm_init(comp, s))
		goto fail;
	return 0;

fail:
	zcomp_strm_release(s);
	return -ENOMEM;
}

/*
 * Allocation happens outside strm->lock: the I/O path takes that lock
 * under memory reclaim, so allocating under it would invert the order.
 */
static int zcomp_cpu_prepare(unsigned int cpu, struct hlist_node *node)
{
	struct zcomp *comp = hlist_entry(node, struct zcomp, cpuhp_node);
	struct zcomp_strm *s = per_cpu_ptr(comp->strm, cpu);
	struct zcomp_strm fresh = {};
	int ret;

	/* Hotplug callbacks are serialised; nothing else installs buffers. */
	if (s->buffer)
		return 0;
	ret = zcomp_strm_alloc(comp, &fresh, cpu_to_node(cpu));
	if (ret)
		return ret;
	mutex_lock(&s->lock);
	s->buffer = fresh.buffer;
	s->cwork = fresh.cwork;
	s->dwork = fresh.dwork;
	s->cctx = fresh.cctx;
	s->dctx = fresh.dctx;
	mutex_unlock(&s->lock);
	return 0;
}

static int zcomp_cpu_dead(unsigned int cpu, struct hlist_node *node)
{
	struct zcomp *comp = hlist_entry(node, struct zcomp, cpuhp_node);
	struct zcomp_strm *s = per_cpu_ptr(comp->strm, cpu);
	struct zcomp_strm old;

	/* Waits for a task that migrated away while using this stream. */
	mutex_lock(&s->lock);
	old.buffer = s->buffer;
	old.cwork = s->cwork;
	old.dwork = s->dwork;
	s->buffer = NULL;
	s->cwork = NULL;
	s->dwork = NULL;
	s->cctx = NULL;
	s->dctx = NULL;
	mutex_unlock(&s->lock);
	zcomp_strm_release(&old);
	return 0;
}

struct zcomp_strm *zcomp_stream_get(struct zcomp *comp)
{
	struct zcomp_strm *s;

	/*
	 * Between picking this CPU's stream and locking it we may migrate,
	 * and the CPU we left may go down and detach its buffers. A stream
	 * without a buffer is such a leftover: retry on where we are now.
	 * The current CPU is online, so its stream has a buffer.
	 */
	for (;;) {
		s = raw_cpu_ptr(comp->strm);
		mutex_lock(&s->lock);
		if (likely(s->buffer))
			return s;
		mutex_unlock(&s->lock);
	}
}

HZ_EXPORT_IF_KUNIT(zcomp_stream_get);

void zcomp_stream_put(struct zcomp_strm *strm)
{
	mutex_unlock(&strm->lock);
}

HZ_EXPORT_IF_KUNIT(zcomp_stream_put);

int zcomp_compress(struct zcomp *comp, struct zcomp_strm *strm,
		   const void *src, unsigned int *dst_len)
{
	lockdep_assert_held(&strm->lock);
	return comp->be->compress(comp, strm, src, strm->buffer, dst_len);
}

HZ_EXPORT_IF_KUNIT(zcomp_compress);

int zcomp_decompress(struct zcomp *comp, struct zcomp_strm *strm,
		     const void *src, unsigned int src_len, void *dst)
{
	lockdep_assert_held(&strm->lock);
	if (!src_len || src_len > PAGE_SIZE)
		return -EIO;
	return comp->be->decompress(comp, strm, src, src_len, dst);
}

HZ_EXPORT_IF_KUNIT(zcomp_decompress);

struct zcomp *zcomp_create(const char *name, const struct zcomp_params *p)
{
	const struct zcomp_backend *be = zcomp_find(name);
	struct zcomp *comp;
	int cpu, ret;

	if (!be)
		return ERR_PTR(-EINVAL);
	ret = zcomp_check_params(name, p);
	if (ret)
		return ERR_PTR(ret);

	comp = kzalloc(sizeof(*comp), GFP_KERNEL);
	if (!comp)
		return ERR_PTR(-ENOMEM);
	comp->be = be;
	comp->params = *p;
	if (p->level == ZCOMP_NO_LEVEL || !be->has_level)
		comp->params.level = be->default_level;
	if (p->winbits == ZCOMP_NO_LEVEL)
		comp->params.winbits = HZ_DEFLATE_WINBITS_DEF;

	/* Dynamic per-CPU memory, initialised here: see the arm32 note. */
	comp->strm = alloc_percpu(struct zcomp_strm);
	if (!comp->strm) {
		ret = -ENOMEM;
		goto err_free;
	}
	for_each_possible_cpu(cpu)
		mutex_init(&per_cpu_ptr(comp->strm, cpu)->lock);

	if (be->setup) {
		ret = be->setup(comp);
		if (ret)
			goto err_percpu;
	}

	/* Runs zcomp_cpu_prepare() on every online CPU, undone on failure. */
	ret = cpuhp_state_add_instance(zcomp_cpuhp_state, &comp->cpuhp_node);
	if (ret)
		goto err_teardown;
	return comp;

err_teardown:
	if (be->teardown)
		be->teardown(comp);
err_percpu:
	for_each_possible_cpu(cpu)
		mutex_destroy(&per_cpu_ptr(comp->strm, cpu)->lock);
	free_percpu(comp->strm);
err_free:
	kfree(comp);
	return ERR_PTR(ret);
}

HZ_EXPORT_IF_KUNIT(zcomp_create);

void zcomp_destroy(struct zcomp *comp)
{
	int cpu;

	if (!comp)
		return;
	cpuhp_state_remove_instance(zcomp_cpuhp_state, &comp->cpuhp_node);
	for_each_possible_cpu(cpu) {
		struct zcomp_strm *s = per_cpu_ptr(comp->strm, cpu);

		/* Only a CPU that died with a failed teardown leaves these. */
		zcomp_strm_release(s);
		mutex_destroy(&s->lock);
	}
	free_percpu(comp->strm);
	if (comp->be->teardown)
		comp->be->teardown(comp);
	kfree(comp);
}

HZ_EXPORT_IF_KUNIT(zcomp_destroy);

int zcomp_module_init(void)
{
	int ret;

	ret = cpuhp_setup_state_multi(CPUHP_BP_PREPARE_DYN, "block/hzram:prepare",
				      zcomp_cpu_prepare, zcomp_cpu_dead);
	if (ret < 0)
		return ret;
	zcomp_cpuhp_state = ret;
	return 0;
}

void zcomp_module_exit(void)
{
	cpuhp_remove_multi_state(zcomp_cpuhp_state);
}
