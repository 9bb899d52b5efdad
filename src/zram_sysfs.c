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
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "hz_compat.h"
#include "hz_kunit.h"
#include "hzs_pool.h"
#include "zram_drv.h"
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
 * Parse "algo=NAME level=N priority=0" (upstream 6.12 syntax; any order,
 * any subset but not none, separated by white space). Unlike upstream,
 * unknown keys are refused rather than ignored, so a typo is not
 * silently accepted. Only the primary algorithm (priority 0) exists.
 */
int zram_parse_algo_params(const char *buf, struct zram_algo_params *p)
{
	char *copy, *cur, *tok;
	bool any = false;
	int ret = 0;

	p->algo = NULL;
	p->level = ZCOMP_NO_LEVEL;

	copy = kstrdup(buf, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;

	cur = copy;
	while ((tok = strsep(&cur, " \t\n")) != NULL) {
		char *val;

		if (!*tok)
			continue;
		any = true;
		val = strchr(tok, '=');
		if (!val || !val[1]) {
			ret = -EINVAL;
			break;
		}
		*val++ = '\0';

		if (!strcmp(tok, "algo")) {
			p->algo = zcomp_lookup(val);
			if (!p->algo)
				ret = -EINVAL;
		} else if (!strcmp(tok, "level")) {
			s32 level;

			ret = kstrtos32(val, 10, &level);
			if (!ret && level == ZCOMP_NO_LEVEL)
				ret = -ERANGE;
			if (!ret)
				p->level = level;
		} else if (!strcmp(tok, "priority")) {
			u32 prio;

			ret = kstrtou32(val, 10, &prio);
			if (!ret && prio)
				ret = -EINVAL;
		} else if (!strcmp(tok, "dict")) {
			ret = -EOPNOTSUPP;
		} else {
			ret = -EINVAL;
		}
		if (ret)
			break;
	}
	kfree(copy);
	if (!ret && !any)
		ret = -EINVAL;
	return ret;
}

HZ_EXPORT_IF_KUNIT(zram_parse_algo_params);

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
	ret = zcomp_available_show(zram->comp_name, buf, 0);
	up_read(&zram->init_lock);
	return ret;
}

static ssize_t comp_algorithm_store(struct device *dev,
				    struct device_attribute *attr,
				    const char *buf, size_t len)
{
	struct zram *zram = dev_to_zram(dev);
	const char *name = zcomp_lookup(buf);
	int ret = 0;

	if (!zram_input_ok(buf, len) || !name)
		return -EINVAL;
	down_write(&zram->init_lock);
	if (zram_init_done(zram)) {
		ret = -EBUSY;
	} else if (name != zram->comp_name) {
		zram->comp_name = name;
		/* Levels mean different things to different algorithms. */
		zram->comp_level = ZCOMP_NO_LEVEL;
	}
	up_write(&zram->init_lock);
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

static ssize_t algorithm_params_store(struct device *dev,
				      struct device_attribute *attr,
				      const char *buf, size_t len)
{
	struct zram *zram = dev_to_zram(dev);
	struct zram_algo_params p;
	int ret;

	if (!zram_input_ok(buf, len))
		return -EINVAL;
	ret = zram_parse_algo_params(buf, &p);
	/* Malformed is malformed, however the number parser put it. */
	if (ret == -ERANGE)
		ret = -EINVAL;
	if (ret)
		return ret;

	down_write(&zram->init_lock);
	if (zram_init_done(zram))
		ret = -EBUSY;
	else if (p.algo && p.algo != zram->comp_name)
		ret = -EINVAL;	/* names an algorithm that is not selected */
	else
		ret = zcomp_check_level(zram->comp_name, p.level);
	if (!ret)
		zram->comp_level = p.level;
	up_write(&zram->init_lock);
	return ret ? ret : len;
}
static DEVICE_ATTR_WO(algorithm_params);

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
				hzs_pool_pages(zram->pool));
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
		mem_used = hzs_pool_pages(zram->pool);
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
