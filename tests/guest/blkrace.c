// SPDX-License-Identifier: GPL-2.0
/*
 * blkrace: racing block I/O on a zram device, each mode checking that no
 * interleaving can produce a page nobody wrote.
 *
 * Every block written here is self-describing: word 0 names the writer,
 * word 1 a sequence number, and the rest is derived from both. A read is
 * "whole" if it is all zeroes (never written, or discarded) or a complete
 * page of one write; anything else is torn or corrupt and fails the run.
 *
 *   blkrace same DEV SECS NPROC
 *	NPROC processes write their own pages to the same few blocks with
 *	O_DIRECT while another process reads them: every read must be whole
 *	(a page write is atomic against reads of that page).
 *   blkrace discard DEV SECS
 *	one process writes, one discards (ioctl BLKDISCARD), one reads, over
 *	the same region: reads must be whole; at the end a discard of the
 *	whole region must leave it reading as zeroes.
 *   blkrace verify DEV SECS NTHREADS
 *	threads own disjoint blocks, write, discard and read them back; a
 *	read of an owned block must equal what its owner last did. For
 *	running under compaction, CPU hotplug and the like.
 *   blkrace open DEV SECS
 *	open, read, close in a loop while the device is being reset or
 *	removed: open may fail with ENOENT/ENXIO/ENODEV, or EBUSY while a
 *	reset or removal holds the device, a read may hit the end of a
 *	device that became empty; any other error fails.
 *   blkrace discard1 DEV OFFSET LEN
 *	one BLKDISCARD; prints "ok" or the errno name.
 */
#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hzguest.h"

#define MAGIC 0x626c6b7261636500ULL

static size_t bs, words;

static uint64_t body(uint64_t id, uint64_t seq, size_t w)
{
	return class_word(mix((id << 40) ^ seq), w);
}

static void fill(uint64_t *v, uint64_t id, uint64_t seq)
{
	v[0] = MAGIC ^ id;
	v[1] = seq;
	for (size_t w = 2; w < words; w++)
		v[w] = body(id, seq, w);
}

/* 0: zeroes, 1: a whole page of some write, -1: neither. */
static int whole(const uint64_t *v)
{
	size_t w;

	for (w = 0; w < words && !v[w]; w++)
		;
	if (w == words)
		return 0;
	if ((v[0] ^ MAGIC) >> 32)
		return -1;
	for (w = 2; w < words; w++)
		if (v[w] != body(v[0] ^ MAGIC, v[1], w))
			return -1;
	return 1;
}

static void report(const char *what, uint64_t blk, const uint64_t *v)
{
	fprintf(stderr, "blkrace: %s: block %llu holds a torn or foreign page (%016llx %016llx %016llx)\n",
		what, (unsigned long long)blk, (unsigned long long)v[0],
		(unsigned long long)v[1], (unsigned long long)v[2]);
}

static void *xbuf(void)
{
	return zbuf(bs, bs, "blkrace");
}

static int xopen(const char *dev, uint64_t *blocks)
{
	uint64_t size;
	int fd = open(dev, O_RDWR | O_DIRECT);

	if (fd < 0 || ioctl(fd, BLKGETSIZE64, &size)) {
		perror(dev);
		exit(2);
	}
	*blocks = size / bs;
	return fd;
}

static int discard(int fd, uint64_t off, uint64_t len)
{
	uint64_t r[2] = { off, len };

	return ioctl(fd, BLKDISCARD, r);
}

/* Fork a child running fn(arg); the child exits with fn's result. */
static pid_t spawn(int (*fn)(const char *, int, uint64_t), const char *dev,
		   int secs, uint64_t arg)
{
	pid_t pid = fork();

	if (pid < 0) {
		perror("fork");
		exit(2);
	}
	if (!pid)
		_exit(fn(dev, secs, arg));
	return pid;
}

static int reap(pid_t *pids, int n)
{
	int bad = 0, st;

	for (int i = 0; i < n; i++) {
		if (waitpid(pids[i], &st, 0) < 0 || !WIFEXITED(st) ||
		    WEXITSTATUS(st)) {
			fprintf(stderr, "blkrace: child %d failed (status %#x)\n",
				(int)pids[i], st);
			bad = 1;
		}
	}
	return bad;
}

/* ----------------------------------------------------------- same */

#define SAME_BLOCKS 4

static int same_writer(const char *dev, int secs, uint64_t id)
{
	uint64_t nb, seq = 0, rng = id + 1, *v = xbuf();
	int fd = xopen(dev, &nb);
	time_t end = time(NULL) + secs;

	while (time(NULL) < end) {
		uint64_t b = next_rand(&rng) % SAME_BLOCKS;

		fill(v, id, ++seq);
		if (pwrite(fd, v, bs, b * bs) != (ssize_t)bs) {
			perror("blkrace: same: write");
			return 1;
		}
	}
	printf("blkrace: same: writer %llu wrote %llu pages\n",
	       (unsigned long long)id, (unsigned long long)seq);
	return 0;
}

static int same_reader(const char *dev, int secs, uint64_t unused)
{
	uint64_t nb, n = 0, pages = 0, *v = xbuf();
	int fd = xopen(dev, &nb), bad = 0;
	time_t end = time(NULL) + secs;

	(void)unused;
	while (time(NULL) < end && bad < 5) {
		uint64_t b = n++ % SAME_BLOCKS;

		if (pread(fd, v, bs, b * bs) != (ssize_t)bs) {
			perror("blkrace: same: read");
			return 1;
		}
		switch (whole(v)) {
		case 1: pages++; break;
		case 0: break;
		default: report("same", b, v); bad++;
		}
	}
	printf("blkrace: same: reader checked %llu reads, %llu written pages\n",
	       (unsigned long long)n, (unsigned long long)pages);
	return bad ? 1 : (pages ? 0 : 1);
}

static int mode_same(const char *dev, int secs, int nproc)
{
	pid_t pids[33];
	int n = 0;

	if (nproc < 2 || nproc > 32)
		nproc = 4;
	for (int i = 0; i < nproc; i++)
		pids[n++] = spawn(same_writer, dev, secs, i + 1);
	pids[n++] = spawn(same_reader, dev, secs, 0);
	return reap(pids, n);
}

/* -------------------------------------------------------- discard */

#define DISCARD_BLOCKS 256

static int disc_writer(const char *dev, int secs, uint64_t id)
{
	uint64_t nb, seq = 0, rng = 99, *v = xbuf();
	int fd = xopen(dev, &nb);
	time_t end = time(NULL) + secs;

	while (time(NULL) < end) {
		uint64_t b = next_rand(&rng) % DISCARD_BLOCKS;

		fill(v, id, ++seq);
		if (pwrite(fd, v, bs, b * bs) != (ssize_t)bs) {
			perror("blkrace: discard: write");
			return 1;
		}
	}
	printf("blkrace: discard: %llu writes\n", (unsigned long long)seq);
	return 0;
}

static int disc_discarder(const char *dev, int secs, uint64_t unused)
{
	uint64_t nb, n = 0, rng = 5;
	int fd = xopen(dev, &nb);
	time_t end = time(NULL) + secs;

	(void)unused;
	while (time(NULL) < end) {
		uint64_t b = next_rand(&rng) % DISCARD_BLOCKS;
		uint64_t len = 1 + next_rand(&rng) % 8;

		if (b + len > DISCARD_BLOCKS)
			len = DISCARD_BLOCKS - b;
		if (discard(fd, b * bs, len * bs)) {
			perror("blkrace: BLKDISCARD");
			return 1;
		}
		n++;
	}
	printf("blkrace: discard: %llu discards\n", (unsigned long long)n);
	return 0;
}

static int disc_reader(const char *dev, int secs, uint64_t unused)
{
	uint64_t nb, n = 0, zero = 0, pages = 0, *v = xbuf();
	int fd = xopen(dev, &nb), bad = 0;
	time_t end = time(NULL) + secs;

	(void)unused;
	while (time(NULL) < end && bad < 5) {
		uint64_t b = n++ % DISCARD_BLOCKS;

		if (pread(fd, v, bs, b * bs) != (ssize_t)bs) {
			perror("blkrace: discard: read");
			return 1;
		}
		switch (whole(v)) {
		case 1: pages++; break;
		case 0: zero++; break;
		default: report("discard", b, v); bad++;
		}
	}
	printf("blkrace: discard: reader %llu reads: %llu pages, %llu zero\n",
	       (unsigned long long)n, (unsigned long long)pages,
	       (unsigned long long)zero);
	return bad ? 1 : 0;
}

static int mode_discard(const char *dev, int secs)
{
	uint64_t nb, *v = xbuf();
	pid_t pids[3];
	int fd, bad;

	pids[0] = spawn(disc_writer, dev, secs, 1);
	pids[1] = spawn(disc_discarder, dev, secs, 0);
	pids[2] = spawn(disc_reader, dev, secs, 0);
	bad = reap(pids, 3);

	fd = xopen(dev, &nb);
	if (discard(fd, 0, DISCARD_BLOCKS * bs)) {
		perror("blkrace: final BLKDISCARD");
		return 1;
	}
	for (uint64_t b = 0; b < DISCARD_BLOCKS; b++) {
		if (pread(fd, v, bs, b * bs) != (ssize_t)bs) {
			perror("blkrace: final read");
			return 1;
		}
		if (whole(v) != 0) {
			fprintf(stderr, "blkrace: block %llu not zero after discard\n",
				(unsigned long long)b);
			bad = 1;
		}
	}
	printf("blkrace: discard: region reads as zeroes after the final discard\n");
	return bad;
}

/* --------------------------------------------------------- verify */

struct vthread {
	pthread_t tid;
	const char *dev;
	int id, nthreads, secs, bad;
	uint64_t nblocks, writes, discards, checks;
};

static void *verifier(void *arg)
{
	struct vthread *t = arg;
	uint64_t nb, rng = t->id * 7919 + 1, seq = 0, *v = xbuf(), *r = xbuf();
	uint64_t *last, mine;
	int fd = xopen(t->dev, &nb);
	time_t end = time(NULL) + t->secs;

	mine = t->nblocks / t->nthreads;
	last = calloc(mine, sizeof(*last));	/* 0: zeroes expected */
	if (!last)
		exit(2);
	while (time(NULL) < end && t->bad < 5) {
		uint64_t i = next_rand(&rng) % mine;
		uint64_t b = i * t->nthreads + t->id;
		unsigned int op = next_rand(&rng) % 16;

		if (op < 8) {
			fill(v, t->id + 1, ++seq);
			if (pwrite(fd, v, bs, b * bs) != (ssize_t)bs) {
				perror("blkrace: verify: write");
				t->bad++;
				break;
			}
			last[i] = seq;
			t->writes++;
		} else if (op < 10) {
			if (discard(fd, b * bs, bs)) {
				perror("blkrace: verify: discard");
				t->bad++;
				break;
			}
			last[i] = 0;
			t->discards++;
		} else {
			if (pread(fd, r, bs, b * bs) != (ssize_t)bs) {
				perror("blkrace: verify: read");
				t->bad++;
				break;
			}
			t->checks++;
			if (last[i])
				fill(v, t->id + 1, last[i]);
			else
				memset(v, 0, bs);
			if (memcmp(r, v, bs)) {
				fprintf(stderr, "blkrace: verify: block %llu: expected seq %llu, got %016llx %016llx\n",
					(unsigned long long)b,
					(unsigned long long)last[i],
					(unsigned long long)r[0],
					(unsigned long long)r[1]);
				t->bad++;
			}
		}
	}
	/* Final pass over every owned block. */
	for (uint64_t i = 0; i < mine && !t->bad; i++) {
		uint64_t b = i * t->nthreads + t->id;

		if (pread(fd, r, bs, b * bs) != (ssize_t)bs) {
			perror("blkrace: verify: final read");
			t->bad++;
			break;
		}
		if (last[i])
			fill(v, t->id + 1, last[i]);
		else
			memset(v, 0, bs);
		if (memcmp(r, v, bs)) {
			fprintf(stderr, "blkrace: verify: final: block %llu wrong\n",
				(unsigned long long)b);
			t->bad++;
		}
		t->checks++;
	}
	close(fd);
	free(last);
	return NULL;
}

static int mode_verify(const char *dev, int secs, int n)
{
	uint64_t nb, w = 0, d = 0, c = 0;
	struct vthread *t;
	int fd, bad = 0;

	if (n < 1 || n > 16)
		n = 2;
	fd = xopen(dev, &nb);
	/* Start from zeroes whatever the device held. */
	if (discard(fd, 0, nb * bs)) {
		perror("blkrace: verify: initial discard");
		return 1;
	}
	close(fd);
	t = calloc(n, sizeof(*t));
	if (!t)
		return 2;
	for (int i = 0; i < n; i++) {
		t[i] = (struct vthread){ .dev = dev, .id = i, .nthreads = n,
					 .secs = secs, .nblocks = nb };
		if (pthread_create(&t[i].tid, NULL, verifier, &t[i]))
			return 2;
	}
	for (int i = 0; i < n; i++) {
		pthread_join(t[i].tid, NULL);
		bad += t[i].bad;
		w += t[i].writes;
		d += t[i].discards;
		c += t[i].checks;
	}
	printf("blkrace: verify: %d threads, %llu blocks: writes=%llu discards=%llu checks=%llu bad=%d\n",
	       n, (unsigned long long)nb, (unsigned long long)w,
	       (unsigned long long)d, (unsigned long long)c, bad);
	return bad || !c ? 1 : 0;
}

/* ----------------------------------------------------------- open */

static int mode_open(const char *dev, int secs)
{
	uint64_t opens = 0, gone = 0, reads = 0, eof = 0, *v = xbuf();
	time_t end = time(NULL) + secs;

	while (time(NULL) < end) {
		int fd = open(dev, O_RDONLY | O_DIRECT);
		ssize_t n;

		if (fd < 0) {
			/* Gone, or claimed by a reset/remove in progress. */
			if (errno == ENOENT || errno == ENXIO || errno == ENODEV ||
			    errno == EBUSY) {
				gone++;
				usleep(1000);
				continue;
			}
			perror("blkrace: open");
			return 1;
		}
		opens++;
		for (int i = 0; i < 8; i++) {
			n = pread(fd, v, bs, i * bs);
			if (n == (ssize_t)bs) {
				reads++;
			} else if (n == 0) {
				eof++;		/* reset: the device is empty */
				break;
			} else {
				fprintf(stderr, "blkrace: open: read: %s\n",
					n < 0 ? strerror(errno) : "short");
				close(fd);
				return 1;
			}
		}
		close(fd);
	}
	printf("blkrace: open: opens=%llu reads=%llu eof=%llu absent_or_busy=%llu\n",
	       (unsigned long long)opens, (unsigned long long)reads,
	       (unsigned long long)eof, (unsigned long long)gone);
	return 0;
}

static const char *ename(int e)
{
	switch (e) {
	case EINVAL: return "EINVAL";
	case EIO: return "EIO";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ENOSPC: return "ENOSPC";
	case EBADF: return "EBADF";
	case EPERM: return "EPERM";
	default: return strerror(e);
	}
}

int main(int argc, char **argv)
{
	bs = sysconf(_SC_PAGESIZE);
	words = bs / 8;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 5 && !strcmp(argv[1], "same"))
		return mode_same(argv[2], atoi(argv[3]), atoi(argv[4]));
	if (argc == 4 && !strcmp(argv[1], "discard"))
		return mode_discard(argv[2], atoi(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "verify"))
		return mode_verify(argv[2], atoi(argv[3]), atoi(argv[4]));
	if (argc == 4 && !strcmp(argv[1], "open"))
		return mode_open(argv[2], atoi(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "discard1")) {
		int fd = open(argv[2], O_RDWR);

		if (fd < 0) {
			printf("open:%s\n", ename(errno));
			return 0;
		}
		if (discard(fd, strtoull(argv[3], NULL, 0),
			    strtoull(argv[4], NULL, 0)))
			printf("%s\n", ename(errno));
		else
			printf("ok\n");
		return 0;
	}
	fprintf(stderr, "usage: see the comment at the top of blkrace.c\n");
	return 2;
}
