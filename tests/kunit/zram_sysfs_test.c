// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the sysfs input parsers (src/zram_sysfs.c): sizes as
 * memparse() reads them, strictly, algorithm_params, and writeback's
 * request grammar.
 */

#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "zcomp.h"
#include "zram_drv.h"
#include "zram_recomp.h"
#include "zram_wb.h"

struct zt_size_case {
	const char *in;
	int ret;
	u64 val;
};

static const struct zt_size_case zt_size_cases[] = {
	{ "4096", 0, 4096 },
	{ "4096\n", 0, 4096 },
	{ "0", 0, 0 },
	{ "4K", 0, 4096 },
	{ "4k\n", 0, 4096 },
	{ "1M", 0, 1ULL << 20 },
	{ "2G", 0, 2ULL << 30 },
	{ "3T", 0, 3ULL << 40 },
	{ "1p", 0, 1ULL << 50 },
	{ "15E", 0, 15ULL << 60 },
	{ "0x1000", 0, 4096 },
	{ "0x10K", 0, 16 << 10 },
	/* Hex digits first, as memparse(): "e" here is 14, not an exabyte. */
	{ "0x1e", 0, 30 },
	{ "0X1E\n", 0, 30 },
	{ "0xeM", 0, 14ULL << 20 },
	{ "0xfffe", 0, 0xfffe },
	{ "+5", -EINVAL, 0 },
	{ "010", 0, 8 },
	{ "18446744073709551615", 0, U64_MAX },
	{ "16E", -ERANGE, 0 },
	{ "17179869184G", -ERANGE, 0 },
	{ "18446744073709551616", -ERANGE, 0 },
	{ "", -EINVAL, 0 },
	{ "\n", -EINVAL, 0 },
	{ "K", -EINVAL, 0 },
	{ "abc", -EINVAL, 0 },
	{ "4G4", -EINVAL, 0 },
	{ "4KB", -EINVAL, 0 },
	{ "-1", -EINVAL, 0 },
	{ " 4K", -EINVAL, 0 },
	{ "4K\n\n", -EINVAL, 0 },
	{ "4096\n\n", -EINVAL, 0 },
	{ "1\n2", -EINVAL, 0 },
	{ "4 K", -EINVAL, 0 },
	{ "0x", -EINVAL, 0 },
	{ "09", -EINVAL, 0 },
	{ "000000000000000000000000000000000000000000000000000000000000000001",
	  -EINVAL, 0 },
};

/* Case names from inputs, with newlines and tabs made visible. */
static void zt_desc_str(const char *in, char *desc)
{
	int i, n = 0;

	for (i = 0; in[i] && n < KUNIT_PARAM_DESC_SIZE - 3; i++) {
		if (in[i] == '\n' || in[i] == '\t') {
			desc[n++] = '\\';
			desc[n++] = in[i] == '\n' ? 'n' : 't';
		} else {
			desc[n++] = in[i];
		}
	}
	desc[n] = '\0';
	if (!n)
		strscpy(desc, "(empty)", KUNIT_PARAM_DESC_SIZE);
}

static void zt_size_desc(const struct zt_size_case *c, char *desc)
{
	zt_desc_str(c->in, desc);
}

KUNIT_ARRAY_PARAM(zt_size, zt_size_cases, zt_size_desc);

static void zt_parse_size(struct kunit *test)
{
	const struct zt_size_case *c = test->param_value;
	u64 val = 0xdead;
	int ret;

	ret = zram_parse_size(c->in, &val);
	KUNIT_EXPECT_EQ(test, ret, c->ret);
	if (!c->ret)
		KUNIT_EXPECT_EQ(test, val, c->val);
	else
		KUNIT_EXPECT_EQ(test, val, 0xdeadULL);
}

struct zt_params_case {
	const char *in;
	int ret;
	const char *algo;
	s32 level;
	s32 prio;
	s32 winbits;
	const char *dict;
};

#define NL	ZCOMP_NO_LEVEL

static const struct zt_params_case zt_params_cases[] = {
	{ "algo=zstd level=3", 0, "zstd", 3, -1, NL },
	{ "level=9\n", 0, NULL, 9, -1, NL },
	{ "algo=lz4\n", 0, "lz4", NL, -1, NL },
	{ "priority=0 algo=lz4hc level=12", 0, "lz4hc", 12, 0, NL },
	{ "  algo=zstd \t level=-5\x20\t\n", 0, "zstd", -5, -1, NL },
	{ "level=1 level=2", 0, NULL, 2, -1, NL },
	{ "priority=0", 0, NULL, NL, 0, NL },
	/* zram-generator's secondary level (its PR #216 form). */
	{ "priority=1 level=3", 0, NULL, 3, 1, NL },
	{ "priority=3", 0, NULL, NL, 3, NL },
	{ "priority=4", -EINVAL },
	{ "priority=-1", -EINVAL },
	{ "deflate.winbits=-15", 0, NULL, NL, -1, -15 },
	{ "algo=zstd deflate.winbits=12", 0, "zstd", NL, -1, 12 },
	{ "dict=/etc/zram.dict", 0, NULL, NL, -1, NL, "/etc/zram.dict" },
	{ "algo=zstd dict=\"/tmp/a b\" level=7", 0, "zstd", 7, -1, NL,
	  "/tmp/a b" },
	{ "dict=", -EINVAL },
	{ "priority=x", -EINVAL },
	{ "level=abc", -EINVAL },
	{ "level=", -EINVAL },
	{ "level", -EINVAL },
	{ "=3", -EINVAL },
	{ "algo=foo", -EINVAL },
	{ "algo=LZ4", -EINVAL },
	{ "", -EINVAL },
	{ "\x20\t\x20\n", -EINVAL },
	{ "bogus=1", -EINVAL },
	{ "algo=zstd bogus=1", -EINVAL },
	{ "deflate.winbits=x", -EINVAL },
	{ "level=99999999999", -ERANGE },
	{ "level=-2147483648", -ERANGE },
	{ "level=3x", -EINVAL },
};

static void zt_params_desc(const struct zt_params_case *c, char *desc)
{
	zt_desc_str(c->in, desc);
}

KUNIT_ARRAY_PARAM(zt_params, zt_params_cases, zt_params_desc);

static void zt_parse_params(struct kunit *test)
{
	const struct zt_params_case *c = test->param_value;
	struct zram_algo_params p;
	int ret;

	ret = zram_parse_algo_params(c->in, &p);
	KUNIT_EXPECT_EQ(test, ret, c->ret);
	if (c->ret) {
		KUNIT_EXPECT_NULL(test, p.copy);
		return;
	}
	if (c->algo)
		KUNIT_EXPECT_STREQ(test, p.algo, c->algo);
	else
		KUNIT_EXPECT_NULL(test, p.algo);
	KUNIT_EXPECT_EQ(test, p.level, c->level);
	KUNIT_EXPECT_EQ(test, p.prio, c->prio);
	KUNIT_EXPECT_EQ(test, p.winbits, c->winbits);
	if (c->dict)
		KUNIT_EXPECT_STREQ(test, p.dict, c->dict);
	else
		KUNIT_EXPECT_NULL(test, p.dict);
	kfree(p.copy);
}

/* A recompress request and what it parses to. */
struct zt_recomp_case {
	const char *in;
	int ret;
	unsigned int mode;
	u32 threshold;
	u64 max_pages;
	const char *algo;
	u32 prio, prio_max;
};

#define ZT_ALL	U64_MAX

static const struct zt_recomp_case zt_recomp_cases[] = {
	{ "", 0, 0, 0, ZT_ALL, NULL, 1, 4 },
	{ "type=idle", 0, ZRAM_RECOMP_IDLE, 0, ZT_ALL, NULL, 1, 4 },
	{ "type=huge\n", 0, ZRAM_RECOMP_HUGE, 0, ZT_ALL, NULL, 1, 4 },
	{ "type=huge_idle threshold=1000 max_pages=7", 0,
	  ZRAM_RECOMP_IDLE | ZRAM_RECOMP_HUGE, 1000, 7, NULL, 1, 4 },
	{ "algo=zstd", 0, 0, 0, ZT_ALL, "zstd", 1, 4 },
	{ "priority=2", 0, 0, 0, ZT_ALL, NULL, 2, 3 },
	{ "priority=3 algo=lz4hc", 0, 0, 0, ZT_ALL, "lz4hc", 3, 4 },
	{ "max_pages=0", 0, 0, 0, 0, NULL, 1, 4 },
	{ "type=idle type=huge", 0, ZRAM_RECOMP_HUGE, 0, ZT_ALL, NULL, 1, 4 },
	/* Refused, where upstream 6.12 quietly did something else. */
	{ "type=foo", -EINVAL },
	{ "priority=0", -EINVAL },
	{ "priority=4", -EINVAL },
	{ "level=3 priority=1", -EINVAL },	/* zram-generator's write */
	{ "algo=nope", -EINVAL },
	{ "type=", -EINVAL },
	{ "idle", -EINVAL },
	{ "threshold=-1", -EINVAL },
	{ "threshold=99999999999", -ERANGE },
	{ "max_pages=x", -EINVAL },
};

static void zt_recomp_desc(const struct zt_recomp_case *c, char *desc)
{
	zt_desc_str(c->in, desc);
}

KUNIT_ARRAY_PARAM(zt_recomp, zt_recomp_cases, zt_recomp_desc);

static void zt_parse_recompress(struct kunit *test)
{
	const struct zt_recomp_case *c = test->param_value;
	struct zram_recomp_req req;
	int ret;

	ret = zram_parse_recompress(c->in, &req);
	KUNIT_EXPECT_EQ(test, ret, c->ret);
	if (c->ret)
		return;
	KUNIT_EXPECT_EQ(test, req.mode, c->mode);
	KUNIT_EXPECT_EQ(test, req.threshold, c->threshold);
	KUNIT_EXPECT_EQ(test, req.max_pages, c->max_pages);
	if (c->algo)
		KUNIT_EXPECT_STREQ(test, req.algo, c->algo);
	else
		KUNIT_EXPECT_NULL(test, req.algo);
	KUNIT_EXPECT_EQ(test, req.prio, c->prio);
	KUNIT_EXPECT_EQ(test, req.prio_max, c->prio_max);
}

static void zt_parse_recomp_algorithm(struct kunit *test)
{
	const char *algo;
	u32 prio;

	KUNIT_EXPECT_EQ(test, zram_parse_recomp_algorithm("algo=zstd priority=1",
							  &algo, &prio), 0);
	KUNIT_EXPECT_STREQ(test, algo, "zstd");
	KUNIT_EXPECT_EQ(test, prio, 1U);
	KUNIT_EXPECT_EQ(test, zram_parse_recomp_algorithm("algo=lz4hc\n",
							  &algo, &prio), 0);
	KUNIT_EXPECT_STREQ(test, algo, "lz4hc");
	KUNIT_EXPECT_EQ(test, prio, 1U);
	KUNIT_EXPECT_EQ(test, zram_parse_recomp_algorithm("priority=3 algo=lzo",
							  &algo, &prio), 0);
	KUNIT_EXPECT_EQ(test, prio, 3U);
	KUNIT_EXPECT_EQ(test, zram_parse_recomp_algorithm("priority=0 algo=lzo",
							  &algo, &prio),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, zram_parse_recomp_algorithm("priority=4 algo=lzo",
							  &algo, &prio),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, zram_parse_recomp_algorithm("priority=2", &algo,
							  &prio), -EINVAL);
	KUNIT_EXPECT_EQ(test, zram_parse_recomp_algorithm("algo=zstd x=1",
							  &algo, &prio),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, zram_parse_recomp_algorithm("algo=zst", &algo,
							  &prio), -EINVAL);
}

/* A writeback request and the scans (mode:first-last, ...) it asks for. */
struct zt_wb_case {
	const char *in;
	int ret;
	const char *scans;
};

#define ZT_WB_PAGES	100

static const struct zt_wb_case zt_wb_cases[] = {
	{ "idle", 0, "1:0-99" },
	{ "huge\n", 0, "2:0-99" },
	{ "huge_idle", 0, "3:0-99" },
	{ "incompressible", 0, "4:0-99" },
	{ "type=idle", 0, "1:0-99" },
	{ "type=huge_idle\n", 0, "3:0-99" },
	{ "page_index=42", 0, "0:42-42" },
	{ "page_index=0 page_index=99", 0, "0:0-0 0:99-99" },
	{ "page_indexes=10-20", 0, "0:10-20" },
	{ "page_indexes=7-7\n", 0, "0:7-7" },
	{ "page_index=42 page_indexes=50-60 page_index=5", 0,
	  "0:42-42 0:50-60 0:5-5" },
	/* A mode ends the request; an index before it narrows it. */
	{ "idle page_index=3", 0, "1:0-99" },
	{ "type=huge page_indexes=1-10", 0, "2:0-99" },
	{ "page_indexes=1-10 type=huge", 0, "0:1-10 2:1-10" },
	/* Unknown pairs are ignored, as upstream. */
	{ "foo=bar idle", 0, "1:0-99" },
	{ "", 0, "" },
	{ "\n", 0, "" },
	{ "bogus", -EINVAL, "" },
	{ "type=bogus", -EINVAL, "" },
	{ "type=", -EINVAL, "" },
	{ "IDLE", -EINVAL, "" },
	{ "page_index=100", -ERANGE, "" },
	{ "page_index=-1", -EINVAL, "" },
	{ "page_index=x", -EINVAL, "" },
	{ "page_index=", -EINVAL, "" },
	{ "page_indexes=5", -EINVAL, "" },
	{ "page_indexes=5-", -EINVAL, "" },
	{ "page_indexes=9-3", -ERANGE, "" },
	{ "page_indexes=90-100", -ERANGE, "" },
	{ "page_indexes=100-101", -ERANGE, "" },
	{ "page_index=99999999999999999999999", -ERANGE, "" },
	/* A bad token after good ones: the scans before it were asked for. */
	{ "page_index=1 page_index=100", -ERANGE, "0:1-1" },
};

static void zt_wb_desc(const struct zt_wb_case *c, char *desc)
{
	zt_desc_str(c->in, desc);
}

KUNIT_ARRAY_PARAM(zt_wb, zt_wb_cases, zt_wb_desc);

struct zt_wb_log {
	char buf[128];
	size_t len;
};

static int zt_wb_record(void *ctx, unsigned int mode, u32 first, u32 last)
{
	struct zt_wb_log *log = ctx;

	log->len += scnprintf(log->buf + log->len, sizeof(log->buf) - log->len,
			      "%s%u:%u-%u", log->len ? " " : "", mode, first,
			      last);
	return 0;
}

static void zt_parse_writeback(struct kunit *test)
{
	const struct zt_wb_case *c = test->param_value;
	struct zt_wb_log log = {};

	/* The dry run the store does first agrees with the real one. */
	KUNIT_EXPECT_EQ(test, zram_parse_writeback(c->in, ZT_WB_PAGES, NULL,
						   NULL), c->ret);
	KUNIT_EXPECT_EQ(test, zram_parse_writeback(c->in, ZT_WB_PAGES,
						   zt_wb_record, &log), c->ret);
	KUNIT_EXPECT_STREQ(test, log.buf, c->scans);
}

/* compressed_writeback's booleans: kstrtobool's words, whole. */
static void zt_parse_bool(struct kunit *test)
{
	static const char *const t[] = { "1", "y", "Y\n", "yes", "on", "TRUE" };
	static const char *const f[] = { "0", "n", "no\n", "off", "false" };
	static const char *const bad[] = { "", "\n", "nosuch", "yes please",
					   "2", "-1", "o", "ye", "1\n\n" };
	unsigned int i;
	bool v;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		v = false;
		KUNIT_EXPECT_EQ_MSG(test, zram_parse_bool(t[i], &v), 0, "%s", t[i]);
		KUNIT_EXPECT_TRUE(test, v);
	}
	for (i = 0; i < ARRAY_SIZE(f); i++) {
		v = true;
		KUNIT_EXPECT_EQ_MSG(test, zram_parse_bool(f[i], &v), 0, "%s", f[i]);
		KUNIT_EXPECT_FALSE(test, v);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, zram_parse_bool(bad[i], &v), -EINVAL,
				    "%s", bad[i]);
}

/* The mode bits the expected strings above assume. */
static void zt_writeback_modes(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ZRAM_WB_IDLE, 1U);
	KUNIT_EXPECT_EQ(test, ZRAM_WB_HUGE, 2U);
	KUNIT_EXPECT_EQ(test, ZRAM_WB_INCOMPRESSIBLE, 4U);
}

static void zt_input_nul(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, zram_input_ok("4G", 2));
	KUNIT_EXPECT_TRUE(test, zram_input_ok("4G\n", 3));
	/* A C caller writing sizeof("4G"): the terminator is harmless. */
	KUNIT_EXPECT_TRUE(test, zram_input_ok("4G\0", 3));
	KUNIT_EXPECT_TRUE(test, zram_input_ok("4G\0\0", 4));
	KUNIT_EXPECT_TRUE(test, zram_input_ok("", 0));
	/* Anything after an embedded NUL would be silently dropped. */
	KUNIT_EXPECT_FALSE(test, zram_input_ok("1\0garbage", 9));
	KUNIT_EXPECT_FALSE(test, zram_input_ok("\0001", 2));	/* NUL, '1' */
	KUNIT_EXPECT_FALSE(test, zram_input_ok("lz4\0\0x", 6));
}

static struct kunit_case zt_parse_cases[] = {
	KUNIT_CASE(zt_input_nul),
	KUNIT_CASE_PARAM(zt_parse_size, zt_size_gen_params),
	KUNIT_CASE_PARAM(zt_parse_params, zt_params_gen_params),
	KUNIT_CASE_PARAM(zt_parse_recompress, zt_recomp_gen_params),
	KUNIT_CASE(zt_parse_recomp_algorithm),
	KUNIT_CASE(zt_parse_bool),
	KUNIT_CASE(zt_writeback_modes),
	KUNIT_CASE_PARAM(zt_parse_writeback, zt_wb_gen_params),
	{}
};

static struct kunit_suite zt_parse_suite = {
	.name = "hzram_parse",
	.test_cases = zt_parse_cases,
};

kunit_test_suites(&zt_parse_suite);
