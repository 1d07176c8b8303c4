#!/bin/bash
# certpress-verifyd behind a proxy ([verify] trusted-proxies): a request
# from a trusted proxy is counted (rate limits) and logged by the address
# its X-Forwarded-For names, the rightmost that is not a proxy; from any
# other peer the header is ignored, and a malformed one is never believed.
. "$(dirname "$0")/lib.sh"
make_key
verifyd_setup
run certpress run "$FIX/results/good.xml"
check "a batch run and published" "[ $rc = 0 ] && [ -s verifyd/snapshot/snapshot ]"
cert=$(doc_ref Winbery certificate)

verifyd_conf rate 1
verifyd_conf burst 3
# CODE of each of N requests with X-Forwarded-For $2 (none if "-")
burst() { # N XFF
	for _ in $(seq "$1"); do
		if [ "$2" = - ]; then
			curl -s -o /dev/null -w '%{http_code}\n' "$verifyd_url/v/$cert"
		else
			curl -s -o /dev/null -w '%{http_code}\n' -H "X-Forwarded-For: $2" "$verifyd_url/v/$cert"
		fi
	done | sort | uniq -c | awk '{ printf "%s:%s ", $2, $1 }'
}

# a line in the log matching $1 (the access line is written after the answer)
logged() { verifyd_log_wait "$1" 0; }

# Not trusted (the default): the header changes nothing.
start_verifyd
check "it starts with no trusted proxy" "[ -n '$verifyd_port' ]"
# (a token a second: counts are loose where a slow machine could refill one)
a=$(burst 6 203.0.113.1)
b=$(burst 4 203.0.113.2)
check "without trusted-proxies, X-Forwarded-For is ignored: one bucket for all ($a / $b)" \
	"[[ '$a' == *429:* ]] && [[ '$b' == *429:* ]]"
check "...and the log names the peer, not the header's address" \
	"logged 'access: .* 127.0.0.1 GET' && ! grep -q '203.0.113' verifyd.log"
stop_verifyd

# 127.0.0.1 trusted: each forwarded client has its own bucket.
verifyd_conf trusted-proxies "127.0.0.1 ::1"
start_verifyd
a=$(burst 6 203.0.113.1)
b=$(burst 3 203.0.113.2)
check "behind a trusted proxy: 203.0.113.1 limited ($a), 203.0.113.2 its own bucket ($b)" \
	"[[ '$a' == *429:* ]] && [ '$b' = '200:3 ' ]"
check "...the access log names the forwarded client" \
	"logged 'access: .* 203.0.113.1 GET /v/$cert 200' && logged 'access: .* 203.0.113.2 GET /v/$cert 200'"
c=$(burst 3 "198.51.100.7, 203.0.113.9")
check "a chain: the rightmost address counts (203.0.113.9, not what the client wrote first)" \
	"[ '$c' = '200:3 ' ] && logged 'access: .* 203.0.113.9 GET' &&
	 ! grep -q '198.51.100.7' verifyd.log"
c=$(burst 3 "2001:db8::1, 127.0.0.1")
check "a trusted proxy in the chain is skipped: 2001:db8::1 counts" \
	"[ '$c' = '200:3 ' ] && logged 'access: .* 2001:db8::1 GET'"
# malformed headers fall back to the peer: counted and logged as 127.0.0.1
for bad in "not-an-address" "203.0.113.5:8080" "203.0.113.5, , 203.0.113.6" "999.1.1.1" \
	"$(head -c 2000 /dev/zero | tr '\0' 1)" "203.0.113.5;evil"; do
	n=$(grep -c 'access: ' verifyd.log)
	burst 1 "$bad" > /dev/null
	verifyd_log_wait 'access: ' "$n" || true # the line is written after the answer
	check "a malformed X-Forwarded-For ('${bad:0:30}'): counted as the proxy itself" \
		"grep 'access: ' verifyd.log | tail -1 | grep -q ' 127.0.0.1 GET '"
done
check "...and none of them reached the log" \
	"! grep -q '203.0.113.5\|203.0.113.6\|not-an-address\|evil' verifyd.log"
stop_verifyd

verifyd_conf trusted-proxies "127.0.0.1 proxy.example.org"
start_verifyd
stop_verifyd
check "a trusted proxy that is not an address: refused at start (78), named" \
	"[ $verifyd_rc = 78 ] && grep -q \"trusted-proxies: 'proxy.example.org' is not an IPv4 or IPv6 address\" verifyd.log"
done_testing
