#!/bin/bash
# Hostile HTTP against a running certpress-verifyd (t6006 has the ordinary
# 414, 431, 405, /../ and the connection limit): each request over a raw
# socket with its exact status, or the connection closed where no status
# is due; paths with %00, overlong UTF-8 and dot segments, very long
# paths and headers, every method but GET and HEAD, request bodies,
# many connections held open trickling a request (slowloris) while
# another address is still served; and the access log never holding what
# a visitor sent beyond the route and a canonical reference.
. "$(dirname "$0")/lib.sh"
shopt -s lastpipe # req and bytes end pipelines: their checks count here
make_key
verifyd_setup
results_file small.xml 1 "Small Centre" <<'L'
E0001|Ada|Lovelace|ada@example.org
L
run certpress run small.xml
check "a batch published (run exits 0)" "[ $rc = 0 ] && [ -s verifyd/snapshot/snapshot ]"
cert=$(doc_ref Lovelace certificate)
verifyd_conf rate 100000
verifyd_conf burst 100000
verifyd_conf connections-per-address 4
verifyd_conf timeout 3
start_verifyd
check "the service listens" "[ -n '$verifyd_port' ]"

# raw.py PORT [--from ADDR]: standard input sent as it is; prints the
# response's status code, or "closed" if the connection ended without one
cat > raw.py <<'PY'
import socket, sys
port = int(sys.argv[1])
src = sys.argv[3] if len(sys.argv) > 3 else "127.0.0.1"
data = sys.stdin.buffer.read()
s = socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(src, 0))
try:
    s.sendall(data)
except OSError:
    pass
got = b""
try:
    while b"\r\n" not in got:
        b = s.recv(4096)
        if not b:
            break
        got += b
except OSError:
    pass
line = got.split(b"\r\n", 1)[0].split()
print(line[1].decode() if len(line) > 1 and got.startswith(b"HTTP/1.") else "closed")
PY
# req NAME WANT: the request on standard input (\n made \r\n) has status WANT
req() {
	local got
	got=$(sed 's/$/\r/' | python3 raw.py "$verifyd_port")
	check "$1: $2" "[ '$got' = '$2' ]"
}
# bytes NAME WANT: the same, standard input sent byte for byte
bytes() {
	local got
	got=$(python3 raw.py "$verifyd_port")
	check "$1: $2" "[ '$got' = '$2' ]"
}

printf 'GET /v/%s HTTP/1.1\nHost: x\nConnection: close\n\n' "$cert" | req "a certificate's page" 200

# paths
printf 'GET /v/%s%%00.json HTTP/1.1\nHost: x\nConnection: close\n\n' "$cert" | req "%00 in the path" 404
printf 'GET /v/%%00%s HTTP/1.1\nHost: x\nConnection: close\n\n' "$cert" | req "%00 before the reference" 404
printf 'GET /v/%%C0%%AE%%C0%%AE/%%C0%%AE%%C0%%AE/etc/passwd HTTP/1.1\nHost: x\nConnection: close\n\n' | req "overlong UTF-8 dots, percent-encoded" 404
printf 'GET /v/\xc0\xae\xc0\xae/\xe0\x80\xaf HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' | bytes "overlong UTF-8 bytes in the path" 404
printf 'GET /v/%%ED%%A0%%80%s HTTP/1.1\nHost: x\nConnection: close\n\n' "$cert" | req "a UTF-16 surrogate, encoded" 404
printf 'GET /%%2e%%2e/%%2e%%2e/etc/passwd HTTP/1.1\nHost: x\nConnection: close\n\n' | req "encoded dot segments" 404
printf 'GET /v/../../../etc/passwd HTTP/1.1\nHost: x\nConnection: close\n\n' | req "dot segments under the prefix" 404
printf 'GET /v/..%%2f..%%2fetc%%2fpasswd HTTP/1.1\nHost: x\nConnection: close\n\n' | req "an encoded slash" 404
printf 'GET //v//%s HTTP/1.1\nHost: x\nConnection: close\n\n' "$cert" | req "doubled slashes" 404
printf 'GET /v/%s/ HTTP/1.1\nHost: x\nConnection: close\n\n' "$cert" | req "a trailing slash" 404
printf 'GET http://evil.example/v/%s HTTP/1.1\nHost: x\nConnection: close\n\n' "$cert" | req "an absolute URI: no route" 404
printf 'GET /v/%s?%s HTTP/1.1\nHost: x\nConnection: close\n\n' "$cert" "$(head -c 3000 /dev/zero | tr '\0' a)" | req "a long query on a page: ignored" 200
printf 'GET /?ref=%s HTTP/1.1\nHost: x\nConnection: close\n\n' "$(head -c 3000 /dev/zero | tr '\0' 1)" | req "a 3,000-character ref: the form again" 200
printf 'GET /?ref=%%00%s HTTP/1.1\nHost: x\nConnection: close\n\n' "$cert" | req "ref with %00 first: the form again" 200
printf 'GET /v/%s HTTP/1.1\nHost: x\nConnection: close\n\n' "$(head -c 100000 /dev/zero | tr '\0' A)" | req "a 100 KB path" 414
printf 'GET /v/%s\x01 HTTP/1.1\nHost: x\nConnection: close\n\n' "$cert" | req "a control character in the path" 404

# headers
printf 'GET /healthz HTTP/1.1\nHost: x\nX-Long: %s\nConnection: close\n\n' "$(head -c 100000 /dev/zero | tr '\0' A)" | req "a 100 KB header" 431
{ printf 'GET /healthz HTTP/1.1\nHost: x\n'; for i in $(seq 2000); do echo "X-H$i: v"; done; printf 'Connection: close\n\n'; } | req "2,000 headers" 431
printf 'GET /healthz HTTP/1.1\nHost: x\nX-Nul: a\x00b\nConnection: close\n\n' | req "a NUL in a header the service does not read: ignored" 200
printf 'GET /healthz HTTP/1.1\nHost: x\nBad Header: v\nConnection: close\n\n' | req "a space in a header name: ignored" 200
printf 'GET /healthz HTTP/1.1\nConnection: close\n\n' | req "HTTP/1.1 without Host: answered (no virtual hosts)" 200
printf 'GET /v/%s HTTP/1.1\nHost: x\nAccept: %s\nConnection: close\n\n' "$cert" "$(head -c 4000 /dev/zero | tr '\0' ',')" | req "a long Accept" 200
printf 'GET /healthz HTTP/9.9\nHost: x\nConnection: close\n\n' | req "HTTP/9.9" 505
printf 'GARBAGE\n\n' | req "not a request line: closed, no answer" closed

# methods: only GET and HEAD
for m in POST PUT DELETE PATCH OPTIONS TRACE PROPFIND FOO; do
	printf '%s /v/%s HTTP/1.1\nHost: x\nContent-Length: 0\nConnection: close\n\n' "$m" "$cert" | req "$m" 405
done
printf 'CONNECT 127.0.0.1:22 HTTP/1.1\nHost: 127.0.0.1:22\nConnection: close\n\n' | req "CONNECT" 405
printf 'HEAD /v/%s HTTP/1.1\nHost: x\nConnection: close\n\n' "$cert" | req "HEAD" 200

# bodies
printf 'GET /v/%s HTTP/1.1\nHost: x\nContent-Length: 11\nConnection: close\n\nhello world' "$cert" | bytes "GET with a body: read and ignored" 200
printf 'GET /v/%s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n' "$cert" | bytes "GET with a chunked body" 200
{ printf 'POST /v/%s HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\nConnection: close\r\n\r\n' "$cert"; head -c 5000000 /dev/zero; } | bytes "POST of 5 MB: 405 before the body" 405
printf 'GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\nConnection: close\r\n\r\nhello' | bytes "two Content-Lengths" 400
printf 'GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n' | bytes "Content-Length beside Transfer-Encoding" 400
printf 'GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\nConnection: close\r\n\r\n' | bytes "a negative Content-Length" 400
printf 'GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\nConnection: close\r\n\r\n' | bytes "an overflowing Content-Length: too large" 413

check "the service is still running" "kill -0 $verifyd_pid"

# slowloris: connections from 127.0.0.1 trickling a request a byte at a
# time; beyond connections-per-address (4) they are closed at once, and
# another address (127.0.0.2) is served while they are held
cat > slow.py <<'PY'
import socket, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
conns, refused = [], 0
for i in range(n):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
    conns.append(s)
time.sleep(0.5)
open_now = []
for s in conns:
    s.setblocking(False)
    try:
        if s.recv(1) == b"":
            refused += 1
            continue
    except BlockingIOError:
        pass
    except OSError:
        refused += 1
        continue
    open_now.append(s)
print(len(open_now), refused, flush=True)
# trickle on the ones held, while the test asks from elsewhere
for _ in range(6):
    for s in open_now:
        try:
            s.send(b"X")
        except OSError:
            pass
    time.sleep(0.5)
PY
python3 slow.py "$verifyd_port" 50 > slow.out &
slow_pid=$!
sleep 1
t0=$(date +%s%N)
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 --interface 127.0.0.2 "$verifyd_url/v/$cert")
t1=$(date +%s%N)
wait "$slow_pid"
read -r held closed < slow.out
check "slowloris: 4 connections held of 50, 46 closed at once (held $held, closed $closed)" \
	"[ '$held' = 4 ] && [ '$closed' = 46 ]"
check "...another address is served meanwhile, within 2 s ($code, $(( (t1 - t0) / 1000000 )) ms)" \
	"[ '$code' = 200 ] && [ $(( (t1 - t0) / 1000000 )) -lt 2000 ]"
check "...and after them 127.0.0.1 is served again" \
	"[ \$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 $verifyd_url/healthz) = 200 ]"

# the access log: the route and a canonical reference, never what else a
# visitor sent (a name, an email in the query, a header, a cookie)
mark=Winbery.Lovelace@example.org
curl -s -o /dev/null -H "User-Agent: $mark" -H "Cookie: s=$mark" -H "Referer: http://$mark/" \
	"$verifyd_url/v/$cert?who=$mark"
curl -s -o /dev/null "$verifyd_url/?ref=$mark"
curl -s -o /dev/null "$verifyd_url/v/$mark"
curl -s -o /dev/null "$verifyd_url/$mark"
curl -s -o /dev/null -X "$mark" "$verifyd_url/"
printf 'GET /v/%s\x1b[31m HTTP/1.1\nHost: x\nConnection: close\n\n' "$cert" | sed 's/$/\r/' | python3 raw.py "$verifyd_port" > /dev/null
sleep 0.2
grep ': access: ' verifyd.log > access
check "the access log has a line for each request the service answered" "[ \$(wc -l < access) -ge 40 ]"
check "...none holds the name, email, header or cookie sent" "! grep -qi -e Winbery -e example.org access"
check "...nor a control character" "! grep -q '[[:cntrl:]]' access"
check "...each line: time, address, method, route, status, bytes" \
	"! grep -Evq '^certpress-verifyd: access: [0-9T:Z-]+ 127\\.0\\.0\\.[12] (GET|HEAD|-) [!-~]+ [0-9]{3} [0-9]+\$' access"

stop_verifyd
check "it stops with 0" "[ $verifyd_rc = 0 ]"

done_testing
