#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Prove the Debian package the way a user meets it: build
# hzram-dkms_<version>_all.deb (make deb), install it with apt into a clean
# debootstrapped Debian 12 that has Debian's stock 6.1 and 6.12 amd64
# headers (scripts/stock-kernel.sh), check that DKMS built zram.ko for
# both, then apt purge it and check that nothing is left.
#
#   scripts/check-package.sh [OUTDIR]     (as root; OUTDIR defaults to
#                                          $HZRAM_OUT/pkg, else out/pkg)
#
# The root has both stock images installed beside their headers, as a
# user's machine has, so the depmod that DKMS runs after its build sees
# the kernel's own modules (the in-tree zram.ko among them) as well as
# updates/dkms/zram.ko. For the guest tests (harness.py stages them into
# the stock lanes' guests) it leaves, per kernel release,
# OUTDIR/<release>/: the DKMS-built zram.ko(.xz) and the modules.* that
# depmod wrote, and OUTDIR/version, the version the package carries.
#
# The debootstrapped root, with the images and headers installed and
# dkms's packages downloaded, is cached as a tarball in $HZRAM_CACHE/pkgroot (a week, or
# until the stock releases change), so a rerun installs from that. The
# last line is "check-package: PASS" or "check-package: FAIL <reason>".
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib-root.sh"
cache=${HZRAM_CACHE:-/var/cache/hzram}/pkgroot
out=${1:-${HZRAM_OUT:-$top/out}/pkg}
root=${HZRAM_PKGROOT:-/var/tmp/hzram-pkgroot}
mirror=${HZ_MIRROR:-http://deb.debian.org/debian}
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8

start=$(date +%s)
t0=$start
cur=setup
# Each phase's time, then the next phase's name.
phase() {
	local now

	now=$(date +%s)
	[ "$cur" = setup ] || echo "check-package: $cur took $((now - t0))s"
	t0=$now
	cur=$1
	echo "check-package: $cur"
}
trap 'rc=$?; undo; [ $rc = 0 ] || [ -n "${failed:-}" ] ||
	echo "check-package: FAIL $cur (exit $rc, line $LINENO)"' EXIT

undo() {
	for m in dev proc; do
		mountpoint -q "$root/$m" 2> /dev/null && umount -l "$root/$m"
	done
	return 0
}
fail() {
	failed=1
	echo "check-package: FAIL $cur: $*"
	exit 1
}
in_root() {
	chroot "$root" "$@"
}
# Never rm -rf a root with something mounted in it (/dev!).
wipe_root() {
	undo
	for m in sys proc dev; do
		mountpoint -q "$root/$m" 2> /dev/null && umount -l "$root/$m"
	done
	grep -q " $root/" /proc/mounts && fail "still mounted under $root"
	rm -rf "$root"
}

[ "$(id -u)" = 0 ] || { echo "check-package: FAIL run as root"; exit 2; }
mkdir -p "$cache" "$out"
exec 9> "$cache/.lock"
flock 9

phase "host tools"
need=(debootstrap debhelper dh-dkms dpkg-dev fakeroot kmod xz-utils)
missing=()
for p in "${need[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null ||
		fail "apt-get install ${missing[*]}"
fi

phase "stock kernels"
rels=()
for f in 6.1 6.12; do
	vars=$("$top/scripts/stock-kernel.sh" "$f") || fail "stock-kernel.sh $f"
	KREL=
	eval "$vars"
	rels+=("$KREL")
done
echo "check-package: kernels ${rels[*]}"

phase "make deb"
deb=$("$top/scripts/package.sh" deb "$top/out/deb") || fail "make deb"
[ -f "$deb" ] || fail "no $deb"
# The package's own version (the tree may change while this runs).
ver=$(dpkg-deb -f "$deb" Version)
echo "check-package: $(basename "$deb") ($(stat -c %s "$deb") bytes)"
# (grep -q on a pipe would kill dpkg-deb early, and pipefail fail it.)
files=$(dpkg-deb -c "$deb") || fail "dpkg-deb -c $deb"
grep -q "/usr/src/hzram-$ver/dkms.conf" <<< "$files" ||
	fail "the package has no /usr/src/hzram-$ver/dkms.conf"
grep -qE "\.(ko|o|cmd)$" <<< "$files" && fail "the package carries build output"

phase "base root"
# ("img": the root has the images too; older roots had only headers.)
tarball=$cache/bookworm-img-${rels[0]}-${rels[1]}.tar
if [ -n "$(find "$tarball" -mtime +7 2> /dev/null)" ]; then
	rm -f "$tarball"
fi
if [ ! -f "$tarball" ]; then
	rm -f "$cache"/bookworm-*.tar
	wipe_root
	echo "check-package: debootstrap bookworm (cached in $tarball)"
	debootstrap --variant=minbase bookworm "$root" "$mirror" \
		> "$cache/debootstrap.log" 2>&1 ||
		fail "debootstrap, see $cache/debootstrap.log"
	root_apt_like_host "$root"
	mount -t proc proc "$root/proc"
	mount --bind /dev "$root/dev"
	# The -unsigned images: the guests boot those (stock-kernel.sh), and
	# the signed ones reach the archive days later. Nothing here boots,
	# so no initramfs for them.
	{ in_root dpkg-divert --local --rename --add /usr/sbin/update-initramfs &&
	  ln -s /bin/true "$root/usr/sbin/update-initramfs" &&
	  in_root apt-get update -qq &&
	  in_root apt-get install -y -qq --no-install-recommends \
		"linux-image-${rels[0]}-unsigned" "linux-image-${rels[1]}-unsigned" \
		"linux-headers-${rels[0]}" "linux-headers-${rels[1]}" &&
	  in_root apt-get install -y -qq --no-install-recommends --download-only dkms
	} > "$cache/root-setup.log" 2>&1 ||
		fail "headers into the root, see $cache/root-setup.log"
	undo
	tar -C "$root" --numeric-owner -cf "$tarball.tmp" . ||
		fail "tar $tarball"
	mv "$tarball.tmp" "$tarball"
else
	wipe_root
	mkdir -p "$root"
	tar -C "$root" --numeric-owner -xf "$tarball" || fail "untar $tarball"
fi
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"

phase "apt install"
cp "$deb" "$root/tmp/"
log=$out/apt-install.log
nice -n 10 chroot "$root" apt-get install -y --no-install-recommends \
	"/tmp/$(basename "$deb")" > "$log" 2>&1 ||
	{ tail -20 "$log"; fail "apt-get install ./$(basename "$deb"), see $log"; }

phase "check modules"
in_root dkms status > "$out/dkms-status.txt" 2> /dev/null
cat "$out/dkms-status.txt"
for rel in "${rels[@]}"; do
	grep -q "^hzram/$ver, $rel, .*: installed" "$out/dkms-status.txt" ||
		fail "dkms status: hzram/$ver not installed for $rel"
	mdir=$root/lib/modules/$rel
	ko=$(ls "$mdir"/updates/dkms/zram.ko* 2> /dev/null | head -1) || true
	[ -n "$ko" ] || fail "no updates/dkms/zram.ko for $rel"
	[ "$(modinfo -F version "$ko")" = "$ver" ] ||
		fail "$ko: version $(modinfo -F version "$ko"), not $ver"
	[[ $(modinfo -F description "$ko") == hzram* ]] ||
		fail "$ko: description is not hzram's"
	vm=$(modinfo -F vermagic "$ko")
	[ "${vm%% *}" = "$rel" ] || fail "$ko: vermagic $vm, not $rel"
	grep -q "^updates/dkms/zram.ko[.a-z]*:" "$mdir/modules.dep" ||
		fail "$rel: modules.dep does not list updates/dkms/zram.ko"

	# The in-tree zram is there too: modprobe must take hzram from
	# updates/dkms, and load the LZ4 library it needs first.
	intree=$(ls "$mdir"/kernel/drivers/block/zram/zram.ko* 2> /dev/null | head -1) || true
	[ -n "$intree" ] || fail "$rel: the root has no in-tree zram.ko"
	dep=$(modprobe -d "$root" -S "$rel" --show-depends zram)
	grep -q "/updates/dkms/zram.ko" <<< "${dep##*$'\n'}" ||
		fail "$rel: modprobe zram would load: $dep"
	grep -q "lz4_compress" <<< "$dep" ||
		fail "$rel: modprobe zram does not load lz4_compress"

	o=$out/$rel
	rm -rf "$o"
	mkdir -p "$o"
	cp "$ko" "$o/"
	cp "$mdir"/modules.* "$o/"
	echo "check-package: $rel: $(basename "$ko") $ver, vermagic $rel, modprobe: $(echo "$dep" | awk '{print $2}' | xargs -n1 basename | tr '\n' ' ')"
done
echo "$ver" > "$out/version"

phase "apt purge"
nice -n 10 chroot "$root" apt-get purge -y hzram-dkms > "$out/apt-purge.log" 2>&1 ||
	fail "apt-get purge hzram-dkms, see $out/apt-purge.log"
st=$(in_root dkms status 2> /dev/null)
[ -z "$st" ] || fail "dkms status after purge: $st"
left=$(cd "$root" && ls -d usr/src/hzram-* var/lib/dkms/hzram \
	lib/modules/*/updates/dkms/zram.ko* 2> /dev/null || true)
[ -z "$left" ] || fail "left after purge: $left"
for rel in "${rels[@]}"; do
	! grep -q "^updates/.*zram" "$root/lib/modules/$rel/modules.dep" 2> /dev/null ||
		fail "$rel: modules.dep still lists updates/.../zram after purge"
done
in_root dpkg-query -W -f='${Status}' hzram-dkms 2> /dev/null | grep -q "ok installed" &&
	fail "dpkg still knows hzram-dkms"

phase done
wipe_root
echo "check-package: total $(($(date +%s) - start))s, results in $out"
echo "check-package: PASS"
