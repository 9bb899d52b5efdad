#!/bin/bash
# Build (or reuse) a test kernel from Debian's linux-source-<kver>.
#
#   scripts/build-kernel.sh ARCH KVER FRAG[,FRAG...]
#
# Prints the kernel build directory (O=) on stdout; everything else goes
# to stderr. The build is cached under $HZRAM_CACHE/kernels, keyed by the
# source package version, the fragment contents and the compiler version,
# and compiled through ccache.
set -euo pipefail

arch=$1 kver=$2 frags=$3
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${HZRAM_CACHE:-/var/cache/hzram}
jobs=${JOBS:-$(nproc)}
log() { echo "build-kernel: $*" >&2; }

case $arch in
x86_64)	karch=x86_64 cross= image=arch/x86/boot/bzImage ;;
arm)	karch=arm cross=arm-linux-gnueabihf- image=arch/arm/boot/zImage ;;
arm64)	karch=arm64 cross=aarch64-linux-gnu- image=arch/arm64/boot/Image ;;
*)	log "unknown arch $arch"; exit 2 ;;
esac

srcver=$(dpkg-query -W -f='${Version}' "linux-source-$kver")
tarball=/usr/src/linux-source-$kver.tar.xz
[ -f "$tarball" ] || { log "$tarball missing (apt-get install linux-source-$kver)"; exit 1; }

# Unpack once per source package version.
src=$cache/src/linux-source-$kver
if [ "$(cat "$src/.hzram-version" 2>/dev/null)" != "$srcver" ]; then
	log "unpacking $tarball"
	rm -rf "$src"
	mkdir -p "$cache/src"
	tar -C "$cache/src" -xf "$tarball"
	echo "$srcver" > "$src/.hzram-version"
fi

fraglist=()
IFS=, read -ra names <<< "$frags"
for f in "${names[@]}"; do
	fraglist+=("$top/qemu/$f.config")
	# The version fragment follows common so later fragments can override.
	if [ "$f" = common ] && [ -f "$top/qemu/kver-$kver.config" ]; then
		fraglist+=("$top/qemu/kver-$kver.config")
	fi
done

cc=${cross}gcc
key=$( { echo "$srcver $arch"; "$cc" --version | head -1; cat "${fraglist[@]}"; } \
	| sha256sum | cut -c1-16)
out=$cache/kernels/$arch-$kver-$key

if [ -f "$out/.hzram-done" ]; then
	log "cached: $out"
	echo "$out"
	exit 0
fi

# Two builds of one kernel (the harness's prefetch and a manual run, or
# two concurrent harness runs) would wipe each other's tree: the second
# waits for the first and then finds it cached.
mkdir -p "$cache/kernels"
exec 9> "$out.lock"
flock 9
if [ -f "$out/.hzram-done" ]; then
	log "cached (built meanwhile): $out"
	echo "$out"
	exit 0
fi

export CCACHE_DIR=${CCACHE_DIR:-$cache/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-20G}
# The kernel embeds build time/host; pin them so ccache can hit.
export KBUILD_BUILD_TIMESTAMP="2024-01-01" KBUILD_BUILD_HOST=hzram KBUILD_BUILD_USER=hzram
# HZ_NICE=1: built ahead of time while a guest runs; let the guest win.
nice=()
[ "${HZ_NICE:-0}" = 1 ] && nice=(nice -n 15)
mk=("${nice[@]}" make -C "$src" O="$out" ARCH="$karch" CROSS_COMPILE="$cross" CC="ccache ${cross}gcc" -j"$jobs")

rm -rf "$out"
mkdir -p "$out"
log "configuring $arch $kver ($srcver) frags=$frags -> $out"
# merge_config -n: allnoconfig with the merged fragments as KCONFIG_ALLCONFIG.
(cd "$src" && ARCH=$karch CROSS_COMPILE=$cross \
	"$src/scripts/kconfig/merge_config.sh" -n -O "$out" "${fraglist[@]}") \
	> "$out/merge.log" 2>&1 || { cat "$out/merge.log" >&2; exit 1; }
ARCH=$karch "${mk[@]}" olddefconfig > /dev/null

# merge_config only warns when a request did not make it into .config;
# every requested value is a requirement, so check each one ourselves.
"$top/scripts/check-config.sh" "$out/.config" "${fraglist[@]}" >&2

log "building (log: $out/build.log)"
start=$(date +%s)
if ! "${mk[@]}" "$(basename "$image")" modules > "$out/build.log" 2>&1; then
	tail -40 "$out/build.log" >&2
	exit 1
fi
log "built in $(( $(date +%s) - start ))s"
cp "$out/$image" "$out/kernel.img"
touch "$out/.hzram-done"
echo "$out"
