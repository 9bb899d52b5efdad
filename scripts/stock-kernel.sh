#!/bin/bash
# Fetch one of Debian's prebuilt amd64 kernels, the way a user's machine
# has it: the image package (unpacked into the cache, not installed) and
# the matching linux-headers package (installed, so the module is built
# exactly as DKMS or a user would build it).
#
#   scripts/stock-kernel.sh 6.1|6.12|6.12-rt
#
# Prints shell assignments: KIMG (vmlinuz), KDIR (headers build dir),
# KMODDIR (the image's /lib/modules/<release>), KREL (release).
set -euo pipefail

flavour=$1
cache=${HZRAM_CACHE:-/var/cache/hzram}
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo

case $flavour in
6.1)	pat='^linux-image-6\.1\.0-[0-9]+-amd64-unsigned$' ;;
6.12)	pat='^linux-image-6\.12\.[0-9]+\+deb12-amd64-unsigned$' ;;
6.12-rt) pat='^linux-image-6\.12\.[0-9]+\+deb12-rt-amd64-unsigned$' ;;
*)	echo "stock-kernel: unknown flavour $flavour" >&2; exit 2 ;;
esac

# The archive carries several ABI versions at once; take the newest that
# has both an image and headers.
rel=
for img in $(apt-cache pkgnames linux-image- | grep -E "$pat" | sort -rV); do
	r=${img#linux-image-}
	r=${r%-unsigned}
	if apt-cache show "linux-headers-$r" > /dev/null 2>&1; then
		rel=$r
		break
	fi
done
[ -n "$rel" ] || { echo "stock-kernel: no image+headers for $flavour (apt-get update?)" >&2; exit 1; }

if ! dpkg-query -W -f='${Status}' "linux-headers-$rel" 2>/dev/null | grep -q "ok installed"; then
	echo "stock-kernel: installing linux-headers-$rel" >&2
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "linux-headers-$rel" >&2
fi

dir=$cache/stock/$rel
if [ ! -f "$dir/.hzram-done" ]; then
	echo "stock-kernel: downloading linux-image-$rel-unsigned" >&2
	rm -rf "$dir"
	mkdir -p "$dir/deb"
	(cd "$dir/deb" && apt-get download -o APT::Sandbox::User=root \
		"linux-image-$rel-unsigned" >&2)
	dpkg-deb -x "$dir"/deb/*.deb "$dir/root"
	rm -rf "$dir/deb"
	touch "$dir/.hzram-done"
fi

echo "KREL=$rel"
echo "KIMG=$dir/root/boot/vmlinuz-$rel"
echo "KDIR=/usr/src/linux-headers-$rel"
echo "KMODDIR=$dir/root/lib/modules/$rel"
