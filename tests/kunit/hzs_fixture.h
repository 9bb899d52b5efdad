/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared fixture of the hzs KUnit files: pools that are KUnit resources
 * (a failed assertion still destroys them) and the two allocator modes
 * most suites run in. Only KUnit API present in 6.1 is used.
 */
#ifndef _HZS_FIXTURE_H
#define _HZS_FIXTURE_H

#include <kunit/test.h>
#include <kunit/resource.h>
#include <linux/string.h>

#include "hzs_pool.h"

static inline int t_pool_init(struct kunit_resource *res, void *context)
{
	res->data = hzs_pool_create_opts("kunit", context);
	return res->data ? 0 : -ENOMEM;
}

static inline void t_pool_free(struct kunit_resource *res)
{
	hzs_pool_destroy(res->data);
}

static inline struct hzs_pool *t_pool(struct kunit *test, bool debug,
				      unsigned int chain)
{
	struct hzs_pool_opts opts = { .debug = debug, .max_chain = chain };
	struct hzs_pool *pool;

	pool = kunit_alloc_resource(test, t_pool_init, t_pool_free, GFP_KERNEL,
				    &opts);
	KUNIT_ASSERT_NOT_NULL(test, pool);
	return pool;
}

static inline size_t t_count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

struct t_mode {
	bool debug;
	unsigned int chain;
	const char *name;
};

static inline void t_mode_desc(const struct t_mode *m, char *desc)
{
	strscpy(desc, m->name, KUNIT_PARAM_DESC_SIZE);
}

static const struct t_mode t_modes[] __maybe_unused = {
	{ false, 8, "plain" },
	{ true, 8, "debug" },
};

#endif /* _HZS_FIXTURE_H */
