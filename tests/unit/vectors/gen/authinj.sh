#!/bin/sh
sysctl -qw net.sctp.auth_enable=1
ip link set lo up
cd /root/kcap2
tshark -i lo -w /root/kcap2/authinj.pcapng -f sctp >/root/kcap2/tshark.log 2>&1 &
tp=$!
sleep 3
./authinj &
ip=$!
sleep 0.5
python3 gen.py
wait $ip
sleep 1
kill $tp; wait $tp
