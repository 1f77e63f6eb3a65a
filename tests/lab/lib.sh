# shellcheck shell=bash
# Shared helpers for the lab tests (sourced).  Each test prints PASS:/FAIL:
# lines and exits non-zero when any FAIL was printed.
LAB_TESTS=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd -- "$LAB_TESTS/../.." && pwd)
LABNET=$REPO/scripts/labnet
SCTPLAB=$REPO/scripts/sctplab
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
KIT=$LAB_TESTS/sctpkit.py
FAILS=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
check() { # DESCRIPTION CMD... : PASS when CMD succeeds
	local d=$1
	shift
	if "$@"; then pass "$d"; else fail "$d"; fi
}
finish() { [ "$FAILS" = 0 ]; exit $?; }
lab_ping() { # HOST ARGS... : ping inside HOST (iputils ping, else busybox)
	local h=$1
	shift
	if command -v ping >/dev/null; then
		"$LABNET" exec "$h" ping "$@"
	else
		"$LABNET" exec "$h" busybox ping "$@"
	fi
}
# rtt average (ms) out of ping output on stdin; empty when none
rtt_avg() { sed -n 's|.*= [0-9.]*/\([0-9.]*\)/.*|\1|p' | head -n1; }
loss_pct() { sed -n 's|.* \([0-9.]*\)% packet loss.*|\1|p' | head -n1; }
# jfield JSON KEY : a top-level number out of sctpkit's one-line JSON
jfield() { printf '%s\n' "$1" | sed -n "s|.*\"$2\": \\([0-9a-z]*\\).*|\\1|p"; }
# run in a lab host's namespace without 'ip netns exec' remounting /sys
# (each of those costs about a second in the VM); labnet exec is tested too
inhost() { local h=$1; shift; nsenter --net="/run/netns/$h" "$@"; }
