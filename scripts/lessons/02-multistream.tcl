# Lesson: Multistreaming without head-of-line blocking
# RFC: RFC 9260 §6.5 Stream Identifier and Stream Sequence Number, §6.6 Ordered and Unordered Delivery, §6.2 Acknowledgement on Reception of DATA Chunks
# Run: lesson 02-multistream [--step]
source [file join [file dirname [info script]] lib.tcl]

say "One association carries several streams. Order is kept per stream (the\
Stream Sequence Number, RFC 9260 §6.5), so a message lost on stream 1 holds\
back the later messages of stream 1 only - stream 2 goes on (§6.6). TCP has\
one byte stream: one loss stops everything behind it."
fresh
say "So that each message leaves at once and a loss is repaired only after a\
full second, A turns off bundling delay (Nagle) and fixes its RTO to 1 s."
opt set nodelay 1
opt set rtoinfo initial 1000 min 1000 max 1000
set a1 [connect 198.51.100.2 --streams 4]
set b1 [dict get [on B {wait assoc-change}] assoc]

say "The lab drops exactly the next packet from A that starts with DATA."
lab drop A --chunk DATA --count 1
send --assoc $a1 --stream 1 "stream 1, first (lost on the wire)"
send --assoc $a1 --stream 2 "stream 2, first"

say "B delivers stream 2's message at once, although the TSN before it is missing."
set m1 [on B {recv --timeout 3000}]

say "B's SACK reports the hole: cum_tsn stays before the lost TSN, a gap block\
covers the one that arrived (§6.2). A retransmits the lost DATA when its\
retransmission timer expires (RTO; T3-rtx, §6.3.3)."
set m2 [on B {recv --timeout 5000}]
chunks {DATA SACK}

say "Now the same loss, but both messages on stream 1: the second one must wait."
lab drop A --chunk DATA --count 1
send --assoc $a1 --stream 1 "stream 1, second (lost on the wire)"
send --assoc $a1 --stream 1 "stream 1, third"
set held [catch {on B {recv --timeout 300}}]
set m3 [on B {recv --timeout 5000}]
set m4 [on B {recv --timeout 5000}]

say "Checks:"
expect $m1 stream 2 ssn 0 data "stream 2, first" --msg "stream 2 is not blocked by the loss on stream 1"
expect $m2 stream 1 ssn 0 data "stream 1, first (lost on the wire)" --msg "the lost message arrives later, retransmitted"
expect [expr {[dict get $m2 tsn] < [dict get $m1 tsn]}] --is 1 --msg "stream 2's message has the higher TSN, yet was delivered first"
expect [expr {[llength [chunklist SACK --where {n_gaps 1}]] > 0}] --is 1 --msg "a SACK reported a gap (§6.2)"
expect $held --is 1 --msg "within one stream, the third message waits for the second (ordered delivery, §6.6)"
expect $m3 stream 1 ssn 1 data "stream 1, second (lost on the wire)" --msg "the retransmitted message first"
expect $m4 stream 1 ssn 2 data "stream 1, third" --msg "then the one that waited"
