# 3518/load3518_left -i: loads the HiSilicon media modules (sys, viu, vpss, venc, h264e,
# jpege, vda: yi.md §6, boot log) that rmm needs.
mkdir -p /tmp/.stock
: > /tmp/.stock/media-modules
echo "load3518_left: media modules loaded"
