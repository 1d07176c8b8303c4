# certpress: plain make. `make check` and `make demo` install the Debian
# packages they need first (as root), so each is one command on a new machine.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
LIBEXECDIR ?= $(PREFIX)/libexec/certpress
SYSCONFDIR ?= $(PREFIX)/etc
DATADIR ?= $(PREFIX)/share/certpress
MANDIR ?= $(PREFIX)/share/man
DESTDIR ?=

# The version: this file alone (--version, the man pages' .TH lines, which
# t0003 checks).
VERSION := $(shell cat VERSION)

CC ?= cc
CFLAGS ?= -O2 -g
# Format strings: every printf-like function carries a format attribute, and
# none is handed a format that is not a literal (a NULL or hostile %s is caught
# where it is written). No name hides another (-Wshadow).
override CFLAGS += -std=c17 -Wall -Wextra -Wformat=2 -Wformat-nonliteral \
	-Wsuggest-attribute=format -Wshadow
# DEVELOPER=1 (make check, make check-asan, .ci/run): warnings are errors. A
# distribution's build leaves them warnings, so a newer compiler's new
# warning does not fail a package build (git's config.mak.dev).
ifeq ($(DEVELOPER),1)
WERROR = -Werror
override CFLAGS += $(WERROR)
endif
override CPPFLAGS += -D_GNU_SOURCE -DCP_VERSION='"$(VERSION)"' \
	-DCP_SYSCONFDIR='"$(SYSCONFDIR)"' -DCP_LIBEXECDIR='"$(LIBEXECDIR)"'

# Hardening, on by default (Debian's hardening=+all): stack protector,
# fortified libc calls, a position-independent executable, full RELRO. Each
# can be emptied (HARDEN_LDFLAGS=) or left to a packager's own flags: a
# _FORTIFY_SOURCE already in CPPFLAGS is not defined again.
HARDEN_CFLAGS ?= -fstack-protector-strong -fPIE
HARDEN_CPPFLAGS ?= -D_FORTIFY_SOURCE=2
HARDEN_LDFLAGS ?= -pie -Wl,-z,relro,-z,now
override CFLAGS += $(HARDEN_CFLAGS)
override LDFLAGS += $(HARDEN_LDFLAGS)

# SANITIZE=1 builds the same tree with AddressSanitizer and UBSan elsewhere,
# without _FORTIFY_SOURCE: its checked copies of memcpy, read and the rest
# are not the ones ASan intercepts, so they would hide what it reports.
# FUZZ=1 (make fuzz): clang's libFuzzer with ASan and UBSan (build-fuzz/);
# the libraries get the fuzzer's coverage hooks, each harness its main.
# COVERAGE=1 (make fuzz-coverage): clang's source-based coverage
# (build-cov/), to replay a corpus through and read with llvm-cov.
ifeq ($(FUZZ),1)
B ?= build-fuzz
CC = clang
override CFLAGS += -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
override LDFLAGS += -fsanitize=address,undefined
FUZZ_MAIN = -fsanitize=fuzzer
else ifeq ($(COVERAGE),1)
B ?= build-cov
CC = clang
override CFLAGS += -O0 -fprofile-instr-generate -fcoverage-mapping
override LDFLAGS += -fprofile-instr-generate -fcoverage-mapping
else ifeq ($(SANITIZE),1)
B ?= build-asan
override CFLAGS += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
override LDFLAGS += -fsanitize=address,undefined
else
B ?= build
endif
# clang has no -Wsuggest-attribute (gcc's, which checks the tree anyway),
# and takes the SQL of the registry's statement tables, one string cut over
# lines, for a missing comma.
ifeq ($(CC),clang)
override CFLAGS := $(filter-out -Wsuggest-attribute=format,$(CFLAGS)) -Wno-string-concatenation
endif
ifeq ($(SANITIZE)$(FUZZ),)
ifeq ($(findstring _FORTIFY_SOURCE,$(CPPFLAGS))$(filter -O0,$(CFLAGS)),)
override CPPFLAGS += $(HARDEN_CPPFLAGS)
endif
endif

PKGS = libxml-2.0 sqlite3 inih libsodium libcrypto harfbuzz harfbuzz-subset libqrencode libzip libdeflate \
	libesmtp-1.0 libpng libjpeg
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
override CPPFLAGS += $(PKG_CFLAGS)
# libharu and libunistring ship no pkg-config file.
LDLIBS += $(PKG_LIBS) -lhpdf -lunistring -lm

# Debian 12 packages: to build, to test, to run the demo.
DEB_BUILD = build-essential pkg-config libxml2-dev libsqlite3-dev libinih-dev \
	libsodium-dev libcmocka-dev libhpdf-dev libharfbuzz-dev libqrencode-dev \
	libzip-dev libesmtp-dev libssl-dev libdeflate-dev libunistring-dev libpng-dev \
	libjpeg62-turbo-dev libmicrohttpd-dev
DEB_RUN = fonts-dejavu-core icc-profiles-free
DEB_TEST = sqlite3 libxml2-utils python3 qpdf poppler-utils zbar-tools bc time \
	python3-aiosmtpd p7zip-full unzip ghostscript mupdf-tools libnss3-tools softhsm2 openssl \
	libengine-pkcs11-openssl curl chromium chromium-driver python3-selenium valgrind
# make fuzz and fuzz-coverage: clang 14, its libFuzzer, llvm-profdata and
# llvm-cov.
DEB_FUZZ = clang libclang-rt-14-dev llvm-14
DEB_PKGS = $(DEB_BUILD) $(DEB_RUN) $(DEB_TEST) $(DEB_FUZZ)

STAGES = validate assign render pack notify
STAGE_BINS = $(STAGES:%=$(B)/certpress-%)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BINS = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

# The layers of pipeline/, each its own library, each using only those below
# it (tests/t0005-layers.sh checks): util (knows nothing of certpress), engine
# (layout and PDF), then pipeline/ itself (certpress-wide). Headers are named
# from the top of pipeline/: "util/msg.h", "engine/pdf.h", "registry.h".
override CPPFLAGS += -Ipipeline
LIB_UTIL = $(B)/libutil.a
LIB_ENGINE = $(B)/libengine.a
LIB_CORE = $(B)/libcertpress.a
LIBS = $(LIB_CORE) $(LIB_ENGINE) $(LIB_UTIL)
objs = $(patsubst %.c,$(B)/%.o,$(foreach d,$(1),$(wildcard $(d)/*.c)))

all: $(STAGE_BINS) $(B)/certpress $(B)/certpress-verifyd

# Header dependencies from the compiler: touching one header rebuilds only
# what includes it.
$(B)/%.o: %.c $(B)/BUILD-FLAGS
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

# The flags a build was made with, rewritten only when they change: then
# everything is made again (another PREFIX compiles in other paths), as
# git's GIT-CFLAGS.
$(B)/BUILD-FLAGS: FORCE
	@mkdir -p $(@D)
	@echo '$(subst ','\'',$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $(LDLIBS))' > $@.new; \
	if cmp -s $@.new $@; then rm -f $@.new; else mv -f $@.new $@; fi
-include $(shell find $(B) -name '*.d' 2>/dev/null)

# Each stage's folder and the operator command's are libraries too, so the
# unit tests can link their modules (a library's main.o is never pulled in).
define library
$(1): $(call objs,$(2))
	rm -f $$@
	$$(AR) rcs $$@ $$^
endef
$(eval $(call library,$(LIB_UTIL),pipeline/util))
$(eval $(call library,$(LIB_ENGINE),pipeline/engine))
# pipeline/registry/, the registry module's table families, is pipeline-level.
$(eval $(call library,$(LIB_CORE),pipeline pipeline/registry))
$(eval $(call library,$(B)/libcmd.a,pipeline/certpress))
$(foreach s,$(STAGES),$(eval $(call library,$(B)/stages/lib$(s).a,stages/$(s))))

$(B)/certpress-%: $(B)/stages/%/main.o $(B)/stages/lib%.a $(LIBS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/certpress: $(B)/pipeline/certpress/certpress.o $(B)/libcmd.a $(LIBS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The verification service (verifyd/): it links only what it uses of the
# pipeline layer (configuration, references, the snapshot) and libutil, and
# none of SQLite, libxml2 or the PDF engine (t0005 checks its NEEDED list),
# so the internet-facing process can never open the registry. libcrypto:
# libutil's file reading screens what it reads (readfile.c, screen.c) and
# digests it with OpenSSL's SHA-256.
VERIFYD_PKGS = libmicrohttpd libsodium inih libcrypto
override CPPFLAGS += $(shell pkg-config --cflags libmicrohttpd 2>/dev/null)
VERIFYD_LIBS := $(shell pkg-config --libs $(VERIFYD_PKGS) 2>/dev/null) -lunistring -lm
$(B)/certpress-verifyd: $(call objs,verifyd) $(LIB_CORE) $(LIB_UTIL)
	$(CC) $(LDFLAGS) -o $@ $^ $(VERIFYD_LIBS)
# ... and a library, so its fuzzing harnesses link its routes, pages and
# store (never main.o, nor http.o's libmicrohttpd glue).
$(eval $(call library,$(B)/libverifyd.a,verifyd))

# Unit tests reach a stage's own modules and the command's too.
UNIT_LIBS = $(STAGES:%=$(B)/stages/lib%.a) $(B)/libcmd.a $(LIBS)
$(B)/tests/%: tests/unit/%.c $(UNIT_LIBS) $(B)/BUILD-FLAGS
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -I. $(CFLAGS) $(LDFLAGS) -o $@ $< $(UNIT_LIBS) $(LDLIBS) \
		$$(pkg-config --libs cmocka)

# Fuzzing harnesses (tests/fuzz/fuzz_NAME.c, one LLVMFuzzerTestOneInput
# each): with FUZZ=1 libFuzzer is their main; in every other build
# tests/fuzz/replay.c is, so make check replays the corpus and the
# regressions (t8090) with gcc, ASan or coverage alike.
FUZZ_NAMES = $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS = $(FUZZ_NAMES:%=$(B)/tests/fuzz/%)
FUZZ_MAIN ?= tests/fuzz/replay.c
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 10
$(B)/tests/fuzz/%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h tests/fuzz/fuzzxml.h tests/fuzz/replay.c $(UNIT_LIBS) \
		$(B)/libverifyd.a $(B)/BUILD-FLAGS
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -I. -DCP_FUZZ_TOP='"$(CURDIR)"' $(CFLAGS) $(LDFLAGS) -o $@ $< \
		$(FUZZ_MAIN) $(B)/libverifyd.a $(UNIT_LIBS) $(LDLIBS)

fuzz-bins: $(FUZZ_BINS)

# Each harness for FUZZ_SECONDS (make fuzz-smoke: FUZZ_SMOKE_SECONDS),
# one after another, from its seeds, its regressions and what earlier runs
# found (build-fuzz/corpus/); a crash, leak or hang fails it.
fuzz: deps
	$(MAKE) FUZZ=1 DEVELOPER=1 fuzz-bins
	B=build-fuzz tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_NAMES)

fuzz-smoke:
	$(MAKE) fuzz FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS)

# Line coverage per harness: the corpus (seeds, regressions, what make fuzz
# found) replayed through a build-cov/ build, read with llvm-cov.
fuzz-coverage: deps
	$(MAKE) COVERAGE=1 DEVELOPER=1 fuzz-bins
	B=build-cov tests/fuzz/coverage.sh $(FUZZ_NAMES)

deps:
	@missing=""; for p in $(DEB_PKGS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' \
			|| missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -qq --no-install-recommends $$missing; \
		else \
			echo "certpress needs these packages; run as root:" >&2; \
			echo "  apt-get install$$missing" >&2; exit 1; \
		fi; \
	fi

# The developer's build (DEVELOPER=1: warnings are errors), then every test.
check: deps
	$(MAKE) DEVELOPER=1 all units
	B=$(B) tests/run.sh

check-asan: deps
	$(MAKE) DEVELOPER=1 SANITIZE=1 all units
	B=build-asan ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 tests/run.sh

# The unit tests and a whole batch's end-to-end tests (validate, assign,
# render, pack, notify, run and the operator's commands) with every program
# under valgrind (CERTPRESS_VALGRIND=1: tests/lib.sh wraps the programs, and
# tests/run.sh the unit binaries): a memory error or a definite or indirect
# leak fails the test. About 24 minutes on two shared cores: not in .ci/run.
VALGRIND_TESTS = tests/t1001-validate-good.sh tests/t2001-assign.sh tests/t3001-render.sh \
	tests/t4001-pack.sh tests/t5001-notify.sh tests/t6001-operator-documents.sh \
	tests/t6002-run.sh
check-valgrind: deps
	$(MAKE) DEVELOPER=1 all units
	B=$(B) CERTPRESS_VALGRIND=1 TESTS="$(VALGRIND_TESTS)" tests/run.sh

# Test helpers: small programs the end-to-end tests run.
TOOL_BINS = $(patsubst tests/tools/%.c,$(B)/tests/tools/%,$(wildcard tests/tools/*.c))
$(B)/tests/tools/%: tests/tools/%.c $(LIBS) $(B)/BUILD-FLAGS
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBS) $(LDLIBS)

# LD_PRELOAD libraries (tests/tools/preload/): built without the sanitizers,
# since they are loaded ahead of every library of the program under test.
PRELOAD_LIBS = $(patsubst tests/tools/preload/%.c,$(B)/tests/tools/%.so,$(wildcard tests/tools/preload/*.c))
$(B)/tests/tools/%.so: tests/tools/preload/%.c
	@mkdir -p $(@D)
	$(CC) -std=c17 -O2 -Wall -Wextra $(WERROR) -D_GNU_SOURCE -fPIC -shared -o $@ $< -ldl

units: $(UNIT_BINS) $(TOOL_BINS) $(PRELOAD_LIBS) $(FUZZ_BINS)

demo: deps
	$(MAKE) all
	B=$(B) tests/demo.sh

# The randomised soak alone (tests/t7133-soak.sh, in check too): 500
# learners killed at random 200 times, then finished and checked; two to
# five minutes. SOAK_LEARNERS, SOAK_KILLS, SOAK_SEED change it.
soak: deps
	$(MAKE) DEVELOPER=1 all units
	B=$(B) tests/t7133-soak.sh

# Every stage timed on generated batches (BENCH_SIZES=1000,10000 by
# default); PEERS=1 also installs and runs Apache FOP and WeasyPrint.
bench: deps
	$(MAKE) -s deps DEB_PKGS="gnuplot-nox p7zip-full zip wrk nginx curl $(if $(filter 1,$(PEERS)),fop weasyprint default-jdk-headless qrencode)"
	$(MAKE) all
	B=$(B) PEERS=$(PEERS) bench/bench.sh

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR) \
		$(DESTDIR)$(SYSCONFDIR)/certpress $(DESTDIR)$(DATADIR)/schemas
	install -m 755 $(B)/certpress $(DESTDIR)$(BINDIR)/certpress
	for s in $(STAGES); do install -m 755 $(B)/certpress-$$s $(DESTDIR)$(LIBEXECDIR)/; \
		ln -sf $(LIBEXECDIR)/certpress-$$s $(DESTDIR)$(BINDIR)/certpress-$$s; done
	install -m 644 config/*.xsd $(DESTDIR)$(DATADIR)/schemas/
	install -d $(DESTDIR)$(DATADIR)/layouts/assets
	install -m 644 layouts/*.xml layouts/*.txt $(DESTDIR)$(DATADIR)/layouts/
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	install -m 644 man/certpress.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/certpress.conf.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 644 layouts/assets/* $(DESTDIR)$(DATADIR)/layouts/assets/
	test -e $(DESTDIR)$(SYSCONFDIR)/certpress/certpress.conf || \
		sed -e 's|^spool *=.*|spool = /var/spool/certpress|' \
		    -e 's|^registry *=.*|registry = /var/lib/certpress/registry.sqlite|' \
		    -e 's|^schemas *=.*|schemas = $(DATADIR)/schemas|' \
		    -e 's|^catalogue *=.*|catalogue = $(SYSCONFDIR)/certpress/catalogue.xml|' \
		    -e 's|^centres *=.*|;centres = $(SYSCONFDIR)/certpress/centres.xml|' \
		    -e 's|^layouts *=.*|layouts = $(DATADIR)/layouts|' \
		    -e '/^\[certpress\]/,/^\[/s|^key-file *=.*|key-file = $(SYSCONFDIR)/certpress/reference.key|' \
		    -e 's|^certificate *=.*|certificate = $(SYSCONFDIR)/certpress/signing.crt|' \
		    -e 's|^key  *=.*|key = $(SYSCONFDIR)/certpress/signing.key|' \
		    -e 's|^transport *=.*|transport = file:/var/spool/certpress/outbox|' \
		    -e 's|^snapshot *=.*|snapshot = /var/lib/certpress/publish|' \
		    -e '/^\[verify\]/,$$s|^key-file *=.*|key-file = $(SYSCONFDIR)/certpress/publish.key|' \
		    -e 's|^public-key *=.*|public-key = $(SYSCONFDIR)/certpress/publish.pub|' \
		    config/certpress.conf > $(DESTDIR)$(SYSCONFDIR)/certpress/certpress.conf
	# the verification service: a host of its own in production (verifyd.conf)
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(SYSTEMDUNITDIR)
	install -m 755 $(B)/certpress-verifyd $(DESTDIR)$(SBINDIR)/certpress-verifyd
	install -m 644 man/certpress-verifyd.8 $(DESTDIR)$(MANDIR)/man8/
	sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
		config/certpress-verifyd.service > $(DESTDIR)$(SYSTEMDUNITDIR)/certpress-verifyd.service
	test -e $(DESTDIR)$(SYSCONFDIR)/certpress/verifyd.conf || \
		sed -e 's|^public-key *=.*|public-key = $(SYSCONFDIR)/certpress/publish.pub|' \
		    config/verifyd.conf > $(DESTDIR)$(SYSCONFDIR)/certpress/verifyd.conf

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/certpress
	for s in $(STAGES); do rm -f $(DESTDIR)$(LIBEXECDIR)/certpress-$$s \
		$(DESTDIR)$(BINDIR)/certpress-$$s; done
	rm -rf $(DESTDIR)$(DATADIR)/schemas $(DESTDIR)$(DATADIR)/layouts
	rm -f $(DESTDIR)$(MANDIR)/man1/certpress.1 $(DESTDIR)$(MANDIR)/man5/certpress.conf.5
	rm -f $(DESTDIR)$(SBINDIR)/certpress-verifyd $(DESTDIR)$(MANDIR)/man8/certpress-verifyd.8 \
		$(DESTDIR)$(SYSTEMDUNITDIR)/certpress-verifyd.service
	-rmdir $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-asan build-fuzz build-cov tests/scratch bench/work

.SECONDARY:
.PHONY: all deps check check-asan check-valgrind units demo soak bench install uninstall clean FORCE \
	fuzz fuzz-smoke fuzz-coverage fuzz-bins
