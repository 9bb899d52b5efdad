// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the compression backends (src/zcomp.c): every backend
 * at several levels round-trips real page contents and keeps its streams
 * close to the memory they need; levels and the comp_algorithm listing
 * are exactly upstream's.
 */

#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "hz_compat.h"
#include "zcomp.h"
#include "zram_fixture.h"

/* Bytes copied from a page of kernel code or data, if it is readable. */
static bool zt_fill_kernel(void *buf, const void *addr)
{
	unsigned long page = (unsigned long)addr & PAGE_MASK;

	return !copy_from_kernel_nofault(buf, (const void *)page, PAGE_SIZE);
}

struct zt_codec_case {
	const char *algo;
	s32 level;
	char desc[24];
	unsigned int text_max;	/* bound on the text sample's size */
	s32 winbits;		/* 0: not given */
};

/*
 * Fast settings trade ratio for speed; they may expand text, but no
 * more than LZ4's worst case (LZ4_COMPRESSBOUND), which the stream
 * buffer is sized for. The bounds scale with the page (16K pages too).
 */
#define ZT_TEXT_GOOD	(PAGE_SIZE / 2)
#define ZT_TEXT_FAST	(PAGE_SIZE + PAGE_SIZE / 255 + 16)
/* A zero page shrinks to almost nothing: under 1/64 of the page. */
#define ZT_ZERO_MAX	(PAGE_SIZE / 64)

static const struct zt_codec_case zt_codec_cases[] = {
	{ "lzo", ZCOMP_NO_LEVEL, "lzo", ZT_TEXT_GOOD },
	{ "lzo-rle", ZCOMP_NO_LEVEL, "lzo-rle", ZT_TEXT_GOOD },
	{ "lz4", ZCOMP_NO_LEVEL, "lz4", ZT_TEXT_GOOD },
	{ "lz4", 8, "lz4-accel-8", ZT_TEXT_GOOD },
	{ "lz4", 65537, "lz4-accel-max", ZT_TEXT_FAST },
	{ "lz4hc", 1, "lz4hc-1", ZT_TEXT_GOOD },
	{ "lz4hc", 4, "lz4hc-4", ZT_TEXT_GOOD },
	{ "lz4hc", ZCOMP_NO_LEVEL, "lz4hc-default", ZT_TEXT_GOOD },
	{ "lz4hc", 12, "lz4hc-12", ZT_TEXT_GOOD },
	{ "lz4hc", 16, "lz4hc-16", ZT_TEXT_GOOD },
	{ "zstd", -5, "zstd--5", ZT_TEXT_GOOD },
	{ "zstd", 1, "zstd-1", ZT_TEXT_GOOD },
	{ "zstd", ZCOMP_NO_LEVEL, "zstd-default", ZT_TEXT_GOOD },
	{ "zstd", 9, "zstd-9", ZT_TEXT_GOOD },
	{ "zstd", 19, "zstd-19", ZT_TEXT_GOOD },
	{ "zstd", 22, "zstd-22", ZT_TEXT_GOOD },
	{ "deflate", ZCOMP_NO_LEVEL, "deflate", ZT_TEXT_GOOD },
	{ "deflate", 1, "deflate-1", ZT_TEXT_GOOD },
	{ "deflate", 9, "deflate-9", ZT_TEXT_GOOD },
	{ "deflate", 6, "deflate-zlib-15", ZT_TEXT_GOOD, 15 },
	{ "deflate", 6, "deflate-raw-9", ZT_TEXT_GOOD, -9 },
	{ "842", ZCOMP_NO_LEVEL, "842", ZT_TEXT_GOOD },
};

/*
 * deflate and 842 exist where the kernel has their library. A kernel
 * without one skips its cases, by name, in the KUnit summary; which
 * lane kernels have them is in testing.rst.
 */
static bool zt_codec_built(const char *algo)
{
	if (!strcmp(algo, "deflate"))
		return IS_REACHABLE(CONFIG_ZLIB_DEFLATE) &&
		       IS_REACHABLE(CONFIG_ZLIB_INFLATE);
	if (!strcmp(algo, "842"))
		return IS_REACHABLE(CONFIG_842_COMPRESS) &&
		       IS_REACHABLE(CONFIG_842_DECOMPRESS);
	return true;
}

static struct zcomp *zt_comp(const char *algo, s32 level, s32 winbits)
{
	struct zcomp_params p;

	zcomp_params_init(&p);
	p.level = level;
	if (winbits)
		p.winbits = winbits;
	return zcomp_create(algo, &p);
}

static void zt_codec_desc(const struct zt_codec_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(zt_codec, zt_codec_cases, zt_codec_desc);

enum {
	ZT_SRC_TEXT,
	ZT_SRC_KTEXT1,
	ZT_SRC_KTEXT2,
	ZT_SRC_KDATA,
	ZT_SRC_MIXED,
	ZT_SRC_RANDOM,
	ZT_SRC_ZERO,
	ZT_NR_SRC
};

/* Fill @buf with sample @n; false if that sample is unavailable. */
static bool zt_codec_sample(void *buf, int n)
{
	switch (n) {
	case ZT_SRC_TEXT:
		zt_fill_text(buf, 11);
		return true;
	case ZT_SRC_KTEXT1:
		return zt_fill_kernel(buf, (const void *)&kfree);
	case ZT_SRC_KTEXT2:
		return zt_fill_kernel(buf, (const void *)&kstrtoull);
	case ZT_SRC_KDATA:
		return zt_fill_kernel(buf, (const void *)&system_wq);
	case ZT_SRC_MIXED:
		/* Text, noise, a zero run, then machine code. */
		zt_fill_text(buf, 23);
		get_random_bytes(buf + PAGE_SIZE / 4, PAGE_SIZE / 4);
		memset(buf + PAGE_SIZE / 2, 0, PAGE_SIZE / 8);
		return !copy_from_kernel_nofault(buf + PAGE_SIZE * 5 / 8,
						 (const void *)((unsigned long)&kfree &
								PAGE_MASK),
						 PAGE_SIZE * 3 / 8);
	case ZT_SRC_RANDOM:
		get_random_bytes(buf, PAGE_SIZE);
		return true;
	case ZT_SRC_ZERO:
		memset(buf, 0, PAGE_SIZE);
		return true;
	}
	return false;
}

static int zt_compress(struct zcomp *comp, const void *src, void *out,
		       unsigned int *len)
{
	struct zcomp_strm *strm = zcomp_stream_get(comp);
	int ret = zcomp_compress(comp, strm, src, len);

	if (!ret)
		memcpy(out, strm->buffer, min_t(unsigned int, *len,
						ZCOMP_BUF_SIZE));
	zcomp_stream_put(strm);
	return ret;
}

static int zt_decompress(struct zcomp *comp, const void *src,
			 unsigned int len, void *dst)
{
	struct zcomp_strm *strm = zcomp_stream_get(comp);
	int ret = zcomp_decompress(comp, strm, src, len, dst);

	zcomp_stream_put(strm);
	return ret;
}

static void zt_codec_roundtrip(struct kunit *test)
{
	const struct zt_codec_case *c = test->param_value;
	unsigned int len, cut, sizes[ZT_NR_SRC] = {};
	struct zcomp *comp;
	void *src, *cbuf, *dst;
	int n, ret, tested = 0;

	src = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	dst = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	cbuf = kunit_kzalloc(test, ZCOMP_BUF_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, src);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dst);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, cbuf);

	if (!zt_codec_built(c->algo))
		kunit_skip(test, "%s is not in this kernel", c->algo);
	KUNIT_ASSERT_NOT_NULL(test, zcomp_lookup(c->algo));
	comp = zt_comp(c->algo, c->level, c->winbits);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, comp);
	cut = strcmp(c->algo, "842") ? 1 : 8;

	for (n = 0; n < ZT_NR_SRC; n++) {
		if (!zt_codec_sample(src, n))
			continue;
		tested++;

		len = 0;
		ret = zt_compress(comp, src, cbuf, &len);
		KUNIT_EXPECT_EQ_MSG(test, ret, 0, "sample %d", n);
		if (ret)
			continue;
		KUNIT_EXPECT_GT_MSG(test, len, 0U, "sample %d", n);
		KUNIT_EXPECT_LE_MSG(test, len, (unsigned int)ZCOMP_BUF_SIZE,
				    "sample %d", n);
		sizes[n] = len;
		if (len > PAGE_SIZE) /* the driver would store it raw */
			continue;

		memset(dst, 0xee, PAGE_SIZE);
		ret = zt_decompress(comp, cbuf, len, dst);
		KUNIT_EXPECT_EQ_MSG(test, ret, 0, "sample %d", n);
		KUNIT_EXPECT_EQ_MSG(test, memcmp(src, dst, PAGE_SIZE), 0,
				    "sample %d differs after round trip", n);

		/*
		 * Truncated input must be refused, not half-decoded. 842
		 * pads its stream to 8 bytes: cutting the padding alone
		 * leaves a valid stream, so it loses 8.
		 */
		if (len > cut) {
			ret = zt_decompress(comp, cbuf, len - cut, dst);
			KUNIT_EXPECT_NE_MSG(test, ret, 0,
					    "sample %d: truncated input accepted",
					    n);
		}
	}
	zcomp_destroy(comp);

	KUNIT_EXPECT_GE(test, tested, 4);
	/* Compressible inputs must actually shrink. */
	KUNIT_EXPECT_LT(test, sizes[ZT_SRC_TEXT], c->text_max);
	KUNIT_EXPECT_LT(test, sizes[ZT_SRC_ZERO], (unsigned int)ZT_ZERO_MAX);
	/* Random data cannot. */
	KUNIT_EXPECT_GT(test, sizes[ZT_SRC_RANDOM],
			(unsigned int)PAGE_SIZE * 3 / 4);
}

/*
 * Every page is a frame of its own: a stream used page after page
 * (zstd keeps its contexts from one call to the next) carries nothing
 * over. Every sample goes through one stream, then each is decompressed
 * on its own through the same stream, the last one first.
 */
static void zt_codec_frames_independent(struct kunit *test)
{
	const struct zt_codec_case *c = test->param_value;
	void *src[ZT_NR_SRC] = {}, *cbuf[ZT_NR_SRC] = {}, *dst;
	unsigned int len[ZT_NR_SRC] = {};
	struct zcomp_strm *strm;
	struct zcomp *comp;
	int n, ret, checked = 0;

	if (!zt_codec_built(c->algo))
		kunit_skip(test, "%s is not in this kernel", c->algo);
	dst = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dst);
	comp = zt_comp(c->algo, c->level, c->winbits);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, comp);

	strm = zcomp_stream_get(comp);
	for (n = 0; n < ZT_NR_SRC; n++) {
		src[n] = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
		cbuf[n] = kunit_kzalloc(test, ZCOMP_BUF_SIZE, GFP_KERNEL);
		if (!src[n] || !cbuf[n] || !zt_codec_sample(src[n], n)) {
			src[n] = NULL;
			continue;
		}
		ret = zcomp_compress(comp, strm, src[n], &len[n]);
		KUNIT_EXPECT_EQ_MSG(test, ret, 0, "sample %d", n);
		if (ret || len[n] > PAGE_SIZE) {
			src[n] = NULL;
			continue;
		}
		memcpy(cbuf[n], strm->buffer, len[n]);
	}
	for (n = ZT_NR_SRC - 1; n >= 0; n--) {
		if (!src[n])
			continue;
		memset(dst, 0xee, PAGE_SIZE);
		ret = zcomp_decompress(comp, strm, cbuf[n], len[n], dst);
		KUNIT_EXPECT_EQ_MSG(test, ret, 0, "sample %d", n);
		KUNIT_EXPECT_EQ_MSG(test, memcmp(src[n], dst, PAGE_SIZE), 0,
				    "sample %d differs", n);
		checked++;
	}
	zcomp_stream_put(strm);
	zcomp_destroy(comp);
	/*
	 * Zeroes shrink under every codec; at lz4's largest acceleration
	 * they may be all that does (6.1, arm32), which the driver would
	 * store as a fill pattern anyway.
	 */
	KUNIT_EXPECT_GE(test, checked, 1);
}

static void zt_codec_levels(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, zcomp_check_level("lz4hc", 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, zcomp_check_level("lz4hc", 17), -EINVAL);
	KUNIT_EXPECT_EQ(test, zcomp_check_level("lz4hc", 16), 0);
	KUNIT_EXPECT_EQ(test, zcomp_check_level("lz4", 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, zcomp_check_level("zstd", 23), -EINVAL);
	KUNIT_EXPECT_EQ(test, zcomp_check_level("zstd", 22), 0);
	KUNIT_EXPECT_EQ(test, zcomp_check_level("zstd", 0), 0);
	/* Level-less algorithms ignore a level, like upstream. */
	KUNIT_EXPECT_EQ(test, zcomp_check_level("lzo", 5), 0);
	KUNIT_EXPECT_EQ(test, zcomp_check_level("nope", 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, zcomp_check_level("zstd", ZCOMP_NO_LEVEL), 0);
	KUNIT_EXPECT_TRUE(test, IS_ERR(zt_comp("lz4hc", 99, 0)));
	KUNIT_EXPECT_TRUE(test, IS_ERR(zt_comp("nope", ZCOMP_NO_LEVEL, 0)));
}

/* zcomp_check_params(): windows, dictionaries, levels. */
static void zt_codec_params(struct kunit *test)
{
	static const char dict[] = "swap page compress";
	struct zcomp_params p;

	zcomp_params_init(&p);
	KUNIT_EXPECT_EQ(test, zcomp_check_params("lzo", &p), 0);
	p.dict = dict;
	p.dict_sz = sizeof(dict);
	/* Backends without dictionaries refuse one rather than ignore it. */
	KUNIT_EXPECT_EQ(test, zcomp_check_params("lzo", &p), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, zcomp_check_params("lzo-rle", &p), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, zcomp_check_params("lz4", &p), 0);
	KUNIT_EXPECT_EQ(test, zcomp_check_params("lz4hc", &p), 0);
	KUNIT_EXPECT_EQ(test, zcomp_check_params("zstd", &p),
			HZ_ZSTD_DICT ? 0 : -EOPNOTSUPP);
	zcomp_params_init(&p);
	p.winbits = 8;	/* zlib would BUG() on it */
	KUNIT_EXPECT_EQ(test, zcomp_check_params("lz4", &p), 0);
	if (!zt_codec_built("deflate"))
		return;
	KUNIT_EXPECT_EQ(test, zcomp_check_params("deflate", &p), -EINVAL);
	p.winbits = 16;
	KUNIT_EXPECT_EQ(test, zcomp_check_params("deflate", &p), -EINVAL);
	p.winbits = -16;
	KUNIT_EXPECT_EQ(test, zcomp_check_params("deflate", &p), -EINVAL);
	p.winbits = -9;
	KUNIT_EXPECT_EQ(test, zcomp_check_params("deflate", &p), 0);
	p.winbits = 15;
	KUNIT_EXPECT_EQ(test, zcomp_check_params("deflate", &p), 0);
	p.level = 10;
	KUNIT_EXPECT_EQ(test, zcomp_check_params("deflate", &p), -EINVAL);
	p.level = -1;
	KUNIT_EXPECT_EQ(test, zcomp_check_params("deflate", &p), 0);
	KUNIT_EXPECT_TRUE(test, IS_ERR(zt_comp("deflate", ZCOMP_NO_LEVEL, 8)));
}

static const char *const zt_dict_algos[] = { "lz4", "lz4hc", "zstd" };

static void zt_dict_desc(const char *const *algo, char *desc)
{
	strscpy(desc, *algo, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(zt_dict, zt_dict_algos, zt_dict_desc);

#define ZT_DICT_PAGES	4

/*
 * A dictionary holding the page itself (four pages of kernel code around
 * kfree) must make its object several times smaller, round-trip, and be
 * needed to read it back: a stream that ignored the dictionary, or read
 * without it, fails here.
 */
static void zt_codec_dict(struct kunit *test)
{
	const char *algo = *(const char *const *)test->param_value;
	unsigned long base = ((unsigned long)&kfree & PAGE_MASK) - PAGE_SIZE;
	unsigned int len_d = 0, len_n = 0;
	struct zcomp *with, *without;
	struct zcomp_params p;
	void *dict, *src, *cd, *cn, *dst;
	int i;

	dict = kunit_kzalloc(test, ZT_DICT_PAGES * PAGE_SIZE, GFP_KERNEL);
	dst = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	cd = kunit_kzalloc(test, ZCOMP_BUF_SIZE, GFP_KERNEL);
	cn = kunit_kzalloc(test, ZCOMP_BUF_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dict);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dst);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, cd);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, cn);
	for (i = 0; i < ZT_DICT_PAGES; i++)
		if (!zt_fill_kernel(dict + i * PAGE_SIZE,
				    (const void *)(base + i * PAGE_SIZE)))
			kunit_skip(test, "kernel text not readable");
	/*
	 * The page to compress is a copy: a source inside the dictionary's
	 * memory makes lz4 cut the dictionary short at the source's end.
	 */
	src = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, src);
	memcpy(src, dict + PAGE_SIZE, PAGE_SIZE);

	zcomp_params_init(&p);
	p.dict = dict;
	p.dict_sz = ZT_DICT_PAGES * PAGE_SIZE;
	with = zcomp_create(algo, &p);
	if (!strcmp(algo, "zstd") && !HZ_ZSTD_DICT) {
		/* 6.1's zstd has no dictionary API: refused, never ignored. */
		KUNIT_EXPECT_EQ(test, PTR_ERR(with), -EOPNOTSUPP);
		return;
	}
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, with);
	without = zt_comp(algo, ZCOMP_NO_LEVEL, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, without);

	KUNIT_EXPECT_EQ(test, zt_compress(with, src, cd, &len_d), 0);
	KUNIT_EXPECT_EQ(test, zt_compress(without, src, cn, &len_n), 0);
	kunit_info(test, "%s: %u bytes with the dictionary, %u without\n",
		   algo, len_d, len_n);
	KUNIT_EXPECT_LT(test, len_d * 4, len_n);

	/* Twice: each call must start from the dictionary, not the last page. */
	for (i = 0; i < 2; i++) {
		memset(dst, 0, PAGE_SIZE);
		KUNIT_EXPECT_EQ(test, zt_decompress(with, cd, len_d, dst), 0);
		KUNIT_EXPECT_EQ(test, memcmp(dst, src, PAGE_SIZE), 0);
		KUNIT_EXPECT_EQ(test, zt_compress(with, src, cd, &len_d), 0);
	}
	memset(dst, 0, PAGE_SIZE);
	KUNIT_EXPECT_TRUE(test, zt_decompress(without, cd, len_d, dst) ||
			  memcmp(dst, src, PAGE_SIZE));
	zcomp_destroy(with);
	zcomp_destroy(without);
}

/*
 * A stream's memory is what it asked for, rounded by less than a page per
 * allocation (scratch buffer, compression and decompression workspace):
 * kmalloc's power-of-two runs for lz4hc's 256 KiB workspace or zstd's
 * contexts would have doubled them, on every CPU.
 */
static void zt_codec_footprint(struct kunit *test)
{
	const struct zt_codec_case *c = test->param_value;
	size_t asked, taken, streams = num_online_cpus();
	struct zcomp *comp;

	if (!zt_codec_built(c->algo))
		kunit_skip(test, "%s is not in this kernel", c->algo);
	comp = zt_comp(c->algo, c->level, c->winbits);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, comp);
	zcomp_footprint(comp, &asked, &taken);
	zcomp_destroy(comp);

	KUNIT_EXPECT_GE(test, asked, streams * ZCOMP_BUF_SIZE);
	KUNIT_EXPECT_GE(test, taken, asked);
	KUNIT_EXPECT_LT_MSG(test, taken - asked, streams * 3 * PAGE_SIZE,
			    "%zu bytes asked for, %zu taken", asked, taken);
	kunit_info(test, "%zu streams: %zu bytes asked for, %zu taken\n",
		   streams, asked, taken);
}

/* The list ends with the optional backends this kernel has. */
static void zt_list(char *want, const char *head)
{
	strscpy(want, head, 128);
	if (zt_codec_built("deflate"))
		strlcat(want, "deflate ", 128);
	if (zt_codec_built("842"))
		strlcat(want, "842 ", 128);
	strlcat(want, "\n", 128);
}

static void zt_codec_names(struct kunit *test)
{
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	char want[128];

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	KUNIT_EXPECT_STREQ(test, zcomp_lookup("lzo-rle\n"), "lzo-rle");
	KUNIT_EXPECT_STREQ(test, zcomp_lookup("zstd"), "zstd");
	KUNIT_EXPECT_NULL(test, zcomp_lookup("LZ4"));
	KUNIT_EXPECT_NULL(test, zcomp_lookup("lz4 "));
	KUNIT_EXPECT_NULL(test, zcomp_lookup(""));
	KUNIT_EXPECT_NULL(test, zcomp_lookup("lz"));
	KUNIT_EXPECT_NULL(test, zcomp_lookup("lz4hcx"));

	/* Upstream's format, trailing space included. */
	zcomp_available_show("lz4", buf, 0);
	zt_list(want, "lzo lzo-rle [lz4] lz4hc zstd ");
	KUNIT_EXPECT_STREQ(test, buf, want);
	zcomp_available_show("lzo-rle", buf, 0);
	zt_list(want, "lzo [lzo-rle] lz4 lz4hc zstd ");
	KUNIT_EXPECT_STREQ(test, buf, want);
	if (zt_codec_built("deflate")) {
		zcomp_available_show("deflate", buf, 0);
		KUNIT_EXPECT_NOT_NULL(test, strstr(buf, " [deflate] "));
		KUNIT_EXPECT_STREQ(test, zcomp_lookup("deflate\n"), "deflate");
	} else {
		KUNIT_EXPECT_NULL(test, zcomp_lookup("deflate"));
	}
	if (!zt_codec_built("842"))
		KUNIT_EXPECT_NULL(test, zcomp_lookup("842"));
}

static struct kunit_case zt_codec_cases_list[] = {
	KUNIT_CASE_PARAM(zt_codec_roundtrip, zt_codec_gen_params),
	KUNIT_CASE_PARAM(zt_codec_frames_independent, zt_codec_gen_params),
	KUNIT_CASE_PARAM(zt_codec_footprint, zt_codec_gen_params),
	KUNIT_CASE(zt_codec_levels),
	KUNIT_CASE(zt_codec_params),
	KUNIT_CASE_PARAM(zt_codec_dict, zt_dict_gen_params),
	KUNIT_CASE(zt_codec_names),
	{}
};

static struct kunit_suite zt_codec_suite = {
	.name = "hzram_zcomp",
	.test_cases = zt_codec_cases_list,
};

kunit_test_suites(&zt_codec_suite);
