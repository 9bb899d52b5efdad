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

# default_algorithm (hzram's stand-in for CONFIG_ZRAM_DEF_COMP): new
# devices and reset ones start with it; a name the build lacks fails the
# load, with a log line. (The in-tree module has no such parameter.)
[ "$HZ_MODULES" = hzram ] || exit 0
load_zram default_algorithm=zstd
grep -q '\[zstd\]' /sys/block/zram0/comp_algorithm || fail "default_algorithm=zstd: $(cat /sys/block/zram0/comp_algorithm)"
echo lz4 > /sys/block/zram0/comp_algorithm
echo 16M > /sys/block/zram0/disksize
reset_zram zram0
grep -q '\[zstd\]' /sys/block/zram0/comp_algorithm || fail "reset did not go back to zstd"
id=$(cat /sys/class/zram-control/hot_add)
grep -q '\[zstd\]' /sys/block/zram$id/comp_algorithm || fail "hot_add device not zstd"
unload_zram
zko=/lib/modules/$HZ_MODULES/$(tail -n 1 "/lib/modules/$HZ_MODULES/order")
if insmod "$zko" default_algorithm=nosuch 2>/dev/null; then
	fail "default_algorithm=nosuch was accepted"
fi
dmesg | grep -q 'default_algorithm=nosuch is not an algorithm of this build; available: lzo lzo-rle' ||
	fail "no log line for default_algorithm=nosuch"
[ ! -d /sys/class/zram-control ] || fail "zram-control left behind"
info "default_algorithm: zstd taken, nosuch refused"
