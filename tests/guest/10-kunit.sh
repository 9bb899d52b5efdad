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
rmmod zram_kunit
unload_zram
[ $found -gt 0 ] || fail "zram_kunit.ko ran no suite"
[ $status = 0 ] || fail "a KUnit suite failed"
