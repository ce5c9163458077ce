# rmm, the YI's media daemon (yi.md §3: "handles camera hardware"; rtspsvr reads the
# frames it puts in shared memory, /home/mmap_tmpfs/mmap.info, §5).
# "rmm FILE [1]" plays a voice prompt and returns (yi.md §2c, §2d).
if [ $# -gt 0 ]; then
	echo "rmm: plays $1"
	exit 0
fi
# The video modules come first (3518/load3518_left -i loads sys, viu, vpss, venc, h264e:
# yi.md §6); without them the encoder cannot start. [model: the real message is unknown]
if [ ! -e /tmp/.stock/media-modules ]; then
	echo "rmm: HI_MPI_SYS_Init failed: media modules not loaded (3518/load3518_left -i)" | tee /dev/console
	exit 1
fi
# The frame ring the encoder writes for rtspsvr, in the tmpfs: 7 MiB of RAM that cannot
# be swapped or reclaimed (see stock/standins for the figures).
dd if=/dev/zero of=/home/mmap_tmpfs/mmap.info bs=1024 count=7168 2> /dev/null
: > /tmp/waitdump
echo "rmm: encoder running" > /dev/console
while true; do sleep 3600; done
