/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Deliberate bugs for `make check-harness`, which builds zram.ko with
 * HZ_PLANT=warn, kasan or leak to prove that the test lanes fail on a
 * WARN, a KASAN report or a leak. Normal builds compile this to nothing.
 */
#ifndef _HZ_PLANT_H
#define _HZ_PLANT_H

#if defined(HZ_PLANT_warn) || defined(HZ_PLANT_kasan) || \
	defined(HZ_PLANT_leak)
int hz_plant_init(void);
#else
static inline int hz_plant_init(void)
{
	return 0;
}
#endif

#endif /* _HZ_PLANT_H */
