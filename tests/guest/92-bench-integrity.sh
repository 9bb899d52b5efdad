# What the integrity option costs: direct-I/O write and read throughput
# of the same 64 MiB of real data (the guest's binaries and modules, text,
# some zeroes) with integrity off and on, three rounds each, alternating.
# It measures and never judges: only a functional error fails it (data
# not reading back identical, a checksum error on healthy data).
# hz-only: bench-alloc (make bench-alloc; never in make check or check-all)
. /tests/lib.sh

if [ "$HZ_MODULES" != hzram ]; then
	info "integrity is an hzram extension"
	exit 77
fi
load_zram num_devices=1
z=/sys/block/zram0
mib=64

# Real data, in a fixed order, cut to $mib MiB.
for f in /tests/* /lib/modules/*/*.ko /bin/busybox /tests/lib.sh; do
	[ -f "$f" ] && cat "$f"
done > /tmp/bench.src
: > /tmp/bench.all
while [ "$(stat -c %s /tmp/bench.all)" -lt $((mib * 1048576)) ]; do
	cat /tmp/bench.src >> /tmp/bench.all
	dd if=/dev/zero bs=65536 count=4 2>/dev/null >> /tmp/bench.all
done
dd if=/tmp/bench.all of=/tmp/bench.data bs=1M count=$mib 2>/dev/null
rm /tmp/bench.src /tmp/bench.all

# Centiseconds since boot (busybox date has no %N everywhere).
now() {
	awk '{printf "%d\n", $1 * 100}' /proc/uptime
}

# mib_s CENTISECONDS: MiB/s, one decimal.
mib_s() {
	awk -v m=$mib -v c="$1" 'BEGIN { if (c < 1) c = 1; printf "%.1f", m * 100 / c }'
}

round() {
	echo "$1" > $z/checksum
	echo $((mib * 2))M > $z/disksize
	t0=$(now)
	dd if=/tmp/bench.data of=/dev/zram0 bs=1M oflag=direct 2>/dev/null
	t1=$(now)
	dd if=/dev/zram0 of=/dev/null bs=1M count=$mib iflag=direct 2>/dev/null
	t2=$(now)
	dd if=/dev/zram0 of=/tmp/bench.back bs=1M count=$mib iflag=direct 2>/dev/null
	cmp /tmp/bench.back /tmp/bench.data || fail "data differs (integrity=$1)"
	rm /tmp/bench.back
	[ "$(debug_stat_field zram0 3)" = 0 ] || fail "checksum errors on healthy data"
	echo "integrity=$1 write $(mib_s $((t1 - t0))) MiB/s read $(mib_s $((t2 - t1))) MiB/s mm_stat $(mm_stat zram0)"
	reset_zram zram0
}

for r in 1 2 3; do
	round 0
	round 1
done > /tmp/bench.out
cat /tmp/bench.out
for on in 0 1; do
	grep "^integrity=$on " /tmp/bench.out | awk -v on=$on '
		{ w += $3; r += $6; n++ }
		END { printf "hz: integrity=%d mean of %d rounds: write %.1f MiB/s, read %.1f MiB/s\n", on, n, w / n, r / n }'
done
unload_zram
