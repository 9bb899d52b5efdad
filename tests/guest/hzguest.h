/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the guest test programs (statically linked, one per
 * .c file): the pattern mixer, a cheap PRNG and the fault-injection task
 * filter switch.
 */
#ifndef HZGUEST_H
#define HZGUEST_H

#include <stdint.h>
#include <stdio.h>

/* A 64-bit finaliser: turns (index, generation, word) into a pattern. */
static inline uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}

static inline uint64_t next_rand(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 17;
}

/*
 * Mark or unmark this thread for the fault-injection task filter. While
 * marked, the open() and write() doing it can themselves be failed, so
 * retry (bounded) until the kernel has taken the value.
 */
static inline int make_it_fail(int on)
{
	for (int tries = 0; tries < 1000; tries++) {
		FILE *f = fopen("/proc/thread-self/make-it-fail", "w");
		int ret;

		if (!f)
			continue;
		ret = fprintf(f, "%d\n", on) < 0;
		if (!fclose(f) && !ret)
			return 0;
	}
	return -1;
}

#endif /* HZGUEST_H */
