// SPDX-License-Identifier: GPL-2.0
/*
 * unstable: O_DIRECT writes of a buffer that another thread keeps
 * rewriting, the 2016 "unstable page" shape, and proof that it hurts
 * nobody else.
 *
 * O_DIRECT pins the user's page and hands it to the driver as is; no
 * stable-page machinery protects it, so the driver may see the data change
 * between checking for a same-filled page, compressing, and (on the
 * allocator's slow path) compressing again. The 2016 bug compressed twice,
 * got a bigger result the second time and copied it into an object sized
 * from the first, overrunning its neighbour. So:
 *
 *   - one writer thread writes blocks at random offsets, either from the
 *     shared buffer that the mutator thread rewrites without pause
 *     (alternating zero, same-filled, random and text-like content, so the
 *     compressed size jumps between extremes), or from a private "control"
 *     buffer nobody touches, holding a pattern derived from the block
 *     number and a sequence number;
 *   - with -F the writer thread (only it) sets make-it-fail, so with the
 *     failslab/fail_page_alloc task filter the driver's allocations fail
 *     at random, forcing its slow path and its error path;
 *   - now and then the writer reads back a control block and checks it.
 *
 * At the end, with make-it-fail cleared and the mutator stopped, every
 * block is read: a block whose last write succeeded from a control buffer
 * must hold exactly that pattern (an overrun from a neighbouring unstable
 * write would show here); a block last written from the unstable buffer
 * may hold anything but must be readable; only a block whose last write
 * failed may fail to read. Write errors must be EIO or ENOMEM; anything
 * else, a read error elsewhere or any mismatch makes the exit status 1.
 *
 * usage: unstable [-d DEV] [-b BLOCKS] [-s SECONDS] [-F]
 */
#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "hzguest.h"

enum { B_CONTROL, B_UNSTABLE, B_FAILED };

static size_t bs, words;
static unsigned char *ubuf;		/* shared with the mutator */
static atomic_int stop;
static uint64_t mutations;

/*
 * Control blocks carry blk_pattern() under this tag ("unstable"), whose
 * classes make control objects share size classes (and neighbours) with
 * the unstable ones.
 */
#define TAG 0x756e737461626c65ULL

static void *mutate(void *arg)
{
	volatile uint64_t *v = (volatile uint64_t *)ubuf;
	uint64_t r = 1;

	(void)arg;
	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		uint64_t style = mix(++r) & 3;

		for (size_t w = 0; w < words; w++) {
			switch (style) {
			case 0: v[w] = 0; break;
			case 1: v[w] = r; break;
			case 2: v[w] = mix(r + w); break;
			default: v[w] = r + (w & 15); break;
			}
		}
		mutations++;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct blk_opts o = { "/dev/zram0", 4096, 30, 0 };
	uint64_t rng = 42, seq = 0, it = 0;
	uint64_t w_ok = 0, w_unstable = 0, w_eio = 0, w_enomem = 0;
	uint64_t spot = 0, spot_err = 0, verified = 0, unstable_ok = 0;
	uint64_t failed_ok = 0, failed_err = 0, bad = 0;
	int fd;
	unsigned char *state;
	uint64_t *cseq, *cbuf, *rbuf;
	pthread_t mt;
	time_t end;

	if (blk_opts_parse(&o, argc, argv, "unstable"))
		return 2;
	bs = sysconf(_SC_PAGESIZE);
	words = bs / 8;
	fd = blk_open(&o, bs);
	if (fd < 0)
		return 2;
	if (o.nblocks < 16) {
		fprintf(stderr, "unstable: %s too small\n", o.dev);
		return 2;
	}
	state = calloc(o.nblocks, 1);
	cseq = calloc(o.nblocks, sizeof(*cseq));
	if (!state || !cseq || posix_memalign((void **)&ubuf, bs, bs) ||
	    posix_memalign((void **)&cbuf, bs, bs) ||
	    posix_memalign((void **)&rbuf, bs, bs)) {
		fprintf(stderr, "unstable: out of memory\n");
		return 2;
	}
	memset(ubuf, 0, bs);
	/*
	 * With make-it-fail set our own page faults could be failed too;
	 * have every page we will touch resident and locked first.
	 */
	if (mlockall(MCL_CURRENT | MCL_FUTURE))
		perror("unstable: mlockall (continuing)");

	/* Every block starts as a known control block. */
	for (uint64_t b = 0; b < o.nblocks; b++) {
		blk_fill(cbuf, words, TAG, b, 0);
		if (pwrite(fd, cbuf, bs, b * bs) != (ssize_t)bs) {
			perror("unstable: initial write");
			return 1;
		}
	}

	if (pthread_create(&mt, NULL, mutate, NULL)) {
		fprintf(stderr, "unstable: pthread_create failed\n");
		return 2;
	}
	if (o.inject && make_it_fail(1)) {
		perror("unstable: make-it-fail");
		return 2;
	}
	end = time(NULL) + o.seconds;
	while (time(NULL) < end && !bad) {
		for (int k = 0; k < 64; k++, it++) {
			uint64_t b = next_rand(&rng) % o.nblocks;
			int control = next_rand(&rng) % 3 == 0;
			ssize_t n;

			if (control) {
				blk_fill(cbuf, words, TAG, b, ++seq);
				n = pwrite(fd, cbuf, bs, b * bs);
			} else {
				n = pwrite(fd, ubuf, bs, b * bs);
			}
			if (n == (ssize_t)bs) {
				w_ok++;
				state[b] = control ? B_CONTROL : B_UNSTABLE;
				cseq[b] = seq;
				w_unstable += !control;
			} else if (n < 0 && (errno == EIO || errno == ENOMEM)) {
				state[b] = B_FAILED;
				if (errno == EIO)
					w_eio++;
				else
					w_enomem++;
			} else {
				fprintf(stderr, "unstable: write block %llu: %zd %s\n",
					(unsigned long long)b, n,
					n < 0 ? strerror(errno) : "short");
				bad++;
			}

			/* Spot check: a control block read under injection. */
			if (it % 8)
				continue;
			b = next_rand(&rng) % o.nblocks;
			if (state[b] != B_CONTROL)
				continue;
			n = pread(fd, rbuf, bs, b * bs);
			if (n != (ssize_t)bs) {
				spot_err++;	/* may be injected; not a verdict */
				continue;
			}
			spot++;
			if (blk_first_bad(rbuf, words, TAG, b, cseq[b]) != words) {
				fprintf(stderr, "unstable: block %llu seq %llu corrupt during the run\n",
					(unsigned long long)b,
					(unsigned long long)cseq[b]);
				bad++;
			}
		}
	}
	if (o.inject && make_it_fail(0)) {
		perror("unstable: clearing make-it-fail");
		return 2;
	}
	atomic_store(&stop, 1);
	pthread_join(mt, NULL);

	/* Verdict pass: nothing racing, nothing injected. */
	for (uint64_t b = 0; b < o.nblocks; b++) {
		ssize_t n = pread(fd, rbuf, bs, b * bs);
		size_t w;

		if (n != (ssize_t)bs) {
			if (state[b] == B_FAILED) {
				failed_err++;
				continue;
			}
			fprintf(stderr, "unstable: final read of block %llu (%s): %s\n",
				(unsigned long long)b,
				state[b] == B_CONTROL ? "control" : "unstable",
				n < 0 ? strerror(errno) : "short");
			bad++;
			continue;
		}
		if (state[b] == B_FAILED) {
			failed_ok++;
			continue;
		}
		if (state[b] == B_UNSTABLE) {
			unstable_ok++;
			continue;
		}
		w = blk_first_bad(rbuf, words, TAG, b, cseq[b]);
		if (w == words) {
			verified++;
			continue;
		}
		if (bad++ < 10)
			blk_report_bad("unstable: control block", rbuf, w, TAG, b,
				       cseq[b]);
	}
	printf("unstable: blocks=%llu writes=%llu ok=%llu unstable_ok=%llu eio=%llu enomem=%llu "
	       "mutations=%llu spot_checks=%llu spot_read_errors=%llu verified=%llu "
	       "unstable_readable=%llu failed_readable=%llu failed_unreadable=%llu bad=%llu\n",
	       (unsigned long long)o.nblocks, (unsigned long long)it,
	       (unsigned long long)w_ok, (unsigned long long)w_unstable,
	       (unsigned long long)w_eio, (unsigned long long)w_enomem,
	       (unsigned long long)mutations, (unsigned long long)spot,
	       (unsigned long long)spot_err, (unsigned long long)verified,
	       (unsigned long long)unstable_ok, (unsigned long long)failed_ok,
	       (unsigned long long)failed_err, (unsigned long long)bad);
	close(fd);
	return bad ? 1 : 0;
}
