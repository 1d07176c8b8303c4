#!/bin/bash
# make install and make uninstall honour DESTDIR and PREFIX; the installed
# default configuration points at installed paths and is accepted; the
# installed command runs the stages from the LIBEXECDIR compiled in (never
# from PATH, wherever the command itself is); a distribution's build is
# hardened and does not make warnings errors; the version is the VERSION
# file's everywhere.
. "$(dirname "$0")/lib.sh"

# The suite may itself run under "make DEVELOPER=1 check" (CI does): a
# distribution's build must not inherit that through MAKEFLAGS.
unset MAKEFLAGS MFLAGS MAKELEVEL DEVELOPER

# A build of its own, for this PREFIX (the paths are compiled in): the
# tree's $B is left as the suite built it (ASan and all).
prefix=$SCRATCH/opt/cp
build=$SCRATCH/build
stage=$SCRATCH/stage
version=$(cat "$TOP/VERSION")
# a distribution's build: not the flags of a make check that runs this test
run env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u DEVELOPER -u SANITIZE make -s -j2 -C "$TOP" B="$build" PREFIX="$prefix" DESTDIR="$stage" install
check "make install with DESTDIR exits 0" "[ $rc = 0 ]"
for f in bin/certpress libexec/certpress/certpress-validate libexec/certpress/certpress-assign \
	libexec/certpress/certpress-render libexec/certpress/certpress-pack \
	libexec/certpress/certpress-notify etc/certpress/certpress.conf \
	share/certpress/layouts/learner-email.txt share/certpress/layouts/certification-report.xml \
	share/man/man1/certpress.1 share/man/man5/certpress.conf.5 \
	share/certpress/schemas/results.xsd share/certpress/schemas/catalogue.xsd \
	share/certpress/layouts/certificate.xml share/certpress/layouts/assets/logo.jpg \
	sbin/certpress-verifyd share/man/man8/certpress-verifyd.8 etc/certpress/verifyd.conf \
	lib/systemd/system/certpress-verifyd.service; do
	check "installed under DESTDIR: $f" "[ -e '$stage$prefix/$f' ]"
done
check "bin/certpress-validate links to the final libexec path" \
	"[ \"\$(readlink '$stage$prefix/bin/certpress-validate')\" = $prefix/libexec/certpress/certpress-validate ]"
check "nothing is installed outside DESTDIR" "[ ! -e '$prefix' ]"

run env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u DEVELOPER -u SANITIZE make -s -j2 -C "$TOP" B="$build" PREFIX="$prefix" install
check "make install exits 0" "[ $rc = 0 ]"
check "the installed config names installed paths" \
	"grep -q '^schemas = $prefix/share/certpress/schemas' '$prefix/etc/certpress/certpress.conf' &&
	 grep -q '^layouts = $prefix/share/certpress/layouts' '$prefix/etc/certpress/certpress.conf' &&
	 grep -q '^spool = /var/spool/certpress' '$prefix/etc/certpress/certpress.conf'"

# --- the version: one place ---
for p in bin/certpress libexec/certpress/certpress-validate libexec/certpress/certpress-assign \
	libexec/certpress/certpress-render libexec/certpress/certpress-pack \
	libexec/certpress/certpress-notify sbin/certpress-verifyd; do
	run "$prefix/$p" --version
	check "$p --version is VERSION's ($version)" "[ \"\$(cat out)\" = \"$(basename $p) $version\" ]"
done
for m in man1/certpress.1 man5/certpress.conf.5 man8/certpress-verifyd.8; do
	check "$m's .TH line names certpress $version" \
		"head -1 '$prefix/share/man/$m' | grep -qF ' \"certpress $version\" '"
done

# --- a distribution's build: hardened, warnings not errors ---
check "the build's flags: no -Werror without DEVELOPER=1" "! grep -q -- -Werror '$build/BUILD-FLAGS'"
for p in bin/certpress libexec/certpress/certpress-render libexec/certpress/certpress-notify; do
	f=$prefix/$p
	check "$p is a position-independent executable" "readelf -Wh '$f' | grep -q 'Type: *DYN'"
	check "$p has full RELRO" \
		"readelf -Wl '$f' | grep -q GNU_RELRO && readelf -Wd '$f' | grep -qE 'BIND_NOW|FLAGS.*NOW'"
	check "$p has the stack protector" "readelf -W --dyn-syms '$f' | grep -q __stack_chk_fail"
	check "$p has fortified libc calls" "readelf -W --dyn-syms '$f' | grep -qE '__[a-z]+_chk'"
done

# Used as it is but with its folders moved under the scratch folder.
sed -e "s|= /var/|= $SCRATCH/var/|; s|file:/var/|file:$SCRATCH/var/|" \
	"$prefix/etc/certpress/certpress.conf" > installed.conf
sed -i "s|^catalogue = .*|catalogue = $FIX/catalogue.xml|" installed.conf
# No certpress program of the tree in PATH; decoys in PATH that must never
# run: the stages come from LIBEXECDIR.
mkdir -p decoy
for s in validate assign render pack notify; do
	printf '#!/bin/sh\ntouch %s/decoy-ran\nexit 70\n' "$SCRATCH" > decoy/certpress-$s
	chmod +x decoy/certpress-$s
done
export PATH=$SCRATCH/decoy:$(echo "$PATH" | tr ':' '\n' | grep -vxF "$BIN" | paste -sd:)
run "$prefix/bin/certpress" -c installed.conf keygen
run "$prefix/bin/certpress" -c installed.conf keygen --signing
run "$prefix/bin/certpress" -c installed.conf search --dob 2000-01-01
check "the installed config is accepted (search finds nothing: exit 1)" "[ $rc = 1 ]"
run "$prefix/libexec/certpress/certpress-validate" -c installed.conf "$FIX/results/good.xml"
check "the installed validate finds its schemas" "[ $rc = 0 ]"
run "$prefix/bin/certpress" -c installed.conf run "$FIX/results/bad/rule-many.xml"
check "the installed certpress run drives the installed stages to the end" \
	"[ $rc = 0 ] && ls $SCRATCH/var/spool/certpress/exports/*/*.zip && ls $SCRATCH/var/spool/certpress/outbox/*.eml"
check "...none of the stages in PATH ran" "[ ! -e decoy-ran ]"
# The command copied away from its prefix: no ../libexec beside it, so only
# the path compiled in finds the stages (it resumes the batch validated
# alone above).
mkdir -p elsewhere/bin
cp "$prefix/bin/certpress" elsewhere/bin/
run elsewhere/bin/certpress -c installed.conf run
check "a copy of the command elsewhere runs the stages from LIBEXECDIR" \
	"[ $rc = 0 ] && [ ! -e decoy-ran ] && [ \$(ls $SCRATCH/var/spool/certpress/exports | wc -l) = 2 ]"
check "the man pages read" "man -l '$prefix/share/man/man1/certpress.1' > /dev/null 2>&1 || [ ! -x /usr/bin/man ]"

run env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u DEVELOPER -u SANITIZE make -s -C "$TOP" B="$build" PREFIX="$prefix" DESTDIR="$stage" uninstall
check "make uninstall exits 0" "[ $rc = 0 ]"
check "uninstall removes the programs, schemas and layouts" \
	"[ ! -e '$stage$prefix/bin/certpress' ] && [ ! -e '$stage$prefix/libexec/certpress' ] &&
	 [ ! -e '$stage$prefix/share/certpress' ] && [ ! -e '$stage$prefix/share/man/man1/certpress.1' ]"
check "the systemd unit names the installed service and its config" \
	"grep -qx 'ExecStart=$prefix/sbin/certpress-verifyd -c $prefix/etc/certpress/verifyd.conf' '$prefix/lib/systemd/system/certpress-verifyd.service'"
check "the installed config's [verify] keys name installed paths" \
	"grep -qx 'key-file = $prefix/etc/certpress/publish.key' '$prefix/etc/certpress/certpress.conf' &&
	 grep -qx 'key-file = $prefix/etc/certpress/reference.key' '$prefix/etc/certpress/certpress.conf' &&
	 grep -qx 'snapshot = /var/lib/certpress/publish' '$prefix/etc/certpress/certpress.conf'"
check "uninstall removes the service" \
	"[ ! -e '$stage$prefix/sbin/certpress-verifyd' ] && [ ! -e '$stage$prefix/lib/systemd/system/certpress-verifyd.service' ]"
check "uninstall keeps the configuration an operator may have edited" \
	"[ -e '$stage$prefix/etc/certpress/certpress.conf' ]"

done_testing
