# SPDX-License-Identifier: Apache-2.0
# ea90b - one top-level GNU Makefile.
#
#   make            build libea90b.a, the ea90b command and the NIST-compatible
#                   front ends into $(BUILD)/
#   make check      install missing Debian packages (as root), build with
#                   -Werror, run unit, golden parity and CLI tests
#   make demo       collect on this machine, assess, print where the report is
#   make bench      print speed and memory figures (a benchmark, not a test)
#   make asan/ubsan rerun the whole suite under a sanitizer
#   make check-arm64  the unit and collector CLI tests, cross-built for aarch64,
#                   under qemu-aarch64 (part of make check where the tools are)
#   make install    PREFIX=/usr/local DESTDIR= (commands, libraries with headers
#                   and ea90b.pc, man pages, bash completion, the docs)
#   make deb        the Debian packages (dpkg-buildpackage in build/deb/; debian/)
#   make image      the collector container image (buildah/podman; docs/container.md)
#   make clean

PREFIX  ?= /usr/local
DESTDIR ?=
LIBDIR  ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DOCDIR  ?= $(PREFIX)/share/doc/ea90b
MANDIR  ?= $(PREFIX)/share/man
# the NIST drop-ins (ea_iid, ...): PREFIX/bin here; the Debian package puts them in
# /usr/libexec/ea90b, away from the reference tool's package (README.md)
DROPINDIR ?= $(PREFIX)/bin
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
BUILD   ?= build
OBJCOPY ?= objcopy
CC      ?= cc
ifeq ($(origin CC),default)
CC := gcc
endif

WARN := -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Wvla \
        -Wstrict-prototypes -Wmissing-prototypes
ifeq ($(WERROR),1)
WARN += -Werror
endif

OPT      ?= -O2
SANITIZE ?=
# IID_LIBBZ2=1: compute the IID compression statistic by running libbz2
# instead of the exact bzip2 length model (docs/iid.md); same numbers, slower.
ifeq ($(IID_LIBBZ2),1)
CFLAGS += -DEA_IID_COMPRESSION_LIBBZ2
endif
# -ffp-contract=off: no fused multiply-add, so a result computed on one
# machine reproduces on another. (The reference outputs in data/vectors came
# from a -march=native build that did contract a few expressions into FMA;
# that moves some values by at most ~1.5e-14 relative, far inside 1e-10.)
CFLAGS_ALL := -std=c11 $(OPT) -g -ffp-contract=off $(WARN) $(SANITIZE) \
              -D_DEFAULT_SOURCE -Iinclude -Iestimators -Ireports -Icollector -Icli -Itests/golden -MMD -MP \
              $(CPPFLAGS) $(CFLAGS)
LDFLAGS_ALL := $(SANITIZE) $(LDFLAGS)
LIBS := -ldivsufsort -lbz2 -lcrypto -ljansson -lm -lpthread

LIB_SRC  := $(wildcard estimators/*.c)
REP_SRC  := $(wildcard reports/*.c)
COL_SRC  := $(wildcard collector/*.c)
CLI_COMMON := $(filter-out cli/main_%.c,$(wildcard cli/*.c))
UNIT_SRC := $(wildcard tests/unit/*.c)
GOLD_SRC := $(wildcard tests/golden/*.c)
BENCH_SRC := $(wildcard bench/*.c)

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
REP_OBJ  := $(REP_SRC:%.c=$(BUILD)/%.o)
COL_OBJ  := $(COL_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_COMMON:%.c=$(BUILD)/%.o)
UNIT_OBJ := $(UNIT_SRC:%.c=$(BUILD)/%.o)
GOLD_OBJ := $(GOLD_SRC:%.c=$(BUILD)/%.o)

LIBEA   := $(BUILD)/libea90b.a
LIBREP  := $(BUILD)/libea90b_reports.a
LIBCOL  := $(BUILD)/libea90b_collect.a
FRONTS  := ea90b ea_non_iid ea_iid ea_restart ea_conditioning ea_transpose
BINS    := $(FRONTS:%=$(BUILD)/bin/%)
EXAMPLES := $(BUILD)/examples/record
UNIT_T  := $(BUILD)/tests/unit_tests
GOLD_T  := $(BUILD)/tests/golden_tests
BENCH_B := $(BUILD)/bin/ea90b_bench
JSONTOOL := $(BUILD)/tests/jsontool
SCHEMACHECK := $(BUILD)/tests/schemacheck
REPLAY  := $(BUILD)/tests/fuzz_replay
REPLAY_IMPORT := $(BUILD)/tests/fuzz_import_replay
REPLAY_COLLECTION := $(BUILD)/tests/fuzz_collection_replay
REPLAY_REPORT := $(BUILD)/tests/fuzz_report_replay
REPLAY_RESTART := $(BUILD)/tests/fuzz_restart_replay
HOOKS_T := $(BUILD)/tests/collect_hooks
FAKEREC := $(BUILD)/tests/fake_recorder

.PHONY: all check test demo bench asan ubsan install clean deps check-deps fuzz static check-browser
.DEFAULT_GOAL := all
# keep the objects of the per-program main_*.c files (pattern-rule intermediates)
.SECONDARY:

all: $(LIBEA) $(LIBREP) $(LIBCOL) $(BINS) $(EXAMPLES)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(LIBEA): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(LIBREP): $(REP_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

# the collector (collector/): noise sources, host facts, manifests
$(LIBCOL): $(COL_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/bin/%: $(BUILD)/cli/main_%.o $(CLI_OBJ) $(LIBREP) $(LIBCOL) $(LIBEA)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) $^ -o $@ $(LIBS)

# The jent source's library mode: its noise core is built without optimisation,
# as the jitterentropy library requires for its own (docs/noise-sources.md).
$(BUILD)/collector/jent_o0.o: collector/jent_o0.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -O0 -c $< -o $@

# examples/: programs that use the installed interface only (docs/library.md)
$(BUILD)/examples/%: $(BUILD)/examples/%.o $(LIBCOL) $(LIBEA)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) $^ -o $@ $(LIBS)

$(UNIT_T): $(UNIT_OBJ) $(LIBREP) $(LIBCOL) $(LIBEA)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) $^ -o $@ -lcriterion $(LIBS)

$(GOLD_T): $(GOLD_OBJ) $(LIBREP) $(LIBCOL) $(LIBEA)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) $^ -o $@ -lcriterion $(LIBS)

$(JSONTOOL): $(BUILD)/tests/tools/jsontool.o $(BUILD)/tests/golden/golden.o $(LIBREP) $(LIBEA)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) $^ -o $@ $(LIBS)

# JSON Schema check of the esv drafts (tests/esv/; run by tests/cli/parts/esv.sh)
$(SCHEMACHECK): $(BUILD)/tests/tools/schemacheck.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) $^ -o $@ -ljansson -lm

# ea90b collect with the engine's crash-test hooks (tests only; never installed)
$(HOOKS_T): $(BUILD)/tests/tools/collect_hooks.o $(CLI_OBJ) $(LIBREP) $(LIBCOL) $(LIBEA)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) $^ -o $@ $(LIBS)

# a stand-in for a vendor's recorder (the exec source's tests and benchmark)
$(FAKEREC): $(BUILD)/tests/tools/fake_recorder.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) $^ -o $@

$(REPLAY): $(BUILD)/tests/fuzz/replay.o $(BUILD)/tests/fuzz/fuzz_noniid.o $(LIBEA)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) $^ -o $@ $(LIBS)

$(REPLAY_IMPORT): $(BUILD)/tests/fuzz/replay_import.o $(BUILD)/tests/fuzz/fuzz_import.o $(LIBCOL)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) $^ -o $@ $(LIBS)

$(REPLAY_COLLECTION): $(BUILD)/tests/fuzz/replay_collection.o $(BUILD)/tests/fuzz/fuzz_collection.o $(LIBCOL)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) $^ -o $@ $(LIBS)

$(REPLAY_REPORT): $(BUILD)/tests/fuzz/replay_report.o $(BUILD)/tests/fuzz/fuzz_report.o $(LIBREP) $(LIBEA)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) $^ -o $@ $(LIBS)

$(REPLAY_RESTART): $(BUILD)/tests/fuzz/replay_restart.o $(BUILD)/tests/fuzz/fuzz_restart.o $(LIBEA)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) $^ -o $@ $(LIBS)

# libFuzzer builds (clang): make fuzz, then build/fuzz/fuzz_noniid -max_total_time=60
# (the non-IID track) or build/fuzz/fuzz_import -max_total_time=60 (the raw-delta parser);
# fuzz_collection (verify's manifest check), fuzz_report (check's report reader, the
# gate, the renderers), fuzz_restart (the restart matrix loader): docs/fuzzing.md.
# fuzz_restart leaves out UBSan's pointer-overflow checks: in its 1,000,000-sample
# loops libFuzzer's comparison hooks on them made each full-size input 3x slower.
fuzz:
	@mkdir -p build/fuzz
	clang -std=c11 -O1 -g -D_DEFAULT_SOURCE -fsanitize=fuzzer,address,undefined -Iinclude -Iestimators \
	  tests/fuzz/fuzz_noniid.c $(LIB_SRC) -o build/fuzz/fuzz_noniid $(LIBS)
	clang -std=c11 -O1 -g -D_DEFAULT_SOURCE -fsanitize=fuzzer,address,undefined -Iinclude \
	  -Icollector tests/fuzz/fuzz_import.c $(COL_SRC) -o build/fuzz/fuzz_import $(LIBS)
	clang -std=c11 -O1 -g -D_DEFAULT_SOURCE -fsanitize=fuzzer,address,undefined -Iinclude \
	  -Icollector tests/fuzz/fuzz_collection.c $(COL_SRC) -o build/fuzz/fuzz_collection $(LIBS)
	clang -std=c11 -O1 -g -D_DEFAULT_SOURCE -fsanitize=fuzzer,address,undefined -Iinclude \
	  -Iestimators -Ireports tests/fuzz/fuzz_report.c $(REP_SRC) $(LIB_SRC) -o build/fuzz/fuzz_report $(LIBS)
	clang -std=c11 -O1 -g -D_DEFAULT_SOURCE -fsanitize=fuzzer,address,undefined -fno-sanitize=pointer-overflow \
	  -Iinclude -Iestimators tests/fuzz/fuzz_restart.c $(LIB_SRC) -o build/fuzz/fuzz_restart $(LIBS)

$(BENCH_B): $(BENCH_SRC:%.c=$(BUILD)/%.o) $(LIBREP) $(LIBEA)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) $^ -o $@ $(LIBS)

# ---------------------------------------------------------------- deps
deps:
	@sh scripts/install-deps.sh

check-deps:
	@sh scripts/install-deps.sh --check

# --------------------------------------------------------------- tests
# `check` rebuilds in its own directory with -Werror, then runs the suite.
CHECK_BUILD ?= build/check

# (groff renders the man pages: tests/man/check.sh)
# The build steps run in parallel on every CPU unless make was given -j itself.
NPROC := $(shell nproc 2>/dev/null || echo 2)
PAR = $(if $(filter -j%,$(MAKEFLAGS)),,-j$(NPROC))
check:
	@EA90B_EXTRA_PKGS=groff-base sh scripts/install-deps.sh
	@$(MAKE) --no-print-directory $(PAR) BUILD=$(CHECK_BUILD) WERROR=1 test-build
	@$(MAKE) --no-print-directory BUILD=$(CHECK_BUILD) WERROR=1 test

TEST_BUILD := all $(UNIT_T) $(GOLD_T) $(JSONTOOL) $(SCHEMACHECK) $(REPLAY) $(REPLAY_IMPORT) \
      $(REPLAY_COLLECTION) $(REPLAY_REPORT) $(REPLAY_RESTART) $(HOOKS_T) $(FAKEREC)
.PHONY: test-build
test-build: $(TEST_BUILD)

test: $(TEST_BUILD)
	@echo "== licence lines (SPDX)"
	@sh tests/tools/spdx-check.sh .
	@echo "== container recipe (deploy/container/Containerfile; make image builds it)"
	@sh tests/container/check.sh
	@echo "== man pages, bash completion, one version string"
	@sh tests/man/check.sh $(BUILD)/bin
	@sh tests/completion/run.sh $(BUILD)/bin
	@sh tests/tools/version-check.sh $(BUILD)/bin
	@echo "== unit tests"
	@$(UNIT_T) --jobs 2
	@echo "== golden parity tests (NIST reference outputs)"
	@$(GOLD_T) --jobs 2
	@echo "== fuzz target replay (edge cases)"
	@$(REPLAY)
	@$(REPLAY_IMPORT)
	@$(REPLAY_COLLECTION)
	@$(REPLAY_REPORT)
	@$(REPLAY_RESTART)
	@echo "== CLI tests"
	@sh tests/cli/run.sh $(BUILD)/bin $(JSONTOOL)
	@echo "== fleet (scripts/fleet against a stub kubectl; its manifests against the Kubernetes API schema)"
	@sh tests/fleet/run.sh $(BUILD)/bin $(FAKEREC) $(JSONTOOL) $(SCHEMACHECK)
	@echo "== install tree (make install, exported symbols, pkg-config, examples/record.c)"
	@sh tests/install/run.sh "$(MAKE)" $(BUILD) "$(SANITIZE)"
	@if command -v chromium >/dev/null 2>&1; then echo "== browser test (headless Chromium)"; \
	  sh tests/browser/render.sh $(BUILD)/bin || exit 1; \
	  sh tests/browser/ear.sh $(BUILD)/bin; rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 77 ]; fi
	@if [ -z "$(SANITIZE)" ]; then miss=$$($(ARM64_DEPS) --missing); \
	  if [ -z "$$miss" ]; then $(MAKE) --no-print-directory check-arm64 || exit 1; \
	  else echo "== arm64: skipped (no $$miss here); scripts/install-deps.sh --arm64 installs them (as root)"; fi; fi

# the HTML report in headless Chromium and the EAR draft's PDF, its first page
# rendered to PNG (installs Debian's chromium, pandoc and poppler-utils as root)
check-browser:
	@sh scripts/install-deps.sh --browser
	@$(MAKE) --no-print-directory BUILD=$(CHECK_BUILD) all
	@sh tests/browser/render.sh $(CHECK_BUILD)/bin
	@sh tests/browser/ear.sh $(CHECK_BUILD)/bin

asan: deps
	@$(MAKE) --no-print-directory $(PAR) BUILD=build/asan WERROR=1 OPT=-O1 \
	  SANITIZE="-fsanitize=address -fno-omit-frame-pointer" test-build
	@LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	$(MAKE) --no-print-directory BUILD=build/asan WERROR=1 OPT=-O1 \
	  SANITIZE="-fsanitize=address -fno-omit-frame-pointer" test

# gcc 12 reports spurious -Wconversion warnings on code instrumented with
# -fsanitize=undefined, so this build does not add -Werror (make check does).
ubsan: deps
	@$(MAKE) --no-print-directory $(PAR) BUILD=build/ubsan OPT=-O1 \
	  SANITIZE="-fsanitize=undefined -fno-sanitize-recover=all" test-build
	@$(MAKE) --no-print-directory BUILD=build/ubsan OPT=-O1 \
	  SANITIZE="-fsanitize=undefined -fno-sanitize-recover=all" test

# ---------------------------------------------------------------- demo
# deps first, then the build (a sub-make, so `make -j demo` cannot compile
# before the packages are there)
demo: deps
	@$(MAKE) --no-print-directory all
	@sh scripts/demo.sh $(BUILD)/bin

# --------------------------------------------------------------- bench
bench: deps
	@$(MAKE) --no-print-directory all $(BENCH_B) $(FAKEREC) $(JSONTOOL)
	@sh scripts/bench.sh $(BUILD)/bin

# -------------------------------------------------------------- static
# make static: $(BUILD)/static/ea90b, linked with -static so it runs on a bare
# Linux host or a distroless container (docs/collector.md). Debian ships
# libbz2.a, libcrypto.a and libjansson.a but no libdivsufsort.a. Without one
# the static ea90b is the collector alone (collect, probe, verify: what a new
# instance needs); with DIVSUFSORT_A=/path/libdivsufsort.a (built from source
# with -DBUILD_SHARED_LIBS=OFF) it carries every command.
STATIC_LIBDIR ?= /usr/lib/$(shell $(CC) -dumpmachine)
DIVSUFSORT_A  ?= $(STATIC_LIBDIR)/libdivsufsort.a
STATIC_BASE := $(STATIC_LIBDIR)/libbz2.a $(STATIC_LIBDIR)/libcrypto.a $(STATIC_LIBDIR)/libjansson.a
STATIC_FULL := $(wildcard $(DIVSUFSORT_A))
LIBCLI  := $(BUILD)/static/libea90b_cli.a

# make static ARCH=aarch64: $(BUILD)/static/aarch64/ea90b, cross-compiled with
# Debian's gcc-aarch64-linux-gnu against /usr/lib/aarch64-linux-gnu (objects in
# $(BUILD)/aarch64/); ARCH="x86_64 aarch64": one per architecture, in
# $(BUILD)/static/ARCH/ (this machine's too). DIVSUFSORT_A: one ARCH at a time.
ARCH ?=
ifeq ($(strip $(ARCH)),)
static: $(BUILD)/static/ea90b
else
HOST_ARCH := $(firstword $(subst -, ,$(shell $(CC) -dumpmachine)))
static: $(addprefix static-,$(ARCH))

static-$(HOST_ARCH): $(BUILD)/static/ea90b
	@mkdir -p $(BUILD)/static/$(HOST_ARCH)
	cp $< $(BUILD)/static/$(HOST_ARCH)/ea90b

static-%:
	@command -v $*-linux-gnu-gcc >/dev/null 2>&1 || { echo "make static ARCH=$*: no $*-linux-gnu-gcc" \
	  "(Debian's gcc-$*-linux-gnu; for aarch64 scripts/install-deps.sh --arm64 installs it)" >&2; exit 1; }
	@$(MAKE) --no-print-directory ARCH= BUILD=$(BUILD)/$* CC=$*-linux-gnu-gcc AR=$*-linux-gnu-ar \
	  $(BUILD)/$*/static/ea90b
	@mkdir -p $(BUILD)/static/$*
	cp $(BUILD)/$*/static/ea90b $(BUILD)/static/$*/ea90b
endif

$(LIBCLI): $(CLI_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/static/main_collect.o: cli/main_ea90b.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -DEA90B_COLLECT_ONLY -c $< -o $@

ifneq ($(STATIC_FULL),)
$(BUILD)/static/ea90b: $(BUILD)/cli/main_ea90b.o $(LIBCLI) $(LIBREP) $(LIBCOL) $(LIBEA)
	@for a in $(STATIC_BASE); do [ -f "$$a" ] || { echo "make static: $$a is missing" >&2; exit 1; }; done
	@mkdir -p $(dir $@)
	$(CC) -static $(LDFLAGS_ALL) $^ -o $@ $(STATIC_FULL) $(STATIC_BASE) -lm -lpthread
	@echo "static ea90b (all commands): $@"
else
$(BUILD)/static/ea90b: $(BUILD)/static/main_collect.o $(LIBCLI) $(LIBREP) $(LIBCOL) $(LIBEA)
	@for a in $(STATIC_BASE); do [ -f "$$a" ] || { echo "make static: $$a is missing" >&2; exit 1; }; done
	@mkdir -p $(dir $@)
	$(CC) -static $(LDFLAGS_ALL) $^ -o $@ $(STATIC_BASE) -lm -lpthread
	@echo "static ea90b (collect, probe, verify; no $(DIVSUFSORT_A) for the rest): $@"
endif

# --------------------------------------------------------------- arm64
# make check-arm64: cross-build the suite for aarch64 with -Werror (Debian's
# gcc-aarch64-linux-gnu and the arm64 libraries; objects in $(ARM64_BUILD)), then
# run under qemu-aarch64 (qemu-user, started by binfmt_misc) the unit tests, the
# static ea90b's probe (cntvct_el0) and the collector's CLI tests: tests/arm64/run.sh.
# Timings under emulation are meaningless; it says so. make check runs it when
# scripts/install-deps.sh --arm64 finds everything there. ARM64_LIBDIR: where it
# unpacks Criterion for arm64 when apt cannot install it beside the host's (Debian
# 12); the unit tests are then linked with it as their rpath.
ARM64_BUILD ?= $(CHECK_BUILD)/aarch64
ARM64_LIBDIR ?= /usr/local/lib/ea90b-arm64
ARM64_DEPS = EA90B_ARM64_LIBDIR=$(ARM64_LIBDIR) sh scripts/install-deps.sh --arm64
ARM64_MAKE = $(MAKE) --no-print-directory $(PAR) ARCH= SANITIZE= BUILD=$(ARM64_BUILD) CC=aarch64-linux-gnu-gcc \
  AR=aarch64-linux-gnu-ar WERROR=1
.PHONY: check-arm64
check-arm64:
	@$(ARM64_DEPS)
	@$(ARM64_MAKE) all $(addprefix $(ARM64_BUILD)/,static/ea90b tests/jsontool tests/collect_hooks \
	  tests/fake_recorder)
	@if [ -e $(ARM64_LIBDIR)/libcriterion.so ]; then $(ARM64_MAKE) LDFLAGS="-L$(ARM64_LIBDIR) \
	  -Wl,-rpath,$(ARM64_LIBDIR) -Wl,-rpath-link,$(ARM64_LIBDIR) -Wl,--disable-new-dtags $(LDFLAGS)" \
	  $(ARM64_BUILD)/tests/unit_tests; else $(ARM64_MAKE) $(ARM64_BUILD)/tests/unit_tests; fi
	@sh tests/arm64/run.sh $(ARM64_BUILD)

# ------------------------------------------------------------- install
# The installed libraries export only what the installed headers declare.
# Each is one relocatable object (ld -r) whose other global symbols are
# made local (objcopy --keep-global-symbols), so the internals can neither
# be called nor collide with a program's own names. The list of exported
# names comes from the headers themselves (gcc -aux-info), so it cannot
# drift from them. The build's own archives keep every symbol (the tests
# and the commands use internals).
PUBLIC_HEADERS := $(sort $(wildcard include/*.h))
PUBSYMS    := $(BUILD)/lib/public.syms
INST_LIBS  := $(BUILD)/lib/libea90b.a $(BUILD)/lib/libea90b_collect.a
EA90B_VERSION := $(shell sed -n 's/^\#define EA90B_VERSION "\(.*\)"/\1/p' include/ea90b.h)

$(PUBSYMS): $(PUBLIC_HEADERS)
	@mkdir -p $(dir $@)
	printf '#include "%s"\n' $(notdir $(PUBLIC_HEADERS)) | \
	  $(CC) -std=c11 -Iinclude -aux-info $@.aux -x c -c -o /dev/null -
	sed -n 's|^/\* include/[^ ]* \*/ .*[ *]\([A-Za-z_][A-Za-z_0-9]*\) (.*|\1|p' $@.aux | sort -u >$@
	rm -f $@.aux

# $(call public_lib,OBJECTS): the archive $@ of OBJECTS, exporting $(PUBSYMS) only
define public_lib
	@mkdir -p $(dir $@)
	$(LD) -r -o $(@:.a=.o) $(1)
	$(OBJCOPY) --keep-global-symbols=$(PUBSYMS) $(@:.a=.o)
	rm -f $@ && $(AR) rcs $@ $(@:.a=.o)
endef

$(BUILD)/lib/libea90b.a: $(LIB_OBJ) $(PUBSYMS)
	$(call public_lib,$(LIB_OBJ))

$(BUILD)/lib/libea90b_collect.a: $(COL_OBJ) $(PUBSYMS)
	$(call public_lib,$(COL_OBJ))

$(BUILD)/ea90b.pc: ea90b.pc.in include/ea90b.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(EA90B_VERSION)|' \
	    -e 's|@LIBDIR@|$(patsubst $(PREFIX)/%,$${prefix}/%,$(LIBDIR))|' \
	    -e 's|@INCLUDEDIR@|$(patsubst $(PREFIX)/%,$${prefix}/%,$(INCLUDEDIR))|' $< >$@

# man/: ea90b(1), ea90b-collection(5) and one page per drop-in in section
# 1ea90b (as Debian's openssl uses 1ssl), so none shares a file name with the
# reference tool's pages; completion/ea90b serves ea90b and the drop-ins.
DROPINS    := $(filter-out ea90b,$(FRONTS))
DOC_FILES  := $(wildcard docs/*.md)
DOC_DIRS   := $(sort $(patsubst %/,%,$(dir $(shell find docs -mindepth 2 -type f))))

install: all $(INST_LIBS) $(BUILD)/ea90b.pc
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DROPINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig \
	  $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(MANDIR)/man1 \
	  $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(BASHCOMPDIR)
	install -m 0755 $(BUILD)/bin/ea90b $(DESTDIR)$(PREFIX)/bin/
	install -m 0755 $(DROPINS:%=$(BUILD)/bin/%) $(DESTDIR)$(DROPINDIR)/
	install -m 0644 $(INST_LIBS) $(DESTDIR)$(LIBDIR)/
	install -m 0644 $(PUBLIC_HEADERS) $(DESTDIR)$(INCLUDEDIR)/
	install -m 0644 $(BUILD)/ea90b.pc $(DESTDIR)$(LIBDIR)/pkgconfig/
	install -m 0644 man/*.1 man/*.1ea90b $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 man/*.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 completion/ea90b $(DESTDIR)$(BASHCOMPDIR)/ea90b
	for p in $(DROPINS); do ln -sf ea90b $(DESTDIR)$(BASHCOMPDIR)/$$p; done
	install -m 0644 examples/record.c $(DESTDIR)$(DOCDIR)/examples/
	install -m 0644 README.md NEWS.md LICENSE $(DOC_FILES) $(DESTDIR)$(DOCDIR)/
	for d in $(DOC_DIRS); do install -d $(DESTDIR)$(DOCDIR)/$${d#docs/} && \
	  install -m 0644 $$(find $$d -maxdepth 1 -type f) $(DESTDIR)$(DOCDIR)/$${d#docs/}/ || exit 1; done

# ----------------------------------------------------------------- deb
# make deb: the Debian packages ea90b, libea90b-dev and ea90b-doc (debian/),
# built with dpkg-buildpackage -us -uc -b from a copy of the source tree in
# build/deb/ea90b-VERSION (git's files, or everything but build/), so the
# .deb files land in build/deb/ and nothing is written outside the tree.
# make check-deb then runs lintian on them and the autopkgtests (debian/tests)
# on this machine, installing the packages (as root; docs/install.md).
DEB_DIR := $(BUILD)/deb
DEB_SRC := $(DEB_DIR)/ea90b-$(EA90B_VERSION)
.PHONY: deb check-deb
deb:
	@sh scripts/install-deps.sh --deb
	@sh scripts/deb.sh build $(DEB_DIR) $(EA90B_VERSION)

check-deb: deb
	@sh scripts/deb.sh check $(DEB_DIR) $(EA90B_VERSION)

# --------------------------------------------------------------- image
# make image: the collector image, deploy/container/Containerfile (FROM scratch,
# the static ea90b, user 65532), built per architecture with Debian's buildah or
# podman without network, and the manifest list $(IMAGE):VERSION holding them;
# make check-image runs it with podman (docs/container.md)
IMAGE ?= localhost/ea90b
IMAGE_ARGS = "$(SUBMAKE)" $(BUILD) $(IMAGE):$(EA90B_VERSION) $(EA90B_VERSION) $(shell $(CC) -dumpmachine)
# (not "$(MAKE)" in the recipes: make -n would run them)
SUBMAKE = $(MAKE)
.PHONY: image check-image
image: static
	@sh scripts/container-image.sh build $(IMAGE_ARGS)

check-image: image
	@sh scripts/container-image.sh run $(IMAGE_ARGS)

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
