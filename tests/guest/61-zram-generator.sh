# hz-uses: pkg
# Debian 12's zram-generator (systemd-zram-generator 1.1.2), the real
# binary, run the way systemd runs it (the guest has no systemd): first
# as a generator, which writes the units, loads zram with modprobe and
# hot_adds the devices; then as systemd-zram-setup@.service runs it,
# --setup-device (comp_algorithm, disksize, then systemd-makefs: mkswap
# or mkfs.ext4) and --reset-device. The devices must come up with exactly
# the configured settings: disksize is the zram-size expression evaluated
# with the guest's RAM as zram-generator does (MemTotal in whole MiB).
. /tests/lib.sh
. /etc/hzram/lane.env
gen=/lib/systemd/system-generators/zram-generator
# systemd's PATH for generators and services: sbin first, so that
# systemd-makefs finds util-linux's mkswap, not busybox's.
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

mkdir -p /etc/systemd /mnt/zgen
cat > /etc/systemd/zram-generator.conf <<END
[zram0]
zram-size = min(ram / 8, 512)
compression-algorithm = lz4
swap-priority = 37

[zram1]
zram-size = max(ram / 64, 48)
compression-algorithm = zstd
fs-type = ext4
mount-point = /mnt/zgen
END
mib=1048576
ram=$(($(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024))
size0=$((ram * mib / 8))
[ $size0 -le $((512 * mib)) ] || size0=$((512 * mib))
size1=$((ram * mib / 64))
[ $size1 -ge $((48 * mib)) ] || size1=$((48 * mib))
info "MemTotal ${ram} MiB: zram0 $size0 bytes, zram1 $size1 bytes"

# With the Debian package's module here (15-dkms), the generator's own
# `modprobe zram` has to load it; elsewhere the harness's build is loaded
# first, and the generator finds zram-control and loads nothing.
if [ -z "${HZ_PKG_WHY:-}" ] && [ "$HZ_MODULES" = hzram ]; then
	grep -q "^zram " /proc/modules && fail "zram is already loaded"
	by_modprobe=1
else
	info "zram loaded by the harness (no DKMS build: ${HZ_PKG_WHY:-HZ_MODULES=$HZ_MODULES})"
	load_zram
	by_modprobe=0
fi
# It runs `modprobe` from PATH: kmod's (busybox's would not do).
[ "$(readlink /bin/modprobe)" = kmod ] || fail "/bin/modprobe is not kmod's"

rm -rf /tmp/gen*
mkdir /tmp/gen /tmp/gen-early /tmp/gen-late
"$gen" /tmp/gen /tmp/gen-early /tmp/gen-late > /tmp/gen.out 2>&1 ||
	{ cat /tmp/gen.out; fail "zram-generator (generator mode)"; }
cat /tmp/gen.out
if [ $by_modprobe = 1 ]; then
	[ "$(cat /sys/module/zram/version)" = "$(cat /etc/hzram/pkg-version)" ] ||
		fail "the generator's modprobe loaded zram $(cat /sys/module/zram/version)"
	info "the generator's modprobe loaded hzram $(cat /sys/module/zram/version) (updates/dkms)"
fi
for d in zram0 zram1; do
	[ -e /sys/block/$d ] || fail "the generator did not create $d"
	[ "$(cat /sys/block/$d/initstate)" = 0 ] || fail "$d initialised by the generator"
done
# The units systemd would start.
(cd /tmp/gen && find . | sort)
cat /tmp/gen/dev-zram0.swap /tmp/gen/mnt-zgen.mount
u0=/tmp/gen/dev-zram0.swap
u1=/tmp/gen/mnt-zgen.mount
grep -qx "What=/dev/zram0" $u0 || fail "$u0: $(cat $u0)"
grep -qx "Priority=37" $u0 || fail "$u0: $(cat $u0)"
grep -qx "What=/dev/zram1" $u1 || fail "$u1: $(cat $u1)"
grep -qx "Where=/mnt/zgen" $u1 || fail "$u1: $(cat $u1)"
[ "$(readlink /tmp/gen/swap.target.wants/dev-zram0.swap)" = ../dev-zram0.swap ] ||
	fail "swap.target.wants"
[ "$(readlink /tmp/gen/local-fs.target.wants/mnt-zgen.mount)" = ../mnt-zgen.mount ] ||
	fail "local-fs.target.wants"
b0=/tmp/gen/systemd-zram-setup@zram0.service.d/bindings.conf
b1=/tmp/gen/systemd-zram-setup@zram1.service.d/bindings.conf
cat $b0 $b1
grep -qx "BindsTo=dev-%i.swap" $b0 || fail "zram0's setup unit is not bound to its swap"
grep -qx "BindsTo=mnt-zgen.mount" $b1 || fail "zram1's setup unit is not bound to its mount"

# udev's /dev/block/MAJ:MIN links, which the guest has no udev to make:
# systemd-makefs locks the whole disk through them.
mkdir -p /dev/block
for d in zram0 zram1; do
	ln -sf "../$d" "/dev/block/$(cat /sys/block/$d/dev)"
done

# setup DEV SIZE ALGORITHM TYPE: systemd-zram-setup@DEV.service's
# ExecStart. DEV must come up with exactly the configured size and
# algorithm, formatted as TYPE.
setup() {
	"$gen" --setup-device "$1" > /tmp/gen.out 2>&1 ||
		{ cat /tmp/gen.out; fail "zram-generator --setup-device $1"; }
	cat /tmp/gen.out
	[ "$(cat "/sys/block/$1/disksize")" = "$2" ] ||
		fail "$1 disksize $(cat "/sys/block/$1/disksize"), configured $2"
	grep -q "\[$3\]" "/sys/block/$1/comp_algorithm" ||
		fail "$1 comp_algorithm: $(cat "/sys/block/$1/comp_algorithm")"
	blkid "/dev/$1" | grep -q "TYPE=\"$4\"" || fail "$1: $(blkid "/dev/$1")"
}

# Each device set up, then used as its unit would.
setup zram0 $size0 lz4 swap
# What dev-zram0.swap does: util-linux's swapon (by path: busybox sh
# would run its own applet), with the unit's priority and options.
opts=$(sed -n 's/^Options=//p' $u0)
/sbin/swapon -p "$(sed -n 's/^Priority=//p' $u0)" ${opts:+-o "$opts"} /dev/zram0
set -- $(grep "^/dev/zram0 " /proc/swaps)
[ "$5" = 37 ] || fail "zram0 swap priority $5"
info "swap: $*"
swapoff /dev/zram0

setup zram1 $size1 zstd ext4
opts=$(sed -n 's/^Options=//p' $u1)
mount -t ext4 ${opts:+-o "$opts"} "$(sed -n 's/^What=//p' $u1)" "$(sed -n 's/^Where=//p' $u1)"
make_tree /mnt/zgen/t 4
umount /mnt/zgen
mount -t ext4 /dev/zram1 /mnt/zgen
check_tree /mnt/zgen/t
umount /mnt/zgen

# ExecStop: --reset-device. hzram's verify first, on the used devices.
for d in zram0 zram1; do
	if [ "$HZ_MODULES" = hzram ]; then
		out=$(cat /sys/kernel/debug/zram/$d/verify)
		[ "${out%% *}" = 0 ] || fail "$d verify: $(echo $out)"
	fi
	"$gen" --reset-device $d || fail "zram-generator --reset-device $d"
	[ "$(cat /sys/block/$d/initstate)" = 0 ] || fail "$d still initialised after --reset-device"
	[ "$(cat /sys/block/$d/disksize)" = 0 ] || fail "$d disksize after --reset-device"
done
rm -rf /tmp/gen* /etc/systemd/zram-generator.conf /dev/block
if [ $by_modprobe = 1 ]; then
	# kmod's, by path (busybox sh would run its own applet, which gives
	# up on lz4_compress: the crypto lz4 the generator loaded holds it).
	/bin/modprobe -r zram
else
	unload_zram
fi
