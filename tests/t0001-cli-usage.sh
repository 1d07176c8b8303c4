#!/bin/bash
# Every executable answers --help and --version; usage errors exit 64.
. "$(dirname "$0")/lib.sh"

for prog in certpress-validate; do
	check_exit 0 "$prog --help" $prog --help
	check "$prog --help names the exit codes" "contains out 'exit: 0' && contains out '65'"
	check_exit 0 "$prog --version" $prog --version
	check "$prog --version prints name and version" "grep -qE '^$prog [0-9]+\.[0-9]+' out"
	check_exit 64 "$prog with no argument" $prog
	check "usage goes to stderr" "contains err 'usage: $prog'"
	check_exit 64 "$prog with an unknown option" $prog --frobnicate x
	check_exit 64 "$prog with two arguments" $prog a.xml b.xml
done

check_exit 66 "a results file that does not exist" certpress-validate nowhere.xml
check "says which file" "contains err 'nowhere.xml: cannot read'"

done_testing
