# Run by init after every step: undo whatever a (failed) step left behind.
swapoff -a 2>/dev/null
umount /mnt 2>/dev/null
for g in /sys/fs/cgroup/*/; do
	[ -e "$g/cgroup.procs" ] && rmdir "$g" 2>/dev/null
done
grep -q "^zram_kunit " /proc/modules && rmmod zram_kunit
grep -q "^zram " /proc/modules && rmmod zram
true
