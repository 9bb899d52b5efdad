# Hostile sysfs input: every writable attribute of /sys/block/zram0 and
# zram-control's hot_remove/hot_add get garbage, before and after init,
# one write at a time (state compared before/after every refused write)
# and then from concurrent writers racing resets, I/O and hot_add/remove.
# Only EINVAL/EBUSY/ENOMEM/ENODEV/ENOSPC may come back; I/O at and past
# the end, unaligned and on an empty device must fail cleanly. The device
# must work normally afterwards. (sysfuzz.c has the details.)
. /tests/lib.sh
load_zram num_devices=1
u=
[ "$HZ_MODULES" = upstream ] && u=-u
# Both parts run even if the first finds something: the step reports all.
mrc=0
/tests/sysfuzz matrix zram0 64M $u > /tmp/matrix.out 2>&1 || mrc=$?
grep -v "^sysfuzz: upstream accepts" /tmp/matrix.out || true
n=$(grep -c "^sysfuzz: upstream accepts" /tmp/matrix.out || true)
[ "$n" = 0 ] || info "upstream accepted $n values hzram must refuse (see sysfuzz.c)"
secs=$(stress_secs 10 60 20)
src=0
/tests/sysfuzz storm zram0 "$secs" $u || src=$?
[ "$(cat /sys/block/zram0/initstate)" = 0 ] || echo 1 > /sys/block/zram0/reset

# Still a working block device afterwards.
for d in /sys/block/zram*; do
	id=${d#/sys/block/zram}
	[ "$id" = 0 ] || expect_errno ok /sys/class/zram-control/hot_remove "$id"
done
echo 0 > /sys/block/zram0/mem_limit
echo 32M > /sys/block/zram0/disksize
ext4_roundtrip zram0 after 4
reset_zram zram0
unload_zram
[ $mrc = 0 ] || fail "sysfuzz matrix (exit $mrc): see the FAIL lines above"
[ $src = 0 ] || fail "sysfuzz storm (exit $src): see the FAIL lines above"
