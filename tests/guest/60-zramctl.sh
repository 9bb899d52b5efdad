# util-linux zramctl, unchanged, reads our sysfs ABI: every option of
# Debian 12's zramctl (util-linux 2.38.1), each output column checked
# against the sysfs file it comes from.
. /tests/lib.sh

# zc_row DEV MNT: what `zramctl --output-all --raw --bytes` must print
# for /dev/DEV, computed from sysfs (mm_stat's fields as util-linux maps
# them: 1 DATA, 2 COMPR, 3 TOTAL, 4 MEM-LIMIT, 5 MEM-USED, 6 ZERO-PAGES,
# 7 MIGRATED).
zc_row() {
	s=/sys/block/$1
	alg=$(sed 's/.*\[\(.*\)\].*/\1/' "$s/comp_algorithm")
	# shellcheck disable=SC2046
	set -- "$1" "$2" $(cat "$s/mm_stat")
	echo "/dev/$1 $(cat "$s/disksize") $3 $4 $alg $(cat "$s/max_comp_streams") $8 $5 $6 $7 $9 $2" |
		sed 's/ *$//'
}

# zc_check DEV MNT: zramctl's whole table for DEV, exactly. The device is
# idle; mm_stat is read before and after zramctl and must not move.
zc_check() {
	n=0
	while :; do
		want=$(zc_row "$1" "$2")
		zramctl --output-all --raw --bytes "/dev/$1" > /tmp/zc.tab
		[ "$(zc_row "$1" "$2")" = "$want" ] && break
		n=$((n + 1))
		[ $n -lt 3 ] || fail "$1: mm_stat kept changing"
	done
	hdr="NAME DISKSIZE DATA COMPR ALGORITHM STREAMS ZERO-PAGES TOTAL MEM-LIMIT MEM-USED MIGRATED MOUNTPOINT"
	[ "$(head -n 1 /tmp/zc.tab)" = "$hdr" ] ||
		fail "--output-all header: $(head -n 1 /tmp/zc.tab)"
	got=$(sed -n '2p' /tmp/zc.tab | sed 's/ *$//')
	[ "$got" = "$want" ] || fail "zramctl --output-all $1: '$got', sysfs says '$want'"
	[ "$(wc -l < /tmp/zc.tab)" = 2 ] || fail "$1: more than one row"
	info "zramctl --output-all $1: $got"
}

# settle DEV: wait (up to 30 s) until DEV's mm_stat stays the same for a
# second: a freshly mounted ext4 still writes (lazy inode-table init,
# the journal commit of the atimes the read-back set).
settle() {
	sync
	n=0
	while [ $n -lt 30 ]; do
		a=$(cat "/sys/block/$1/mm_stat")
		sleep 1
		[ "$(cat "/sys/block/$1/mm_stat")" = "$a" ] && return 0
		n=$((n + 1))
	done
	fail "$1: mm_stat still changing after 30 s"
}

# initstate_of DEV: 1 or 0, or "gone" once hot_removed.
initstate_of() {
	if [ -e "/sys/block/$1" ]; then cat "/sys/block/$1/initstate"; else echo gone; fi
}

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
# Every column, the mount point included; without --bytes, sizes are
# human-readable (96 MiB is "96M").
settle zram0
zc_check zram0 /mnt
[ "$(zramctl --raw --noheadings -o DISKSIZE /dev/zram0)" = 96M ] ||
	fail "human-readable DISKSIZE: $(zramctl --raw --noheadings -o DISKSIZE /dev/zram0)"

# A device in use: --reset and a new --size must fail (zramctl resets
# before it sizes) and leave it as it was.
if zramctl --reset /dev/zram0 2> /tmp/zc.err; then
	fail "zramctl --reset of a mounted device succeeded"
fi
info "busy: $(cat /tmp/zc.err)"
if zramctl --size 32M /dev/zram0 2> /tmp/zc.err; then
	fail "zramctl --size on a mounted device succeeded"
fi
[ "$(cat /sys/block/zram0/disksize)" = 100663296 ] || fail "disksize changed on a busy device"
[ "$(cat /sys/block/zram0/initstate)" = 1 ] || fail "busy zram0 lost its state"

# --find alone names a free device without setting it up: zram0 is in
# use, so it hot_adds zram1.
f=$(zramctl --find)
[ "$f" = /dev/zram1 ] || fail "zramctl --find gave '$f'"
[ "$(initstate_of zram1)" = 0 ] || fail "--find alone set up $f"

# --streams (max_comp_streams: written, ignored; reads give the online
# CPU count, as upstream), --algorithm and --size on the free device.
f=$(zramctl --find --size 64M --streams 3 --algorithm zstd)
[ "$f" = /dev/zram1 ] || fail "zramctl --find --size gave '$f'"
[ "$(cat /sys/block/zram1/max_comp_streams)" = "$(nproc)" ] ||
	fail "max_comp_streams $(cat /sys/block/zram1/max_comp_streams), $(nproc) CPUs"
grep -q '\[zstd\]' /sys/block/zram1/comp_algorithm || fail "zstd not selected"
[ "$(cat /sys/block/zram1/disksize)" = 67108864 ] || fail "disksize $(cat /sys/block/zram1/disksize)"
# Zero-filled pages (ZERO-PAGES) and data, then the whole table. Whole
# pages: with 16K pages 64 blocks of 4 KiB are only 16 same pages.
ps=$(page_size)
dd if=/dev/zero of=/dev/zram1 bs="$ps" count=64 oflag=direct 2> /dev/null
dd if=/bin/busybox of=/dev/zram1 bs="$ps" seek=64 count=192 oflag=direct 2> /dev/null
set -- $(cat /sys/block/zram1/mm_stat)
[ "$6" -ge 64 ] || fail "zram1: same_pages $6 after 64 zero blocks"
zc_check zram1 ""
# The list without a device: exactly the initialised devices.
[ "$(zramctl --raw --noheadings -o NAME | sort | tr '\n' ' ')" = "/dev/zram0 /dev/zram1 " ] ||
	fail "zramctl list: $(zramctl --raw --noheadings -o NAME | tr '\n' ' ')"

# An unknown algorithm: zramctl fails and the device stays unset (it
# resets, then the comp_algorithm write is refused).
if zramctl --size 32M --algorithm nosuch /dev/zram1 2> /tmp/zc.err; then
	fail "zramctl -a nosuch succeeded"
fi
info "-a nosuch: $(cat /tmp/zc.err)"
[ "$(cat /sys/block/zram1/initstate)" = 0 ] || fail "zram1 initialised after -a nosuch"
# An idle initialised device takes a new size: zramctl resets it first.
zramctl --size 48M --algorithm lzo-rle /dev/zram1
grep -q '\[lzo-rle\]' /sys/block/zram1/comp_algorithm || fail "lzo-rle not selected"
[ "$(cat /sys/block/zram1/disksize)" = 50331648 ] || fail "resize: $(cat /sys/block/zram1/disksize)"
zc_check zram1 ""

# --algorithm-params came with util-linux 2.41; Debian 12 has 2.38.1.
if zramctl --help | grep -q -- --algorithm-params; then
	f=$(zramctl --find --size 32M --algorithm zstd --algorithm-params level=9)
	grep -q '\[zstd\]' "/sys/block/${f#/dev/}/comp_algorithm" || fail "$f: not zstd"
	zramctl --reset "$f"
else
	echo "skip: zramctl --algorithm-params: not in this zramctl ($(zramctl --version)); algorithm_params is tested through sysfs (50-algos, 64-recompress)"
fi

# --reset of several devices at once; each is reset (and hot_removed
# where util-linux can).
umount /mnt
zramctl --reset /dev/zram0 /dev/zram1
for d in zram0 zram1; do
	s=$(initstate_of $d)
	[ "$s" = 0 ] || [ "$s" = gone ] || fail "zramctl --reset left $d initialised"
done
[ -z "$(zramctl --noheadings)" ] || fail "devices listed after --reset: $(zramctl --noheadings)"
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
