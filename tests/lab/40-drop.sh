#!/bin/bash
# labnet drop: exactly the next K matching packets are dropped (nf_tables
# counters and an AF_PACKET capture on the bridge side agree); the SCTP
# association recovers by retransmission.
. "$(dirname -- "$0")/lib.sh"
"$LABNET" status >/dev/null || "$LABNET" up
"$LABNET" drop A --clear
K=3
"$LABNET" drop A --lan 1 --chunk DATA --count $K
check "drop rule listed" sh -c "'$LABNET' drop A --show | grep -q 'chunk=0 .*count=$K: matched 0, dropped 0 of $K'"
out=$("$PY" "$KIT" send A 198.51.100.1 B 198.51.100.2 10 --capture lab:A-lan1)
echo "  sctpkit: $out"
show=$("$LABNET" drop A --show)
echo "  $show"
matched=$(sed -n 's/.*matched \([0-9]*\),.*/\1/p' <<<"$show")
dropped=$(sed -n 's/.*dropped \([0-9]*\) of.*/\1/p' <<<"$show")
seen=$(sed -n 's/.*"first_chunk": {[^}]*"0": \([0-9]*\).*/\1/p' <<<"$out")
check "all 10 messages delivered in order despite the drops" grep -q '"delivered": 10, "in_order": true' <<<"$out"
check "counter: exactly $K DATA packets dropped (dropped=$dropped)" test "$dropped" = $K
check "counter: more DATA packets matched than dropped (matched=$matched)" test "${matched:-0}" -gt $K
check "capture on the bridge port saw matched-dropped DATA packets ($seen = $matched - $dropped)" test "${seen:-x}" = "$((matched - dropped))"
"$LABNET" drop A --clear
check "drop --clear removes the rules" sh -c "'$LABNET' drop A --show | grep -q 'no drop rules'"
# an INIT dropped once: the association still comes up, after one INIT retransmission
"$LABNET" drop B --lan 2 --chunk INIT --dst 203.0.113.3 --count 1
out=$("$PY" "$KIT" send B 203.0.113.2 C 203.0.113.3 2)
show=$("$LABNET" drop B --show)
echo "  $show"
check "INIT dropped exactly once and the association is established ($show)" bash -c "grep -q 'matched 2, dropped 1 of 1' <<<'$show' && grep -q '\"delivered\": 2' <<<'$out'"
"$LABNET" drop B --clear
# IPv6, with a source address
"$LABNET" drop C --lan 1 --chunk DATA --src 2001:db8:1::3 --dst 2001:db8:1::1 --count 2
out=$("$PY" "$KIT" send C 2001:db8:1::3 A 2001:db8:1::1 5)
show=$("$LABNET" drop C --show)
echo "  $show"
check "IPv6: exactly 2 DATA packets dropped, all 5 messages delivered ($show)" bash -c "grep -q 'dropped 2 of 2' <<<'$show' && grep -q '\"delivered\": 5, \"in_order\": true' <<<'$out'"
"$LABNET" drop C --clear
finish
