// SPDX-License-Identifier: GPL-2.0
/*
 * zbench: the timed, verifying workloads of `make bench` (95-bench-zram).
 *
 *   zbench io   -d DEV -c CORPUS -m MiB -b BYTES [-o w|r|wr]
 *   zbench swap -c CORPUS -m MiB -p PASSES -g CGROUP
 *   zbench gswap -c CORPUS -m MiB -p PASSES -t THREADS
 *   zbench wb   -z /sys/block/zramN [-s MODE]
 *
 * Both replay a stream built from the corpus (a file made on the host by
 * scripts/bench-corpus.py): page i of the stream is corpus page i mod N,
 * and every copy after the first carries a stamp in its first word, so a
 * 1 GiB stream made from the 64 MiB corpus holds no two equal pages.
 * Same-filled corpus pages are left unstamped: they stay same-filled, as
 * they would be in real memory.
 *
 * io writes the stream to DEV with O_DIRECT in BYTES-sized blocks, then
 * reads it back the same way and compares every block with what was
 * written. Each pwrite/pread is timed alone with CLOCK_MONOTONIC; making
 * the expected data and comparing it are outside the timed part. -o w
 * only writes, -o r only reads and verifies (what an earlier -o w wrote):
 * the writeback test runs its writeback between the two.
 *
 * wb times one write(2) of MODE (default "idle") to the device's
 * writeback attribute, and reads bd_stat around it: the throughput is
 * the pages it wrote to the backing device (bd_writes, 4K units) over
 * the time the write took.
 *
 * swap loads the corpus, then moves itself into CGROUP (a memory cgroup
 * far smaller than MiB, over a zram swap device: the corpus, charged
 * before the move, stays outside the limit and is never swapped), fills
 * an anonymous mapping of MiB with the stream, then touches every page PASSES times in a fixed pseudo-random
 * order and compares each one with what it should hold. A touch that took
 * a major fault (getrusage before and after) is a swap-in; its time is a
 * latency sample.
 *
 * gswap is swap under global memory pressure (HZ_BENCH_SWAP_GLOBAL=1):
 * no cgroup; the guest's RAM is smaller than MiB, so the kernel's own
 * reclaim swaps: kswapd, and each thread that faults in direct reclaim,
 * where shrink_slab() runs the pool's shrinker (the memcg test never
 * does: the shrinker is not memcg-aware). THREADS threads each own
 * MiB/THREADS of one mapping: they fill their part at once, wait for
 * each other, then touch it PASSES times in their own pseudo-random order
 * and verify every page, as swap does; the latency samples of all
 * threads are pooled. The corpus is mapped from its file and locked
 * (mlock), not copied: no second 64 MiB, and generating or checking a
 * page never faults on it. It also reports the reclaim the touching set
 * off (/proc/vmstat deltas: allocstall_* summed, pgscan/pgsteal direct
 * and kswapd, oom_kill).
 *
 * Output is one line of key=value pairs. Any data mismatch, short I/O or
 * I/O error exits 1: the bench fails on wrong data, never on a number.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hzguest.h"

#ifndef RUSAGE_THREAD
#define RUSAGE_THREAD 1
#endif

static size_t page_size;
static unsigned char *corpus;
static size_t corpus_pages;
static unsigned char *same_filled;	/* per corpus page: 1 if one word repeated */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void load_corpus(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY);
	size_t got = 0;

	if (fd < 0 || fstat(fd, &st)) {
		perror(path);
		exit(2);
	}
	corpus_pages = st.st_size / page_size;
	if (!corpus_pages) {
		fprintf(stderr, "zbench: %s is smaller than a page\n", path);
		exit(2);
	}
	corpus = malloc(corpus_pages * page_size);
	same_filled = calloc(corpus_pages, 1);
	if (!corpus || !same_filled) {
		perror("zbench: corpus");
		exit(2);
	}
	while (got < corpus_pages * page_size) {
		ssize_t n = read(fd, corpus + got, corpus_pages * page_size - got);

		if (n <= 0) {
			perror(path);
			exit(2);
		}
		got += n;
	}
	close(fd);
	for (size_t p = 0; p < corpus_pages; p++) {
		const uint64_t *v = (const uint64_t *)(corpus + p * page_size);
		size_t w;

		for (w = 1; w < page_size / 8; w++)
			if (v[w] != v[0])
				break;
		same_filled[p] = w == page_size / 8;
	}
}

/*
 * gswap's corpus: the file itself (the initramfs' tmpfs pages) mapped and
 * locked. Returns 1 if the lock held, 0 if not (the run goes on; the
 * corpus pages can then be reclaimed like any other).
 */
static int map_corpus(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY), locked;

	if (fd < 0 || fstat(fd, &st)) {
		perror(path);
		exit(2);
	}
	corpus_pages = st.st_size / page_size;
	if (!corpus_pages) {
		fprintf(stderr, "zbench: %s is smaller than a page\n", path);
		exit(2);
	}
	corpus = mmap(NULL, corpus_pages * page_size, PROT_READ,
		      MAP_SHARED | MAP_POPULATE, fd, 0);
	same_filled = calloc(corpus_pages, 1);
	if (corpus == MAP_FAILED || !same_filled) {
		perror("zbench: corpus");
		exit(2);
	}
	close(fd);
	locked = !mlock(corpus, corpus_pages * page_size);
	if (!locked)
		perror("zbench: mlock corpus (going on unlocked)");
	for (size_t p = 0; p < corpus_pages; p++) {
		const uint64_t *v = (const uint64_t *)(corpus + p * page_size);
		size_t w;

		for (w = 1; w < page_size / 8; w++)
			if (v[w] != v[0])
				break;
		same_filled[p] = w == page_size / 8;
	}
	return locked;
}

/* Stream page @i into @dst. */
static void stream_page(uint64_t i, unsigned char *dst)
{
	size_t p = i % corpus_pages;
	uint64_t copy = i / corpus_pages;

	memcpy(dst, corpus + p * page_size, page_size);
	if (copy && !same_filled[p]) {
		uint64_t w;

		memcpy(&w, dst, 8);
		w ^= mix(copy << 32 | p) | 1;
		memcpy(dst, &w, 8);
	}
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int do_io(const char *dev, uint64_t bytes, size_t bs, const char *ops)
{
	int do_write = !!strchr(ops, 'w'), do_read = !!strchr(ops, 'r');
	size_t ppb = bs / page_size;
	uint64_t nblocks = bytes / bs, wns = 0, rns = 0, t0, t1, twall;
	unsigned char *buf, *want;
	uint64_t bad = 0;
	int fd;

	if (!ppb || bs % page_size) {
		fprintf(stderr, "zbench: block size must be a multiple of the page size\n");
		return 2;
	}
	fd = open(dev, O_RDWR | O_DIRECT);
	if (fd < 0) {
		perror(dev);
		return 2;
	}
	if (posix_memalign((void **)&buf, page_size, bs) ||
	    posix_memalign((void **)&want, page_size, bs)) {
		perror("zbench: buffers");
		return 2;
	}
	twall = now_ns();
	for (uint64_t b = 0; do_write && b < nblocks; b++) {
		ssize_t n;

		for (size_t k = 0; k < ppb; k++)
			stream_page(b * ppb + k, buf + k * page_size);
		t0 = now_ns();
		n = pwrite(fd, buf, bs, (off_t)(b * bs));
		t1 = now_ns();
		if (n != (ssize_t)bs) {
			fprintf(stderr, "zbench: write block %llu: %s\n",
				(unsigned long long)b, n < 0 ? strerror(errno) : "short");
			return 1;
		}
		wns += t1 - t0;
	}
	t0 = now_ns();
	if (do_write && fsync(fd)) {
		perror("zbench: fsync");
		return 1;
	}
	wns += now_ns() - t0;
	for (uint64_t b = 0; do_read && b < nblocks; b++) {
		ssize_t n;

		t0 = now_ns();
		n = pread(fd, buf, bs, (off_t)(b * bs));
		t1 = now_ns();
		if (n != (ssize_t)bs) {
			fprintf(stderr, "zbench: read block %llu: %s\n",
				(unsigned long long)b, n < 0 ? strerror(errno) : "short");
			return 1;
		}
		rns += t1 - t0;
		for (size_t k = 0; k < ppb; k++)
			stream_page(b * ppb + k, want + k * page_size);
		if (memcmp(buf, want, bs) && bad++ < 5)
			fprintf(stderr, "zbench: block %llu of %zu bytes reads back wrong\n",
				(unsigned long long)b, bs);
	}
	twall = now_ns() - twall;
	close(fd);
	printf("bytes=%llu bs=%zu ", (unsigned long long)(nblocks * bs), bs);
	if (do_write)
		printf("write_ns=%llu write_mibs=%.2f ", (unsigned long long)wns,
		       (double)nblocks * bs / 1048576.0 / ((double)wns / 1e9));
	if (do_read)
		printf("read_ns=%llu read_mibs=%.2f bad_blocks=%llu ",
		       (unsigned long long)rns,
		       (double)nblocks * bs / 1048576.0 / ((double)rns / 1e9),
		       (unsigned long long)bad);
	printf("wall_ns=%llu\n", (unsigned long long)twall);
	return bad ? 1 : 0;
}

/* bd_stat's three fields (bd_count bd_reads bd_writes, 4K units). */
static int bd_stat(const char *zdir, unsigned long long v[3])
{
	char path[512];
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "%s/bd_stat", zdir);
	f = fopen(path, "r");
	if (!f) {
		perror(path);
		return -1;
	}
	n = fscanf(f, "%llu %llu %llu", &v[0], &v[1], &v[2]);
	fclose(f);
	return n == 3 ? 0 : -1;
}

static int do_wb(const char *zdir, const char *mode)
{
	unsigned long long b0[3], b1[3], pages;
	char path[512];
	uint64_t t0, ns;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/writeback", zdir);
	fd = open(path, O_WRONLY);
	if (fd < 0 || bd_stat(zdir, b0)) {
		perror(path);
		return 2;
	}
	/* One write(2): the whole pass happens inside it. */
	t0 = now_ns();
	n = write(fd, mode, strlen(mode));
	ns = now_ns() - t0;
	if (n != (ssize_t)strlen(mode)) {
		fprintf(stderr, "zbench: writeback %s: %s\n", mode,
			n < 0 ? strerror(errno) : "short write");
		return 1;
	}
	close(fd);
	if (bd_stat(zdir, b1))
		return 2;
	pages = b1[2] - b0[2];
	printf("wb_ns=%llu wb_pages4k=%llu wb_mibs=%.2f bd_count=%llu\n",
	       (unsigned long long)ns, pages,
	       (double)pages * 4096 / 1048576.0 / ((double)ns / 1e9), b1[0]);
	return 0;
}

static uint64_t vmstat(const char *key)
{
	char name[64];
	unsigned long long v;
	uint64_t ret = 0;
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return 0;
	while (fscanf(f, "%63s %llu", name, &v) == 2)
		if (!strcmp(name, key))
			ret = v;
	fclose(f);
	return ret;
}

static long majflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_THREAD, &ru);
	return ru.ru_majflt;
}

static int join_cgroup(const char *cg)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	f = fopen(path, "w");
	if (!f || fprintf(f, "%d\n", (int)getpid()) < 0 || fclose(f)) {
		perror(path);
		return -1;
	}
	return 0;
}

static int do_swap(uint64_t bytes, int passes, const char *cg)
{
	size_t npages = bytes / page_size, nsamp = 0, cap;
	uint64_t in0, out0, in1, out1, t0, t1, tfill, tpass, rng = 0x5eed;
	unsigned char *area, *want;
	uint32_t *lat;
	uint64_t bad = 0;

	area = mmap(NULL, npages * page_size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	want = malloc(page_size);
	cap = npages * (size_t)passes;
	lat = malloc(cap * sizeof(*lat));
	if (area == MAP_FAILED || !want || !lat) {
		perror("zbench: swap area");
		return 2;
	}
	/* The latency array is touched now so it is charged outside too. */
	memset(lat, 0, cap * sizeof(*lat));
	memset(want, 0, page_size);
	if (join_cgroup(cg))
		return 2;
	/* Huge pages would swap (and be timed) 512 pages at a time. */
	madvise(area, npages * page_size, MADV_NOHUGEPAGE);

	in0 = vmstat("pswpin");
	out0 = vmstat("pswpout");
	t0 = now_ns();
	for (size_t p = 0; p < npages; p++)
		stream_page(p, area + p * page_size);
	tfill = now_ns() - t0;
	in1 = vmstat("pswpin");
	out1 = vmstat("pswpout");
	printf("fill_ns=%llu fill_pswpout=%llu ", (unsigned long long)tfill,
	       (unsigned long long)(out1 - out0));

	in0 = in1;
	out0 = out1;
	tpass = now_ns();
	for (int pass = 0; pass < passes; pass++) {
		for (size_t k = 0; k < npages; k++) {
			size_t p = next_rand(&rng) % npages;
			volatile unsigned char *at = area + p * page_size;
			long f0 = majflt();

			t0 = now_ns();
			(void)*at;
			t1 = now_ns();
			if (majflt() != f0 && nsamp < cap)
				lat[nsamp++] = (uint32_t)(t1 - t0 > UINT32_MAX ?
							  UINT32_MAX : t1 - t0);
			stream_page(p, want);
			if (memcmp(area + p * page_size, want, page_size) && bad++ < 5)
				fprintf(stderr, "zbench: swapped page %zu reads back wrong\n", p);
		}
	}
	tpass = now_ns() - tpass;
	in1 = vmstat("pswpin");
	out1 = vmstat("pswpout");
	qsort(lat, nsamp, sizeof(*lat), cmp_u32);
	printf("pages=%zu passes=%d pass_ns=%llu pswpin=%llu pswpout=%llu "
	       "swapped_per_s=%.1f swapin_samples=%zu swapin_p50_ns=%u "
	       "swapin_p99_ns=%u bad_pages=%llu\n",
	       npages, passes, (unsigned long long)tpass,
	       (unsigned long long)(in1 - in0), (unsigned long long)(out1 - out0),
	       (double)(in1 - in0 + out1 - out0) / ((double)tpass / 1e9), nsamp,
	       nsamp ? lat[nsamp / 2] : 0,
	       nsamp ? lat[nsamp * 99 / 100] : 0, (unsigned long long)bad);
	return bad ? 1 : 0;
}

/* The sum of the /proc/vmstat counters whose names start with @prefix. */
static uint64_t vmstat_sum(const char *prefix)
{
	char name[64];
	unsigned long long v;
	uint64_t ret = 0;
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return 0;
	while (fscanf(f, "%63s %llu", name, &v) == 2)
		if (!strncmp(name, prefix, strlen(prefix)))
			ret += v;
	fclose(f);
	return ret;
}

/* The reclaim counters gswap reports, as deltas over its touching phase. */
static const char *const gswap_counters[] = {
	"allocstall_", "pgscan_direct", "pgscan_kswapd", "pgsteal_direct",
	"pgsteal_kswapd", "oom_kill",
};
#define N_GSWAP_COUNTERS (sizeof(gswap_counters) / sizeof(gswap_counters[0]))

struct gswap_thread {
	pthread_t tid;
	pthread_barrier_t *bar;
	unsigned char *area;	/* this thread's part of the mapping */
	size_t first, npages;	/* its stream pages: first .. first+npages-1 */
	int passes;
	uint64_t rng;
	uint32_t *lat;
	size_t nsamp, cap;
	uint64_t bad;
};

static void *gswap_worker(void *arg)
{
	struct gswap_thread *t = arg;
	unsigned char *want = malloc(page_size);

	if (!want) {
		perror("zbench: gswap");
		exit(2);
	}
	for (size_t p = 0; p < t->npages; p++)
		stream_page(t->first + p, t->area + p * page_size);
	/* Fill done: the main thread reads the counters between the two. */
	pthread_barrier_wait(t->bar);
	pthread_barrier_wait(t->bar);
	for (int pass = 0; pass < t->passes; pass++) {
		for (size_t k = 0; k < t->npages; k++) {
			size_t p = next_rand(&t->rng) % t->npages;
			volatile unsigned char *at = t->area + p * page_size;
			long f0 = majflt();
			uint64_t t0, t1;

			t0 = now_ns();
			(void)*at;
			t1 = now_ns();
			if (majflt() != f0 && t->nsamp < t->cap)
				t->lat[t->nsamp++] = (uint32_t)(t1 - t0 > UINT32_MAX ?
								UINT32_MAX : t1 - t0);
			stream_page(t->first + p, want);
			if (memcmp(t->area + p * page_size, want, page_size) &&
			    t->bad++ < 5)
				fprintf(stderr, "zbench: swapped page %zu reads back wrong\n",
					t->first + p);
		}
	}
	free(want);
	return NULL;
}

static int do_gswap(uint64_t bytes, int passes, int nthreads, int locked)
{
	size_t npages = bytes / page_size, per = npages / nthreads, nsamp = 0;
	uint64_t c0[N_GSWAP_COUNTERS], in0, out0, in1, out1, t0, tfill, tpass;
	struct gswap_thread *t = calloc(nthreads, sizeof(*t));
	pthread_barrier_t bar;
	unsigned char *area;
	uint32_t *lat;
	uint64_t bad = 0;

	npages = per * nthreads;
	area = mmap(NULL, npages * page_size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	lat = malloc(npages * (size_t)passes * sizeof(*lat));
	if (!t || !per || area == MAP_FAILED || !lat) {
		perror("zbench: gswap area");
		return 2;
	}
	/* Touched and locked now, so that recording a sample never faults. */
	memset(lat, 0, npages * (size_t)passes * sizeof(*lat));
	mlock(lat, npages * (size_t)passes * sizeof(*lat));
	/* Huge pages would swap (and be timed) 512 pages at a time. */
	madvise(area, npages * page_size, MADV_NOHUGEPAGE);
	pthread_barrier_init(&bar, NULL, nthreads + 1);

	in0 = vmstat("pswpin");
	out0 = vmstat("pswpout");
	t0 = now_ns();
	for (int i = 0; i < nthreads; i++) {
		t[i].bar = &bar;
		t[i].area = area + (size_t)i * per * page_size;
		t[i].first = (size_t)i * per;
		t[i].npages = per;
		t[i].passes = passes;
		t[i].rng = 0x5eed + i;
		t[i].cap = per * (size_t)passes;
		t[i].lat = lat + (size_t)i * t[i].cap;
		if (pthread_create(&t[i].tid, NULL, gswap_worker, &t[i])) {
			perror("zbench: pthread_create");
			return 2;
		}
	}
	pthread_barrier_wait(&bar);
	tfill = now_ns() - t0;
	in1 = vmstat("pswpin");
	out1 = vmstat("pswpout");
	printf("threads=%d corpus_locked=%d fill_ns=%llu fill_pswpout=%llu ",
	       nthreads, locked, (unsigned long long)tfill,
	       (unsigned long long)(out1 - out0));
	in0 = in1;
	out0 = out1;
	for (size_t c = 0; c < N_GSWAP_COUNTERS; c++)
		c0[c] = vmstat_sum(gswap_counters[c]);
	tpass = now_ns();
	pthread_barrier_wait(&bar);
	for (int i = 0; i < nthreads; i++) {
		pthread_join(t[i].tid, NULL);
		bad += t[i].bad;
	}
	tpass = now_ns() - tpass;
	in1 = vmstat("pswpin");
	out1 = vmstat("pswpout");
	for (size_t c = 0; c < N_GSWAP_COUNTERS; c++) {
		const char *n = gswap_counters[c];

		printf("%.*s=%llu ", (int)(strlen(n) - (n[strlen(n) - 1] == '_')), n,
		       (unsigned long long)(vmstat_sum(n) - c0[c]));
	}
	/* Pool the samples (each thread's are at the start of its share). */
	for (int i = 0; i < nthreads; i++) {
		memmove(lat + nsamp, t[i].lat, t[i].nsamp * sizeof(*lat));
		nsamp += t[i].nsamp;
	}
	qsort(lat, nsamp, sizeof(*lat), cmp_u32);
	printf("pages=%zu passes=%d pass_ns=%llu pswpin=%llu pswpout=%llu "
	       "swapped_per_s=%.1f swapin_samples=%zu swapin_p50_ns=%u "
	       "swapin_p99_ns=%u swapin_p999_ns=%u swapin_max_ns=%u bad_pages=%llu\n",
	       npages, passes, (unsigned long long)tpass,
	       (unsigned long long)(in1 - in0), (unsigned long long)(out1 - out0),
	       (double)(in1 - in0 + out1 - out0) / ((double)tpass / 1e9), nsamp,
	       nsamp ? lat[nsamp / 2] : 0, nsamp ? lat[nsamp * 99 / 100] : 0,
	       nsamp ? lat[nsamp * 999 / 1000] : 0, nsamp ? lat[nsamp - 1] : 0,
	       (unsigned long long)bad);
	return bad ? 1 : 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: zbench io -d DEV -c CORPUS -m MiB -b BYTES [-o w|r|wr]\n"
		"       zbench swap -c CORPUS -m MiB -p PASSES -g CGROUP\n"
		"       zbench gswap -c CORPUS -m MiB -p PASSES -t THREADS\n"
		"       zbench wb -z /sys/block/zramN [-s MODE]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *dev = NULL, *cpath = NULL, *cg = NULL, *mode;
	const char *ops = "wr", *zdir = NULL, *wbmode = "idle";
	uint64_t mib = 64;
	size_t bs = 1 << 20;
	int passes = 2, threads = 4, opt;

	if (argc < 2)
		usage();
	mode = argv[1];
	optind = 2;
	while ((opt = getopt(argc, argv, "d:c:m:b:p:g:o:z:s:t:")) != -1) {
		switch (opt) {
		case 'd': dev = optarg; break;
		case 'c': cpath = optarg; break;
		case 'm': mib = strtoull(optarg, NULL, 0); break;
		case 'b': bs = strtoul(optarg, NULL, 0); break;
		case 'p': passes = atoi(optarg); break;
		case 'g': cg = optarg; break;
		case 'o': ops = optarg; break;
		case 'z': zdir = optarg; break;
		case 's': wbmode = optarg; break;
		case 't': threads = atoi(optarg); break;
		default: usage();
		}
	}
	/* Line-buffered so a crash still leaves what was measured. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(mode, "wb") && zdir)
		return do_wb(zdir, wbmode);
	if (!cpath)
		usage();
	page_size = sysconf(_SC_PAGESIZE);
	if (!strcmp(mode, "gswap")) {
		int locked = map_corpus(cpath);

		return do_gswap(mib << 20, passes < 1 ? 1 : passes,
				threads < 1 ? 1 : threads, locked);
	}
	load_corpus(cpath);
	if (!strcmp(mode, "io") && dev && (strchr(ops, 'w') || strchr(ops, 'r')))
		return do_io(dev, mib << 20, bs, ops);
	if (!strcmp(mode, "swap") && cg)
		return do_swap(mib << 20, passes < 1 ? 1 : passes, cg);
	usage();
	return 2;
}
