# snx_isp_ctl, the Sonix ISP control tool (vendor file): the stand-in's log line
# (/tmp/stock-calls.log) is the record of the call (OSD, flip, mirror, IR); it returns.
exit 0
