#!/bin/bash
# Permissions, as the README promises: whatever the caller's umask, every
# file certpress makes is 0640 or stricter (the registry and its -wal and
# -shm too) in folders of 0750 or stricter; a file taken from the inbox or
# moved to failed/ loses the uploader's mode (and owner); secrets (the
# reference key, the SMTP password) are refused when others may read them
# or write their folder; and a read-only spool still answers status,
# verify, show and search.
. "$(dirname "$0")/lib.sh"
umask 022 # a careless shell: certpress must not rely on it

# Nothing under the spool that others may read, or (files) the group write.
private() {
	[ -z "$(find "$1" -perm /o=rwx -print -quit)" ] &&
	[ -z "$(find "$1" -type f -perm /g=wx -print -quit)" ] &&
	[ -z "$(find "$1" -type d -perm /g=w -print -quit)" ]
}

# --- the nightly run from nothing, as make demo does it ---
make_key
run certpress run
check "run creates the spool" "[ $rc = 0 ] && [ -d spool/inbox ]"
cp "$FIX/results/good.xml" spool/inbox/good.xml
chmod 0666 spool/inbox/good.xml
run certpress run
check "the run finishes" "[ $rc = 0 ]"
batch=$(sql 'select id from batches')
check "the registry is 0640 or stricter" "[ \$(( 0\$(stat -c %a spool/registry.sqlite) & 027 )) = 0 ]"
check "the uploader's 0666 results file is 0640 in its batch" \
	"[ \$(stat -c %a spool/batches/$batch/results.xml) = 640 ]"
check "nothing in the spool is open to others (files 0640, folders 0750 at most)" "private spool"
check "the key file is 0600 in a folder others may not write" \
	"[ \$(stat -c %a keys/reference.key) = 600 ] && [ \$(( 0\$(stat -c %a keys) & 022 )) = 0 ]"

# --- the registry's -wal and -shm, as a process killed mid-transaction leaves them ---
mkdir -p wal
sed -e "s|^registry .*|registry = $SCRATCH/wal/registry.sqlite|" \
    -e "s|^spool .*|spool = $SCRATCH/wal/spool|" certpress.conf > wal.conf
( CERTPRESS_CRASH=commit:2 certpress-validate -c wal.conf "$FIX/results/good.xml" > /dev/null 2>&1; true ) 2> /dev/null
check "the registry's -wal and -shm are 0640 or stricter" \
	"[ -e wal/registry.sqlite-wal ] && [ -e wal/registry.sqlite-shm ] &&
	 [ \$(( 0\$(stat -c %a wal/registry.sqlite-wal) & 027 )) = 0 ] && [ \$(( 0\$(stat -c %a wal/registry.sqlite-shm) & 027 )) = 0 ]"

# --- a file someone else uploaded: the spool's own copy, not theirs ---
if [ "$(id -u)" = 0 ]; then
	cp "$FIX/results/bad/rule-grade.xml" spool/inbox/upload.xml
	chown nobody:nogroup spool/inbox/upload.xml
	chmod 0644 spool/inbox/upload.xml
	run certpress run
	b2=$(sql "select id from batches where results_name = 'upload.xml'")
	check "an uploader's file is taken (exit 0)" "[ $rc = 0 ] && [ ! -e spool/inbox/upload.xml ]"
	check "...as the spool's own file, 0640" \
		"[ \"\$(stat -c '%U %a' spool/batches/$b2/results.xml)\" = 'root 640' ]"
else
	skip "a file another user uploaded needs root (chown)"
fi
cp "$FIX/results/bad/file-truncated.xml" spool/inbox/broken.xml
chmod 0666 spool/inbox/broken.xml
run certpress run
check "a refused file in spool/failed/ is 0640 too" \
	"[ $rc = 65 ] && [ \$(stat -c %a spool/failed/*-broken.xml) = 640 ] && [ \$(stat -c %a spool/failed/*-broken.xml.reason) = 640 ]"
check "nothing in the spool is open to others" "private spool"

# --- the reference key: its mode and its folder ---
ref=$(doc_ref Winbery certificate)
run certpress-validate "$FIX/results/bad/rule-many.xml"
b3=$(last_batch)
check_exit 0 "verify with the key as made" certpress verify "$ref"
chmod 0640 keys/reference.key
check_exit 78 "a key the group may read is refused" certpress verify "$ref"
chmod 0600 keys/reference.key
for mode in 0777 0770 1777; do
	chmod $mode keys
	check_exit 78 "a key in a folder of mode $mode is refused by verify" certpress verify "$ref"
	check "...saying which folder and how to mend it" "grep -q 'keys: the folder of the reference key is writable by others (mode $mode): chmod go-w' err"
	run certpress-assign "$b3"
	check "...and by assign (exit 78)" "[ $rc = 78 ] && [ ! -e spool/batches/$b3/assigned.xml ]"
done
chmod 0750 keys
check_exit 0 "a key in a 0750 folder is taken" certpress verify "$ref"
# every folder on the way to it counts, the link's and the target's
mkdir -m 0777 open
ln -s "$SCRATCH/keys/reference.key" open/link.key
sed -i "s|^key-file .*|key-file = $SCRATCH/open/link.key|" certpress.conf
check_exit 78 "a key reached through a link in a 0777 folder is refused" certpress verify "$ref"
check "...naming the link's folder" "grep -q 'open: the folder of the reference key is writable by others (mode 0777)' err"
mkdir -p outer/keys
chmod 0700 outer/keys
cp -p keys/reference.key outer/keys/
sed -i "s|^key-file .*|key-file = $SCRATCH/outer/keys/reference.key|" certpress.conf
chmod 0777 outer
check_exit 78 "a key under a folder others may write (keys/ itself 0700) is refused" certpress verify "$ref"
check "...naming that folder" "grep -q 'outer: a folder above the reference key is writable by others (mode 0777): chmod go-w' err"
chmod 1777 outer
check_exit 0 "...unless it is sticky, as /tmp is (nobody else can move keys/)" certpress verify "$ref"
chmod 0755 outer
if [ "$(id -u)" = 0 ]; then
	chown nobody outer/keys/reference.key
	check_exit 78 "a key file owned by another user is refused" certpress verify "$ref"
	check "...saying whose it is" "grep -q 'reference.key: the reference key is owned by another user (uid 65534)' err"
	chown root outer/keys/reference.key
	chown nobody outer/keys
	check_exit 78 "a key in a folder owned by another user is refused" certpress verify "$ref"
	check "...saying so" "grep -q 'keys: the folder of the reference key is owned by another user (uid 65534)' err"
	chown root outer/keys
else
	skip "a key owned by another user needs root (chown)"
fi
check_exit 0 "the key in a sound place is taken again" certpress verify "$ref"
sed -i "s|^key-file .*|key-file = keys/reference.key|" certpress.conf

# --- the SMTP password file: as strict as the key ---
rm -rf spool
make_key
mkdir -p smtp
echo 'certpress:s3cret-pass' > smtp/auth
start_smtpd
printf 'user = certpress\npassword-file = %s/secret/smtp.password\nstarttls = off\n' "$SCRATCH" > mailopts
sed -i "/^\[mail\]/r mailopts" certpress.conf
mkdir -p -m 0700 secret
echo 's3cret-pass' > secret/smtp.password
chmod 0644 secret/smtp.password
through_pack "$FIX/results/good.xml"
check_exit 78 "a password file others may read is refused" certpress-notify "$batch"
check "...saying so, without the password" \
	"grep -q 'smtp.password: the SMTP password is readable or writable by others (mode 0644): chmod 600 it' err && ! grep -q s3cret err"
check "...before anything was tried" \
	"[ \$(sql 'select count(*) from notifications') = 0 ] && [ ! -e smtp/sessions ]"
chmod 0600 secret/smtp.password
chmod 0770 secret
check_exit 78 "a password file in a folder the group may write is refused" certpress-notify "$batch"
chmod 0700 secret
check_exit 0 "a 0600 password file in a 0700 folder is used" certpress-notify "$batch"
check "...and the learners are mailed" "[ \$(ls smtp/*.eml | wc -l) -gt 30 ]"
stop_smtpd

# --- a read-only spool answers status, verify, show and search ---
rm -rf spool
write_config
make_key
run certpress run "$FIX/results/good.xml"
batch=$(sql 'select id from batches')
ref=$(doc_ref Winbery certificate)
ro_checks() { # how
	run certpress status
	check "$1: status answers" "[ $rc = 0 ] && grep -q \"^$batch  *done \" out"
	run certpress status "$batch"
	check "$1: status BATCH answers" "[ $rc = 0 ] && grep -q \"^batch $batch: done\" out"
	run certpress status --stuck
	check "$1: status --stuck answers (nothing stuck)" "[ $rc = 0 ]"
	run certpress search --last-name winbery
	check "$1: search answers" "[ $rc = 0 ] && grep -q \"$ref\" out"
}
if [ "$(id -u)" = 0 ]; then
	mount --bind spool spool && mount -o remount,bind,ro spool
	trap 'umount "$SCRATCH/spool" 2>/dev/null; stop_smtpd' EXIT
	check "the spool is mounted read-only" "! touch spool/x 2> /dev/null"
	ro_checks "read-only mount"
	run certpress verify "$ref"
	check "read-only mount: verify answers valid" "[ $rc = 0 ] && grep -q '^valid' out"
	run certpress show "$ref"
	check "read-only mount: show answers" "[ $rc = 0 ] && grep -q Winbery out"
	check "read-only mount: nothing was created" "[ ! -e spool/registry.sqlite-shm ]"
	umount spool
	trap 'stop_smtpd' EXIT
	# an operator in the spool's group, who may read it but not write it
	chgrp -R nogroup spool
	chmod -R g-w spool
	as_reader() {
		setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
	}
	run as_reader certpress status
	check "a reader in the spool's group: status answers" "[ $rc = 0 ] && grep -q \"^$batch  *done \" out"
	run as_reader certpress status "$batch"
	check "a reader in the spool's group: status BATCH answers" "[ $rc = 0 ] && grep -q \"^batch $batch: done\" out"
	run as_reader certpress status --stuck
	check "a reader in the spool's group: status --stuck answers" "[ $rc = 0 ]"
	# the reference key is not theirs to read: references are looked up in
	# the registry instead, by their exact form
	run as_reader certpress verify "$ref"
	check "a reader in the spool's group: verify answers valid without the key" \
		"[ $rc = 0 ] && grep -q '^valid' out && grep -q Winbery out"
	run as_reader certpress verify --json "$ref"
	check "...and in JSON" "[ $rc = 0 ] && grep -q '\"status\":\"valid\"' out"
	wrong=${ref%?}$( [ "${ref: -1}" = 0 ] && echo 1 || echo 0 )
	run as_reader certpress verify "$wrong"
	check "...a reference with wrong check characters is unknown (exit 1)" \
		"[ $rc = 1 ] && grep -q '^unknown' out"
	run as_reader certpress verify "$(echo "$ref" | tr 'A-Z' 'a-z' | tr -d -)"
	check "...a reference typed in lower case without hyphens is found" "[ $rc = 0 ] && grep -q '^valid' out"
	run as_reader certpress show "$ref"
	check "a reader in the spool's group: show answers" "[ $rc = 0 ] && grep -q Winbery out"
	run as_reader certpress show "$wrong"
	check "...show of a wrong reference: no such document (exit 1)" "[ $rc = 1 ]"
	run as_reader certpress search --last-name winbery
	check "a reader in the spool's group: search answers" "[ $rc = 0 ] && grep -q \"$ref\" out"
	run as_reader certpress search --reference "$ref"
	check "a reader in the spool's group: search --reference answers" "[ $rc = 0 ] && grep -q \"$ref\" out"
	run as_reader certpress reprint "$ref" --reason x
	check "...but a reprint needs the key (exit 78)" "[ $rc = 78 ]"
	check "...and left nothing behind" "[ -z \"\$(find spool -user nobody)\" ]"
	chgrp -R root spool
else
	skip "read-only spool needs root (a read-only bind mount)"
fi

# --- a spool folder someone made open to others: run says so ---
chmod 0755 spool spool/inbox
run certpress run
check "run warns of spool folders others may read" \
	"[ $rc = 0 ] && grep -q \"spool: others may read it (mode 0755): chmod o-rwx\" err && grep -q 'inbox: others may read it' err"

done_testing
