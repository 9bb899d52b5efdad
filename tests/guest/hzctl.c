// SPDX-License-Identifier: GPL-2.0
/*
 * hzctl: poke sysfs and block devices and report the exact errno, which
 * the shell cannot do.
 *
 *   hzctl write FILE STRING        write STRING (no newline added) in one
 *                                  write(2); print "ok" or the errno name
 *   hzctl writehex FILE HEX        same, bytes given as hex (for non-UTF8)
 *   hzctl pread DEV OFFSET LEN     O_DIRECT read; print "ok" or errno name
 *   hzctl pwrite DEV OFFSET LEN    O_DIRECT write of a pattern; same
 *   hzctl pwriterand DEV OFFSET LEN  the same with incompressible bytes
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *ename(int e)
{
	switch (e) {
	case EINVAL: return "EINVAL";
	case EBUSY: return "EBUSY";
	case ENOMEM: return "ENOMEM";
	case ENODEV: return "ENODEV";
	case ENOSPC: return "ENOSPC";
	case EIO: return "EIO";
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case ENOENT: return "ENOENT";
	case E2BIG: return "E2BIG";
	case ERANGE: return "ERANGE";
	case EFBIG: return "EFBIG";
	case ENXIO: return "ENXIO";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EAGAIN: return "EAGAIN";
	case ETXTBSY: return "ETXTBSY";
	case ENOTBLK: return "ENOTBLK";
	case EINTR: return "EINTR";
	default: return strerror(e);
	}
}

/* One word for the outcome of a read/write of @len bytes. */
static void report(ssize_t n, size_t len)
{
	if (n < 0)
		printf("%s\n", ename(errno));
	else if ((size_t)n != len)
		printf("short:%zd\n", n);
	else
		printf("ok\n");
}

static int do_write(const char *path, const char *buf, size_t len)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0) {
		printf("open:%s\n", ename(errno));
		return 0;
	}
	n = write(fd, buf, len);
	report(n, len);
	close(fd);
	return 0;
}

static int do_io(const char *dev, long long off, size_t len, int wr,
		 int rnd)
{
	unsigned int x = 0x2545f491;
	unsigned char *buf;
	void *mem;
	int fd = open(dev, (wr ? O_RDWR : O_RDONLY) | O_DIRECT);
	ssize_t n;

	if (fd < 0) {
		printf("open:%s\n", ename(errno));
		return 0;
	}
	if (posix_memalign(&mem, 4096, len ? len : 4096))
		return 2;
	buf = mem;
	memset(buf, 0x5a, len);
	for (size_t i = 0; rnd && i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = x >> 24;
	}
	n = wr ? pwrite(fd, buf, len, off) : pread(fd, buf, len, off);
	report(n, len);
	close(fd);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "write"))
		return do_write(argv[2], argv[3], strlen(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "writehex")) {
		size_t n = strlen(argv[3]) / 2;
		char *b = malloc(n + 1);

		for (size_t i = 0; i < n; i++)
			sscanf(argv[3] + 2 * i, "%2hhx", &b[i]);
		return do_write(argv[2], b, n);
	}
	if (argc == 5 && (!strcmp(argv[1], "pread") ||
			  !strcmp(argv[1], "pwrite") ||
			  !strcmp(argv[1], "pwriterand")))
		return do_io(argv[2], atoll(argv[3]), strtoul(argv[4], NULL, 0),
			     argv[1][1] == 'w', !strcmp(argv[1], "pwriterand"));
	fprintf(stderr, "usage: see the comment at the top of hzctl.c\n");
	return 2;
}
