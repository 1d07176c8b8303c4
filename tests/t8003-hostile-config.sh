#!/bin/bash
# The operator's own files, opened as every outside file is: the
# configuration (-c, $CERTPRESS_CONF), the holidays file, the schemas, the
# email templates and the document templates. A FIFO, a device (a link to
# /dev/zero), a folder or a file far too large is refused at once with its
# reason and exit 78, never waited on or read without bound.
. "$(dirname "$0")/lib.sh"
make_key
mkfifo fifo
ln -s /dev/zero zero
mkdir folder
head -c 2000000 /dev/zero | tr '\0' ';' > big.conf # 2 MB of comments

# --- the configuration itself ---
for f in fifo zero folder big.conf; do
	run timeout 20 certpress -c "$f" status
	check "certpress -c $f: refused at once (exit 78, not a hang)" "[ $rc = 78 ]"
	check "...naming the file and why" \
		"grep -Eq \"$f: cannot read (the )?configuration: (not a regular file|larger than)\" err"
done
CERTPRESS_CONF=$SCRATCH/fifo run timeout 20 certpress-validate "$FIX/results/good.xml"
check "\$CERTPRESS_CONF naming a FIFO: refused at once (exit 78)" "[ $rc = 78 ]"
printf 'awarding-body = Example\0Awards\n' > nul.conf
run timeout 20 certpress -c nul.conf status
check "a configuration with a NUL byte is refused with its line" \
	"[ $rc = 78 ] && grep -q 'nul.conf:1: .*NUL' err"

# --- the holidays file ---
for f in fifo zero; do
	write_config
	sed -i "/^retention-hours/a holidays = $SCRATCH/$f" certpress.conf
	run timeout 20 certpress status --receipts
	check "holidays = $f: refused at once (exit 78)" \
		"[ $rc = 78 ] && grep -q \"$f: cannot read the holidays: not a regular file\" err"
done

# --- the schemas ---
write_config
mkdir -p schemas
cp "$TOP/config/catalogue.xsd" schemas/
mkfifo schemas/results.xsd
sed -i "s|^schemas .*|schemas = $SCRATCH/schemas|" certpress.conf
run timeout 20 certpress-validate "$FIX/results/good.xml"
check "results.xsd a FIFO: validate refuses it at once (exit 78)" \
	"[ $rc = 78 ] && grep -q 'results.xsd: cannot read the schema: not a regular file (a FIFO)' err"
rm schemas/results.xsd
ln -s /dev/zero schemas/results.xsd
run timeout 20 certpress-validate "$FIX/results/good.xml"
check "results.xsd a link to /dev/zero: refused at once (exit 78)" \
	"[ $rc = 78 ] && grep -q 'results.xsd: cannot read the schema: not a regular file' err"

# --- the email templates ---
write_config
run certpress-validate "$FIX/results/good.xml"
batch=$(last_batch)
for s in assign render pack; do run certpress-$s "$batch"; done
check "a batch packed, waiting for notify" "[ $rc = 0 ]"
mkdir -p layouts
cp -a "$TOP/layouts/." layouts/
sed -i "s|^layouts .*|layouts = $SCRATCH/layouts|" certpress.conf
rm layouts/learner-email.txt
mkfifo layouts/learner-email.txt
run timeout 20 certpress-notify "$batch"
check "learner-email.txt a FIFO: notify refuses it at once (exit 78)" \
	"[ $rc = 78 ] && grep -q 'learner-email.txt: cannot read the email template: not a regular file (a FIFO)' err"
rm layouts/learner-email.txt
head -c 200000 /dev/zero | tr '\0' 'x' > layouts/learner-email.txt
run timeout 20 certpress-notify "$batch"
check "a learner-email.txt of 200 KB is refused as too large (exit 78)" \
	"[ $rc = 78 ] && grep -q 'learner-email.txt: cannot read the email template: larger than' err"
check "...and nothing was sent" "[ \$(sql 'select count(*) from notifications') = 0 ]"

# --- a document template swapped for a FIFO ---
cp "$TOP/layouts/learner-email.txt" layouts/
rm layouts/certificate.xml
mkfifo layouts/certificate.xml
run timeout 20 certpress-validate "$FIX/results/bad/rule-credits.xml"
check "certificate.xml a FIFO: validate does not hang" "[ $rc != 124 ] && grep -q 'certificate.xml: .*not a regular file (a FIFO)' err"

done_testing
