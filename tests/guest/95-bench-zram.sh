# make bench: hzram's zram.ko against the kernel's own zram, in this one
# guest, on the host-built corpus (/bench/corpus.bin). The drivers are
# loaded in turn for every measurement (hzram, upstream, upstream, hzram,
# ...: see the main loop), the whole matrix once per round. Writeback
# and read-back from a backing device are timed too (wb below).
#
# Every measurement is one "HZB key=value ..." console line; the host
# (scripts/bench-report.py) turns them into the table, CSV and plots.
# It measures and never judges a number: it fails only when data does not
# read back as written (zbench exits 1) or something functional breaks.
# Recompression (recomp below) is timed on the same data: lz4 as primary,
# then `type=idle` recompression to zstd, next to zstd as primary.
# hz-only: bench (make bench; never in make check or check-all)
. /tests/lib.sh
# The matrix (HZ_BENCH_*) comes from the harness through lane.env.
. /etc/hzram/lane.env

corpus=/bench/corpus.bin
[ -f "$corpus" ] || fail "no $corpus in the initramfs"
rounds=${HZ_BENCH_ROUNDS:-3}
algos=${HZ_BENCH_ALGOS:-lz4 zstd lzo-rle lz4hc}
big_algos=${HZ_BENCH_BIG_ALGOS:-lz4 zstd}
big_mib=${HZ_BENCH_BIG_MIB:-1024}
mib=${HZ_BENCH_MIB:-64}
swap_mib=${HZ_BENCH_SWAP_MIB:-48}
swap_passes=${HZ_BENCH_SWAP_PASSES:-1}
# Writeback: empty HZ_BENCH_WB_ALGOS turns it off. Variants are hzram's
# settings (upstream runs once per round): b1 writeback_batch_size=1,
# b32 the default 32, cwb compressed_writeback=1 with batch 32. The last
# one is measured next to upstream in every round (see the main loop).
# 16 MiB, not the corpus' 64: under TCG a page that goes to or comes
# from the loop device one at a time takes 1-3 ms (upstream's writeback,
# hzram's batch 1 and its read-back), so 64 MiB cost about a minute a
# measurement.
wb_algos=${HZ_BENCH_WB_ALGOS-lz4}
wb_mib=${HZ_BENCH_WB_MIB:-16}
wb_variants=${HZ_BENCH_WB_VARIANTS:-b1 cwb b32}
# Global swap (HZ_BENCH_SWAP_GLOBAL=1, opt-in): the swap test without a
# memory cgroup, in a guest whose RAM is smaller than the workload (the
# harness gives it HZ_BENCH_MEM, 512M unless set), so that global reclaim
# swaps and shrink_slab() runs the pool's shrinker: the memcg test above
# never invokes it (the shrinker is not memcg-aware). The workload is
# HZ_BENCH_SWAP_GLOBAL_PCT % of MemAvailable at the step's start (or
# HZ_BENCH_SWAP_GLOBAL_MIB, to compare runs), split over
# HZ_BENCH_SWAP_GLOBAL_THREADS threads (several reclaimers at once).
swap_global=${HZ_BENCH_SWAP_GLOBAL:-0}
gswap_algos=${HZ_BENCH_SWAP_GLOBAL_ALGOS-lz4}
gswap_pct=${HZ_BENCH_SWAP_GLOBAL_PCT:-120}
gswap_fixed=${HZ_BENCH_SWAP_GLOBAL_MIB:-}
gswap_threads=${HZ_BENCH_SWAP_GLOBAL_THREADS:-4}
gswap_passes=${HZ_BENCH_SWAP_GLOBAL_PASSES:-2}
# Recompression: "PRIMARY SECONDARY" (empty turns it off), on
# HZ_BENCH_RECOMP_MIB of the stream. A driver without recomp_algorithm
# (Debian's 6.12 and 6.1 zram: no CONFIG_ZRAM_MULTI_COMP) cannot
# recompress; it stores the data with PRIMARY and with SECONDARY as its
# primary, the bound recompression approaches, and so does hzram. (Not
# in harness.py's BENCH_ENV: these defaults apply under make bench.)
recomp_algos=${HZ_BENCH_RECOMP_ALGOS-lz4 zstd}
recomp_mib=${HZ_BENCH_RECOMP_MIB:-$mib}
rc_from=$(echo $recomp_algos | cut -d' ' -f1)
rc_to=$(echo $recomp_algos | cut -s -d' ' -f2)
# Which parts run: io (64 MiB), swap, big (the 1 GiB io test), wb,
# recomp. The global mode's small guest has room for its swap test only.
if [ "$swap_global" = 1 ]; then
	tests=${HZ_BENCH_TESTS:-swap}
else
	tests=${HZ_BENCH_TESTS:-io swap big wb recomp}
fi
# HZ_BENCH_EXTRA="NAME=PATH ...": more zram.ko builds (another commit's
# hzram, say), staged by the harness as /lib/modules/NAME; they take their
# turn beside hzram and upstream in every measurement but writeback.
extra=
for s in ${HZ_BENCH_EXTRA:-}; do
	[ -f "/lib/modules/${s%%=*}/order" ] || fail "no module set ${s%%=*}"
	extra="$extra ${s%%=*}"
done
z=/sys/block/zram0
cg=/sys/fs/cgroup/zbench

echo "HZB-META lane=$LANE kernel=$(uname -r) rounds=$rounds algos=$(echo $algos | tr ' ' ,)" \
	"big_algos=$(echo $big_algos | tr ' ' ,) big_mib=$big_mib mib=$mib" \
	"swap_mib=$swap_mib swap_passes=$swap_passes page_size=$(page_size)" \
	"corpus_bytes=$(stat -c %s $corpus) wb_algos=$(echo $wb_algos | tr ' ' ,)" \
	"wb_mib=$wb_mib wb_variants=$(echo $wb_variants | tr ' ' ,)" \
	"tests=$(echo $tests | tr ' ' ,) swap_global=$swap_global" \
	"extra=$(echo $extra | tr ' ' ,)" \
	"recomp_algos=$(echo $recomp_algos | tr ' ' ,) recomp_mib=$recomp_mib"
grep MemTotal /proc/meminfo

# want PART: HZ_BENCH_TESTS names it.
want() {
	case " $tests " in
	*" $1 "*) return 0 ;;
	esac
	return 1
}

# meminfo PREFIX: the memory counters the bench reports, as key=value (kB).
meminfo() {
	awk -v p="$1" '$1 ~ /^(MemFree|Slab|SUnreclaim|VmallocUsed):$/ {
		sub(":", "", $1); printf "%s%s=%s ", p, $1, $2 }' /proc/meminfo
}

# settle: let freed memory reach the free lists before MemFree is read:
# write back, drop clean caches, and compact (which also drains the
# per-CPU page lists, where freed pages otherwise hide from MemFree).
settle() {
	sync
	echo 3 > /proc/sys/vm/drop_caches
	if [ -w /proc/sys/vm/compact_memory ]; then
		echo 1 > /proc/sys/vm/compact_memory
	fi
}

# hzb TAGS...: one result line; mm_stat's nine fields go in as mm0..mm8.
# hzram adds hzs_pages=, its data pages alone (from debugfs): its
# mem_used_total also counts the allocator's metadata, which Slab
# already shows, and upstream's counts data pages only.
hzb() {
	echo "HZB round=$r drv=$drv $* $(awk '{for (i = 1; i <= NF; i++) printf "mm%d=%s ", i - 1, $i}' $z/mm_stat)$(hzs_pages)"
}

hzs_pages() {
	f=/sys/kernel/debug/zram/zram0/classes
	[ -r "$f" ] || return 0
	awk '$1 == "pages" { printf " hzs_pages=%s", $2; exit }' "$f"
}

# io ALGO MIB BLOCK: write the stream to a fresh device, read it back,
# verify. The "before" counters are taken before disksize, so the slot
# table counts as part of what storing the data costs.
io() {
	echo "$1" > $z/comp_algorithm
	settle
	before=$(meminfo b_)
	echo "$(($2 + 16))M" > $z/disksize
	out=$(/tests/zbench io -d /dev/zram0 -c $corpus -m "$2" -b "$3") ||
		fail "zbench io $drv $1 ${2}M bs=$3: data did not verify: $out"
	settle
	hzb "algo=$1 test=io mib=$2 $out $before $(meminfo a_)"
	reset_zram zram0
}

# swap ALGO: zbench's page-touch workload in a memory cgroup a third of
# its size, over a zram swap device.
swap() {
	echo "$1" > $z/comp_algorithm
	echo "$((swap_mib * 2))M" > $z/disksize
	mkswap /dev/zram0 > /dev/null
	swapon /dev/zram0
	mkdir -p $cg
	# memory.high squeezes (reclaim on every charge); memory.max is the
	# backstop, as in 40-swap.
	echo $((swap_mib / 3))M > $cg/memory.high
	echo $((swap_mib * 2 / 3))M > $cg/memory.max
	out=$(/tests/zbench swap -c $corpus -m "$swap_mib" -p "$swap_passes" -g $cg) ||
		fail "zbench swap $drv $1: data did not verify: $out"
	hzb "algo=$1 test=swap mib=$swap_mib $out"
	swapoff /dev/zram0
	rmdir $cg
	reset_zram zram0
}

# The shrinkers' calls and what they freed during the global swap test:
# a histogram of vmscan:mm_shrink_slab_end keyed by the scan function (a
# hist trigger counts without enabling the event). It has an entry only
# for calls that found something to free (count_objects() nonzero).
tr=/sys/kernel/tracing
hist_ev=$tr/events/vmscan/mm_shrink_slab_end
hist_trig="hist:keys=shrink.sym:vals=hitcount,retval"
hist_on() {
	if [ ! -e $hist_ev ]; then
		mount -t tracefs nodev $tr 2>/dev/null || true
	fi
	[ -w $hist_ev/trigger ] || return 0
	echo "$hist_trig" > $hist_ev/trigger 2>/dev/null || true
}

# hist_off: "shrink_calls=N shrink_freed=N" of the pool's shrinker
# (hzram's hzs_shrink_scan, zsmalloc's zs_shrinker_scan), -1 without
# tracing; the raw entries go to the console. Removing the trigger clears
# the histogram.
hist_off() {
	if ! grep -q "^hist:keys=shrink.sym" $hist_ev/trigger 2>/dev/null; then
		echo "shrink_calls=-1 shrink_freed=-1"
		return 0
	fi
	grep -E "hzs_shrink_scan|zs_shrinker_scan" $hist_ev/hist |
		sed 's/^/hz: shrinker hist: /' >&2 || true
	awk '/hzs_shrink_scan|zs_shrinker_scan/ {
		for (i = 1; i < NF; i++) {
			if ($i == "hitcount:") c += $(i + 1)
			if ($i == "retval:") f += $(i + 1)
		}
	} END { printf "shrink_calls=%d shrink_freed=%d", c, f }' $hist_ev/hist
	echo "!$hist_trig" > $hist_ev/trigger 2>/dev/null || true
}

# swap_global ALGO: zbench gswap, no cgroup, over a zram swap device
# twice the workload. Nothing writes `compact` meanwhile, so
# pages_compacted (mm6) counts the shrinker's compaction only.
swap_global() {
	echo "$1" > $z/comp_algorithm
	echo "$((gswap_mib * 2))M" > $z/disksize
	mkswap /dev/zram0 > /dev/null
	settle
	swapon /dev/zram0
	hist_on
	oom0=$(vmstat oom_kill)
	rc=0
	out=$(/tests/zbench gswap -c $corpus -m "$gswap_mib" -p "$gswap_passes" \
		-t "$gswap_threads") || rc=$?
	shr=$(hist_off)
	if [ $rc != 0 ]; then
		[ "$(vmstat oom_kill)" = "$oom0" ] ||
			fail "zbench gswap $drv $1: the OOM killer ran (rc $rc): $out"
		fail "zbench gswap $drv $1: data did not verify (rc $rc): $out"
	fi
	hzb "algo=$1 test=swap-global mib=$gswap_mib $out $shr"
	swapoff /dev/zram0
	reset_zram zram0
}

# wb ALGO VARIANT: store the corpus, mark it all idle, time "idle >
# writeback" (every page but the same-filled ones goes to the backing
# device), then read it all back with O_DIRECT and verify it: the
# written-back pages come from the backing device. The backing
# device is the same preallocated loop device for every driver and
# variant, so they all write into the same tmpfs pages.
wb() {
	echo "$wb_loop" > $z/backing_dev
	case $2 in
	b1) echo 1 > $z/writeback_batch_size ;;
	b32|cwb) echo 32 > $z/writeback_batch_size ;;
	esac
	case $2 in
	b1|b32) echo 0 > $z/compressed_writeback ;;
	cwb) echo 1 > $z/compressed_writeback ;;
	esac
	echo "$1" > $z/comp_algorithm
	echo "$((wb_mib + 16))M" > $z/disksize
	wout=$(/tests/zbench io -d /dev/zram0 -c $corpus -m "$wb_mib" -b 1048576 -o w) ||
		fail "zbench io $drv $1 wb $2: write failed: $wout"
	echo all > $z/idle
	# What "idle" must write: every stored page but the same-filled ones.
	pre=$(awk -v ps="$(page_size)" '{printf "pre_mm2=%s wb_expect4k=%d",
		$3, ($1 - $6 * ps) / 4096}' $z/mm_stat)
	bout=$(/tests/zbench wb -z $z -s idle) ||
		fail "writeback $drv $1 $2: $bout"
	case $bout in
	*" wb_pages4k=0 "*) fail "writeback $drv $1 $2 wrote nothing: $bout" ;;
	esac
	sync
	echo 3 > /proc/sys/vm/drop_caches
	rout=$(/tests/zbench io -d /dev/zram0 -c $corpus -m "$wb_mib" -b 1048576 -o r) ||
		fail "zbench io $drv $1 wb $2: data did not verify after writeback: $rout"
	bd=$(awk '{printf "bd_count=%s bd_reads=%s bd_writes=%s", $1, $2, $3}' $z/bd_stat)
	hzb "algo=$1 test=wb variant=$2 mib=$wb_mib $wout $pre $bout $rout $bd"
	reset_zram zram0
}

# now_us VAR: a timestamp in microseconds, without a subshell (busybox
# ash's EPOCHREALTIME; /proc/uptime's hundredths without it).
now_us() {
	if [ -n "${EPOCHREALTIME:-}" ]; then
		t=$EPOCHREALTIME
	else
		read -r t _ < /proc/uptime
		t=${t}0000
	fi
	eval "$1=\${t%.*}\${t#*.}"
}

# recomp PRIMARY [SECONDARY]: store the stream with PRIMARY (zbench io -o
# w, timed) and report mm_stat (stage=primary). With SECONDARY, and a
# driver that has recomp_algorithm, then mark everything idle and time
# the one write of "type=idle" to recompress (stage=recomp, mm_stat
# after it). Either way the device is read back (O_DIRECT, 1 MiB) and
# verified; the read-back goes on the last line.
recomp() {
	rc_can=0
	if [ -n "$2" ] && [ -e $z/recomp_algorithm ]; then
		rc_can=1
	fi
	echo "$1" > $z/comp_algorithm
	if [ $rc_can = 1 ]; then
		printf 'algo=%s priority=1' "$2" > $z/recomp_algorithm ||
			fail "$drv: recomp_algorithm algo=$2 refused"
	fi
	echo "$((recomp_mib + 16))M" > $z/disksize
	rcio="/tests/zbench io -d /dev/zram0 -c $corpus -m $recomp_mib -b 1048576"
	wout=$($rcio -o w) ||
		fail "zbench io $drv $1 recomp: write failed: $wout"
	if [ $rc_can = 1 ]; then
		hzb "algo=$1 test=recomp stage=primary mib=$recomp_mib $wout"
		echo all > $z/idle
		now_us t0
		printf 'type=idle' > $z/recompress ||
			fail "recompress $drv $1 -> $2: the write failed"
		now_us t1
	fi
	sync
	echo 3 > /proc/sys/vm/drop_caches
	rout=$($rcio -o r) ||
		fail "zbench io $drv $1 recomp $2: data did not verify: $rout"
	if [ $rc_can = 1 ]; then
		hzb "algo=$1 recomp=$2 test=recomp stage=recomp mib=$recomp_mib" \
			"recomp_ns=$(((t1 - t0) * 1000)) $rout"
	else
		hzb "algo=$1 test=recomp stage=primary mib=$recomp_mib $wout $rout"
	fi
	reset_zram zram0
}

echo +memory > /sys/fs/cgroup/cgroup.subtree_control

# Only what both drivers offer is compared (Debian's 6.12 zram has no
# LZO backend, for one); the rest is named and skipped.
both=" "
for drv in hzram upstream; do
	HZ_MODULES=$drv
	load_zram num_devices=1
	eval "offer_$drv=\" \$(tr -d '[]' < $z/comp_algorithm) \""
	# Writeback needs backing_dev (CONFIG_ZRAM_WRITEBACK upstream), and
	# hzram's variants need 7.0's two attributes.
	if [ -e $z/backing_dev ]; then
		eval "wb_$drv=1"
	else
		eval "wb_$drv=0"
	fi
	if [ $drv = hzram ] && { [ ! -e $z/writeback_batch_size ] ||
				 [ ! -e $z/compressed_writeback ]; }; then
		wb_hzram=0
	fi
	# Recompression needs recomp_algorithm (CONFIG_ZRAM_MULTI_COMP
	# upstream; Debian's kernels build zram without it).
	if [ -e $z/recomp_algorithm ]; then
		eval "rc_$drv=1"
	else
		eval "rc_$drv=0"
	fi
	unload_zram
done
for a in $algos $big_algos $wb_algos $gswap_algos $recomp_algos; do
	case $both in
	*" $a "*) continue ;;
	esac
	case "$offer_hzram|$offer_upstream" in
	*" $a "*"|"*" $a "*) both="$both$a " ;;
	*) info "skipped $a: hzram offers$offer_hzram, upstream offers$offer_upstream" ;;
	esac
done
echo "HZB-META lane=$LANE compared=$(echo $both | tr ' ' ,)" \
	"hzram_offers=$(echo $offer_hzram | tr ' ' ,)" \
	"upstream_offers=$(echo $offer_upstream | tr ' ' ,)" \
	"recomp_hzram=$rc_hzram recomp_upstream=$rc_upstream"
if [ -n "$recomp_algos" ] && want recomp; then
	[ $rc_hzram = 1 ] ||
		info "hzram has no recomp_algorithm: it cannot recompress"
	[ $rc_upstream = 1 ] ||
		info "upstream cannot recompress on $(uname -r): no" \
			"recomp_algorithm (CONFIG_ZRAM_MULTI_COMP off); it" \
			"stores the data with $rc_from and with ${rc_to:-?}" \
			"as primary instead"
fi

# The backing device: a file in /tmp (tmpfs) behind a loop device,
# written once in full so that no measurement pays for tmpfs allocating
# the pages it writes into.
wb_loop=
if [ -n "$wb_algos" ] && want wb; then
	if [ "$wb_hzram$wb_upstream" != 11 ]; then
		info "no writeback test: backing_dev or writeback_batch_size missing" \
			"(hzram $wb_hzram, upstream $wb_upstream)"
	elif ! wb_loop=$(losetup -f 2>/dev/null) || [ ! -b "$wb_loop" ]; then
		info "no writeback test: no free loop device"
		wb_loop=
	else
		dd if=/dev/zero of=/tmp/zbench-backing bs=1M count=$((wb_mib + 32)) 2> /dev/null
		losetup "$wb_loop" /tmp/zbench-backing
		info "writeback test: backing device $wb_loop, $((wb_mib + 32)) MiB in tmpfs"
	fi
fi

# The global test's workload: a share of what is available now, with
# neither driver loaded, the same for every measurement.
gswap_mib=0
if [ "$swap_global" = 1 ] && want swap; then
	settle
	avail=$(awk '$1 == "MemAvailable:" {print $2}' /proc/meminfo)
	gswap_mib=$((${gswap_fixed:-avail * gswap_pct / 100 / 1024} / gswap_threads * gswap_threads))
	echo "HZB-META lane=$LANE gswap_mib=$gswap_mib gswap_pct=$gswap_pct" \
		"gswap_threads=$gswap_threads gswap_passes=$gswap_passes" \
		"gswap_algos=$(echo $gswap_algos | tr ' ' ,)" \
		"mem_total_kb=$(awk '$1 == "MemTotal:" {print $2}' /proc/meminfo)" \
		"mem_avail_kb=$avail swappiness=$(cat /proc/sys/vm/swappiness)"
	[ "$gswap_mib" -ge 64 ] || fail "global swap: only $avail kB available"
fi

# use DRV: have DRV's zram.ko loaded (and nothing else called zram).
loaded=
use() {
	[ "$loaded" = "$1" ] && return 0
	[ -z "$loaded" ] || unload_zram
	HZ_MODULES=$1
	drv=$1
	load_zram num_devices=1
	loaded=$1
	if [ -e /sys/module/zram/parameters/hzs_debug ] &&
	   [ "$(cat /sys/module/zram/parameters/hzs_debug)" != N ]; then
		fail "hzs_debug is on: red zones would distort hzram's memory figures"
	fi
}

# compared ALGO: both drivers offer it.
compared() {
	case $both in
	*" $1 "*) return 0 ;;
	esac
	return 1
}

# The drivers take turns at every measurement, not once per round: the
# host is shared (other guests, kernel builds), its load changes within
# seconds, and a pair measured back to back sees about the same load.
# The order flips every round (hzram first in odd rounds, upstream first
# in even ones), so a drift within a pair favours neither driver. Extra
# drivers go after upstream in odd rounds, before hzram in even ones.
r=1
while [ $r -le "$rounds" ]; do
	order=$(echo hzram upstream $extra)
	if [ $((r % 2)) = 0 ]; then
		order=$(echo $(echo $order | tr ' ' '\n' | sed -n '1!G;h;$p'))
	fi
	for a in $algos; do
		compared "$a" || continue
		want io || { want swap && [ "$swap_global" != 1 ]; } || continue
		tinfo "round $r $a ($order)"
		if want io; then
			for d in $order; do use $d; io "$a" "$mib" 1048576; done
			for d in $order; do use $d; io "$a" "$mib" 4096; done
		fi
		if want swap && [ "$swap_global" != 1 ]; then
			for d in $order; do use $d; swap "$a"; done
		fi
	done
	for a in $gswap_algos; do
		[ "$swap_global" = 1 ] && want swap && compared "$a" || continue
		tinfo "round $r global swap $a, ${gswap_mib} MiB, $gswap_threads threads ($order)"
		for d in $order; do use $d; swap_global "$a"; done
	done
	for a in $big_algos; do
		want big && compared "$a" || continue
		tinfo "round $r $a ${big_mib}M ($order)"
		for d in $order; do use $d; io "$a" "$big_mib" 1048576; done
	done
	# hzram's variants in a row, upstream beside them: the default (b32,
	# last of the list) is next to upstream in every round.
	if [ $((r % 2)) = 1 ]; then
		variants=$wb_variants
	else
		variants=$(echo $wb_variants | tr ' ' '\n' | sed -n '1!G;h;$p')
	fi
	for a in $wb_algos; do
		[ -n "$wb_loop" ] && compared "$a" || continue
		tinfo "round $r writeback $a ($order)"
		for d in $order; do
			case $d in
			hzram|upstream) ;;
			*) continue ;;
			esac
			# $drv, not $d: unload_zram's own loop reuses d.
			use $d
			if [ "$drv" = upstream ]; then
				wb "$a" upstream
			else
				for v in $variants; do wb "$a" $v; done
			fi
		done
	done
	# Recompression: PRIMARY (then recompressed where the driver can)
	# for each driver in turn, then SECONDARY as primary for each.
	if [ -n "$recomp_algos" ] && want recomp; then
		if ! compared "$rc_from" ||
		   { [ -n "$rc_to" ] && ! compared "$rc_to"; }; then
			[ $r != 1 ] || info "no recompression test:" \
				"$recomp_algos not offered by both"
		else
			tinfo "round $r recompression $rc_from ->" \
				"${rc_to:-none}, ${recomp_mib}M ($order)"
			for d in $order; do use $d; recomp "$rc_from" "$rc_to"; done
			if [ -n "$rc_to" ]; then
				for d in $order; do use $d; recomp "$rc_to" ""; done
			fi
		fi
	fi
	r=$((r + 1))
done
[ -z "$loaded" ] || unload_zram
if [ -n "$wb_loop" ]; then
	losetup -d "$wb_loop"
	rm -f /tmp/zbench-backing
fi
tinfo "bench done"
