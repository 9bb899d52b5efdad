# make demo: what a newcomer would type, with the output left visible.
. /tests/lib.sh
set -x
load_zram num_devices=1
cat /sys/block/zram0/comp_algorithm
echo lz4 > /sys/block/zram0/comp_algorithm
echo 256M > /sys/block/zram0/disksize
mkfs.ext4 -q /dev/zram0
mount /dev/zram0 /mnt
make_tree /mnt/demo 32
sync
df -h /mnt
umount /mnt
mount /dev/zram0 /mnt
check_tree /mnt/demo
id=$(cat /sys/class/zram-control/hot_add)
echo 128M > "/sys/block/zram$id/disksize"
mkswap "/dev/zram$id"
swapon "/dev/zram$id"
cat /proc/swaps
echo +memory > /sys/fs/cgroup/cgroup.subtree_control
mkdir -p /sys/fs/cgroup/demo
echo 24M > /sys/fs/cgroup/demo/memory.high
echo 48M > /sys/fs/cgroup/demo/memory.max
sh -c 'echo $$ > /sys/fs/cgroup/demo/cgroup.procs; exec /tests/memstress -m 64 -t 2 -s 10'
set +x
echo "mm_stat: orig_data_size compr_data_size mem_used_total mem_limit mem_used_max same_pages pages_compacted huge_pages huge_pages_since"
for d in zram0 "zram$id"; do echo "$d: $(cat /sys/block/$d/mm_stat)"; done
zramctl
swapoff "/dev/zram$id"
rmdir /sys/fs/cgroup/demo
umount /mnt
unload_zram
