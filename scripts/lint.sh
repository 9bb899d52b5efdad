#!/bin/bash
# Static checks: checkpatch --strict on every C file and header of ours,
# then a W=1 + sparse (C=2) build against the x86_64-6.12 test kernel.
# Fails on any checkpatch error/warning/check or compiler/sparse warning.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${HZRAM_CACHE:-/var/cache/hzram}
cd "$top"

src=$cache/src/linux-source-6.12
kdir=$("$top/scripts/build-kernel.sh" x86_64 6.12 common,debug,x86_64,x86_64-smp)
status=0

files=$(git ls-files 'src/*.[ch]' 'include/*.h' 'tests/kunit/*.[ch]' 'tests/harness/*.c' \
	'tests/bench/*.c')
echo "lint: checkpatch --strict on $(echo "$files" | wc -w) files"
# CAMELCASE: the only hit is zstd's own field (zstd_parameters.cParams),
# which checkpatch cannot tell from ours without a kernel tree.
# MACRO_ARG_UNUSED, in the compat header only: on kernels without
# ->rw_page, HZ_BDOPS_RW_PAGE(fn) names no member, so it cannot use fn.
ignore=FILE_PATH_CHANGES,SPDX_LICENSE_TAG,CAMELCASE
# shellcheck disable=SC2086
if ! perl "$src/scripts/checkpatch.pl" --no-tree -f --strict --quiet \
	--ignore $ignore $(echo "$files" | grep -vx include/hz_compat.h); then
	status=1
fi
if ! perl "$src/scripts/checkpatch.pl" --no-tree -f --strict --quiet \
	--ignore $ignore,MACRO_ARG_UNUSED include/hz_compat.h; then
	status=1
fi

b=$cache/modbuild/lint
mkdir -p "$b"
rsync -a --delete --exclude '*.o' --exclude '*.ko' Kbuild src include tests "$b/"
echo "lint: W=1 C=2 build against $kdir"
log=$(make -C "$kdir" M="$b" W=1 C=2 -j"$(nproc)" modules 2>&1) || status=1
# Kernel headers themselves trip some sparse checks; only our files count.
ours=$(echo "$log" | grep -E "^$b/.*(warning|error):" || true)
if [ -n "$ours" ]; then
	echo "$ours"
	status=1
fi
[ $status = 0 ] && echo "lint: clean"
exit $status
