# Lesson: Partial reliability (PR-SCTP) and FORWARD TSN
# RFC: RFC 3758 §3.5 Sender Side Implementation of PR-SCTP, §3.6 Receiver Side Implementation of PR-SCTP, §3.2 Forward Cumulative TSN Chunk Definition (FORWARD TSN), §3.4 Definition of "abandoned" in the context of PR-SCTP
# Run: lesson 05-prsctp [--step]
source [file join [file dirname [info script]] lib.tcl]

say "Some data is worth sending only while it is fresh (a video frame, a game\
state). PR-SCTP (RFC 3758) lets the sender give up - abandon - a message by a\
policy: a lifetime (--ttl MS) or a number of retransmissions (--rtx N). The\
sender then tells the receiver to move on with a FORWARD TSN chunk (§3.5),\
and the receiver skips the hole (§3.6)."
fresh
opt set nodelay 1
set a1 [connect 198.51.100.2]
set b1 [dict get [on B {wait assoc-change}] assoc]

say "The next DATA from A is dropped on the wire. Its message may be\
retransmitted 0 times (--rtx 0): when the timer fires, A abandons it. Frame 2\
arrives, but B must hold it: ordered stream 1 still waits for frame 1 - until\
the FORWARD TSN says frame 1 will never come."
lab drop A --chunk DATA --count 1
send --assoc $a1 --stream 1 --rtx 0 "frame 1 (lost, abandoned)"
send --assoc $a1 --stream 1 "frame 2"
set m [on B {recv --timeout 5000}]
chunks {DATA SACK FORWARD-TSN}

say "Checks:"
expect $m stream 1 ssn 1 data "frame 2" --msg "B delivers frame 2; frame 1 is never delivered"
expect [field DATA tsn --from A --where {sid 1 ssn 1}] --is [expr {[field FORWARD-TSN new_cum_tsn --from A] + 1}] --msg "FORWARD TSN's New Cumulative TSN is frame 1's TSN, just before frame 2's (§3.5)"
expect [field FORWARD-TSN streams --from A] --is {{sid 1 ssn 0}} --msg "it names the stream and SSN skipped, so ordered delivery on stream 1 goes on (§3.6)"
expect [llength [chunklist DATA --from A --where {sid 1 ssn 0}]] --is 0 --msg "frame 1 never reached the wire again: dropped once, then abandoned (--rtx 0)"
expect [catch {on B {recv --timeout 300}}] --is 1 --msg "nothing else arrives at B"
