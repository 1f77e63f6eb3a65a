#!/bin/bash
# labnet up: three dual-homed hosts, addresses, sysctls, offloads; idempotent.
. "$(dirname -- "$0")/lib.sh"
"$LABNET" up
check "labnet up succeeds" test $? = 0
check "labnet status says up" "$LABNET" status
for h in A B C; do
	check "namespace $h exists" test -e "/run/netns/$h"
	n=$(case $h in A) echo 1 ;; B) echo 2 ;; C) echo 3 ;; esac)
	addrs=$(inhost "$h" ip -o addr show 2>/dev/null)
	for a in "198.51.100.$n/24 lan1" "203.0.113.$n/24 lan2" "2001:db8:1::$n/64 lan1" "2001:db8:2::$n/64 lan2"; do
		set -- $a
		check "$h has $1 on $2" grep -q "$2 .* $1 " <<<"$addrs"
	done
	check "$h: no tentative (DAD) addresses" eval '[[ $addrs != *tentative* ]]'
	sc=$(inhost "$h" sh -c 'cd /proc/sys/net/sctp && grep . addip_enable auth_enable prsctp_enable reconf_enable intl_enable rto_min rto_initial rto_max hb_interval sack_timeout' | tr '\n' ' ')
	check "$h net.sctp lab settings ($sc)" test "$sc" = "addip_enable:1 auth_enable:1 prsctp_enable:1 reconf_enable:1 intl_enable:1 rto_min:100 rto_initial:200 rto_max:1000 hb_interval:1000 sack_timeout:50 "
	if command -v ethtool >/dev/null; then
		k=$(inhost "$h" ethtool -k lan1)
		check "$h lan1: checksum offload and GSO off" eval '[[ $k == *"tx-checksumming: off"* && $k == *"generic-segmentation-offload: off"* && $k == *"tx-checksum-sctp: off"* ]]'
	fi
done
x=$("$LABNET" exec B ip -o -4 addr show dev lan2)
check "labnet exec B runs in host B" grep -q ' 203.0.113.2/24 ' <<<"$x"
before=$(for h in A B C; do inhost "$h" ip -o addr show; done | sed 's/valid_lft.*//' | sort)
"$LABNET" up
after=$(for h in A B C; do inhost "$h" ip -o addr show; done | sed 's/valid_lft.*//' | sort)
check "labnet up again (idempotent) leaves the addresses as they were" test "$before" = "$after"
j=$("$LABNET" show --json)
check "labnet show --json is JSON with three hosts" sh -c "'$PY' -c 'import json,sys; d=json.load(sys.stdin); assert d[\"up\"] and len(d[\"hosts\"])==3 and d[\"hosts\"][0][\"sctp\"][\"rto_min\"]==\"100\"'" <<<"$j"
"$LABNET" show | head -n 8
finish
