# Swap on zram under a memory cgroup far below the working set: every page
# goes out and back several times and is verified each time.
. /tests/lib.sh
load_zram
echo 256M > /sys/block/zram0/disksize
mkswap /dev/zram0 > /dev/null
swapon /dev/zram0
grep -q zram0 /proc/swaps || fail "swapon"
echo +memory > /sys/fs/cgroup/cgroup.subtree_control
mkdir -p /sys/fs/cgroup/hz
# memory.high does the squeezing: the kernel reclaims (swaps out) down to
# it on every charge. memory.max only backstops it: a charge that hits max
# from inside the kernel (a futex wait touching a swapped-out page, say)
# fails with EFAULT instead of reclaiming, which glibc turns into an abort
# on slow emulated lanes. Both are far below the 128 MiB working set.
echo 32M > /sys/fs/cgroup/hz/memory.high
echo 64M > /sys/fs/cgroup/hz/memory.max
in0=$(awk '/^pswpin/ {print $2}' /proc/vmstat)
out0=$(awk '/^pswpout/ {print $2}' /proc/vmstat)
( while :; do cat /sys/block/zram0/mm_stat; sleep 1; done ) > /tmp/mm.log &
sampler=$!
# 70-swap-race is the long churn; this step proves the basic round trip.
secs=$(stress_secs 20 40 30)
if ! sh -c "echo \$\$ > /sys/fs/cgroup/hz/cgroup.procs; exec /tests/memstress -m 128 -t 3 -s $secs"; then
	kill $sampler
	echo "io_stat: $(cat /sys/block/zram0/io_stat)"
	echo "debug_stat: $(cat /sys/block/zram0/debug_stat)"
	cat /sys/fs/cgroup/hz/memory.events
	fail "memstress"
fi
kill $sampler
in1=$(awk '/^pswpin/ {print $2}' /proc/vmstat)
out1=$(awk '/^pswpout/ {print $2}' /proc/vmstat)
info "pswpin $((in1 - in0)) pswpout $((out1 - out0))"
[ $((in1 - in0)) -gt 1000 ] || fail "too few swap-ins to prove anything"
max=$(awk '$2 > m {m = $2} END {print m + 0}' /tmp/mm.log)
info "peak compr_data_size $max; last mm_stat $(tail -n 1 /tmp/mm.log)"
[ "$max" -gt 0 ] || fail "mm_stat never showed compressed data"
cat /sys/block/zram0/io_stat
swapoff /dev/zram0
rmdir /sys/fs/cgroup/hz
reset_zram zram0
unload_zram
