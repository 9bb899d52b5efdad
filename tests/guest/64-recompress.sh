# Recompression end to end. zram-generator's exact writes for
# `compression-algorithm = lzo-rle zstd(level=3) (type=idle)` (its
# release, then its pending PR #216 form); the guest's own files stored
# with lzo-rle, marked idle and recompressed with zstd: compr_data_size
# must fall, every block reads back, block_state shows r/n. Then the
# attribute errors, type=huge (random data: all marked n), max_pages
# taking the largest objects first, two secondaries by priority, and a
# dictionary (lz4 everywhere, zstd where the kernel's zstd has one)
# measured against none on small text objects.
. /tests/lib.sh
require_hzram "recompression on 6.1, dictionaries, largest-first and hzram's debugfs"
load_zram num_devices=2
z=/sys/block/zram0
dbg=/sys/kernel/debug/zram/zram0
ps=$(page_size)
mkdir -p /tmp/rc

compr() {
	awk '{print $2}' $z/mm_stat
}
# flag N: slots with block_state's flag column N set (5 r, 6 n, 4 i).
flag() {
	awk -v n="$1" 'substr($3, n, 1) != "."' $dbg/block_state | wc -l
}
verify0() {
	out=$(cat $dbg/verify)
	[ "${out%% *}" = 0 ] || fail "verify ($1): $out"
}
# fill FILE BLOCKS: write FILE to zram0 and record how many blocks.
fill() {
	dd if="$1" of=/dev/zram0 bs=$ps count="$2" oflag=direct 2>/dev/null
}
readback() {
	dd if=/dev/zram0 of=/tmp/rc/back bs=$ps count="$2" iflag=direct 2>/dev/null
	cmp "$1" /tmp/rc/back || fail "read-back differs ($3)"
}

# The guest's own files: its programs, libraries and modules, cut to
# whole pages. Random pages at the end are stored raw (huge).
tar cf - /bin /sbin /usr /lib 2>/dev/null | head -c $((24 << 20)) > /tmp/rc/files
nb=$(( $(stat -c %s /tmp/rc/files) / ps ))
[ $nb -ge 128 ] || fail "only $nb pages of guest files"
# (dd cuts the file at the seek point: whole pages only.)
dd if=/dev/urandom of=/tmp/rc/files bs=$ps seek=$nb count=32 2>/dev/null
nb=$((nb + 32))

# --- zram-generator, unchanged ---------------------------------------
# Its release writes the secondary's level to recompress before disksize
# (refused, as upstream; it warns and goes on) and never writes
# (type=idle) anywhere; PR #216 moves the level to algorithm_params and
# writes type=idle to recompress, still before disksize.
printf lzo-rle > $z/comp_algorithm
printf 'algo=zstd priority=1' > $z/recomp_algorithm
expect_errno EINVAL $z/recompress 'level=3 priority=1'
expect_errno ok $z/algorithm_params 'priority=1 level=3'
expect_errno EINVAL $z/recompress 'type=idle'
grep -q '^#1: .*\[zstd\]' $z/recomp_algorithm ||
	fail "recomp_algorithm: $(cat $z/recomp_algorithm)"
[ "$(grep -c '^#' $z/recomp_algorithm)" = 1 ] || fail "recomp_algorithm lists more"
grep -q '\[lzo-rle\]' $z/comp_algorithm || fail "comp_algorithm"
printf $((nb * ps * 2)) > $z/disksize
info "zram-generator sequence accepted"

fill /tmp/rc/files $nb
readback /tmp/rc/files $nb "stored"
c0=$(compr)
huge0=$(awk '{print $8}' $z/mm_stat)
echo all > $z/idle
printf 'type=idle' > $z/recompress
c1=$(compr)
r=$(flag 5) n=$(flag 6)
info "type=idle with zstd: compr_data_size $c0 -> $c1 ($(( (c0 - c1) * 100 / c0 ))% less); $r slots r, $n n of $nb"
[ $c1 -lt $((c0 * 95 / 100)) ] || fail "recompression saved less than 5%: $c0 -> $c1"
[ $r -gt $((nb / 2)) ] || fail "only $r slots recompressed"
[ $n -ge 32 ] || fail "only $n slots incompressible (32 random pages)"
[ "$(flag 4)" = 0 ] || fail "recompressed slots kept idle"
[ "$(awk '{print $8}' $z/mm_stat)" -le "$huge0" ] || fail "huge_pages grew"
readback /tmp/rc/files $nb "recompressed"
verify0 "recompressed"
# Nothing left to do: a second pass changes nothing.
echo all > $z/idle
printf 'type=idle' > $z/recompress
[ "$(compr)" = $c1 ] || fail "second pass changed compr_data_size"

# --- errors ----------------------------------------------------------
expect_errno EBUSY $z/recomp_algorithm 'algo=lz4 priority=2'
expect_errno EBUSY $z/algorithm_params 'priority=1 level=5'
expect_errno EINVAL $z/recompress 'type=foo'
expect_errno EINVAL $z/recompress 'priority=0'
expect_errno EINVAL $z/recompress 'priority=2'
expect_errno EINVAL $z/recompress 'algo=lz4'
expect_errno EINVAL $z/recompress "threshold=$ps"
expect_errno EINVAL $z/recompress 'bogus=1'
reset_zram zram0
[ -z "$(cat $z/recomp_algorithm)" ] || fail "reset kept recomp_algorithm"
expect_errno EINVAL $z/recompress 'type=idle'
expect_errno EINVAL $z/recomp_algorithm 'algo=zstd priority=4'
expect_errno EINVAL $z/recomp_algorithm 'algo=nosuch'
expect_errno EINVAL $z/recomp_algorithm 'priority=1'
expect_errno EINVAL $z/algorithm_params 'priority=2 level=3'
expect_errno EINVAL $z/algorithm_params 'algo=zstd level=3'
expect_errno EINVAL $z/algorithm_params 'dict=/nonexistent'
# lzo-rle (the default again) takes no dictionary: refused, not ignored.
expect_errno EOPNOTSUPP $z/algorithm_params "dict=/tests/lib.sh"

# --- huge, max_pages (largest first), two secondaries ------------------
printf lz4 > $z/comp_algorithm
printf 'algo=lz4hc priority=1' > $z/recomp_algorithm
printf 'algo=zstd priority=3' > $z/recomp_algorithm
[ "$(grep -c '^#' $z/recomp_algorithm)" = 2 ] || fail "two secondaries"
printf $((nb * ps * 2)) > $z/disksize
fill /tmp/rc/files $nb
huge=$(awk '{print $8}' $z/mm_stat)
printf 'type=huge' > $z/recompress
# Every raw slot is tried: a stronger algorithm packs some (r), the
# random pages it cannot (n); packed slots are not touched.
[ "$(flag 6)" -ge 32 ] || fail "type=huge: $(flag 6) n of 32 random pages"
[ $(( $(flag 5) + $(flag 6) )) = $huge ] ||
	fail "type=huge: $(flag 5) r + $(flag 6) n, $huge huge slots"
info "type=huge: $huge raw slots, $(flag 5) now packed, $(flag 6) incompressible"
# At most 20 slots move to lz4hc (which 20 is KUnit's to check:
# block_state has no sizes); a slot lz4hc cannot shrink is not marked,
# since zstd has not had its try.
r0=$(flag 5)
printf 'max_pages=20 priority=1' > $z/recompress
t=$(( $(flag 5) - r0 ))
[ $t -le 20 ] && [ $t -gt 0 ] || fail "max_pages=20 recompressed $t slots"
printf 'algo=zstd' > $z/recompress
info "lz4 -> lz4hc (20 largest) -> zstd: $(flag 5) r, $(flag 6) n; mm_stat $(mm_stat zram0)"
readback /tmp/rc/files $nb "two secondaries"
verify0 "two secondaries"
reset_zram zram0

# --- dictionaries ------------------------------------------------------
# Small text objects (the steps' own shell scripts, a page each), with a
# dictionary chosen from other scripts of the same set.
cat /tests/*.sh > /tmp/rc/sh
sz=$(stat -c %s /tmp/rc/sh)
head -c $((sz / 4)) /tmp/rc/sh > /tmp/rc/dict
tb=$(( (sz - sz / 4) / ps ))
[ $tb -ge 2 ] || fail "only $tb pages of text"
tail -c +$((sz / 4 + 1)) /tmp/rc/sh | head -c $((tb * ps)) > /tmp/rc/text
# dictrun ALGO [PARAMS]: store the text with them; compr_data_size
# goes to /tmp/rc/size.
dictrun() {
	printf "$1" > $z/comp_algorithm
	[ -z "$2" ] || printf "$2" > $z/algorithm_params
	printf $((tb * ps * 2)) > $z/disksize
	fill /tmp/rc/text $tb
	# The live compressor's dictionary must stay: no change after init
	# (6.12 took it, and freed the dictionary under the compressor).
	expect_errno EBUSY $z/algorithm_params 'level=1'
	readback /tmp/rc/text $tb "$1 $2"
	compr > /tmp/rc/size
	verify0 "$1 $2"
	reset_zram zram0
}
for a in lz4 lz4hc zstd; do
	dictrun $a ""
	plain=$(cat /tmp/rc/size)
	printf $a > $z/comp_algorithm
	if ! printf 'dict=/tmp/rc/dict' > $z/algorithm_params 2>/dev/null; then
		[ $a = zstd ] || fail "$a refused a dictionary"
		expect_errno EOPNOTSUPP $z/algorithm_params 'dict=/tmp/rc/dict'
		info "zstd: this kernel's zstd has no dictionary API (6.1): refused"
		continue
	fi
	dictrun $a 'dict=/tmp/rc/dict'
	withd=$(cat /tmp/rc/size)
	info "$a on $tb pages of text: $plain bytes, $withd with a dictionary ($(( (plain - withd) * 100 / plain ))% less)"
	[ "$withd" -lt "$plain" ] || fail "$a: the dictionary did not help ($plain -> $withd)"
done
unload_zram
