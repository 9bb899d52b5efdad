// SPDX-License-Identifier: GPL-2.0
/*
 * Planted bugs, linked into zram.ko only by `make check-harness`
 * (HZ_PLANT=warn|kasan). A lane running such a module must fail.
 */
#include <linux/bug.h>
#include <linux/slab.h>
#include "hz_plant.h"

int hz_plant_init(void)
{
#ifdef HZ_PLANT_warn
	WARN_ON(1);
#endif
#ifdef HZ_PLANT_kasan
	{
		/* volatile: keep the compiler from proving the access bad. */
		volatile char *p = kmalloc(16, GFP_KERNEL);
		volatile int idx = 16;

		if (p) {
			p[idx] = 1;
			kfree((void *)p);
		}
	}
#endif
	return 0;
}
