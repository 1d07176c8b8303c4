#!/bin/bash
# Every executable answers --help and --version; usage errors exit 64; the
# usage line is the README's synopsis, and every exit code the README (a
# stage's "Exit codes:") or certpress(1) (EXIT STATUS) gives is in --help's
# "exit:" text, and no other.
. "$(dirname "$0")/lib.sh"

# The exit codes a text names: every number of one or two digits, sorted.
codes() {
	grep -oE '\b[0-9]{1,2}\b' | sort -un | tr '\n' ' '
}

# The README's section of a program: from its "### `PROG ...`" heading to
# the next heading.
readme_section() {
	awk -v h="### \`$1 " 'index($0, h) == 1 { s = 1; print; next } s && /^#/ { exit } s' "$TOP/README.md"
}

for prog in certpress-validate certpress-assign certpress-render certpress-pack certpress-notify; do
	check_exit 0 "$prog --help" $prog --help
	synopsis=$(readme_section $prog | head -1 | sed 's/^### `\(.*\)`$/\1/')
	check "$prog --help's usage line is the README's synopsis" \
		"[ -n '$synopsis' ] && [ \"\$(head -1 out)\" = 'usage: $synopsis' ]"
	want=$(readme_section $prog | awk '/^Exit codes:/ { e = 1 } e && /^$/ { exit } e' | codes)
	got=$(sed -n '/^exit:/,$p' out | codes)
	check "$prog --help names every exit code the README gives ($want)" \
		"[ -n '$want' ] && [[ '$want' == '0 64 '* ]] && [ '$got' = '$want' ]"
	check "$prog --help names the exit codes" "contains out 'exit: 0' && contains out '64 usage' && contains out '78 configuration'"
	check_exit 0 "$prog -h" $prog -h
	check_exit 0 "$prog --version" $prog --version
	check "$prog --version prints name and version" "grep -qE '^$prog [0-9]+\.[0-9]+' out"
	check_exit 0 "$prog -V" $prog -V
	check_exit 64 "$prog with no argument" $prog
	check "usage goes to stderr" "contains err 'usage: $prog' && [ ! -s out ]"
	check_exit 64 "$prog with an unknown option" $prog --frobnicate x
	check "names the unknown option" "contains err 'frobnicate'"
	check_exit 64 "$prog with two arguments" $prog a.xml b.xml
	check_exit 64 "$prog -c without its FILE" $prog -c
done

# the verification service: its usage line and exit codes are the README's
# and certpress-verifyd(8)'s
check_exit 0 "certpress-verifyd --help" certpress-verifyd --help
synopsis=$(readme_section certpress-verifyd | head -1 | sed 's/^### `\(.*\)`$/\1/')
check "certpress-verifyd --help's usage line is the README's synopsis" \
	"[ -n '$synopsis' ] && [ \"\$(head -1 out)\" = 'usage: $synopsis' ]"
want=$(readme_section certpress-verifyd | awk '/^Exit codes:/ { e = 1 } e && /^$/ { exit } e' | codes)
man8=$(sed -n '/^\.SH EXIT STATUS/,/^\.SH [^E]/p' "$TOP/man/certpress-verifyd.8" | codes)
got=$(sed -n '/^exit:/,$p' out | codes)
check "certpress-verifyd --help names every exit code of the README and its man page ($want)" \
	"[[ '$want' == '0 64 '* ]] && [ '$got' = '$want' ] && [ '$man8' = '$want' ]"
check_exit 64 "certpress-verifyd with an argument" certpress-verifyd stray
check_exit 0 "certpress --help" certpress --help
check "certpress --help lists the commands" "contains out 'verify [--json] [--file PDF] [REF]' && contains out 'reprint REF --reason TEXT'"
check "certpress --help's usage line is the README's synopsis" \
	"[ \"\$(head -1 out)\" = \"usage: \$(readme_section certpress | head -1 | sed 's/^### \`\(.*\)\`$/\1/') [ARGS]\" ]"
want=$(sed -n '/^\.SH EXIT STATUS/,/^\.SH [^E]/p' "$TOP/man/certpress.1" | codes)
got=$(sed -n '/^exit:/,$p' out | codes)
check "certpress --help names every exit code of certpress(1) ($want)" \
	"[[ '$want' == '0 1 64 '* ]] && [ '$got' = '$want' ]"
# every command the README's table names is in --help
sed -n 's/^| `\([a-z-]*\)[ `].*/\1/p' "$TOP/README.md" | sort -u > commands
check "certpress --help lists every command of the README ($(wc -l < commands))" \
	"[ \$(wc -l < commands) -ge 12 ] && while read -r c; do grep -q \"^  \$c\\b\" out || exit 1; done < commands"
# each command's --help and its usage errors print the line --help lists
# for it (one table: opts.h), a long one broken under the name
grep '^  [a-z]' out | sed 's/^  //' > synopses
check "certpress --help lists 12 synopses" "[ \$(wc -l < synopses) -ge 12 ]"
while read -r c rest; do
	# a command of kinds (order reprint, order letter): the kind is in its name
	case $rest in [a-z]*) c="$c ${rest%% *}"; rest=${rest#* } ;; esac
	line="usage: certpress $c${rest:+ $rest}"
	check_exit 0 "certpress $c --help" certpress $c --help
	check "certpress $c --help: its usage, then its options" \
		"[ \"\$(sed '/^\$/q' out | tr -s ' \n' ' ' | sed 's/ \$//')\" = '$line' ] && grep -q '^ *--help  *this text' out && [ ! -s err ]"
	check "certpress $c --help's lines fit 80 columns" "! grep -q '.\{81\}' out"
	check_exit 64 "certpress $c with an unknown option" certpress $c --frobnicate
	check "certpress $c names it, then its usage" \
		"contains err 'frobnicate' && [ \"\$(sed 1d err | tr -s ' \n' ' ' | sed 's/ \$//')\" = '$line' ] && [ ! -s out ]"
done < synopses
check_exit 0 "certpress --version" certpress --version
check "certpress --version prints name and version" "grep -qE '^certpress [0-9]+\.[0-9]+' out"
check_exit 64 "certpress with no command" certpress
check_exit 64 "certpress with an unknown command" certpress frobnicate
check "names the unknown command" "contains err \"'frobnicate' is not a certpress command\""
check_exit 64 "certpress with an unknown option" certpress --frobnicate status
for cmd in verify show reprint revoke; do
	check_exit 64 "certpress $cmd without a reference" certpress $cmd
done
check_exit 64 "certpress search without a criterion" certpress search
check_exit 64 "certpress reprint without --reason" certpress reprint 87365060-01-W34G
check_exit 64 "certpress search with a bad --dob" certpress search --dob 31/02/1999
check_exit 64 "certpress retry without a batch" certpress retry
check_exit 64 "certpress retry --from a stage that is not one" certpress retry --from frob 20260101-000000-001
check_exit 64 "certpress receipt without its centre" certpress receipt 20260101-000000-001
check_exit 64 "certpress export-password without a centre" certpress export-password
check_exit 64 "certpress status with two batches" certpress status a b

check_exit 66 "a results file that does not exist" certpress-validate nowhere.xml
check "says which file" "contains err 'nowhere.xml: cannot read'"

done_testing
