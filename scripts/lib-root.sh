# SPDX-License-Identifier: GPL-2.0
# Sourced by the scripts that debootstrap a Debian 12 root
# (fresh-ci.sh, check-package.sh).

# root_apt_like_host ROOT: the same archive, suites and keys as this
# machine, and its resolver, so apt inside ROOT sees what the host sees.
root_apt_like_host() {
	local root=$1 f
	rm -f "$root/etc/apt/sources.list"
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		 /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] && cp "$f" "$root$f"
	done
	cp /etc/resolv.conf "$root/etc/"
}
