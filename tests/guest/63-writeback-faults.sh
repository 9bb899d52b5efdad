# A failing backing device (fail_make_request on its loop device):
# a writeback whose writes fail reports EIO, leaves every page in memory,
# counts the failures (debug_stat field 4) and logs them; a read of a
# written-back block whose read fails gives EIO for that block only,
# counted in failed_reads (io_stat) and debug_stat field 5, while every
# other block still reads back. Once the device heals, everything reads
# back exactly, the failed pages write back, and verify is clean.
. /tests/lib.sh
require_hzram "backing fault accounting (debug_stat) is hzram's"
fmr=/sys/kernel/debug/fail_make_request
if [ ! -d $fmr ]; then
	echo "skip: no $fmr (kernel without FAIL_MAKE_REQUEST)"
	exit 77
fi
load_zram
z=/sys/block/zram0
dbg=/sys/kernel/debug/zram/zram0
ps=$(page_size)
u4k=$((ps / 4096))
mkdir -p /tmp/wbf
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "%s line %d: idle pages leave for the backing device\n", "wb", i }' > /tmp/wbf/text
dd if=/tmp/wbf/text of=/tmp/wbf/data bs=$ps count=32 iflag=fullblock 2>/dev/null
dd if=/dev/urandom of=/tmp/wbf/data bs=$ps count=32 seek=32 2>/dev/null
dd if=/dev/zero of=/tmp/wbf/dev.img bs=1M count=8 2>/dev/null
losetup /dev/loop3 /tmp/wbf/dev.img

fail_on() {
	echo 100 > $fmr/probability
	echo -1 > $fmr/times
	echo 1 > $fmr/interval
	echo 0 > $fmr/verbose
	echo 1 > /sys/block/loop3/make-it-fail
}
fail_off() {
	echo 0 > /sys/block/loop3/make-it-fail
	echo 0 > $fmr/probability
}
trap fail_off EXIT
bd() {
	awk -v n="$1" '{print $n}' $z/bd_stat
}
readback() {
	dd if=/dev/zram0 of=/tmp/wbf/back bs=$ps count=64 iflag=direct 2>/dev/null
	cmp /tmp/wbf/data /tmp/wbf/back || fail "read-back differs ($1)"
}

injected=0
for batch in 1 32; do
	echo $batch > $z/writeback_batch_size
	echo /dev/loop3 > $z/backing_dev
	echo 4M > $z/disksize
	dd if=/tmp/wbf/data of=/dev/zram0 bs=$ps oflag=direct 2>/dev/null
	# The first half goes out while the device is healthy.
	expect_errno ok $z/writeback page_indexes=0-15
	[ "$(bd 1)" = $((16 * u4k)) ] || fail "bd_count $(bd 1)"

	# Writes fail: EIO, nothing leaves memory, nothing is lost.
	we0=$(debug_stat_field zram0 4)
	fail_on
	expect_errno EIO $z/writeback page_indexes=16-63
	fail_off
	we=$(( $(debug_stat_field zram0 4) - we0 ))
	[ "$we" = 48 ] || fail "debug_stat counts $we failed writebacks, expected 48"
	injected=$((injected + we))
	[ "$(bd 1)" = $((16 * u4k)) ] || fail "bd_count $(bd 1) after failed writes"
	dmesg | grep -q "zram0: writeback of block .* failed (-5); it stays in memory" ||
		fail "no log line for a failed writeback"
	readback "after failed writes"

	# Reads fail: that block only, EIO, counted.
	fr0=$(io_stat_field zram0 1)
	re0=$(debug_stat_field zram0 5)
	fail_on
	got=$(/tests/hzctl pread /dev/zram0 $((5 * ps)) $ps)
	[ "$got" = EIO ] || fail "read of a written-back block on a failing device: $got"
	got=$(/tests/hzctl pread /dev/zram0 $((40 * ps)) $ps)
	[ "$got" = ok ] || fail "read of an in-memory block: $got"
	fail_off
	[ $(( $(io_stat_field zram0 1) - fr0 )) -ge 1 ] || fail "failed_reads did not count the EIO"
	re=$(( $(debug_stat_field zram0 5) - re0 ))
	[ "$re" -ge 1 ] || fail "debug_stat does not count the failed read"
	injected=$((injected + re))
	dmesg | grep -q "zram0: read of sector $((5 * ps / 512)) (block 5, .*backing device failed the read" ||
		fail "no log line naming the failed block"

	# Healed: everything reads back, the rest writes back, verify clean.
	readback "after the device healed"
	expect_errno ok $z/writeback page_indexes=16-63
	[ "$(bd 1)" = $((64 * u4k)) ] || fail "bd_count $(bd 1) after healing"
	readback "all written back"
	reset_zram zram0
done
info "$injected backing faults injected and accounted"
losetup -d /dev/loop3
unload_zram
