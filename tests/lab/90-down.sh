#!/bin/bash
# labnet down leaves nothing: no lab namespaces, no links in the root
# namespace that were not there before, no state.
. "$(dirname -- "$0")/lib.sh"
before=${LAB_LINKS_BEFORE:-}
"$LABNET" up >/dev/null
# a process left inside a lab namespace must not keep it alive
"$LABNET" exec B sleep 300 &
sleep 0.5
"$LABNET" down
check "labnet down succeeds" test $? = 0
wait 2>/dev/null
check "labnet status says down" sh -c "! '$LABNET' status >/dev/null"
for n in A B C lab; do
	check "namespace $n is gone" test ! -e "/run/netns/$n"
done
check "no lab state left (${LABNET_STATE:-/run/labnet})" test ! -e "${LABNET_STATE:-/run/labnet}"
after=$(ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort | tr '\n' ' ')
if [ -n "$before" ]; then
	check "root namespace links as before the lab ($after)" test "$before" = "$after"
fi
check "no lab interfaces in the root namespace" sh -c "! ip -o link show | grep -Eq ': (br[12]|[ABC]-lan[12]|lan[12])[:@]'"
"$LABNET" down
check "labnet down again is harmless" test $? = 0
finish
