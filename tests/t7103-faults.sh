#!/bin/bash
# Each fault a night can meet (a full disk, a read-only spool, EIO on
# write, fsync and rename, a registry locked or corrupt, a font, template,
# catalogue, schema or key missing, a mail server that drops, never
# answers, answers 421 or resets) stops `certpress run` with a sysexits
# code and a message naming what and where; once the fault is gone,
# `certpress run`/`retry` finishes the batch and the invariant checker
# finds it whole.
. "$(dirname "$0")/lib.sh"
make_key
inv=$TOP/tests/tools/invariants
results_file small.xml 1 "Small Centre" <<'L'
E0001|Ada|Lovelace|ada@example.org
E0002|Alan|Turing|alan@example.org
E0003|Grace|Hopper|
L
kinds=0
holder=
mounted=
cleanup() {
	[ -n "$holder" ] && kill "$holder" 2> /dev/null && wait "$holder" 2> /dev/null
	[ -n "$mounted" ] && umount "$SCRATCH/spool" 2> /dev/null
	stop_smtpd
}
trap cleanup EXIT

# fresh: an empty spool with the results file in its inbox, the default
# config (file: mail) with render pinned to one worker
fresh() {
	[ -n "$mounted" ] && umount "$SCRATCH/spool" && mounted=
	rm -rf spool smtp
	write_config
	printf '\n[render]\njobs = 1\n' >> certpress.conf
	mkdir -p spool/inbox
	chmod 750 spool spool/inbox
	cp small.xml spool/inbox/
}

# fails KIND RC TEXT...: the last run exited RC and its stderr names each
# TEXT (fixed strings); one fault kind counted
fails() {
	local kind=$1 want=$2 t ok=1
	shift 2
	for t in "$@"; do
		grep -qF -- "$t" err || ok=0
	done
	cp err "fault-$kinds.err"
	check "$kind: exit $want ($rc), the message names it" "[ $rc = $want ] && [ $ok = 1 ]"
	# where the batch stopped is said once, and truly (run once named
	# validate too for a batch that stopped later)
	check "$kind: one 'stopped at' line, the stage it stopped at" \
		"[ \$(grep -c 'stopped at ' err) -le 1 ]"
	kinds=$((kinds + 1))
}

# recovers KIND [CHECKER OPTIONS]: the fault gone, run and retry finish the
# batch, and it is whole
recovers() {
	local kind=$1
	shift
	finish_batches
	check "$kind: once it is gone the batch finishes" \
		"[ -z \"$left\" ] && [ \$(sql \"select count(*) from batches where status = 'done'\") = 1 ]"
	run "$inv" "$@" spool
	cp out "fault-$kinds.inv"
	check "$kind: and is whole (invariants)" "[ $rc = 0 ]"
}

# 1. disk full: the spool on a small tmpfs (root only)
if [ "$(id -u)" = 0 ]; then
	fresh
	mv spool/inbox/small.xml .small.xml
	rm -rf spool
	mkdir spool
	mount -t tmpfs -o size=160k,mode=0750 tmpfs spool && mounted=1
	mkdir -p reg
	sed -i "s|^registry .*|registry      = $SCRATCH/reg/registry.sqlite|" certpress.conf
	mkdir spool/inbox
	mv .small.xml spool/inbox/small.xml
	run certpress run
	fails "disk full" 74 "No space left on device" "$SCRATCH/spool/"
	mount -o remount,size=8m spool
	sql() { sqlite3 "$SCRATCH/reg/registry.sqlite" "$@"; }
	recovers "disk full" --registry "$SCRATCH/reg/registry.sqlite"
	unset -f sql
	sql() { sqlite3 "$SCRATCH/spool/registry.sqlite" "$@"; }
	umount spool && mounted=
else
	skip "disk full: needs root to mount a small tmpfs for the spool"
	kinds=$((kinds + 1))
fi

# 2. a read-only spool: a read-only mount (root), else no write permission
fresh
run certpress-validate spool/inbox/small.xml
b=$(last_batch)
if [ "$(id -u)" = 0 ]; then
	mount --bind spool spool && mount -o remount,bind,ro spool && mounted=1
else
	chmod -R a-w spool
fi
run certpress retry "$b"
fails "read-only spool" 73 "spool/registry.sqlite" "read-only"
if [ "$(id -u)" = 0 ]; then umount spool && mounted=; else chmod -R u+w spool; fi
recovers "read-only spool"

# 3-5. EIO on write, fsync and rename (the fault hook): an I/O error is 74
# at every step, a font subset's write or rename as a folder's sync
declare -A want=([write:3]=74 [fsync:2]=74 [rename:2]=74)
for plan in write:3 fsync:2 rename:2; do
	fresh
	run certpress-validate spool/inbox/small.xml
	b=$(last_batch)
	CERTPRESS_FAULT=$plan run certpress retry "$b"
	fails "EIO on ${plan%:*}" "${want[$plan]}" "Input/output error" "$SCRATCH/spool/batches/$b"
	recovers "EIO on ${plan%:*}"
done

# 6. the registry locked by another process holding a write transaction:
# a bounded wait, then 75 naming the registry
fresh
run certpress-validate spool/inbox/small.xml
b=$(last_batch)
python3 -c '
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(120)' spool/registry.sqlite locked &
holder=$!
for _ in $(seq 100); do [ -e locked ] && break; sleep 0.05; done
run certpress-assign "$b"
fails "registry locked" 75 "spool/registry.sqlite" "database is locked" "write lock for 30 s"
kill "$holder"
wait "$holder" 2> /dev/null
holder=
recovers "registry locked"

# 7. a corrupt registry file: refused, naming it (73: the registry cannot be
# opened, as any output that cannot be created); the saved copy put back
fresh
run certpress-validate spool/inbox/small.xml
b=$(last_batch)
sqlite3 spool/registry.sqlite 'pragma wal_checkpoint(truncate)' > /dev/null
cp spool/registry.sqlite registry.good
printf 'garbage garbage garbage garbage garbage garbage garbage' | dd of=spool/registry.sqlite conv=notrunc 2> /dev/null
run certpress retry "$b"
fails "corrupt registry" 73 "spool/registry.sqlite" "not a database"
cp registry.good spool/registry.sqlite
recovers "corrupt registry"

# 8-12. a missing font, template, catalogue, schema or key
cp -r "$TOP/layouts" mylayouts
cp -r "$TOP/config" myconfig
cp "$FIX/catalogue.xml" mycatalogue.xml
missing() { # KIND RC FILE STAGE-TO-REACH TEXT...: FILE removed before STAGE
	local kind=$1 want=$2 file=$3 upto=$4
	shift 4
	fresh
	sed -i "s|^layouts .*|layouts       = $SCRATCH/mylayouts|; s|^schemas .*|schemas       = $SCRATCH/myconfig|; s|^catalogue .*|catalogue     = $SCRATCH/mycatalogue.xml|" certpress.conf
	case $upto in
	validate) ;;
	*) run certpress-validate spool/inbox/small.xml ;;
	esac
	mv "$file" "$file.away"
	run certpress run
	[ "$upto" != validate ] && run certpress retry "$(sql 'select id from batches')"
	fails "$kind" "$want" "$@"
	mv "$file.away" "$file"
	recovers "$kind"
}
sed -i "s|/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf|DejaVuSerif.ttf|" mylayouts/*.xml
cp /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf mylayouts/
missing "missing font" 78 mylayouts/DejaVuSerif.ttf render "DejaVuSerif.ttf" "certificate.xml"
missing "missing template" 78 mylayouts/transcript.xml render "transcript.xml"
missing "missing catalogue" 66 mycatalogue.xml validate "mycatalogue.xml" "No such file"
missing "missing schema" 78 myconfig/results.xsd validate "results.xsd"
missing "missing key" 78 keys/reference.key assign "keys/reference.key"

# 13-17. the mail server: drops at DATA, never answers, 421 at greeting,
# resets the connection after accepting it, resets after the message
smtp_fault() { # KIND RC SCRIPT-FILE CONTENT TEXT...
	local kind=$1 want=$2 file=$3 content=$4
	shift 4
	fresh
	start_smtpd
	sed -i '/^transport = /a timeout = 2' certpress.conf
	printf '%s\n' "$content" > "smtp/$file"
	run certpress run
	fails "$kind" "$want" "$@"
	rm -f "smtp/$file"
	recovers "$kind" --smtp smtp
	stop_smtpd
}
smtp_fault "SMTP drops at DATA" 75 close "drop data" "127.0.0.1:" "notify"
smtp_fault "SMTP never answers" 69 no-greeting "" "127.0.0.1:" "notify"
smtp_fault "SMTP 421 at greeting" 75 close "421 greeting" "127.0.0.1:" "421"
smtp_fault "SMTP accepts then resets" 69 close "reset greeting" "127.0.0.1:" "notify"
smtp_fault "SMTP resets after the data" 75 close "reset dot" "127.0.0.1:" "notify"

echo "# $kinds fault kinds"
check "at least 12 fault kinds ($kinds)" "[ $kinds -ge 12 ]"

done_testing
