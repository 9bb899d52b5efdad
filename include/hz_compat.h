/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels hzram supports (6.1 and 6.12)
 * lives here and nowhere else.
 */
#ifndef _HZ_COMPAT_H
#define _HZ_COMPAT_H

#include <linux/version.h>
#include <linux/module.h>

/*
 * Internals made visible to zram_kunit.ko only. Our own namespace, so the
 * scheme works the same on 6.1 (where <kunit/visibility.h> exists only via
 * a stable backport) and on 6.12.
 */
#if IS_ENABLED(CONFIG_KUNIT)
#define HZ_VISIBLE_IF_KUNIT
#define HZ_EXPORT_IF_KUNIT(sym)	EXPORT_SYMBOL_NS_GPL(sym, HZRAM_KUNIT)
#else
#define HZ_VISIBLE_IF_KUNIT	static
#define HZ_EXPORT_IF_KUNIT(sym)
#endif

/* ---- hzs allocator (src/hzs_pool.c): shrinker -------------------------- */
/*
 * 6.7 replaced the embedded struct shrinker and register_shrinker() with
 * shrinker_alloc()/shrinker_register()/shrinker_free(). The callbacks get
 * their owner back with hz_shrinker_private() on both.
 */
#include <linux/shrinker.h>

typedef unsigned long (*hz_shrink_fn)(struct shrinker *s,
				      struct shrink_control *sc);

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
struct hz_shrinker {
	struct shrinker *shrinker;
};

static inline int hz_shrinker_register(struct hz_shrinker *hs,
				       hz_shrink_fn count, hz_shrink_fn scan,
				       void *priv, const char *name)
{
	hs->shrinker = shrinker_alloc(0, "%s", name);
	if (!hs->shrinker)
		return -ENOMEM;
	hs->shrinker->count_objects = count;
	hs->shrinker->scan_objects = scan;
	hs->shrinker->private_data = priv;
	shrinker_register(hs->shrinker);
	return 0;
}

/* Waits for running callbacks; safe on a never-registered hz_shrinker. */
static inline void hz_shrinker_unregister(struct hz_shrinker *hs)
{
	shrinker_free(hs->shrinker);
	hs->shrinker = NULL;
}

static inline void *hz_shrinker_private(struct shrinker *s)
{
	return s->private_data;
}
#else
struct hz_shrinker {
	struct shrinker shrinker;
	void *private_data;
};

static inline int hz_shrinker_register(struct hz_shrinker *hs,
				       hz_shrink_fn count, hz_shrink_fn scan,
				       void *priv, const char *name)
{
	hs->private_data = priv;
	hs->shrinker.count_objects = count;
	hs->shrinker.scan_objects = scan;
	hs->shrinker.seeks = DEFAULT_SEEKS;
	return register_shrinker(&hs->shrinker, "%s", name);
}

static inline void hz_shrinker_unregister(struct hz_shrinker *hs)
{
	unregister_shrinker(&hs->shrinker);
}

static inline void *hz_shrinker_private(struct shrinker *s)
{
	return container_of(s, struct hz_shrinker, shrinker)->private_data;
}
#endif
/* ---- end hzs allocator ------------------------------------------------- */

#endif /* _HZ_COMPAT_H */
