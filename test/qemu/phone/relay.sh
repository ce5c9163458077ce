# One connection from the test host (tcpsvd on the phone's port $1) to the same port of
# the camera, through the phone's Wi-Fi.
exec nc "$(cat /tmp/router)" "$1"
