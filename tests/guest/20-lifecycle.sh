# Device lifecycle through the upstream ABI: hot_add/hot_remove, disksize,
# initstate, reset refusing while in use.
. /tests/lib.sh
load_zram num_devices=1
[ -b /dev/zram0 ] || fail "/dev/zram0 missing"
[ "$(cat /sys/block/zram0/initstate)" = 0 ] || fail "fresh device initialised"
info "comp_algorithm: $(cat /sys/block/zram0/comp_algorithm)"
grep -q '\[' /sys/block/zram0/comp_algorithm || fail "no [active] algorithm"
[ "$(cat /sys/block/zram0/max_comp_streams)" -ge 1 ] || fail "max_comp_streams"

id=$(cat /sys/class/zram-control/hot_add)
[ -b "/dev/zram$id" ] || fail "hot_add returned $id but /dev/zram$id is missing"
info "hot_add -> zram$id"
expect_errno ok /sys/class/zram-control/hot_remove "$id"
[ ! -e "/dev/zram$id" ] || fail "/dev/zram$id still there after hot_remove"
expect_errno ENODEV /sys/class/zram-control/hot_remove "$id"
expect_errno ENODEV /sys/class/zram-control/hot_remove 4242

echo 64M > /sys/block/zram0/disksize
[ "$(cat /sys/block/zram0/disksize)" = 67108864 ] || fail "disksize 64M"
[ "$(cat /sys/block/zram0/initstate)" = 1 ] || fail "initstate after disksize"
expect_errno EBUSY /sys/block/zram0/disksize 128M
first=$(tr -d '[]' < /sys/block/zram0/comp_algorithm | awk '{print $1}')
expect_errno EBUSY /sys/block/zram0/comp_algorithm "$first"

mkfs.ext4 -q /dev/zram0
mount /dev/zram0 /mnt
echo hello > /mnt/f
# Open (mounted): reset and hot_remove must refuse, and leave it working.
expect_errno EBUSY /sys/block/zram0/reset 1
expect_errno EBUSY /sys/class/zram-control/hot_remove 0
[ "$(cat /mnt/f)" = hello ] || fail "data lost after refused reset"
umount /mnt
expect_errno ok /sys/block/zram0/reset 1
[ "$(cat /sys/block/zram0/initstate)" = 0 ] || fail "initstate after reset"
[ "$(cat /sys/block/zram0/disksize)" = 0 ] || fail "disksize after reset"

# A second device with a different algorithm, used, then removed.
id=$(cat /sys/class/zram-control/hot_add)
echo zstd > "/sys/block/zram$id/comp_algorithm"
grep -q '\[zstd\]' "/sys/block/zram$id/comp_algorithm" || fail "zstd not selected"
echo 32M > "/sys/block/zram$id/disksize"
ext4_roundtrip "zram$id" t2 4
info "zram$id (zstd) mm_stat: $(mm_stat "zram$id")"
expect_errno ok /sys/class/zram-control/hot_remove "$id"
unload_zram
