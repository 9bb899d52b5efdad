# make bench: where the kernel's CPU time goes while a zram device is
# written and read, for hzram's zram.ko and the kernel's own zram in this
# one guest (the guests have no perf binary: /tests/hzprof samples
# cpu-clock on every CPU and resolves the IPs with /proc/kallsyms).
#
# For each algorithm of HZ_PROF_ALGOS (lz4 zstd) and each driver (hzram,
# then upstream), a fresh device gets the first HZ_PROF_MIB (128) MiB of
# the bench stream (the 64 MiB corpus, then its pages again, each with a
# stamp: see zbench.c; twice the corpus for twice the samples) written
# (zbench io -o w: 1 MiB O_DIRECT writes), then read back and verified
# (-o r) HZ_PROF_READS (3) times (reading is quicker: more samples), each
# under hzprof at HZ_PROF_HZ (2000) samples a second per CPU. The
# profile's scope is the write and fsync system calls, or the read ones:
# what zbench times, not its loading of the corpus or its making and
# comparing of the expected data. Each run
# prints "HZP run driver=D algo=A op=write|read" with zbench's figures
# (with the profiler's overhead in them: not the bench's numbers), then
# hzprof's HZP lines, every one tagged with the same driver, algo and op
# (hzprof.c says what the groups hold). scripts/bench-report.py reads
# HZB lines only. It measures and never judges: it fails only when data
# does not read back as written or something functional breaks.
# hz-only: bench (make bench; never in make check or check-all)
. /tests/lib.sh
. /etc/hzram/lane.env

corpus=/bench/corpus.bin
[ -f "$corpus" ] || fail "no $corpus in the initramfs"
algos=${HZ_PROF_ALGOS-lz4 zstd}
mib=${HZ_PROF_MIB:-128}
hz=${HZ_PROF_HZ:-2000}
top=${HZ_PROF_TOP:-15}
reads=${HZ_PROF_READS:-3}
z=/sys/block/zram0
if [ -z "$algos" ]; then
	echo "skip: HZ_PROF_ALGOS is empty"
	exit 77
fi

# Kernel addresses in /proc/kallsyms, and a sample rate the kernel keeps:
# by default it lowers perf_event_max_sample_rate when its sampling
# interrupt takes long, which it does under TCG; perf_cpu_time_max_percent
# 0 stops that (and then refuses writes to the rate, so it goes first).
# Restored at the end, in the reverse order.
sysctl_set() {
	[ -w "/proc/sys/kernel/$1" ] || return 0
	eval "old_$1=\$(cat /proc/sys/kernel/$1)"
	echo "$2" 2>/dev/null > "/proc/sys/kernel/$1" ||
		info "could not set kernel.$1 to $2"
}
sysctl_set kptr_restrict 0
sysctl_set perf_event_max_sample_rate 100000
sysctl_set perf_cpu_time_max_percent 0
restore() {
	for k in perf_cpu_time_max_percent perf_event_max_sample_rate \
		 kptr_restrict; do
		eval "v=\${old_$k:-}"
		[ -z "$v" ] || echo "$v" 2>/dev/null > "/proc/sys/kernel/$k" ||
			info "could not restore kernel.$k to $v"
	done
}

if ! probe=$(/tests/hzprof -F 100 -n 1 -- true 2>&1); then
	restore
	echo "skip: no cpu-clock sampling here: $probe"
	exit 77
fi
echo "HZP-META lane=$LANE kernel=$(uname -r) cpus=$(nproc) hz=$hz mib=$mib" \
	"algos=$(echo $algos | tr ' ' ,)"

# prof DRV ALGO OP ZBENCH-OPS SCOPE PASSES: zbench io -o ZBENCH-OPS,
# PASSES times in a row, under one hzprof. The run line carries the last
# pass's zbench output and every pass's MiB/s (mibs=).
prof() {
	tag="driver=$1 algo=$2 op=$3"
	zb="/tests/zbench io -d /dev/zram0 -c $corpus -m $mib -b 1048576 -o $4"
	out=$(/tests/hzprof -F "$hz" -n "$top" -t "$tag" -s "$5" \
		-o /tmp/hzprof.out -- sh -c "i=0; while [ \$i -lt $6 ]; do
			$zb || exit; i=\$((i + 1)); done") ||
		fail "$tag: zbench io -o $4 failed: $out"
	mibs=$(echo "$out" | sed -n 's/.*_mibs=\([0-9.]*\).*/\1/p' |
		tr '\n' , | sed 's/,$//')
	echo "HZP run $tag passes=$6 mibs=$mibs $(echo "$out" | tail -n 1)"
	cat /tmp/hzprof.out
	rm -f /tmp/hzprof.out
}

for a in $algos; do
	for drv in hzram upstream; do
		HZ_MODULES=$drv
		load_zram num_devices=1
		case " $(tr -d '[]' < $z/comp_algorithm) " in
		*" $a "*) ;;
		*)
			info "$drv offers no $a: $(cat $z/comp_algorithm)"
			unload_zram
			continue
			;;
		esac
		echo "$a" > $z/comp_algorithm
		echo "$((mib + 16))M" > $z/disksize
		tinfo "profile $drv $a"
		prof $drv "$a" write w sys_pwrite64,sys_fsync 1
		prof $drv "$a" read r sys_pread64 "$reads"
		reset_zram zram0
		unload_zram
	done
done
restore
tinfo "profile done"
