// SPDX-License-Identifier: GPL-2.0
/*
 * faultio: block I/O on a zram device while the kernel fails this
 * process's allocations at random, and proof that every failure is clean.
 *
 * The step sets failslab and fail_page_alloc up with the task filter on;
 * this program marks itself (make-it-fail) for the injection phase only.
 * It then writes blocks at random, each with a pattern derived from its
 * block number and a sequence number, and reads blocks back in between:
 *
 *   - a write may fail, but only with EIO or ENOMEM (the driver turned an
 *     allocation failure into an I/O error); the block's content is then
 *     undefined, and a later successful write makes it defined again;
 *   - a read may fail (EIO or ENOMEM), but a successful read of a block
 *     whose last write succeeded must return exactly that write's pattern;
 *   - after the injection phase (make-it-fail cleared) every block is read
 *     again: every block whose last write succeeded must hold its pattern,
 *     and only a block whose last write failed may fail to read.
 *
 * Every I/O is one whole block in one syscall, so the driver sees one bio
 * per failure: the step compares the failures counted here with the deltas
 * of io_stat's failed_writes and failed_reads, which must be equal. The
 * last line is machine-readable (key=value) for the step.
 *
 * usage: faultio [-d DEV] [-b BLOCKS] [-s SECONDS] [-F]
 */
#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "hzguest.h"

static size_t bs, words;

/* Word 0 of every block: "faultio" xor the block number. */
#define TAG 0x6661756c74696f00ULL

/* Last write: 0 = never written (reads as zeroes), 1 = ok, 2 = failed. */
enum { S_NONE, S_OK, S_FAILED };

int main(int argc, char **argv)
{
	struct blk_opts o = { "/dev/zram0", 2048, 20, 0 };
	uint64_t rng = 7, seq = 0;
	uint64_t writes = 0, w_eio = 0, w_enomem = 0, reads = 0, r_eio = 0;
	uint64_t r_enomem = 0, r_checked = 0, final_err = 0, verified = 0;
	uint64_t zero_ok = 0, failed_ok = 0, bad = 0;
	int fd;
	unsigned char *state;
	uint64_t *last, *buf;
	time_t end;

	if (blk_opts_parse(&o, argc, argv, "faultio"))
		return 2;
	bs = sysconf(_SC_PAGESIZE);
	words = bs / 8;
	fd = blk_open(&o, bs);
	if (fd < 0)
		return 2;
	state = calloc(o.nblocks, 1);
	last = calloc(o.nblocks, sizeof(*last));
	if (!o.nblocks || !state || !last || posix_memalign((void **)&buf, bs, bs)) {
		fprintf(stderr, "faultio: bad size or out of memory\n");
		return 2;
	}
	memset(buf, 0, bs);
	/* Our own page faults must not be what fails. */
	if (mlockall(MCL_CURRENT | MCL_FUTURE))
		perror("faultio: mlockall (continuing)");
	if (o.inject && make_it_fail(1)) {
		perror("faultio: make-it-fail");
		return 2;
	}

	end = time(NULL) + o.seconds;
	while (time(NULL) < end && bad < 10) {
		for (int k = 0; k < 64; k++) {
			uint64_t b = next_rand(&rng) % o.nblocks;
			ssize_t n;

			if (next_rand(&rng) % 4) {
				writes++;
				seq++;
				blk_fill(buf, words, TAG, b, seq);
				n = pwrite(fd, buf, bs, b * bs);
				if (n == (ssize_t)bs) {
					state[b] = S_OK;
					last[b] = seq;
				} else if (n < 0 && (errno == EIO || errno == ENOMEM)) {
					state[b] = S_FAILED;
					if (errno == EIO)
						w_eio++;
					else
						w_enomem++;
				} else {
					fprintf(stderr, "faultio: write block %llu: %s\n",
						(unsigned long long)b,
						n < 0 ? strerror(errno) : "short");
					bad++;
				}
				continue;
			}
			reads++;
			n = pread(fd, buf, bs, b * bs);
			if (n != (ssize_t)bs) {
				if (n < 0 && errno == EIO) {
					r_eio++;
				} else if (n < 0 && errno == ENOMEM) {
					r_enomem++;
				} else {
					fprintf(stderr, "faultio: read block %llu: %s\n",
						(unsigned long long)b,
						n < 0 ? strerror(errno) : "short");
					bad++;
				}
				continue;
			}
			if (state[b] != S_OK)
				continue;
			r_checked++;
			if (blk_first_bad(buf, words, TAG, b, last[b]) != words) {
				fprintf(stderr, "faultio: block %llu seq %llu wrong while injecting\n",
					(unsigned long long)b,
					(unsigned long long)last[b]);
				bad++;
			}
		}
	}
	if (o.inject && make_it_fail(0)) {
		perror("faultio: clearing make-it-fail");
		return 2;
	}

	for (uint64_t b = 0; b < o.nblocks; b++) {
		ssize_t n = pread(fd, buf, bs, b * bs);
		size_t w;

		if (n != (ssize_t)bs) {
			if (state[b] == S_FAILED) {
				final_err++;
				continue;
			}
			fprintf(stderr, "faultio: final read of block %llu: %s\n",
				(unsigned long long)b,
				n < 0 ? strerror(errno) : "short");
			bad++;
			continue;
		}
		if (state[b] == S_FAILED) {
			failed_ok++;
			continue;
		}
		if (state[b] == S_NONE) {
			for (w = 0; w < words && !buf[w]; w++)
				;
			if (w == words) {
				zero_ok++;
				continue;
			}
			if (bad++ < 10)
				fprintf(stderr, "faultio: never-written block %llu is not zero\n",
					(unsigned long long)b);
			continue;
		}
		w = blk_first_bad(buf, words, TAG, b, last[b]);
		if (w == words) {
			verified++;
			continue;
		}
		if (bad++ < 10)
			blk_report_bad("faultio: block", buf, w, TAG, b, last[b]);
	}
	printf("faultio: blocks=%llu writes=%llu write_eio=%llu write_enomem=%llu "
	       "reads=%llu read_eio=%llu read_enomem=%llu read_checked=%llu "
	       "final_read_errors=%llu verified=%llu zero=%llu failed_readable=%llu bad=%llu\n",
	       (unsigned long long)o.nblocks, (unsigned long long)writes,
	       (unsigned long long)w_eio, (unsigned long long)w_enomem,
	       (unsigned long long)reads, (unsigned long long)r_eio,
	       (unsigned long long)r_enomem, (unsigned long long)r_checked,
	       (unsigned long long)final_err, (unsigned long long)verified,
	       (unsigned long long)zero_ok, (unsigned long long)failed_ok,
	       (unsigned long long)bad);
	close(fd);
	return bad ? 1 : 0;
}
