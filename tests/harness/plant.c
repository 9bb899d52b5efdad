// SPDX-License-Identifier: GPL-2.0
/*
 * Planted bugs, linked into zram.ko only by `make check-harness`
 * (HZ_PLANT=warn|kasan|leak). A lane running such a module must fail.
 */
#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/slab.h>
#include "hz_plant.h"

int hz_plant_init(void)
{
#ifdef HZ_PLANT_warn
	WARN_ON(1);
#endif
#ifdef HZ_PLANT_kasan
	{
		char *p = kmalloc(16, GFP_KERNEL);
		int idx = 16;

		/*
		 * Hide idx's value so the compiler can neither reject the
		 * access at build time nor drop it: a real one-byte store
		 * just past the object, for KASAN to catch.
		 */
		OPTIMIZER_HIDE_VAR(idx);
		if (p) {
			WRITE_ONCE(p[idx], 1);
			kfree(p);
		}
	}
#endif
#ifdef HZ_PLANT_leak
	{
		void *p = kmalloc(64, GFP_KERNEL);

		/* Drop the only reference: kmemleak must report it. */
		OPTIMIZER_HIDE_VAR(p);
	}
#endif
	return 0;
}
