// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark input shared by hzs's debugfs bench files and the zsmalloc
 * comparison module (see include/hz_bench_input.h). Both modules build
 * this same source: tests/bench/hzbench_input.c includes it, so the two
 * cannot drift apart and no object is linked into two modules.
 */

#include <linux/kernel.h>
#include <linux/lz4.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "hz_bench_input.h"

/* Deterministic, so runs compare; quality is irrelevant here. */
static u32 hz_bench_rand(u32 *state)
{
	u32 x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

/*
 * A page resembling what swap sees: mostly-zero pages, text, records
 * with counters and small fields, random (already compressed) data, or
 * a mix.
 */
static void hz_bench_page(u8 *buf, u32 *state)
{
	static const char * const words[] = {
		"the ", "memory ", "page ", "kernel ", "of ", "and ", "zram ",
		"swap ", "return ", "struct ", "int ", "0x0000 ", "\n\t", "{ ",
		"} ", "if (", "NULL", "error ", "value ", "= ",
	};
	unsigned int kind = hz_bench_rand(state) % 10, i = 0;
	u32 *w32 = (u32 *)buf;

	switch (kind) {
	case 0:
		memset(buf, 0, PAGE_SIZE);
		for (i = 0; i < 64; i++)
			buf[i] = hz_bench_rand(state);
		break;
	case 1: case 2: case 3:
		while (i < PAGE_SIZE) {
			const char *w = words[hz_bench_rand(state) %
					      ARRAY_SIZE(words)];

			while (*w && i < PAGE_SIZE)
				buf[i++] = *w++;
		}
		break;
	case 4: case 5: case 6:
		for (i = 0; i < PAGE_SIZE / 4; i += 4) {
			u32 r = hz_bench_rand(state);

			w32[i] = i / 4;
			w32[i + 1] = r & 0xff;
			w32[i + 2] = 0xffff0000u | (r >> 24);
			w32[i + 3] = 0;
		}
		break;
	case 7: case 8:
		for (i = 0; i < PAGE_SIZE; i++)
			buf[i] = hz_bench_rand(state);
		break;
	default:
		memset(buf, 0, PAGE_SIZE);
		for (i = 0; i < PAGE_SIZE / 2; i++)
			buf[i] = hz_bench_rand(state);
		break;
	}
}

struct hz_lz4 {
	void *wrkmem;
	char *out;
	int bound;
};

static int hz_lz4_init(struct hz_lz4 *z)
{
	z->bound = LZ4_COMPRESSBOUND(PAGE_SIZE);
	z->wrkmem = vmalloc(LZ4_MEM_COMPRESS);
	z->out = kvmalloc(z->bound, GFP_KERNEL);
	if (!z->wrkmem || !z->out) {
		vfree(z->wrkmem);
		kvfree(z->out);
		return -ENOMEM;
	}
	return 0;
}

static void hz_lz4_exit(struct hz_lz4 *z)
{
	vfree(z->wrkmem);
	kvfree(z->out);
}

/* The size zram would store: the compressed length, or a raw page. */
static u32 hz_lz4_size(struct hz_lz4 *z, const u8 *page)
{
	int n = LZ4_compress_default((const char *)page, z->out, PAGE_SIZE,
				     z->bound, z->wrkmem);

	return n <= 0 || n > PAGE_SIZE ? PAGE_SIZE : n;
}

int hz_bench_synthetic_sizes(u32 *sizes, unsigned long n)
{
	struct hz_lz4 z;
	u32 state = 0x12345678;
	unsigned long i;
	u8 *buf;

	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (hz_lz4_init(&z)) {
		kfree(buf);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		hz_bench_page(buf, &state);
		sizes[i] = hz_lz4_size(&z, buf);
		cond_resched();
	}
	hz_lz4_exit(&z);
	kfree(buf);
	return 0;
}

void hz_bench_input_init(struct hz_bench_input *in)
{
	memset(in, 0, sizeof(*in));
	mutex_init(&in->lock);
}

void hz_bench_input_free(struct hz_bench_input *in)
{
	kvfree(in->sizes);
	kfree(in->stage);
	in->sizes = NULL;
	in->stage = NULL;
	in->nr = 0;
	in->stage_len = 0;
	mutex_destroy(&in->lock);
}

/* Caller holds in->lock. */
static int hz_bench_input_prepare(struct hz_bench_input *in)
{
	if (!in->sizes)
		in->sizes = kvcalloc(HZ_BENCH_MAX_SIZES, sizeof(*in->sizes),
				     GFP_KERNEL);
	return in->sizes ? 0 : -ENOMEM;
}

static void hz_bench_input_add(struct hz_bench_input *in, u32 size)
{
	if (in->nr < HZ_BENCH_MAX_SIZES)
		in->sizes[in->nr++] = size;
}

ssize_t hz_bench_input_write_sizes(struct hz_bench_input *in,
				   const char __user *ubuf, size_t count)
{
	char *buf, *p, *tok;
	ssize_t ret;

	if (count > PAGE_SIZE)
		count = PAGE_SIZE;
	buf = memdup_user_nul(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);

	mutex_lock(&in->lock);
	ret = hz_bench_input_prepare(in);
	if (ret)
		goto out;
	/* A number cut by the page limit is left for the next write. */
	if (count == PAGE_SIZE) {
		size_t cut = count;

		while (cut && !strchr(" \t\n,", buf[cut - 1]))
			cut--;
		if (cut) {
			buf[cut] = '\0';
			count = cut;
		}
	}
	p = buf;
	while ((tok = strsep(&p, " \t\n,")) != NULL) {
		unsigned int v;

		if (!*tok)
			continue;
		if (!strcmp(tok, "clear")) {
			in->nr = 0;
			continue;
		}
		if (kstrtouint(tok, 0, &v) || v > PAGE_SIZE) {
			ret = -EINVAL;
			goto out;
		}
		if (!v)
			in->nr = 0;
		else
			hz_bench_input_add(in, v);
	}
	ret = count;
out:
	mutex_unlock(&in->lock);
	kfree(buf);
	return ret;
}

ssize_t hz_bench_input_write_data(struct hz_bench_input *in,
				  const char __user *ubuf, size_t count,
				  loff_t *ppos)
{
	size_t done = 0;
	struct hz_lz4 z;
	ssize_t ret;

	if (hz_lz4_init(&z))
		return -ENOMEM;
	mutex_lock(&in->lock);
	ret = hz_bench_input_prepare(in);
	if (!ret && !in->stage) {
		in->stage = kmalloc(PAGE_SIZE, GFP_KERNEL);
		if (!in->stage)
			ret = -ENOMEM;
	}
	while (!ret && done < count) {
		size_t n = min_t(size_t, count - done,
				 PAGE_SIZE - in->stage_len);

		if (copy_from_user(in->stage + in->stage_len, ubuf + done, n)) {
			ret = -EFAULT;
			break;
		}
		done += n;
		in->stage_len += n;
		if (in->stage_len == PAGE_SIZE) {
			hz_bench_input_add(in, hz_lz4_size(&z, in->stage));
			in->stage_len = 0;
		}
	}
	mutex_unlock(&in->lock);
	hz_lz4_exit(&z);
	if (!done)
		return ret;
	*ppos += done;
	return done;
}

ssize_t hz_bench_text_read(struct file *file, char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	struct hz_bench_text *out = file->private_data;

	if (!out)
		return -EINVAL;
	return simple_read_from_buffer(ubuf, count, ppos, out->buf, out->len);
}

int hz_bench_text_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}
