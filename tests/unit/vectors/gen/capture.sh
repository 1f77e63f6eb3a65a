#!/bin/sh
set -x
sysctl -w net.sctp.auth_enable=1 net.sctp.addip_enable=1 net.sctp.reconf_enable=1 net.sctp.intl_enable=1 net.sctp.prsctp_enable=1
ip link set lo up
ip addr add 127.0.0.2/8 dev lo 2>/dev/null
tshark -i lo -w /root/kcap/kernel.pcapng -f "sctp" >/root/kcap/tshark.log 2>&1 &
tp=$!
sleep 3
python3 /root/kcap/gen.py
sleep 2
kill $tp
wait $tp
ls -la /root/kcap
