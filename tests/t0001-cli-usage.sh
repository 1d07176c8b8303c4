#!/bin/bash
# Every executable answers --help and --version; usage errors exit 64.
. "$(dirname "$0")/lib.sh"

for prog in certpress-validate certpress-assign certpress-render; do
	check_exit 0 "$prog --help" $prog --help
	check "$prog --help names the exit codes" "contains out 'exit: 0' && contains out '64 usage' && contains out '78 configuration'"
	check_exit 0 "$prog --version" $prog --version
	check "$prog --version prints name and version" "grep -qE '^$prog [0-9]+\.[0-9]+' out"
	check_exit 64 "$prog with no argument" $prog
	check "usage goes to stderr" "contains err 'usage: $prog'"
	check_exit 64 "$prog with an unknown option" $prog --frobnicate x
	check_exit 64 "$prog with two arguments" $prog a.xml b.xml
done

check_exit 0 "certpress --help" certpress --help
check "certpress --help lists the commands" "contains out 'verify [--json] REF' && contains out 'reprint REF --reason TEXT'"
check_exit 0 "certpress --version" certpress --version
check_exit 64 "certpress with no command" certpress
check_exit 64 "certpress with an unknown command" certpress frobnicate
check "names the unknown command" "contains err \"'frobnicate' is not a certpress command\""
for cmd in verify show reprint revoke; do
	check_exit 64 "certpress $cmd without a reference" certpress $cmd
done
check_exit 64 "certpress search without a criterion" certpress search
check_exit 64 "certpress reprint without --reason" certpress reprint 87365060-01-W34G
check_exit 64 "certpress search with a bad --dob" certpress search --dob 19/05/1999

check_exit 66 "a results file that does not exist" certpress-validate nowhere.xml
check "says which file" "contains err 'nowhere.xml: cannot read'"

done_testing
