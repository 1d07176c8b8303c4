#!/bin/bash
# No function of the tree is longer than 80 lines between its braces
# (tests/tools/funclen.sh); the check goes red on one of 81 lines put into a
# copy of the tree, and names it, and lets one of 80 through.
. "$(dirname "$0")/lib.sh"

run "$TOP/tests/tools/funclen.sh" "$TOP"
check "no function is over 80 lines" "[ $rc = 0 ] && [ ! -s out ]"

# a function of N body lines appended to FILE of a copy of the tree
long_function() { # FILE N
	printf '\nstatic int grown_too_long(int x)\n{\n' >> "tree/$1"
	for ((i = 0; i < $2 - 1; i++)); do printf '\tx += %d;\n' $i; done >> "tree/$1"
	printf '\treturn x;\n}\n' >> "tree/$1"
}
fresh_tree() {
	rm -rf tree && mkdir tree && cp -r "$TOP/pipeline" "$TOP/stages" "$TOP/verifyd" tree/
}

fresh_tree
long_function stages/pack/run.c 81
run "$TOP/tests/tools/funclen.sh" "$SCRATCH/tree"
check "a function of 81 lines in a stage: refused, named with its file and line" \
	"[ $rc = 1 ] && grep -Eq '^stages/pack/run.c:[0-9]+: grown_too_long: 81 lines$' out &&
	 [ \$(wc -l < out) = 1 ]"
fresh_tree
long_function verifyd/route.c 90
long_function pipeline/util/msg.c 100
run "$TOP/tests/tools/funclen.sh" "$SCRATCH/tree"
check "two, in verifyd and util: both named" \
	"[ $rc = 1 ] && contains out 'verifyd/route.c:' && contains out 'pipeline/util/msg.c:' &&
	 contains out 'grown_too_long: 90 lines' && contains out 'grown_too_long: 100 lines'"
fresh_tree
long_function pipeline/engine/layout.c 80
run "$TOP/tests/tools/funclen.sh" "$SCRATCH/tree"
check "one of exactly 80 lines: let through" "[ $rc = 0 ] && [ ! -s out ]"
done_testing
