# A sparse device: LTP zram02's swap device (disksize 100G, mem_limit
# 1M, mkswap, swapon, swapoff) on every lane, arm32 HIGHMEM included,
# where a flat slot table of 100G does not fit in vmalloc space. The
# slot table's chunks come with the first write to each, so what the
# device costs (mm_stat's mem_used_total, chunks included) follows what
# is stored, not disksize.
. /tests/lib.sh
require_hzram "slot table chunks and the verify file are hzram's"
load_zram
ps=$(page_size)
verify=/sys/kernel/debug/zram/zram0/verify

# mm_stat field N of zram0 (3 mem_used_total, 4 mem_limit, 5 mem_used_max).
mmf() {
	awk -v n="$1" '{print $n}' /sys/block/zram0/mm_stat
}

# chunks: the slot table chunks verify counts (and checks against the
# device's counter); verify must find nothing wrong.
chunks() {
	out=$(cat "$verify")
	[ "${out%% *}" = 0 ] || fail "verify: $(echo $out)"
	echo "$out" | sed -n 's/.* chunks \([0-9]*\).*/\1/p'
}

# chunk_bytes: what one chunk costs (kmalloc's size of it), from verify.
chunk_bytes() {
	sed -n 's/.* chunk_bytes \([0-9]*\).*/\1/p' "$verify"
}

# check_mem WHEN: on a quiet device, mm_stat's mem_used_total is exactly
# the pool's pages and the chunks verify counts, rounded up to pages.
check_mem() {
	v=$(cat "$verify")
	[ "${v%% *}" = 0 ] || fail "$1: verify: $(echo $v)"
	n=$(echo "$v" | sed -n 's/.* chunks \([0-9]*\).*/\1/p')
	b=$(echo "$v" | sed -n 's/.* chunk_bytes \([0-9]*\).*/\1/p')
	p=$(echo "$v" | sed -n 's/.* pool_pages \([0-9]*\).*/\1/p')
	want=$(( (p + (n * b + ps - 1) / ps) * ps ))
	[ "$(mmf 3)" = "$want" ] ||
		fail "$1: mem_used_total $(mmf 3), want $want ($p pool pages, $n chunks of $b bytes)"
}

# ---- a mostly empty device costs almost nothing ----
echo 100G > /sys/block/zram0/disksize || fail "disksize 100G refused"
[ "$(cat /sys/block/zram0/disksize)" = 107374182400 ] || fail "disksize"
empty=$(mmf 3)
[ "$(chunks)" = 0 ] || fail "a new device has chunks"
info "100G, empty: mem_used_total $empty"
# The pool's own structures only: no part of it grows with disksize.
# Sixteen pages: 64 KiB with 4K pages. With 16K pages the pool has four
# times the size classes (16-byte steps) and rounds its metadata up to
# 16 KiB pages, so the same bound is 256 KiB there.
psz=$(page_size)
[ "$empty" -le $((16 * psz)) ] ||
	fail "an empty 100G device uses $empty bytes (bound $((16 * psz)))"

# Reads anywhere return zeroes and allocate nothing.
for blk in 0 1000 $((50 * 1024 * 1024 * 1024 / ps)) $((100 * 1024 * 1024 * 1024 / ps - 1)); do
	got=$(dd if=/dev/zram0 bs="$ps" skip="$blk" count=1 2>/dev/null | tr -d '\0' | wc -c)
	[ "$got" = 0 ] || fail "block $blk of a new device reads $got non-zero bytes"
done
[ "$(chunks)" = 0 ] || fail "reads allocated chunks"
[ "$(mmf 3)" = "$empty" ] || fail "reads changed mem_used_total: $(mmf 3)"

# One write in the middle: one chunk and one object, a handful of pages.
mid=$((50 * 1024 * 1024 * 1024 / ps))
head -c "$ps" /bin/busybox > /tmp/blk
dd if=/tmp/blk of=/dev/zram0 bs="$ps" seek="$mid" count=1 conv=fsync 2>/dev/null
one=$(mmf 3)
[ "$(chunks)" = 1 ] || fail "one write: $(chunks) chunks"
info "100G, one block written: mem_used_total $one (+$(( (one - empty) / ps )) pages)"
# The chunk, rounded up to pages, and at least a pool page for the object.
cb=$(chunk_bytes)
info "a chunk: $cb bytes"
[ "$cb" -gt 0 ] || fail "no chunk size in verify"
[ $((one - empty)) -ge $(( ((cb + ps - 1) / ps + 1) * ps )) ] ||
	fail "the chunk ($cb bytes) or the object went uncounted: +$((one - empty))"
[ $((one - empty)) -le $((12 * ps)) ] || fail "one block costs $((one - empty)) bytes"
check_mem "one block written"
dd if=/dev/zram0 of=/tmp/blk2 bs="$ps" skip="$mid" count=1 2>/dev/null
cmp /tmp/blk /tmp/blk2 || fail "the block did not read back"
reset_zram zram0

# ---- LTP zram02: a 100G swap device under a 1M mem_limit ----
echo 2 > /sys/block/zram0/max_comp_streams
echo 100G > /sys/block/zram0/disksize || fail "disksize 100G refused"
echo 1M > /sys/block/zram0/mem_limit
[ "$(mmf 4)" = 1048576 ] || fail "mem_limit: $(mmf 4)"
mkswap /dev/zram0 > /dev/null || fail "mkswap"
info "after mkswap: mm_stat $(mm_stat zram0); chunks $(chunks)"
check_mem "after mkswap"
mkswap_used=$(mmf 3)
[ "$mkswap_used" -le 1048576 ] || fail "mkswap went past mem_limit: $mkswap_used"
swapon /dev/zram0 || fail "swapon"
grep -q zram0 /proc/swaps || fail "swapon: not in /proc/swaps"
out0=$(vmstat pswpout)
# Pages pushed out with MADV_PAGEOUT, checked when they come back. Writes
# past the limit fail (the pages stay in memory); nothing may be lost.
/tests/memstress -m 8 -t 2 -s 5 > /tmp/ms.out || { cat /tmp/ms.out; fail "memstress"; }
info "$(cat /tmp/ms.out)"
info "pswpout $(( $(vmstat pswpout) - out0 )); mm_stat $(mm_stat zram0); io_stat $(cat /sys/block/zram0/io_stat)"
[ $(( $(vmstat pswpout) - out0 )) -gt 0 ] || fail "nothing was swapped out"
[ "$(mmf 5)" -gt "$mkswap_used" ] || fail "no swapped-out page was stored"
[ "$(mmf 5)" -le 1048576 ] || fail "mem_used_max $(mmf 5) past the 1M limit"
n=$(chunks)
info "after the swap test: mem_used_total $(mmf 3), mem_used_max $(mmf 5); chunks $n"
[ "$(mmf 3)" -ge $(( (n * cb + ps - 1) / ps * ps )) ] ||
	fail "mem_used_total $(mmf 3) does not cover $n chunks of $cb bytes"
check_mem "after the swap test"
swapoff /dev/zram0 || fail "swapoff"
check_mem "after swapoff"
[ "$(mmf 3)" -le 1048576 ] || fail "mem_used_total $(mmf 3) past the 1M limit"
info "after swapoff: mm_stat $(mm_stat zram0); chunks $(chunks)"
reset_zram zram0
unload_zram
