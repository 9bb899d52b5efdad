#!/bin/bash
# Install everything the build, the demo and the test lanes need, from
# Debian's own archive. Idempotent: a second run installs nothing.
#
#   scripts/deps.sh            host tools, toolchains, QEMU, kernel sources
#   scripts/deps.sh package    also make deb's debhelper and dh-dkms, and
#                              debootstrap for scripts/check-package.sh
#                              (make check and check-all run it)
#   scripts/deps.sh stock      also the stock kernels' headers (see stock-kernel.sh)
#   scripts/deps.sh bench      also what make bench's plots need (matplotlib);
#                              make check never asks for it
set -euo pipefail

need=(build-essential bc bison flex libssl-dev libelf-dev cpio kmod
      xz-utils zstd rsync ccache python3 sparse
      gcc-arm-linux-gnueabihf gcc-aarch64-linux-gnu
      libc6-dev-armhf-cross libc6-dev-arm64-cross
      qemu-system-x86 qemu-system-arm
      linux-source-6.1 linux-source-6.12)
[ "${1:-}" = package ] && need+=(debhelper dh-dkms dpkg-dev fakeroot debootstrap)
# Debian's own matplotlib, run with /usr/bin/python3 (bench-report.py).
[ "${1:-}" = bench ] && need+=(python3-matplotlib)

SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo

# Guest userland (armhf, arm64 and amd64 packages) is downloaded by the
# harness through its own apt state; the host's dpkg gets no foreign
# architecture.

missing=()
for p in "${need[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done

stamp=/var/lib/apt/periodic/hzram-update-stamp
if [ ${#missing[@]} -gt 0 ] || [ "${1:-}" = stock ] ||
   [ ! -e "$stamp" ] || [ -n "$(find "$stamp" -mmin +360 2>/dev/null)" ]; then
	echo "deps: apt-get update" >&2
	# A mirror caught mid-sync fails one index now and then; retry, and
	# carry on with what we have if it keeps failing (the install below
	# is what really has to work).
	for try in 1 2 3; do
		$SUDO apt-get update -qq && break
		echo "deps: apt-get update failed (try $try)" >&2
		sleep 5
	done
	$SUDO mkdir -p "$(dirname "$stamp")" && $SUDO touch "$stamp"
fi

if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}" >&2
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >&2
fi
