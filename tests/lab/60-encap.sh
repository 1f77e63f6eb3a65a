#!/bin/bash
# labnet encap on: SCTP over UDP port 9899 (RFC 6951) carries an association.
. "$(dirname -- "$0")/lib.sh"
"$LABNET" status >/dev/null || "$LABNET" up
"$LABNET" encap on
v=$("$LABNET" exec A sh -c 'echo $(cat /proc/sys/net/sctp/udp_port) $(cat /proc/sys/net/sctp/encap_port)')
check "encap on sets net.sctp.udp_port and encap_port to 9899 ($v)" test "$v" = "9899 9899"
out=$("$PY" "$KIT" send A 198.51.100.1 B 198.51.100.2 5 --capture lab:A-lan1 --udp 9899)
echo "  sctpkit: $out"
udp=$(sed -n 's/.*"udp_packets": \([0-9]*\).*/\1/p' <<<"$out")
plain=$(sed -n 's/.*"sctp_packets": \([0-9]*\).*/\1/p' <<<"$out")
check "association over UDP delivers 5 messages" grep -q '"delivered": 5, "in_order": true' <<<"$out"
check "capture: SCTP inside UDP to port 9899 ($udp packets), no plain SCTP ($plain)" sh -c "[ '${udp:-0}' -gt 0 ] && [ '${plain:-1}' = 0 ]"
# the same with a real decoder, when tshark is around
if command -v dumpcap >/dev/null && command -v tshark >/dev/null && [ -z "${LAB_NO_TSHARK:-}" ]; then
	pcap=$(mktemp /tmp/encap.XXXXXX.pcap)
	"$LABNET" exec lab dumpcap -q -i A-lan1 -f udp -w "$pcap" -a duration:30 -c 8 >/dev/null 2>&1 &
	cap=$!
	sleep 3
	"$PY" "$KIT" send A 198.51.100.1 B 198.51.100.2 2 >/dev/null
	wait $cap
	dec=$(tshark -r "$pcap" -Y 'udp.dstport == 9899 && sctp' -T fields -e udp.dstport -e sctp.chunk_type 2>/dev/null | head -n 3)
	echo "  tshark: $(tr '\n' ' ' <<<"$dec")"
	check "tshark decodes SCTP in UDP to port 9899" grep -q '^9899' <<<"$dec"
	rm -f "$pcap"
fi
"$LABNET" encap off
v=$("$LABNET" exec A sh -c 'echo $(cat /proc/sys/net/sctp/udp_port) $(cat /proc/sys/net/sctp/encap_port)')
check "encap off sets them back to 0 ($v)" test "$v" = "0 0"
out=$("$PY" "$KIT" send A 198.51.100.1 B 198.51.100.2 2 --capture lab:A-lan1 --udp 9899)
check "after encap off: plain SCTP again ($out)" bash -c "grep -q '\"udp_packets\": 0' <<<'$out' && grep -q '\"delivered\": 2' <<<'$out'"
finish
