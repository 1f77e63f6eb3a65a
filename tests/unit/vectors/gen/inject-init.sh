#!/bin/sh
sysctl -qw net.sctp.auth_enable=1 net.sctp.addip_enable=1 net.sctp.reconf_enable=1 net.sctp.intl_enable=1
ip link set lo up
tshark -i lo -w /root/kcap/inj.pcapng -f "sctp" >/root/kcap/tshark2.log 2>&1 &
tp=$!
sleep 3
python3 /root/kcap/inj.py
sleep 1
kill $tp; wait $tp
