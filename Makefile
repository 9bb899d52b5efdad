# SPDX-License-Identifier: GPL-2.0
#
# make                      build zram.ko (and zram_kunit.ko if the kernel has KUnit)
#                           for the running kernel
# make KDIR=... [ARCH=... CROSS_COMPILE=...]   build against another kernel tree
# make install              zram.ko alone into /lib/modules/<release>/updates, depmod
#                           (the running kernel, or KERNELRELEASE=... or KDIR=...)
# make uninstall            remove it again, depmod
# make dkms-install         /usr/src/hzram-<version> registered with DKMS, built and
#                           installed for the running kernel (or KERNELRELEASE=...)
# make dkms-remove          unregister and remove what dkms-install added
# make deb                  out/deb/hzram-dkms_<version>_all.deb (debhelper, dh_dkms)
# make check-package        the .deb in a debootstrapped Debian 12 with the stock
#                           6.1 and 6.12 headers: DKMS builds, apt purge cleans up
# make demo                 QEMU guest: insmod, mkfs.ext4, swapon, stats
# make check [LANES="..."]  the CI lanes, or the named ones (see qemu/lanes), and
#                           check-package beside them for the stock lanes' guests
# make check-all            every lane
# make check-harness        prove the harness fails on planted bugs
# make check-mutations      prove the tests catch re-created upstream bugs
# make bench [LANES="..."]  hzram vs the kernel's own zram: memory, I/O, swap
#                           (stock-6.12 stock-6.1); tables and plots in out/bench/
# make bench-alloc [LANES="..."]  hzs vs the kernel's zsmalloc (x86_64-6.12)
# make qemu-shell LANE=...  interactive guest
# make deps                 install build/test dependencies (Debian 12, as root)
# make lint                 checkpatch --strict, W=1 and sparse against a test kernel

ifneq ($(KERNELRELEASE),)
KDIR ?= /lib/modules/$(KERNELRELEASE)/build
endif
KDIR ?= /lib/modules/$(shell uname -r)/build
# The release the module is for: Debian's headers state it in
# .kernelvariables, a kernel build tree in include/config/kernel.release.
HZ_KREL = $(or $(KERNELRELEASE),$(shell \
	sed -n 's/^override KERNELRELEASE = //p' $(KDIR)/.kernelvariables 2>/dev/null),$(shell \
	cat $(KDIR)/include/config/kernel.release 2>/dev/null))
HZ_NEED_KREL = [ -n "$(HZ_KREL)" ] || { echo "hzram: no kernel headers in $(KDIR)" \
	"(install them, or give KERNELRELEASE= or KDIR=)" >&2; exit 1; }
DEPMOD ?= /sbin/depmod
# A distribution's headers carry no signing key: install unsigned rather
# than fail to sign (DKMS signs with its own key where Secure Boot needs it).
HZ_NOSIGN = $(if $(wildcard $(KDIR)/certs/signing_key.pem),,CONFIG_MODULE_SIG_ALL=)
PWD := $(CURDIR)
HARNESS := python3 scripts/harness.py
LANES ?=

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(PWD) modules

clean:
	$(MAKE) -C $(KDIR) M=$(PWD) clean

# zram.ko alone (HZ_ZRAM_ONLY=1), so the test modules are never installed.
install:
	@$(HZ_NEED_KREL)
	$(MAKE) -C $(KDIR) M=$(PWD) HZ_ZRAM_ONLY=1 modules
	$(MAKE) -C $(KDIR) M=$(PWD) HZ_ZRAM_ONLY=1 KERNELRELEASE=$(HZ_KREL) \
		INSTALL_MOD_DIR=updates $(HZ_NOSIGN) modules_install
	$(DEPMOD) $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) $(HZ_KREL)

uninstall:
	@$(HZ_NEED_KREL)
	rm -f $(INSTALL_MOD_PATH)/lib/modules/$(HZ_KREL)/updates/zram.ko*
	$(DEPMOD) $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) $(HZ_KREL)

dkms-install:
	scripts/package.sh dkms-install $(HZ_KREL)

dkms-remove:
	scripts/package.sh dkms-remove

deb:
	scripts/package.sh deb out/deb

check-package:
	scripts/check-package.sh

deps:
	scripts/deps.sh

demo: deps
	$(HARNESS) demo

# Both run check-package (the .deb into the stock lanes' guests), which
# needs make deb's tools and debootstrap.
check: deps
	scripts/deps.sh package
	$(HARNESS) check $(LANES)

check-all: deps
	scripts/deps.sh package
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

.PHONY: all modules clean install uninstall dkms-install dkms-remove deb check-package \
	deps demo check check-all check-harness check-mutations \
	bench bench-alloc qemu-shell lint
