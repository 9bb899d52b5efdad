# hz-only: stock
# hz-uses: pkg
# The Debian package's module as a user's machine loads it. check-package
# installed hzram-dkms with apt in a Debian 12 root that has this stock
# kernel's image and headers; the harness put what that left here:
# /lib/modules/$(uname -r) with the modules.* that depmod wrote after
# DKMS's build, the DKMS-built updates/dkms/zram.ko, the in-tree
# kernel/drivers/block/zram/zram.ko beside it, and the libraries
# modules.dep names. kmod's modprobe (what users run) must load hzram,
# not the in-tree zram, with those libraries, and modprobe -r must unload
# it and them.
. /tests/lib.sh
. /etc/hzram/lane.env
require_hzram "the DKMS build is hzram's"
if [ -n "${HZ_PKG_WHY:-}" ]; then
	echo "skip: no DKMS build for this guest: $HZ_PKG_WHY"
	exit 77
fi
# kmod's modprobe and modinfo by path: busybox sh runs its own applets
# before anything on PATH.
[ "$(readlink /bin/modprobe)" = kmod ] || fail "/bin/modprobe is not kmod's"
modprobe() {
	/bin/modprobe "$@"
}
modinfo() {
	/bin/modinfo "$@"
}
m=/lib/modules/$(uname -r)
ver=$(cat /etc/hzram/pkg-version)
intree=$(ls "$m"/kernel/drivers/block/zram/zram.ko*)
dkms=$(ls "$m"/updates/dkms/zram.ko*)
info "in-tree $intree, DKMS $dkms (hzram $ver)"

# depmod's choice: one zram in modules.dep, and it is updates/dkms's.
grep -E '(^|/)zram\.ko(\.xz)?:' "$m/modules.dep" > /tmp/dep.zram
[ "$(wc -l < /tmp/dep.zram)" = 1 ] || fail "modules.dep: $(cat /tmp/dep.zram)"
line=$(cat /tmp/dep.zram)
case $line in
updates/dkms/zram.ko*) ;;
*) fail "modules.dep picks $line" ;;
esac
deps=${line#*:}
[ -n "$deps" ] || fail "modules.dep gives hzram no dependencies"
# modname PATH: the module name of a .ko path.
modname() {
	b=$(basename "$1")
	echo "${b%%.ko*}" | tr - _
}
# Nothing loaded yet, so that modprobe has to load it all.
grep -q "^zram " /proc/modules && fail "zram is already loaded"
for d in $deps; do
	n=$(modname "$d")
	if grep -q "^$n " /proc/modules; then
		rmmod "$n" || fail "$n is loaded and in use"
	fi
done

modprobe -v zram > /tmp/mp.out 2>&1 || { cat /tmp/mp.out; fail "modprobe zram"; }
cat /tmp/mp.out
grep -q "^insmod $m/updates/dkms/zram.ko" /tmp/mp.out || fail "modprobe did not insmod updates/dkms/zram.ko"
grep -q "kernel/drivers/block/zram/" /tmp/mp.out && fail "modprobe loaded the in-tree zram"
# The module loaded is that file: version, srcversion, description.
[ "$(cat /sys/module/zram/version)" = "$ver" ] ||
	fail "loaded zram version $(cat /sys/module/zram/version), the package has $ver"
src=$(cat /sys/module/zram/srcversion)
[ "$src" = "$(modinfo -F srcversion "$dkms")" ] ||
	fail "srcversion $src is not $dkms's"
[ "$src" != "$(modinfo -F srcversion "$intree")" ] || fail "the in-tree zram has srcversion $src too"
[ "$(modinfo -n zram)" = "$dkms" ] || fail "modinfo -n zram: $(modinfo -n zram)"
desc=$(modinfo -F description zram)
case $desc in
hzram*) ;;
*) fail "modinfo zram: description '$desc'" ;;
esac
info "modinfo zram: $desc, version $(modinfo -F version zram)"
# Each library modules.dep names is loaded and holds zram.
for d in $deps; do
	n=$(modname "$d")
	grep -q "^$n " /proc/modules || fail "modprobe did not load $n"
	[ -e "/sys/module/$n/holders/zram" ] || fail "$n does not hold zram"
	grep -q "^insmod $m/$d" /tmp/mp.out || fail "$n not loaded from $m/$d"
done
info "dependencies loaded: $(for d in $deps; do modname "$d"; done | tr '\n' ' ')"
# It is hzram at work: hzram-only files, and a device that stores data.
[ -e /sys/module/zram/parameters/warn_unwritten_read ] || fail "no warn_unwritten_read parameter"
echo lz4 > /sys/block/zram0/comp_algorithm
echo 32M > /sys/block/zram0/disksize
cat /bin/busybox /bin/busybox | head -c 2097152 > /tmp/dk.in
dd if=/tmp/dk.in of=/dev/zram0 bs=4096 oflag=direct 2> /dev/null
dd if=/dev/zram0 of=/tmp/dk.out bs=4096 count=512 iflag=direct 2> /dev/null
cmp /tmp/dk.in /tmp/dk.out || fail "read-back"
[ -e /sys/kernel/debug/zram/zram0/verify ] || fail "no hzram debugfs verify"
reset_zram zram0

modprobe -r -v zram > /tmp/mp.out 2>&1 || { cat /tmp/mp.out; fail "modprobe -r zram"; }
cat /tmp/mp.out
grep -q "^zram " /proc/modules && fail "zram still loaded after modprobe -r"
[ -e /sys/module/zram ] && fail "/sys/module/zram after modprobe -r"
for d in $deps; do
	n=$(modname "$d")
	grep -q "^$n " /proc/modules && fail "modprobe -r left $n loaded"
done

# For the record: busybox's modprobe (not what users run) reads the same
# modules.dep, so it follows depmod's choice too. (With a .ko.xz it first
# hands the compressed file to the kernel, which logs "Invalid ELF header
# magic", then decompresses it itself.)
if busybox modprobe zram 2> /tmp/bb.err; then
	info "busybox modprobe zram: loaded version $(cat /sys/module/zram/version)"
	[ "$(cat /sys/module/zram/version)" = "$ver" ] || fail "busybox modprobe loaded another zram"
	busybox modprobe -r zram 2> /dev/null || rmmod zram
else
	info "busybox modprobe zram fails: $(cat /tmp/bb.err)"
fi
for d in $deps; do
	n=$(modname "$d")
	if grep -q "^$n " /proc/modules; then
		rmmod "$n" 2> /dev/null || true
	fi
done
