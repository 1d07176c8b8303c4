#!/bin/bash
# The layers of pipeline/ hold (tests/tools/layers.sh), and the check goes
# red on each kind of offence put into a copy of the tree.
. "$(dirname "$0")/lib.sh"

run "$TOP/tests/tools/layers.sh" "$TOP"
check "the tree keeps its layers" "[ $rc = 0 ] && [ ! -s out ]"

# offence ~ file ~ line added after the first include ~ what the check says
while IFS='~' read -r name file add want; do
	[ -n "$name" ] || continue
	rm -rf tree
	mkdir tree
	cp -r "$TOP/pipeline" "$TOP/stages" "$TOP/verifyd" tree/
	sed -i "0,/^#include/s|^#include.*|&\n$add|" "tree/$file"
	run "$TOP/tests/tools/layers.sh" "$SCRATCH/tree"
	check "$name: refused" "[ $rc = 1 ] && contains out \"$file:\" && contains out \"$want\""
done <<'TABLE'
util including the engine~pipeline/util/atomic.c~#include "engine/pdf.h"~util includes 'engine/pdf.h'
util including pipeline/~pipeline/util/msg.c~#include "conf.h"~util includes 'conf.h'
engine including pipeline/~pipeline/engine/layout.c~#include "registry.h"~engine includes 'registry.h'
pipeline/ including a stage~pipeline/stage.c~#include "render.h"~not one of its own
pipeline/ including the command~pipeline/spool.c~#include "certpress/cmd.h"~from above it
a relative include~stages/pack/run.c~#include "../../pipeline/msg.h"~by a relative path
libharu outside the engine~stages/render/worker.c~#include <hpdf.h>~only the engine includes
HarfBuzz outside the engine~pipeline/docrender.c~#include <hb.h>~only the engine includes
a stray sqlite3_exec in a stage~stages/notify/run.c~#define STRAY(db) sqlite3_exec(db, "DELETE FROM notifications", 0, 0, 0)~only the registry module (pipeline/registry*) uses SQLite
a statement prepared in the command~pipeline/certpress/status.c~static int stray(void *db) { return sqlite3_prepare_v2(db, "SELECT 1", -1, 0, 0); }~only the registry module (pipeline/registry*) uses SQLite
<sqlite3.h> outside the registry~pipeline/stage.c~#include <sqlite3.h>~only the registry module (pipeline/registry*) uses SQLite
the registry's internals outside it~stages/pack/run.c~#include "registry/internal.h"~only the registry module (pipeline/registry*) includes
the registry in the verification service~verifyd/http.c~#include "registry.h"~verifyd includes 'registry.h'
a batch file in the verification service~verifyd/page.c~#include "batchfile.h"~verifyd includes 'batchfile.h'
SQLite in the verification service~verifyd/store.c~#include <sqlite3.h>~verifyd uses neither SQLite nor libxml2
TABLE

# What the linker says, beside what the sources include: the service is
# linked against none of SQLite, libxml2 or the PDF engine's libraries.
readelf -d "$BIN/certpress-verifyd" > needed 2>&1
check "certpress-verifyd links libmicrohttpd and libsodium" \
	"grep -q 'libmicrohttpd' needed && grep -q 'libsodium' needed"
check "certpress-verifyd links neither SQLite, libxml2 nor libharu" \
	"! grep -Eq 'libsqlite3|libxml2|libhpdf|libharfbuzz' needed"

done_testing
