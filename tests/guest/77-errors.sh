# Failures reach the user as upstream reports them, and are counted:
# - sizes are read as memparse() reads them (hex digits before a suffix:
#   "0x1e" is 30 bytes, not 2^60), and a huge mem_limit shows as what
#   is enforced, not as 0;
# - a write over mem_limit fails with EIO (an I/O error, as upstream),
#   is counted in failed_writes, and what was stored before is intact;
# - a block whose handle the allocator refuses (damaged with the test
#   hook) fails its read with EIO, compressed or raw, checksums off: it
#   is counted in failed_reads and logged with its sector, never read
#   back as zeroes; every other block still reads back exactly.
. /tests/lib.sh

require_hzram "the handle damage needs hzram's test hooks"
load_zram num_devices=1
z=/sys/block/zram0
hook=/sys/kernel/debug/zram/zram0/corrupt
mm_field() {
	awk -v n="$1" '{print $n}' $z/mm_stat
}

pg=$(page_size)
# The limit is kept in pages: the largest one is 2^52 pages of 4 KiB (or
# the matching count for larger pages), shown saturated below 2^64; on a
# 32-bit kernel the page count is an unsigned long, at most 2^32 - 1.
case "$(uname -m):$pg" in
x86_64:4096|aarch64:4096) max=18446744073709547520 ;;
aarch64:16384) max=18446744073709535232 ;;
aarch64:65536) max=18446744073709486080 ;;
*) max=$((4294967295 * pg)) ;;
esac
echo 0x1e > $z/mem_limit
[ "$(mm_field 4)" = "$pg" ] || fail "mem_limit 0x1e shows $(mm_field 4), want one page"
echo 0x1eM > $z/mem_limit
[ "$(mm_field 4)" = $((30 << 20)) ] || fail "mem_limit 0x1eM shows $(mm_field 4)"
echo 18446744073709551615 > $z/mem_limit
[ "$(mm_field 4)" = "$max" ] ||
	fail "mem_limit U64_MAX shows $(mm_field 4), want the enforced $max"
echo 0 > $z/mem_limit
info "sizes parse as memparse() does; mem_limit shows what is enforced"

echo 16M > $z/disksize
# Blocks (pages) 0-15 raw (random), block 100 compressed (text).
head -c $((16 * pg)) /dev/urandom > /tmp/keep
dd if=/tmp/keep of=/dev/zram0 bs=$((16 * pg)) oflag=direct conv=notrunc 2>/dev/null
yes "hzram text line for a compressed block" | head -c "$pg" > /tmp/text
dd if=/tmp/text of=/dev/zram0 bs="$pg" seek=100 oflag=direct conv=notrunc 2>/dev/null

# mem_limit at what is used now: the next object cannot be stored.
mm_field 3 > $z/mem_limit
fw=$(io_stat_field zram0 2)
got=$(/tests/hzctl pwriterand /dev/zram0 1048576 1048576)
[ "$got" = EIO ] || fail "write over mem_limit: $got, want EIO"
[ "$(io_stat_field zram0 2)" -gt "$fw" ] || fail "failed_writes did not count it"
echo 0 > $z/mem_limit
dd if=/dev/zram0 of=/tmp/back bs=$((16 * pg)) count=1 iflag=direct 2>/dev/null
cmp -s /tmp/keep /tmp/back || fail "data stored before the limit changed"
info "write over mem_limit: EIO, counted, earlier data intact"

for blk in 3 100; do
	fr=$(io_stat_field zram0 1)
	echo "handle $blk" > $hook
	got=$(/tests/hzctl pread /dev/zram0 $((blk * pg)) "$pg")
	[ "$got" = EIO ] || fail "block $blk with a refused handle read: $got, want EIO"
	[ "$(io_stat_field zram0 1)" = $((fr + 1)) ] ||
		fail "failed_reads did not count block $blk"
	dmesg | grep -q "zram0: read of sector $((blk * pg / 512)) (block $blk," ||
		fail "block $blk's failed read was not logged with its sector"
	# The other kind of block is untouched meanwhile.
	if [ "$blk" = 3 ]; then
		dd if=/dev/zram0 of=/tmp/back bs="$pg" skip=100 count=1 iflag=direct 2>/dev/null
		cmp -s /tmp/text /tmp/back || fail "block 100 changed"
	else
		dd if=/dev/zram0 of=/tmp/back bs=$((16 * pg)) count=1 iflag=direct 2>/dev/null
		cmp -s /tmp/keep /tmp/back || fail "raw blocks changed"
	fi
	echo "handle $blk" > $hook
done
dd if=/dev/zram0 of=/tmp/back bs=$((16 * pg)) count=1 iflag=direct 2>/dev/null
cmp -s /tmp/keep /tmp/back || fail "raw blocks differ after the repair"
dd if=/dev/zram0 of=/tmp/back bs="$pg" skip=100 count=1 iflag=direct 2>/dev/null
cmp -s /tmp/text /tmp/back || fail "the compressed block differs after the repair"
info "refused handles: EIO, counted and logged (raw and compressed); repaired, all data intact"
reset_zram zram0
unload_zram
