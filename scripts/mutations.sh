#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Mutation check: prove the tests can fail. Each tests/mutations/NN-name.patch
# re-creates one upstream zram bug; for each, build a throwaway worktree of
# HEAD with the patch applied and run the lane's steps measured to catch it.
# A mutation is caught when the lane FAILS. Exits non-zero if one survives.
#
#   scripts/mutations.sh [NN-name ...]      (default: every patch)
#   HZ_MUT_STEPS="70-swap-race 74-races"    run these steps for every mutation
#   LANE=x86_64-6.12 (KASAN + lockdep), HZ_MUT_WORK, HZ_MUT_OUT: see below
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
LANE=${LANE:-x86_64-6.12}
WORK=${HZ_MUT_WORK:-/var/tmp/hz-mut}
OUTS=${HZ_MUT_OUT:-/var/tmp/hz-mut-out}

# The steps that catch each mutation on this lane (measured; see the table
# in Documentation/testing.rst, which also says what does NOT catch it).
declare -A CATCH=(
	[01-read-nolock]="10-kunit"
	[02-recompress-overrun]="10-kunit"
	[03-page-state-leak]="10-kunit"
	[04-slot-state-leak]="10-kunit 40-swap"
	[05-recompress-refused]="10-kunit"
	[06-read-zero-fill]="10-kunit 77-errors"
	[07-read-no-length-check]="10-kunit"
	[08-wb-commit-stale]="10-kunit"
	[09-recomp-wrong-algo]="10-kunit"
	[10-params-after-init]="64-recompress"
	[11-limit-data-only]="10-kunit"
	[12-chunks-uncounted]="10-kunit 41-sparse"
	[13-huge-page-leak]="10-kunit"
	[14-used-max-refused]="10-kunit"
	[15-grow-uncounted]="10-kunit"
	[16-compact-unheld]="10-kunit"
	[17-csum-uncounted]="10-kunit"
	[18-csum-race-leak]="10-kunit"
	[19-trim-uncounted]="10-kunit"
	[20-trim-live]="10-kunit"
	[21-table-uncounted]="10-kunit"
	[22-zt-kept]="10-kunit"
	[23-zt-id-unchecked]="10-kunit"
	[24-compact-whole-only]="10-kunit"
	[25-chain-desc-blind]="10-kunit"
	[26-zcomp-pow2]="10-kunit"
	[27-desc-high-order]="10-kunit"
	[28-handle-pool-blind]="10-kunit"
	[29-rt-kept]="10-kunit"
	[30-dir-vfree-atomic]="10-kunit"
	[31-slot-unlock-no-wake]="10-kunit"
)

# Console lines worth showing, each prefixed with the step it came from.
report() {
	awk '/HZ-STEP-BEGIN/ { step = $2; next }
	     /hzs: (kunit|zram):/ { next }	# KUnit probing on purpose
	     /FAIL:|BUG:|KASAN|WARNING|not ok [0-9]+ [a-z]|Kernel panic|went through [1-9]|[1-9][0-9]* of [0-9]+ neighbours|hzs: .*(refused|bad|double)/ {
		if (seen[step]++ < 4) print "    [" (step ? step : "boot") "] " substr($0, 1, 150)
	     }' "$1"
}

mkdir -p "$WORK" "$OUTS"
if [ $# -eq 0 ]; then
	set -- $(cd "$TOP/tests/mutations" && ls -- *.patch | sed 's/\.patch$//')
fi
survivors=()
t0=$(date +%s)
for name in "$@"; do
	patch=$TOP/tests/mutations/$name.patch
	[ -f "$patch" ] || { echo "no such mutation: $patch" >&2; exit 2; }
	steps=${HZ_MUT_STEPS:-${CATCH[$name]:?no catching steps listed for $name}}
	tree=$WORK/$name
	out=$OUTS/$name
	git -C "$TOP" worktree remove --force "$tree" 2> /dev/null || rm -rf "$tree"
	git -C "$TOP" worktree add --quiet --detach "$tree" HEAD
	if ! git -C "$tree" apply "$patch"; then
		echo "FATAL: $name no longer applies to HEAD; update $patch" >&2
		exit 2
	fi
	rm -rf "$out"
	echo "== $name: steps $steps ($out)"
	t1=$(date +%s)
	rc=0
	(cd "$tree" && HZRAM_OUT=$out HZ_ONLY="00-env $steps" \
		python3 scripts/harness.py check "$LANE") > "$out.log" 2>&1 || rc=$?
	grep -E "^lanes:|step .* rc=|kunit .* failed|console:" "$out.log" |
		sed 's/^/    /' | head -n 12 || true
	[ -f "$out/$LANE/console.log" ] && report "$out/$LANE/console.log"
	if [ $rc -ne 0 ] && grep -q "^lanes: 0 passed, 1 failed" "$out.log"; then
		echo "== $name: CAUGHT ($(( $(date +%s) - t1 ))s)"
	else
		echo "== $name: SURVIVED (harness rc=$rc, $(( $(date +%s) - t1 ))s)"
		survivors+=("$name")
	fi
	git -C "$TOP" worktree remove --force "$tree"
done
echo "mutations: $(( $# - ${#survivors[@]} )) caught, ${#survivors[@]} survived" \
	"${survivors[*]:+(${survivors[*]})}; wall time $(( $(date +%s) - t0 ))s"
[ ${#survivors[@]} -eq 0 ]
