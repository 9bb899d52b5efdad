# Swap free vs read, the 2022 "Page N read from zram without previous
# write" shape: threads of one process share pages, so one thread's
# swap-in frees a slot (free-notify) while a sibling faults the same page.
# A memory cgroup far below the working set and a SMALL swap device that
# stays more than half full (vm_swap_full: swap-in frees slots at once)
# keep slots freed and reused all the time. memstress verifies every page
# it reads (generation-stamped patterns): any zero page or mismatch fails.
. /tests/lib.sh
load_zram
secs=$(stress_secs 60 300 120)
mib=$(tree_mib 96 64)
limit=$((mib / 4))
# Just room for what the cgroup pushes out, plus a little: >50% full.
disk=$((mib + mib / 6))
echo "${disk}M" > /sys/block/zram0/disksize
mkswap /dev/zram0 > /dev/null
swapon /dev/zram0
grep -q zram0 /proc/swaps || fail "swapon"
echo +memory > /sys/fs/cgroup/cgroup.subtree_control
mkdir -p /sys/fs/cgroup/hzrace
echo "${limit}M" > /sys/fs/cgroup/hzrace/memory.max
in0=$(vmstat pswpin)
out0=$(vmstat pswpout)
info "memstress ${mib} MiB, 4 threads, memory.max ${limit}M, swap ${disk}M, ${secs}s"
rc=0
sh -c "echo \$\$ > /sys/fs/cgroup/hzrace/cgroup.procs; exec /tests/memstress -m $mib -t 4 -s $secs" \
	> /tmp/race.out 2>&1 || rc=$?
cat /tmp/race.out
in1=$(vmstat pswpin)
out1=$(vmstat pswpout)
swapped=$(awk '/^Swap(Total|Free)/ {v[$1] = $2} END {print v["SwapTotal:"] - v["SwapFree:"]}' /proc/meminfo)
info "pswpin +$((in1 - in0)) pswpout +$((out1 - out0)); swap in use at the end ${swapped} kB"
info "io_stat (failed_reads failed_writes 0 notify_free): $(cat /sys/block/zram0/io_stat)"
info "debug_stat (writestall miss_free): $(tail -n 1 /sys/block/zram0/debug_stat)"
info "mm_stat: $(mm_stat zram0)"
[ $rc = 0 ] || fail "memstress exit $rc: pages lost or corrupted through swap"
verified=$(sed -n 's/.* verified=\([0-9]*\).*/\1/p' /tmp/race.out)
info "pages verified: $verified"
# The final sweep checks every page once; the workers must add to that.
pages=$((mib * 1048576 / $(page_size)))
[ "${verified:-0}" -gt $pages ] || fail "only ${verified:-0} page checks for $pages pages"
# Every page of the working set back from swap at least once on average,
# or too little was raced to prove anything.
[ $((in1 - in0)) -ge $pages ] || fail "too few swap-ins ($((in1 - in0)), want >= $pages)"
swapoff /dev/zram0
rmdir /sys/fs/cgroup/hzrace
reset_zram zram0
unload_zram
