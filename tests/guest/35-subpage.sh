# Sub-page I/O: 4 KiB blocks (zram's logical block size) in pages that
# may be larger, 16 KiB on arm64-6.12-16k. There every 4 KiB write is a
# read-modify-write of a whole slot under its lock, every 4 KiB read a
# copy out of a decompressed page, and write-zeroes/discard of part of a
# page a special case. With 4 KiB pages the same checks run on whole
# pages. tests/guest/subpage.c does the I/O (O_DIRECT) and the checking:
#  - poke: one 4 KiB write to block 1 of a fresh device; its page's other
#    blocks read zeroes;
#  - fill: every block in a scrambled order, mixed generations, ragged
#    multi-block writes; each block read on its own, then large reads;
#  - race: one writer per block position in a page, rewriting with rising
#    generations, and a reader; a lost update (upstream's unlocked
#    read-modify-write) shows up as a stale generation;
#  - zero: BLKZEROOUT/BLKDISCARD of single blocks at every position in a
#    page, whole pages and ragged ranges; neighbours intact.
# Compressible, incompressible (raw) and mixed pages throughout.
# Every mode runs even if an earlier one failed (to see everything the
# in-tree zram gets wrong); any failure fails the step at the end.
. /tests/lib.sh
load_zram num_devices=1
z=/sys/block/zram0
ps=$(page_size)
bpp=$((ps / 4096))
secs=$(stress_secs 5 30 15)
threads=4
[ "$bpp" -gt 4 ] && threads=$bpp
if [ "$ps" -gt 4096 ]; then
	info "sub-page lane: page_size $ps, $bpp 4 KiB blocks per page; 4 KiB I/O takes the partial path"
else
	info "no sub-page pages on this lane (page_size $ps): the same checks run on whole pages"
fi

echo 4M > $z/disksize
lbs=$(cat $z/queue/logical_block_size)
[ "$lbs" = 4096 ] || fail "logical_block_size $lbs, expected 4096"
# 0: the driver takes no write-zeroes, BLKZEROOUT writes zero blocks
# instead (upstream with pages > 4 KiB); otherwise zram_bio_discard()
# gets them, ragged ends included.
info "write_zeroes_max_bytes $(cat $z/queue/write_zeroes_max_bytes)"

failed=""
# subpage NAME ARGS...: run one mode, show its output, remember a failure.
subpage() {
	name=$1
	shift
	if /tests/subpage "$name" /dev/zram0 "$@" > /tmp/subpage-$name.out 2>&1; then
		cat /tmp/subpage-$name.out
	else
		cat /tmp/subpage-$name.out
		info "subpage $name failed"
		failed="$failed $name"
	fi
}

# One 4 KiB write request (8 sectors) must leave exactly one stored page
# (orig_data_size = page_size) holding it at its offset, the rest of the
# page zeroes. With page_size > 4096 that is the partial-write path: the
# assertion this lane makes about it.
set -- $(cat $z/stat)
w0=$5 s0=$7
subpage poke 1
set -- $(cat $z/stat)
[ $(($5 - w0)) = 1 ] && [ $(($7 - s0)) = 8 ] ||
	fail "poke: expected 1 write of 8 sectors in $z/stat, got $(($5 - w0)) of $(($7 - s0))"
set -- $(mm_stat zram0)
[ "$1" = "$ps" ] || fail "one 4 KiB write stored $1 bytes (orig_data_size), expected one page of $ps"
info "one 8-sector write stored one $ps-byte page (orig_data_size $1)"

subpage fill
tinfo "fill done; mm_stat $(mm_stat zram0)"

set -- $(mm_stat zram0)
since0=$9
subpage race "$secs" "$threads"
set -- $(mm_stat zram0)
pages=$(($1 / ps))
tinfo "race done; mm_stat $*"
# The race writes 4 KiB blocks only: on a sub-page lane every raw (huge)
# slot it made came out of a read-modify-write, and the compressible
# pages must still be compressed ones.
[ $(($9 - since0)) -gt 0 ] || fail "race: no raw (huge) slot written (huge_pages_since $since0 -> $9)"
[ "$8" -gt 0 ] && [ "$8" -lt "$pages" ] ||
	fail "race: expected both raw and compressed slots, huge_pages $8 of $pages"
[ "$2" -lt "$1" ] || fail "race: nothing compressed: orig $1 compr $2"

subpage zero
info "io_stat $(cat $z/io_stat)"

# count KEY MODE: KEY from that mode's summary line, 0 if it has none.
count() {
	v=$(kv "$1" "/tmp/subpage-$2.out")
	echo "${v:-0}"
}
echo "subpage: page_size=$ps page_blocks=$bpp threads=$threads secs=$secs" \
	"fill_verified=$(count verified fill)" \
	"race_writes=$(count writes race) race_reads=$(count reads race)" \
	"race_verified=$(count verified race)" \
	"stale_reads=$(count stale_reads race) stale=$(count stale race)" \
	"zeroed=$(count zeroed zero) discard_kept=$(count discard_kept zero)" \
	"discard_zeroed=$(count discard_zeroed zero)" \
	"mismatches=$(($(count mismatches poke) + $(count mismatches fill) + $(count mismatches race) + $(count mismatches zero)))"
[ -z "$failed" ] || fail "subpage:$failed"
reset_zram zram0
unload_zram
