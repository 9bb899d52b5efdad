# util-linux zramctl, unchanged, reads our sysfs ABI.
. /tests/lib.sh
load_zram
zramctl --find --size 96M --algorithm lz4 > /tmp/dev
dev=$(cat /tmp/dev)
[ "$dev" = /dev/zram0 ] || fail "zramctl --find gave '$dev'"
# Kept mounted: zramctl reads a device in use.
ext4_roundtrip -k zram0 z 16
zramctl
set -- $(zramctl --raw --bytes --noheadings -o NAME,ALGORITHM,DISKSIZE,DATA,COMPR /dev/zram0)
[ "$1" = /dev/zram0 ] || fail "NAME $1"
[ "$2" = lz4 ] || fail "ALGORITHM $2"
[ "$3" = 100663296 ] || fail "DISKSIZE $3"
[ "$4" -gt 8000000 ] || fail "DATA $4"
[ "$5" -gt 0 ] && [ "$5" -lt "$4" ] || fail "COMPR $5 vs DATA $4"
umount /mnt
zramctl --reset /dev/zram0
# util-linux resets the device and then hot_removes it where it can.
if [ -e /sys/block/zram0 ]; then
	[ "$(cat /sys/block/zram0/initstate)" = 0 ] || fail "zramctl --reset"
fi
unload_zram
