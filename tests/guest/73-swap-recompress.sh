# Swap with recompression running beside it: the 70-swap-race workload
# (threads sharing pages through a small, busy swap device under a tight
# memory cgroup; every page read is verified, no zero page, no mismatch)
# on an lz4 device with zstd as secondary, while a loop marks everything
# idle and recompresses every second (type=idle, then huge, then a
# max_pages pass). Slots are recompressed while they are swapped in,
# freed and reused. Every pass must succeed, some slots must have been
# recompressed, and verify must agree with the slots at the end.
. /tests/lib.sh
require_hzram "recompression beside swap checks hzram's verify"
load_zram
z=/sys/block/zram0
secs=$(stress_secs 30 240 90)
mib=$(tree_mib 64 48)
limit=$((mib / 4))
disk=$((mib + mib / 6))
mkdir -p /tmp/src
echo lz4 > $z/comp_algorithm
echo 'algo=zstd priority=1' > $z/recomp_algorithm
echo "${disk}M" > $z/disksize
mkswap /dev/zram0 > /dev/null
swapon /dev/zram0
echo +memory > /sys/fs/cgroup/cgroup.subtree_control
mkdir -p /sys/fs/cgroup/hzsrc
echo "${limit}M" > /sys/fs/cgroup/hzsrc/memory.max

# The recompression loop: every outcome recorded, and the most slots
# seen recompressed or marked incompressible at once (block_state's r
# and n columns: memstress pages are half random, so zstd seldom beats
# lz4 by a size class and most tries end marked n) kept.
: > /tmp/src/rcs
echo 0 > /tmp/src/rmax
(
	n=0
	while [ ! -e /tmp/src/stop ]; do
		echo all > $z/idle
		case $((n % 3)) in
		0) req=type=idle ;;
		1) req=type=huge ;;
		2) req=max_pages=256 ;;
		esac
		/tests/hzctl write $z/recompress "$req" >> /tmp/src/rcs
		r=$(awk 'substr($3, 5, 2) != ".."' /sys/kernel/debug/zram/zram0/block_state | wc -l)
		[ "$r" -le "$(cat /tmp/src/rmax)" ] || echo "$r" > /tmp/src/rmax
		n=$((n + 1))
		sleep 1
	done
) &
rcpid=$!
info "memstress ${mib} MiB, 4 threads, memory.max ${limit}M, swap ${disk}M (lz4, zstd secondary) with recompression every second, ${secs}s"
rc=0
sh -c "echo \$\$ > /sys/fs/cgroup/hzsrc/cgroup.procs; exec /tests/memstress -m $mib -t 4 -s $secs" \
	> /tmp/src/out 2>&1 || rc=$?
touch /tmp/src/stop
wait $rcpid
cat /tmp/src/out
info "recompress passes: $(wc -l < /tmp/src/rcs) ($(sort /tmp/src/rcs | uniq -c | tr '\n' ' ')); most slots tried at once: $(cat /tmp/src/rmax)"
info "io_stat: $(cat $z/io_stat); debug_stat: $(tail -n 1 $z/debug_stat); mm_stat: $(mm_stat zram0)"
[ $rc = 0 ] || fail "memstress exit $rc: pages lost or corrupted through swap with recompression"
# ENOMEM is a pass that found no memory without reclaim (it keeps the
# old objects); anything else, EIO above all, is a failure.
bad=$(grep -v -x -e ok -e ENOMEM /tmp/src/rcs | sort -u | tr '\n' ' ')
[ -z "$bad" ] || fail "recompress answered: $bad"
[ "$(grep -c -x ok /tmp/src/rcs)" -ge 3 ] || fail "fewer than 3 recompression passes succeeded"
[ "$(cat /tmp/src/rmax)" -gt 100 ] || fail "only $(cat /tmp/src/rmax) slots tried at once"
verified=$(sed -n 's/.* verified=\([0-9]*\).*/\1/p' /tmp/src/out)
info "pages verified: $verified"
pages=$((mib * 1048576 / $(page_size)))
[ "${verified:-0}" -gt $pages ] || fail "only ${verified:-0} page checks for $pages pages"
swapoff /dev/zram0
rmdir /sys/fs/cgroup/hzsrc
reset_zram zram0
unload_zram
