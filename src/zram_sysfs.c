// SPDX-License-Identifier: GPL-2.0
/*
 * hzram per-device sysfs attributes (/sys/block/zramN/...), with the
 * same names, permissions and output formats as upstream zram.
 *
 * Lock order: zram->init_lock -> slot locks (via zram_mark_idle()).
 * Shows take init_lock for reading so the metadata they look at cannot
 * be freed under them; configuration stores take it for writing.
 */

#define pr_fmt(fmt) "zram: " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/blkdev.h>
#include <linux/cpumask.h>
#include <linux/ctype.h>
#include <linux/device.h>
#include <linux/kernel_read_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/vmalloc.h>

#include "hz_compat.h"
#include "hz_kunit.h"
#include "hzs_pool.h"
#include "zram_drv.h"
#include "zram_recomp.h"
#include "zram_wb.h"

static struct zram *dev_to_zram(struct device *dev)
{
	return dev_to_disk(dev)->private_data;
}

/* ------------------------------ parsing ------------------------------ */

/*
 * Parse a size the way memparse() reads it (decimal, 0x hex or 0 octal,
 * optional K/M/G/T/P/E suffix, either case), but strictly: one trailing
 * newline at most, nothing else after the number, and -ERANGE instead of
 * a silently wrapped value. As in memparse(), the number's own digits
 * come first: in hex, 'e' is a digit ("0x1e" is 30), not an exabyte.
 */
int zram_parse_size(const char *buf, u64 *size)
{
	unsigned int base = 10, shift = 0;
	const char *p = buf;
	char num[64];
	size_t len, n;
	u64 val;
	int ret;

	len = strlen(buf);
	if (len && buf[len - 1] == '\n')
		len--;
	/* kstrtoull() would take a second newline: refuse it here. */
	if (!len || memchr(buf, '\n', len))
		return -EINVAL;

	if (len > 1 && p[0] == '0' && tolower(p[1]) == 'x') {
		base = 16;
		p += 2;
	}
	for (n = p - buf; n < len; n++) {
		char c = tolower(buf[n]);

		if (!(isdigit(c) || (base == 16 && isxdigit(c))))
			break;
	}
	if (n < len) {
		const char *suffix = strchr("kmgtpe", tolower(buf[n]));

		/* One suffix letter, and nothing after it. */
		if (!suffix || !*suffix || n + 1 != len)
			return -EINVAL;
		shift = 10 * (suffix - "kmgtpe" + 1);
	}
	if (!n || n >= sizeof(num))
		return -EINVAL;
	memcpy(num, buf, n);
	num[n] = '\0';

	ret = kstrtoull(num, 0, &val);
	if (ret)
		return ret;
	if (shift && val > (U64_MAX >> shift))
		return -ERANGE;
	*size = val << shift;
	return 0;
}

HZ_EXPORT_IF_KUNIT(zram_parse_size);

/*
 * The key=value parsers below take upstream's grammar (next_arg():
 * white space between pairs, values may be quoted, any order). Unlike
 * upstream, an unknown key or a key without a value is refused rather
 * than ignored, so that a typo is not silently accepted.
 *
 * zram_kv_walk() hands each pair of a copy of @buf to @fn and stops at
 * its first error. The copy is kept in *@keep if given (values point
 * into it), else freed. Returns the number of pairs, or an error.
 */
static int zram_kv_walk(const char *buf, char **keep,
			int (*fn)(void *ctx, const char *key, char *val),
			void *ctx)
{
	char *copy, *args, *param, *val;
	int ret = 0, n = 0;

	copy = kstrdup(buf, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	args = skip_spaces(copy);
	while (*args && !ret) {
		args = next_arg(args, &param, &val);
		n++;
		ret = (!val || !*val) ? -EINVAL : fn(ctx, param, val);
	}
	if (ret || !keep)
		kfree(copy);
	else
		*keep = copy;
	return ret ? ret : n;
}

static int zram_algo_params_kv(void *ctx, const char *key, char *val)
{
	struct zram_algo_params *p = ctx;
	int ret = 0;

	if (!strcmp(key, "algo")) {
		p->algo = zcomp_lookup(val);
		if (!p->algo)
			ret = -EINVAL;
	} else if (!strcmp(key, "level")) {
		ret = kstrtos32(val, 10, &p->level);
		if (!ret && p->level == ZCOMP_NO_LEVEL)
			ret = -ERANGE;
	} else if (!strcmp(key, "deflate.winbits")) {
		ret = kstrtos32(val, 10, &p->winbits);
		if (!ret && p->winbits == ZCOMP_NO_LEVEL)
			ret = -ERANGE;
	} else if (!strcmp(key, "priority")) {
		ret = kstrtos32(val, 10, &p->prio);
		if (!ret && (p->prio < 0 || p->prio >= ZRAM_MAX_COMPS))
			ret = -EINVAL;
	} else if (!strcmp(key, "dict")) {
		p->dict = val;
	} else {
		ret = -EINVAL;
	}
	return ret;
}

/*
 * algorithm_params: "priority=N algo=NAME level=N dict=PATH
 * deflate.winbits=N", any subset but not none. On success the caller
 * kfree()s p->copy, which p->dict points into.
 */
int zram_parse_algo_params(const char *buf, struct zram_algo_params *p)
{
	int ret;

	p->algo = NULL;
	p->prio = -1;
	p->level = ZCOMP_NO_LEVEL;
	p->winbits = ZCOMP_NO_LEVEL;
	p->dict = NULL;
	p->copy = NULL;
	ret = zram_kv_walk(buf, &p->copy, zram_algo_params_kv, p);
	if (!ret) {
		kfree(p->copy);
		p->copy = NULL;
		ret = -EINVAL;
	}
	return ret < 0 ? ret : 0;
}

HZ_EXPORT_IF_KUNIT(zram_parse_algo_params);

struct zram_recomp_alg {
	const char *algo;
	u32 prio;
};

static int zram_recomp_alg_kv(void *ctx, const char *key, char *val)
{
	struct zram_recomp_alg *ra = ctx;
	int ret = 0;

	if (!strcmp(key, "algo")) {
		ra->algo = zcomp_lookup(val);
		if (!ra->algo)
			ret = -EINVAL;
	} else if (!strcmp(key, "priority")) {
		ret = kstrtou32(val, 10, &ra->prio);
		if (!ret && (ra->prio < ZRAM_SECONDARY_COMP ||
			     ra->prio >= ZRAM_MAX_COMPS))
			ret = -EINVAL;
	} else {
		ret = -EINVAL;
	}
	return ret;
}

/* recomp_algorithm: "algo=NAME [priority=N]", N from 1 to 3 (default 1). */
int zram_parse_recomp_algorithm(const char *buf, const char **algo,
				u32 *prio)
{
	struct zram_recomp_alg ra = { .prio = ZRAM_SECONDARY_COMP };
	int ret;

	ret = zram_kv_walk(buf, NULL, zram_recomp_alg_kv, &ra);
	if (ret >= 0 && !ra.algo)
		ret = -EINVAL;
	*algo = ra.algo;
	*prio = ra.prio;
	return ret < 0 ? ret : 0;
}

HZ_EXPORT_IF_KUNIT(zram_parse_recomp_algorithm);

static int zram_recompress_kv(void *ctx, const char *key, char *val)
{
	struct zram_recomp_req *req = ctx;
	int ret = 0;

	if (!strcmp(key, "type")) {
		if (!strcmp(val, "idle"))
			req->mode = ZRAM_RECOMP_IDLE;
		else if (!strcmp(val, "huge"))
			req->mode = ZRAM_RECOMP_HUGE;
		else if (!strcmp(val, "huge_idle"))
			req->mode = ZRAM_RECOMP_IDLE | ZRAM_RECOMP_HUGE;
		else
			ret = -EINVAL;
	} else if (!strcmp(key, "max_pages")) {
		ret = kstrtou64(val, 10, &req->max_pages);
	} else if (!strcmp(key, "threshold")) {
		ret = kstrtou32(val, 10, &req->threshold);
	} else if (!strcmp(key, "algo")) {
		req->algo = zcomp_lookup(val);
		if (!req->algo)
			ret = -EINVAL;
	} else if (!strcmp(key, "priority")) {
		/* 0, the primary, is an error since 7.0 (6.12 took 1). */
		ret = kstrtou32(val, 10, &req->prio);
		if (!ret && (req->prio < ZRAM_SECONDARY_COMP ||
			     req->prio >= ZRAM_MAX_COMPS))
			ret = -EINVAL;
		req->prio_max = req->prio + 1;
	} else {
		ret = -EINVAL;
	}
	return ret;
}

/*
 * recompress: "type=idle|huge|huge_idle threshold=BYTES max_pages=N
 * algo=NAME priority=N", any subset (none: every slot, every
 * secondary). An unknown type is refused (upstream ignores it, and then
 * recompresses every slot).
 */
int zram_parse_recompress(const char *buf, struct zram_recomp_req *req)
{
	int ret;

	req->mode = 0;
	req->threshold = 0;
	req->max_pages = U64_MAX;
	req->algo = NULL;
	req->prio = ZRAM_SECONDARY_COMP;
	req->prio_max = ZRAM_MAX_COMPS;
	ret = zram_kv_walk(buf, NULL, zram_recompress_kv, req);
	return ret < 0 ? ret : 0;
}

HZ_EXPORT_IF_KUNIT(zram_parse_recompress);

/*
 * A boolean as kstrtobool() spells one, but whole words only: kstrtobool
 * looks at the first letters, so "nosuch" would read as "no".
 */
int zram_parse_bool(const char *buf, bool *val)
{
	static const char *const yes[] = { "1", "y", "yes", "on", "true" };
	static const char *const no[] = { "0", "n", "no", "off", "false" };
	char word[8];
	size_t len = strlen(buf), i;

	if (len && buf[len - 1] == '\n')
		len--;
	if (!len || len >= sizeof(word))
		return -EINVAL;
	for (i = 0; i < len; i++)
		word[i] = tolower(buf[i]);
	word[len] = '\0';
	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcmp(word, yes[i]) || !strcmp(word, no[i])) {
			*val = !strcmp(word, yes[i]);
			return 0;
		}
	}
	return -EINVAL;
}

HZ_EXPORT_IF_KUNIT(zram_parse_bool);

static int zram_wb_mode(const char *word, unsigned int *mode)
{
	if (!strcmp(word, "idle"))
		*mode = ZRAM_WB_IDLE;
	else if (!strcmp(word, "huge"))
		*mode = ZRAM_WB_HUGE;
	else if (!strcmp(word, "huge_idle"))
		*mode = ZRAM_WB_IDLE | ZRAM_WB_HUGE;
	else if (!strcmp(word, "incompressible"))
		*mode = ZRAM_WB_INCOMPRESSIBLE;
	else
		return -EINVAL;
	return 0;
}

/*
 * Parse a write to "writeback", in upstream 7.0's grammar: a mode word
 * (idle, huge, huge_idle, incompressible) or type=MODE selects slots
 * over the range so far (the whole device unless an index came first)
 * and ends the request; page_index=N and page_indexes=A-B (inclusive)
 * each select one range, any number of times; unknown key=value pairs
 * are ignored. Each selection is handed to @scan, unless @scan is NULL
 * (a dry run that only validates, so that a malformed request does
 * nothing at all). Returns 0, the parse error, or the last error @scan
 * returned.
 */
int zram_parse_writeback(const char *buf, u32 nr_pages,
			 int (*scan)(void *ctx, unsigned int mode, u32 first,
				     u32 last),
			 void *ctx)
{
	u32 lo = 0, hi = nr_pages - 1;
	char *copy, *args, *param, *val;
	int ret = 0, err;

	copy = kstrdup(buf, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	args = skip_spaces(copy);
	while (*args) {
		unsigned long a, b;
		unsigned int mode;

		args = next_arg(args, &param, &val);
		if (!val || !strcmp(param, "type")) {
			ret = zram_wb_mode(val ? val : param, &mode);
			if (ret)
				break;
			if (scan) {
				err = scan(ctx, mode, lo, hi);
				if (err)
					ret = err;
			}
			break;
		}
		if (!strcmp(param, "page_index")) {
			err = kstrtoul(val, 10, &a);
			b = a;
		} else if (!strcmp(param, "page_indexes")) {
			char *dash = strchr(val, '-');

			if (!dash) {
				ret = -EINVAL;
				break;
			}
			*dash = '\0';
			err = kstrtoul(val, 10, &a);
			if (!err)
				err = kstrtoul(dash + 1, 10, &b);
		} else {
			continue;
		}
		if (!err && (a >= nr_pages || b >= nr_pages || a > b))
			err = -ERANGE;
		if (err) {
			ret = err;
			break;
		}
		lo = a;
		hi = b;
		if (scan) {
			err = scan(ctx, 0, lo, hi);
			if (err)
				ret = err;
		}
	}
	kfree(copy);
	return ret;
}

HZ_EXPORT_IF_KUNIT(zram_parse_writeback);

/* ---------------------------- configuration -------------------------- */

static ssize_t disksize_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct zram *zram = dev_to_zram(dev);
	u64 size;

	down_read(&zram->init_lock);
	size = zram->disksize;
	up_read(&zram->init_lock);
	return sysfs_emit(buf, "%llu\n", size);
}

static ssize_t disksize_store(struct device *dev,
			      struct device_attribute *attr, const char *buf,
			      size_t len)
{
	struct zram *zram = dev_to_zram(dev);
	u64 size;
	int ret;

	if (!zram_input_ok(buf, len) || zram_parse_size(buf, &size) || !size)
		return -EINVAL;
	ret = zram_init_device(zram, size);
	return ret ? ret : len;
}
static DEVICE_ATTR_RW(disksize);

static ssize_t initstate_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct zram *zram = dev_to_zram(dev);
	bool done;

	down_read(&zram->init_lock);
	done = zram_init_done(zram);
	up_read(&zram->init_lock);
	return sysfs_emit(buf, "%u\n", done);
}
static DEVICE_ATTR_RO(initstate);

static ssize_t reset_store(struct device *dev, struct device_attribute *attr,
			   const char *buf, size_t len)
{
	u16 val;
	int ret;

	if (!zram_input_ok(buf, len) || kstrtou16(buf, 10, &val) || !val)
		return -EINVAL;
	ret = zram_reset(dev_to_zram(dev));
	return ret ? ret : len;
}
static DEVICE_ATTR_WO(reset);

/* Streams are per CPU; kept because tools (Android fs_mgr) open it. */
static ssize_t max_comp_streams_show(struct device *dev,
				     struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", num_online_cpus());
}

static ssize_t max_comp_streams_store(struct device *dev,
				      struct device_attribute *attr,
				      const char *buf, size_t len)
{
	return len;
}
static DEVICE_ATTR_RW(max_comp_streams);

static ssize_t comp_algorithm_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	struct zram *zram = dev_to_zram(dev);
	ssize_t ret;

	down_read(&zram->init_lock);
	ret = zcomp_available_show(zram->conf[ZRAM_PRIMARY_COMP].name, buf, 0);
	up_read(&zram->init_lock);
	return ret;
}

/* Set priority @prio's algorithm; its parameters go if it changes. */
static int zram_set_algorithm(struct zram *zram, u32 prio, const char *name)
{
	struct zram_comp_conf *conf = &zram->conf[prio];
	int ret = 0;

	down_write(&zram->init_lock);
	if (zram_init_done(zram)) {
		ret = -EBUSY;
	} else if (name != conf->name) {
		conf->name = name;
		/* Levels mean different things to different algorithms. */
		zram_comp_conf_reset(conf);
	}
	up_write(&zram->init_lock);
	return ret;
}

static ssize_t comp_algorithm_store(struct device *dev,
				    struct device_attribute *attr,
				    const char *buf, size_t len)
{
	const char *name = zcomp_lookup(buf);
	int ret;

	if (!zram_input_ok(buf, len) || !name)
		return -EINVAL;
	ret = zram_set_algorithm(dev_to_zram(dev), ZRAM_PRIMARY_COMP, name);
	return ret ? ret : len;
}
static DEVICE_ATTR_RW(comp_algorithm);

/*
 * Per-object checksums (beyond upstream). Chosen before disksize, since
 * the checksum array is allocated with the slot table. Not called
 * "integrity": block devices with CONFIG_BLK_DEV_INTEGRITY (Debian's
 * kernels) already have an integrity/ directory in the same place.
 */
static ssize_t checksum_show(struct device *dev,
			     struct device_attribute *attr, char *buf)
{
	struct zram *zram = dev_to_zram(dev);
	bool on;

	down_read(&zram->init_lock);
	on = zram->checksum;
	up_read(&zram->init_lock);
	return sysfs_emit(buf, "%d\n", on);
}

static ssize_t checksum_store(struct device *dev,
			      struct device_attribute *attr,
			      const char *buf, size_t len)
{
	struct zram *zram = dev_to_zram(dev);
	unsigned int on;
	int ret = 0;

	/*
	 * 0 or 1 only: kstrtobool() would take any word starting with y/n/o
	 * and ignore the rest, and a typo must not pass for a setting.
	 */
	if (!zram_input_ok(buf, len) || kstrtouint(buf, 10, &on) || on > 1)
		return -EINVAL;
	down_write(&zram->init_lock);
	if (zram_init_done(zram))
		ret = -EBUSY;
	else
		zram->checksum = on;
	up_write(&zram->init_lock);
	return ret ? ret : len;
}
static DEVICE_ATTR_RW(checksum);

/* The priority an algorithm_params write is for, or -EINVAL. */
static int zram_params_prio(struct zram *zram, const struct zram_algo_params *p)
{
	u32 prio;

	/*
	 * A name picks the lowest priority it is selected at; with both,
	 * they must agree (as upstream since 7.0, where a disagreement
	 * used to pick the name's priority silently).
	 */
	if (p->algo) {
		for (prio = 0; prio < ZRAM_MAX_COMPS; prio++)
			if (zram->conf[prio].name == p->algo &&
			    (p->prio < 0 || p->prio == prio))
				return prio;
		return -EINVAL;	/* names an algorithm that is not selected */
	}
	prio = p->prio < 0 ? ZRAM_PRIMARY_COMP : p->prio;
	/* Parameters for a priority without an algorithm would be lost. */
	return zram->conf[prio].name ? prio : -EINVAL;
}

/* Read a dictionary file whole, once; the caller vfree()s it. */
static ssize_t zram_read_dict(struct zram *zram, const char *path,
			      void **dict)
{
	ssize_t sz;

	*dict = NULL;
	sz = kernel_read_file_from_path(path, 0, dict, ZCOMP_DICT_MAX, NULL,
					READING_POLICY);
	if (sz <= 0) {
		pr_warn("zram%d: cannot use dictionary %s: %s (%zd)\n",
			zram->id, path, sz ? "read failed" : "empty file",
			sz);
		vfree(*dict);
		*dict = NULL;
		return -EINVAL;
	}
	return sz;
}

/*
 * Each write sets all of one priority's parameters, as upstream's does:
 * what it does not name goes back to the default (a level alone drops
 * an earlier dictionary).
 */
static ssize_t algorithm_params_store(struct device *dev,
				      struct device_attribute *attr,
				      const char *buf, size_t len)
{
	struct zram *zram = dev_to_zram(dev);
	struct zram_algo_params p;
	struct zcomp_params params;
	void *dict = NULL;
	ssize_t sz = 0;
	int ret, prio;

	if (!zram_input_ok(buf, len))
		return -EINVAL;
	ret = zram_parse_algo_params(buf, &p);
	/* Malformed is malformed, however the number parser put it. */
	if (ret == -ERANGE)
		ret = -EINVAL;
	if (ret)
		return ret;
	if (p.dict) {
		sz = zram_read_dict(zram, p.dict, &dict);
		if (sz < 0) {
			ret = sz;
			goto out;
		}
	}
	zcomp_params_init(&params);
	params.level = p.level;
	params.winbits = p.winbits;
	params.dict = dict;
	params.dict_sz = dict ? sz : 0;

	down_write(&zram->init_lock);
	prio = zram_params_prio(zram, &p);
	if (zram_init_done(zram))
		ret = -EBUSY;
	else if (prio < 0)
		ret = prio;
	else
		ret = zcomp_check_params(zram->conf[prio].name, &params);
	if (!ret) {
		zram_comp_conf_reset(&zram->conf[prio]);
		zram->conf[prio].params = params;
		zram->conf[prio].dict = dict;
		dict = NULL;
	}
	up_write(&zram->init_lock);
	if (ret == -EOPNOTSUPP)
		pr_warn("zram%d: %s cannot use a dictionary on this kernel\n",
			zram->id, zram->conf[prio].name);
out:
	vfree(dict);
	kfree(p.copy);
	return ret ? ret : len;
}
static DEVICE_ATTR_WO(algorithm_params);

/* Each configured secondary: "#N: " and the list with it in brackets. */
static ssize_t recomp_algorithm_show(struct device *dev,
				     struct device_attribute *attr, char *buf)
{
	struct zram *zram = dev_to_zram(dev);
	ssize_t at = 0;
	u32 prio;

	down_read(&zram->init_lock);
	for (prio = ZRAM_SECONDARY_COMP; prio < ZRAM_MAX_COMPS; prio++) {
		if (!zram->conf[prio].name)
			continue;
		at += sysfs_emit_at(buf, at, "#%u: ", prio);
		at = zcomp_available_show(zram->conf[prio].name, buf, at);
	}
	up_read(&zram->init_lock);
	return at;
}

static ssize_t recomp_algorithm_store(struct device *dev,
				      struct device_attribute *attr,
				      const char *buf, size_t len)
{
	const char *name;
	u32 prio;
	int ret;

	if (!zram_input_ok(buf, len))
		return -EINVAL;
	ret = zram_parse_recomp_algorithm(buf, &name, &prio);
	if (!ret)
		ret = zram_set_algorithm(dev_to_zram(dev), prio, name);
	return ret ? ret : len;
}
static DEVICE_ATTR_RW(recomp_algorithm);

static ssize_t recompress_store(struct device *dev,
				struct device_attribute *attr,
				const char *buf, size_t len)
{
	struct zram *zram = dev_to_zram(dev);
	struct zram_recomp_result res;
	struct zram_recomp_req req;
	int ret;

	if (!zram_input_ok(buf, len))
		return -EINVAL;
	ret = zram_parse_recompress(buf, &req);
	if (ret)
		return ret;
	down_read(&zram->init_lock);
	if (!zram_init_done(zram))
		ret = -EINVAL;
	else
		ret = zram_recompress(zram, &req, &res);
	up_read(&zram->init_lock);
	return ret ? ret : len;
}
static DEVICE_ATTR_WO(recompress);

static ssize_t mem_limit_store(struct device *dev,
			       struct device_attribute *attr, const char *buf,
			       size_t len)
{
	struct zram *zram = dev_to_zram(dev);
	u64 limit, pages;

	if (!zram_input_ok(buf, len) || zram_parse_size(buf, &limit))
		return -EINVAL;
	/* Round up without the wrap DIV_ROUND_UP would have near U64_MAX. */
	pages = (limit >> PAGE_SHIFT) + !!(limit & ~PAGE_MASK);

	down_write(&zram->init_lock);
	WRITE_ONCE(zram->limit_pages, min_t(u64, pages, ULONG_MAX));
	up_write(&zram->init_lock);
	return len;
}
static DEVICE_ATTR_WO(mem_limit);

static ssize_t mem_used_max_store(struct device *dev,
				  struct device_attribute *attr,
				  const char *buf, size_t len)
{
	struct zram *zram = dev_to_zram(dev);
	unsigned long val;

	if (!zram_input_ok(buf, len) || kstrtoul(buf, 10, &val) || val)
		return -EINVAL;

	down_read(&zram->init_lock);
	if (zram_init_done(zram))
		atomic_long_set(&zram->stats.max_used_pages,
				zram_mem_used_pages(zram));
	up_read(&zram->init_lock);
	return len;
}
static DEVICE_ATTR_WO(mem_used_max);

static ssize_t compact_store(struct device *dev, struct device_attribute *attr,
			     const char *buf, size_t len)
{
	struct zram *zram = dev_to_zram(dev);
	int ret = 0;

	down_read(&zram->init_lock);
	if (zram_init_done(zram))
		hzs_compact(zram->pool);
	else
		ret = -EINVAL;
	up_read(&zram->init_lock);
	return ret ? ret : len;
}
static DEVICE_ATTR_WO(compact);

/* "all", or an age in seconds: slots untouched for that long. */
static ssize_t idle_store(struct device *dev, struct device_attribute *attr,
			  const char *buf, size_t len)
{
	struct zram *zram = dev_to_zram(dev);
	s64 cutoff;
	int ret = 0;

	if (!zram_input_ok(buf, len))
		return -EINVAL;
	if (sysfs_streq(buf, "all")) {
		cutoff = S64_MAX;
	} else {
		u64 age;
		u32 now;

		if (kstrtoull(buf, 0, &age))
			return -EINVAL;
		now = zram_now();
		cutoff = age > now ? -1 : (s64)(now - age);
	}

	down_read(&zram->init_lock);
	if (zram_init_done(zram))
		zram_mark_idle(zram, cutoff);
	else
		ret = -EINVAL;
	up_read(&zram->init_lock);
	return ret ? ret : len;
}
static DEVICE_ATTR_WO(idle);

/* ------------------------------ writeback ---------------------------- */

static ssize_t backing_dev_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	struct zram *zram = dev_to_zram(dev);
	ssize_t ret;

	down_read(&zram->init_lock);
	ret = zram_backing_show(zram, buf);
	up_read(&zram->init_lock);
	return ret;
}

/* A block device or a regular file; before init only. As upstream. */
static ssize_t backing_dev_store(struct device *dev,
				 struct device_attribute *attr,
				 const char *buf, size_t len)
{
	struct zram *zram = dev_to_zram(dev);
	char *path;
	size_t n;
	int ret;

	if (!zram_input_ok(buf, len))
		return -EINVAL;
	path = kstrndup(buf, PATH_MAX, GFP_KERNEL);
	if (!path)
		return -ENOMEM;
	n = strlen(path);
	if (n && path[n - 1] == '\n')
		path[--n] = '\0';

	down_write(&zram->init_lock);
	if (zram_init_done(zram)) {
		pr_info("zram%d: backing_dev can only be set before disksize\n",
			zram->id);
		ret = -EBUSY;
	} else {
		ret = zram_backing_attach(zram, path);
	}
	up_write(&zram->init_lock);
	kfree(path);
	return ret ? ret : len;
}
static DEVICE_ATTR_RW(backing_dev);

static int zram_writeback_scan(void *ctx, unsigned int mode, u32 first,
			       u32 last)
{
	return zram_writeback(ctx, mode, first, last);
}

static ssize_t writeback_store(struct device *dev,
			       struct device_attribute *attr, const char *buf,
			       size_t len)
{
	struct zram *zram = dev_to_zram(dev);
	int ret;

	if (!zram_input_ok(buf, len))
		return -EINVAL;
	down_read(&zram->init_lock);
	if (!zram_init_done(zram))
		ret = -EINVAL;
	else if (!zram->backing)
		ret = -ENODEV;
	else
		ret = zram_parse_writeback(buf, zram->nr_pages, NULL, NULL);
	if (!ret)
		ret = zram_parse_writeback(buf, zram->nr_pages,
					   zram_writeback_scan, zram);
	up_read(&zram->init_lock);
	return ret ? ret : len;
}
static DEVICE_ATTR_WO(writeback);

static ssize_t writeback_limit_enable_show(struct device *dev,
					   struct device_attribute *attr,
					   char *buf)
{
	struct zram *zram = dev_to_zram(dev);
	bool val;

	spin_lock(&zram->wb_limit_lock);
	val = zram->wb_limit_enable;
	spin_unlock(&zram->wb_limit_lock);
	return sysfs_emit(buf, "%d\n", val);
}

static ssize_t writeback_limit_enable_store(struct device *dev,
					    struct device_attribute *attr,
					    const char *buf, size_t len)
{
	struct zram *zram = dev_to_zram(dev);
	u64 val;

	if (!zram_input_ok(buf, len) || kstrtoull(buf, 10, &val))
		return -EINVAL;
	spin_lock(&zram->wb_limit_lock);
	zram->wb_limit_enable = val;
	spin_unlock(&zram->wb_limit_lock);
	return len;
}
static DEVICE_ATTR_RW(writeback_limit_enable);

static ssize_t writeback_limit_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	struct zram *zram = dev_to_zram(dev);
	u64 val;

	spin_lock(&zram->wb_limit_lock);
	val = zram->wb_limit;
	spin_unlock(&zram->wb_limit_lock);
	return sysfs_emit(buf, "%llu\n", val);
}

/* In 4K units, rounded down to whole pages (upstream 7.0 does too). */
static ssize_t writeback_limit_store(struct device *dev,
				     struct device_attribute *attr,
				     const char *buf, size_t len)
{
	struct zram *zram = dev_to_zram(dev);
	u64 val;

	if (!zram_input_ok(buf, len) || kstrtoull(buf, 10, &val))
		return -EINVAL;
	spin_lock(&zram->wb_limit_lock);
	zram->wb_limit = rounddown(val, ZRAM_WB_LIMIT_UNITS);
	spin_unlock(&zram->wb_limit_lock);
	return len;
}
static DEVICE_ATTR_RW(writeback_limit);

static ssize_t writeback_batch_size_show(struct device *dev,
					 struct device_attribute *attr,
					 char *buf)
{
	return sysfs_emit(buf, "%u\n",
			  READ_ONCE(dev_to_zram(dev)->wb_batch_size));
}

/*
 * Any time, for the next pass. Upstream sets no upper bound, and no
 * more than ZRAM_WB_BATCH_MAX writes are ever in flight here.
 */
static ssize_t writeback_batch_size_store(struct device *dev,
					  struct device_attribute *attr,
					  const char *buf, size_t len)
{
	u32 val;

	if (!zram_input_ok(buf, len) || kstrtou32(buf, 10, &val) || !val)
		return -EINVAL;
	WRITE_ONCE(dev_to_zram(dev)->wb_batch_size, val);
	return len;
}
static DEVICE_ATTR_RW(writeback_batch_size);

static ssize_t compressed_writeback_show(struct device *dev,
					 struct device_attribute *attr,
					 char *buf)
{
	struct zram *zram = dev_to_zram(dev);
	bool val;

	down_read(&zram->init_lock);
	val = zram->wb_compressed;
	up_read(&zram->init_lock);
	return sysfs_emit(buf, "%d\n", val);
}

static ssize_t compressed_writeback_store(struct device *dev,
					  struct device_attribute *attr,
					  const char *buf, size_t len)
{
	struct zram *zram = dev_to_zram(dev);
	int ret = 0;
	bool val;

	if (!zram_input_ok(buf, len) || zram_parse_bool(buf, &val))
		return -EINVAL;
	down_write(&zram->init_lock);
	if (zram_init_done(zram))
		ret = -EBUSY;
	else
		zram->wb_compressed = val;
	up_write(&zram->init_lock);
	return ret ? ret : len;
}
static DEVICE_ATTR_RW(compressed_writeback);

/* bd_count bd_reads bd_writes, in 4K units whatever the page size. */
static ssize_t bd_stat_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct zram *zram = dev_to_zram(dev);
	ssize_t ret;

	down_read(&zram->init_lock);
	ret = sysfs_emit(buf, "%8llu %8llu %8llu\n",
			 (u64)atomic64_read(&zram->stats.bd_count) *
				ZRAM_WB_LIMIT_UNITS,
			 (u64)atomic64_read(&zram->stats.bd_reads) *
				ZRAM_WB_LIMIT_UNITS,
			 (u64)atomic64_read(&zram->stats.bd_writes) *
				ZRAM_WB_LIMIT_UNITS);
	up_read(&zram->init_lock);
	return ret;
}
static DEVICE_ATTR_RO(bd_stat);

/* -------------------------------- stats ------------------------------ */

static ssize_t io_stat_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct zram *zram = dev_to_zram(dev);
	ssize_t ret;

	/* The third field (invalid_io) is gone upstream; it stays a 0. */
	down_read(&zram->init_lock);
	ret = sysfs_emit(buf, "%8llu %8llu 0 %8llu\n",
			 (u64)atomic64_read(&zram->stats.failed_reads),
			 (u64)atomic64_read(&zram->stats.failed_writes),
			 (u64)atomic64_read(&zram->stats.notify_free));
	up_read(&zram->init_lock);
	return ret;
}
static DEVICE_ATTR_RO(io_stat);

/*
 * Pages as bytes, saturating: a limit of U64_MAX bytes rounds up to 2^52
 * pages, which must not print as 0 ("no limit"). Upstream wraps such a
 * limit to 0 at the store instead; hzram keeps and shows what it
 * enforces.
 */
static u64 zram_pages_to_bytes(unsigned long pages)
{
	if ((u64)pages > (U64_MAX >> PAGE_SHIFT))
		return U64_MAX & PAGE_MASK;
	return (u64)pages << PAGE_SHIFT;
}

static ssize_t mm_stat_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct zram *zram = dev_to_zram(dev);
	struct hzs_pool_stats st = {};
	u64 mem_used = 0;
	ssize_t ret;

	down_read(&zram->init_lock);
	if (zram_init_done(zram)) {
		/* The pool and the slot table's chunks (zram_io.c). */
		mem_used = zram_mem_used_pages(zram);
		hzs_pool_stats(zram->pool, &st);
	}
	ret = sysfs_emit(buf,
			 "%8llu %8llu %8llu %8llu %8llu %8llu %8llu %8llu %8llu\n",
			 (u64)atomic64_read(&zram->stats.pages_stored) << PAGE_SHIFT,
			 (u64)atomic64_read(&zram->stats.compr_data_size),
			 mem_used << PAGE_SHIFT,
			 zram_pages_to_bytes(zram->limit_pages),
			 (u64)atomic_long_read(&zram->stats.max_used_pages) <<
				PAGE_SHIFT,
			 (u64)atomic64_read(&zram->stats.same_pages),
			 st.pages_compacted,
			 (u64)atomic64_read(&zram->stats.huge_pages),
			 (u64)atomic64_read(&zram->stats.huge_pages_since));
	up_read(&zram->init_lock);
	return ret;
}
static DEVICE_ATTR_RO(mm_stat);

static ssize_t debug_stat_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct zram *zram = dev_to_zram(dev);
	ssize_t ret;

	down_read(&zram->init_lock);
	/*
	 * Upstream's two columns, then ours: debug_stat is documented as
	 * unstable, and parsers of the two columns keep working.
	 */
	ret = sysfs_emit(buf, "version: %d\n%8llu %8llu %8llu %8llu %8llu\n", 1,
			 (u64)atomic64_read(&zram->stats.writestall),
			 (u64)atomic64_read(&zram->stats.miss_free),
			 (u64)atomic64_read(&zram->stats.checksum_errors),
			 (u64)atomic64_read(&zram->stats.bd_write_errors),
			 (u64)atomic64_read(&zram->stats.bd_read_errors));
	up_read(&zram->init_lock);
	return ret;
}
static DEVICE_ATTR_RO(debug_stat);

static struct attribute *zram_disk_attrs[] = {
	&dev_attr_disksize.attr,
	&dev_attr_initstate.attr,
	&dev_attr_reset.attr,
	&dev_attr_compact.attr,
	&dev_attr_mem_limit.attr,
	&dev_attr_mem_used_max.attr,
	&dev_attr_idle.attr,
	&dev_attr_max_comp_streams.attr,
	&dev_attr_comp_algorithm.attr,
	&dev_attr_io_stat.attr,
	&dev_attr_mm_stat.attr,
	&dev_attr_debug_stat.attr,
	&dev_attr_algorithm_params.attr,
	&dev_attr_recomp_algorithm.attr,
	&dev_attr_recompress.attr,
	&dev_attr_checksum.attr,
	&dev_attr_backing_dev.attr,
	&dev_attr_writeback.attr,
	&dev_attr_writeback_limit.attr,
	&dev_attr_writeback_limit_enable.attr,
	&dev_attr_writeback_batch_size.attr,
	&dev_attr_compressed_writeback.attr,
	&dev_attr_bd_stat.attr,
	NULL,
};
ATTRIBUTE_GROUPS(zram_disk);

const struct attribute_group **zram_sysfs_groups(void)
{
	return zram_disk_groups;
}
