#!/bin/bash
# After a crash anywhere, an operator can see and resume every stop: status
# tells a dead stage ("crashed at STAGE", the lock free) from a running one,
# closes the attempt a dead process left "running", `status --stuck` lists
# what nobody is working on (exit 1), `run` without files resumes every
# stopped batch and exits non-zero while one stays stuck, and `retry`
# resumes a batch at any stage, validate included. A stage's start removes
# the temp files a killed attempt left anywhere in the batch folder.
. "$(dirname "$0")/lib.sh"

# The batch is finished, once: every stage's output, 40 learners, no temp
# file, no attempt left running, every email once, nothing stuck.
whole() {
	dir=spool/batches/$batch
	[ -e "$dir/notified.xml" ] && [ "$(count_learners "$dir/accepted.xml")" = 40 ] &&
	! find spool -name '.*cptmp*' | grep -q . &&
	[ "$(sql "select count(*) from stage_runs where outcome = 'running'")" = 0 ] &&
	[ "$(grep -l "^Message-ID: <$batch\." spool/outbox/*.eml | wc -l)" = \
	  "$(sql "select count(*) from notifications where batch_id = '$batch' and status = 'sent'")" ] &&
	[ "$(sql "select count(*) from notifications where batch_id = '$batch' and status = 'sent'")" -gt 30 ] &&
	[ -z "$(grep -h '^Message-ID' spool/outbox/*.eml | sort | uniq -d)" ] &&
	certpress status --stuck > /dev/null
}

# run, for a command that is killed: the shell's own "Killed" is left out.
crash() {
	( "$@" > "$SCRATCH/out" 2> "$SCRATCH/err"; echo $? > "$SCRATCH/crash.rc" ) 2> /dev/null
	rc=$(cat "$SCRATCH/crash.rc")
}

fresh() {
	rm -rf spool
	write_config
	printf '\n[render]\njobs = 1\n' >> certpress.conf # render's own process is the one killed
	make_key
	mkdir -p spool/inbox
	certpress status > /dev/null 2>&1 # the registry, so run itself meets no fault
}

# --- validate killed at each point: the inbox file may be gone already ---
n=0
# (rename:1 leaves the file in the inbox: the next run takes it up again)
for op in rename:1 write:1 write:4 fsync:3 fsync:5 rename:2 rename:3 rename:4; do
	n=$((n + 1))
	fresh
	cp "$FIX/results/good.xml" spool/inbox/
	CERTPRESS_CRASH=$op run certpress run
	batch=$(sql "select id from batches order by id limit 1")
	check "validate killed at $op: run reports the stage killed, exit 75" \
		"[ $rc = 75 ] && grep -q 'certpress-validate was killed by SIGKILL' err"
	run certpress status
	check "validate killed at $op: status says crashed, not running" \
		"grep -q \"^$batch  *crashed at validate \" out && ! grep -q 'running' out"
	run certpress status --stuck
	check "validate killed at $op: status --stuck lists it (exit 1)" \
		"[ $rc = 1 ] && grep -q \"^$batch  *crashed at validate\" out"
	if [ $((n % 2)) = 1 ]; then
		run certpress run
		check "validate killed at $op: the next run resumes it (exit 0)" \
			"[ $rc = 0 ] && grep -q '^1 batches: 1 done' out"
	else
		run certpress retry "$batch"
		check "validate killed at $op: retry resumes it at validate (exit 0)" "[ $rc = 0 ]"
	fi
	check "validate killed at $op: the batch is finished, every learner once" \
		"whole && [ ! -e spool/inbox/good.xml ] && [ \$(sql \"select count(*) from batches where status <> 'failed'\") = 1 ]"
	run certpress status --stuck
	check "validate killed at $op: nothing stuck any more (exit 0, silent)" "[ $rc = 0 ] && [ ! -s out ]"
done

# --- killed before its file was moved, and the file then taken away ---
fresh
cp "$FIX/results/good.xml" spool/inbox/
CERTPRESS_CRASH=rename:1 run certpress run
batch=$(sql "select id from batches")
rm spool/inbox/good.xml
run certpress run
check "a batch whose results file is gone: the next run refuses it (65)" \
	"[ $rc = 65 ] && grep -q 'the results file is missing' err"
run certpress run
check "...and the run after leaves it refused (exit 0)" "[ $rc = 0 ] && grep -q '^0 batches' out"
run certpress status --stuck
check "...not stuck" "[ $rc = 0 ] && [ ! -s out ]"

# --- a later stage killed while working alone: crashed, resumed by run ---
for plan in assign:commit:1 render:rename:50 pack:write:30 notify:commit:2; do
	stage=${plan%%:*}
	fresh
	run certpress-validate "$FIX/results/good.xml"
	batch=$(last_batch)
	for s in assign render pack notify; do
		[ $s = $stage ] && break
		run certpress-$s "$batch"
	done
	crash env "CERTPRESS_CRASH=${plan#*:}" certpress-$stage "$batch"
	check "$stage killed at ${plan#*:}: it died" "[ $rc = 137 ]"
	run certpress status
	check "$stage killed: status says crashed at $stage" "grep -q \"^$batch  *crashed at $stage \" out"
	check "$stage killed: the attempt is closed as crashed, not running" \
		"[ \"\$(sql \"select outcome || ':' || coalesce(exit_code, 'none') from stage_runs where stage = '$stage' order by attempt desc limit 1\")\" = failed:none ]"
	run certpress status "$batch"
	check "$stage killed: status BATCH says crashed too" "grep -q \"^batch $batch: crashed at $stage\" out"
	run certpress run
	check "$stage killed: run resumes it and finishes it (exit 0)" \
		"[ $rc = 0 ] && grep -q \"^$batch  *done\" out"
	check "$stage killed: the batch is finished, every learner once" whole
done

# --- a render worker killed: the stage says so and fails retryable (75) ---
fresh
sed -i 's/^jobs = 1/jobs = 2/' certpress.conf
run certpress-validate "$FIX/results/good.xml"
batch=$(last_batch)
run certpress-assign "$batch"
CERTPRESS_CRASH=rename:40 run certpress-render "$batch"
check "a render worker killed: render exits 75 and names the signal" \
	"[ $rc = 75 ] && grep -q 'render worker [01] was killed by SIGKILL' err"
run certpress status
check "...status says failed at render, killed by SIGKILL" "grep -q \"^$batch  *failed at render (killed by SIGKILL) \" out"
check "...and the attempt records the signal and the worker" \
	"sql \"select counts from stage_runs where stage = 'render'\" | grep -q '\"signal\":\"SIGKILL\",\"worker\":[01]'"
run certpress run
check "...and run resumes it to the end (exit 0)" "[ $rc = 0 ] && whole"

# --- a batch locked by a process at work is running, not stuck ---
fresh
run certpress-validate "$FIX/results/good.xml"
batch=$(last_batch)
run certpress-assign "$batch"
exec 8< "spool/batches/$batch/lock"
flock -n 8
sql "insert into stage_runs (batch_id, stage, attempt, started) values ('$batch', 'render', 1, '2026-11-23T01:00:00Z')"
run certpress status
check "a batch whose lock is held is 'running render'" "grep -q \"^$batch  *running render \" out"
run certpress status --stuck
check "...and not stuck (exit 0)" "[ $rc = 0 ] && [ ! -s out ]"
run certpress run
check "...and run leaves it alone (exit 0)" "[ $rc = 0 ] && [ ! -e spool/batches/$batch/rendered.xml ]"
check "...its attempt still running" "[ \"\$(sql \"select outcome from stage_runs where stage = 'render'\")\" = running ]"
exec 8<&-
run certpress status
check "once the lock is free it is crashed at render" "grep -q \"^$batch  *crashed at render \" out"
check "...and status closed the attempt the dead process left running" \
	"[ \"\$(sql \"select outcome from stage_runs where stage = 'render'\")\" = failed ]"

# --- a batch that keeps failing keeps run's exit code non-zero ---
fresh
sed -i 's/^encrypt *= no/encrypt = yes/' certpress.conf
cp "$FIX/results/good.xml" spool/inbox/
run certpress run
check "pack without a zip password stops the batch (exit 78)" "[ $rc = 78 ]"
batch=$(sql "select id from batches")
run certpress -q run
check "the next run with an empty inbox tries it again and exits 78" \
	"[ $rc = 78 ] && grep -q \"^$batch  *config\" out"
run certpress status --stuck
check "status --stuck lists it (exit 1)" "[ $rc = 1 ] && grep -q \"^$batch  *failed at pack (config)\" out"
# the README's crontab, as cron would run it: what it prints is mailed
cron_lines() {
	grep -E '^    [0-9*]+ [0-9*]+ \* \* \*  +certpress ' "$TOP/README.md" |
		sed -E -e 's/^ +([^ ]+ +){5}//' -e "s|/var/log/certpress/|$SCRATCH/cron-|g"
}
cron() {
	cron_lines | while read -r line; do sh -c "$line" < /dev/null; done > cron.out 2>&1
}
check "the README's crontab runs certpress run and certpress status --stuck" \
	"cron_lines | grep -q '^certpress -q run ' && cron_lines | grep -q '^certpress -q status --stuck '"
cron
check "with a batch stuck the crontab's mail names it and says so" \
	"grep -q 'certpress run: exit 78' cron.out && grep -q \"^$batch  *failed at pack (config)\" cron.out && grep -q 'stuck' cron.out"
sed -i 's/^encrypt *= yes/encrypt = no/' certpress.conf
cron
check "once mended, the night's run finishes it and the crontab mails nothing" \
	"[ ! -s cron.out ] && [ -e spool/batches/$batch/notified.xml ]"
fresh
sed -i 's/^encrypt *= no/encrypt = yes/' certpress.conf
cp "$FIX/results/good.xml" spool/inbox/
run certpress run
batch=$(sql "select id from batches")
sed -i 's/^encrypt *= yes/encrypt = no/' certpress.conf
run certpress run "$FIX/results/bad/rule-grade.xml"
check "run FILE takes only that file and says another batch waits" \
	"[ $rc = 0 ] && grep -q '1 other batches had stopped' err && [ ! -e spool/batches/$batch/packed.xml ]"
run certpress run
check "once the configuration is mended the next run finishes it (exit 0)" \
	"[ $rc = 0 ] && grep -q \"^$batch  *done\" out && grep -q '^1 batches: 1 done' out"
check "...whole" whole

# --- a kill after an output's rename, before its end is recorded ---
# The crash point is found by bisection: the smallest N for which the crash
# at the Nth fsync leaves the stage's output there (its folder's fsync after
# its last rename).
last_fsync() { # stage output
	local lo=1 hi=400 mid
	while [ $lo -lt $hi ]; do
		mid=$(( (lo + hi) / 2 ))
		rm -rf spool && cp -a spool.saved spool
		crash env CERTPRESS_CRASH=fsync:$mid certpress-$1 "$batch"
		if [ -e "spool/batches/$batch/$2" ]; then hi=$mid; else lo=$((mid + 1)); fi
	done
	rm -rf spool && cp -a spool.saved spool
	echo $lo
}
for so in render:rendered.xml pack:packed.xml; do
	stage=${so%%:*} output=${so#*:}
	fresh
	run certpress-validate "$FIX/results/good.xml"
	batch=$(last_batch)
	for s in assign render pack; do
		[ $s = $stage ] && break
		run certpress-$s "$batch"
	done
	rm -rf spool.saved && cp -a spool spool.saved
	k=$(last_fsync $stage $output)
	crash env CERTPRESS_CRASH=fsync:$k certpress-$stage "$batch"
	check "$stage killed after $output's rename (fsync:$k): output there, attempt running" \
		"[ $rc = 137 ] && [ -e spool/batches/$batch/$output ] && [ \"\$(sql \"select outcome from stage_runs where stage = '$stage'\")\" = running ]"
	run certpress status
	check "$stage: status closes the attempt as done (its output is there)" \
		"[ \"\$(sql \"select outcome || ':' || exit_code from stage_runs where stage = '$stage'\")\" = ok:0 ]"
	run certpress retry "$batch"
	check "$stage: retry finishes the batch" "[ $rc = 0 ] && whole"
done

# --- pack killed while writing its report fonts: the temp file is swept ---
fresh
run certpress-validate "$FIX/results/good.xml"
batch=$(last_batch)
run certpress-assign "$batch"
run certpress-render "$batch"
rm -rf spool.saved && cp -a spool spool.saved
found=
for k in $(seq 1 40); do
	rm -rf spool && cp -a spool.saved spool
	crash env CERTPRESS_CRASH=write:$k certpress-pack "$batch"
	if ls -a "spool/batches/$batch/pack/fonts" 2>/dev/null | grep -q cptmp; then found=$k; break; fi
done
check "pack killed at write:$found leaves a temp file in pack/fonts/" "[ -n \"$found\" ]"
run certpress retry "$batch"
check "the next attempt removes it and finishes the batch" "[ $rc = 0 ] && whole"

# --- certpress reprint killed while it lays out the replacement: its temp
# files (fonts, copies) are swept by the next reprint and by pack ---
a=$(doc_ref Winbery certificate)
b=$(doc_ref Winbery transcript)
found=
for op in rename:1 rename:2 write:3 rename:3 rename:4; do
	crash env CERTPRESS_CRASH=$op certpress reprint "$a" --reason "damaged in the post"
	if find spool/reprints -name '*cptmp*' | grep -q .; then found=$op; break; fi
done
check "a reprint killed at $found left temp files in spool/reprints/" "[ -n \"$found\" ] && [ $rc = 137 ]"
check "...and its order was not recorded (no order without its copies)" \
	"[ \"\$(sql \"select status from documents where reference = '$a'\")\" = valid ]"
run certpress reprint "$b" --reason "damaged in the post"
check "the next reprint finishes and sweeps what the killed one left" \
	"[ $rc = 0 ] && ! find spool/reprints -name '*cptmp*' | grep -q . &&
	 [ -z \"\$(find spool/reprints -name '.fonts-*')\" ]"
crash env CERTPRESS_CRASH=$found certpress reprint "$a" --reason "damaged in the post"
check "killed again: temp files left" "find spool/reprints -name '*cptmp*' | grep -q ."
run certpress retry --from pack "$batch"
check "...and pack sweeps them (exit 0)" \
	"[ $rc = 0 ] && ! find spool/reprints -name '*cptmp*' | grep -q . &&
	 [ -z \"\$(find spool/reprints -name '.fonts-*')\" ]"

done_testing
