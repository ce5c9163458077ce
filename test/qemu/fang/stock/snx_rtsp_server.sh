# snx_rtsp_server, the Sonix RTSP server (vendor file, fang-hacks.md §4): serves
# rtsp://IP:554/unicast at -W x -H and -F fps (defaults 1280x720 at 30 fps), with A-law
# audio when -a is given. The frames come from the test's sensor (GStreamer's RTSP server
# on the host) in the mode the arguments ask for, relayed as the camera serves them.
W=1280
H=720
F=30
A=none
while getopts "hb:W:H:g:Q:P:F:i:O:T:m:u:M:aj:cs:" opt; do
	case "$opt" in
		W) W="$OPTARG" ;;
		H) H="$OPTARG" ;;
		F) F="$OPTARG" ;;
		a) A=pcma ;;
		*) ;;
	esac
done
# The cloud app holds the ISP and the encoder while it runs (fang-hacks.md §2.6).
if pidof iCamera iSC3S > /dev/null; then
	echo "snx_rtsp_server: cannot open /dev/video1: device busy (the cloud app holds the encoder)" | tee /dev/console
	exit 1
fi
port=$(awk -v mode="=${W}x${H}@${F}/${A}" 'index($1, mode) { print $2; exit }' /etc/stock/sensor-port)
if [ -z "$port" ]; then
	echo "snx_rtsp_server: the sensor has no mode ${W}x${H} at ${F} fps" | tee /dev/console
	exit 1
fi
echo "snx_rtsp_server: serving rtsp://0.0.0.0:554/unicast ${W}x${H} at ${F} fps, audio ${A}" > /dev/console
exec tcpsvd 0 554 nc 10.0.2.2 "$port"
