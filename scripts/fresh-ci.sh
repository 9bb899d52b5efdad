#!/bin/bash
# Run .ci/run the way CI meets it: a fresh clone on a fresh Debian 12, here
# a debootstrapped chroot with nothing but the base system, git, make and
# ca-certificates. Empty apt lists, kernel cache and ccache, so every
# download, kernel build and guest is timed. Each output line is prefixed
# with the seconds since the start; the last line is "done rc=N secs=N".
#
#   scripts/fresh-ci.sh [DIR]      (as root; DIR defaults to /var/tmp/hzram-fresh)
#
# Run it on an otherwise idle machine: the kernel builds are niced and
# starve next to other guests, which would make the time meaningless.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib-root.sh"
root=${1:-/var/tmp/hzram-fresh}
mirror=${HZ_MIRROR:-http://deb.debian.org/debian}

[ "$(id -u)" = 0 ] || { echo "fresh-ci: run as root" >&2; exit 2; }
[ ! -e "$root" ] || { echo "fresh-ci: $root exists; remove it first" >&2; exit 2; }
command -v debootstrap > /dev/null ||
	env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap

undo() {
	for m in src dev sys proc; do
		umount -R "$root/$m" 2> /dev/null || true
	done
}
trap undo EXIT

debootstrap --include=git,make,ca-certificates bookworm "$root" "$mirror" \
	> "$root.debootstrap.log" 2>&1 ||
	{ echo "fresh-ci: debootstrap failed, see $root.debootstrap.log" >&2; exit 1; }
root_apt_like_host "$root"

mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --rbind /dev "$root/dev"
mkdir -p "$root/src"
mount --bind -o ro "$top" "$root/src"
chroot "$root" git clone -q /src /root/hzram

start=$(date +%s)
set +e
chroot "$root" /root/hzram/.ci/run 2>&1 |
	while IFS= read -r l; do echo "$(($(date +%s) - start)) $l"; done
rc=${PIPESTATUS[0]}
echo "done rc=$rc secs=$(($(date +%s) - start))"
exit "$rc"
