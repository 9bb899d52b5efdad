/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Deliberate bugs for `make check-harness`, which builds zram.ko with
 * HZ_PLANT=warn or HZ_PLANT=kasan to prove that the test lanes fail on a
 * WARN or a KASAN report. Normal builds compile this to nothing.
 */
#ifndef _HZ_PLANT_H
#define _HZ_PLANT_H

#if defined(HZ_PLANT_warn) || defined(HZ_PLANT_kasan)
int hz_plant_init(void);
#else
static inline int hz_plant_init(void)
{
	return 0;
}
#endif

#endif /* _HZ_PLANT_H */
