#!/bin/bash
# make install and make uninstall honour DESTDIR and PREFIX; the installed
# default configuration points at installed paths and is accepted.
. "$(dirname "$0")/lib.sh"

root=$SCRATCH/root
run make -s -C "$TOP" B="$B" DESTDIR="$root" PREFIX=/opt/cp install
check "make install exits 0" "[ $rc = 0 ]"
for f in bin/certpress libexec/certpress/certpress-validate libexec/certpress/certpress-assign \
	libexec/certpress/certpress-render libexec/certpress/certpress-pack \
	libexec/certpress/certpress-notify etc/certpress/certpress.conf \
	share/certpress/layouts/learner-email.txt share/certpress/layouts/certification-report.xml \
	share/man/man1/certpress.1 share/man/man5/certpress.conf.5 \
	share/certpress/schemas/results.xsd share/certpress/schemas/catalogue.xsd \
	share/certpress/layouts/certificate.xml share/certpress/layouts/assets/logo.jpg; do
	check "installed: $f" "[ -e '$root/opt/cp/$f' ]"
done
check "bin/certpress-validate links to the final libexec path" \
	"[ \"\$(readlink '$root/opt/cp/bin/certpress-validate')\" = /opt/cp/libexec/certpress/certpress-validate ]"
check "the installed config names installed paths" \
	"grep -q '^schemas = /opt/cp/share/certpress/schemas' '$root/opt/cp/etc/certpress/certpress.conf' &&
	 grep -q '^layouts = /opt/cp/share/certpress/layouts' '$root/opt/cp/etc/certpress/certpress.conf' &&
	 grep -q '^spool = /var/spool/certpress' '$root/opt/cp/etc/certpress/certpress.conf'"
# Used as it is but with its folders moved under the scratch root.
sed -e "s|= /var/|= $root/var/|; s|file:/var/|file:$root/var/|; s|= /opt/cp/etc/|= $root/opt/cp/etc/|; s|= /opt/cp/share/|= $root/opt/cp/share/|" \
	"$root/opt/cp/etc/certpress/certpress.conf" > installed.conf
sed -i "s|^catalogue = .*|catalogue = $FIX/catalogue.xml|" installed.conf
run "$root/opt/cp/bin/certpress" -c installed.conf keygen
run "$root/opt/cp/bin/certpress" -c installed.conf search --dob 2000-01-01
check "the installed config is accepted (search finds nothing: exit 1)" "[ $rc = 1 ]"
run "$root/opt/cp/libexec/certpress/certpress-validate" -c installed.conf "$FIX/results/good.xml"
check "the installed validate finds its schemas" "[ $rc = 0 ]"
check_exit 0 "the installed command runs" "$root/opt/cp/bin/certpress" --version
run "$root/opt/cp/bin/certpress" -c installed.conf run "$FIX/results/bad/rule-many.xml"
check "the installed certpress run drives the installed stages to the end" \
	"[ $rc = 0 ] && ls $root/var/spool/certpress/exports/*/*.zip && ls $root/var/spool/certpress/outbox/*.eml"
check "the man pages read" "man -l '$root/opt/cp/share/man/man1/certpress.1' > /dev/null 2>&1 || [ ! -x /usr/bin/man ]"
run make -s -C "$TOP" B="$B" DESTDIR="$root" PREFIX=/opt/cp uninstall
check "make uninstall exits 0" "[ $rc = 0 ]"
check "uninstall removes the programs, schemas and layouts" \
	"[ ! -e '$root/opt/cp/bin/certpress' ] && [ ! -e '$root/opt/cp/libexec/certpress' ] &&
	 [ ! -e '$root/opt/cp/share/certpress' ] && [ ! -e '$root/opt/cp/share/man/man1/certpress.1' ]"
check "uninstall keeps the configuration an operator may have edited" \
	"[ -e '$root/opt/cp/etc/certpress/certpress.conf' ]"

done_testing
