# Lesson: The four-way handshake and the state cookie
# RFC: RFC 9260 §5.1 Normal Establishment of an Association, §5.1.3 Generating State Cookie, §5.1.6 An Example of Normal Association Establishment, §8.5 Verification Tag
# Run: lesson 01-handshake [--step]   (or: sctpsh --step scripts/lessons/01-handshake.tcl)
source [file join [file dirname [info script]] lib.tcl]

say "SCTP opens an association with four chunks: INIT, INIT ACK, COOKIE ECHO,\
COOKIE ACK (RFC 9260 §5.1). The server (B) answers INIT without keeping any\
state: everything it needs goes into the State Cookie inside INIT ACK\
(§5.1.3), which A must echo back. Only the valid COOKIE ECHO creates B's\
association - a SYN flood has nothing to fill."
fresh
say "fresh (scripts/lessons/lib.tcl) gave us a clean lab - lab reset - and\
started the trace on every host, quietly: chunks are collected, not printed;\
the lesson shows the ones that matter."

say "A connects to B. connect returns when A's association is up (COMM_UP)."
set a1 [connect 198.51.100.2]
set ev [on B {wait assoc-change}]

say "The four chunks, as the trace saw them. Read the vtag column: INIT goes\
out with verification tag 0 (§8.5.1); every later packet carries the tag the\
*receiver* chose in its INIT or INIT ACK (init_tag)."
chunks {INIT INIT-ACK COOKIE-ECHO COOKIE-ACK}

say "Checks (they fail if the kernel behaves differently):"
expect [field INIT vtag] --is 0 --msg "INIT carries verification tag 0 (RFC 9260 §8.5.1)"
expect [field INIT-ACK vtag] --is [field INIT init_tag] --msg "INIT ACK is sent with A's Initiate Tag"
expect [field COOKIE-ECHO vtag] --is [field INIT-ACK init_tag] --msg "COOKIE ECHO is sent with B's Initiate Tag"
expect [field COOKIE-ACK vtag] --is [field INIT init_tag] --msg "COOKIE ACK is sent with A's Initiate Tag"
expect [field COOKIE-ECHO cookie] --is [dict get [lsearch -inline -index 3 [field INIT-ACK params] state-cookie] cookie] --msg "COOKIE ECHO returns INIT ACK's State Cookie byte for byte (§5.1.3)"
expect [expr {[field INIT time] < [field INIT-ACK time] && [field INIT-ACK time] < [field COOKIE-ECHO time] && [field COOKIE-ECHO time] < [field COOKIE-ACK time]}] --is 1 --msg "INIT, INIT ACK, COOKIE ECHO, COOKIE ACK, in this order"
expect $ev event assoc-change state comm-up --msg "B reports its new association (it was created by the COOKIE ECHO)"
expect [status --assoc $a1] state established vtag [field INIT init_tag] peer-vtag [field INIT-ACK init_tag] --msg "A's status: vtag is the tag A chose (and checks in B's packets), peer-vtag the one A writes (§8.5)"
