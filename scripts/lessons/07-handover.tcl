# Lesson: Handover to a new direct association (way out (b) of docs/handover.md)
# RFC: RFC 9260 §5.1 Normal Establishment of an Association (DATA with COOKIE ECHO), RFC 6458 §3.1 (implicit association setup on a one-to-many socket), RFC 9260 §8.5 Verification Tag
# Run: lesson 07-handover [--step]
source [file join [file dirname [info script]] lib.tcl]

say "The handover study (docs/handover.md): media flows A -> B, and should move\
to C. Moving an address into the A-B association breaks SCTP's rules (one\
TCB per association, §8.5 tags). What works: B tells A, in-band, to open a\
new association to C; A's application just sends to C's address on its\
one-to-many socket - an implicit association setup - and the first media\
message rides in the COOKIE ECHO packet (RFC 9260 §5.1)."
fresh
set a1 [connect 198.51.100.2]
set b1 [dict get [on B {wait assoc-change}] assoc]
send --assoc $a1 --stream 1 "media 1"
on B {recv --timeout 3000}

say "B tells A where the media goes now (stream 0: control)."
on B [list send --assoc $b1 --stream 0 "move media to 198.51.100.3"]
set cmd [recv --timeout 3000]

say "A sends the next media message to C's address: no connect call."
send --to 198.51.100.3 --stream 1 "media 2"
set c1 [on C {wait assoc-change --timeout 5000}]
set m2 [on C {recv --timeout 5000}]
chunks {INIT INIT-ACK COOKIE-ECHO DATA COOKIE-ACK} --host C

say "A-B lives on: control still flows."
send --assoc $a1 --stream 0 "handover done"
set m3 [on B {recv --timeout 3000}]

say "Checks:"
expect $cmd data "move media to 198.51.100.3" --msg "A got the instruction on A-B"
expect $c1 event assoc-change state comm-up --msg "C has a new association with A"
expect $m2 stream 1 data "media 2" from 198.51.100.1 --msg "the media message arrived at C directly"
set echo [lindex [chunklist COOKIE-ECHO --to C] 0]
set first [lindex [chunklist DATA --to C] 0]
expect [dict get $first time] --is [dict get $echo time] --msg "the first DATA rode in the COOKIE ECHO packet (RFC 9260 §5.1)"
expect [llength [lmap r [assocs] {expr {[dict get $r host] eq "A" ? $r : [continue]}}]] --is 2 --msg "A now has two associations: A-B and A-C"
expect $m3 stream 0 data "handover done" --msg "A-B is untouched"
