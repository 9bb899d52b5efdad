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

#endif /* _HZ_COMPAT_H */
