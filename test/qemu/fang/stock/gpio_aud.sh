# gpio_aud, the stock GPIO tool of the audio block (fang-hacks.md §1.4 lists it among the
# stock tools the scripts use): "read 2" is the light sensor, 1 in light and 0 in the
# dark (fang-hacks' fang-ir-control.sh). The test darkens the room by writing 0 to
# /tmp/.stock/light; writes are only logged (the stand-in's log line).
if [ "$1" = read ] && [ "$2" = 2 ]; then
	cat /tmp/.stock/light 2> /dev/null || echo 1
fi
exit 0
