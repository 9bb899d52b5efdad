# SPDX-License-Identifier: GPL-2.0
#
# make                      build zram.ko (and zram_kunit.ko) for the running kernel
# make KDIR=... [ARCH=... CROSS_COMPILE=...]   build against another kernel tree
# make demo                 QEMU guest: insmod, mkfs.ext4, swapon, stats
# make check [LANES="..."]  the CI lanes (or the named ones)
# make check-all            every lane
# make check-harness        prove the harness fails on planted bugs
# make qemu-shell LANE=...  interactive guest
# make deps                 install build/test dependencies (Debian 12, root)

KDIR ?= /lib/modules/$(shell uname -r)/build
PWD := $(CURDIR)

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(PWD) modules

clean:
	$(MAKE) -C $(KDIR) M=$(PWD) clean

.PHONY: all modules clean
