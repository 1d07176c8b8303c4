#!/bin/bash
# Exit codes for what the machine does to a stage: a full disk (a real
# tmpfs), a file over the size limit (ulimit -f, SIGXFSZ), an I/O error
# (CERTPRESS_FAULT) and a closed pipe (SIGPIPE) are 74 with the path (73 is
# for an output that cannot be created), never 70 or death by a signal, in
# every stage; `retry` finishes the batch once the cause is gone.
. "$(dirname "$0")/lib.sh"
CONF=$SCRATCH/certpress.conf

# The registry stays outside the small file systems below, so what fills up
# is the stage's own output.
reg_outside() {
	sed -i "s|^registry .*|registry = $SCRATCH/registry.sqlite|" "$CONF"
}
sql() {
	sqlite3 "$SCRATCH/registry.sqlite" "$@"
}
fresh() {
	rm -rf spool "$SCRATCH/registry.sqlite"
	write_config
	reg_outside
	make_key
}

# The stage's message names the file (under the spool, or the results file
# being copied in) and the system's reason.
says() { # reason
	grep -E "certpress-[a-z]+: error: .*($SCRATCH/spool/[^ ]*|[a-z]+\.xml): .*$1" "$SCRATCH/err"
}

# --- disk full, for real: the spool on a 16 MB tmpfs, filled up ---
if [ "$(id -u)" = 0 ]; then
	mkdir -p spool
	mount -t tmpfs -o size=16m,mode=0750 certpress-test spool
	trap 'umount "$SCRATCH/spool" 2>/dev/null' EXIT
	reg_outside
	make_key
	# leave $1 KB free on the spool's file system
	fill() {
		rm -f spool/filler
		local free
		free=$(df --output=avail -k spool | tail -1)
		[ "$free" -gt "$1" ] && fallocate -l $(( (free - $1) * 1024 )) spool/filler
		sync
	}
	mkdir -p spool/inbox
	cp "$FIX/results/good.xml" spool/inbox/
	# each stage with too little room: validate, assign (0 KB), render (its
	# fonts fit, its PDFs do not), pack (the PDFs of the zip), notify
	for plan in validate:0 assign:0 render:200 pack:400 notify:0; do
		stage=${plan%%:*}
		fill "${plan#*:}"
		if [ $stage = validate ]; then
			run certpress run
			batch=$(sql "select id from batches")
		else
			run certpress retry "$batch"
		fi
		# a full disk is 74 (ioerr) in every stage; notify's file: transport
		# defers the message it cannot write (75: retryable, nobody charged)
		check "disk full in $stage: exit $([ $stage = notify ] && echo 75 || echo 74) (was $rc)" \
			"[ $rc = $([ $stage = notify ] && echo 75 || echo 74) ]"
		check "disk full in $stage: the stage names the path and the reason" "says 'No space left on device'"
		check "disk full in $stage: run or retry says where the batch stopped" \
			"grep -q \"batch $batch stopped at $stage (exit $rc, [a-z]*): 'certpress retry' resumes it\" err"
		run certpress status
		check "disk full in $stage: status says failed at $stage" \
			"grep -qE \"^$batch +failed at $stage \\((ioerr|cantcreat|tempfail)\\)\" out"
		rm -f spool/filler
		# with room again, on to the next stage (validate: the inbox file
		# again, as the next run takes it)
		if [ $stage = validate ] && [ -e spool/inbox/good.xml ]; then
			run certpress-validate spool/inbox/good.xml
		else
			run certpress-$stage "$batch"
		fi
		check "disk full in $stage: with room again the stage finishes" "[ $rc = 0 ]"
	done
	fill 200
	run certpress retry --from render "$batch"
	check "disk full again: retry --from render exits 74 (was $rc)" "[ $rc = 74 ]"
	rm -f spool/filler
	run certpress retry "$batch"
	check "once space is back retry finishes the batch" \
		"[ $rc = 0 ] && [ -e spool/batches/$batch/notified.xml ] && ! find spool -name '.*cptmp*' | grep -q ."
	umount spool
	trap - EXIT
else
	skip "disk full on a tmpfs needs root"
fi

# --- a file over the size limit (ulimit -f): EFBIG, not SIGXFSZ ---
# (the registry's files stay under the limits used: its WAL index alone is 32 KB)
fresh
python3 "$TOP/bench/gen-results.py" 400 big.xml 5 > /dev/null 2>&1
certpress status > /dev/null && sql 'pragma wal_checkpoint(truncate)' > /dev/null
run bash -c "ulimit -f 100; exec certpress-validate big.xml"
check "validate over the file size limit: exit 74, not killed by SIGXFSZ (was $rc)" "[ $rc = 74 ]"
check "...the path and the reason" "says 'File too large'"
fresh
run certpress-validate "$FIX/results/good.xml"
batch=$(last_batch)
run certpress-assign "$batch"
run certpress-render "$batch"
run bash -c "ulimit -f 1000; exec certpress retry $batch"
check "pack over the file size limit under retry: exit 74 (was $rc)" "[ $rc = 74 ]"
check "...the path and the reason" "says 'File too large'"
check "...no stage killed by a signal" "! grep -q 'killed by' err"
run certpress retry "$batch"
check "without the limit retry finishes the batch" "[ $rc = 0 ] && [ -e spool/batches/$batch/notified.xml ]"

# --- an I/O error (CERTPRESS_FAULT=write or fsync: EIO) in every stage ---
for plan in validate:write:3 assign:write:1 render:write:40 render:fsync:6 pack:write:20 pack:fsync:10 notify:write:2; do
	stage=${plan%%:*}
	fresh
	mkdir -p spool/inbox
	cp "$FIX/results/good.xml" spool/inbox/
	if [ $stage = validate ]; then
		CERTPRESS_FAULT=${plan#*:} run certpress run
		batch=$(sql "select id from batches")
	else
		run certpress-validate spool/inbox/good.xml
		batch=$(last_batch)
		for s in assign render pack notify; do
			[ $s = $stage ] && break
			run certpress-$s "$batch"
		done
		CERTPRESS_FAULT=${plan#*:} run certpress retry "$batch"
	fi
	# notify defers a message the file: transport cannot write (75, retryable)
	check "I/O error in $stage (${plan#*:}): exit $([ $stage = notify ] && echo 75 || echo 74) (was $rc)" \
		"[ $rc = $([ $stage = notify ] && echo 75 || echo 74) ]"
	check "I/O error in $stage (${plan#*:}): the path and the reason" "says 'Input/output error'"
	run certpress retry "$batch"
	check "I/O error in $stage: retry finishes the batch" "[ $rc = 0 ] && [ -e spool/batches/$batch/notified.xml ]"
done

# --- the inbox folder's sync failing after validate took the file: the
# batch has its own copy, durable already, so it is a warning and exit 0 ---
found=
for k in 1 2 3 4 5 6; do
	fresh
	mkdir -p spool/inbox
	cp "$FIX/results/good.xml" spool/inbox/
	CERTPRESS_FAULT=fsync:$k run certpress-validate spool/inbox/good.xml
	if grep -q 'spool/inbox: cannot sync' err; then
		found=$k
		break
	fi
done
check "validate met a failed sync of the inbox folder after taking the file" "[ -n '$found' ]"
check "...a warning, not an error, and exit 0 (the batch is safe)" \
	"[ $rc = 0 ] && grep -q 'certpress-validate: warning: .*spool/inbox: cannot sync' err && ! grep -q 'error:' err"
check "...and the batch is validated" "[ -e spool/batches/\$(last_batch)/accepted.xml ]"

# --- a closed pipe: EPIPE reported, not death by SIGPIPE ---
fresh
closed_pipe() { # run a command with stdout a pipe nobody reads; prints its exit
	python3 -c 'import os, subprocess, sys
r, w = os.pipe()
os.close(r)
p = subprocess.run(sys.argv[1:], stdout=w, stderr=open("err", "w"))
print(p.returncode)' "$@"
}
rc=$(closed_pipe certpress-validate "$FIX/results/good.xml")
check "validate printing to a closed pipe: exit 74, not killed by SIGPIPE" "[ $rc = 74 ]"
check "...it says so" "grep -q 'certpress-validate: error: .*standard output: Broken pipe' err"
batch=$(sql "select id from batches")
check "...and the batch is validated" "[ -e spool/batches/$batch/accepted.xml ]"
rc=$(closed_pipe certpress run)
check "run printing its summary to a closed pipe: exit 74, the batch done" \
	"[ $rc = 74 ] && [ -e spool/batches/$batch/notified.xml ] && grep -q 'certpress: error: standard output: Broken pipe' err"


# --- run says once where a batch stopped: at the stage that failed ---
# Under one `certpress run` of an inbox file, each stage in turn fails (its
# own cause, the stages before it done): the summary's batch is named by
# exactly one "stopped at" line, that stage's, with the code run exits.
stopped_there() { # stage: the output of the stage before is there, its own is not
	local outputs=(accepted assigned rendered packed notified) i
	for i in 0 1 2 3 4; do
		[ "${stages[i]}" = "$1" ] && break
	done
	[ ! -e "spool/batches/$batch/${outputs[i]}.xml" ] &&
		{ [ "$i" = 0 ] || [ -e "spool/batches/$batch/${outputs[i - 1]}.xml" ]; }
}
stages=(validate assign render pack notify)
stopped_once() { # stage
	[ "$(grep -c "batch $batch stopped at" err)" = 1 ] &&
		grep -q "batch $batch stopped at $1 (exit $rc, [a-z]*)" err
}
for stage in "${stages[@]}"; do
	fresh
	mkdir -p spool/inbox
	cp "$FIX/results/good.xml" spool/inbox/
	fault=
	case $stage in
	validate) fault=write:3 ;;                              # EIO: 74
	assign) rm -f keys/reference.key ;;                     # no key: 78
	render) mkdir -p layouts && cp -r "$TOP/layouts/"* layouts/ &&
		sed -i "s|^layouts .*|layouts = $SCRATCH/layouts|" "$CONF" &&
		sed -i '0,/<text/s/<text/<txet/' layouts/certificate.xml ;; # a template error: 78
	pack) sed -i 's/^encrypt .*/encrypt = yes/' "$CONF" ;;  # no centre password: 78
	notify) start_smtpd && stop_smtpd &&                    # nobody listening: 69
		sed -i "s|^transport = .*|transport = smtp://127.0.0.1:$smtp_port|" "$CONF" ;;
	esac
	CERTPRESS_FAULT=$fault run certpress run
	batch=$(sql "select id from batches")
	check "run with $stage failing: the batch stops there (exit $rc)" \
		"[ $rc != 0 ] && [ $rc != 65 ] && stopped_there $stage"
	check "run with $stage failing: one 'stopped at' line for the batch, at $stage" "stopped_once $stage"
done

done_testing
