# sctpsh — GNU make + pkg-config.
#   make            build ./sctpsh
#   make check      install missing Debian packages (as root), unit tests, then lab tests
#   make demo       the handover study in the lab (scripts/handover.tcl)
#   make install    PREFIX=/usr/local DESTDIR=

PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR   = $(PREFIX)/bin
DATADIR  = $(PREFIX)/share/sctpsh
MANDIR   = $(PREFIX)/share/man/man1

CC      ?= gcc
PKGS     = libedit libcjson tcl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null | sed 's/-ltclstub[0-9.]*//')
WARN     = -Wall -Wextra -Werror -Wno-missing-field-initializers
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=gnu11 $(WARN) $(CFLAGS) $(PKG_CFLAGS) -Ishell -DSH_DATADIR='"$(DATADIR)"'
LIBS     = $(PKG_LIBS) -lsctp -lnettle
SAN      = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

SRCS := $(wildcard shell/*.c shell/kern/*.c shell/wire/*.c shell/engine/*.c shell/uep/*.c cmds/*.c)
HDRS := $(wildcard shell/*.h shell/kern/*.h shell/wire/*.h shell/engine/*.h shell/uep/*.h cmds/*.h)
OBJS := $(SRCS:%.c=build/rel/%.o)
AOBJS := $(SRCS:%.c=build/asan/%.o)
# The Tcl package (package require sctpsh): the same sources but main.c, -fPIC,
# through Tcl's stubs so the library loads into any Tcl 8.6 (shell/pkg.c).
POBJS := $(filter-out build/pic/shell/main.o,$(SRCS:%.c=build/pic/%.o))
TCLPKG   = build/sctpsh$(SCTPSH_VERSION)
SCTPSH_VERSION := $(shell sed -n 's/^\#define SCTPSH_VERSION "\(.*\)"/\1/p' shell/sctpsh.h)
DEB_HOST_MULTIARCH ?= $(shell dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || $(CC) -print-multiarch)
# Debian's Tcl policy: a binary extension in /usr/lib/tcltk/MULTIARCH/NAMEVERSION;
# under another prefix $(PREFIX)/lib/tcltk, which Debian's tclsh also searches.
TCLLIBDIR ?= $(if $(filter /usr,$(PREFIX)),$(PREFIX)/lib/tcltk/$(DEB_HOST_MULTIARCH),$(PREFIX)/lib/tcltk)

# Debian packages the build, the tests and the lab need.
DEB_PKGS = build-essential pkg-config libsctp-dev lksctp-tools libedit-dev libcjson-dev \
	   tcl-dev tcl libcmocka-dev nettle-dev clang libclang-rt-14-dev qemu-system-x86 busybox-static \
	   debhelper lintian dpkg-dev \
	   cpio kmod xz-utils iproute2 ethtool nftables iputils-ping util-linux python3 tshark tmux libxml2-utils librsvg2-bin iperf3

.PHONY: all deps check demo install clean unit lab-test lab-shell bench asan man tclpkg img
all: sctpsh docs/sctpsh.1 build/wayout

# The handover study's way out (b), in plain socket-API C (docs/wayout.c).
build/wayout: docs/wayout.c
	@mkdir -p build
	$(CC) -std=gnu11 $(WARN) $(CFLAGS) -o $@ $< -lsctp

sctpsh: $(OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LIBS)

# The sanitizer build the lab tests run (ASan + UBSan).
asan: sctpsh-asan
sctpsh-asan: $(AOBJS)
	$(CC) $(ALL_CFLAGS) $(SAN) -o $@ $(AOBJS) $(LIBS)

build/rel/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	@echo "  CC $<"; $(CC) $(ALL_CFLAGS) -c -o $@ $<

build/asan/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	@echo "  CC(asan) $<"; $(CC) $(ALL_CFLAGS) -O1 $(SAN) -c -o $@ $<

# The Tcl package, loadable from the build tree: TCLLIBPATH=$(CURDIR)/build tclsh8.6
tclpkg: $(TCLPKG)/libsctpsh.so $(TCLPKG)/pkgIndex.tcl
$(TCLPKG)/libsctpsh.so: $(POBJS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -shared -Wl,-z,defs -o $@ $(POBJS) $(PKG_LIBS:-ltcl%=) -ltclstub8.6 -lsctp -lnettle
$(TCLPKG)/pkgIndex.tcl: shell/pkgIndex.tcl.in shell/sctpsh.h
	@mkdir -p $(dir $@)
	sed 's/@VERSION@/$(SCTPSH_VERSION)/g' $< > $@
build/pic/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	@echo "  CC(pic) $<"; $(CC) $(ALL_CFLAGS) -fPIC -DUSE_TCL_STUBS -c -o $@ $<

# Install what is missing when root; otherwise print the exact apt-get line.
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
	  else \
	    echo "missing Debian packages; run:"; echo "  sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

-include tests/unit/Makefile.wire
-include tests/unit/Makefile.units
-include tests/unit/Makefile.engine

# Host tests (no SCTP needed), then the lab tests in one lab boot.
check: deps
	$(MAKE) all sctpsh-asan
	tests/check

unit: all
	tests/run-host

demo: deps
	$(MAKE) all
	scripts/sctplab run ./sctpsh scripts/handover.tcl

# The lab alone, an sctpsh prompt in it, and the benchmarks (figures, not tests).
lab-test:
	scripts/sctplab run tests/lab/run
lab-shell: sctpsh
	scripts/sctplab shell
# The lessons as pictures (docs/img, checked in): each lesson runs live in the
# lab and its trace is drawn (scripts/img.tcl).
img: all
	scripts/sctplab run ./sctpsh --no-socket scripts/img.tcl

bench: all
	bench/run

man: docs/sctpsh.1
# The COMMANDS section comes from the command table, so it cannot drift.
docs/sctpsh.1: docs/sctpsh.1.in sctpsh
	@./sctpsh --man-commands > build/commands.man
	@sed -e '/@COMMANDS@/{r build/commands.man' -e 'd}' -e "s/@VERSION@/$$(./sctpsh --version | cut -d' ' -f2)/" $< > $@

install: sctpsh docs/sctpsh.1 tclpkg
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR) $(DESTDIR)$(MANDIR) \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
	  $(DESTDIR)$(TCLLIBDIR)/sctpsh$(SCTPSH_VERSION)
	install -m 644 $(TCLPKG)/libsctpsh.so $(TCLPKG)/pkgIndex.tcl $(DESTDIR)$(TCLLIBDIR)/sctpsh$(SCTPSH_VERSION)/
	install -m 755 sctpsh $(DESTDIR)$(BINDIR)/sctpsh
	install -m 644 docs/sctpsh.1 $(DESTDIR)$(MANDIR)/sctpsh.1
	install -m 644 completions/sctpsh.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/sctpsh
	install -m 644 completions/_sctpsh $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_sctpsh
	cp -R scripts/. $(DESTDIR)$(DATADIR)/
	chmod -R a+rX $(DESTDIR)$(DATADIR)

clean:
	rm -rf build sctpsh sctpsh-asan
