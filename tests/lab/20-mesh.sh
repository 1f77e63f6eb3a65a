#!/bin/bash
# Every directed pair reaches the other over IPv4 and IPv6 on both LANs with
# an SCTP association (24 associations), and pings work on all of them.
. "$(dirname -- "$0")/lib.sh"
"$LABNET" status >/dev/null || "$LABNET" up
"$PY" "$KIT" mesh || FAILS=$((FAILS + 1))
# ICMP too, one ping per address family and LAN from each host
for h in A B C; do
	for dst in 198.51.100 203.0.113 2001:db8:1: 2001:db8:2:; do
		case $h in A) t=2 ;; B) t=3 ;; C) t=1 ;; esac
		case $dst in *:) a=$dst:$t ;; *) a=$dst.$t ;; esac
		check "ping $h -> $a" inhost $h sh -c "ping -c 1 -W 2 $a >/dev/null"
	done
done
[ "$FAILS" = 0 ]
