// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "hzram_read_race" for the I/O path (src/zram_io.c): reads
 * of one slot racing with writes, discards and swap free notifications
 * of that slot, and writes of a page that changes while it is stored.
 *
 * The 2022 "swap free vs read" bug needs a read and a free of the same
 * slot at the same moment. Through swap and the block layer that window
 * is hard to hit (6.12's swap code itself serialises most of it), so a
 * driver whose read path lost its slot lock passes 70-swap-race and
 * 74-races (measured with tests/mutations/01-read-nolock.patch). Here the
 * internal entry points run back to back from two threads on two CPUs:
 * every read must succeed and return a page some write stored, or zeroes
 * (never written, discarded, freed), and nothing else.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/highmem.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "hz_compat.h"
#include "hzs_pool.h"
#include "hzs_test_hooks.h"
#include "zcomp.h"
#include "zram_drv.h"
#include "zram_fixture.h"

#define ZR_SECS		3

struct zr_ctx {
	struct zram *zram;
	struct page *pat[2];	/* two contents of different sizes */
	struct page *out;
	unsigned long rounds, reads, zeroes, errs, bad;
	int werr;
};

/* Text of a given density: @step apart per line, so sizes differ. */
static void zr_fill(struct page *page, unsigned int seed, unsigned int step)
{
	char *p = page_address(page), *end = p + PAGE_SIZE;
	unsigned int i = seed;

	while (p < end) {
		int n = scnprintf(p, end - p, "%u slot %u race %u\n", i,
				  i * step, i % 7);

		if (n <= 0)
			break;
		p += n;
		i += step;
	}
	memset(p, 0, end - p);
}

/*
 * Writer: slot 0 keeps being overwritten (each write frees the previous
 * object) and, every fourth round, discarded or freed as swap does.
 */
static int zr_writer(void *arg)
{
	struct zr_ctx *c = arg;

	while (!kthread_should_stop()) {
		if (!c->werr)
			c->werr = zram_write_page(c->zram,
						  c->pat[c->rounds & 1], 0);
		if ((c->rounds & 3) == 3) {
			if (c->rounds & 4)
				zram_discard_page(c->zram, 0);
			else
				zram_free_notify(c->zram, 0);
		}
		c->rounds++;
		cond_resched();
	}
	return 0;
}

/* Reader: every read succeeds and is zeroes or one of the contents. */
static int zr_reader(void *arg)
{
	struct zr_ctx *c = arg;
	void *out = page_address(c->out);

	while (!kthread_should_stop()) {
		int ret = zram_read_page(c->zram, c->out, 0);

		c->reads++;
		if (ret) {
			if (c->errs++ < 5)
				pr_err("hzram_read_race: read %lu: %d\n",
				       c->reads, ret);
		} else if (!memchr_inv(out, 0, PAGE_SIZE)) {
			c->zeroes++;
		} else if (memcmp(out, page_address(c->pat[0]), PAGE_SIZE) &&
			   memcmp(out, page_address(c->pat[1]), PAGE_SIZE)) {
			if (c->bad++ < 5)
				pr_err("hzram_read_race: read %lu: a page nobody wrote\n",
				       c->reads);
		}
		cond_resched();
	}
	return 0;
}

/* Start @fn on its own CPU where there is one: the race needs two. */
static struct task_struct *zr_start(int (*fn)(void *), struct zr_ctx *c,
				    const char *name, unsigned int nth)
{
	struct task_struct *t = kthread_create(fn, c, "%s", name);
	unsigned int cpu, i = 0;

	if (IS_ERR(t))
		return t;
	for_each_online_cpu(cpu)
		if (i++ == nth) {
			kthread_bind(t, cpu);
			break;
		}
	wake_up_process(t);
	return t;
}

static void zr_read_vs_free(struct kunit *test)
{
	struct zr_ctx *c = test->priv;
	struct task_struct *r, *w;

	if (num_online_cpus() < 2)
		kunit_info(test, "one CPU: the race relies on preemption only");
	r = zr_start(zr_reader, c, "hzram-race-r", 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(r));
	w = zr_start(zr_writer, c, "hzram-race-w", 1);
	if (IS_ERR(w)) {
		kthread_stop(r);
		KUNIT_FAIL(test, "kthread_create: %ld", PTR_ERR(w));
		return;
	}
	msleep(ZR_SECS * 1000);
	kthread_stop(w);
	kthread_stop(r);
	kunit_info(test, "%lu reads (%lu zero), %lu writes, %lu errors, %lu pages nobody wrote",
		   c->reads, c->zeroes, c->rounds, c->errs, c->bad);
	KUNIT_EXPECT_EQ(test, c->werr, 0);
	KUNIT_EXPECT_EQ(test, c->errs, 0UL);
	KUNIT_EXPECT_EQ(test, c->bad, 0UL);
	KUNIT_EXPECT_GT(test, c->reads - c->zeroes, 10UL);
}

/* ----------------- the same race, made deterministic ----------------- */

struct zr_one {
	struct zr_ctx *c;
	struct completion done;
	int ret;
};

static int zr_read_once(void *arg)
{
	struct zr_one *o = arg;

	o->ret = zram_read_page(o->c->zram, o->c->out, 0);
	complete(&o->done);
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

/*
 * The interleaving of the 2022 bug, forced: hold the compression stream a
 * read needs, let a reader start on that stream's CPU (it reads the slot
 * and blocks on the stream), free the slot as swap's free notification
 * does, then let the reader go. With the slot lock held across the read
 * the free is refused (the slot is busy) and the read returns the page;
 * without it the reader decompresses an object that is already freed.
 * Needs no second CPU and no luck, so it holds on every lane.
 */
static void zr_read_vs_free_forced(struct kunit *test)
{
	struct zr_ctx *c = test->priv;
	unsigned int round, cpu = cpumask_first(cpu_online_mask);
	struct zcomp_strm *strm = per_cpu_ptr(c->zram->comps[ZRAM_PRIMARY_COMP]->strm, cpu);
	unsigned long freed = 0;

	for (round = 0; round < 8; round++) {
		struct page *pat = c->pat[round & 1];
		struct task_struct *r;
		struct zr_one o = { .c = c };
		int tries = 0;

		init_completion(&o.done);
		KUNIT_ASSERT_EQ(test, zram_write_page(c->zram, pat, 0), 0);
		memset(page_address(c->out), 0xa5, PAGE_SIZE);

		mutex_lock(&strm->lock);
		r = kthread_create(zr_read_once, &o, "hzram-race-r1");
		if (IS_ERR(r)) {
			mutex_unlock(&strm->lock);
			KUNIT_FAIL(test, "kthread_create: %ld", PTR_ERR(r));
			return;
		}
		kthread_bind(r, cpu);
		wake_up_process(r);
		/*
		 * Wait until the reader holds the slot and sleeps on the
		 * stream we hold. "Not running" alone is not enough: a
		 * remote wakeup passes through TASK_WAKING, so on two CPUs
		 * the reader may not have started yet. A read path without
		 * the slot lock never sets the bit: after 2 s we go on, and
		 * the free then goes through, which is the failure we want.
		 */
		while ((!zram_slot_test(zt_slot(c->zram, 0), ZRAM_LOCK) ||
			task_is_running(r)) && tries++ < 100)
			msleep(20);
		if (zram_free_notify(c->zram, 0))
			freed++;
		mutex_unlock(&strm->lock);
		wait_for_completion(&o.done);
		kthread_stop(r);

		KUNIT_EXPECT_EQ_MSG(test, o.ret, 0, "round %u", round);
		KUNIT_EXPECT_TRUE_MSG(test, !memcmp(page_address(c->out),
						    page_address(pat), PAGE_SIZE),
				      "round %u: the read did not return the page written",
				      round);
		zram_discard_page(c->zram, 0);
	}
	kunit_info(test, "8 reads racing a free; the free went through %lu times",
		   freed);
	KUNIT_EXPECT_EQ_MSG(test, freed, 0UL,
			    "a slot being read was freed under the reader");
}

/* ------------- unstable page: contents change while stored ------------- */

#define ZR_CONTROLS	12

struct zr_flip {
	struct hrtimer timer;
	struct page *page, *a, *b;
	unsigned long flips;
};

/* Interrupt context: rewrite the page being stored, A <-> B. */
static enum hrtimer_restart zr_flip_fn(struct hrtimer *t)
{
	struct zr_flip *f = container_of(t, struct zr_flip, timer);

	memcpy(page_address(f->page),
	       page_address(f->flips++ & 1 ? f->a : f->b), PAGE_SIZE);
	hrtimer_forward_now(t, ns_to_ktime(20 * NSEC_PER_USEC));
	return HRTIMER_RESTART;
}

/*
 * The 2016 overrun needs a page that changes between the two
 * compressions of a write that took the slow allocation path. An hrtimer
 * flips the page between a compressible text (A) and random bytes (B)
 * while it is written again and again, with the first allocation of
 * every write failed on purpose; copies of A in other slots surround its
 * object. Whatever the page held, those copies must read back exactly and
 * the pool must stay consistent. Interrupts reach the writer even on one
 * CPU without preemption, which a user-space mutator does not.
 */
static void zr_unstable_write(struct kunit *test)
{
	struct zr_ctx *c = test->priv;
	struct zram *zram = c->zram;
	struct zr_flip *f;
	unsigned long end, rounds = 0, bad = 0;
	u64 stalls = atomic64_read(&zram->stats.writestall);
	struct hzs_pool_stats st0 = {}, st = {};
	u32 i;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	f->a = c->pat[0];
	f->b = alloc_page(GFP_KERNEL);
	f->page = alloc_page(GFP_KERNEL);
	if (!f->b || !f->page)
		goto out;
	get_random_bytes(page_address(f->b), PAGE_SIZE);
	memcpy(page_address(f->page), page_address(f->a), PAGE_SIZE);

	/* Slot 0 is the unstable one; A's copies follow its object. */
	KUNIT_ASSERT_EQ(test, zram_write_page(zram, f->page, 0), 0);
	for (i = 1; i <= ZR_CONTROLS; i++)
		KUNIT_ASSERT_EQ(test, zram_write_page(zram, f->a, i), 0);

	hzs_pool_stats(zram->pool, &st0);
	hrtimer_init(&f->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	f->timer.function = zr_flip_fn;
	hrtimer_start(&f->timer, ns_to_ktime(20 * NSEC_PER_USEC),
		      HRTIMER_MODE_REL);
	end = jiffies + 2 * HZ;
	while (time_before(jiffies, end)) {
		hzs_pool_fail_nth(zram->pool, 1);	/* take the slow path */
		KUNIT_EXPECT_EQ(test, zram_write_page(zram, f->page, 0), 0);
		hzs_pool_fail_nth(zram->pool, 0);
		rounds++;
		cond_resched();
	}
	hrtimer_cancel(&f->timer);

	for (i = 1; i <= ZR_CONTROLS; i++) {
		KUNIT_EXPECT_EQ(test, zram_read_page(zram, c->out, i), 0);
		if (memcmp(page_address(c->out), page_address(f->a), PAGE_SIZE))
			bad++;
	}
	KUNIT_EXPECT_EQ(test, zram_read_page(zram, c->out, 0), 0);
	kunit_info(test, "%lu writes, %llu slow, %lu flips; %lu of %u neighbours damaged",
		   rounds, atomic64_read(&zram->stats.writestall) - stalls,
		   f->flips, bad, ZR_CONTROLS);
	KUNIT_EXPECT_EQ_MSG(test, bad, 0UL,
			    "an unstable page's write damaged its neighbours");
	KUNIT_EXPECT_EQ(test, hzs_pool_verify(zram->pool), 0UL);
	/* A write the allocator refused ("write past the object") counts. */
	hzs_pool_stats(zram->pool, &st);
	KUNIT_EXPECT_EQ_MSG(test, st.errors, st0.errors,
			    "the allocator reported errors while the page changed");
	KUNIT_EXPECT_GT(test, atomic64_read(&zram->stats.writestall) - stalls,
			0ULL);
out:
	if (f->b)
		__free_page(f->b);
	if (f->page)
		__free_page(f->page);
	KUNIT_EXPECT_NOT_NULL(test, f->page);
}

static int zr_init(struct kunit *test)
{
	struct zr_ctx *c;

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	test->priv = c;
	c->zram = zt_zram_create(test, 9998, ZR_CONTROLS + 1, false);

	c->pat[0] = alloc_page(GFP_KERNEL);
	c->pat[1] = alloc_page(GFP_KERNEL);
	c->out = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c->pat[0]);
	KUNIT_ASSERT_NOT_NULL(test, c->pat[1]);
	KUNIT_ASSERT_NOT_NULL(test, c->out);
	zr_fill(c->pat[0], 1, 1);
	zr_fill(c->pat[1], 5, 37);
	return 0;
}

static void zr_exit(struct kunit *test)
{
	struct zr_ctx *c = test->priv;

	if (!c)
		return;
	zt_zram_destroy(c->zram);
	if (c->pat[0])
		__free_page(c->pat[0]);
	if (c->pat[1])
		__free_page(c->pat[1]);
	if (c->out)
		__free_page(c->out);
}

static struct kunit_case zr_cases[] = {
	KUNIT_CASE(zr_read_vs_free_forced),
	HZ_KUNIT_CASE_SLOW(zr_read_vs_free),
	HZ_KUNIT_CASE_SLOW(zr_unstable_write),
	{}
};

static struct kunit_suite zr_suite = {
	.name = "hzram_read_race",
	.init = zr_init,
	.exit = zr_exit,
	.test_cases = zr_cases,
};

kunit_test_suites(&zr_suite);
