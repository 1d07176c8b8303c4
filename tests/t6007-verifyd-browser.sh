#!/bin/bash
# The verification page in a real browser: headless Chromium (driven by
# Selenium) opens a valid and a cancelled certificate's page served by
# certpress-verifyd and reads the status from the DOM, checks a reference
# through the form, and uses the page's file check (SHA-256 in the browser,
# under the page's Content-Security-Policy) with the real digital copy and
# with a changed one. Screenshots are kept in ./shots. Needs Debian's
# chromium, chromium-driver and python3-selenium (DEB_TEST).
. "$(dirname "$0")/lib.sh"
make_key
verifyd_setup
run certpress run "$FIX/results/good.xml"
check "run exits 0 and publishes" "[ $rc = 0 ] && contains err 'published'"
cert=$(doc_ref Winbery certificate)
gone=$(doc_ref Llywelyn certificate)
run certpress revoke "$gone" --reason "withdrawn"
check "revoke exits 0" "[ $rc = 0 ]"
start_verifyd
check "the service listens" "[ -n '$verifyd_port' ]"

digital=$(echo spool/batches/*/digital/"$cert".pdf)
cp "$digital" changed.pdf
# one byte of the copy changed: still a PDF a viewer opens, not the one issued
printf 'X' | dd of=changed.pdf bs=1 seek=$(($(stat -c %s changed.pdf) / 2)) conv=notrunc 2>/dev/null
look=$(echo "$cert" | tr -d - | tr 'A-Z' 'a-z' | sed 's/0/o/g; s/1/l/g')
mkdir -p shots
run timeout 120 /usr/bin/python3 "$TOP/tests/tools/browser.py" "$verifyd_url" shots \
	page "$cert" valid \
	page "$gone" cancelled \
	form "$look" form \
	file "$cert" "$digital" genuine \
	file "$cert" changed.pdf changed
check "the browser ran every step" "[ $rc = 0 ]"
[ $rc = 0 ] || sed 's/^/# /' err
check "a valid certificate's page, read from the DOM: valid" "grep -qx 'valid valid .*' out"
check "a cancelled certificate's page: cancelled" "grep -qx 'cancelled cancelled .*' out"
check "the form, given a look-alike reference, lands on the canonical page: valid" \
	"grep -qx 'form /v/$cert valid' out"
check "the file check with the digital copy issued: genuine" "grep -qx 'genuine genuine' out"
check "the file check with a changed copy: not genuine" "grep -qx 'changed not-genuine' out"
check "a screenshot of each page" \
	"for s in valid cancelled form genuine changed; do [ \"\$(head -c 4 shots/\$s.png | tail -c 3)\" = PNG ] || exit 1; done"
stop_verifyd
done_testing
