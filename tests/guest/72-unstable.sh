# Unstable pages: data changing while it is being stored must never hurt
# other data. unstable.c writes a buffer with O_DIRECT that another thread
# keeps rewriting, plus untouched control blocks, with the allocator's
# slow and failure paths forced (fault injection on the writer thread
# where the kernel has it, memory pressure otherwise); every control block
# must read back exactly and every block must stay readable. Then swap-out
# of pages being stored to at that very moment (memstress with
# MADV_PAGEOUT, its evicting thread under fault injection too).
# hz-only: long (check-all; the CI set runs 70, 76 and 78 shortened)
. /tests/lib.sh
load_zram
secs=$(stress_secs 30 120 60)
echo 64M > /sys/block/zram0/disksize
ws0=$(debug_stat_field zram0 1)
fw0=$(io_stat_field zram0 2)
trap fi_off EXIT
if fi_available; then
	mode="fault injection (failslab + fail_page_alloc, 10%, writer thread only)"
	fi_on 10
	flag=-F
else
	# No fault injection (stock kernels): hold most free memory in a
	# tmpfs (unreclaimable without swap) so the pool grows near the
	# watermarks. Best effort: the slow path is not guaranteed here.
	avail=$(awk '/^MemAvailable:/ {print int($2 / 1024)}' /proc/meminfo)
	hog=$((avail - 192))
	mode="memory pressure (${hog} MiB held in tmpfs, ${avail} MiB were available)"
	mkdir -p /tmp/hog
	mount -t tmpfs -o size=${hog}m hog /tmp/hog
	dd if=/dev/zero of=/tmp/hog/fill bs=1M count=$hog 2> /dev/null || true
	flag=
fi
info "unstable: ${secs}s under $mode"
rc=0
/tests/unstable -d /dev/zram0 -b 8192 -s "$secs" $flag > /tmp/unstable.out 2>&1 || rc=$?
fi_off
if [ -z "$flag" ]; then
	umount /tmp/hog
fi
cat /tmp/unstable.out
ws=$(( $(debug_stat_field zram0 1) - ws0 ))
fw=$(( $(io_stat_field zram0 2) - fw0 ))
info "writestall +$ws, failed_writes +$fw; io_stat $(cat /sys/block/zram0/io_stat)"
info "mm_stat: $(mm_stat zram0)"
[ $rc = 0 ] || fail "unstable exit $rc"
ok=$(kv ok /tmp/unstable.out)
verified=$(kv verified /tmp/unstable.out)
ustab=$(kv unstable_ok /tmp/unstable.out)
[ "${verified:-0}" -gt 0 ] && [ "${ustab:-0}" -gt 0 ] || fail "no control or no unstable writes landed"
errs=$(( $(kv eio /tmp/unstable.out) + $(kv enomem /tmp/unstable.out) ))
[ "$errs" = "$fw" ] || fail "the writer saw $errs failed writes, io_stat counted $fw"
if [ -n "$flag" ] && [ $((ws + errs)) = 0 ]; then
	fail "fault injection on, yet no write stalled or failed"
fi
info "$ok writes landed, $errs failed cleanly, $verified control blocks verified"

# reset_zram runs the driver's and allocator's consistency check.
reset_zram zram0

# Swap-out racing stores: MADV_PAGEOUT on pages the workers rewrite.
echo 64M > /sys/block/zram0/disksize
mkswap /dev/zram0 > /dev/null
swapon /dev/zram0
echo +memory > /sys/fs/cgroup/cgroup.subtree_control
mkdir -p /sys/fs/cgroup/hzunstable
echo 16M > /sys/fs/cgroup/hzunstable/memory.max
[ -n "$flag" ] && fi_on 10
out0=$(vmstat pswpout)
ssecs=$(stress_secs 15 60 30)
rc=0
sh -c "echo \$\$ > /sys/fs/cgroup/hzunstable/cgroup.procs; exec /tests/memstress -m 48 -t 3 -s $ssecs $flag" \
	> /tmp/ms.out 2>&1 || rc=$?
fi_off
cat /tmp/ms.out
info "pswpout +$(( $(vmstat pswpout) - out0 )); io_stat $(cat /sys/block/zram0/io_stat); debug_stat $(tail -n 1 /sys/block/zram0/debug_stat)"
[ $rc = 0 ] || fail "memstress exit $rc"
[ $(( $(vmstat pswpout) - out0 )) -gt 1000 ] || fail "too few swap-outs"
swapoff /dev/zram0
rmdir /sys/fs/cgroup/hzunstable
reset_zram zram0
unload_zram
