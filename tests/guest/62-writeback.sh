# Writeback end to end, to a loop block device and to a regular file on
# ext4, each with and without compressed_writeback and batching: known
# data is written, marked idle and written back by every selector (huge,
# idle, page_index, page_indexes, type=), bd_stat/mm_stat/block_state are
# checked at each stage, everything is read back and compared, frees
# give blocks back (verify checks the bitmap against bd_count), reset
# detaches the store. Then the attribute errors, writeback_limit, the
# backing files and devices that must be refused, and an ext4 filesystem
# on zram whose files are read back from written-back blocks.
. /tests/lib.sh
require_hzram "file backing, batching and compressed writeback are beyond upstream 6.12"
load_zram num_devices=2
z=/sys/block/zram0
dbg=/sys/kernel/debug/zram/zram0
ps=$(page_size)
u4k=$((ps / 4096))
nblk=96
mkdir -p /tmp/wb /mnt/bk

# Blocks 0..47 text, 48..79 random (stored raw: huge), 80..95 zeroes.
# Enough text for 48 blocks of 16K (no zero tail that would store as
# a fill pattern).
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "%s line %d: idle pages leave for the backing device\n", "wb", i }' > /tmp/wb/text
dd if=/tmp/wb/text of=/tmp/wb/data bs=$ps count=48 iflag=fullblock 2>/dev/null
dd if=/dev/urandom of=/tmp/wb/data bs=$ps count=32 seek=48 2>/dev/null
dd if=/dev/zero of=/tmp/wb/data bs=$ps count=16 seek=80 2>/dev/null
[ "$(stat -c %s /tmp/wb/data)" = $((ps * nblk)) ] || fail "test data size"

bd() {
	awk -v n="$1" '{print $n}' $z/bd_stat
}
# Written-back slots, from block_state's second flag column.
wcount() {
	awk 'substr($3, 2, 1) == "w"' $dbg/block_state | wc -l
}
is_wb() {
	awk -v b="$1" '$1 == b && substr($3, 2, 1) == "w" {f = 1} END {exit !f}' \
		$dbg/block_state
}
verify0() {
	out=$(cat $dbg/verify)
	[ "${out%% *}" = 0 ] || fail "verify ($1): $out"
}
readback() {
	dd if=/dev/zram0 of=/tmp/wb/back bs=$ps count=$nblk iflag=direct 2>/dev/null
	cmp /tmp/wb/data /tmp/wb/back || fail "read-back differs ($1)"
}
# put BLOCK [COUNT]: write BLOCK.. of the test data again.
put() {
	dd if=/tmp/wb/data of=/dev/zram0 bs=$ps skip=$1 seek=$1 count=${2:-1} \
		oflag=direct conv=notrunc 2>/dev/null
}

# backing KIND: set up a fresh store of KIND (dev, file) and print its path.
backing() {
	case $1 in
	dev)
		dd if=/dev/zero of=/tmp/wb/dev.img bs=1M count=16 2>/dev/null
		losetup /dev/loop0 /tmp/wb/dev.img
		echo /dev/loop0 ;;
	file)
		dd if=/dev/zero of=/tmp/wb/fs.img bs=1M count=40 2>/dev/null
		losetup /dev/loop1 /tmp/wb/fs.img
		mkfs.ext4 -q /dev/loop1
		mount /dev/loop1 /mnt/bk
		dd if=/dev/zero of=/mnt/bk/wbfile bs=1M count=16 2>/dev/null
		sync
		echo /mnt/bk/wbfile ;;
	esac
}

unbacking() {
	case $1 in
	dev) losetup -d /dev/loop0 ;;
	file) umount /mnt/bk; losetup -d /dev/loop1 ;;
	esac
}

[ "$(cat $z/backing_dev)" = none ] || fail "backing_dev is not none by default"
[ "$(cat $z/writeback_batch_size)" = 32 ] || fail "writeback_batch_size default"
[ "$(cat $z/compressed_writeback)" = 0 ] || fail "compressed_writeback default"
[ "$(cat $z/writeback_limit_enable)" = 0 ] || fail "writeback_limit_enable default"
set -- $(cat $z/bd_stat)
[ "$1 $2 $3" = "0 0 0" ] || fail "bd_stat before init: $*"
expect_errno EINVAL $z/writeback idle
expect_errno EINVAL $z/writeback_batch_size 0
expect_errno EINVAL $z/writeback_batch_size x
expect_errno EINVAL $z/compressed_writeback maybe
expect_errno EINVAL $z/compressed_writeback nosuch
expect_errno ok $z/compressed_writeback yes
[ "$(cat $z/compressed_writeback)" = 1 ] || fail "compressed_writeback yes"
expect_errno ok $z/compressed_writeback off
expect_errno EINVAL $z/writeback_limit -1
expect_errno EINVAL $z/writeback_limit_enable x
echo 4M > /sys/block/zram1/disksize
expect_errno ENODEV /sys/block/zram1/writeback idle
expect_errno EBUSY /sys/block/zram1/backing_dev /dev/null
reset_zram zram1

cases=0
for kind in dev file; do
	for mode in "0 1" "1 32"; do
		set -- $mode
		cw=$1 batch=$2
		path=$(backing $kind)
		info "$kind $path, compressed_writeback=$cw, batch $batch"
		echo $cw > $z/compressed_writeback
		echo $batch > $z/writeback_batch_size
		expect_errno ok $z/backing_dev "$path"
		[ "$(cat $z/backing_dev)" = "$path" ] || fail "backing_dev shows $(cat $z/backing_dev)"
		echo 8M > $z/disksize
		expect_errno EBUSY $z/backing_dev "$path"
		expect_errno EBUSY $z/compressed_writeback $cw
		dd if=/tmp/wb/data of=/dev/zram0 bs=$ps oflag=direct 2>/dev/null

		# huge: the 32 random blocks, nothing else.
		expect_errno ok $z/writeback huge
		[ "$(bd 1)" = $((32 * u4k)) ] || fail "bd_count after huge: $(bd 1)"
		[ "$(bd 3)" = $((32 * u4k)) ] || fail "bd_writes after huge: $(bd 3)"
		[ "$(wcount)" = 32 ] || fail "$(wcount) slots written back after huge"
		is_wb 48 && is_wb 79 && ! is_wb 0 || fail "huge chose the wrong blocks"
		set -- $(mm_stat zram0)
		[ "$8" = 0 ] || fail "huge_pages $8 after huge writeback"
		[ "$1" = $((nblk * ps)) ] || fail "orig_data_size $1: written-back pages are still stored"

		# idle: all but block 3, which is written after the marking.
		echo all > $z/idle
		put 3
		expect_errno ok $z/writeback type=idle
		[ "$(wcount)" = 79 ] || fail "$(wcount) slots written back after idle"
		is_wb 3 && fail "block 3 was not idle but was written back"
		is_wb 80 && fail "a zero page was written back"
		expect_errno ok $z/writeback page_index=3
		is_wb 3 || fail "page_index=3 was not written back"
		set -- $(mm_stat zram0)
		[ "$2" = 0 ] || fail "compr_data_size $2 with everything written back"
		[ "$6" = 16 ] || fail "same_pages $6"
		verify0 "all written back"
		r0=$(bd 2)
		readback "all written back"
		[ $(( $(bd 2) - r0 )) -ge $((80 * u4k)) ] || fail "bd_reads +$(( $(bd 2) - r0 ))"

		# Overwrites bring blocks back to memory and free theirs.
		put 10 10
		[ "$(bd 1)" = $((70 * u4k)) ] || fail "bd_count after overwrite: $(bd 1)"
		expect_errno ok $z/writeback "page_indexes=10-14 page_index=19"
		[ "$(wcount)" = 76 ] || fail "$(wcount) after page_indexes"
		is_wb 15 && fail "block 15 outside the range was written back"
		# Discard frees blocks.
		blkdiscard -o $((20 * ps)) -l $((10 * ps)) /dev/zram0
		[ "$(bd 1)" = $((66 * u4k)) ] || fail "bd_count after discard: $(bd 1)"
		verify0 "after overwrite and discard"
		dd if=/dev/zero of=/tmp/wb/data bs=$ps seek=20 count=10 conv=notrunc 2>/dev/null
		readback "after overwrite and discard"

		expect_errno EINVAL $z/writeback bogus
		expect_errno ERANGE $z/writeback page_index=$((8388608 / ps))
		expect_errno ERANGE $z/writeback page_indexes=5-2
		expect_errno EINVAL $z/writeback page_indexes=5
		if [ $kind = file ]; then
			# Held like a swap file.
			expect_errno ETXTBSY /mnt/bk/wbfile x
			truncate -s 0 /mnt/bk/wbfile 2>/dev/null && fail "truncate of the backing file"
			rm /mnt/bk/wbfile 2>/dev/null && fail "unlink of the backing file"
			[ "$(stat -c %s /mnt/bk/wbfile)" = $((16 << 20)) ] || fail "backing file size changed"
			expect_errno EBUSY /sys/block/zram1/backing_dev /mnt/bk/wbfile
		else
			expect_errno EBUSY /sys/block/zram1/backing_dev /dev/loop0
		fi
		reset_zram zram0
		[ "$(cat $z/backing_dev)" = none ] || fail "reset kept the backing device"
		set -- $(cat $z/bd_stat)
		[ "$1 $2 $3" = "0 0 0" ] || fail "bd_stat after reset: $*"
		if [ $kind = file ]; then
			echo again >> /mnt/bk/wbfile || fail "the backing file stayed locked after reset"
			rm /mnt/bk/wbfile
		fi
		unbacking $kind
		# Restore the blocks the discard zeroed in the reference data.
		dd if=/tmp/wb/text of=/tmp/wb/data bs=$ps skip=20 seek=20 count=10 conv=notrunc 2>/dev/null
		cases=$((cases + 1))
	done
done
info "$cases backing cases passed"

# What backing_dev must refuse, each with its errno and a log line.
path=$(backing file)
expect_errno ENOENT $z/backing_dev /nonexistent
expect_errno ENOTBLK $z/backing_dev /dev/null
truncate -s 8M /mnt/bk/sparse
expect_errno EINVAL $z/backing_dev /mnt/bk/sparse
dmesg | grep -q "cannot use /mnt/bk/sparse as backing_dev.*holes" || fail "no log line for the sparse file"
: > /mnt/bk/empty
expect_errno EINVAL $z/backing_dev /mnt/bk/empty
mkdir -p /mnt/t
mount -t tmpfs none /mnt/t
dd if=/dev/zero of=/mnt/t/f bs=1M count=4 2>/dev/null
expect_errno EINVAL $z/backing_dev /mnt/t/f
dmesg | grep -q "cannot use /mnt/t/f as backing_dev.*not on a block device" || fail "no log line for tmpfs"
umount /mnt/t
dd if=/dev/zero of=/mnt/bk/swapfile bs=1M count=4 2>/dev/null
mkswap /mnt/bk/swapfile > /dev/null
swapon /mnt/bk/swapfile
expect_errno EBUSY $z/backing_dev /mnt/bk/swapfile
swapoff /mnt/bk/swapfile
[ "$(cat $z/backing_dev)" = none ] || fail "a refused backing_dev stuck"

# writeback_limit: 4K units, charged per page, -EIO when used up.
expect_errno ok $z/backing_dev "$path"
echo 8M > $z/disksize
dd if=/tmp/wb/data of=/dev/zram0 bs=$ps oflag=direct 2>/dev/null
echo 1 > $z/writeback_limit_enable
echo $((3 * u4k)) > $z/writeback_limit
echo all > $z/idle
expect_errno EIO $z/writeback idle
[ "$(bd 1)" = $((3 * u4k)) ] || fail "bd_count $(bd 1) past writeback_limit"
[ "$(cat $z/writeback_limit)" = 0 ] || fail "writeback_limit left $(cat $z/writeback_limit)"
# Less than a page is no page (16K pages: 1 rounds down to 0).
echo 1 > $z/writeback_limit
[ "$(cat $z/writeback_limit)" = $((1 / u4k * u4k)) ] || fail "writeback_limit 1 reads $(cat $z/writeback_limit)"
echo 0 > $z/writeback_limit_enable
expect_errno ok $z/writeback idle
[ "$(bd 1)" = $((80 * u4k)) ] || fail "bd_count $(bd 1) with the limit off"
readback "after limited writeback"
reset_zram zram0

# A filesystem whose files come back from written-back blocks.
expect_errno ok $z/backing_dev "$path"
echo 24M > $z/disksize
ext4_roundtrip -k zram0 wbtree 6
umount /mnt
echo all > $z/idle
expect_errno ok $z/writeback idle
n=$(bd 1)
[ "$n" -gt 0 ] || fail "nothing of the filesystem was written back"
echo 3 > /proc/sys/vm/drop_caches
mount /dev/zram0 /mnt
check_tree /mnt/wbtree
umount /mnt
info "ext4 on zram0: $((n / u4k)) blocks written back and read back through files"
reset_zram zram0
unbacking file
unload_zram
