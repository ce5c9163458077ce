# gpio_ms1, the stock tool of the main GPIO block (fang-hacks.md §1.4): pin 2 drives the
# IR-cut filter, 6 powers the sensor, 7 the speaker. The stand-in's log line is the
# record of the call; it returns.
exit 0
