#!/bin/bash
# A multi-homed association A->B survives LAN1 of A going down: the data
# moves to LAN2, the LAN1 path is marked inactive, the association stays.
. "$(dirname -- "$0")/lib.sh"
"$LABNET" status >/dev/null || "$LABNET" up
"$PY" "$KIT" failover
r=$?
"$LABNET" link A --lan 1 --up
[ $r = 0 ]
