# Lesson: ADD-IP (ASCONF) and changing the primary path
# RFC: RFC 5061 §4.1.1 Address Configuration Change Chunk (ASCONF), §4.2.1 Add IP Address, §4.2.4 Set Primary IP Address, §5.1 ASCONF Chunk Procedures, §5.2 Upon Reception of an ASCONF Chunk
# Run: lesson 04-addip [--step]
source [file join [file dirname [info script]] lib.tcl]

say "An association's addresses are fixed at the handshake - unless both ends\
support Dynamic Address Reconfiguration (RFC 5061). Then an endpoint can add\
or delete its addresses on a live association with an ASCONF chunk (§4.1.1),\
and ask the peer to use one of them as primary (Set Primary, §4.2.4)."
say "Linux cannot add addresses to a socket bound to the wildcard address, so\
A opens a socket bound to its LAN 1 address only (port 5001)."
fresh
set sk1 [socket --port 5001 --bind 198.51.100.1]
set a1 [connect 198.51.100.2 --socket $sk1]
set b1 [dict get [on B {wait assoc-change}] assoc]
set before [on B {status --assoc $b1}]
lmap p [dict get $before paths] {dict get $p addr}

say "A binds its LAN 2 address too: the kernel tells B with ASCONF ADD-IP\
(§5.1), B answers ASCONF-ACK (§5.2). ASCONF must be authenticated (RFC 4895),\
so the packet starts with an AUTH chunk."
addip 203.0.113.1 --socket $sk1
set added [on B {wait peer-addr-change --timeout 3000}]
chunks {ASCONF ASCONF-ACK}

say "Now A asks B to send to A's new address first: Set Primary IP Address\
(§4.2.4), again in an ASCONF."
setpeerprim 203.0.113.1 --socket $sk1
after 500
set after [on B {status --assoc $b1}]
lmap p [dict get $after paths] {list [dict get $p addr] primary [dict get $p primary]}
chunks {ASCONF ASCONF-ACK}

say "Checks:"
expect [lmap p [dict get $before paths] {dict get $p addr}] --is 198.51.100.1 --msg "at first B knows one address of A"
expect $added event peer-addr-change addr 203.0.113.1 state added --msg "B was told of the new address (§4.2.1)"
expect [lsort [lmap p [dict get $after paths] {dict get $p addr}]] --is {198.51.100.1 203.0.113.1} --msg "B has two paths to A now"
expect $after primary 203.0.113.1 --msg "B's primary path to A is A's new address (§4.2.4)"
expect [expr {[llength [chunklist ASCONF --from A]] >= 2 && [llength [chunklist ASCONF-ACK --from B]] >= 2}] --is 1 --msg "each change was an ASCONF answered by an ASCONF-ACK"
close $sk1
