// SPDX-License-Identifier: GPL-2.0
/*
 * memstress: make a process's memory go through swap and prove every page
 * comes back intact.
 *
 * Several threads share one anonymous mapping. Each page holds a pattern
 * derived from its index and a generation counter. Every thread verifies
 * random pages (any page, so several threads fault the same swapped page
 * at once, the shape of the 2022 free-vs-read race) and rewrites the pages
 * it owns with the next generation. A helper thread pushes ranges out with
 * MADV_PAGEOUT so pages cycle through the swap device even when the
 * memory cgroup limit alone would not evict them.
 *
 * A page whose generation is stable across the check but whose content is
 * all zeroes counts as a zero page; any other difference is a mismatch.
 * Either makes the exit status non-zero.
 *
 * -F marks the evicting thread (only it) with make-it-fail, so with the
 * kernel's failslab/fail_page_alloc task filter on, the swap-out path it
 * drives (reclaim, swap cache, the zram write) meets allocation failures
 * while the workers keep storing to the very pages being written out.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "hzguest.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

static size_t page_size, npages, words;
static unsigned char *area;
/* Per page: even = stable generation, odd = being rewritten. */
static _Atomic uint32_t *gen;
static int nthreads = 4, seconds = 30, pageout = 1, failevict;
static atomic_int stop;
static _Atomic uint64_t verified, written, zero_pages, mismatches, pageouts;

/*
 * Half of each page is pseudo-random, half repeats one word: roughly 2:1
 * compressible, like real anonymous memory, so the compressor does work
 * and the allocator sees a spread of object sizes.
 */
static uint64_t pattern(size_t page, uint32_t g, size_t w)
{
	uint64_t seed = ((uint64_t)page << 32) ^ g;

	if (w == 0)
		return 0x687a72616d000000ULL ^ page;
	if (w == 1)
		return g;
	if (w < words / 2)
		return mix(seed * 1315423911ULL + w);
	return mix(seed) | 1;	/* never an all-zero page */
}

static void fill(size_t p, uint32_t g)
{
	uint64_t *v = (uint64_t *)(area + p * page_size);

	for (size_t w = 0; w < words; w++)
		v[w] = pattern(p, g, w);
}

static int all_zero(const uint64_t *v)
{
	for (size_t w = 0; w < words; w++)
		if (v[w])
			return 0;
	return 1;
}

static void check(size_t p)
{
	uint32_t g1 = atomic_load_explicit(&gen[p], memory_order_acquire);
	const uint64_t *v = (const uint64_t *)(area + p * page_size);
	size_t bad = words;

	if (g1 == 0 || (g1 & 1))
		return;
	for (size_t w = 0; w < words; w++) {
		if (v[w] != pattern(p, g1, w)) {
			bad = w;
			break;
		}
	}
	atomic_thread_fence(memory_order_acquire);
	if (atomic_load_explicit(&gen[p], memory_order_relaxed) != g1)
		return;		/* rewritten under us: not a verdict */
	if (bad == words) {
		verified++;
		return;
	}
	if (all_zero(v)) {
		if (zero_pages++ < 10)
			fprintf(stderr, "memstress: page %zu gen %u reads as zeroes\n", p, g1);
	} else if (mismatches++ < 10) {
		fprintf(stderr, "memstress: page %zu gen %u word %zu: %016llx != %016llx\n",
			p, g1, bad, (unsigned long long)v[bad],
			(unsigned long long)pattern(p, g1, bad));
	}
}

static void rewrite(size_t p)
{
	uint32_t g = atomic_load(&gen[p]);

	atomic_store_explicit(&gen[p], g + 1, memory_order_release);
	atomic_thread_fence(memory_order_release);
	fill(p, g + 2);
	atomic_store_explicit(&gen[p], g + 2, memory_order_release);
	written++;
}

struct worker {
	pthread_t tid;
	int id;
	uint64_t rng;
};

static void *work(void *arg)
{
	struct worker *wk = arg;

	while (!atomic_load(&stop)) {
		size_t p = next_rand(&wk->rng) % npages;

		check(p);
		/* Only the owner rewrites, so generations never race. */
		if ((int)(p % nthreads) == wk->id)
			rewrite(p);
	}
	return NULL;
}

static void *evict(void *arg)
{
	uint64_t rng = 12345;
	size_t chunk = 64;

	(void)arg;
	if (failevict && make_it_fail(1))
		perror("memstress: make-it-fail");
	while (!atomic_load(&stop)) {
		size_t p = next_rand(&rng) % (npages - chunk);

		if (madvise(area + p * page_size, chunk * page_size, MADV_PAGEOUT) == 0)
			pageouts++;
		else if (errno == EINVAL)
			break;	/* kernel without MADV_PAGEOUT */
		usleep(2000);
	}
	if (failevict)
		make_it_fail(0);
	return NULL;
}

int main(int argc, char **argv)
{
	size_t mib = 64;
	int opt;
	pthread_t ev;
	struct worker *wk;
	time_t end;

	while ((opt = getopt(argc, argv, "m:t:s:P:F")) != -1) {
		switch (opt) {
		case 'm': mib = strtoul(optarg, NULL, 0); break;
		case 't': nthreads = atoi(optarg); break;
		case 's': seconds = atoi(optarg); break;
		case 'P': pageout = atoi(optarg); break;
		case 'F': failevict = 1; break;
		default:
			fprintf(stderr, "usage: memstress [-m MiB] [-t threads] [-s seconds] [-P 0|1] [-F]\n");
			return 2;
		}
	}
	if (nthreads < 1)
		nthreads = 1;
	page_size = sysconf(_SC_PAGESIZE);
	words = page_size / 8;
	npages = mib * 1024 * 1024 / page_size;
	if (npages < 128) {
		fprintf(stderr, "memstress: -m too small\n");
		return 2;
	}
	area = mmap(NULL, npages * page_size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	gen = calloc(npages, sizeof(*gen));
	wk = calloc(nthreads, sizeof(*wk));
	if (area == MAP_FAILED || !gen || !wk) {
		perror("memstress: allocation");
		return 2;
	}
	/* First generation: every page written once, in order. */
	for (size_t p = 0; p < npages; p++) {
		fill(p, 2);
		gen[p] = 2;
	}
	end = time(NULL) + seconds;
	if (pageout)
		pthread_create(&ev, NULL, evict, NULL);
	for (int i = 0; i < nthreads; i++) {
		wk[i].id = i;
		wk[i].rng = 0x9e3779b97f4a7c15ULL * (i + 1);
		pthread_create(&wk[i].tid, NULL, work, &wk[i]);
	}
	while (time(NULL) < end && !mismatches && !zero_pages)
		sleep(1);
	atomic_store(&stop, 1);
	for (int i = 0; i < nthreads; i++)
		pthread_join(wk[i].tid, NULL);
	if (pageout)
		pthread_join(ev, NULL);
	/* Final sweep: every page, single-threaded, nothing racing it. */
	for (size_t p = 0; p < npages; p++)
		check(p);
	printf("memstress: %zu MiB, %d threads, %d s: verified=%llu written=%llu "
	       "pageouts=%llu zero_pages=%llu mismatches=%llu\n",
	       mib, nthreads, seconds, (unsigned long long)verified,
	       (unsigned long long)written, (unsigned long long)pageouts,
	       (unsigned long long)zero_pages, (unsigned long long)mismatches);
	return (zero_pages || mismatches) ? 1 : 0;
}
