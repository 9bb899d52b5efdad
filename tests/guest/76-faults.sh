# Allocation failures: with failslab and fail_page_alloc failing a few
# percent of the workload's allocations (task filter: faultio's own thread
# only), every write and read either succeeds or fails with EIO/ENOMEM,
# every failure is counted in io_stat (the program's count must equal the
# failed_writes/failed_reads deltas), every block whose last write
# succeeded reads back its pattern, and nothing leaks or splats.
. /tests/lib.sh
if ! fi_available; then
	echo "skip: no /sys/kernel/debug/failslab (kernel without FAULT_INJECTION_DEBUG_FS + FAILSLAB + FAIL_PAGE_ALLOC)"
	exit 77
fi
load_zram
secs=$(stress_secs 20 90 40)
z=zram0
total=0
trap fi_off EXIT
for pct in 2 10; do
	echo 32M > /sys/block/$z/disksize
	fr0=$(io_stat_field $z 1)
	fw0=$(io_stat_field $z 2)
	ws0=$(debug_stat_field $z 1)
	fi_on $pct
	rc=0
	/tests/faultio -d /dev/$z -b 4096 -s "$secs" -F > /tmp/faultio.out 2>&1 || rc=$?
	fi_off
	cat /tmp/faultio.out
	fr=$(( $(io_stat_field $z 1) - fr0 ))
	fw=$(( $(io_stat_field $z 2) - fw0 ))
	ws=$(( $(debug_stat_field $z 1) - ws0 ))
	info "$pct%: io_stat failed_reads +$fr failed_writes +$fw, writestall +$ws"
	[ $rc = 0 ] || fail "faultio exit $rc at $pct%"
	o=/tmp/faultio.out
	werr=$(( $(kv write_eio $o) + $(kv write_enomem $o) ))
	rerr=$(( $(kv read_eio $o) + $(kv read_enomem $o) + $(kv final_read_errors $o) ))
	[ "$werr" = "$fw" ] || fail "$pct%: faultio saw $werr failed writes, io_stat counted $fw"
	[ "$rerr" = "$fr" ] || fail "$pct%: faultio saw $rerr failed reads, io_stat counted $fr"
	[ "$(kv verified $o)" -gt 0 ] || fail "$pct%: no block verified"
	faults=$((werr + rerr))
	info "$pct%: faults injected and seen as failed I/O: $faults ($werr writes, $rerr reads); $(kv verified $o) blocks verified"
	total=$((total + faults))
	reset_zram $z
done
[ $total -gt 0 ] || fail "no fault was injected into the driver's I/O path"
unload_zram
