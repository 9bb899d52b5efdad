# ext4 on /dev/zram0: a tree of checksummed files, fsck clean, verified
# again after a remount.
. /tests/lib.sh
load_zram
mib=$(tree_mib 200 48)
echo $((mib * 2 + 64))M > /sys/block/zram0/disksize
ext4_roundtrip -f -k zram0 tree "$mib"
info "after writing ${mib} MiB: mm_stat $(mm_stat zram0)"
set -- $(mm_stat zram0)
[ "$1" -gt 0 ] && [ "$2" -gt 0 ] || fail "mm_stat shows no data: $*"
[ "$2" -lt "$1" ] || fail "nothing compressed: orig $1 compr $2"
[ "$6" -gt 0 ] || fail "no same-filled pages counted despite zero files"
umount /mnt
reset_zram zram0
unload_zram
