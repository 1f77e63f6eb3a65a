# Lesson: Stream reset and adding streams (RE-CONFIG)
# RFC: RFC 6525 §5.1.2 Sender-Side Procedures for the Outgoing SSN Reset Request Parameter, §5.2.2 Receiver-Side Procedures for the Outgoing SSN Reset Request Parameter, §5.1.5 Sender-Side Procedures for the Add Outgoing Streams Request Parameter, §5.2.5 Receiver-Side Procedures for the Add Outgoing Streams Request Parameter, §6.3.1 Enable/Disable Stream Reset
# Run: lesson 06-reconf [--step]
source [file join [file dirname [info script]] lib.tcl]

say "RFC 6525 adds the RE-CONFIG chunk: a live association can reset a stream's\
sequence numbers to 0 (e.g. to reuse the stream for a new message flow) and\
add streams, without a new handshake. Both ends must have announced RE-CONFIG\
in the handshake (the lab sets net.sctp.reconf_enable=1) and the receiver must\
allow the request (§6.3.1: by default it is denied)."
fresh
on B {opt set enable-stream-reset flags {reset-streams add-streams}}
set a1 [connect 198.51.100.2]
set b1 [dict get [on B {wait assoc-change}] assoc]

say "Two messages on stream 1 (SSN 0 and 1)."
send --assoc $a1 --stream 1 one
send --assoc $a1 --stream 1 two
set m1 [on B {recv --timeout 3000}]
set m2 [on B {recv --timeout 3000}]

say "A resets its outgoing stream 1: Outgoing SSN Reset Request (§5.1.2). B\
answers in its own RE-CONFIG chunk with a Re-configuration Response."
set r [reset-streams 1 --out --assoc $a1 --wait 3000]
send --assoc $a1 --stream 1 three
set m3 [on B {recv --timeout 3000}]

say "A adds 2 outgoing streams (§5.1.5): from 10 to 12. Watch the event: Linux\
reports how many streams were added, where RFC 6525 §6.1.3 describes the new\
number of streams - status shows the totals."
set add [add-streams --out 2 --assoc $a1 --wait 3000]
send --assoc $a1 --stream 11 "on a new stream"
set m4 [on B {recv --timeout 3000}]
chunks RE-CONFIG

say "Checks:"
expect [list [dict get $m1 ssn] [dict get $m2 ssn]] --is {0 1} --msg "stream 1 counted SSN 0, 1"
expect [dict get $r event] event stream-reset --msg "A is told the reset was performed"
expect $m3 stream 1 ssn 0 data three --msg "after the reset stream 1 counts from SSN 0 again (§5.2.2)"
expect [status --assoc $a1] outstreams 12 --msg "A has 12 outgoing streams now (§5.1.5)"
expect [dict get $add event] event stream-change outstreams 2 --msg "Linux's stream-change event counts the streams added (2); RFC 6525 §6.1.3 describes the new total (12)"
expect $m4 stream 11 ssn 0 data "on a new stream" --msg "stream 11, new, starts at SSN 0"
expect [on B {status --assoc $b1}] instreams 12 --msg "and B 12 incoming ones"
expect [expr {[llength [chunklist RE-CONFIG --from A]] >= 2 && [llength [chunklist RE-CONFIG --from B]] >= 2}] --is 1 --msg "every request got a response in a RE-CONFIG chunk"
