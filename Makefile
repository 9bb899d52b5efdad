# SPDX-License-Identifier: GPL-2.0
#
# make                      build zram.ko (and zram_kunit.ko if the kernel has KUnit)
#                           for the running kernel
# make KDIR=... [ARCH=... CROSS_COMPILE=...]   build against another kernel tree
# make demo                 QEMU guest: insmod, mkfs.ext4, swapon, stats
# make check [LANES="..."]  the CI lanes, or the named ones (see qemu/lanes)
# make check-all            every lane
# make check-harness        prove the harness fails on planted bugs
# make check-mutations      prove the tests catch re-created upstream bugs
# make bench [LANES="..."]  hzram vs the kernel's own zram: memory, I/O, swap
#                           (stock-6.12 stock-6.1); tables and plots in out/bench/
# make bench-alloc [LANES="..."]  hzs vs the kernel's zsmalloc (x86_64-6.12)
# make qemu-shell LANE=...  interactive guest
# make deps                 install build/test dependencies (Debian 12, as root)
# make lint                 checkpatch --strict, W=1 and sparse against a test kernel

KDIR ?= /lib/modules/$(shell uname -r)/build
PWD := $(CURDIR)
HARNESS := python3 scripts/harness.py
LANES ?=

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(PWD) modules

clean:
	$(MAKE) -C $(KDIR) M=$(PWD) clean

deps:
	scripts/deps.sh

demo: deps
	$(HARNESS) demo

check: deps
	$(HARNESS) check $(LANES)

check-all: deps
	$(HARNESS) check --all

check-harness: deps
	$(HARNESS) selftest

check-mutations: deps
	scripts/mutations.sh

# Only the bench-tagged guest steps; never part of check or check-all.
# MODE=alloc is make bench-alloc. The plots need Debian's matplotlib,
# which only the bench installs (make check does not need it).
MODE ?= zram
bench: deps
ifeq ($(MODE),alloc)
	HZ_BENCH=alloc $(HARNESS) check $(or $(LANES),x86_64-6.12)
else
	scripts/deps.sh bench
	HZ_BENCH=zram $(HARNESS) check $(or $(LANES),stock-6.12 stock-6.1)
endif

bench-alloc: deps
	HZ_BENCH=alloc $(HARNESS) check $(or $(LANES),x86_64-6.12)

qemu-shell: deps
	$(HARNESS) shell $(or $(LANE),x86_64-6.12)

lint: deps
	scripts/lint.sh

.PHONY: all modules clean deps demo check check-all check-harness check-mutations \
	bench bench-alloc qemu-shell lint
