// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the compression backends (src/zcomp.c): every backend
 * at several levels round-trips real page contents; levels and the
 * comp_algorithm listing are exactly upstream's.
 */

#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

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
};

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

static void zt_codec_roundtrip(struct kunit *test)
{
	const struct zt_codec_case *c = test->param_value;
	unsigned int len, sizes[ZT_NR_SRC] = {};
	struct zcomp_strm *strm;
	struct zcomp *comp;
	void *src, *cbuf, *dst;
	int n, ret, tested = 0;

	src = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	dst = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	cbuf = kunit_kzalloc(test, ZCOMP_BUF_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, src);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dst);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, cbuf);

	comp = zcomp_create(c->algo, c->level);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, comp);

	for (n = 0; n < ZT_NR_SRC; n++) {
		if (!zt_codec_sample(src, n))
			continue;
		tested++;

		strm = zcomp_stream_get(comp);
		len = 0;
		ret = zcomp_compress(comp, strm, src, &len);
		if (!ret)
			memcpy(cbuf, strm->buffer, min_t(unsigned int, len,
							 ZCOMP_BUF_SIZE));
		zcomp_stream_put(strm);
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
		strm = zcomp_stream_get(comp);
		ret = zcomp_decompress(comp, strm, cbuf, len, dst);
		zcomp_stream_put(strm);
		KUNIT_EXPECT_EQ_MSG(test, ret, 0, "sample %d", n);
		KUNIT_EXPECT_EQ_MSG(test, memcmp(src, dst, PAGE_SIZE), 0,
				    "sample %d differs after round trip", n);

		/* Truncated input must be refused, not half-decoded. */
		if (len > 1) {
			strm = zcomp_stream_get(comp);
			ret = zcomp_decompress(comp, strm, cbuf, len - 1, dst);
			zcomp_stream_put(strm);
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
	KUNIT_EXPECT_TRUE(test, IS_ERR(zcomp_create("lz4hc", 99)));
	KUNIT_EXPECT_TRUE(test, IS_ERR(zcomp_create("deflate",
						    ZCOMP_NO_LEVEL)));
}

#define ZT_LIST_LZ4	"lzo lzo-rle [lz4] lz4hc zstd\x20\n"
#define ZT_LIST_LZORLE	"lzo [lzo-rle] lz4 lz4hc zstd\x20\n"

static void zt_codec_names(struct kunit *test)
{
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);

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
	KUNIT_EXPECT_STREQ(test, buf, ZT_LIST_LZ4);
	zcomp_available_show("lzo-rle", buf, 0);
	KUNIT_EXPECT_STREQ(test, buf, ZT_LIST_LZORLE);
}

static struct kunit_case zt_codec_cases_list[] = {
	KUNIT_CASE_PARAM(zt_codec_roundtrip, zt_codec_gen_params),
	KUNIT_CASE(zt_codec_levels),
	KUNIT_CASE(zt_codec_names),
	{}
};

static struct kunit_suite zt_codec_suite = {
	.name = "hzram_zcomp",
	.test_cases = zt_codec_cases_list,
};

kunit_test_suites(&zt_codec_suite);
