#!/bin/bash
# SIGKILL at every counted operation (CERTPRESS_KILL_AT, as t7102) of
# `certpress publish` and of `certpress revoke`, which publishes at its end,
# while certpress-verifyd serves the snapshot. After each kill the service
# (told to look again: SIGHUP) still serves a whole snapshot, the one
# before or the new one, never a part of one, and the snapshot's final name
# holds the file before or a whole new one with its signature; the command
# again then leaves a snapshot whose signature checks (openssl and the
# service), that shows the registry as it is (a revocation: Cancelled), no
# temp file in the snapshot's folder, and a spool the invariant checker
# passes.
. "$(dirname "$0")/lib.sh"
make_key
printf '\n[render]\njobs = 1\n' >> certpress.conf
inv=$TOP/tests/tools/invariants
results_file small.xml 1 "Small Centre" <<'L'
E0001|Ada|Lovelace|ada@example.org
E0002|Alan|Turing|alan@example.org
E0003|Grace|Hopper|
L
start_smtpd
verifyd_setup
snap=$SCRATCH/verifyd/snapshot
mkdir -p spool/inbox
cp small.xml spool/inbox/
run certpress run
check "the batch is made and published (run exits 0)" "[ $rc = 0 ] && [ -s $snap/snapshot ]"
ref=$(doc_ref Lovelace certificate)
# the test asks often: no rate limit in its way
verifyd_conf rate 100000
verifyd_conf burst 100000
start_verifyd
check "the service serves it" "[ -n '$verifyd_port' ] && curl -sf $verifyd_url/healthz | grep -q '^ok '"
points=0
# the moment each publish says it is (CERTPRESS_NOW): every attempt's
# snapshot differs from the one before
now=$(date +%s)

# Saved states: the spool, the registry and the snapshot's folder.
save() {
	rm -rf "state-$1"
	mkdir "state-$1"
	cp -a spool "state-$1/spool"
	cp -a "$snap" "state-$1/snapshot"
}
fresh() {
	rm -rf spool
	cp -a "state-$1/spool" spool
	# the folder itself stays (the service holds no handle on it): its files
	find "$snap" -mindepth 1 -delete
	cp -a "state-$1/snapshot"/. "$snap"/
}
save published

# sighup: the service looks again now; wait for what it said of it
sighup() {
	local n
	n=$(grep -Ec 'serving the snapshot|still serving|no snapshot' verifyd.log)
	kill -HUP "$verifyd_pid"
	verifyd_log_wait 'serving the snapshot|still serving|no snapshot' "$n"
}

# the pair in the folder is whole: the signature checks the snapshot
pair_ok() {
	openssl pkeyutl -verify -pubin -inkey keys/publish.pub -rawin -in "$snap/snapshot" \
		-sigfile "$snap/snapshot.sig" > /dev/null 2>&1
}

# kill_points NAME STATE WANT CMD...: CMD from STATE (its snapshot served)
# killed before each of its operations N = 1 ... (the clean run's count);
# then the checks above, CMD again, and the checks after. WANT: what the
# document $ref's JSON says once CMD has finished ("valid", "cancelled").
kill_points() {
	local name=$1 state=$2 want=$3 n total tried=0 reached=0 served=0 final=0 whole=0
	local torn=0 failed= before at
	shift 3
	fresh "$state"
	rm -f ops
	CERTPRESS_OPS=$SCRATCH/ops CERTPRESS_NOW=$now "$@" > /dev/null 2>&1
	total=$(od -An -tu8 ops | tr -d ' ')
	check "$name: a clean run counts its operations (>0)" "[ ${total:-0} -gt 0 ]"
	for n in $(seq 1 "$total"); do
		fresh "$state"
		sighup
		before=$(curl -s "$verifyd_url/healthz")
		docs=${before##* }
		cp "$snap/snapshot" old.snapshot
		at=$((now + n * 60))
		rm -f ops trace
		( CERTPRESS_OPS=$SCRATCH/ops CERTPRESS_OPS_TRACE=$SCRATCH/trace CERTPRESS_KILL_AT=$n \
			CERTPRESS_NOW=$at "$@" > kill.out 2> kill.err ) 2> /dev/null
		tried=$((tried + 1))
		if grep -q "^$n .* killed$" trace; then
			reached=$((reached + 1))
		else
			failed="$failed $n(not-reached)"
			continue
		fi
		# the service: the snapshot before or the new one, whole
		sighup
		health=$(curl -s -w ' %{http_code}' "$verifyd_url/healthz" | tr -d '\n')
		case $health in
		"$before 200" | "ok snapshot $(date -u -d @$at +%Y-%m-%dT%H:%M:%SZ) documents $docs"*" 200")
			served=$((served + 1)) ;;
		*) failed="$failed $n(served:${health// /_})" ;;
		esac
		# the final name: the file before, or a new one its signature checks
		if cmp -s old.snapshot "$snap/snapshot" || pair_ok; then
			final=$((final + 1))
		else
			failed="$failed $n(final-name-torn:$(grep "^$n " trace | cut -d' ' -f2,3))"
		fi
		# killed between the renames: the new signature beside the snapshot
		# before (the service refuses the pair, keeps serving; the next
		# publish mends it)
		pair_ok || torn=$((torn + 1))
		if ! CERTPRESS_NOW=$((at + 30)) "$@" > again.out 2> again.err; then
			failed="$failed $n(again-failed)"
			continue
		fi
		sighup
		if pair_ok && [ -z "$(find "$snap" -name '*.cptmp.*')" ] &&
			curl -s "$verifyd_url/healthz" | grep -q "^ok snapshot $(date -u -d @$((at + 30)) +%Y-%m-%dT%H:%M:%SZ) documents $docs\$" &&
			curl -s "$verifyd_url/v/$ref.json" | grep -q "\"status\":\"$want\"" &&
			"$inv" --smtp smtp spool > inv.out 2>&1; then
			whole=$((whole + 1))
		else
			failed="$failed $n(after:$(grep "^$n " trace | cut -d' ' -f2,3):$(find "$snap" -name '*.cptmp.*' | wc -l)-temps)"
			cp -a "$snap" "failed-$name-$n"
		fi
	done
	points=$((points + tried))
	echo "# $name: $tried kill points of $total operations ($torn between the renames)"
	check "$name: every kill point was reached ($reached of $tried)" "[ $reached = $tried ]"
	check "$name: the service served a whole snapshot after each ($served of $tried; failed:${failed:- none})" \
		"[ $served = $tried ]"
	check "$name: the final name held a whole snapshot after each ($final of $tried)" "[ $final = $tried ]"
	check "$name: again, then the pair checks, no temp file, the page is right, the spool whole ($whole of $tried)" \
		"[ $whole = $tried ]"
}

# KILL_ONLY=NAME runs one scenario (while working on it): publish, revoke
only() { [ -z "${KILL_ONLY:-}" ] || [ "$KILL_ONLY" = "$1" ]; }
only publish && kill_points "publish" published valid certpress publish
only revoke && kill_points "revoke" published cancelled certpress revoke "$ref" --reason fraud
echo "# $points kill points in all"

done_testing
