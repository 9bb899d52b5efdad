# Lane sanity: the guest is the machine the lane claims to be.
. /tests/lib.sh
info "lane $LANE: $(uname -r) $(uname -m), $(nproc) cpus"
grep -E "MemTotal|HighTotal|LowTotal" /proc/meminfo
if [ "${HZ_HIGHMEM:-0}" = 1 ]; then
	high=$(awk '/HighTotal/ {print $2}' /proc/meminfo)
	[ "${high:-0}" -gt 0 ] || fail "HIGHMEM lane without highmem (HighTotal=${high:-none})"
	info "HighTotal ${high} kB: pool pages will mostly be highmem"
fi
