# Load zram_kunit.ko (its suites run at load) and print each suite's KTAP
# from debugfs between markers; the host summarises them.
. /tests/lib.sh
load_zram
ls /sys/kernel/debug/kunit > /tmp/kunit.before 2>/dev/null || true
insmod /lib/modules/hzram/zram_kunit.ko
status=0
found=0
for d in /sys/kernel/debug/kunit/*; do
	s=$(basename "$d")
	grep -qx "$s" /tmp/kunit.before && continue
	found=$((found + 1))
	echo "HZ-KTAP-BEGIN $s"
	cat "$d/results"
	echo "HZ-KTAP-END $s"
	if ! tail -n 1 "$d/results" | grep -q "^ok "; then
		status=1
	fi
done
# The >4 GiB LPAE lane exists to put pool pages above 4 GiB: the highmem
# suite must have seen (and round-tripped data through) such a page.
if [ "${HZ_ABOVE4G:-0}" = 1 ]; then
	grep -q "above 4 GiB: yes" /sys/kernel/debug/kunit/hzs_highmem/results ||
		fail "no pool page above 4 GiB observed"
	info "pool pages above 4 GiB observed and round-tripped"
fi
rmmod zram_kunit
unload_zram
[ $found -gt 0 ] || fail "zram_kunit.ko ran no suite"
[ $status = 0 ] || fail "a KUnit suite failed"
