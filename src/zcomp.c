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
#include <linux/lzo.h>
#include <linux/lz4.h>
#include <linux/zstd.h>

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
	/* Optional: data shared by all streams of one zcomp. */
	int (*setup)(struct zcomp *comp);
	void (*teardown)(struct zcomp *comp);
	/* Workspace sizes; 0 means none. */
	size_t (*cwork_size)(const struct zcomp *comp);
	size_t (*dwork_size)(const struct zcomp *comp);
	int (*compress)(const struct zcomp *comp, struct zcomp_strm *strm,
			const void *src, void *dst, unsigned int *dst_len);
	int (*decompress)(const struct zcomp *comp, struct zcomp_strm *strm,
			  const void *src, unsigned int src_len, void *dst);
};

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

static s32 lz4_min_level(void)
{
	return 1;
}

static s32 lz4_max_level(void)
{
	return HZ_LZ4_ACCEL_MAX;
}

static size_t lz4_cwork_size(const struct zcomp *comp)
{
	return LZ4_MEM_COMPRESS;
}

/* For lz4 the "level" is the acceleration factor, as upstream zram has it. */
static int lz4_compress(const struct zcomp *comp, struct zcomp_strm *strm,
			const void *src, void *dst, unsigned int *dst_len)
{
	int len;

	len = LZ4_compress_fast(src, dst, PAGE_SIZE, ZCOMP_BUF_SIZE,
				comp->level, strm->cwork);
	if (len <= 0)
		return -EINVAL;
	*dst_len = len;
	return 0;
}

static int lz4_decompress(const struct zcomp *comp, struct zcomp_strm *strm,
			  const void *src, unsigned int src_len, void *dst)
{
	int len;

	if (src_len > INT_MAX)
		return -EIO;
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

static size_t lz4hc_cwork_size(const struct zcomp *comp)
{
	return LZ4HC_MEM_COMPRESS;
}

static int lz4hc_compress(const struct zcomp *comp, struct zcomp_strm *strm,
			  const void *src, void *dst, unsigned int *dst_len)
{
	int len;

	len = LZ4_compress_HC(src, dst, PAGE_SIZE, ZCOMP_BUF_SIZE,
			      comp->level, strm->cwork);
	if (len <= 0)
		return -EINVAL;
	*dst_len = len;
	return 0;
}

/* ------------------------------ zstd --------------------------------- */

static s32 zstd_min_level(void)
{
	return zstd_min_clevel();
}

static s32 zstd_max_level(void)
{
	return zstd_max_clevel();
}

/* Parameters tuned for one-page inputs keep the workspaces small. */
static int zstd_be_setup(struct zcomp *comp)
{
	zstd_parameters *params;

	params = kmalloc(sizeof(*params), GFP_KERNEL);
	if (!params)
		return -ENOMEM;
	*params = zstd_get_params(comp->level, PAGE_SIZE);
	comp->priv = params;
	return 0;
}

static void zstd_be_teardown(struct zcomp *comp)
{
	kfree(comp->priv);
	comp->priv = NULL;
}

static size_t zstd_cwork_size(const struct zcomp *comp)
{
	const zstd_parameters *params = comp->priv;

	return zstd_cctx_workspace_bound(&params->cParams);
}

static size_t zstd_dwork_size(const struct zcomp *comp)
{
	return zstd_dctx_workspace_bound();
}

static int zstd_be_compress(const struct zcomp *comp, struct zcomp_strm *strm,
			    const void *src, void *dst, unsigned int *dst_len)
{
	const zstd_parameters *params = comp->priv;
	zstd_cctx *cctx;
	size_t len;

	/* Re-initialising is cheap and leaves no state from a failed call. */
	cctx = zstd_init_cctx(strm->cwork, zstd_cwork_size(comp));
	if (!cctx)
		return -EINVAL;
	len = zstd_compress_cctx(cctx, dst, ZCOMP_BUF_SIZE, src, PAGE_SIZE,
				 params);
	if (zstd_is_error(len) || !len || len > ZCOMP_BUF_SIZE)
		return -EINVAL;
	*dst_len = len;
	return 0;
}

static int zstd_be_decompress(const struct zcomp *comp,
			      struct zcomp_strm *strm, const void *src,
			      unsigned int src_len, void *dst)
{
	zstd_dctx *dctx;
	size_t len;

	dctx = zstd_init_dctx(strm->dwork, zstd_dwork_size(comp));
	if (!dctx)
		return -EIO;
	len = zstd_decompress_dctx(dctx, dst, PAGE_SIZE, src, src_len);
	if (zstd_is_error(len) || len != PAGE_SIZE)
		return -EIO;
	return 0;
}

/* ---------------------------- registry ------------------------------- */

/* Listed in the order upstream zram's comp_algorithm file uses. */
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
		.setup		= zstd_be_setup,
		.teardown	= zstd_be_teardown,
		.cwork_size	= zstd_cwork_size,
		.dwork_size	= zstd_dwork_size,
		.compress	= zstd_be_compress,
		.decompress	= zstd_be_decompress,
	},
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

static void zcomp_strm_release(struct zcomp_strm *s)
{
	kvfree(s->buffer);
	kvfree(s->cwork);
	kvfree(s->dwork);
	s->buffer = NULL;
	s->cwork = NULL;
	s->dwork = NULL;
}

static int zcomp_strm_alloc(const struct zcomp *comp, struct zcomp_strm *s,
			    int node)
{
	const struct zcomp_backend *be = comp->be;
	size_t sz;

	s->buffer = kvmalloc_node(ZCOMP_BUF_SIZE, GFP_KERNEL, node);
	if (!s->buffer)
		goto fail;
	sz = be->cwork_size ? be->cwork_size(comp) : 0;
	if (sz) {
		s->cwork = kvmalloc_node(sz, GFP_KERNEL, node);
		if (!s->cwork)
			goto fail;
	}
	sz = be->dwork_size ? be->dwork_size(comp) : 0;
	if (sz) {
		s->dwork = kvmalloc_node(sz, GFP_KERNEL, node);
		if (!s->dwork)
			goto fail;
	}
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

struct zcomp *zcomp_create(const char *name, s32 level)
{
	const struct zcomp_backend *be = zcomp_find(name);
	struct zcomp *comp;
	int cpu, ret;

	if (!be)
		return ERR_PTR(-EINVAL);
	ret = zcomp_check_level(name, level);
	if (ret)
		return ERR_PTR(ret);

	comp = kzalloc(sizeof(*comp), GFP_KERNEL);
	if (!comp)
		return ERR_PTR(-ENOMEM);
	comp->be = be;
	comp->level = (level == ZCOMP_NO_LEVEL || !be->has_level) ?
		      be->default_level : level;

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
