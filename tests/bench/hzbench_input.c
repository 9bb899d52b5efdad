// SPDX-License-Identifier: GPL-2.0
/*
 * hzbench_zs.ko's copy of the shared benchmark input: the same source as
 * zram.ko's (one object file may not be linked into two modules).
 */
#include "../../src/hz_bench_input.c"
