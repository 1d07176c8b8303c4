#!/bin/bash
# The verification service end to end: certpress run publishes a signed
# snapshot, certpress-verifyd (started here on 127.0.0.1) serves every
# status from it (valid, expired, replaced, cancelled, not found, wrong
# check characters), redirects look-alike references, escapes what it
# shows, limits what a client may ask, refuses a tampered or stale
# snapshot's word, and a certificate's QR code opens its page.
. "$(dirname "$0")/lib.sh"
make_key

# publish's command line and keys
check_exit 78 "publish without a publish key" certpress publish
check "it names the key" "contains err 'keys/publish.key: cannot read the publish key'"
sed 's|= spool|= nokey/spool|' certpress.conf > nokey.conf
CERTPRESS_CONF=$SCRATCH/nokey.conf run certpress run "$FIX/results/good.xml"
check "run without a publish key: 0, and publishes nothing" \
	"[ $rc = 0 ] && [ -d nokey/spool/batches ] && [ ! -e nokey/spool/publish ] && ! contains err published"
check_exit 0 "keygen --publish" certpress keygen --publish
check "the key 0600, the public key PEM" \
	"[ \$(stat -c %a keys/publish.key) = 600 ] && grep -q 'BEGIN PUBLIC KEY' keys/publish.pub"
cp keys/publish.key publish.key.first
check_exit 0 "keygen --publish again" certpress keygen --publish
check "...leaves the key as it is" "cmp -s publish.key.first keys/publish.key && contains err 'left as it is'"
chmod 644 keys/publish.key
check_exit 78 "a publish key others may read is refused" certpress publish
chmod 600 keys/publish.key
check_exit 73 "a DIR that cannot be made: 73" certpress publish /proc/no/such
check_exit 64 "two DIRs: usage" certpress publish a b
check_exit 0 "publish DIR" certpress publish elsewhere
check "...writes DIR/snapshot and DIR/snapshot.sig" "[ -s elsewhere/snapshot ] && [ -s elsewhere/snapshot.sig ]"
rm -f keys/publish.key keys/publish.pub

verifyd_setup

run certpress run "$FIX/results/good.xml"
check "run exits 0" "[ $rc = 0 ]"
snap=$SCRATCH/verifyd/snapshot
check "run published the snapshot and its signature" \
	"[ -s $snap/snapshot ] && [ \$(stat -c %s $snap/snapshot.sig) = 64 ] && contains err 'published 108 documents of 40 awards'"
check "the snapshot is 0640" "[ \$(stat -c %a $snap/snapshot) = 640 ]"
run openssl pkeyutl -verify -pubin -inkey keys/publish.pub -rawin -in "$snap/snapshot" -sigfile "$snap/snapshot.sig"
check "openssl checks the signature with the PEM public key" "[ $rc = 0 ] && contains out 'Signature Verified Successfully'"
# never the date of birth, the email, the enrolment or the candidate number
python3 "$TOP/tests/tools/personal.py" "$FIX/results/good.xml" | grep -v ' ' | grep -E '@|^[0-9]{4}-' | sort -u > personal
sed -n 's/.*enrolment="\([^"]*\)" candidate="\([^"]*\)".*/\1\n\2/p' "$FIX/results/good.xml" >> personal
check "the snapshot holds no date of birth, email, enrolment or candidate number" \
	"[ \$(wc -l < personal) -gt 80 ] && ! grep -aFf personal $snap/snapshot"
check "the registry keeps every award's units" \
	"[ \$(sql 'select count(*) from award_units') = \$(grep -c '<unit ' spool/batches/*/assigned.xml) ]"

cert=$(doc_ref Winbery certificate)
transcript=$(doc_ref Winbery transcript)

start_verifyd
check "it says where it listens" "[ -n '$verifyd_port' ] && grep -q 'listening on 127.0.0.1:$verifyd_port' verifyd.log"
check "it checked the signature" "grep -q 'signature good' verifyd.log"
check "...holding no secret: no reference key on the host, none in its config" \
	"! ls -R verifyd | grep -q 'reference.key' && ! grep -q 'key-file' verifyd/verifyd.conf &&
	 ! cmp -s keys/reference.key /dev/null"

# get PATH [CURL OPTIONS]: the body in ./body, headers in ./headers, the
# status in $code.
get() {
	local path=$1
	shift
	code=$(curl -s -o body -D headers -w '%{http_code}' "$@" "$verifyd_url$path")
}
status() { sed -n 's/.*id="status" class="banner [a-z-]*" data-status="\([a-z-]*\)".*/\1/p' body; }

get "/v/$cert"
check "a valid certificate: 200, Valid" "[ $code = 200 ] && [ \"\$(status)\" = valid ] && contains body '<h2>Valid</h2>'"
check "its card: name, qualification, title, grade, dates, centre, awarding body" \
	"contains body 'Alison Jane Winbery' && contains body '603/1465/5' && contains body 'Vehicle Maintenance' && contains body '>Pass<' && contains body '1 November 2026' && contains body '1 November 2029' && contains body 'Fanshaws College' && contains body 'id=\"awarding-body\">Example Awards'"
check "no date of birth, email, enrolment or candidate number on the page" \
	"! contains body 1999-05-19 && ! contains body 'alison.winbery@' && ! contains body AMS00009824701 && ! contains body 42231107"
check "an Add to LinkedIn link with name, organisation, dates, URL and id" \
	"grep -q 'href=\"https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&amp;name=Example%20Awards%20Level%202' body && contains body 'organizationName=Example%20Awards' && contains body 'expirationYear=2029&amp;expirationMonth=11' && contains body 'certUrl=https%3A%2F%2Fverify.example.org%2Fv%2F$cert' && contains body 'certId=$cert'"
check "the file check carries the digital copy's SHA-256" \
	"contains body \"data-sha256=\\\"\$(sha256sum spool/batches/*/digital/$cert.pdf | cut -d' ' -f1)\\\"\""
check "security headers" \
	"grep -qi '^X-Content-Type-Options: nosniff' headers && grep -qi '^Referrer-Policy: no-referrer' headers && grep -qi \"^Content-Security-Policy: default-src 'none'; script-src 'sha256-\" headers && grep -qi \"frame-ancestors 'none'\" headers"
python3 - body headers > csp.check <<'PY'
import base64, hashlib, re, sys
page, headers = open(sys.argv[1]).read(), open(sys.argv[2]).read()
csp = re.search(r"(?im)^content-security-policy: (.*)$", headers).group(1)
for tag, key in (("script", "script-src"), ("style", "style-src")):
    body = re.search(r"<%s>(.*?)</%s>" % (tag, tag), page, re.S).group(1)
    h = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    print(tag, "ok" if "%s 'sha256-%s'" % (key, h) in csp else "MISSING")
print("inline", "none" if "unsafe-inline" not in csp else "unsafe-inline")
PY
check "the page's one script and style are allowed by their hashes, nothing inline else" \
	"[ \"\$(cat csp.check)\" = \"\$(printf 'script ok\nstyle ok\ninline none')\" ]"

get "/v/$cert.json"
check "the JSON: valid, with the snapshot's time" \
	"[ $code = 200 ] && python3 -c 'import json,sys; d=json.load(open(\"body\")); assert d[\"status\"]==\"valid\" and d[\"confirmed\"] and d[\"snapshot\"] and d[\"document\"][\"full_name\"]==\"Alison Jane Winbery\" and len(d[\"document\"][\"units\"])==2'"
get "/v/$cert" -H 'Accept: application/json'
check "Accept: application/json gives the JSON" "[ $code = 200 ] && grep -qi '^Content-Type: application/json' headers"

get "/v/$transcript"
check "a transcript's page: its units and its certificate's status" \
	"[ $code = 200 ] && contains body 'id=\"units\"' && contains body 'Health and safety in the workshop' && contains body 'Routine vehicle servicing' && contains body \"href=\\\"/v/$cert\\\">$cert</a>, is <strong id=\\\"certificate-status\\\" data-status=\\\"valid\\\"\""

# not found and wrong check characters: the same page, status and size
serial=${cert%%-*}
unknown=$(ref_for "$serial" 7)
wrong=${cert%?}$( [ "${cert: -1}" = 0 ] && echo 1 || echo 0)
get "/v/$unknown"
cp body unknown.html
unknown_code=$code
get "/v/$wrong"
check "an unknown reference: 404 Not found" "[ $unknown_code = 404 ] && grep -q 'data-status=\"not-found\"' unknown.html"
check "wrong check characters: 404, the same page and size" \
	"[ $code = 404 ] && [ \$(stat -c %s body) = \$(stat -c %s unknown.html) ] && [ \"\$(sed s/$wrong/REF/g body)\" = \"\$(sed s/$unknown/REF/g unknown.html)\" ]"
get "/v/not-a-reference"
check "a path that is no reference: 404" "[ $code = 404 ]"

# look-alikes: lower case, O for 0, I and L for 1, no hyphens
look=$(echo "$cert" | tr -d - | tr 'A-Z' 'a-z' | sed 's/0/o/g; s/1/l/g')
get "/v/$look"
check "a look-alike reference: 301 to the canonical address" \
	"[ $code = 301 ] && grep -qi \"^Location: /v/$cert\" headers"
get "/v/$look.json"
check "a look-alike's JSON: 301 to the canonical JSON" "[ $code = 301 ] && grep -qi \"^Location: /v/$cert.json\" headers"
get "/"
check "GET /: the form, in the awarding body's name" \
	"[ $code = 200 ] && contains body '<form id=\"check\"' && contains body '<p>Example Awards</p>'"
get "/?ref=$look"
check "the form's answer: 303 to the page" "[ $code = 303 ] && grep -qi \"^Location: /v/$cert\" headers"
get "/?ref=Winbery"
check "a name typed into the form: not a reference, and never logged" \
	"[ $code = 200 ] && contains body 'form-error' && ! grep -q Winbery verifyd.log"

# the other routes
get "/healthz"
check "/healthz: 200 ok" "[ $code = 200 ] && grep -q '^ok snapshot' body"
get "/publish.pub"
check "/publish.pub: the public key" "[ $code = 200 ] && cmp -s body keys/publish.pub"
get "/../../etc/passwd" --path-as-is
check "no path is a file" "[ $code = 404 ] && ! contains body root:"
get "/v/$cert" -X POST -d x=1
check "POST: 405, Allow: GET, HEAD" "[ $code = 405 ] && grep -qi '^Allow: GET, HEAD' headers"
get "/v/$cert" -X DELETE
check "DELETE: 405" "[ $code = 405 ]"
# HEAD over a raw socket: curl -I would never read a body it was sent
exec 3<>"/dev/tcp/127.0.0.1/$verifyd_port"
printf 'HEAD /v/%s HTTP/1.0\r\nHost: x\r\n\r\n' "$cert" >&3
timeout 5 cat <&3 > head.raw
exec 3<&-
check "HEAD: 200, the headers of the page, no body" \
	"head -1 head.raw | grep -q '^HTTP/1.[01] 200' && grep -qi '^Content-Type: text/html' head.raw && [ \"\$(sed '1,/^\r\$/d' head.raw | wc -c)\" = 0 ]"
get "/v/$(head -c 20000 /dev/zero | tr '\0' A)"
check "a request line too long: 414" "[ $code = 414 ]"
get "/healthz" -H "X-Long: $(head -c 20000 /dev/zero | tr '\0' A)"
check "headers too large: 431" "[ $code = 431 ]"

# a reprint: the original says Replaced, with its replacement
run certpress reprint "$cert" --reason "name misspelt"
replacement=$(cat out)
check "reprint exits 0 and publishes" "[ $rc = 0 ] && contains err 'published'"
n=$(grep -c 'serving the snapshot' verifyd.log)
verifyd_log_wait 'serving the snapshot' "$n" || true
for _ in $(seq 100); do get "/v/$cert"; [ "$(status)" = replaced ] && break; sleep 0.05; done
check "after a reprint: Replaced by the next issue, on its date" \
	"[ $code = 200 ] && [ \"\$(status)\" = replaced ] && contains body 'Replaced by <span id=\"replaced-by\">$replacement</span> (being issued) on '"
check "the replacement is not found before a print file carries it" \
	"[ \$(curl -s -o /dev/null -w '%{http_code}' $verifyd_url/v/$replacement) = 404 ]"
# a proof of qualification letter, issued with the same print file
run certpress order letter "$(sql "select enrolment from awards where last_name = 'Winbery' limit 1")" --by "Desk Officer"
proof=$(cat out)
check "order letter exits 0" "[ $rc = 0 ] && [ -n '$proof' ]"
printf 'NEW0001|Grace|Hopper|\n' | results_file next.xml 2 "Fanshaws College"
run certpress run next.xml
for _ in $(seq 100); do get "/v/$replacement"; [ "$code" = 200 ] && break; sleep 0.05; done
check "once the next print file carries it: the replacement is valid" "[ $code = 200 ] && [ \"\$(status)\" = valid ]"
for _ in $(seq 100); do get "/v/$proof"; [ "$code" = 200 ] && break; sleep 0.05; done
check "the proof letter's page calls it one, not a letter" \
	"[ $code = 200 ] && [ \"\$(status)\" = valid ] &&
	 contains body '<dd id=\"document\">Proof of qualification letter</dd>'"
get "/v/$proof.json"
check "...and so does its JSON: type proof-letter" \
	"python3 -c 'import json; d=json.load(open(\"body\"))[\"document\"]; assert d[\"type\"]==\"proof-letter\" and d[\"title\"]==\"Proof of qualification letter\", d'"
get "/v/$cert"
check "and the original links to it" "contains body 'Replaced by <a id=\"replaced-by\" href=\"/v/$replacement\">$replacement</a> on '"
get "/v/$cert.json"
check "the JSON says replaced, by whom" \
	"python3 -c 'import json; d=json.load(open(\"body\")); assert d[\"status\"]==\"replaced\" and d[\"document\"][\"replaced_by\"]==\"$replacement\" and d[\"document\"][\"reason\"]==\"replaced\"'"

# revocations: the category, never the operator's words
llcert=$(doc_ref Llywelyn certificate)
run certpress revoke "$llcert" --reason "SECRET-OPERATOR-NOTE fraud case 17"
for _ in $(seq 100); do get "/v/$llcert"; [ "$(status)" = cancelled ] && break; sleep 0.05; done
check "after a revoke and a publish: Cancelled on its date, withdrawn by the awarding body" \
	"[ $code = 200 ] && [ \"\$(status)\" = cancelled ] && contains body ': withdrawn by the awarding body.' && ! contains body SECRET-OPERATOR-NOTE"
check "the snapshot never holds the operator's reason" "! grep -aq SECRET-OPERATOR-NOTE $snap/snapshot"
get "/v/$(doc_ref Llywelyn transcript)"
check "the transcript's page shows its certificate cancelled" \
	"[ \"\$(status)\" = valid ] && contains body 'data-status=\"cancelled\">Cancelled</strong>'"
other=$(sql "select d.reference from documents d join awards a on a.id = d.award_id where d.type = 'letter' and a.last_name != 'Winbery' and a.last_name != 'Llywelyn' and d.status = 'valid' limit 1")
run certpress revoke "$other" --in-error --reason "wrong learner"
for _ in $(seq 100); do get "/v/$other"; [ "$(status)" = cancelled ] && break; sleep 0.05; done
check "revoke --in-error: issued in error" "[ \"\$(status)\" = cancelled ] && contains body ': issued in error.'"
award_tr=$(sql "select d.reference from documents d join awards a on a.id = d.award_id where d.type = 'transcript' and a.id = (select award_id from documents where reference = '$other')")
n_award=$(sql "select count(*) from documents where award_id = (select award_id from documents where reference = '$other')")
run certpress revoke "$award_tr" --award --by "Award Officer" --reason "award withdrawn"
check "revoke --award: every document of the award" \
	"[ $rc = 0 ] && [ \$(sql \"select count(*) from documents where award_id = (select award_id from documents where reference = '$other') and status != 'revoked'\") = 0 ]"
check "...who is recorded for each document it revoked, not again for one revoked before" \
	"[ \$(sql \"select count(*) from changes where changed_by = 'Award Officer'\") = $((n_award - 1)) ] &&
	 [ \$(sql \"select count(*) from changes where reference = '$other'\") = 1 ]"
for _ in $(seq 100); do get "/v/$award_tr"; [ "$(status)" = cancelled ] && break; sleep 0.05; done
check "its transcript is cancelled, and says its certificate is too" \
	"[ \"\$(status)\" = cancelled ] && contains body 'data-status=\"cancelled\">Cancelled</strong>'"

# what a page shows is escaped
printf 'XSS0001|&lt;script&gt;alert(1)&lt;/script&gt;|O&apos;Brien &amp; &quot;Co&quot;|\n' | results_file xss.xml 3 "Fanshaws College"
run certpress run xss.xml
xss=$(sql "select d.reference from documents d join awards a on a.id = d.award_id where a.enrolment = 'XSS0001' and d.type = 'certificate'")
for _ in $(seq 100); do get "/v/$xss"; [ "$code" = 200 ] && break; sleep 0.05; done
check "a name with <script> shows as text" \
	"[ $code = 200 ] && contains body '&lt;script&gt;alert(1)&lt;/script&gt; O&#39;Brien &amp; &quot;Co&quot;' && [ \$(grep -c '<script>' body) = 1 ] && ! contains body 'alert(1)</script>'"

# the access log: references, never names
check "the access log has the references and no name" \
	"grep -q \"GET /v/$cert 200\" verifyd.log && ! grep -Eq 'Winbery|Llywelyn|script|Brien' verifyd.log"

# a tampered snapshot is refused; the one before keeps serving
n=$(grep -c 'refused' verifyd.log)
cp "$snap/snapshot" tampered
printf 'Alison' | dd of=tampered bs=1 seek=$(grep -abo 'Alison Jane' tampered | head -1 | cut -d: -f1) conv=notrunc 2>/dev/null
sed -i 's/Alison Jane Winbery/Alisha Jane Winbery/' tampered
check "the tampered copy differs" "! cmp -s tampered $snap/snapshot"
cp tampered "$snap/.tampered" && mv "$snap/.tampered" "$snap/snapshot"
verifyd_log_wait 'refused: its signature' "$n"
check "a snapshot whose signature fails is refused, with a log line" \
	"[ \$(grep -c 'refused: its signature' verifyd.log) -gt $n ] && grep -q 'still serving the snapshot of' verifyd.log"
get "/v/$llcert"
check "the old snapshot keeps serving" "[ $code = 200 ] && [ \"\$(status)\" = cancelled ]"
run certpress publish
n=$(grep -c 'serving the snapshot' verifyd.log)
kill -HUP "$verifyd_pid"
verifyd_log_wait 'serving the snapshot' "$n"
check "SIGHUP takes up the good snapshot again" "[ \$(grep -c 'serving the snapshot' verifyd.log) -gt $n ]"

# a publish that fails on the way leaves the pair it found: never a new
# signature beside the old snapshot, which every restart of the service and
# every copy to a new host would refuse (a full disk while the snapshot is
# written, a failing fsync). An hour later, so the new pair differs.
cp "$snap/snapshot" pair.snap
cp "$snap/snapshot.sig" pair.sig
later=$(($(date +%s) + 3600))
CERTPRESS_NOW=$later run certpress publish pair-later
check "an hour later the pair differs (else what follows could not fail)" \
	"[ $rc = 0 ] && ! cmp -s pair.snap pair-later/snapshot && ! cmp -s pair.sig pair-later/snapshot.sig"
pair_checks() {
	openssl pkeyutl -verify -pubin -inkey keys/publish.pub -rawin -in "$snap/snapshot" \
		-sigfile "$snap/snapshot.sig" > /dev/null && [ "$(ls -A "$snap" | grep -vc '^\.lock$')" = 2 ]
}
# the writes and fsyncs of both files, the first rename: before any rename
for fault in write:1 write:2 fsync:1 fsync:2 rename:1; do
	CERTPRESS_NOW=$later CERTPRESS_FAULT=$fault run certpress publish
	check "publish with its $fault failing: 74, the snapshot and signature as they were" \
		"[ $rc = 74 ] && cmp -s pair.snap $snap/snapshot && cmp -s pair.sig $snap/snapshot.sig && pair_checks"
done
# the folder's fsync, after both renames: the new pair, whole
CERTPRESS_NOW=$later CERTPRESS_FAULT=fsync:3 run certpress publish
check "publish with the folder's fsync failing: 74, the new pair, whole" \
	"[ $rc = 74 ] && cmp -s pair-later/snapshot $snap/snapshot && pair_checks"
run certpress publish
check "the next publish: a pair that checks" "[ $rc = 0 ] && pair_checks"

# 429 under a burst
stop_verifyd
check "SIGTERM: exit 0" "[ $verifyd_rc = 0 ]"
verifyd_conf rate 1
verifyd_conf burst 5
start_verifyd
for i in $(seq 20); do curl -s -o /dev/null -D h$i -w '%{http_code}\n' "$verifyd_url/v/$llcert"; done > codes
check "a burst: 5 answered, then 429 with Retry-After" \
	"[ \$(grep -c '^200' codes) -ge 5 ] && [ \$(grep -c '^200' codes) -le 7 ] && [ \$(grep -c '^429' codes) -ge 13 ] && grep -qi '^Retry-After: [0-9]' h20"
stop_verifyd
verifyd_conf rate 10
verifyd_conf burst 40

# expired: the clock past the expiry date, the snapshot of that moment
expires=$(date -d "$(sql "select expires from documents where reference = '$llcert'") + 1 day" +%s)
tr=$(doc_ref Llywelyn transcript)
CERTPRESS_NOW=$expires run certpress publish
CERTPRESS_NOW=$expires start_verifyd
get "/v/$tr"
check "past its expiry date: Expired on that date" \
	"[ $code = 200 ] && [ \"\$(status)\" = expired ] && contains body 'Expired on 1 November 2029.'"
stop_verifyd

# stale: a snapshot older than max-age is never called valid
CERTPRESS_NOW=$((expires + 49 * 3600)) start_verifyd
get "/v/$tr"
check "a snapshot older than max-age: not confirmed since its time" \
	"[ $code = 200 ] && [ \"\$(status)\" = unconfirmed ] && contains body 'could not be confirmed since' && ! contains body 'data-status=\"valid\"'"
verifyd_log_wait 'older than \[verify\] max-age' 0
check "the service warns of it" "grep -q 'older than \[verify\] max-age' verifyd.log"
get "/v/$tr.json"
check "its JSON: unconfirmed, the last known status" \
	"python3 -c 'import json; d=json.load(open(\"body\")); assert d[\"status\"]==\"unconfirmed\" and d[\"last_known_status\"]==\"expired\" and not d[\"confirmed\"]'"
get "/healthz"
check "/healthz: 503 stale" "[ $code = 503 ] && grep -q '^stale' body"
stop_verifyd
run certpress publish

# connections: a limit per address, idle ones closed
verifyd_conf connections-per-address 3
verifyd_conf timeout 1
start_verifyd
python3 - "$verifyd_port" "$tr" > conns <<'PY'
import socket, sys, time
port, ref = int(sys.argv[1]), sys.argv[2]
def ask(s):
    try:
        s.sendall(("GET /v/%s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % ref).encode())
        s.settimeout(5)
        return s.recv(12).decode() or "closed"
    except OSError:
        return "closed"
held = [socket.create_connection(("127.0.0.1", port)) for _ in range(3)]
time.sleep(0.2)
print("fourth", ask(socket.create_connection(("127.0.0.1", port))))
print("held", ask(held[0]))
for s in held[1:]:
    s.close()
time.sleep(0.2)
print("after", ask(socket.create_connection(("127.0.0.1", port))))
idle = socket.create_connection(("127.0.0.1", port))
idle.settimeout(5)
t = time.time()
try:
    got = idle.recv(1)
except OSError:
    got = b""
print("idle", "closed" if not got else "open", "%.0f" % (time.time() - t))
PY
check "a fourth connection from one address, three held: closed unanswered" "grep -qx 'fourth closed' conns"
check "...while the three held are answered" "grep -qx 'held HTTP/1.1 200' conns"
check "once they close, a new one is answered" "grep -qx 'after HTTP/1.1 200' conns"
check "an idle connection is closed after [verify] timeout (1 s)" "grep -Eqx 'idle closed [12]' conns"
stop_verifyd
verifyd_conf connections-per-address 32
verifyd_conf timeout 15

# started with a snapshot that fails its check: nothing is served as valid
cp "$snap/snapshot" good.snap
cp tampered "$snap/.t" && mv "$snap/.t" "$snap/snapshot"
start_verifyd
get "/healthz"
check "started on a tampered snapshot: /healthz 503" "[ $code = 503 ] && grep -q 'no snapshot to serve yet' verifyd.log"
get "/v/$tr"
check "...and a page says unavailable (503), never valid" \
	"[ $code = 503 ] && [ \"\$(status)\" = unavailable ]"
n=$(grep -c 'serving the snapshot' verifyd.log)
run certpress publish
verifyd_log_wait 'serving the snapshot' "$n"
get "/v/$tr"
check "the next good snapshot is served" "[ $code = 200 ] && [ \"\$(status)\" = valid ]"
stop_verifyd

# the QR code of a rendered certificate opens its page here
start_verifyd
qrref=$(doc_ref Okafor certificate)
[ -n "$qrref" ] || qrref=$(sql "select d.reference from documents d where d.type = 'certificate' and d.status = 'valid' and d.issue = 1 limit 1")
pdftoppm -r 150 -png -f 1 -l 1 spool/batches/*/print/"$qrref".pdf qr 2>/dev/null
url=$(zbarimg -q --raw qr-1.png 2>/dev/null)
check "the QR code is verify-url + reference" "[ '$url' = 'https://verify.example.org/v/$qrref' ]"
get "$(echo "$url" | sed 's|^https://[^/]*||')"
check "fetched here (host part replaced): that certificate's page" \
	"[ $code = 200 ] && contains body 'id=\"reference\">$qrref<' && [ \"\$(status)\" = valid ]"
stop_verifyd

# it never runs as root; it needs its keys
if [ "$(id -u)" = 0 ]; then
	check_exit 77 "started as root: refused" "$BIN/certpress-verifyd" -c verifyd/verifyd.conf
	check "it says why" "contains err 'refusing to run as root'"
else
	skip "not root: the refusal to run as root is not tried"
fi
# a start refused after the configuration is read: its exit code, and
# nothing left unreleased (the ASan build counts leaks)
start_refused() {
	start_verifyd "$@"
	wait "$verifyd_pid" 2>/dev/null
	refused=$?
	verifyd_pid=
}
start_refused --threads 999
check "--threads 999: exit 64" "[ $refused = 64 ] && grep -q 'threads takes 0 to 256' verifyd.log"
start_refused --listen nonsense
check "--listen nonsense: exit 64" "[ $refused = 64 ] && grep -q \"listen 'nonsense' is not\" verifyd.log"
python3 -c 'import socket, time; s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(); print(s.getsockname()[1], flush=True); time.sleep(30)' > busy.port &
busy=$!
for _ in $(seq 50); do [ -s busy.port ] && break; sleep 0.1; done
start_refused --listen "127.0.0.1:$(cat busy.port)"
kill $busy
wait $busy 2>/dev/null
check "a port in use: exit 69" "[ $refused = 69 ] && grep -q 'cannot listen on 127.0.0.1:' verifyd.log"
sed -i 's|^public-key = .*|public-key = keys/missing.pub|' verifyd/verifyd.conf
start_refused
check "without its public key: exit 78" "[ $refused = 78 ] && grep -q 'missing.pub: cannot read the public key' verifyd.log"

done_testing
