# Lesson: Multihoming and failover
# RFC: RFC 9260 §6.4 Multi-Homed SCTP Endpoints, §6.4.1 Failover from an Inactive Destination Address, §8.2 Path Failure Detection, §8.3 Path Heartbeat
# Run: lesson 03-failover [--step]
source [file join [file dirname [info script]] lib.tcl]

say "Each lab host has addresses on two LANs. One association between A and B\
knows all of them (INIT and INIT ACK list them, RFC 9260 §5.1.2): one primary\
path, the others in reserve, all watched by HEARTBEATs (§8.3)."
fresh
set a1 [connect 198.51.100.2]
set b1 [dict get [on B {wait assoc-change}] assoc]
set st [status --assoc $a1]
lmap p [dict get $st paths] {list [dict get $p addr] [dict get $p state] primary [dict get $p primary]}

say "LAN 1 of B goes down. A keeps sending to the primary 198.51.100.2 until\
the retransmission timer expires; a retransmission goes to another active\
address (§6.4). After Path.Max.Retrans errors in a row the path is inactive\
(§8.2) and the user is told (peer-addr-change unreachable)."
lab link B --lan 1 --down
send --assoc $a1 "sent while LAN 1 is down"
set m [on B {recv --timeout 15000}]
set down [addr_event 198.51.100.2 unreachable 20000 --assoc $a1]
chunks {DATA SACK} --from A

say "LAN 1 comes back: HEARTBEATs find the address alive again (§8.3)."
lab link B --lan 1 --up
set up [addr_event 198.51.100.2 available 20000 --assoc $a1]
send --assoc $a1 "after the repair"
set m2 [on B {recv --timeout 5000}]

say "Checks:"
expect [llength [dict get $st paths]] --is 4 --msg "A knows four addresses of B (IPv4 and IPv6 on two LANs)"
expect $st primary 198.51.100.2 --msg "the primary path is the address A connected to"
expect $m data "sent while LAN 1 is down" --msg "the message got through on LAN 2"
expect [field DATA dst --from A --where {sid 0 ssn 0}] --is 198.51.100.2 --msg "first sent on the primary path"
expect [expr {[dict get [lindex [chunklist DATA --from A --where {sid 0 ssn 0}] end] dst] ni {198.51.100.2 2001:db8:1::2}}] --is 1 --msg "retransmitted to an address on LAN 2 (§6.4)"
expect $down state unreachable --msg "the primary path was declared inactive (§8.2)"
expect $up state available --msg "and active again after the repair (§8.3)"
expect $m2 data "after the repair" --msg "and the association goes on"
