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
# -a deflate / -a 842: the backends 6.12 added, where this kernel has
# their library (every lane kernel; Debian's stock ones lack 842).
# (KUnit checks the list against the kernel's configuration.)
for a in deflate 842; do
	# (zramctl --reset hot_removes what it resets, where it can.)
	[ -e /sys/block/zram0 ] || cat /sys/class/zram-control/hot_add > /dev/null
	if ! grep -qw "$a" /sys/block/zram0/comp_algorithm; then
		info "no $a in this kernel"
		continue
	fi
	dev=$(zramctl --find --size 32M --algorithm $a)
	set -- $(zramctl --raw --noheadings -o ALGORITHM "$dev")
	[ "$1" = $a ] || fail "zramctl -a $a: ALGORITHM $1"
	dd if=/bin/busybox of=/tmp/zc.in bs=4096 count=256 2>/dev/null
	dd if=/tmp/zc.in of="$dev" bs=4096 oflag=direct 2>/dev/null
	dd if="$dev" of=/tmp/zc.out bs=4096 count=256 iflag=direct 2>/dev/null
	cmp /tmp/zc.in /tmp/zc.out || fail "$a read-back"
	info "zramctl -a $a: $(zramctl --noheadings -o NAME,ALGORITHM,DATA,COMPR "$dev")"
	zramctl --reset "$dev"
done
unload_zram
