#!/bin/bash
# Hostile inbox entries and inputs: file names that are not UTF-8, hold
# control characters or are too long to name a refusal; symbolic links,
# hard links, FIFOs and devices. Each is taken under a safe name or refused
# with its reason, never followed out of the spool, never read without
# bound, never left stuck; a batch's input is always its own copy.
. "$(dirname "$0")/lib.sh"
make_key
mkdir -p spool/inbox
GOOD=$FIX/results/bad/rule-credits.xml    # usable: 1 accepted, 1 rejected
BAD=$FIX/results/bad/file-truncated.xml   # unusable as a whole

# A copy of the good fixture with its own bytes (a file is taken once).
fresh() {
	sed "s/id=\"SUB-[^\"]*\"/id=\"SUB-$1\"/" "$GOOD" > "$2"
}

# --- file names are data ----------------------------------------------
fresh NAME1 "spool/inbox/$(printf 'r\xe9sultats\x01.xml')"
fresh NAME2 "spool/inbox/$(printf 'two\nlines.xml')"
long=$(printf 'n%.0s' $(seq 240)).xml      # 244 bytes
fresh NAME3 "spool/inbox/$long"
cp "$BAD" "spool/inbox/$(printf 'x\xff%s' "$long" | head -c 244)"
run timeout 60 certpress run
check "run takes every odd name through or refuses it (exit 65: one unusable file)" "[ $rc = 65 ]"
check "three batches done, one refused" \
	"[ \"\$(sql \"select count(*) from batches where status = 'done'\")\" = 3 ] &&
	 [ \"\$(sql \"select count(*) from batches where status = 'failed'\")\" = 1 ]"
check "a name that is not UTF-8 or has a control character is kept as a safe name" \
	"[ \"\$(sql \"select results_name from batches where submission = 'SUB-NAME1'\")\" = 'r%E9sultats%01.xml' ] &&
	 [ \"\$(sql \"select results_name from batches where submission = 'SUB-NAME2'\")\" = 'two%0Alines.xml' ]"
check "the batch files are XML all through (assign could read them)" \
	"for b in spool/batches/*/; do [ -e \$b/failed ] || xmllint --noout \$b/accepted.xml \$b/assigned.xml || exit 1; done"
check "a 244-byte name is bounded in the registry" \
	"[ \$(sql \"select max(length(results_name)) from batches\") -le 200 ]"
refused=$(sql "select id from batches where status = 'failed'")
check "an unusable file with such a name is in failed/ under a bounded safe name" \
	"n=\$(ls spool/failed | grep -v '\\.reason\$' | grep \"^$refused-x%FF\") &&
	 [ \${#n} -le 230 ] && [ -f \"spool/failed/\$n.reason\" ] && cmp -s \"spool/failed/\$n\" '$BAD'"
check "the inbox is empty" "[ -z \"\$(ls -A spool/inbox)\" ]"
check "messages carry the safe names, never raw control bytes" \
	"! grep -q \$'\\x01' err && contains err 'r%E9sultats%01.xml'"
rm -rf spool/failed/*

# --- links and other entries that are not regular files ----------------
outside=$SCRATCH/outside.xml
fresh LINK1 "$outside"
ln -s "$outside" spool/inbox/link.xml
ln -s /etc/shadow spool/inbox/shadow.xml
mkfifo spool/inbox/fifo.xml
fresh HARD1 hard-original.xml
ln hard-original.xml spool/inbox/hard.xml
mkdir spool/inbox/folder.xml
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' spool/inbox/sock.xml
run timeout 60 certpress run
check "run neither hangs on a FIFO nor takes a link (exit 65)" "[ $rc = 65 ]"
for e in link:-L shadow:-L fifo:-p sock:-S folder:-d; do
	t=${e#*:} e=${e%:*}
	b=$(sql "select id from batches where results_name = '$e.xml'")
	check "$e.xml: refused with its reason, moved aside itself" \
		"[ -n '$b' ] && [ \"\$(sql \"select status from batches where id = '$b'\")\" = failed ] &&
		 [ ! -e spool/inbox/$e.xml ] && [ ! -L spool/inbox/$e.xml ] &&
		 [ $t spool/failed/$b-$e.xml ] &&
		 grep -q 'not a regular file' spool/failed/$b-$e.xml.reason"
done
check "...each with what it is" \
	"grep -q '(a socket)' spool/failed/*-sock.xml.reason && grep -q '(a folder)' spool/failed/*-folder.xml.reason"
check "a link is moved as a link; its target is untouched" \
	"[ \"\$(readlink spool/failed/*-link.xml)\" = '$outside' ] && contains '$outside' SUB-LINK1"
check "nothing was read through a link: no batch took the outside file or /etc/shadow" \
	"[ \"\$(sql \"select count(*) from batches where submission = 'SUB-LINK1'\")\" = 0 ] &&
	 ! grep -rqs 'root:' spool/batches spool/failed/*.reason"
hb=$(sql "select id from batches where submission = 'SUB-HARD1'")
check "a hard-linked inbox file: the batch has its own copy (another inode, 0640)" \
	"[ -n '$hb' ] && [ -f spool/batches/$hb/results.xml ] && [ ! -L spool/batches/$hb/results.xml ] &&
	 [ \"\$(stat -c %i spool/batches/$hb/results.xml)\" != \"\$(stat -c %i hard-original.xml)\" ] &&
	 [ \"\$(stat -c %a spool/batches/$hb/results.xml)\" = 640 ] && [ ! -e spool/inbox/hard.xml ]"
echo '<!-- changed -->' >> hard-original.xml
check "changing the other name afterwards does not change the batch's input" \
	"! grep -q changed spool/batches/$hb/results.xml"
run timeout 60 certpress run
check "the next run finds nothing left in the inbox (exit 0)" "[ $rc = 0 ] && grep -q '^0 batches' out"
rm -rf spool/failed/*

# --- retry of a batch validate died in before it had its own copy: its
# file is found in the inbox by its SHA-256, among entries that would hang
# a reader or never end ---------------------------------------------------
fresh RETRY1 spool/inbox/retry.xml
( CERTPRESS_CRASH=rename:1 certpress run > out 2> err; true ) 2> /dev/null
rb=$(sql "select id from batches where results_name = 'retry.xml'")
check "validate killed before the batch had its copy (the file still in the inbox)" \
	"[ -n '$rb' ] && [ ! -e spool/batches/$rb/results.xml ] && [ -f spool/inbox/retry.xml ]"
mkfifo spool/inbox/a-fifo.xml
ln -s /dev/zero spool/inbox/a-zero.xml
run timeout 30 certpress retry "$rb"
check "retry finds it past a FIFO and a link to /dev/zero without hanging (exit 0)" \
	"[ $rc = 0 ] && [ -e spool/batches/$rb/notified.xml ] && [ ! -e spool/inbox/retry.xml ]"
check "...and leaves those for the next run to refuse" "[ -p spool/inbox/a-fifo.xml ] && [ -L spool/inbox/a-zero.xml ]"
rm -f spool/inbox/a-fifo.xml spool/inbox/a-zero.xml

# --- an uploader's file over max-file-mb is never copied whole -----------
if [ "$(id -u)" = 0 ]; then
	printf '\n[validate]\nmax-file-mb = 1\n' >> certpress.conf
	truncate -s 24M spool/inbox/huge.xml # sparse: a copy would not be
	chown nobody:nogroup spool/inbox/huge.xml
	run timeout 60 certpress run
	hb=$(sql "select id from batches where results_name = 'huge.xml'")
	check "an uploader's file over max-file-mb in the inbox: refused (65), not copied into failed/" \
		"[ $rc = 65 ] && [ -n '$hb' ] && [ ! -e spool/failed/$hb-huge.xml ] &&
		 [ \$(du -sk spool/failed | cut -f1) -lt 1024 ]"
	check "...its reason says it was not kept, and it is gone from the inbox" \
		"grep -q 'not kept.*larger than max-file-mb.*removed from the inbox' spool/failed/$hb-huge.xml.reason &&
		 [ ! -e spool/inbox/huge.xml ]"
	write_config
else
	skip "a file another user uploaded needs root (chown)"
fi

# --- inputs given by name ----------------------------------------------
run timeout 20 certpress-validate /dev/zero
check "validate /dev/zero: refused at once, nothing copied (exit 66)" \
	"[ $rc = 66 ] && contains err '/dev/zero: not a regular file (a character device)' &&
	 ! ls spool/failed | grep -q zero"
mkfifo fifo.xml
run timeout 20 certpress-validate fifo.xml
check "validate of a FIFO does not hang (exit 66)" \
	"[ $rc = 66 ] && contains err 'fifo.xml: not a regular file (a FIFO)'"
run timeout 20 certpress run fifo.xml
check "run of a FIFO does not hang (exit 66)" "[ $rc = 66 ]"
ln -s "$outside" given-link.xml
run timeout 20 certpress-validate given-link.xml
check "validate of a symbolic link refuses it (exit 66)" \
	"[ $rc = 66 ] && contains err 'given-link.xml: not a regular file (a symbolic link)'"
printf '\n[validate]\nmax-file-mb = 1\n' >> certpress.conf
{ sed -n '1,4p' "$GOOD"; for i in $(seq 1 60000); do echo "<!-- padding padding padding padding -->"; done; } > big.xml
run timeout 20 certpress-validate big.xml
b=$(last_batch)
check "a file over max-file-mb outside the inbox: refused, not copied whole into failed/" \
	"[ $rc = 65 ] && contains err 'big.xml: the file is larger than 1 MB' &&
	 [ ! -e spool/failed/$b-big.xml ] && contains spool/failed/$b-big.xml.reason 'not copied' && [ -f big.xml ]"
write_config

done_testing
