# Boa, the Xiaofang's stock web server, on port 80 (fang-hacks.md §3, §4: the stock CGIs
# and fang-hacks' own are served by it). Here it answers every request with a stock page.
exec tcpsvd 0 80 sh /etc/stock/boa-http.sh
