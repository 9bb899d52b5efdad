# Every algorithm the device offers can be selected and carries a
# filesystem round trip.
. /tests/lib.sh
load_zram
algos=$(tr -d '[]' < /sys/block/zram0/comp_algorithm)
n=0
for a in $algos; do
	echo "$a" > /sys/block/zram0/comp_algorithm
	grep -q "\[$a\]" /sys/block/zram0/comp_algorithm || fail "$a not active"
	echo 48M > /sys/block/zram0/disksize
	ext4_roundtrip zram0 algo 8
	info "$a: mm_stat $(mm_stat zram0)"
	reset_zram zram0
	n=$((n + 1))
done
# hzram offers lzo lzo-rle lz4 lz4hc zstd on every kernel; the in-tree
# module offers whatever its Kconfig selected.
if [ "$HZ_MODULES" = hzram ]; then
	[ $n -ge 5 ] || fail "only $n algorithms offered: $algos"
fi
unload_zram
