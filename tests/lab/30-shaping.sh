#!/bin/bash
# labnet link: netem delay and loss measurably change RTT and loss; --clear
# restores; --lan limits it to one LAN.
. "$(dirname -- "$0")/lib.sh"
"$LABNET" status >/dev/null || "$LABNET" up
"$LABNET" link A --clear
base=$(inhost A ping -c 5 -i 0.1 -q 198.51.100.2 | rtt_avg)
check "baseline RTT A->B LAN1 measured (${base} ms)" test -n "$base"
"$LABNET" link A --lan 1 --delay 100
d1=$(inhost A ping -c 5 -i 0.1 -q 198.51.100.2 | rtt_avg)
d2=$(inhost A ping -c 5 -i 0.1 -q 203.0.113.2 | rtt_avg)
d6=$(inhost A ping -c 5 -i 0.1 -q 2001:db8:1::2 | rtt_avg)
check "--delay 100 on A LAN1: RTT A->B LAN1 ${d1} ms >= 100" awk "BEGIN{exit !($d1 >= 100 && $d1 >= $base + 90)}"
check "--delay 100 on A LAN1: IPv6 RTT A->B LAN1 ${d6} ms >= 100" awk "BEGIN{exit !($d6 >= 100)}"
check "--lan 1 leaves LAN2 alone: RTT A->B LAN2 ${d2} ms < 100" awk "BEGIN{exit !($d2 < 100)}"
"$LABNET" link A --lan 1 --jitter 20
show=$("$LABNET" show)
check "labnet show reports the shaping (delay 100ms jitter 20ms)" grep -q "lan1 (UP): 198.51.100.1 2001:db8:1::1  shaping: delay 100ms jitter 20ms" <<<"$show"
"$LABNET" link A --lan 2 --delay 10 --reorder 25
q=$(inhost A tc qdisc show dev lan2)
check "--reorder: netem on A LAN2 has delay 10ms and reorder 25% ($q)" eval '[[ $q == *netem* && $q == *"delay 10ms"* && $q == *"reorder 25%"* ]]'
"$LABNET" link A --clear
q=$(inhost A tc qdisc show dev lan1; inhost A tc qdisc show dev lan2)
check "--clear removes netem from both LANs" eval '[[ $q != *netem* ]]'
"$LABNET" link B --lan 2 --loss 50
l=$(inhost A ping -c 60 -i 0.02 -W 1 -q 203.0.113.2 | loss_pct)
check "--loss 50 on B LAN2: ping loss ${l}% between 20 and 80" awk "BEGIN{exit !(\"$l\" != \"\" && $l >= 20 && $l <= 80)}"
"$LABNET" link B --clear
l0=$(inhost A ping -c 20 -i 0.02 -W 1 -q 203.0.113.2 | loss_pct)
c=$(inhost A ping -c 5 -i 0.1 -q 198.51.100.2 | rtt_avg)
check "--clear: loss ${l0}% and RTT ${c} ms back to normal" awk "BEGIN{exit !(\"$l0\" == \"0\" && $c < 100)}"
"$LABNET" link C --lan 2 --down
st=$("$LABNET" exec C ip -o link show lan2)
check "--down takes C LAN2 down" grep -q 'state DOWN' <<<"$st"
check "C LAN2 unreachable while down" sh -c "! '$LABNET' exec A ping -c 1 -W 1 203.0.113.3 >/dev/null"
check "C LAN1 still reachable" sh -c "'$LABNET' exec A ping -c 1 -W 2 198.51.100.3 >/dev/null"
"$LABNET" link C --lan 2 --up
check "--up brings C LAN2 back (IPv4)" sh -c "'$LABNET' exec A ping -c 1 -W 2 203.0.113.3 >/dev/null"
check "--up brings C LAN2 back (IPv6, address kept)" sh -c "'$LABNET' exec A ping -c 1 -W 2 2001:db8:2::3 >/dev/null"
finish
