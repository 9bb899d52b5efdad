// SPDX-License-Identifier: GPL-2.0
/*
 * zram_kunit.ko: the KUnit suites for zram.ko. They live in their own
 * module because on 6.1 suites built into a module run before that
 * module's init has finished; here zram.ko is fully up before any test
 * runs. Internals are reached through symbols zram.ko exports, only in
 * KUnit builds, into the HZRAM_KUNIT namespace.
 */
#include <kunit/test.h>
#include <linux/module.h>

#ifdef HZ_PLANT_kunit
/*
 * make check-harness builds this variant to prove that a failing
 * assertion fails the lane.
 */
static void hz_plant_failing_case(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 1 + 1, 3);
}

static struct kunit_case hz_plant_cases[] = {
	KUNIT_CASE(hz_plant_failing_case),
	{}
};

static struct kunit_suite hz_plant_suite = {
	.name = "hzram_harness_plant",
	.test_cases = hz_plant_cases,
};

kunit_test_suites(&hz_plant_suite);
#endif

MODULE_DESCRIPTION("KUnit suites for the hzram zram driver and allocator");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(HZRAM_KUNIT);
