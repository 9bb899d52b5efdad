// SPDX-License-Identifier: GPL-2.0
/*
 * sysfuzz: hostile input to a zram device's sysfs attributes and to the
 * zram-control files, and proof that a rejected write changes nothing.
 *
 *   sysfuzz matrix DEV SIZE [-u]
 *	For every writable regular file in /sys/block/DEV (found by mode,
 *	not by a list), before and after the device is initialised (disksize
 *	SIZE, some data written), write each of a set of hostile values in
 *	one write(2): empty, white space, huge and negative numbers,
 *	overflowing memparse suffixes, unknown algorithm names, non-UTF8
 *	bytes, an embedded NUL, a page of garbage. Each write must either
 *	succeed or fail with EINVAL, EBUSY, ENOMEM, ENODEV or ENOSPC. After
 *	a rejected (or empty) write, every readable attribute must read
 *	back as before (io/stat counters and the allocator's own moving
 *	figures excepted). Values that are plain garbage must be rejected by
 *	every attribute that parses its input (compact and max_comp_streams
 *	take anything), reset must refuse anything but a positive number,
 *	and disksize zero or negative sizes. Then hot_remove gets the same
 *	values while DEV is held open (nothing may be removed), hot_add
 *	(read-only) must refuse to be opened for writing, and I/O at, across
 *	and past the end of the device, unaligned, and on a zero-sized device
 *	must fail cleanly.
 *   sysfuzz storm DEV SECS [-u]
 *	Threads write hostile and valid values to every writable attribute,
 *	reset and re-initialise the device, do I/O, read every attribute,
 *	and hot_add/hot_remove spare devices, all at once; errnos are checked
 *	as above and the device must be consistent afterwards.
 *
 * -u: the in-tree zram is under test; its known ERANGE/E2BIG answers and
 * garbage it accepts are counted and printed instead of failing, and
 * disksize values that make it WARN are not sent (see upstream_warns()).
 */
#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64
#include <dirent.h>
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
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hzguest.h"

#define CTL "/sys/class/zram-control"
#define MAXATTR 64
#define SNAP_MAX 65536

struct val {
	const char *s;
	size_t len;		/* 0 with s set: strlen */
};

static struct val vals[64];
static int nvals;
static char garbage[4096], nines[4096], letters[4096];
static char sysdir[256], devnode[256];
static char *wattr[MAXATTR], *rattr[MAXATTR];
static int nwattr, nrattr, upstream;
static atomic_ulong cases, accepted, rejected, lenient;
static atomic_int failures;
static size_t bs;

#define FAIL(...) do { fprintf(stderr, "sysfuzz: FAIL: " __VA_ARGS__); \
		       atomic_fetch_add(&failures, 1); } while (0)

static const char *ename(int e)
{
	static const struct { int e; const char *n; } t[] = {
		{ EINVAL, "EINVAL" }, { EBUSY, "EBUSY" }, { ENOMEM, "ENOMEM" },
		{ ENODEV, "ENODEV" }, { ENOSPC, "ENOSPC" }, { EIO, "EIO" },
		{ EPERM, "EPERM" }, { EACCES, "EACCES" }, { ENOENT, "ENOENT" },
		{ E2BIG, "E2BIG" }, { ERANGE, "ERANGE" }, { ENXIO, "ENXIO" },
		{ EOPNOTSUPP, "EOPNOTSUPP" }, { EAGAIN, "EAGAIN" },
		{ EFAULT, "EFAULT" }, { ENOTBLK, "ENOTBLK" },
		{ ENAMETOOLONG, "ENAMETOOLONG" }, { EEXIST, "EEXIST" },
		{ EISDIR, "EISDIR" }, { ENOTDIR, "ENOTDIR" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].e == e)
			return t[i].n;
	return strerror(e);
}

static void add(const char *s, size_t len)
{
	vals[nvals].s = s;
	vals[nvals].len = len ? len : strlen(s);
	nvals++;
}

static void init_values(void)
{
	uint64_t x = 0x243f6a8885a308d3ULL;

	add("", 0);
	add(" ", 0);
	add("\n", 0);
	add(" \t\n ", 0);
	add("0", 0);
	add("-1", 0);
	add("-9223372036854775808", 0);
	add("4294967296", 0);
	add("18446744073709551615", 0);
	add("18446744073709551616", 0);
	add("99999999999999999999", 0);
	add("99999999999999999999G", 0);
	add("18446744073709551615K", 0);
	add("16E", 0);
	add("17179869184G", 0);
	add("0xffffffffffffffffffff", 0);
	add("0x", 0);
	add("1Q", 0);
	add("1 2", 0);
	add("1\n\n", 0);
	add("nosuchalgo", 0);
	add("lz4x", 0);
	add("LZ4", 0);
	add("algo=nosuch", 0);
	add("level=99999999999", 0);
	add("priority=7", 0);
	add("algo=", 0);
	add("==", 0);
	add("\xff\xfe\xc0\x80\xed\xa0\x80", 0);
	add("\xc3\x28 \xe2\x82", 0);
	add("1\0garbage", 9);
	for (size_t i = 0; i < sizeof(garbage); i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		garbage[i] = (char)(x >> 24);
		nines[i] = '9';
		letters[i] = 'a' + i % 26;
	}
	add(garbage, sizeof(garbage));
	add(nines, sizeof(nines));
	add(letters, sizeof(letters));
}

/*
 * A store sees a C string: an embedded NUL ends the value for it (the
 * kernel copies the bytes and terminates them, nothing more).
 */
static size_t cstrlen(const struct val *v)
{
	return strnlen(v->s, v->len);
}

static int has_digit(const struct val *v)
{
	for (size_t i = 0; i < cstrlen(v); i++)
		if (v->s[i] >= '0' && v->s[i] <= '9')
			return 1;
	return 0;
}

/* "123" or "123\n" with a nonzero value (what reset may accept). */
static int positive_number(const struct val *v)
{
	size_t n = cstrlen(v), i;
	int nonzero = 0;

	if (n && v->s[n - 1] == '\n')
		n--;
	i = (n && v->s[0] == '+');
	if (i == n)
		return 0;
	for (; i < n; i++) {
		if (v->s[i] < '0' || v->s[i] > '9')
			return 0;
		nonzero |= v->s[i] != '0';
	}
	return nonzero;
}

/*
 * The in-tree zram's disksize_store() checks memparse()'s result for zero
 * before PAGE_ALIGN(), so a size within a page of 2^64 wraps to 0 and
 * reaches vzalloc(0), which WARNs (a panic here, panic_on_warn). Known
 * upstream bug: with -u such values are not sent to disksize. This is
 * memparse() as the kernel computes it, wrapping included.
 */
static int upstream_warns(const char *a, const struct val *v)
{
	const char *p = v->s;
	uint64_t x = 0, base = 10;

	if (!upstream || strcmp(a, "disksize"))
		return 0;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	} else if (p[0] == '0') {
		base = 8;
	}
	for (;; p++) {
		uint64_t d;

		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			break;
		if (d >= base)
			break;
		x = x * base + d;
	}
	switch (*p) {
	case 'E': case 'e': x <<= 10; /* fall through */
	case 'P': case 'p': x <<= 10; /* fall through */
	case 'T': case 't': x <<= 10; /* fall through */
	case 'G': case 'g': x <<= 10; /* fall through */
	case 'M': case 'm': x <<= 10; /* fall through */
	case 'K': case 'k': x <<= 10; /* fall through */
	default: break;
	}
	return x && !((x + bs - 1) & ~(uint64_t)(bs - 1));
}

/* Is errno e an acceptable refusal for a write to attribute a? */
static int errno_ok(const char *a, int e)
{
	if (e == EINVAL || e == EBUSY || e == ENOMEM || e == ENODEV ||
	    e == ENOSPC)
		return 1;
	/* backing_dev takes a path: the VFS answers for it. */
	if (!strcmp(a, "backing_dev") &&
	    (e == ENOENT || e == ENOTBLK || e == ENAMETOOLONG || e == EACCES ||
	     e == ENOTDIR || e == EISDIR || e == ELOOP))
		return 1;
	if (upstream && (e == ERANGE || e == E2BIG)) {
		atomic_fetch_add(&lenient, 1);
		return 1;
	}
	return 0;
}

/* One write(2); returns 0 on full success, else the errno (-1: short). */
static int write_once(const char *path, const char *buf, size_t len)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;
	int e = 0;

	if (fd < 0)
		return errno;
	n = write(fd, buf, len);
	if (n < 0)
		e = errno;
	else if ((size_t)n != len)
		e = -1;
	close(fd);
	return e;
}

static ssize_t read_file(const char *path, char *buf, size_t max)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, max - 1);
	if (n < 0)
		n = -errno;
	else
		buf[n] = '\0';
	close(fd);
	return n;
}

static int wr_str(const char *attr, const char *s)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", sysdir, attr);
	return write_once(path, s, strlen(s));
}

/* Find the attributes by mode bits: owner-writable / owner-readable. */
static void scan_attrs(void)
{
	DIR *d = opendir(sysdir);
	struct dirent *de;

	if (!d) {
		perror(sysdir);
		exit(2);
	}
	while ((de = readdir(d))) {
		char path[512];
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", sysdir, de->d_name);
		if (lstat(path, &st) || !S_ISREG(st.st_mode))
			continue;
		/* The block layer's fault injection switch, not zram's. */
		if (!strcmp(de->d_name, "make-it-fail"))
			continue;
		if ((st.st_mode & 0200) && nwattr < MAXATTR)
			wattr[nwattr++] = strdup(de->d_name);
		/* Counters that move on their own are left out. */
		if ((st.st_mode & 0400) && nrattr < MAXATTR &&
		    strcmp(de->d_name, "stat") && strcmp(de->d_name, "inflight"))
			rattr[nrattr++] = strdup(de->d_name);
	}
	closedir(d);
}

/*
 * Everything readable, one "name: content" block each, plus the list of
 * zram devices. mm_stat's mem_used_total and pages_compacted are masked:
 * the allocator may compact on its own (shrinker) at any time.
 */
static void snapshot(char *out, size_t max)
{
	size_t used = 0;
	DIR *d;
	struct dirent *de;

	out[0] = '\0';
	for (int i = 0; i < nrattr; i++) {
		char path[512], buf[8192];
		ssize_t n;

		snprintf(path, sizeof(path), "%s/%s", sysdir, rattr[i]);
		n = read_file(path, buf, sizeof(buf));
		if (n < 0)
			snprintf(buf, sizeof(buf), "<%s>", ename((int)-n));
		if (!strcmp(rattr[i], "mm_stat")) {
			unsigned long long f[9] = { 0 };

			if (sscanf(buf, "%llu %llu %llu %llu %llu %llu %llu %llu %llu",
				   &f[0], &f[1], &f[2], &f[3], &f[4], &f[5],
				   &f[6], &f[7], &f[8]) >= 7)
				snprintf(buf, sizeof(buf), "%llu %llu - %llu %llu %llu - %llu %llu",
					 f[0], f[1], f[3], f[4], f[5], f[7], f[8]);
		}
		used += snprintf(out + used, max - used, "%s: %s\n", rattr[i], buf);
		if (used >= max)
			break;
	}
	d = opendir("/sys/block");
	while (d && (de = readdir(d)) && used < max)
		if (!strncmp(de->d_name, "zram", 4))
			used += snprintf(out + used, max - used, "dev %s\n", de->d_name);
	if (d)
		closedir(d);
}

static void show_diff(const char *a, const char *b)
{
	size_t i = 0, l;

	/* Print the first line that differs, from both snapshots. */
	while (a[i] && a[i] == b[i])
		i++;
	for (l = i; l && a[l - 1] != '\n'; l--)
		;
	fprintf(stderr, "sysfuzz:   before: %.*s\n", (int)strcspn(a + l, "\n"), a + l);
	fprintf(stderr, "sysfuzz:   after:  %.*s\n", (int)strcspn(b + l, "\n"), b + l);
}

static void printable(const struct val *v, char *out, size_t max)
{
	size_t o = 0;

	for (size_t i = 0; i < v->len && o + 8 < max; i++) {
		unsigned char c = v->s[i];

		if (i == 24 && v->len > 32) {
			o += snprintf(out + o, max - o, "...(%zu bytes)", v->len);
			break;
		}
		if (c >= 0x20 && c < 0x7f && c != '\\')
			out[o++] = c;
		else
			o += snprintf(out + o, max - o, "\\x%02x", c);
	}
	out[o] = '\0';
}

static int init_state(void)
{
	char path[512], buf[64];

	snprintf(path, sizeof(path), "%s/initstate", sysdir);
	if (read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	return atoi(buf);
}

/* Initialise DEV with SIZE and write some blocks of data to it. */
static void init_device(const char *size)
{
	void *buf;
	int fd, e;

	/* An earlier accepted mem_limit must not refuse this data. */
	e = wr_str("mem_limit", "0");
	if (e)
		FAIL("mem_limit 0: %s\n", ename(e));
	e = wr_str("disksize", size);
	if (e) {
		FAIL("disksize %s: %s\n", size, ename(e));
		exit(1);
	}
	fd = open(devnode, O_RDWR | O_DIRECT);
	if (fd < 0 || posix_memalign(&buf, bs, bs)) {
		perror(devnode);
		exit(2);
	}
	for (int i = 0; i < 64; i++) {
		memset(buf, i % 3 ? 'a' + i : 0, bs);
		((char *)buf)[bs / 2] = (char)i;
		if (pwrite(fd, buf, bs, (off_t)i * 7 * bs) != (ssize_t)bs) {
			FAIL("initial data write: %s\n", strerror(errno));
			exit(1);
		}
	}
	free(buf);
	close(fd);
}

/*
 * Values that must be refused. No value in the list is an algorithm name;
 * plain garbage (no digit) means nothing to any attribute that parses
 * its input; compact and max_comp_streams take anything by design.
 */
static int must_reject(const char *a, const struct val *v)
{
	if (!cstrlen(v))
		return !!v->len && strcmp(a, "compact") &&
		       strcmp(a, "max_comp_streams") && strcmp(a, "recompress");
	/* An empty recompress request means every slot, as upstream's. */
	if (!strcmp(a, "recompress") && cstrlen(v) == strspn(v->s, " \t\n"))
		return 0;
	if (!strcmp(a, "reset"))
		return !positive_number(v);
	if (!strcmp(a, "mem_used_max"))
		return strcmp(v->s, "0") && strcmp(v->s, "0\n");
	if (!strcmp(a, "comp_algorithm"))
		return 1;
	if (!strcmp(a, "disksize") && (!strcmp(v->s, "0") || v->s[0] == '-'))
		return 1;
	if (!strcmp(a, "compact") || !strcmp(a, "max_comp_streams"))
		return 0;
	return !has_digit(v);
}

static char snap_a[SNAP_MAX], snap_b[SNAP_MAX];

static void matrix_phase(const char *size, int want_init)
{
	int fresh = 0;	/* snap_a already holds the current state */

	for (int i = 0; i < nwattr; i++) {
		const char *a = wattr[i];
		char path[512];

		snprintf(path, sizeof(path), "%s/%s", sysdir, a);
		for (int j = 0; j < nvals; j++) {
			const struct val *v = &vals[j];
			char shown[160];
			int e;

			printable(v, shown, sizeof(shown));
			if (upstream_warns(a, v)) {
				printf("sysfuzz: not sent (upstream WARNs on it): %s <- '%s'\n",
				       a, shown);
				continue;
			}
			if (!fresh)
				snapshot(snap_a, sizeof(snap_a));
			fresh = 0;
			e = write_once(path, v->s, v->len);
			atomic_fetch_add(&cases, 1);
			if (e == -1) {
				FAIL("%s <- '%s': short write\n", a, shown);
				continue;
			}
			if (e && !errno_ok(a, e)) {
				FAIL("%s <- '%s': %s\n", a, shown, ename(e));
				continue;
			}
			if (!e && must_reject(a, v)) {
				if (upstream) {
					printf("sysfuzz: upstream accepts %s <- '%s' (init %d)\n",
					       a, shown, want_init);
					atomic_fetch_add(&lenient, 1);
				} else {
					FAIL("%s <- '%s' (init %d) was accepted\n",
					     a, shown, want_init);
				}
			}
			if (e || !v->len) {
				atomic_fetch_add(&rejected, !!e);
				snapshot(snap_b, sizeof(snap_b));
				if (strcmp(snap_a, snap_b)) {
					FAIL("%s <- '%s' (init %d) was %s but changed state\n",
					     a, shown, want_init,
					     e ? ename(e) : "an empty write");
					show_diff(snap_a, snap_b);
				} else {
					fresh = 1;	/* the next "before" */
				}
			} else {
				atomic_fetch_add(&accepted, 1);
			}
			/* Accepted writes may move the device: move it back. */
			if (init_state() != want_init) {
				if (want_init) {
					init_device(size);
				} else if ((e = wr_str("reset", "1"))) {
					FAIL("reset after %s <- '%s': %s\n", a,
					     shown, ename(e));
					exit(1);
				}
			}
		}
	}
}

static void hot_remove_matrix(void)
{
	int fd = open(devnode, O_RDONLY);	/* id 0 must stay: EBUSY */
	int e;

	if (fd < 0) {
		perror(devnode);
		exit(2);
	}
	for (int j = 0; j < nvals; j++) {
		char shown[160];

		printable(&vals[j], shown, sizeof(shown));
		snapshot(snap_a, sizeof(snap_a));
		e = write_once(CTL "/hot_remove", vals[j].s, vals[j].len);
		atomic_fetch_add(&cases, 1);
		if (!e && vals[j].len)
			FAIL("hot_remove <- '%s' was accepted\n", shown);
		else if (e && !errno_ok("hot_remove", e))
			FAIL("hot_remove <- '%s': %s\n", shown, ename(e));
		atomic_fetch_add(&rejected, !!e);
		snapshot(snap_b, sizeof(snap_b));
		if (strcmp(snap_a, snap_b)) {
			FAIL("hot_remove <- '%s' changed state\n", shown);
			show_diff(snap_a, snap_b);
		}
	}
	close(fd);
	/* hot_add is read-only: opening it for writing must fail. */
	snapshot(snap_a, sizeof(snap_a));
	e = write_once(CTL "/hot_add", "1", 1);
	atomic_fetch_add(&cases, 1);
	if (e != EACCES && e != EPERM)
		FAIL("hot_add opened for writing: %s\n", e ? ename(e) : "ok");
	snapshot(snap_b, sizeof(snap_b));
	if (strcmp(snap_a, snap_b))
		FAIL("writing hot_add changed state\n");
}

/*
 * I/O at the edges. Reads at or past the end see end-of-file (0) or an
 * error; writes there fail; unaligned O_DIRECT fails; nothing crashes and
 * nothing beyond the device is touched (the last block keeps its data).
 */
static void io_edges(void)
{
	uint64_t size;
	char *buf, *rd, *chk;
	ssize_t n;
	int fd;

	fd = open(devnode, O_RDWR | O_DIRECT);
	if (fd < 0 || ioctl(fd, BLKGETSIZE64, &size) ||
	    posix_memalign((void **)&buf, bs, 2 * bs) ||
	    posix_memalign((void **)&rd, bs, 2 * bs) ||
	    posix_memalign((void **)&chk, bs, bs)) {
		perror(devnode);
		exit(2);
	}
	memset(buf, 0x5a, 2 * bs);
	if (pwrite(fd, buf, bs, size - bs) != (ssize_t)bs)
		FAIL("write of the last block: %s\n", strerror(errno));

	struct { off_t off; size_t len; int wr; int ok; } t[] = {
		{ size, bs, 0, 0 },		/* at the end */
		{ size, bs, 1, 0 },
		{ size + bs, bs, 0, 0 },	/* beyond */
		{ size + bs, bs, 1, 0 },
		{ (off_t)1 << 50, bs, 0, 0 },	/* far beyond */
		{ (off_t)1 << 50, bs, 1, 0 },
		{ size - bs, 2 * bs, 0, 1 },	/* across: short at most */
		{ size - bs, 2 * bs, 1, 1 },
		{ 512, bs, 0, 0 },		/* unaligned */
		{ 512, bs, 1, 0 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		errno = 0;
		n = t[i].wr ? pwrite(fd, buf, t[i].len, t[i].off) :
			      pread(fd, rd, t[i].len, t[i].off);
		atomic_fetch_add(&cases, 1);
		if (t[i].ok) {
			/* Straddling: whatever lies inside, never past it. */
			if (n > (ssize_t)bs)
				FAIL("%s across the end returned %zd\n",
				     t[i].wr ? "write" : "read", n);
			continue;
		}
		if (n > 0)
			FAIL("%s at %llu (size %llu) returned %zd\n",
			     t[i].wr ? "write" : "read",
			     (unsigned long long)t[i].off,
			     (unsigned long long)size, n);
		else if (n < 0 && errno != EINVAL && errno != EIO &&
			 errno != ENOSPC && errno != EFBIG)
			FAIL("%s at %llu: unexpected %s\n",
			     t[i].wr ? "write" : "read",
			     (unsigned long long)t[i].off, ename(errno));
	}
	if (pread(fd, chk, bs, size - bs) != (ssize_t)bs ||
	    memcmp(chk, buf, bs))
		FAIL("the last block changed after the edge writes\n");
	close(fd);
	free(buf);
	free(rd);
	free(chk);
}

/* A device of size zero: I/O must fail cleanly, disksize 0 is refused. */
static void zero_sized(void)
{
	char path[512], node[64], dir[256], buf[64];
	char *io;
	uint64_t size = 1;
	int fd, id, e;
	ssize_t n;

	if (read_file(CTL "/hot_add", buf, sizeof(buf)) <= 0) {
		FAIL("hot_add: %s\n", strerror(errno));
		return;
	}
	id = atoi(buf);
	snprintf(node, sizeof(node), "/dev/zram%d", id);
	snprintf(dir, sizeof(dir), "/sys/block/zram%d", id);
	snprintf(path, sizeof(path), "%s/disksize", dir);
	e = write_once(path, "0", 1);
	atomic_fetch_add(&cases, 1);
	if (e != EINVAL)
		FAIL("disksize 0 on zram%d: %s\n", id, e ? ename(e) : "accepted");
	for (int tries = 0; (fd = open(node, O_RDWR | O_DIRECT)) < 0 &&
	     errno == ENOENT && tries < 50; tries++)
		usleep(20000);		/* devtmpfs may lag hot_add */
	if (fd < 0) {
		/* Refusing to open an empty device is clean too. */
		printf("sysfuzz: open of empty zram%d: %s\n", id, ename(errno));
	} else {
		if (ioctl(fd, BLKGETSIZE64, &size) || size)
			FAIL("empty zram%d has size %llu\n", id,
			     (unsigned long long)size);
		if (posix_memalign((void **)&io, bs, bs))
			exit(2);
		memset(io, 0x33, bs);
		n = pread(fd, io, bs, 0);
		atomic_fetch_add(&cases, 1);
		if (n > 0)
			FAIL("read of empty zram%d returned %zd\n", id, n);
		n = pwrite(fd, io, bs, 0);
		atomic_fetch_add(&cases, 1);
		if (n >= 0)
			FAIL("write to empty zram%d returned %zd\n", id, n);
		else if (errno != ENOSPC && errno != EIO && errno != EINVAL &&
			 errno != ENXIO)
			FAIL("write to empty zram%d: %s\n", id, ename(errno));
		free(io);
		close(fd);
	}
	snprintf(buf, sizeof(buf), "%d", id);
	e = write_once(CTL "/hot_remove", buf, strlen(buf));
	if (e)
		FAIL("hot_remove %d: %s\n", id, ename(e));
}

static int cmd_matrix(const char *size)
{
	if (init_state() != 0 && wr_str("reset", "1")) {
		FAIL("cannot reset %s\n", sysdir);
		return 1;
	}
	printf("sysfuzz: %d writable attributes:", nwattr);
	for (int i = 0; i < nwattr; i++)
		printf(" %s", wattr[i]);
	printf("\nsysfuzz: %d values, %d attributes in each snapshot\n",
	       nvals, nrattr);
	matrix_phase(size, 0);
	init_device(size);
	matrix_phase(size, 1);
	io_edges();
	hot_remove_matrix();
	if (wr_str("reset", "1"))
		FAIL("final reset\n");
	zero_sized();
	printf("sysfuzz: matrix: %lu cases: %lu accepted, %lu rejected, %lu upstream-only answers (ERANGE/E2BIG), %d failures\n",
	       atomic_load(&cases), atomic_load(&accepted),
	       atomic_load(&rejected), atomic_load(&lenient),
	       atomic_load(&failures));
	return atomic_load(&failures) ? 1 : 0;
}

/* ---------------------------------------------------------- storm */

static atomic_int stop;
static const char *algos[8];
static int nalgos;

static void *storm_garbage(void *arg)
{
	uint64_t rng = (uintptr_t)arg;

	while (!atomic_load(&stop)) {
		const struct val *v = &vals[next_rand(&rng) % nvals];
		int i = next_rand(&rng) % (nwattr + 1);
		char path[512];
		const char *a;
		int e;

		if (i == nwattr) {
			/* hot_remove gets garbage only: no digits, no ids. */
			if (has_digit(v))
				continue;
			a = "hot_remove";
			snprintf(path, sizeof(path), CTL "/hot_remove");
		} else {
			a = wattr[i];
			/* Valid resets belong to the state thread. */
			if (!strcmp(a, "reset") && positive_number(v))
				continue;
			/* Block-core noise on the console, not zram's. */
			if (!strcmp(a, "uevent") || upstream_warns(a, v))
				continue;
			snprintf(path, sizeof(path), "%s/%s", sysdir, a);
		}
		e = write_once(path, v->s, v->len);
		atomic_fetch_add(&cases, 1);
		if (e == -1 || (e && !errno_ok(a, e))) {
			char shown[160];

			printable(v, shown, sizeof(shown));
			FAIL("storm: %s <- '%s': %s\n", a, shown,
			     e == -1 ? "short write" : ename(e));
		}
	}
	return NULL;
}

static void *storm_state(void *arg)
{
	uint64_t rng = (uintptr_t)arg;

	while (!atomic_load(&stop)) {
		const char *a, *s;
		int e;

		switch (next_rand(&rng) % 4) {
		case 0: a = "disksize"; s = "32M"; break;
		case 1: a = "reset"; s = "1"; break;
		case 2: a = "comp_algorithm";
			s = algos[next_rand(&rng) % nalgos]; break;
		default: a = "mem_limit"; s = "64M"; break;
		}
		e = wr_str(a, s);
		atomic_fetch_add(&cases, 1);
		if (e && e != EBUSY)
			FAIL("storm: %s <- %s: %s\n", a, s, ename(e));
	}
	return NULL;
}

static void *storm_io(void *arg)
{
	uint64_t rng = (uintptr_t)arg;
	char *buf;

	if (posix_memalign((void **)&buf, bs, bs))
		exit(2);
	while (!atomic_load(&stop)) {
		int fd = open(devnode, O_RDWR | O_DIRECT);
		uint64_t size;

		if (fd < 0) {
			/* A reset in progress holds the device: EBUSY. */
			if (errno == EBUSY) {
				usleep(1000);
				continue;
			}
			FAIL("storm: open %s: %s\n", devnode, ename(errno));
			break;
		}
		if (ioctl(fd, BLKGETSIZE64, &size))
			size = 0;
		for (int k = 0; k < 16; k++) {
			off_t off = size >= bs ? (next_rand(&rng) % (size / bs)) * bs : 0;
			ssize_t n;

			memset(buf, k, bs);
			n = (k & 1) ? pread(fd, buf, bs, off) :
				      pwrite(fd, buf, bs, off);
			atomic_fetch_add(&cases, 1);
			/*
			 * The size may change under us (disksize), and a
			 * mem_limit may refuse the data.
			 */
			if (n < 0 && errno != ENOSPC && errno != EIO &&
			    errno != ENOMEM)
				FAIL("storm: I/O at %llu: %s\n",
				     (unsigned long long)off, ename(errno));
		}
		close(fd);
	}
	free(buf);
	return NULL;
}

static void *storm_read(void *arg)
{
	char path[512], *buf = malloc(SNAP_MAX);

	(void)arg;
	while (buf && !atomic_load(&stop)) {
		for (int i = 0; i < nrattr; i++) {
			snprintf(path, sizeof(path), "%s/%s", sysdir, rattr[i]);
			read_file(path, buf, SNAP_MAX);
		}
		read_file(CTL "/hot_remove", buf, SNAP_MAX);	/* write-only */
	}
	free(buf);
	return NULL;
}

static void *storm_hot(void *arg)
{
	char buf[64];

	(void)arg;
	while (!atomic_load(&stop)) {
		int e;

		if (read_file(CTL "/hot_add", buf, sizeof(buf)) <= 0) {
			FAIL("storm: hot_add: %s\n", strerror(errno));
			break;
		}
		buf[strcspn(buf, "\n")] = '\0';
		e = write_once(CTL "/hot_remove", buf, strlen(buf));
		atomic_fetch_add(&cases, 2);
		if (e && e != EBUSY && e != ENODEV)
			FAIL("storm: hot_remove %s: %s\n", buf, ename(e));
		if (e == EBUSY) {
			usleep(10000);
			write_once(CTL "/hot_remove", buf, strlen(buf));
		}
	}
	return NULL;
}

static int cmd_storm(int secs)
{
	void *(*fns[])(void *) = { storm_garbage, storm_garbage, storm_state,
				   storm_io, storm_read, storm_hot };
	pthread_t tids[6];
	char buf[512], *p, *tok;
	int n = sizeof(fns) / sizeof(fns[0]), brackets = 0, st;

	snprintf(buf, sizeof(buf), "%s/comp_algorithm", sysdir);
	if (read_file(buf, buf, sizeof(buf)) <= 0)
		return 2;
	p = buf;
	while ((tok = strsep(&p, " \n[]")) && nalgos < 8)
		if (*tok)
			algos[nalgos++] = strdup(tok);
	if (!nalgos)
		return 2;
	for (int i = 0; i < n; i++)
		pthread_create(&tids[i], NULL, fns[i], (void *)(uintptr_t)(i + 1));
	sleep(secs);
	atomic_store(&stop, 1);
	for (int i = 0; i < n; i++)
		pthread_join(tids[i], NULL);

	/* Consistent afterwards: initstate matches disksize, one [algo]. */
	st = init_state();
	snprintf(buf, sizeof(buf), "%s/disksize", sysdir);
	read_file(buf, buf, sizeof(buf));
	if ((st == 1) != (strtoull(buf, NULL, 10) > 0))
		FAIL("storm: initstate %d with disksize %s\n", st, buf);
	snprintf(buf, sizeof(buf), "%s/comp_algorithm", sysdir);
	read_file(buf, buf, sizeof(buf));
	for (p = buf; *p; p++)
		brackets += *p == '[';
	if (brackets != 1)
		FAIL("storm: comp_algorithm reads '%s'\n", buf);
	if (wr_str("reset", "1"))
		FAIL("storm: final reset\n");
	printf("sysfuzz: storm: %d s, %lu operations, %lu upstream-only answers, %d failures\n",
	       secs, atomic_load(&cases), atomic_load(&lenient),
	       atomic_load(&failures));
	return atomic_load(&failures) ? 1 : 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	bs = sysconf(_SC_PAGESIZE);
	if (argc < 4) {
		fprintf(stderr, "usage: see the comment at the top of sysfuzz.c\n");
		return 2;
	}
	upstream = argc > 4 && !strcmp(argv[4], "-u");
	snprintf(sysdir, sizeof(sysdir), "/sys/block/%s", argv[2]);
	snprintf(devnode, sizeof(devnode), "/dev/%s", argv[2]);
	init_values();
	scan_attrs();
	if (!strcmp(argv[1], "matrix"))
		return cmd_matrix(argv[3]);
	if (!strcmp(argv[1], "storm"))
		return cmd_storm(atoi(argv[3]));
	fprintf(stderr, "usage: see the comment at the top of sysfuzz.c\n");
	return 2;
}
