# The checksum option end to end: with per-object checksums on, a bit
# flipped in a stored object (debugfs "corrupt") makes exactly that
# block's read fail with EIO, counted in debug_stat and io_stat and
# logged with its sector; every other block still reads back intact,
# debugfs "verify" reports the damage, and rewriting the block heals it.
# With the option off the same flip goes unnoticed (which is why the
# option exists, and proves the EIO came from the checksum). Compressed
# and raw (incompressible) objects are both covered.
. /tests/lib.sh
require_hzram "checksum is an hzram extension"
load_zram num_devices=1
z=/sys/block/zram0
dbg=/sys/kernel/debug/zram/zram0
ps=$(page_size)
nblk=32

# The attribute: off by default, boolean only, fixed once initialised.
[ "$(cat $z/checksum)" = 0 ] || fail "checksum is on by default"
expect_errno EINVAL $z/checksum "maybe"
expect_errno EINVAL $z/checksum "no"
expect_errno EINVAL $z/checksum "2"
expect_errno EINVAL $z/checksum " "
expect_errno ok $z/checksum "1"
[ "$(cat $z/checksum)" = 1 ] || fail "checksum did not switch on"

# Blocks 0..15 compress (text), 16..31 do not (random): two object kinds.
mkdir -p /tmp/csum
i=0
while [ $i -lt 2000 ]; do
	echo "line $i of the checksum test: the quick brown fox jumps over"
	i=$((i + 1))
done > /tmp/csum/text
dd if=/tmp/csum/text of=/tmp/csum/data bs=$ps count=16 iflag=fullblock 2>/dev/null
dd if=/dev/urandom of=/tmp/csum/data bs=$ps count=16 seek=16 2>/dev/null
[ "$(stat -c %s /tmp/csum/data)" = $((ps * nblk)) ] || fail "test data has the wrong size"

echo 8M > $z/disksize
expect_errno EBUSY $z/checksum "0"
[ "$(cat $z/checksum)" = 1 ] || fail "a refused write changed checksum"
dd if=/tmp/csum/data of=/dev/zram0 bs=$ps oflag=direct 2>/dev/null
set -- $(mm_stat zram0)
[ "$8" -ge 16 ] || fail "random blocks were not stored raw (huge_pages $8)"

readback() {
	dd if=/dev/zram0 of=/tmp/csum/back bs=$ps count=$nblk iflag=direct 2>/dev/null
	cmp /tmp/csum/data /tmp/csum/back || fail "read-back differs ($1)"
}
readback "before any damage"
out=$(cat $dbg/verify)
[ "${out%% *}" = 0 ] || fail "verify on a healthy device: $out"
[ "$(debug_stat_field zram0 3)" = 0 ] || fail "checksum errors on a healthy device"

# Damage one compressed and one raw block.
fr0=$(io_stat_field zram0 1)
for b in 5 20; do
	expect_errno ok $dbg/corrupt $b
	got=$(/tests/hzctl pread /dev/zram0 $((b * ps)) $ps)
	[ "$got" = EIO ] || fail "read of corrupted block $b: $got, expected EIO"
	dmesg | grep -q "zram0: checksum mismatch at sector $((b * ps / 512)) (block $b" ||
		fail "no log line naming sector $((b * ps / 512))"
done
[ "$(debug_stat_field zram0 3)" = 2 ] || fail "debug_stat counts $(debug_stat_field zram0 3) checksum errors, expected 2"
[ $(( $(io_stat_field zram0 1) - fr0 )) = 2 ] || fail "io_stat failed_reads did not count both"
# Everything else is intact.
for b in 0 4 6 15 16 19 21 31; do
	got=$(/tests/hzctl pread /dev/zram0 $((b * ps)) $ps)
	[ "$got" = ok ] || fail "undamaged block $b reads $got"
done
out=$(cat $dbg/verify)
info "verify after damage: $(echo $out)"
[ "${out%% *}" = 2 ] || fail "verify should find the 2 damaged blocks: $out"
# Nothing to damage in a never-written or same-filled block.
dd if=/dev/zero of=/dev/zram0 bs=$ps count=1 seek=$((nblk + 1)) oflag=direct 2>/dev/null
expect_errno ENOENT $dbg/corrupt $((nblk + 1))
expect_errno ENOENT $dbg/corrupt $((nblk + 2))
expect_errno EINVAL $dbg/corrupt 99999999
expect_errno EINVAL $dbg/corrupt "x"

# A rewrite stores a fresh object and checksum.
dd if=/tmp/csum/data of=/dev/zram0 bs=$ps oflag=direct 2>/dev/null
readback "after rewriting the damaged blocks"
out=$(cat $dbg/verify)
[ "${out%% *}" = 0 ] || fail "verify after the rewrite: $out"

# ext4 on top works with checksums on, and fsck agrees.
echo 1 > $z/reset
[ "$(cat $z/checksum)" = 0 ] || fail "reset kept checksum on"
echo 1 > $z/checksum
echo 64M > $z/disksize
ext4_roundtrip -f zram0 tree 8
out=$(cat $dbg/verify)
[ "${out%% *}" = 0 ] || fail "verify after ext4: $out"
echo 1 > $z/reset

# Off: the same flip in a raw block is silently returned as data.
echo 8M > $z/disksize
dd if=/tmp/csum/data of=/dev/zram0 bs=$ps oflag=direct 2>/dev/null
expect_errno ok $dbg/corrupt 20
dd if=/dev/zram0 of=/tmp/csum/back bs=$ps count=$nblk iflag=direct 2>/dev/null ||
	fail "reads failed with checksum off"
if cmp -s /tmp/csum/data /tmp/csum/back; then
	fail "the corrupt hook did not change block 20"
fi
[ "$(debug_stat_field zram0 3)" = 0 ] || fail "checksum errors counted with checksum off"
info "with checksum off the damaged block read back wrong, unnoticed"
echo 1 > $z/reset
unload_zram
info "checksum: 2 of 2 damaged objects caught (compressed and raw), others intact"
