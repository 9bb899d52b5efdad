// SPDX-License-Identifier: GPL-2.0
/*
 * hzprof: a small sampling profiler for the test guests, which have no
 * perf binary (96-bench-profile: where the kernel's time goes while a
 * zram device is written and read, for hzram and for the kernel's zram).
 *
 *   hzprof [-F HZ] [-n TOP] [-o FILE] [-t TAG] [-s PAT[,PAT...]]
 *          -- CMD [ARGS...]
 *
 * One software cpu-clock event per online CPU (pid -1: everything that
 * runs there, the idle task included), sampling every 1/HZ s of that
 * CPU's time (default 2000 Hz) the interrupted IP, the task, the CPU and
 * the kernel call chain, into a ring buffer per CPU. CMD is forked, the
 * events enabled, then CMD exec'd; the buffers are drained while it
 * runs; when it exits the events are disabled and drained a last time.
 * Then /proc/kallsyms (read after the run, so the modules CMD used are
 * still there) resolves the IPs: the text symbol at or below the IP
 * (module symbols carry their module's name, the rest is "vmlinux").
 * hzprof exits with CMD's status (128 + signal if it was killed; 2 if
 * hzprof itself failed before CMD ran).
 *
 * Views. "all" is every sample. "scope" (with -s) is the kernel samples
 * whose call chain (the IP included) has a symbol containing one of the
 * PATs, e.g. -s sys_pwrite64,sys_fsync: the time spent inside those
 * system calls, without the program's setup (loading its input, page
 * faults) around them. Without -s, the top lists are over "all".
 *
 * Output: lines starting with "HZP", then TAG (-t, free-form key=value
 * words, e.g. "driver=hzram algo=lz4 op=write"), then key=value pairs.
 * pct is a percentage of the view's samples.
 *
 *   HZP TAG total samples=N kernel=N user=N idle=N scope=N lost=N
 *       throttled=N secs=S hz=HZ cpus=N rc=RC   (one line)
 *   HZP TAG view=V samples=N                    the view's samples
 *   HZP TAG view=V group=G pct=P samples=N      per group, by self time
 *   HZP TAG view=V incl=G pct=P samples=N       per group: samples with
 *                                               G anywhere in the chain
 *   HZP TAG view=V sym=S mod=M pct=P samples=N  the top TOP symbols by
 *                                               self time (default 25)
 *   HZP TAG view=V from=S caller=C via=D pct=P samples=N
 *                                               for the top 10 symbols,
 *                                               the 3 most frequent
 *                                               pairs of caller (the
 *                                               next symbol up the
 *                                               chain) and via (the
 *                                               nearest one up the
 *                                               chain in compressor,
 *                                               allocator or driver;
 *                                               "-" if none)
 *   HZP TAG view=V isym=S mod=M pct=P samples=N inclusive time of the
 *                                               top TOP symbols of the
 *                                               allocator and driver
 *                                               groups
 *
 * Groups: a sample goes to the group of the symbol it hit (its leaf),
 * by the first of these rules that matches the symbol's name or its
 * module (from copy on, after stripping the name's leading underscores):
 *   idle        any sample of the idle task (pid 0), and default_idle*,
 *               cpu_idle*, cpuidle_*, do_idle, poll_idle, acpi_idle*,
 *               acpi_safe_halt, intel_idle*, mwait_idle*, arch_cpu_idle*,
 *               native_safe_halt, pv_native_safe_halt
 *   user        a sample taken in user mode: one symbol, [user]
 *   compressor  lz4*, LZ4*, zstd*, ZSTD*, HUF_*, FSE_*, HIST_*, lzo*,
 *               lzorle*, deflate*, zlib_*, sw842*, crypto_comp*,
 *               crypto_acomp*, crypto_scomp*, scomp_*; modules lz4*,
 *               zstd*, lzo*, 842*, deflate (the lib and crypto wrappers)
 *   allocator   hzs_* (hzram's), zs_*, __zs_*, obj_malloc, obj_free,
 *               obj_to_*, location_to_obj, handle_to_obj, record_obj,
 *               cache_{alloc,free}_{handle,zspage}, *fullness_group,
 *               create_page_chain, anything with "zspage" or "zpdesc";
 *               module zsmalloc
 *   driver      zram_*, zcomp_*, hz_*; anything else in module zram
 *   copy        memcpy*, memmove*, memset*, copy_page*, copy_user*,
 *               copy_to_*, copy_from_*, copy_mc*, copy_*iter*,
 *               rep_movs*, rep_stos*, clear_page*, clear_user*
 *               (copying and zeroing)
 *   kmap        kmap*, kunmap*, *highmem*, page_address
 *   gup         pin_user_pages*, unpin_user_page*, get_user_pages*,
 *               gup_*, follow_page*, try_grab_*, iov_iter_extract*
 *               (O_DIRECT pinning the user's pages)
 *   block       blk_*, bio_*, submit_bio*, blkdev_*, bdev_*, bvec_*,
 *               disk_*, part_*, dio_*, iomap_dio*
 *   pagealloc   alloc_pages*, alloc_page*, alloc_frozen*, folio_alloc*,
 *               get_page_from_freelist, rmqueue*, free_*page*,
 *               free_unref*, free_pcp*, prep_new_page, post_alloc_hook,
 *               split_page
 *   slab        kmem_cache_*, kmalloc*, kfree*, kmem_*, *slab*,
 *               get_partial*, put_cpu_partial, obj_cgroup_*,
 *               refill_obj_stock, memcg_*_hook
 *   locking     *_lock*, *_unlock*, *_trylock*, lock_*, queued_*,
 *               native_queued_*, mutex_*, down_*, up_read*, up_write*,
 *               *rwsem*, osq_*
 *   other       the rest ([unknown]: a kernel IP no symbol covers)
 * "incl" counts a sample once for every group one of its frames is in:
 * allocator incl is the share of time under hzs_*, zs_* and zsmalloc,
 * memcpy and page allocation on their behalf included (call chains come
 * from the kernel's unwinder; a broken chain undercounts).
 *
 * Caveats: cpu-clock is an hrtimer, not a PMU interrupt: a sample lands
 * where interrupts were enabled again, so code that runs with them off
 * is charged to the point that re-enables them (spin_unlock_irqrestore,
 * local_irq_enable). Under QEMU TCG the costs are TCG's, not a CPU's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RING_PAGES	256	/* data pages per CPU: 1 MiB with 4K pages */
#define MAX_CPUS	256
#define MAX_STACK	64
#define CALLER_TOP	10	/* leaf symbols whose callers are shown */
#define CALLER_PAIRS	3	/* caller/via pairs shown for each */

enum group {
	G_IDLE, G_USER, G_COMP, G_ALLOC, G_DRIVER, G_COPY, G_KMAP, G_GUP,
	G_BLOCK, G_PAGEALLOC, G_SLAB, G_LOCK, G_OTHER, NR_GROUPS
};

static const char *const group_name[NR_GROUPS] = {
	"idle", "user", "compressor", "allocator", "driver", "copy", "kmap",
	"gup", "block", "pagealloc", "slab", "locking", "other",
};

struct ring {
	int fd;
	int cpu;
	struct perf_event_mmap_page *pg;
	unsigned char *data;
	uint64_t size;
};

struct sample {
	uint64_t ip;
	uint32_t pid;
	uint32_t chain;		/* index of its first frame in frames[] */
	uint16_t nr;		/* frames, context markers left out */
	uint8_t user;
};

struct sym {
	uint64_t addr;
	const char *name;
	const char *mod;	/* "vmlinux" or the module's name */
	int group;		/* -1 until classified */
	uint64_t self, incl, stamp;
};

static struct ring rings[MAX_CPUS];
static int nr_rings;
static struct sample *samples;
static size_t nr_samples, cap_samples;
static uint64_t *frames;
static size_t nr_frames, cap_frames;
static uint64_t lost, throttled;
static unsigned char rec[65536];

static struct sym *syms;
static size_t nr_syms;

/* Two pseudo-symbols after the real ones: [user] and [unknown]. */
static struct sym sym_user = { 0, "[user]", "user", G_USER, 0, 0, 0 };
static struct sym sym_unknown = { 0, "[unknown]", "?", G_OTHER, 0, 0, 0 };

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		perror("hzprof: realloc");
		exit(2);
	}
	return p;
}

static int perf_open(struct perf_event_attr *attr, int cpu)
{
	return syscall(__NR_perf_event_open, attr, -1, cpu, -1,
		       PERF_FLAG_FD_CLOEXEC);
}

/* The online CPUs, from /sys/devices/system/cpu/online ("0-3,5"). */
static int online_cpus(int *cpus)
{
	FILE *f = fopen("/sys/devices/system/cpu/online", "r");
	char buf[1024], *p, *tok;
	int n = 0;

	if (!f || !fgets(buf, sizeof(buf), f)) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);

		if (f)
			fclose(f);
		for (n = 0; n < c && n < MAX_CPUS; n++)
			cpus[n] = n;
		return n;
	}
	fclose(f);
	for (tok = strtok_r(buf, ",\n", &p); tok; tok = strtok_r(NULL, ",\n", &p)) {
		int a, b;

		if (sscanf(tok, "%d-%d", &a, &b) != 2)
			b = a = atoi(tok);
		for (; a <= b && n < MAX_CPUS; a++)
			cpus[n++] = a;
	}
	return n;
}

static void open_rings(unsigned int hz)
{
	long psz = sysconf(_SC_PAGESIZE);
	struct perf_event_attr attr;
	int cpus[MAX_CPUS], n = online_cpus(cpus);

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_CPU_CLOCK;
	attr.sample_period = 1000000000ULL / hz;	/* ns of CPU time */
	attr.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID |
			   PERF_SAMPLE_CPU | PERF_SAMPLE_CALLCHAIN;
	attr.disabled = 1;
	attr.exclude_hv = 1;
	attr.exclude_callchain_user = 1;
	attr.sample_max_stack = MAX_STACK;
	attr.watermark = 1;
	attr.wakeup_watermark = RING_PAGES * psz / 4;
	for (int i = 0; i < n; i++) {
		struct ring *r = &rings[nr_rings];
		void *m;

		r->fd = perf_open(&attr, cpus[i]);
		if (r->fd < 0) {
			fprintf(stderr, "hzprof: perf_event_open cpu %d: %s\n",
				cpus[i], strerror(errno));
			exit(2);
		}
		m = mmap(NULL, (RING_PAGES + 1) * psz, PROT_READ | PROT_WRITE,
			 MAP_SHARED, r->fd, 0);
		if (m == MAP_FAILED) {
			fprintf(stderr, "hzprof: mmap cpu %d: %s\n", cpus[i],
				strerror(errno));
			exit(2);
		}
		r->cpu = cpus[i];
		r->pg = m;
		r->data = (unsigned char *)m + psz;
		r->size = (uint64_t)RING_PAGES * psz;
		nr_rings++;
	}
}

static void ring_copy(struct ring *r, uint64_t pos, void *dst, size_t len)
{
	uint64_t off = pos % r->size;
	size_t first = len;

	if (off + len > r->size)
		first = r->size - off;
	memcpy(dst, r->data + off, first);
	memcpy((unsigned char *)dst + first, r->data, len - first);
}

static void add_sample(const unsigned char *p, const unsigned char *end,
		       int user)
{
	struct sample *s;
	uint64_t nr;

	if (end - p < 32)
		return;
	if (nr_samples == cap_samples) {
		cap_samples = cap_samples ? cap_samples * 2 : 16384;
		samples = xrealloc(samples, cap_samples * sizeof(*samples));
	}
	s = &samples[nr_samples++];
	memcpy(&s->ip, p, 8);
	memcpy(&s->pid, p + 8, 4);	/* pid, then tid; cpu, res follow */
	memcpy(&nr, p + 24, 8);
	p += 32;
	if (nr > (uint64_t)(end - p) / 8)
		nr = (end - p) / 8;
	if (nr_frames + nr > cap_frames) {
		cap_frames = (cap_frames ? cap_frames * 2 : 262144) + nr;
		frames = xrealloc(frames, cap_frames * sizeof(*frames));
	}
	s->chain = nr_frames;
	s->nr = 0;
	s->user = user;
	for (uint64_t i = 0; i < nr; i++) {
		uint64_t f;

		memcpy(&f, p + i * 8, 8);
		if (f >= (uint64_t)PERF_CONTEXT_MAX)
			continue;	/* PERF_CONTEXT_KERNEL and friends */
		frames[nr_frames++] = f;
		s->nr++;
	}
}

static void drain(struct ring *r)
{
	uint64_t head = __atomic_load_n(&r->pg->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = r->pg->data_tail;

	while (tail < head) {
		struct perf_event_header h;

		ring_copy(r, tail, &h, sizeof(h));
		if (h.size < sizeof(h) || tail + h.size > head)
			break;
		ring_copy(r, tail, rec, h.size);
		if (h.type == PERF_RECORD_SAMPLE) {
			int mode = h.misc & PERF_RECORD_MISC_CPUMODE_MASK;

			add_sample(rec + sizeof(h), rec + h.size,
				   mode == PERF_RECORD_MISC_USER ||
				   mode == PERF_RECORD_MISC_GUEST_USER);
		} else if (h.type == PERF_RECORD_LOST && h.size >= 24) {
			uint64_t n;

			memcpy(&n, rec + 16, 8);
			lost += n;
		} else if (h.type == PERF_RECORD_THROTTLE) {
			throttled++;
		}
		tail += h.size;
	}
	__atomic_store_n(&r->pg->data_tail, tail, __ATOMIC_RELEASE);
}

static void drain_all(void)
{
	for (int i = 0; i < nr_rings; i++)
		drain(&rings[i]);
}

static void ioctl_all(unsigned long req)
{
	for (int i = 0; i < nr_rings; i++)
		ioctl(rings[i].fd, req, 0);
}

static int cmp_sym(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Module names are few: keep one copy of each. */
static const char *intern_mod(const char *m)
{
	static char **mods;
	static int nr;

	for (int i = 0; i < nr; i++)
		if (!strcmp(mods[i], m))
			return mods[i];
	mods = xrealloc(mods, (nr + 1) * sizeof(*mods));
	mods[nr] = strdup(m);
	return mods[nr++];
}

static void read_kallsyms(void)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[512], name[256], mod[128];
	size_t cap = 0, nonzero = 0;

	if (!f) {
		perror("hzprof: /proc/kallsyms");
		exit(2);
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned long long addr;
		char type, *br;

		if (sscanf(line, "%llx %c %255s", &addr, &type, name) != 3)
			continue;
		if (type != 't' && type != 'T' && type != 'w' && type != 'W')
			continue;
		if (!strncmp(name, "__pfx_", 6))
			continue;	/* the padding before a function */
		strcpy(mod, "vmlinux");
		br = strchr(line, '[');
		if (br && sscanf(br + 1, "%127[^]]", mod) != 1)
			strcpy(mod, "vmlinux");
		if (nr_syms == cap) {
			cap = cap ? cap * 2 : 65536;
			syms = xrealloc(syms, cap * sizeof(*syms));
		}
		syms[nr_syms].addr = addr;
		syms[nr_syms].name = strdup(name);
		syms[nr_syms].mod = intern_mod(mod);
		syms[nr_syms].group = -1;
		syms[nr_syms].self = syms[nr_syms].incl = 0;
		syms[nr_syms].stamp = 0;
		nonzero += addr != 0;
		nr_syms++;
	}
	fclose(f);
	if (!nonzero) {
		fprintf(stderr, "hzprof: /proc/kallsyms shows no addresses "
			"(kptr_restrict? run as root)\n");
		exit(2);
	}
	qsort(syms, nr_syms, sizeof(*syms), cmp_sym);
}

/* The symbol covering a kernel IP: the last one at or below it, if that
 * is less than 1 MiB below (no symbol sizes in kallsyms). */
static struct sym *lookup(uint64_t ip)
{
	size_t lo = 0, hi = nr_syms;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (syms[mid].addr <= ip)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || ip - syms[lo - 1].addr >= (1 << 20))
		return &sym_unknown;
	return &syms[lo - 1];
}

static int prefix(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

static int any_prefix(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (prefix(s, *list))
			return 1;
	return 0;
}

static int any_substr(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strstr(s, *list))
			return 1;
	return 0;
}

static const char *const idle_pfx[] = {
	"default_idle", "cpu_idle", "cpuidle_", "do_idle", "poll_idle",
	"acpi_idle", "acpi_safe_halt", "intel_idle", "mwait_idle",
	"arch_cpu_idle", "native_safe_halt", "pv_native_safe_halt", NULL
};
static const char *const comp_pfx[] = {
	"lz4", "LZ4", "zstd", "ZSTD", "HUF_", "FSE_", "HIST_", "lzo",
	"deflate", "zlib_", "sw842", "crypto_comp", "crypto_acomp",
	"crypto_scomp", "scomp_", NULL
};
static const char *const comp_mod[] = {
	"lz4", "zstd", "lzo", "842", "deflate", NULL
};
static const char *const alloc_pfx[] = {
	"hzs_", "zs_", "__zs_", "obj_malloc", "obj_free", "obj_to_",
	"location_to_obj", "handle_to_obj", "record_obj",
	"cache_alloc_handle", "cache_free_handle", "cache_alloc_zspage",
	"cache_free_zspage", "create_page_chain", NULL
};
static const char *const alloc_sub[] = {
	"zspage", "zpdesc", "fullness_group", NULL
};
static const char *const drv_pfx[] = { "zram_", "zcomp_", "hz_", NULL };
static const char *const copy_pfx[] = {
	"memcpy", "memmove", "memset", "copy_page", "copy_user", "copy_to_",
	"copy_from_", "copy_mc", "rep_movs", "rep_stos", "clear_page",
	"clear_user", NULL
};
static const char *const kmap_pfx[] = {
	"kmap", "kunmap", "page_address", NULL
};
static const char *const gup_pfx[] = {
	"pin_user_pages", "unpin_user_page", "get_user_pages", "gup_",
	"follow_page", "try_grab_", "iov_iter_extract", NULL
};
static const char *const block_pfx[] = {
	"blk_", "bio_", "submit_bio", "blkdev_", "bdev_", "bvec_", "disk_",
	"part_", "dio_", "iomap_dio", NULL
};
static const char *const pagealloc_pfx[] = {
	"alloc_pages", "alloc_page", "alloc_frozen", "folio_alloc",
	"get_page_from_freelist", "rmqueue", "free_unref", "free_pcp",
	"prep_new_page", "post_alloc_hook", "split_page", NULL
};
static const char *const slab_pfx[] = {
	"kmem_cache_", "kmalloc", "kfree", "kmem_", "get_partial",
	"put_cpu_partial", "obj_cgroup_", "refill_obj_stock", NULL
};
static const char *const lock_pfx[] = {
	"lock_", "queued_", "native_queued_", "mutex_", "down_", "up_read",
	"up_write", "osq_", NULL
};
static const char *const lock_sub[] = {
	"_lock", "_unlock", "_trylock", "rwsem", NULL
};

static int classify(struct sym *s)
{
	const char *n = s->name, *m = s->mod;

	if (s->group >= 0)
		return s->group;
	if (any_prefix(n, idle_pfx))
		return s->group = G_IDLE;
	if (any_prefix(n, comp_pfx) || any_prefix(m, comp_mod))
		return s->group = G_COMP;
	if (any_prefix(n, alloc_pfx) || any_substr(n, alloc_sub) ||
	    !strcmp(m, "zsmalloc"))
		return s->group = G_ALLOC;
	if (any_prefix(n, drv_pfx) || !strcmp(m, "zram"))
		return s->group = G_DRIVER;
	while (*n == '_')
		n++;
	if (any_prefix(n, copy_pfx) || (prefix(n, "copy_") && strstr(n, "iter")))
		return s->group = G_COPY;
	if (any_prefix(n, kmap_pfx) || strstr(n, "highmem"))
		return s->group = G_KMAP;
	if (any_prefix(n, gup_pfx))
		return s->group = G_GUP;
	if (any_prefix(n, block_pfx))
		return s->group = G_BLOCK;
	if (any_prefix(n, pagealloc_pfx) ||
	    (prefix(n, "free_") && strstr(n, "page")))
		return s->group = G_PAGEALLOC;
	if (any_prefix(n, slab_pfx) || strstr(n, "slab") ||
	    (prefix(n, "memcg_") && strstr(n, "_hook")))
		return s->group = G_SLAB;
	if (any_prefix(n, lock_pfx) || any_substr(n, lock_sub))
		return s->group = G_LOCK;
	return s->group = G_OTHER;
}

static char **scope;
static int nr_scope;

static int in_scope(struct sym *s)
{
	for (int i = 0; i < nr_scope; i++)
		if (strstr(s->name, scope[i]))
			return 1;
	return 0;
}

static int cmp_self(const void *a, const void *b)
{
	const struct sym *x = *(struct sym *const *)a;
	const struct sym *y = *(struct sym *const *)b;

	return x->self < y->self ? 1 : x->self > y->self ? -1 : 0;
}

static int cmp_incl(const void *a, const void *b)
{
	const struct sym *x = *(struct sym *const *)a;
	const struct sym *y = *(struct sym *const *)b;

	return x->incl < y->incl ? 1 : x->incl > y->incl ? -1 : 0;
}

static double pct(uint64_t n, uint64_t of)
{
	return of ? 100.0 * n / of : 0.0;
}

/*
 * Count one view: the samples for which want[i] is set. Self and
 * inclusive counts go into the symbols (zeroed first) and the groups.
 */
static uint64_t count_view(const char *want, uint64_t gself[],
			   uint64_t gincl[])
{
	uint64_t n = 0, stamp = 0;

	for (size_t i = 0; i < nr_syms; i++)
		syms[i].self = syms[i].incl = syms[i].stamp = 0;
	sym_user.self = sym_unknown.self = 0;
	sym_user.incl = sym_unknown.incl = 0;
	sym_user.stamp = sym_unknown.stamp = 0;
	memset(gself, 0, NR_GROUPS * sizeof(*gself));
	memset(gincl, 0, NR_GROUPS * sizeof(*gincl));
	for (size_t i = 0; i < nr_samples; i++) {
		struct sample *s = &samples[i];
		struct sym *leaf;
		unsigned int seen = 0;
		int g;

		if (!want[i])
			continue;
		n++;
		stamp++;
		leaf = s->user ? &sym_user : lookup(s->ip);
		leaf->self++;
		g = s->pid == 0 ? G_IDLE : classify(leaf);
		gself[g]++;
		seen |= 1u << g;
		leaf->incl++;
		leaf->stamp = stamp;
		for (unsigned int k = 0; k < s->nr; k++) {
			struct sym *f = lookup(frames[s->chain + k]);

			if (f->stamp != stamp) {
				f->stamp = stamp;
				f->incl++;
			}
			seen |= 1u << classify(f);
		}
		for (g = 0; g < NR_GROUPS; g++)
			if (seen & (1u << g))
				gincl[g]++;
	}
	return n;
}

struct pair {
	struct sym *caller, *via;
	uint64_t n;
};

static int cmp_pair(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;

	return x->n < y->n ? 1 : x->n > y->n ? -1 : 0;
}

/*
 * Who @leaf's samples in the view came from: the next symbol up the
 * chain (caller) and the nearest one up the chain in the compressor,
 * allocator or driver groups (via; "-" if none), the most frequent
 * CALLER_PAIRS pairs.
 */
static void print_callers(FILE *out, const char *tag, const char *view,
			  const char *want, uint64_t n, struct sym *leaf)
{
	static struct sym none = { 0, "-", "-", G_OTHER, 0, 0, 0 };
	struct pair *pairs = NULL;
	size_t np = 0, j;

	for (size_t i = 0; i < nr_samples; i++) {
		struct sample *s = &samples[i];
		struct sym *caller = &none, *via = &none;

		if (!want[i] || s->user || lookup(s->ip) != leaf)
			continue;
		for (unsigned int k = 0; k < s->nr; k++) {
			struct sym *f = lookup(frames[s->chain + k]);
			int g;

			if (f == leaf)
				continue;
			if (caller == &none)
				caller = f;
			g = classify(f);
			if (g == G_COMP || g == G_ALLOC || g == G_DRIVER) {
				via = f;
				break;
			}
		}
		for (j = 0; j < np; j++)
			if (pairs[j].caller == caller && pairs[j].via == via)
				break;
		if (j == np) {
			pairs = xrealloc(pairs, (np + 1) * sizeof(*pairs));
			pairs[np].caller = caller;
			pairs[np].via = via;
			pairs[np++].n = 0;
		}
		pairs[j].n++;
	}
	qsort(pairs, np, sizeof(*pairs), cmp_pair);
	for (j = 0; j < np && j < CALLER_PAIRS; j++)
		fprintf(out, "HZP %sview=%s from=%s caller=%s via=%s pct=%.1f "
			"samples=%llu\n", tag, view, leaf->name,
			pairs[j].caller->name, pairs[j].via->name,
			pct(pairs[j].n, n), (unsigned long long)pairs[j].n);
	free(pairs);
}

static void print_view(FILE *out, const char *tag, const char *view,
		       const char *want, int top, int lists)
{
	uint64_t gself[NR_GROUPS], gincl[NR_GROUPS], n;
	struct sym **by = xrealloc(NULL, (nr_syms + 2) * sizeof(*by));
	size_t nb = 0;

	n = count_view(want, gself, gincl);
	fprintf(out, "HZP %sview=%s samples=%llu\n", tag, view,
		(unsigned long long)n);
	for (int g = 0; g < NR_GROUPS; g++)
		fprintf(out, "HZP %sview=%s group=%s pct=%.1f samples=%llu\n",
			tag, view, group_name[g], pct(gself[g], n),
			(unsigned long long)gself[g]);
	for (int g = 0; g < NR_GROUPS; g++)
		if (gincl[g] && g != G_USER && g != G_IDLE)
			fprintf(out, "HZP %sview=%s incl=%s pct=%.1f samples=%llu\n",
				tag, view, group_name[g], pct(gincl[g], n),
				(unsigned long long)gincl[g]);
	if (!lists) {
		free(by);
		return;
	}
	for (size_t i = 0; i < nr_syms; i++)
		if (syms[i].self || syms[i].incl)
			by[nb++] = &syms[i];
	if (sym_user.self)
		by[nb++] = &sym_user;
	if (sym_unknown.self || sym_unknown.incl)
		by[nb++] = &sym_unknown;
	qsort(by, nb, sizeof(*by), cmp_self);
	for (size_t i = 0; i < nb && i < (size_t)top && by[i]->self; i++)
		fprintf(out, "HZP %sview=%s sym=%s mod=%s pct=%.1f samples=%llu\n",
			tag, view, by[i]->name, by[i]->mod,
			pct(by[i]->self, n), (unsigned long long)by[i]->self);
	for (size_t i = 0; i < nb && i < CALLER_TOP && by[i]->self; i++)
		if (by[i] != &sym_user)
			print_callers(out, tag, view, want, n, by[i]);
	qsort(by, nb, sizeof(*by), cmp_incl);
	for (size_t i = 0, k = 0; i < nb && k < (size_t)top; i++) {
		int g = classify(by[i]);

		if (g != G_ALLOC && g != G_DRIVER)
			continue;
		fprintf(out, "HZP %sview=%s isym=%s mod=%s pct=%.1f samples=%llu\n",
			tag, view, by[i]->name, by[i]->mod,
			pct(by[i]->incl, n), (unsigned long long)by[i]->incl);
		k++;
	}
	free(by);
}

static void usage(void)
{
	fprintf(stderr, "usage: hzprof [-F HZ] [-n TOP] [-o FILE] [-t TAG] "
		"[-s PAT[,PAT...]] -- CMD [ARGS...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned int hz = 2000;
	int top = 25, opt, go[2], status, rc;
	const char *outpath = NULL;
	char *tag = "";
	char *want_all, *want_scope = NULL;
	uint64_t nk = 0, nu = 0, ni = 0, ns = 0;
	struct timespec t0, t1;
	FILE *out = stdout;
	pid_t child;
	char c = 0;

	while ((opt = getopt(argc, argv, "+F:n:o:t:s:")) != -1) {
		switch (opt) {
		case 'F':
			hz = strtoul(optarg, NULL, 0);
			break;
		case 'n':
			top = atoi(optarg);
			break;
		case 'o':
			outpath = optarg;
			break;
		case 't':
			/* Printed before each line's own pairs. */
			if (asprintf(&tag, "%s ", optarg) < 0)
				return 2;
			break;
		case 's':
			for (char *p, *t = strtok_r(strdup(optarg), ",", &p); t;
			     t = strtok_r(NULL, ",", &p)) {
				scope = xrealloc(scope, (nr_scope + 1) *
						 sizeof(*scope));
				scope[nr_scope++] = t;
			}
			break;
		default:
			usage();
		}
	}
	if (optind >= argc || !hz || hz > 100000)
		usage();

	open_rings(hz);
	if (pipe(go)) {
		perror("hzprof: pipe");
		return 2;
	}
	child = fork();
	if (child < 0) {
		perror("hzprof: fork");
		return 2;
	}
	if (!child) {
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(127);
		close(go[0]);
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "hzprof: %s: %s\n", argv[optind],
			strerror(errno));
		_exit(127);
	}
	close(go[0]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ioctl_all(PERF_EVENT_IOC_ENABLE);
	if (write(go[1], &c, 1) != 1) {
		perror("hzprof: start");
		return 2;
	}
	close(go[1]);

	for (;;) {
		struct pollfd pfd[MAX_CPUS];
		pid_t w;

		for (int i = 0; i < nr_rings; i++) {
			pfd[i].fd = rings[i].fd;
			pfd[i].events = POLLIN;
		}
		poll(pfd, nr_rings, 100);
		drain_all();
		w = waitpid(child, &status, WNOHANG);
		if (w == child)
			break;
		if (w < 0 && errno != EINTR) {
			perror("hzprof: waitpid");
			return 2;
		}
	}
	ioctl_all(PERF_EVENT_IOC_DISABLE);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	drain_all();
	rc = WIFEXITED(status) ? WEXITSTATUS(status) :
	     128 + WTERMSIG(status);

	read_kallsyms();
	want_all = xrealloc(NULL, nr_samples + 1);
	memset(want_all, 1, nr_samples + 1);
	if (nr_scope) {
		want_scope = xrealloc(NULL, nr_samples + 1);
		memset(want_scope, 0, nr_samples + 1);
	}
	for (size_t i = 0; i < nr_samples; i++) {
		struct sample *s = &samples[i];

		if (s->user)
			nu++;
		else
			nk++;
		if (s->pid == 0)
			ni++;
		if (!nr_scope || s->user)
			continue;
		if (in_scope(lookup(s->ip)))
			want_scope[i] = 1;
		for (unsigned int k = 0; k < s->nr && !want_scope[i]; k++)
			if (in_scope(lookup(frames[s->chain + k])))
				want_scope[i] = 1;
		ns += want_scope[i];
	}

	if (outpath) {
		out = fopen(outpath, "w");
		if (!out) {
			perror(outpath);
			return 2;
		}
	}
	fprintf(out, "HZP %stotal samples=%zu kernel=%llu user=%llu idle=%llu "
		"scope=%llu lost=%llu throttled=%llu secs=%.2f hz=%u cpus=%d "
		"rc=%d\n", tag, nr_samples, (unsigned long long)nk,
		(unsigned long long)nu, (unsigned long long)ni,
		(unsigned long long)ns, (unsigned long long)lost,
		(unsigned long long)throttled,
		(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, hz,
		nr_rings, rc);
	print_view(out, tag, "all", want_all, top, !nr_scope);
	if (nr_scope)
		print_view(out, tag, "scope", want_scope, top, 1);
	if (out != stdout)
		fclose(out);
	else
		fflush(out);
	return rc;
}
