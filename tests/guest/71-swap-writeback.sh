# Swap with writeback running beside it: the 70-swap-race workload
# (threads sharing pages through a small, busy swap device under a tight
# memory cgroup) while a loop marks everything idle and writes idle
# slots back every second. Pages then leave for the backing device while
# they are being swapped in, freed and reused. memstress verifies every
# page it reads (no zero page, no mismatch), some swap-ins must come
# from the backing device, and after swapoff every backing block must
# have been given back: only the swap header's block (and slots whose
# free notification was missed, counted) may remain written back, and
# bd_count and verify must agree with the slots.
. /tests/lib.sh
require_hzram "writeback beside swap checks hzram's verify and bitmap"
load_zram
z=/sys/block/zram0
# Smaller and shorter than 70's: swapoff at the end reads every page
# still written back from the backing device, one at a time.
secs=$(stress_secs 30 240 90)
mib=$(tree_mib 64 48)
disk=$((mib + mib / 6))
u4k=$(($(page_size) / 4096))
# A quarter of the working set, doubled on large-page lanes: with 16 KiB
# pages, 12 MiB is 768 pages, and swap-ins waiting on read-back from the
# backing device pin enough of them that the memory cgroup's reclaim
# gives up and its OOM killer ends memstress (seen on arm64-6.12-16k).
limit=$((mib / 4 * (u4k > 1 ? 2 : 1)))
mkdir -p /tmp/swb
dd if=/dev/zero of=/tmp/swb/back.img bs=1M count=$((disk + 8)) 2>/dev/null
losetup /dev/loop2 /tmp/swb/back.img
echo /dev/loop2 > $z/backing_dev
echo "${disk}M" > $z/disksize
mkswap /dev/zram0 > /dev/null
swapon /dev/zram0
echo +memory > /sys/fs/cgroup/cgroup.subtree_control
mkdir -p /sys/fs/cgroup/hzswb
echo "${limit}M" > /sys/fs/cgroup/hzswb/memory.max

# The writeback loop: every outcome recorded; only ok, or ENOSPC when
# the store is full, is acceptable.
: > /tmp/swb/rcs
(
	while [ ! -e /tmp/swb/stop ]; do
		echo all > $z/idle
		/tests/hzctl write $z/writeback idle >> /tmp/swb/rcs
		sleep 1
	done
) &
wbpid=$!
info "memstress ${mib} MiB, 4 threads, memory.max ${limit}M, swap ${disk}M with writeback every second, ${secs}s"
rc=0
sh -c "echo \$\$ > /sys/fs/cgroup/hzswb/cgroup.procs; exec /tests/memstress -m $mib -t 4 -s $secs" \
	> /tmp/swb/out 2>&1 || rc=$?
touch /tmp/swb/stop
wait $wbpid
cat /tmp/swb/out
set -- $(cat $z/bd_stat)
info "bd_stat (4K units: count reads writes): $*; writeback passes: $(wc -l < /tmp/swb/rcs) ($(sort /tmp/swb/rcs | uniq -c | tr '\n' ' '))"
info "io_stat: $(cat $z/io_stat); debug_stat: $(tail -n 1 $z/debug_stat)"
[ $rc = 0 ] || fail "memstress exit $rc: pages lost or corrupted through swap with writeback"
bad=$(grep -v -x -e ok -e ENOSPC /tmp/swb/rcs | sort -u | tr '\n' ' ')
[ -z "$bad" ] || fail "writeback answered: $bad"
[ "$3" -gt 0 ] || fail "nothing was written back"
[ "$2" -gt 0 ] || fail "no swap-in came from the backing device"
verified=$(sed -n 's/.* verified=\([0-9]*\).*/\1/p' /tmp/swb/out)
info "pages verified: $verified; pages written back: $(($3 / u4k)), read back: $(($2 / u4k))"
swapoff /dev/zram0
set -- $(cat $z/bd_stat)
wb=$(awk 'substr($3, 2, 1) == "w"' /sys/kernel/debug/zram/zram0/block_state | wc -l)
# A free notification that found its slot locked (a writeback or a
# read-back holding it) leaves the slot to the next write or reset, as
# upstream: it is counted in miss_free, and only such slots may remain.
miss=$(debug_stat_field zram0 2)
[ "$wb" -le $((1 + miss)) ] || fail "$wb slots still written back after swapoff ($miss free notifications missed)"
[ "$1" = $((wb * u4k)) ] || fail "bd_count $1 after swapoff with $wb written-back slots: blocks leaked"
rmdir /sys/fs/cgroup/hzswb
reset_zram zram0
losetup -d /dev/loop2
unload_zram
