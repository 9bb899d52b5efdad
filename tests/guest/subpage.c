// SPDX-License-Identifier: GPL-2.0
/*
 * subpage: 4 KiB block I/O on a zram device whose pages may be larger
 * (16 KiB on arm64 with CONFIG_ARM64_16K_PAGES), where every 4 KiB write
 * is a read-modify-write of a whole slot and every 4 KiB read a copy out
 * of a decompressed page. On 4 KiB-page kernels the same checks run on
 * whole pages.
 *
 * Every block is self-describing: word 0 names the block, word 1 is a
 * generation (>= 1), the rest is derived from both. Pages alternate
 * between compressible content, incompressible content (stored raw, as
 * a huge slot) and a mix that changes with every generation, so both
 * slot kinds, and the changes between them, go through the partial path.
 * All I/O is O_DIRECT in 4 KiB blocks.
 *
 *   subpage poke DEV BLOCK
 *	write generation 1 to BLOCK alone, then read every block of its
 *	page: BLOCK holds it, its neighbours zeroes (a fresh device).
 *   subpage fill DEV
 *	every block in a scrambled order, then about half of them again,
 *	then runs of 2-9 blocks at ragged offsets; each block read back on
 *	its own, then the whole device with large reads, aligned and not.
 *   subpage race DEV SECS NTHREADS
 *	thread k owns the blocks b with b % NTHREADS == k (with 4 threads
 *	and 16 KiB pages: the k-th block of every page) and rewrites them
 *	with increasing generations, mostly in a few hot pages, while a
 *	reader checks random blocks: a read must hold a valid pattern of
 *	its block, no older than the last write its owner completed before
 *	the read began. At the end every block must hold exactly its
 *	owner's last generation; an older one is a lost update.
 *   subpage zero DEV
 *	BLKZEROOUT and BLKDISCARD of single blocks at every position in a
 *	page, of whole pages and of ragged multi-page ranges: zeroed blocks
 *	read zeroes; discarded sub-page blocks may keep their data or read
 *	zeroes (discard is a hint), discarded whole pages read zeroes;
 *	every block outside the range is intact. Then rewrites of the
 *	emptied blocks, and the whole device verified.
 *
 * Each mode prints a summary line of key=value counts and exits 0 if
 * everything verified, 1 on any mismatch, 2 if it could not run.
 */
#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "hzguest.h"

#define BS	4096ULL
#define WORDS	(BS / 8)
#define MAGIC	0x7375627067650000ULL	/* "subpge" */
#define REPORTS	10

static uint64_t nblocks, bpp;	/* device blocks, blocks per page */
static unsigned long mismatches, stale, reports;
static pthread_mutex_t report_lock = PTHREAD_MUTEX_INITIALIZER;

/* Content kind of block @b at generation @g: 0 compressible, 1 random. */
static int kind(uint64_t b, uint64_t g)
{
	switch ((b / bpp) % 3) {
	case 0: return 0;
	case 1: return 1;
	default: return mix(b ^ (g << 32)) & 1;
	}
}

static uint64_t body(uint64_t s, int k, size_t w)
{
	if (k)
		return mix(s + w);
	/* Eight words repeated, a little text-like: compresses well. */
	return (s & 0xffff0000ffff0000ULL) + (w & 7) * 0x0101;
}

static void fill(uint64_t *v, uint64_t b, uint64_t g)
{
	uint64_t s = mix((b << 24) ^ g ^ MAGIC);
	int k = kind(b, g);

	v[0] = MAGIC ^ b;
	v[1] = g;
	for (size_t w = 2; w < WORDS; w++)
		v[w] = body(s, k, w);
}

/*
 * What block @b holds: 0 if all zeroes, its generation if it is a whole
 * valid pattern of block @b, -1 otherwise (torn, corrupt or another
 * block's content).
 */
static int64_t classify(const uint64_t *v, uint64_t b)
{
	uint64_t g = v[1], s;
	size_t w;
	int k;

	for (w = 0; w < WORDS && !v[w]; w++)
		;
	if (w == WORDS)
		return 0;
	if (v[0] != (MAGIC ^ b) || !g || g >> 40)
		return -1;
	s = mix((b << 24) ^ g ^ MAGIC);
	k = kind(b, g);
	for (w = 2; w < WORDS; w++)
		if (v[w] != body(s, k, w))
			return -1;
	return g;
}

/* Count and (the first few) describe a wrong block or, if @old, a lost update. */
static __attribute__((format(printf, 2, 3))) void report(int old,
							 const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&report_lock);
	if (old)
		stale++;
	else
		mismatches++;
	if (reports++ < REPORTS) {
		va_start(ap, fmt);
		fputs("subpage: ", stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		va_end(ap);
	}
	pthread_mutex_unlock(&report_lock);
}


/* Check one block against the generation it should hold (0: zeroes). */
static int check(const uint64_t *v, uint64_t b, uint64_t want,
		 const char *what)
{
	int64_t got = classify(v, b);

	if (got >= 0 && (uint64_t)got == want)
		return got;
	report(0, "%s: block %llu (page %llu, block %llu in it) holds %s%lld, expected generation %llu (%016llx %016llx %016llx)",
	    what, (unsigned long long)b, (unsigned long long)(b / bpp),
	    (unsigned long long)(b % bpp),
	    got < 0 ? "garbage " : "generation ", (long long)got,
	    (unsigned long long)want, (unsigned long long)v[0],
	    (unsigned long long)v[1], (unsigned long long)v[2]);
	return -1;
}

static void *xbuf(size_t len)
{
	return zbuf(BS, len, "subpage");
}

static int xopen(const char *dev)
{
	uint64_t size;
	int fd = open(dev, O_RDWR | O_DIRECT);

	if (fd < 0 || ioctl(fd, BLKGETSIZE64, &size)) {
		perror(dev);
		exit(2);
	}
	nblocks = size / BS;
	if (!nblocks || nblocks % bpp) {
		fprintf(stderr, "subpage: %s: %llu bytes is no whole number of pages\n",
			dev, (unsigned long long)size);
		exit(2);
	}
	return fd;
}

static void xpwrite(int fd, const void *buf, size_t len, uint64_t off)
{
	ssize_t n = pwrite(fd, buf, len, off);

	if (n != (ssize_t)len) {
		fprintf(stderr, "subpage: write of %zu at %llu: %s\n", len,
			(unsigned long long)off,
			n < 0 ? strerror(errno) : "short");
		exit(2);
	}
}

static void xpread(int fd, void *buf, size_t len, uint64_t off)
{
	ssize_t n = pread(fd, buf, len, off);

	if (n != (ssize_t)len) {
		fprintf(stderr, "subpage: read of %zu at %llu: %s\n", len,
			(unsigned long long)off,
			n < 0 ? strerror(errno) : "short");
		exit(2);
	}
}

static void put_block(int fd, uint64_t *v, uint64_t b, uint64_t g)
{
	fill(v, b, g);
	xpwrite(fd, v, BS, b * BS);
}

/* Read block @b on its own and check it. */
static int get_block(int fd, uint64_t *v, uint64_t b, uint64_t want,
		     const char *what)
{
	xpread(fd, v, BS, b * BS);
	return check(v, b, want, what);
}

/* Every block on its own. */
static uint64_t verify_single(int fd, const uint64_t *want, const char *what)
{
	uint64_t *v = xbuf(BS);
	char label[64];

	snprintf(label, sizeof(label), "%s, single read", what);
	for (uint64_t b = 0; b < nblocks; b++)
		get_block(fd, v, b, want[b], label);
	free(v);
	return nblocks;
}

/*
 * The whole device in 1 MiB reads: aligned, then ragged (starting one
 * block in, so each read has a partial head and tail page).
 */
static uint64_t verify_large(int fd, const uint64_t *want, const char *what)
{
	uint64_t *v = xbuf(257 * BS), n = 0;
	char label[64];

	for (int pass = 0; pass < 2; pass++) {
		uint64_t b = 0, cnt;

		snprintf(label, sizeof(label), "%s, %s large read", what,
			 pass ? "ragged" : "aligned");
		for (; b < nblocks; b += cnt) {
			cnt = pass && !b ? 1 : 256;
			if (cnt > nblocks - b)
				cnt = nblocks - b;
			xpread(fd, v, cnt * BS, b * BS);
			for (uint64_t i = 0; i < cnt; i++, n++)
				check(v + i * WORDS, b + i, want[b + i], label);
		}
	}
	free(v);
	return n;
}

static uint64_t verify_all(int fd, const uint64_t *want, const char *what)
{
	return verify_single(fd, want, what) + verify_large(fd, want, what);
}

/* ------------------------------------------------------------ poke */

static int mode_poke(const char *dev, uint64_t blk)
{
	uint64_t *v = xbuf(BS), first;
	int fd = xopen(dev);

	if (blk >= nblocks)
		return 2;
	put_block(fd, v, blk, 1);
	first = blk - blk % bpp;
	for (uint64_t b = first; b < first + bpp; b++)
		get_block(fd, v, b, b == blk ? 1 : 0, "poke");
	printf("subpage: poke: block=%llu page_blocks=%llu mismatches=%lu\n",
	       (unsigned long long)blk, (unsigned long long)bpp, mismatches);
	return mismatches || stale ? 1 : 0;
}

/* ------------------------------------------------------------ fill */

static void shuffle(uint64_t *a, uint64_t n, uint64_t *rng)
{
	for (uint64_t i = n - 1; i > 0; i--) {
		uint64_t j = next_rand(rng) % (i + 1), t = a[i];

		a[i] = a[j];
		a[j] = t;
	}
}

static int mode_fill(const char *dev)
{
	int fd = xopen(dev);
	uint64_t *want = calloc(nblocks, sizeof(*want));
	uint64_t *order = calloc(nblocks, sizeof(*order));
	uint64_t *v = xbuf(10 * BS), rng = 0x5eed, writes = 0, runs = 0;
	uint64_t verified;

	if (!want || !order)
		return 2;
	/* Generation 1 everywhere, in a scrambled order. */
	for (uint64_t b = 0; b < nblocks; b++)
		order[b] = b;
	shuffle(order, nblocks, &rng);
	for (uint64_t i = 0; i < nblocks; i++, writes++) {
		put_block(fd, v, order[i], 1);
		want[order[i]] = 1;
	}
	/* Generation 2 on about half, so pages mix generations. */
	shuffle(order, nblocks, &rng);
	for (uint64_t i = 0; i < nblocks; i++) {
		if (next_rand(&rng) & 1)
			continue;
		put_block(fd, v, order[i], 2);
		want[order[i]] = 2;
		writes++;
	}
	verified = verify_all(fd, want, "fill");
	/*
	 * Generation 3: runs of 2-9 blocks at any block offset, so one bio
	 * has a partial head page, maybe whole pages, a partial tail.
	 */
	for (uint64_t done = 0; done < nblocks / 2; runs++) {
		uint64_t n = 2 + next_rand(&rng) % 8;
		uint64_t b0 = next_rand(&rng) % (nblocks - n + 1);

		for (uint64_t i = 0; i < n; i++) {
			fill(v + i * WORDS, b0 + i, 3);
			want[b0 + i] = 3;
		}
		xpwrite(fd, v, n * BS, b0 * BS);
		done += n;
		writes++;
	}
	verified += verify_all(fd, want, "fill after runs");
	printf("subpage: fill: page_blocks=%llu blocks=%llu writes=%llu runs=%llu verified=%llu mismatches=%lu\n",
	       (unsigned long long)bpp, (unsigned long long)nblocks,
	       (unsigned long long)writes, (unsigned long long)runs,
	       (unsigned long long)verified, mismatches);
	close(fd);
	return mismatches || stale ? 1 : 0;
}

/* ------------------------------------------------------------ race */

/* Pages most writes go to: small, so owners of one page collide often. */
#define HOT_PAGES 4

static uint32_t *started, *done;	/* per block, by its owner */
static int race_threads;
static volatile int race_stop;
static const char *race_dev;

struct racer {
	pthread_t tid;
	int id;
	uint64_t writes, reads, verified, stale;
};

static uint64_t pick_page(uint64_t *rng)
{
	uint64_t pages = nblocks / bpp, r = next_rand(rng);

	if (r % 8 && pages > HOT_PAGES)
		return (r >> 3) % HOT_PAGES;
	return (r >> 3) % pages;
}

static void *race_writer(void *arg)
{
	struct racer *t = arg;
	int fd = xopen(race_dev);
	uint64_t *v = xbuf(BS), rng = 0x1234 + t->id;

	while (!race_stop) {
		/* One of my blocks in a (mostly hot) page. */
		uint64_t b = pick_page(&rng) * bpp + next_rand(&rng) % bpp;
		uint32_t g;

		b -= b % race_threads;
		b += t->id;
		if (b >= nblocks)
			continue;
		g = __atomic_load_n(&started[b], __ATOMIC_RELAXED) + 1;
		__atomic_store_n(&started[b], g, __ATOMIC_RELEASE);
		put_block(fd, v, b, g);
		__atomic_store_n(&done[b], g, __ATOMIC_RELEASE);
		t->writes++;
	}
	close(fd);
	free(v);
	return NULL;
}

static void *race_reader(void *arg)
{
	struct racer *t = arg;
	int fd = xopen(race_dev);
	uint64_t *v = xbuf(8 * BS), rng = 0x4321;

	while (!race_stop) {
		uint64_t b0 = pick_page(&rng) * bpp + next_rand(&rng) % bpp;
		/* Mostly single blocks, sometimes a ragged run. */
		uint64_t n = next_rand(&rng) % 4 ? 1 : 2 + next_rand(&rng) % 7;
		uint32_t lo[8];

		if (b0 + n > nblocks)
			n = nblocks - b0;
		for (uint64_t i = 0; i < n; i++)
			lo[i] = __atomic_load_n(&done[b0 + i], __ATOMIC_ACQUIRE);
		xpread(fd, v, n * BS, b0 * BS);
		t->reads++;
		for (uint64_t i = 0; i < n; i++) {
			uint64_t b = b0 + i;
			uint32_t hi = __atomic_load_n(&started[b],
						      __ATOMIC_ACQUIRE);
			int64_t g = classify(v + i * WORDS, b);

			if (g <= 0 || (uint64_t)g > hi) {
				report(0, "race read: block %llu holds %s%lld, owner has started %u (%016llx %016llx)",
				    (unsigned long long)b,
				    g < 0 ? "garbage " : "generation ",
				    (long long)g, hi,
				    (unsigned long long)v[i * WORDS],
				    (unsigned long long)v[i * WORDS + 1]);
			} else if ((uint64_t)g < lo[i]) {
				t->stale++;
				report(1, "race read: block %llu holds generation %lld, but %u was written before the read (lost update)",
				    (unsigned long long)b, (long long)g,
				    lo[i]);
			} else {
				t->verified++;
			}
		}
	}
	close(fd);
	free(v);
	return NULL;
}

static int mode_race(const char *dev, int secs, int n)
{
	uint64_t *v, *want, writes = 0, final_stale = 0, final_ok = 0;
	struct racer *t;
	int fd;

	if (n < 1 || n > 64)
		return 2;
	race_dev = dev;
	race_threads = n;
	fd = xopen(dev);
	started = calloc(nblocks, sizeof(*started));
	done = calloc(nblocks, sizeof(*done));
	want = calloc(nblocks, sizeof(*want));
	t = calloc(n + 1, sizeof(*t));
	v = xbuf(BS);
	if (!started || !done || !want || !t)
		return 2;
	/* Generation 1 everywhere first: no block is ever legitimately zero. */
	for (uint64_t b = 0; b < nblocks; b++) {
		put_block(fd, v, b, 1);
		started[b] = done[b] = 1;
	}
	for (int i = 0; i <= n; i++) {
		t[i].id = i;
		if (pthread_create(&t[i].tid, NULL,
				   i < n ? race_writer : race_reader, &t[i]))
			return 2;
	}
	sleep(secs);
	race_stop = 1;
	for (int i = 0; i <= n; i++) {
		pthread_join(t[i].tid, NULL);
		writes += t[i].writes;
	}
	/* Every block exactly at its owner's last generation. */
	for (uint64_t b = 0; b < nblocks; b++) {
		int64_t g;

		want[b] = done[b];
		xpread(fd, v, BS, b * BS);
		g = classify(v, b);
		if (g >= 0 && (uint64_t)g == want[b]) {
			final_ok++;
		} else if (g > 0 && (uint64_t)g < want[b]) {
			final_stale++;
			report(1, "race final: block %llu holds generation %lld, its owner last wrote %llu (lost update)",
			    (unsigned long long)b, (long long)g,
			    (unsigned long long)want[b]);
		} else {
			check(v, b, want[b], "race final");
		}
	}
	/* Whatever is left there, large reads must see the same. */
	for (uint64_t b = 0; b < nblocks; b++) {
		xpread(fd, v, BS, b * BS);
		want[b] = classify(v, b) < 0 ? 0 : classify(v, b);
	}
	verify_large(fd, want, "race final");
	printf("subpage: race: threads=%d secs=%d page_blocks=%llu blocks=%llu writes=%llu reads=%llu verified=%llu final_ok=%llu mismatches=%lu stale_reads=%llu stale=%llu\n",
	       n, secs, (unsigned long long)bpp, (unsigned long long)nblocks,
	       (unsigned long long)writes, (unsigned long long)t[n].reads,
	       (unsigned long long)t[n].verified,
	       (unsigned long long)final_ok, mismatches,
	       (unsigned long long)t[n].stale,
	       (unsigned long long)final_stale);
	close(fd);
	return mismatches || stale || !writes || !t[n].verified ? 1 : 0;
}

/* ------------------------------------------------------------ zero */

static int range_ioctl(int fd, unsigned long req, uint64_t b, uint64_t n)
{
	uint64_t r[2] = { b * BS, n * BS };

	if (ioctl(fd, req, r)) {
		fprintf(stderr, "subpage: %s of blocks %llu+%llu: %s\n",
			req == BLKZEROOUT ? "BLKZEROOUT" : "BLKDISCARD",
			(unsigned long long)b, (unsigned long long)n,
			strerror(errno));
		exit(2);
	}
	return 0;
}

struct zstats {
	uint64_t zeroouts, discards, zeroed, kept, dzeroed, checked;
};

/*
 * Zero or discard blocks [b, b + n), then check every block of the
 * pages the range touches and of one page either side. Zeroed blocks
 * and whole discarded pages must read zeroes; a discarded block sharing
 * its page with blocks outside the range may keep its data or read
 * zeroes; every other block must be intact.
 */
static void zap(int fd, uint64_t *want, uint64_t b, uint64_t n, int discard,
		struct zstats *st)
{
	uint64_t *v = xbuf(BS);
	uint64_t lo = b - b % bpp, hi = b + n + (bpp - (b + n) % bpp) % bpp;
	char what[64];

	snprintf(what, sizeof(what), "%s of blocks %llu+%llu",
		 discard ? "discard" : "write-zeroes",
		 (unsigned long long)b, (unsigned long long)n);
	range_ioctl(fd, discard ? BLKDISCARD : BLKZEROOUT, b, n);
	if (discard)
		st->discards++;
	else
		st->zeroouts++;
	lo = lo >= bpp ? lo - bpp : 0;
	hi = hi + bpp <= nblocks ? hi + bpp : nblocks;
	for (uint64_t i = lo; i < hi; i++, st->checked++) {
		uint64_t pg = i - i % bpp;
		int in = i >= b && i < b + n;
		int whole = pg >= b && pg + bpp <= b + n;
		int64_t g;

		if (!in) {
			get_block(fd, v, i, want[i], what);
			continue;
		}
		if (!discard || whole) {
			get_block(fd, v, i, 0, what);
			want[i] = 0;
			st->zeroed++;
			continue;
		}
		/* A hint: the old data or zeroes, nothing else. */
		xpread(fd, v, BS, i * BS);
		g = classify(v, i);
		if (g > 0 && (uint64_t)g == want[i]) {
			st->kept++;
		} else if (g == 0) {
			st->dzeroed++;
			want[i] = 0;
		} else {
			check(v, i, want[i], what);
		}
	}
	free(v);
}

static int mode_zero(const char *dev)
{
	int fd = xopen(dev);
	uint64_t *want = calloc(nblocks, sizeof(*want)), *v = xbuf(BS);
	uint64_t pages = nblocks / bpp, rewrites = 0, verified, pg;
	struct zstats st = { 0 };

	if (!want || pages < 16) {
		fprintf(stderr, "subpage: zero needs 16 pages or more\n");
		return 2;
	}
	for (uint64_t b = 0; b < nblocks; b++) {
		put_block(fd, v, b, 5);
		want[b] = 5;
	}
	/*
	 * Single blocks at every position in a page. Pages 1-3 have the
	 * three content kinds (compressible, random, mixed), and so do 4-6.
	 */
	for (pg = 1; pg <= 3; pg++)
		for (uint64_t k = 0; k < bpp; k++)
			zap(fd, want, pg * bpp + k, 1, 0, &st);
	for (pg = 4; pg <= 6; pg++)
		for (uint64_t k = 0; k < bpp; k++)
			zap(fd, want, pg * bpp + k, 1, 1, &st);
	/* Whole pages: one, then two. */
	zap(fd, want, 7 * bpp, bpp, 0, &st);
	zap(fd, want, 8 * bpp, 2 * bpp, 1, &st);
	/* Ragged multi-page ranges: from block 1 of a page to a tail. */
	zap(fd, want, pages / 2 * bpp + 1, 2 * bpp + 1, 0, &st);
	zap(fd, want, (pages / 2 + 4) * bpp + 1, 2 * bpp + 1, 1, &st);
	verified = verify_all(fd, want, "zero");
	/* Write into the emptied blocks again: RMW of empty and zero slots. */
	for (uint64_t b = 0; b < nblocks; b++) {
		if (want[b] == 5)
			continue;
		put_block(fd, v, b, 6);
		want[b] = 6;
		rewrites++;
	}
	verified += verify_all(fd, want, "zero after rewrite");
	printf("subpage: zero: page_blocks=%llu blocks=%llu zeroouts=%llu discards=%llu zeroed=%llu discard_kept=%llu discard_zeroed=%llu checked=%llu rewrites=%llu verified=%llu mismatches=%lu\n",
	       (unsigned long long)bpp, (unsigned long long)nblocks,
	       (unsigned long long)st.zeroouts, (unsigned long long)st.discards,
	       (unsigned long long)st.zeroed, (unsigned long long)st.kept,
	       (unsigned long long)st.dzeroed, (unsigned long long)st.checked,
	       (unsigned long long)rewrites, (unsigned long long)verified,
	       mismatches);
	close(fd);
	return mismatches || stale ? 1 : 0;
}

int main(int argc, char **argv)
{
	long ps = sysconf(_SC_PAGESIZE);

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (ps < (long)BS || ps % BS) {
		fprintf(stderr, "subpage: page size %ld\n", ps);
		return 2;
	}
	bpp = ps / BS;
	if (argc == 4 && !strcmp(argv[1], "poke"))
		return mode_poke(argv[2], strtoull(argv[3], NULL, 0));
	if (argc == 3 && !strcmp(argv[1], "fill"))
		return mode_fill(argv[2]);
	if (argc == 5 && !strcmp(argv[1], "race"))
		return mode_race(argv[2], atoi(argv[3]), atoi(argv[4]));
	if (argc == 3 && !strcmp(argv[1], "zero"))
		return mode_zero(argv[2]);
	fprintf(stderr, "usage: see the comment at the top of subpage.c\n");
	return 2;
}
