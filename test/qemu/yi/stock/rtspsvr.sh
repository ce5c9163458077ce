# rtspsvr, the third-party RTSP server YI stream and fritz-smh install (yi.md §5): reads
# rmm's frames from /home/mmap_tmpfs/mmap.info and serves ch0_0.h264 (1280x720) and
# ch0_1.h264 (640x360) with audio on port 554. Here the frames come from the test's
# sensor (GStreamer's RTSP server on the host), relayed as the camera would serve them.
if [ ! -s /home/mmap_tmpfs/mmap.info ]; then
	echo "rtspsvr: cannot open share memory /home/mmap_tmpfs/mmap.info (is rmm running?)" | tee /dev/console
	exit 1
fi
echo "rtspsvr: serving rtsp://0.0.0.0:554/ch0_0.h264 and ch0_1.h264" > /dev/console
exec tcpsvd 0 554 nc 10.0.2.2 "$(awk '{ print $2; exit }' /etc/stock/sensor-port)"
