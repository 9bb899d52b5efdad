# Allocator benchmark: hzs against the kernel's own zsmalloc, on the same
# real data in the same guest. It measures and never judges: only a
# functional error (a module that won't load, a bench file that can't be
# read, inputs that differ) fails it; no timing or packing is asserted.
# hz-only: bench-alloc (make bench-alloc; never in make check or check-all)
. /tests/lib.sh

if [ "$HZ_MODULES" != hzram ]; then
	info "the benchmark compares hzs; HZ_MODULES=$HZ_MODULES has none"
	exit 77
fi
if [ ! -f /lib/modules/bench/order ]; then
	info "no hzbench_zs.ko: the kernel lacks zsmalloc or LZ4"
	exit 77
fi

load_zram
if [ "$(cat /sys/module/zram/parameters/hzs_debug)" != N ]; then
	fail "hzs_debug is on: red zones would distort hzs's packing"
fi
echo lz4 > /sys/block/zram0/comp_algorithm
echo 64M > /sys/block/zram0/disksize
hz=/sys/kernel/debug/zram/zram0
[ -w "$hz/bench_data" ] || fail "$hz/bench_data missing"

for m in $(cat /lib/modules/bench/order); do
	grep -q "^$(basename "$m" .ko) " /proc/modules && continue
	insmod "/lib/modules/bench/$m" || fail "insmod $m"
done
zs=/sys/kernel/debug/hzbench_zs
[ -w "$zs/bench_data" ] || fail "$zs/bench_data missing"

# The data: the guest's own files, as they are. Executables and
# libraries (busybox, e2fsprogs, util-linux, our test programs), kernel
# modules, and text (shell steps, init, etc). The list is fixed once, so
# both allocators get the same bytes in the same order.
find /bin /sbin /lib /usr /tests /init /etc -type f 2>/dev/null | sort > /tmp/bench.files
nfiles=$(wc -l < /tmp/bench.files)
bytes=$(xargs cat < /tmp/bench.files | wc -c)
info "data: $nfiles files, $bytes bytes ($((bytes / 4096)) pages)"

key() {
	awk -v k="$2" '$1 == k {print $2}' "$1"
}

# round REPS: both allocators get the files REPS times over. One pass is
# only a few thousand objects, where each class's last, partly filled
# zspage weighs a lot; more passes keep the distribution and approach a
# pool's steady state.
round() {
	for d in "$hz" "$zs"; do
		echo clear > "$d/bench"
		i=0
		while [ $i -lt "$1" ]; do
			xargs cat < /tmp/bench.files > "$d/bench_data" || fail "feeding $d"
			i=$((i + 1))
		done
	done
	tinfo "x$1: hzs run"
	cat "$hz/bench" > /tmp/bench.hzs || fail "reading $hz/bench"
	tinfo "x$1: zsmalloc run"
	cat "$zs/bench" > /tmp/bench.zs || fail "reading $zs/bench"
	tinfo "x$1: done"

	n_hz=$(key /tmp/bench.hzs objects)
	n_zs=$(key /tmp/bench.zs objects)
	[ "${n_hz:-0}" -gt 0 ] || fail "hzs stored no objects"
	[ "$n_hz" = "$n_zs" ] || fail "inputs differ: hzs $n_hz objects, zsmalloc $n_zs"

	echo "---- x$1 hzs"
	cat /tmp/bench.hzs
	echo "---- x$1 zsmalloc"
	cat /tmp/bench.zs
	echo "---- x$1 side by side ($LANE, $(uname -r), $n_hz objects: $nfiles files x$1)"
	printf '%-24s %14s %14s\n' metric hzs zsmalloc
	for k in objects huge_objects object_bytes pool_bytes packing_permille \
		 meta_bytes meta_bytes_per_object ns_alloc ns_write ns_read \
		 ns_read_begin_end ns_free half_freed_pool_bytes \
		 compacted_pool_bytes ns_compact; do
		printf '%-24s %14s %14s\n' "$k" "$(key /tmp/bench.hzs $k)" \
			"$(key /tmp/bench.zs $k)"
	done
	echo "zsmalloc meta_bytes = handles $(key /tmp/bench.zs meta_handle_bytes)" \
		"+ $(key /tmp/bench.zs zspages) zspage descriptors" \
		"$(key /tmp/bench.zs meta_zspage_bytes)" \
		"+ in-band handles $(key /tmp/bench.zs meta_inband_bytes)" \
		"(inside pool_bytes); huge_class_size $(key /tmp/bench.zs huge_class_size)"
}

round 1
round 8

# Unloading is part of the check: kmemleak then sees what was left.
echo clear > "$zs/bench"
rmmod hzbench_zs || fail "rmmod hzbench_zs"
grep -q "^zsmalloc " /proc/modules && rmmod zsmalloc
echo 1 > /sys/block/zram0/reset
unload_zram
