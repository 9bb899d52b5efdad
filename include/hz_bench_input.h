/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The input of an allocator benchmark, shared by hzs's debugfs "bench"
 * files (src/hzs_debugfs.c) and the zsmalloc comparison module
 * (tests/bench/hzbench_zs.c), so both are fed exactly the same way: a
 * list of object sizes, written as decimal numbers ("bench") or derived
 * from real data, one LZ4-compressed page at a time ("bench_data").
 *
 * Benchmarks measure and never judge; nothing here is on a data path.
 */
#ifndef _HZ_BENCH_INPUT_H
#define _HZ_BENCH_INPUT_H

#include <linux/fs.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/types.h>

/* Sizes kept at most; more are dropped, as a bounded input should be. */
#define HZ_BENCH_MAX_SIZES	(256 * 1024)

struct hz_bench_input {
	/*
	 * Serialises the fields below and the benchmark runs that read
	 * them. Process context only; taken with no allocator lock held,
	 * so a run's pool locks nest inside it.
	 */
	struct mutex lock;
	u32 *sizes;
	unsigned long nr;
	u8 *stage;		/* a partial page written to bench_data */
	size_t stage_len;
};

void hz_bench_input_init(struct hz_bench_input *in);
void hz_bench_input_free(struct hz_bench_input *in);
/* "bench" write: decimal sizes; "0" or "clear" drops what was given. */
ssize_t hz_bench_input_write_sizes(struct hz_bench_input *in,
				   const char __user *ubuf, size_t count);
/* "bench_data" write: each full page adds its LZ4-compressed size. */
ssize_t hz_bench_input_write_data(struct hz_bench_input *in,
				  const char __user *ubuf, size_t count,
				  loff_t *ppos);
/* @n LZ4 sizes of generated pages resembling what swap sees. */
int hz_bench_synthetic_sizes(u32 *sizes, unsigned long n);

/* A benchmark's report, formatted at open and read like a file. */
struct hz_bench_text {
	size_t len;
	char buf[1024];
};

ssize_t hz_bench_text_read(struct file *file, char __user *ubuf,
			   size_t count, loff_t *ppos);
int hz_bench_text_release(struct inode *inode, struct file *file);

static inline u64 hz_bench_per_op(u64 total, unsigned long n)
{
	return n ? div64_u64(total, n) : 0;
}

#endif /* _HZ_BENCH_INPUT_H */
