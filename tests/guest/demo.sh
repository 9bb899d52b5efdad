# make demo: what a newcomer would type, and what each command did. The
# story goes to the console as lines that start with "HZ-DEMO ";
# harness.py's demo shows only those (prefix stripped) and keeps the
# whole console, kernel log included, in the lane's console.log.
. /tests/lib.sh

say() {
	echo "HZ-DEMO $*"
}

# The helpers' own progress lines (check_tree's count) are part of the story.
info() {
	say "  $*"
}

# show CMD: print CMD as typed, run it (eval: it may hold a redirection
# or a pipe) and print its output indented. A failing command fails the
# demo, with its output shown.
show() {
	say "\$ $1"
	rc=0
	eval "$1" > /tmp/demo.out 2>&1 || rc=$?
	sed 's/^/HZ-DEMO     /' /tmp/demo.out
	[ $rc = 0 ] || fail "'$1' exited with status $rc"
}

# snap DEV: mm_stat and io_stat of DEV, on one line.
snap() {
	echo $(cat "/sys/block/$1/mm_stat" "/sys/block/$1/io_stat")
}

# What each field of mm_stat and io_stat means, in file order.
FIELDS="mm_stat orig_data_size|data stored, uncompressed (bytes)
mm_stat compr_data_size|the same data compressed (bytes)
mm_stat mem_used_total|memory the device uses (bytes)
mm_stat mem_limit|its limit (bytes, 0: none)
mm_stat mem_used_max|the most it has used (bytes)
mm_stat same_pages|pages of one repeated word (no memory)
mm_stat pages_compacted|pages freed by compaction
mm_stat huge_pages|pages stored uncompressed
mm_stat huge_pages_since|the same, counted since setup
io_stat failed_reads|reads that failed
io_stat failed_writes|writes that failed
io_stat invalid_io|always 0 (kept for the format)
io_stat notify_free|pages freed by swap or discard"

# stat_table DEV "LABEL..." SNAP...: the snapshots side by side, one
# field a line, with its name and what it means.
stat_table() {
	dev=$1 labels=$2
	shift 2
	echo "$FIELDS" > /tmp/demo.fields
	for s in "$@"; do echo "$s"; done > /tmp/demo.snaps
	awk -F'|' -v dev="$dev" -v labels="$labels" '
	NR == FNR { name[FNR] = $1; what[FNR] = $2; nf = FNR; next }
	{ n++; split($0, x, " "); for (i = 1; i <= nf; i++) v[n, i] = x[i] }
	END {
		nl = split(labels, l, " ")
		line = sprintf("  %-24s", dev)
		for (c = 1; c <= nl; c++)
			line = line sprintf(" %10s", l[c])
		print "HZ-DEMO " line
		for (i = 1; i <= nf; i++) {
			line = sprintf("  %-24s", name[i])
			for (c = 1; c <= n; c++)
				line = line sprintf(" %10s", v[c, i])
			print "HZ-DEMO " line "  " what[i]
		}
	}' /tmp/demo.fields /tmp/demo.snaps
}

# ratio SNAP: how much data a snap held, in how much memory.
ratio() {
	set -- $1
	awk -v o="$1" -v m="$3" 'BEGIN {
		printf "%.1f MiB of data held in %.1f MiB of memory", o / 1048576, m / 1048576
		if (m > 0)
			printf " (%.1f:1)", o / m
	}'
}

say "hzram demo: Linux $(uname -r) $(uname -m), $(nproc) CPUs," \
	"$(awk '/MemTotal/ {printf "%d MiB", $2 / 1024}' /proc/meminfo) of RAM"
say ""
say "1. Load the driver (module zram) with one device."
deps=$(sed '$d' "/lib/modules/$HZ_MODULES/order" | sed 's,.*/,,; s,\.ko$,,')
[ -z "$deps" ] || say "   The kernel's compressor modules it uses come first:" $deps
say "\$ insmod zram.ko num_devices=1"
load_zram num_devices=1
show "ls /sys/block | grep zram"
show "cat /sys/block/zram0/comp_algorithm"
say "   The bracketed name is the active compressor. Pick lz4 and a size:"
show "echo lz4 > /sys/block/zram0/comp_algorithm"
show "echo 256M > /sys/block/zram0/disksize"
show "cat /sys/block/zram0/comp_algorithm /sys/block/zram0/disksize"
zram0_before=$(snap zram0)

say ""
say "2. An ext4 filesystem on /dev/zram0."
show "mkfs.ext4 -q /dev/zram0"
show "mount /dev/zram0 /mnt"
say "   Write 32 MiB of files (random, text, zeroes, program code)" \
	"and note their md5sums:"
make_tree /mnt/demo 32
show "df -h /mnt"
say "   Unmount and mount again, so the files are read back from the device:"
show "umount /mnt"
show "mount /dev/zram0 /mnt"
check_tree /mnt/demo

say ""
say "3. A swap device, and a program that needs more memory than it may use."
show "cat /sys/class/zram-control/hot_add"
id=$(cat /tmp/demo.out)
show "echo 128M > /sys/block/zram$id/disksize"
zram1_before=$(snap "zram$id")
show "mkswap /dev/zram$id"
show "swapon /dev/zram$id"
say "   A memory cgroup holds the program to 24 MiB (48 MiB at the most):"
show "echo +memory > /sys/fs/cgroup/cgroup.subtree_control"
show "mkdir -p /sys/fs/cgroup/demo"
show "echo 24M > /sys/fs/cgroup/demo/memory.high"
show "echo 48M > /sys/fs/cgroup/demo/memory.max"
say "   memstress: 2 threads write and check 64 MiB of pages for 10 s;" \
	"what does not fit goes to /dev/zram$id and must come back intact."
say "\$ echo \$\$ > /sys/fs/cgroup/demo/cgroup.procs; /tests/memstress -m 64 -t 2 -s 10"
sh -c 'echo $$ > /sys/fs/cgroup/demo/cgroup.procs; exec /tests/memstress -m 64 -t 2 -s 10' \
	> /tmp/memstress.out 2>&1 &
pid=$!
# A look at the swap device while the program runs: on exit it frees its
# pages, and the swap device empties.
sleep 6
say "   6 s in, part of the program's memory is on the swap device:"
show "cat /proc/swaps"
zram1_during=$(snap "zram$id")
rc=0
wait $pid || rc=$?
say "   memstress's report (mismatches and zero pages must be 0):"
sed 's/^/HZ-DEMO     /' /tmp/memstress.out
[ $rc = 0 ] || fail "memstress exited with status $rc"

say ""
say "4. What the devices did."
zram0_after=$(snap zram0)
stat_table zram0 "before after" "$zram0_before" "$zram0_after"
say "  zram0 after: $(ratio "$zram0_after")"
say ""
stat_table "zram$id" "before during after" "$zram1_before" "$zram1_during" "$(snap "zram$id")"
say "  zram$id during the run: $(ratio "$zram1_during")"
say ""
say "   util-linux zramctl reads the same files:"
show "zramctl"

say ""
say "5. Clean up."
show "swapoff /dev/zram$id"
show "rmdir /sys/fs/cgroup/demo"
show "umount /mnt"
show "rmmod zram"
say ""
say "The demo ran to the end: every file and every swapped page read back intact."
