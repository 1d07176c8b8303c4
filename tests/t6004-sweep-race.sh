#!/bin/bash
# certpress sweep against a pack of the same batch: they agree through the
# batch's lock and the registry (the export row is claimed, then the zip
# deleted), so whenever the registry says an export is finished its zip is
# there with the SHA-256 recorded. Each interleaving is made exact: the test
# holds the lock itself, or stops one process at the unlink or rename that
# matters (tests/tools/preload/pause.c) while the other runs.
. "$(dirname "$0")/lib.sh"
make_key
python3 "$TOP/bench/gen-results.py" 4 g.xml 3 > /dev/null
through_pack g.xml
check "a packed batch" "[ $rc = 0 ]"
zip=spool/exports/$batch/C09999-$batch.zip
later=$(( $(date +%s) + 48 * 3600 )) # every export made today has expired then

# Whatever the interleaving: a finished export's zip exists, with its hash.
cat > agree.py <<'PY'
import hashlib, os, sqlite3, sys
db = sqlite3.connect("spool/registry.sqlite")
bad = []
for batch, file, status, sha, swept in db.execute(
        "select batch_id, file, status, sha256, swept from exports"):
    path = os.path.join("spool/exports", batch, file)
    if status == "finished":
        if not os.path.exists(path):
            bad.append(f"{file}: finished but no zip")
        elif hashlib.sha256(open(path, "rb").read()).hexdigest() != sha:
            bad.append(f"{file}: finished but its SHA-256 is not the one recorded")
    if status == "expired" and swept and os.path.exists(path):
        bad.append(f"{file}: swept but still there")
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
agree() { python3 agree.py > agree.out 2>&1; }
export_status() { sql "select status || ' ' || (swept is not null) from exports"; }
check "the registry and the exports folder agree after pack" "agree"

# 1. A batch whose lock is held (a stage at work) is skipped and reported.
( flock 9 && exec sleep 60 ) 9> spool/batches/$batch/lock &
holder=$!
trap 'kill $holder 2> /dev/null; stop_paused; stop_smtpd' EXIT
for _ in $(seq 100); do flock -n spool/batches/$batch/lock true || break; sleep 0.05; done
CERTPRESS_NOW=$later run certpress sweep
check "sweep skips a locked batch with a temporary failure (exit 75)" "[ $rc = 75 ]"
check "...and says which batch it left" "contains err \"batch $batch is being worked on\""
check "...its zip is still there, still finished" \
	"[ -e $zip ] && [ \"\$(export_status)\" = 'finished 0' ] && agree"
kill $holder
wait $holder 2> /dev/null

# 2. Sweep stopped between its look at the registry and its unlink while a
#    pack of the batch runs: the pack must not publish a zip the sweep then
#    deletes (the sweep holds the lock, so the pack waits for it).
repack() { # each case starts from a finished export
	run certpress retry --from pack "$batch"
	check "$1: pack again: a finished export" "[ $rc = 0 ] && [ \"\$(export_status)\" = 'finished 0' ] && agree"
}
repack "case 2"
pause_at unlink:.zip env CERTPRESS_NOW=$later certpress sweep
check "sweep stops just before deleting the zip" "[ $? = 0 ]"
run certpress retry --from pack "$batch"
check "retry --from pack meanwhile: the batch is locked by the sweep (exit 75)" "[ $rc = 75 ]"
check "the registry and the folder agree while the sweep is stopped" "agree"
resume
check "the sweep then finishes (exit 0)" "[ $rc = 0 ] && contains paused.out \"expired $batch C09999-$batch.zip\""
check "no finished export without its zip (the registry and the folder agree)" "agree"
check "...the zip is gone and recorded swept" "[ ! -e $zip ] && [ \"\$(export_status)\" = 'expired 1' ]"
check_exit 0 "retry --from pack after the sweep" certpress retry --from pack "$batch"
check "...a fresh zip, finished, with its SHA-256" "[ -e $zip ] && [ \"\$(export_status)\" = 'finished 0' ] && agree"

# 3. Pack stopped after recording the export pending (with its new expiry),
#    before the zip's rename; a sweep meanwhile does not touch it.
repack "case 3"
pause_at rename:.zip certpress retry --from pack "$batch"
check "retry --from pack stops just before publishing the zip" "[ $? = 0 ]"
check "...the export is recorded pending" "[ \"\$(export_status)\" = 'pending 0' ]"
CERTPRESS_NOW=$later run certpress sweep
check "sweep meanwhile leaves the pending export alone" \
	"[ $rc = 0 ] && [ -e $zip ] && [ \"\$(export_status)\" = 'pending 0' ]"
resume
check "the pack then finishes (exit 0)" "[ $rc = 0 ]"
check "...finished, its zip there with its SHA-256" "[ \"\$(export_status)\" = 'finished 0' ] && agree"

# 4. A sweep killed after claiming the row and before the unlink: the next
#    sweep finishes the job; a pack in between would have made it pending.
repack "case 4"
pause_at unlink:.zip env CERTPRESS_NOW=$later certpress sweep
check "sweep stops just before deleting the zip" "[ $? = 0 ]"
kill -9 "$paused_pid"
wait "$paused_pid" 2> /dev/null
paused_pid=
check "killed there: the row is claimed (expired, not yet swept), the zip still there" \
	"[ \"\$(export_status)\" = 'expired 0' ] && [ -e $zip ] && agree"
run certpress sweep
check "the next sweep, even before the expiry time, deletes what was claimed" \
	"[ $rc = 0 ] && [ ! -e $zip ] && [ \"\$(export_status)\" = 'expired 1' ] && agree"
check_exit 0 "a sweep with nothing to do" certpress sweep
check "...changes nothing" "[ \"\$(export_status)\" = 'expired 1' ] && agree"

done_testing
