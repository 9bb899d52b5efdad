#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Source trees and packages for installing hzram like a distribution
# module. Called by the Makefile:
#
#   scripts/package.sh dist DIR        the module's source, as DKMS builds it,
#                                      with the full version in DIR/VERSION
#   scripts/package.sh deb OUTDIR      OUTDIR/hzram-dkms_<version>_all.deb
#   scripts/package.sh dkms-install [KREL...]
#                                      /usr/src/hzram-<version>, dkms add, and
#                                      dkms install for KREL (default: uname -r)
#   scripts/package.sh dkms-remove     every hzram version that make
#                                      dkms-install added (not the package's)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
version=$("$top/scripts/version.sh")

# What a DKMS build needs: the driver, never the tests or the harness.
dist() {
	local d=$1

	rm -rf "$d"
	mkdir -p "$d/scripts"
	cp -a "$top/Kbuild" "$top/Makefile" "$top/LICENSE" "$top/README.md" "$d/"
	cp -a "$top/scripts/version.sh" "$d/scripts/"
	# Sources only, not the objects of a build in this tree.
	(cd "$top" && find include src -name '*.[ch]' -print0 |
		cpio -0pdm --quiet "$d")
	echo "$version" > "$d/VERSION"
}

case ${1:-} in
dist)
	dist "$2"
	;;
deb)
	out=$(mkdir -p "$2" && cd "$2" && pwd)
	stage=$out/stage
	for t in dpkg-buildpackage dh_dkms fakeroot; do
		command -v $t > /dev/null || {
			echo "package: $t is missing: apt-get install debhelper dh-dkms fakeroot" >&2
			exit 1; }
	done
	rm -rf "$stage"
	dist "$stage/hzram-$version"
	cp -a "$top/packaging/debian" "$stage/hzram-$version/debian"
	cp -a "$top/dkms.conf" "$stage/hzram-$version/"
	if [ -e "$top/.git" ]; then
		when=$(git -C "$top" log -1 --format=%cD HEAD)
		what="git $(git -C "$top" describe --tags --always --dirty)"
	else
		when=$(date -R)
		what="VERSION $version"
	fi
	# A native package: the version is hzram's own, no Debian revision.
	cat > "$stage/hzram-$version/debian/changelog" <<-END
	hzram ($version) unstable; urgency=medium

	  * Built from $what.

	 -- hzram maintainers <maintainers@users.noreply.b-seed-f82edcb0.example>  $when
	END
	(cd "$stage/hzram-$version" && dpkg-buildpackage -b -uc -us) \
		> "$out/build.log" 2>&1 ||
		{ tail -30 "$out/build.log" >&2
		  echo "package: dpkg-buildpackage failed, see $out/build.log" >&2
		  exit 1; }
	rm -f "$out"/hzram-dkms_*_all.deb
	mv "$stage/hzram-dkms_${version}_all.deb" "$out/"
	rm -rf "$stage"
	echo "$out/hzram-dkms_${version}_all.deb"
	;;
dkms-install)
	shift
	src=/usr/src/hzram-$version
	if dpkg-query -S "$src" > /dev/null 2>&1; then
		echo "package: $src belongs to a package; apt purge hzram-dkms first" >&2
		exit 1
	fi
	if [ -e "/var/lib/dkms/hzram/$version" ]; then
		dkms remove -m hzram -v "$version" --all
	fi
	dist "$src"
	sed "s/#MODULE_VERSION#/$version/" "$top/dkms.conf" > "$src/dkms.conf"
	dkms add -m hzram -v "$version"
	for k in "${@:-$(uname -r)}"; do
		dkms install -m hzram -v "$version" -k "$k"
	done
	;;
dkms-remove)
	for d in /var/lib/dkms/hzram/*/; do
		[ -d "$d" ] || continue
		v=$(basename "$d")
		[ -L "${d%/}" ] && continue		# kernel-* links
		[ -f "$d/source/dkms.conf" ] || [ -e "/usr/src/hzram-$v" ] || continue
		if dpkg-query -S "/usr/src/hzram-$v" > /dev/null 2>&1; then
			echo "package: keeping hzram/$v (package hzram-dkms; apt purge it)" >&2
			continue
		fi
		dkms remove -m hzram -v "$v" --all
		rm -rf "/usr/src/hzram-$v"
	done
	;;
*)
	echo "usage: $0 dist DIR | deb OUTDIR | dkms-install [KREL...] | dkms-remove" >&2
	exit 2
	;;
esac
