/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the guest test programs (statically linked, one per
 * .c file): the pattern mixer, a cheap PRNG, the fault-injection task
 * filter switch, and the options and device setup of the block workloads.
 */
#ifndef HZGUEST_H
#define HZGUEST_H

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/fs.h>
#include <sys/ioctl.h>

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
 * One of four compressibility classes, picked by the seed's low bits, so a
 * workload's objects land in many size classes and share zspages with
 * neighbours of other sizes.
 */
static inline uint64_t class_word(uint64_t s, size_t w)
{
	switch (s & 3) {
	case 0:					/* incompressible */
		return mix(s + w);
	case 1:					/* about half */
		return (w & 1) ? mix(s + w) : s;
	case 2:					/* text-like, small */
		return s + (w & 7);
	default:				/* one word repeated */
		return s | 1;
	}
}

/*
 * The block pattern of faultio and unstable: word 0 is the block number
 * xor the program's tag, word 1 the write's sequence number, the rest
 * class_word() data. A stale, misplaced or foreign block fails the check.
 */
static inline uint64_t blk_pattern(uint64_t tag, uint64_t blk, uint64_t seq,
				   size_t w)
{
	if (w == 0)
		return tag ^ blk;
	if (w == 1)
		return seq;
	return class_word(mix(blk * 0x9e3779b97f4a7c15ULL ^ seq), w);
}

static inline void blk_fill(uint64_t *v, size_t words, uint64_t tag,
			    uint64_t blk, uint64_t seq)
{
	for (size_t w = 0; w < words; w++)
		v[w] = blk_pattern(tag, blk, seq, w);
}

/* The first of @words words that is not blk_pattern()'s, or @words. */
static inline size_t blk_first_bad(const uint64_t *v, size_t words,
				   uint64_t tag, uint64_t blk, uint64_t seq)
{
	for (size_t w = 0; w < words; w++)
		if (v[w] != blk_pattern(tag, blk, seq, w))
			return w;
	return words;
}

/* Say where block @blk first differs (word @w) and what its header holds. */
static inline void blk_report_bad(const char *what, const uint64_t *v,
				  size_t w, uint64_t tag, uint64_t blk,
				  uint64_t seq)
{
	fprintf(stderr, "%s %llu seq %llu word %zu: %016llx != %016llx (header %016llx %016llx)\n",
		what, (unsigned long long)blk, (unsigned long long)seq, w,
		(unsigned long long)v[w],
		(unsigned long long)blk_pattern(tag, blk, seq, w),
		(unsigned long long)v[0], (unsigned long long)v[1]);
}

/* @len zeroed bytes aligned to @align (O_DIRECT), or exit(2) naming @prog. */
static inline void *zbuf(size_t align, size_t len, const char *prog)
{
	void *p;

	if (posix_memalign(&p, align, len)) {
		fprintf(stderr, "%s: out of memory\n", prog);
		exit(2);
	}
	memset(p, 0, len);
	return p;
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

/* What faultio and unstable share: -d DEV -b BLOCKS -s SECONDS -F. */
struct blk_opts {
	const char *dev;
	uint64_t nblocks;	/* wanted; blk_open() clamps it to the device */
	int seconds;
	int inject;		/* -F: fail allocations (make_it_fail) */
};

/* Parse into @o, whose fields hold the defaults. 0, or 2 after usage. */
static inline int blk_opts_parse(struct blk_opts *o, int argc, char **argv,
				 const char *prog)
{
	int opt;

	while ((opt = getopt(argc, argv, "d:b:s:F")) != -1) {
		switch (opt) {
		case 'd': o->dev = optarg; break;
		case 'b': o->nblocks = strtoull(optarg, NULL, 0); break;
		case 's': o->seconds = atoi(optarg); break;
		case 'F': o->inject = 1; break;
		default:
			fprintf(stderr, "usage: %s [-d DEV] [-b BLOCKS] [-s SECONDS] [-F]\n",
				prog);
			return 2;
		}
	}
	return 0;
}

/*
 * Open o->dev for O_DIRECT I/O in @bs-byte blocks and clamp o->nblocks
 * to its size. Returns the descriptor, or -1 after saying why.
 */
static inline int blk_open(struct blk_opts *o, size_t bs)
{
	uint64_t size;
	int fd = open(o->dev, O_RDWR | O_DIRECT);

	if (fd < 0 || ioctl(fd, BLKGETSIZE64, &size)) {
		perror(o->dev);
		return -1;
	}
	if (o->nblocks > size / bs)
		o->nblocks = size / bs;
	return fd;
}

#endif /* HZGUEST_H */
