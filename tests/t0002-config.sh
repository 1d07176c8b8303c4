#!/bin/bash
# The configuration file: found by -c, $CERTPRESS_CONF or ./certpress.conf;
# every key checked; errors name the file, the line and the key (exit 78).
. "$(dirname "$0")/lib.sh"

cp "$FIX/results/good.xml" good.xml

bad_config() { # description, line to add, expected message
	write_config
	printf '%s\n' "$2" >> certpress.conf
	check_exit 78 "$1" certpress-validate good.xml
	check "$1: message" "contains err \"$3\""
}

line=$(($(wc -l < certpress.conf) + 1))
bad_config "an unknown key" "colour = blue" "certpress.conf:$line: unknown key 'colour' in [export]"
bad_config "a key given twice" "retention-hours = 12" "certpress.conf:$line: key 'retention-hours' given twice in [export]"
write_config
sed -i 's/^retention-hours = 24/retention-hours = soon/' certpress.conf
check_exit 78 "retention-hours not a number" certpress-validate good.xml
check "message names line and key" \
	"contains err \"certpress.conf:$((line - 1)): key 'retention-hours': 'soon' is not a whole number\""
write_config
sed -i 's/^encrypt .*/encrypt = maybe/' certpress.conf
check_exit 78 "encrypt not yes or no" certpress-validate good.xml
check "encrypt message" "contains err \"key 'encrypt': 'maybe' is not yes or no\""
write_config
sed -i 's|^transport .*|transport = carrier-pigeon|' certpress.conf
check_exit 78 "an unknown mail transport" certpress-validate good.xml
check "transport message" "contains err 'neither file:DIR nor smtp://host:port'"
write_config
sed -i 's|^transport .*|transport = smtp://localhost:99999|' certpress.conf
check_exit 78 "an SMTP port out of range" certpress-validate good.xml
write_config
sed -i 's|^verify-url .*|verify-url = ftp://example.org/|' certpress.conf
check_exit 78 "a verify-url that is not http(s)" certpress-validate good.xml
write_config
sed -i 's|^from .*|from = Example Awards|' certpress.conf
check_exit 78 "a from without an address" certpress-validate good.xml
write_config
echo "this line has no equals sign" >> certpress.conf
check_exit 78 "a line that is not key = value" certpress-validate good.xml
check "syntax message" "contains err \"certpress.conf:$line: not a 'key = value' line\""
write_config
echo "[surprise]" >> certpress.conf
echo "x = 1" >> certpress.conf
check_exit 78 "an unknown section" certpress-validate good.xml
check "section message" "contains err \"unknown key 'x' in [surprise]\""

write_config
check_exit 78 "-c with a missing file" certpress-validate -c missing.conf good.xml
check "names the missing file" "contains err 'missing.conf: cannot read the configuration'"
CERTPRESS_CONF=$SCRATCH/absent.conf run certpress-validate good.xml
check "\$CERTPRESS_CONF with a missing file exits 78" "[ $rc = 78 ]"

# Relative paths are relative to the config file, not to the working folder.
mkdir -p elsewhere/conf
write_config
mv certpress.conf elsewhere/conf/certpress.conf
(cd / && run certpress-validate -c "$SCRATCH/elsewhere/conf/certpress.conf" "$SCRATCH/good.xml"; exit $rc)
check "relative spool resolved beside the config" "[ -d elsewhere/conf/spool/batches ]"

# ./certpress.conf is used when nothing else names one.
write_config
unset CERTPRESS_CONF
run certpress-validate good.xml
check "./certpress.conf is found" "[ $rc = 0 ] && [ -d spool/batches/\$(last_batch) ]"

# The shipped default, with inline comments as in interface.md, works as it
# is: a copy of the tree's layout here so the run does not touch the tree.
mkdir -p tree
cp -r "$TOP/config" tree/config
ln -s "$FIX" tree/fixtures
check "the shipped config has inline comments" "grep -q '; + reference' tree/config/certpress.conf"
run certpress-validate -c tree/config/certpress.conf good.xml
check "the shipped config validates the good file" "[ $rc = 0 ] && [ -f tree/spool/batches/\$(last_batch)/accepted.xml ]"

done_testing
