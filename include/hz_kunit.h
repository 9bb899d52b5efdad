/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals made visible to zram_kunit.ko only, in our own namespace
 * HZRAM_KUNIT, so the scheme works the same on 6.1 (where
 * <kunit/visibility.h> exists only through a stable backport) and 6.12.
 * Without KUnit the symbol is still named in an assertion, so a misspelt
 * export breaks every build, not only the KUnit ones.
 */
#ifndef _HZ_KUNIT_H
#define _HZ_KUNIT_H

#include <linux/build_bug.h>
#include <linux/export.h>

#if IS_ENABLED(CONFIG_KUNIT)
#define HZ_VISIBLE_IF_KUNIT
#define HZ_EXPORT_IF_KUNIT(sym)	\
	EXPORT_SYMBOL_NS_GPL(sym, HZRAM_KUNIT)
#else
#define HZ_VISIBLE_IF_KUNIT	static
#define HZ_EXPORT_IF_KUNIT(sym)	static_assert(__same_type(sym, typeof(sym)))
#endif

#endif /* _HZ_KUNIT_H */
