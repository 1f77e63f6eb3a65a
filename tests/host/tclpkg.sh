#!/usr/bin/env bash
# The Tcl package in a plain tclsh8.6: build it, then tests/host/tclpkg.tcl
# with TCLLIBPATH at build/ (where build/sctpshV/pkgIndex.tcl is).
cd "$(dirname "$0")/../.." || exit 2
make -s sctpsh tclpkg >/dev/null || exit 1
TCLLIBPATH="$PWD/build" exec tclsh8.6 tests/host/tclpkg.tcl "$@"
