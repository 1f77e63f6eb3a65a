#!/bin/bash
# The lab runs where SCTP exists; a nested 'sctplab run' there takes the
# direct path (same kernel instance, no second VM).
. "$(dirname -- "$0")/lib.sh"
check "SCTP exists here (/proc/net/sctp)" test -e /proc/net/sctp
out=$("$SCTPLAB" direct-ok)
check "sctplab direct-ok says yes ($out)" "$SCTPLAB" direct-ok
b1=$(cat /proc/sys/kernel/random/boot_id)
t0=$(date +%s%N)
b2=$("$SCTPLAB" run cat /proc/sys/kernel/random/boot_id)
ms=$((($(date +%s%N) - t0) / 1000000))
check "nested sctplab run takes the direct path (same boot id, ${ms} ms)" test "$b1" = "$b2"
"$SCTPLAB" run sh -c 'exit 42'
check "sctplab run returns the command's status" test $? = 42
if [ -n "${SCTPLAB_IN_VM:-}" ]; then
	pass "running inside the sctplab VM (kernel $(uname -r))"
	check "the checkout is writable in the VM" sh -c "touch '$REPO/.sctplab-rw-test' && rm '$REPO/.sctplab-rw-test'"
fi
finish
