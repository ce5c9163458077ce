# One HTTP exchange of the Boa stand-in (run by tcpsvd for each connection): reads the
# request up to its empty line, answers with a stock page.
read -r method path _
cr=$(printf '\r')
while read -r line && [ -n "${line%"$cr"}" ]; do :; done
printf 'HTTP/1.0 200 OK\r\nServer: Boa/0.94.14rc21\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n<html><body>stock Boa: %s %s</body></html>\n' "$method" "$(echo "$path" | tr -cd 'A-Za-z0-9/._-')"
