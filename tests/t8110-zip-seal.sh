#!/bin/bash
# Zip passwords sealed (issue 20): a copy of the registry alone (its dump,
# its raw file and WAL) gives no centre's password away; export-password
# seals with a key derived from the reference key and pack's zip opens
# with the password given; a sealed value moved to another centre's row,
# altered, or read under another key is refused (78) with a clear error
# and nothing changed; a missing or loose key is refused (78) before
# anything is written; an older registry's clear passwords are sealed by
# the first command that can read the key and none is left in clear.
. "$(dirname "$0")/lib.sh"
make_key
pw=Zip-Seal-Secret-0001
other=Other-Centre-Secret-9
# the password as the dump would show it in a blob (hex) or in text
hex=$(printf %s "$pw" | od -An -tx1 | tr -d ' \n')

# nothing in the registry file, its WAL or its dump: clear, hex or base64
no_password() {
	local db=$1 p=$2 h
	h=$(printf %s "$p" | od -An -tx1 | tr -d ' \n')
	sqlite3 "$db" .dump > dump.sql &&
	! grep -qiF -e "$p" -e "$h" -e "$(printf %s "$p" | base64)" dump.sql &&
	! cat "$db"* | grep -aqF "$p"
}

check_exit 0 "a batch" certpress run "$FIX/results/good.xml"
batch=$(sql "select id from batches order by id desc limit 1")
zip=spool/exports/$batch/C01234-$batch.zip
run certpress export-password C01234 <<< "$pw"
check "export-password sets it (exit 0)" "[ $rc = 0 ]"
run certpress export-password C09999 <<< "$other"
check "...and another centre's" "[ $rc = 0 ]"
check "the registry's dump, file and WAL hold no password" \
	"no_password spool/registry.sqlite '$pw' && no_password spool/registry.sqlite '$other'"
check "...each centre's sealed value is there, the clear table empty" \
	"[ \"\$(sql 'select group_concat(centre) from zip_passwords')\" = C01234,C09999 ] &&
	 [ \$(sql 'select count(*) from export_passwords') = 0 ] &&
	 [ \$(sql \"select typeof(sealed) from zip_passwords where centre = 'C01234'\") = blob ]"
check "...two seals of one password differ (a fresh nonce each)" \
	"a=\$(sql \"select hex(sealed) from zip_passwords where centre = 'C01234'\");
	 certpress export-password C01234 <<< '$pw' 2> /dev/null &&
	 [ \"\$(sql \"select hex(sealed) from zip_passwords where centre = 'C01234'\")\" != \"\$a\" ]"

# pack encrypts with it: the zip opens with the password, not another
sed -i 's/^encrypt *= no/encrypt = yes/' certpress.conf
repack() {
	rm -f spool/batches/$batch/packed.xml
	run certpress-pack "$batch"
}
repack
check "pack encrypted with the sealed password (exit 0)" "[ $rc = 0 ]"
check "...the zip opens with it (7z t)" "7z t -p'$pw' $zip > 7z.out 2>&1 && grep -q 'Everything is Ok' 7z.out"
check "...and not with another" "! 7z t -p'$other' $zip > /dev/null 2>&1"
check "...unzip opens it too" "unzip -tq -P '$pw' $zip > /dev/null 2>&1 || 7z x -y -o'x' -p'$pw' $zip > /dev/null"
run certpress export-password C01234 --generate
gen=$(head -1 out)
check "--generate prints the new one" "[ $rc = 0 ] && echo '$gen' | grep -qE '^[0-9A-Z]{24}\$'"
repack
check "...and the next zip opens with it" "[ $rc = 0 ] && 7z t -p'$gen' $zip > /dev/null 2>&1 && ! 7z t -p'$pw' $zip > /dev/null 2>&1"
check "...which is in no registry copy either" "no_password spool/registry.sqlite '$gen'"

# a sealed value copied to another centre's row does not open there
sql "update zip_passwords set sealed = (select sealed from zip_passwords where centre = 'C09999') where centre = 'C01234'"
repack
check "a sealed value moved from another centre's row is refused (exit 78)" "[ $rc = 78 ]"
check "...saying why and what mends it" \
	"contains err 'centre C01234: its zip password in the registry does not open' && contains err \"certpress export-password C01234\""
check "...the zip before it left as it was" "! [ -e spool/batches/$batch/packed.xml ] && 7z t -p'$gen' $zip > /dev/null 2>&1"
certpress export-password C01234 <<< "$pw" 2> /dev/null
h=$(sql "select hex(sealed) from zip_passwords where centre = 'C01234'")
flip=$(printf %X $(( 0x${h:60:1} ^ 1 )))
sql "update zip_passwords set sealed = X'${h:0:60}$flip${h:61}' where centre = 'C01234'"
repack
check "a sealed value with one bit changed is refused too (exit 78)" "[ $rc = 78 ] && contains err 'does not open'"
certpress export-password C01234 <<< "$pw" 2> /dev/null

# another reference key: nothing opens; the right one back, it all does
cp keys/reference.key right.key
sealed=$(sql "select hex(sealed) from zip_passwords where centre = 'C01234'")
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > keys/reference.key
repack
check "under another reference key the password is refused (exit 78)" \
	"[ $rc = 78 ] && contains err 'does not open with this reference key' && ! grep -qF '$pw' err out"
cp right.key keys/reference.key
repack
check "...with the right key again it opens (nothing lost)" "[ $rc = 0 ] && 7z t -p'$pw' $zip > /dev/null 2>&1"

# a missing or loose key: refused before anything is written
mv keys/reference.key right.key
run certpress export-password C01234 <<< 'Never-Stored-Password-1'
check "export-password without the key is refused (exit 78)" \
	"[ $rc = 78 ] && contains err 'sealed with a key derived from the reference key'"
check "...nothing changed" "[ \"\$(sql \"select hex(sealed) from zip_passwords where centre = 'C01234'\")\" = '$sealed' ]"
repack
check "pack without the key is refused (exit 78)" "[ $rc = 78 ] && contains err 'reference key'"
mv right.key keys/reference.key
chmod 0644 keys/reference.key
run certpress export-password C01234 <<< 'Never-Stored-Password-1'
check "a key others may read is refused (exit 78), naming the chmod that mends it" \
	"[ $rc = 78 ] && contains err 'chmod' && [ \"\$(sql \"select hex(sealed) from zip_passwords where centre = 'C01234'\")\" = '$sealed' ]"
repack
check "...by pack too (exit 78)" "[ $rc = 78 ] && contains err 'chmod'"
chmod 0600 keys/reference.key
check "no password ever in a message or a batch's files" \
	"! grep -rqF -e '$pw' -e 'Never-Stored' err out spool/batches/$batch"

# an older registry with passwords in clear: the first command that reads
# the key seals them; until then pack refuses to use one
old_registry() {
	cp spool/registry.sqlite "$1"
	sqlite3 "$1" "drop table search_keys; $UNDO_SCHEMA_LATER
		insert into export_passwords values ('C01234', '$2', '2026-01-01T00:00:00Z');
		insert into export_passwords values ('C05678', 'Second-Clear-Pass-42', '2026-01-02T00:00:00Z');
		pragma user_version = 7"
	sed "s|^registry .*|registry = $SCRATCH/$1|" certpress.conf > "$1.conf"
}
old_registry old.sqlite Old-Clear-Password-77
check "an older registry holds its passwords in clear (the test's premise)" \
	"sqlite3 old.sqlite .dump | grep -qF Old-Clear-Password-77"
CERTPRESS_CONF=$SCRATCH/old.sqlite.conf run certpress status
check "the first command on it (status, exit 0) seals them and says so" \
	"[ $rc = 0 ] && contains err 'sealed 2 zip passwords an older certpress kept in clear'"
check "...no clear password is left in its dump, file or WAL" \
	"no_password old.sqlite Old-Clear-Password-77 && no_password old.sqlite Second-Clear-Pass-42 &&
	 [ \$(sqlite3 old.sqlite 'select count(*) from export_passwords') = 0 ] &&
	 [ \$(sqlite3 old.sqlite 'select count(*) from zip_passwords') = 2 ]"
check "...and it is at this program's schema version" \
	"[ \$(sqlite3 old.sqlite 'pragma user_version') = \$(sql 'pragma user_version') ]"
rm -f spool/batches/$batch/packed.xml
CERTPRESS_CONF=$SCRATCH/old.sqlite.conf run certpress-pack "$batch"
check "...the zip pack makes from it opens with the old password (nothing lost)" \
	"[ $rc = 0 ] && 7z t -pOld-Clear-Password-77 $zip > /dev/null 2>&1"

# without the key the upgrade cannot seal: said, kept, never used in clear
old_registry old2.sqlite Old-Clear-Password-88
mv keys/reference.key right.key
CERTPRESS_CONF=$SCRATCH/old2.sqlite.conf run certpress status
check "a command without the key says the clear ones wait for it (status still exit 0)" \
	"[ $rc = 0 ] && contains err '2 zip passwords an older certpress kept in clear'"
check "...nothing lost" "[ \$(sqlite3 old2.sqlite 'select count(*) from export_passwords') = 2 ]"
rm -f spool/batches/$batch/packed.xml
CERTPRESS_CONF=$SCRATCH/old2.sqlite.conf run certpress-pack "$batch"
check "...pack will not use a clear one without the key (exit 78)" "[ $rc = 78 ]"
mv right.key keys/reference.key
CERTPRESS_CONF=$SCRATCH/old2.sqlite.conf run certpress-pack "$batch"
check "with the key back, pack seals them first and its zip opens (exit 0)" \
	"[ $rc = 0 ] && 7z t -pOld-Clear-Password-88 $zip > /dev/null 2>&1 &&
	 no_password old2.sqlite Old-Clear-Password-88 && no_password old2.sqlite Second-Clear-Pass-42"

done_testing
