# Races: every interleaving must leave whole pages and a working device.
#  - several processes writing the same blocks while another reads them;
#  - discard (BLKDISCARD) against writes and reads;
#  - reset and hot_remove against openers, I/O and sysfs readers: EBUSY
#    while open, success once closed, never anything else;
#  - compaction in a tight loop under a verifying workload;
#  - CPU hotplug under a verifying workload (with 2+ CPUs);
#  - rmmod/insmod with configured devices holding data.
# hz-only: long (check-all; the CI set runs 70, 76 and 78 shortened)
. /tests/lib.sh
load_zram num_devices=1
short=$(stress_secs 6 30 15)
long=$(stress_secs 12 60 30)
z=/sys/block/zram0

echo 32M > $z/disksize
tinfo "same blocks, 4 writers + 1 reader, ${short}s"
/tests/blkrace same /dev/zram0 "$short" 4
tinfo "discard vs write vs read, ${short}s"
/tests/blkrace discard /dev/zram0 "$short"
info "io_stat $(cat $z/io_stat)"
reset_zram zram0

# reset/hot_remove: deterministic refusal while a holder has it open.
id=$(cat /sys/class/zram-control/hot_add)
d=/sys/block/zram$id
echo 16M > $d/disksize
sleep 1000 < /dev/zram$id &
holder=$!
n=0
until [ "$(readlink /proc/$holder/fd/0)" = /dev/zram$id ]; do
	n=$((n + 1))
	[ $n -lt 100 ] || fail "holder never opened /dev/zram$id"
	sleep 0.1
done
expect_errno EBUSY $d/reset 1
expect_errno EBUSY /sys/class/zram-control/hot_remove "$id"
[ "$(cat $d/initstate)" = 1 ] || fail "refused reset reset zram$id"
kill $holder
wait $holder 2> /dev/null || true
expect_errno ok $d/reset 1

# Now racing: openers doing I/O and sysfs readers against reset and
# hot_remove. Every answer must be ok or EBUSY; the device must go.
cycles=$(stress_secs 5 30 15)
ok=0 busy=0 i=0
while [ $i -lt "$cycles" ]; do
	echo 16M > $d/disksize
	/tests/blkrace open /dev/zram$id 2 > /tmp/open.out &
	opener=$!
	( while [ -d $d ]; do cat $d/* > /dev/null 2>&1; done ) &
	reader=$!
	n=0
	while [ $n -lt 10 ]; do
		r=$(/tests/hzctl write $d/reset 1)
		case $r in
		ok) ok=$((ok + 1)) ;;
		EBUSY) busy=$((busy + 1)) ;;
		*) fail "reset while racing: $r" ;;
		esac
		r=$(/tests/hzctl write $d/disksize 16M)
		case $r in ok|EBUSY) ;; *) fail "disksize while racing: $r" ;; esac
		n=$((n + 1))
	done
	# hot_remove until it goes; the opener may hold it for a moment.
	n=0
	while :; do
		r=$(/tests/hzctl write /sys/class/zram-control/hot_remove "$id")
		case $r in
		ok) break ;;
		EBUSY) busy=$((busy + 1)) ;;
		*) fail "hot_remove while racing: $r" ;;
		esac
		n=$((n + 1))
		[ $n -lt 500 ] || fail "hot_remove stayed EBUSY"
	done
	wait $opener || fail "opener: $(cat /tmp/open.out)"
	kill $reader 2> /dev/null || true
	wait $reader 2> /dev/null || true
	[ ! -e $d ] || fail "zram$id still there after hot_remove"
	id=$(cat /sys/class/zram-control/hot_add)
	d=/sys/block/zram$id
	i=$((i + 1))
done
expect_errno ok /sys/class/zram-control/hot_remove "$id"
tinfo "reset/hot_remove races: $cycles cycles, $ok resets done, $busy EBUSY answers"

# Compaction in a tight loop while a verifier writes, discards, reads.
echo 48M > $z/disksize
rm -f /tmp/stop /tmp/compacts
( n=0; while [ ! -e /tmp/stop ]; do echo 1 > $z/compact || exit 1; n=$((n + 1)); done; echo $n > /tmp/compacts ) &
compactor=$!
/tests/blkrace verify /dev/zram0 "$long" 2
touch /tmp/stop
wait $compactor || fail "compact failed under load"
tinfo "compact: $(cat /tmp/compacts) runs; mm_stat $(mm_stat zram0)"
[ "$(cat /tmp/compacts)" -gt 0 ] || fail "compact never ran"
reset_zram zram0

# CPU hotplug under I/O: per-CPU compression state must follow.
cpu=/sys/devices/system/cpu/cpu1/online
if [ "$(nproc)" -ge 2 ] && [ -e $cpu ]; then
	echo 48M > $z/disksize
	/tests/blkrace verify /dev/zram0 "$long" 2 > /tmp/verify.out &
	verifier=$!
	flips=0
	while kill -0 $verifier 2> /dev/null; do
		echo 0 > $cpu
		echo 1 > $cpu
		flips=$((flips + 1))
		[ $flips -lt 1000 ] || break
	done
	wait $verifier || { cat /tmp/verify.out; fail "verifier under CPU hotplug"; }
	cat /tmp/verify.out
	[ "$(cat $cpu)" = 1 ] || fail "cpu1 left offline"
	tinfo "cpu1 offlined and onlined $flips times under I/O"
	[ $flips -gt 0 ] || fail "no hotplug happened"
	reset_zram zram0
else
	info "note: CPU hotplug part skipped ($(nproc) CPUs, $cpu $( [ -e $cpu ] && echo present || echo absent))"
fi
unload_zram

# rmmod/insmod with configured devices holding data.
rounds=50
[ "${HZ_QUICK:-0}" = 1 ] && [ "${HZ_LONG:-0}" != 1 ] && rounds=10
i=0
while [ $i -lt $rounds ]; do
	load_zram num_devices=2
	echo 16M > /sys/block/zram0/disksize
	echo 8M > /sys/block/zram1/disksize
	id=$(cat /sys/class/zram-control/hot_add)
	echo 4M > /sys/block/zram$id/disksize
	dd if=/bin/busybox of=/dev/zram0 bs=64k count=2 2> /dev/null
	dd if=/bin/busybox of=/dev/zram1 bs=4k count=4 2> /dev/null
	dd if=/bin/busybox of=/dev/zram$id bs=4k count=4 2> /dev/null
	cmp -n 131072 /bin/busybox /dev/zram0 || fail "round $i: data"
	rmmod zram || fail "round $i: rmmod with configured devices"
	[ ! -e /sys/class/zram-control ] || fail "round $i: zram-control survived rmmod"
	i=$((i + 1))
done
tinfo "rmmod/insmod with 3 configured devices: $rounds rounds"
