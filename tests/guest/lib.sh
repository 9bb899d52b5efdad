# Shared helpers for the guest steps (sourced; busybox sh).
# Every step runs under `sh -e`: any unchecked failing command fails it.

fail() {
	echo "FAIL: $*"
	exit 1
}

info() {
	echo "hz: $*"
}

# Load the module set under test (/lib/modules/$HZ_MODULES: an `order`
# file lists the .ko files to insmod, dependencies first; the last one is
# zram itself and gets the arguments).
load_zram() {
	set -- "$@"
	last=$(tail -n 1 "/lib/modules/$HZ_MODULES/order")
	for m in $(cat "/lib/modules/$HZ_MODULES/order"); do
		name=$(basename "$m" .ko)
		if grep -q "^$name " /proc/modules; then
			continue
		fi
		if [ "$m" = "$last" ]; then
			insmod "/lib/modules/$HZ_MODULES/$m" "$@"
		else
			insmod "/lib/modules/$HZ_MODULES/$m"
		fi
	done
	[ -d /sys/class/zram-control ] || fail "zram-control class missing"
}

unload_zram() {
	for d in /sys/block/zram*; do
		[ -e "$d" ] || continue
		swapoff "/dev/$(basename "$d")" 2>/dev/null || true
		umount "/dev/$(basename "$d")" 2>/dev/null || true
	done
	rmmod zram
}

# reset_zram DEV: reset an idle device, after checking it (debug sanity):
# hzram's debugfs "verify" walks the slot table and the allocator's
# metadata and must find nothing wrong. The in-tree module has no such
# file, and is just reset.
reset_zram() {
	v=/sys/kernel/debug/zram/$1/verify
	if [ "$HZ_MODULES" = hzram ] && [ "$(cat /sys/block/$1/initstate)" = 1 ]; then
		[ -e "$v" ] || fail "no $v"
		out=$(cat "$v")
		[ "${out%% *}" = 0 ] || fail "$1 verify: $(echo $out)"
		info "$1 verify: $(echo $out)"
	fi
	echo 1 > "/sys/block/$1/reset"
}

# expect_write_fail FILE VALUE: the write must be refused.
expect_write_fail() {
	if printf '%s' "$2" > "$1" 2>/dev/null; then
		fail "write '$2' to $1 was accepted"
	fi
}

# expect_errno ERRNO FILE VALUE: a single write(2) of VALUE to FILE must
# fail with exactly ERRNO (or succeed, for ERRNO=ok).
expect_errno() {
	got=$(/tests/hzctl write "$2" "$3")
	[ "$got" = "$1" ] || fail "write '$3' to $2: expected $1, got $got"
}

# Fill DIR with a tree of files of mixed compressibility and record their
# checksums in /tmp/<name>.sums. $1 = dir, $2 = approx MiB.
make_tree() {
	dir=$1 mib=$2 i=0
	mkdir -p "$dir"
	while [ $i -lt "$mib" ]; do
		sub=$dir/d$((i % 8))
		mkdir -p "$sub"
		case $((i % 4)) in
		0) head -c 1048576 /dev/urandom > "$sub/rand$i" ;;
		1) yes "hzram line $i $(date +%s)" | head -c 1048576 > "$sub/text$i" ;;
		2) head -c 1048576 /dev/zero > "$sub/zero$i" ;;
		3) cat /bin/busybox /bin/busybox | head -c 1048576 > "$sub/bin$i" ;;
		esac
		i=$((i + 1))
	done
	(cd "$dir" && find . -type f | sort | xargs md5sum) > "/tmp/$(basename "$dir").sums"
}

check_tree() {
	sums=/tmp/$(basename "$1").sums
	(cd "$1" && md5sum -c -s "$sums") || fail "checksum mismatch under $1"
	info "verified $(wc -l < "$sums") files under $1"
}

# ext4_roundtrip [-f] [-k] DEV NAME MIB: the filesystem round trip of the
# functional steps, on an initialised /dev/DEV: mkfs.ext4, mount on /mnt,
# a make_tree of MIB MiB under /mnt/NAME, umount, mount again and
# check_tree, so the files are read back from the device rather than
# the page cache. -f runs e2fsck -fn on the unmounted filesystem before
# the remount; -k leaves it mounted (for checks on the live filesystem).
ext4_roundtrip() {
	er_fsck=0 er_keep=0
	while :; do
		case $1 in
		-f) er_fsck=1 ;;
		-k) er_keep=1 ;;
		*) break ;;
		esac
		shift
	done
	mkfs.ext4 -q "/dev/$1"
	mount "/dev/$1" /mnt
	make_tree "/mnt/$2" "$3"
	umount /mnt
	if [ $er_fsck = 1 ]; then
		e2fsck -fn "/dev/$1" > /tmp/fsck.out 2>&1 ||
			{ cat /tmp/fsck.out; fail "fsck of $1"; }
	fi
	mount "/dev/$1" /mnt
	check_tree "/mnt/$2"
	[ $er_keep = 1 ] || umount /mnt
}

# require_hzram WHY: end the step as skipped (77) unless the module under
# test is hzram (HZ_MODULES=upstream runs the steps on the in-tree zram,
# which lacks hzram's extensions).
require_hzram() {
	[ "$HZ_MODULES" = hzram ] && return 0
	echo "skip: $1 (HZ_MODULES=$HZ_MODULES)"
	exit 77
}

# Sizes scale down on slow lanes (HZ_QUICK=1: arm/arm64 under TCG).
tree_mib() {
	if [ "${HZ_QUICK:-0}" = 1 ]; then echo "$2"; else echo "$1"; fi
}

mm_stat() {
	cat "/sys/block/$1/mm_stat"
}

# ---- reliability suite (70-78) ----

# tinfo MSG: info with the guest's uptime, to see where a step's time goes.
tinfo() {
	info "[$(cut -d' ' -f1 /proc/uptime)] $*"
}

# vmstat NAME: a /proc/vmstat counter.
vmstat() {
	awk -v k="$1" '$1 == k {print $2}' /proc/vmstat
}

# io_stat_field DEV N: field N (1 failed_reads, 2 failed_writes,
# 4 notify_free) of /sys/block/DEV/io_stat.
io_stat_field() {
	awk -v n="$2" '{print $n}' "/sys/block/$1/io_stat"
}

# debug_stat_field DEV N: field N of debug_stat's second line
# (1 writestall, 2 miss_free).
debug_stat_field() {
	awk -v n="$2" 'NR == 2 {print $n}' "/sys/block/$1/debug_stat"
}

# stress_secs CI LONG_X86 LONG_OTHER: a duration for the lane. CI is the
# `make check` figure; under `make check-all` (HZ_LONG=1) x86_64 lanes
# get LONG_X86 and the slower emulated arm/arm64 lanes LONG_OTHER.
stress_secs() {
	if [ "${HZ_LONG:-0}" != 1 ]; then
		echo "$1"
	elif [ "$(uname -m)" = x86_64 ]; then
		echo "$2"
	else
		echo "$3"
	fi
}

FI_DIRS="/sys/kernel/debug/failslab /sys/kernel/debug/fail_page_alloc"

# fi_available: the kernel can fail allocations on demand.
fi_available() {
	[ -d /sys/kernel/debug/failslab ] && [ -d /sys/kernel/debug/fail_page_alloc ]
}

# fi_on PERCENT: failslab and fail_page_alloc fail PERCENT% of the
# allocations of tasks marked with make-it-fail (task-filter), sleeping
# and highmem allocations and order 0 included; nothing is printed.
# The marked task is the workload's own thread: see unstable.c/faultio.c.
fi_on() {
	for d in $FI_DIRS; do
		echo 0 > "$d/probability"
		echo Y > "$d/task-filter"
		echo 1 > "$d/interval"
		echo -1 > "$d/times"
		echo 0 > "$d/space"
		echo 0 > "$d/verbose"
		echo N > "$d/ignore-gfp-wait"
		[ -e "$d/ignore-gfp-highmem" ] && echo N > "$d/ignore-gfp-highmem"
		# fail_page_alloc leaves order-0 pages alone by default.
		[ -e "$d/min-order" ] && echo 0 > "$d/min-order"
		echo "$1" > "$d/probability"
	done
}

fi_off() {
	for d in $FI_DIRS; do
		[ -d "$d" ] && echo 0 > "$d/probability"
	done
	return 0
}

# kv KEY FILE: the value of KEY=value in a program's summary line.
kv() {
	sed -n "s/.* $1=\([0-9]*\).*/\1/p" "$2" | tail -n 1
}

# page_size: the kernel's page size in bytes (busybox has no getconf;
# tmpfs reports PAGE_SIZE as its block size).
page_size() {
	stat -f -c %s /tmp
}
