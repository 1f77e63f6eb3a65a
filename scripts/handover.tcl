# handover.tcl — can one stream of an SCTP association move so that it runs
# directly between two hosts, while every other stream stays where it was?
#
# The live half of docs/handover.md: every step runs in the lab (namespaces A,
# B, C on Linux kernel SCTP), narrates, asserts what the kernels did, keeps a
# pcap per step and ends with a table.
#
#   scripts/sctplab run ./sctpsh scripts/handover.tcl [--only N[,N...]] [--pause] [--quick]
#
#   --only N   run only step N (several: --only 2,3 or repeat the option)
#   --pause    wait for Enter between steps (only when stdin is a terminal)
#   --quick    skip the slowest sub-experiments (used by tests/tcl/handover.test)
#
# Exit status: 0 when every assertion held; 1 when one failed (the failing step
# and assertion are named at the end); 2 for bad arguments.
#
# Lab: A=.1 B=.2 C=.3 on 198.51.100.0/24 (LAN1) and 203.0.113.0/24 (LAN2).  The
# lab's startup sockets (port 5000) are bound to the wildcard address, where
# Linux cannot add or remove addresses, so the study opens its own one-to-many
# sockets bound to both LAN addresses of each host, on the same port P on all
# three hosts ("ports lined up", pA = pB = pC = P).

namespace eval hs {
    variable P 5001
    variable dir build/handover
    variable only {}
    variable pause 0
    variable quick 0
    variable rows {}
    variable fails {}
    variable step 0
    variable t0 0
    variable ip
    array set ip {A 198.51.100.1 B 198.51.100.2 C 198.51.100.3
                  A2 203.0.113.1 B2 203.0.113.2 C2 203.0.113.3}
    variable name
    array set name {198.51.100.1 A 198.51.100.2 B 198.51.100.3 C
                    203.0.113.1 A' 203.0.113.2 B' 203.0.113.3 C'}
    # streams: 0 control, 1 media (S), 2 and 3 other traffic
    variable CTRL 0
    variable MEDIA 1
}

# -- arguments ----------------------------------------------------------------------
for {set i 0} {$i < [llength $argv]} {incr i} {
    set o [lindex $argv $i]
    switch -- $o {
        --only  { incr i; foreach n [split [lindex $argv $i] ,] {
                      if {![string is integer -strict $n]} { puts stderr "handover.tcl: --only wants step numbers"; exit 2 }
                      lappend hs::only $n } }
        --pause { set hs::pause 1 }
        --quick { set hs::quick 1 }
        default { puts stderr "usage: handover.tcl ?--only N[,N]? ?--pause? ?--quick?"; exit 2 }
    }
}
file mkdir $hs::dir

# -- narration, assertions, the table -----------------------------------------------
proc hs::say {args} { puts [join $args]; flush stdout }

# expect WHAT GOT WANT ?glob|exact|true?: compare, narrate, remember failures
proc hs::expect {what got want {how exact}} {
    variable fails; variable step
    switch -- $how {
        glob  { set ok [string match $want $got] }
        true  { set ok [expr {$got ? 1 : 0}]; set want 1 }
        default { set ok [expr {$got eq $want}] }
    }
    if {$ok} {
        say "    ✓ $what: $got"
    } else {
        say "    ✗ ASSERTION FAILED (step $step) $what: got {$got}, expected {$want}"
        lappend fails "step $step: $what: got {$got}, expected {$want}"
    }
    return $ok
}

proc hs::row {step tried did verdict rfc} {
    variable rows
    lappend rows [list $step $tried $did $verdict $rfc]
}

# -- lab state ------------------------------------------------------------------------
# Fresh state: lab reset, one socket per host on port P bound to both LANs,
# A–B (A connects) and B–C (B connects), 4 streams each way asked for.
# opts: authabort 1 (A requires ABORT to be authenticated, RFC 4895 §6.3)
#       cport N (C's socket on another port)
proc hs::fresh {{opts {}}} {
    variable P; variable ip; variable S; variable AB; variable BC
    set authabort [expr {[dict exists $opts authabort] && [dict get $opts authabort]}]
    set cport [expr {[dict exists $opts cport] ? [dict get $opts cport] : $P}]
    set cap [expr {[dict exists $opts capture] ? [dict get $opts capture] : ""}]
    catch {trace off}
    catch {trace collect --clear}
    lab reset
    foreach h {A B C} { catch {lab drop $h --clear}; catch {lab link $h --clear} }
    foreach h {A B C} {
        set port [expr {$h eq "C" ? $cport : $P}]
        set S($h) [socket --host $h --port $port --bind $ip($h) --bind $ip(${h}2)]
    }
    if {$authabort} { on A [list opt set auth-chunk chunk 6 --socket $S(A)] }
    if {$cap ne ""} { capture $cap }
    set a [on A [list connect $ip(B):$P --socket $S(A) --streams 4]]
    set b [dict get [on B [list wait assoc-change --socket $S(B) --timeout 3000]] assoc]
    set AB [dict create A $a B $b sockA $S(A) sockB $S(B)]
    set c0 [on B [list connect $ip(C):$cport --socket $S(B) --streams 4]]
    set c [dict get [on C [list wait assoc-change --socket $S(C) --timeout 3000]] assoc]
    set BC [dict create B $c0 C $c sockB $S(B) sockC $S(C)]
    after 100
    foreach h {A B C} { on $h [list drain --socket $S($h)] }
    say "  state: lab reset; sockets on port $P (C: $cport) bound to LAN1+LAN2 on A, B, C;\
         fresh A–B (A:$a, B:$b) and B–C (B:$c0, C:$c), 4 streams each way[expr {$authabort ? "; A requires AUTH on ABORT" : ""}]"
}

proc hs::capture {tag} {
    variable dir; variable t0
    catch {trace off}
    trace collect --clear
    set f [file join $dir $tag.pcap]
    trace on --all --quiet --pcap $f
    set t0 [clock microseconds]
    say "  capture: $f"
    return $f
}
proc hs::uncapture {} { catch {trace off} }

# association state at HOST, or gone
proc hs::astate {host id sock} {
    if {[catch {on $host [list status --assoc $id --socket $sock]} st]} { return gone }
    return [dict get $st state]
}
proc hs::st {host id sock} { on $host [list status --assoc $id --socket $sock] }
# state of peer address ADDR of an association
proc hs::pathstate {host id sock addr} {
    if {[catch {on $host [list status --assoc $id --socket $sock]} st]} { return gone }
    foreach p [dict get $st paths] { if {[dict get $p addr] eq $addr} { return [dict get $p state] } }
    return absent
}

# a chunk dict as one short line (ms since the capture started)
proc hs::line {c} {
    variable name; variable t0
    set ms [format %8.1f [expr {([dict get $c time] * 1e6 - $t0) / 1000.0}]]
    set s [dict get $c src]; set d [dict get $c dst]
    set sn [expr {[info exists name($s)] ? $name($s) : $s}]
    set dn [expr {[info exists name($d)] ? $name($d) : $d}]
    set t [dict get $c type]
    set f "vtag=[dict get $c vtag]"
    foreach k {tsn sid ssn cum_tsn gaps dups new_cum_tsn streams serial t} {
        if {[dict exists $c $k] && [dict get $c $k] ne ""} { append f " $k=[dict get $c $k]" }
    }
    if {$t in {ASCONF ASCONF-ACK} && [dict exists $c params]} {
        append f " " [lmap p [dict get $c params] {
            expr {[dict exists $p addr] ? "[dict get $p name]:[dict get $p addr]" : [dict get $p name]}}]
    }
    if {[dict exists $c payload] && $t in {DATA I-DATA}} { append f " '[binary format H* [dict get $c payload]]'" }
    if {$t eq "RE-CONFIG" && [dict exists $c params]} { append f " [dict get $c params]" }
    return "$ms ms  $sn:[dict get $c sport] → $dn:[dict get $c dport]  $t  $f"
}
# print the timeline of the capture (optionally without heartbeats on known-good paths)
proc hs::timeline {{skip {}}} {
    say "  timeline (trace collect):"
    foreach c [trace collect] {
        if {[dict get $c type] in $skip} continue
        say "    [line $c]"
    }
}
proc hs::chunks {args} { trace collect {*}$args }

# every event queued on HOST's socket
proc hs::events {host sock} {
    set r {}
    foreach e [on $host [list drain --socket $sock]] {
        if {[dict exists $e event]} { lappend r $e }
    }
    return $r
}
proc hs::evsummary {evs} {
    lmap e $evs {
        set s [dict get $e event]
        foreach k {addr state} { if {[dict exists $e $k]} { append s " " [dict get $e $k] } }
        set s
    }
}

# receive N messages (or until timeout) on HOST's socket; list of dicts
proc hs::recvn {host sock n {ms 3000}} {
    set r {}
    set end [expr {[clock milliseconds] + $ms}]
    while {[llength $r] < $n && [clock milliseconds] < $end} {
        if {[catch {on $host [list recv --socket $sock --timeout 200]} m]} continue
        lappend r $m
    }
    return $r
}

proc hs::pause_point {} {
    variable pause
    if {!$pause} return
    if {[catch {exec tty <@stdin}]} { say "  (--pause: stdin is not a terminal, not waiting)"; return }
    puts -nonewline "  -- Enter for the next step -- "; flush stdout
    gets stdin
}

proc hs::run {n title body} {
    variable only; variable step
    if {[llength $only] && $n ni $only} return
    set step $n
    say ""
    say "════ Step $n — $title"
    if {[catch {uplevel #0 $body} err opts]} {
        variable fails
        say "    ✗ STEP $n ERROR: $err"
        lappend fails "step $n: error: $err"
        say [dict get $opts -errorinfo]
        catch {timeline {HEARTBEAT HEARTBEAT-ACK}}
    }
    catch {trace off}
    pause_point
}

# -- traffic helpers ------------------------------------------------------------------
# send K messages "TAG-i" on stream SID of association ID from HOST
proc hs::burst {host sock id sid tag k {extra {}}} {
    for {set i 0} {$i < $k} {incr i} {
        on $host [list send $tag-$i --assoc $id --socket $sock --stream $sid {*}$extra]
    }
}
# per stream: received payloads in order; checks 0..k-1 with no loss/dup/reorder
proc hs::inorder {msgs sid tag k} {
    set got [lmap m $msgs { expr {[dict get $m stream] == $sid && [string match $tag-* [dict get $m data]] ? [dict get $m data] : [continue]} }]
    set want {}
    for {set i 0} {$i < $k} {incr i} { lappend want $tag-$i }
    return [expr {$got eq $want}]
}

lab up

# ======================================================================================
hs::run 1 "A–B and B–C with several streams, traffic on all of them" {
    hs::fresh {capture step1}
    set a [dict get $hs::AB A]; set b [dict get $hs::AB B]
    set bc [dict get $hs::BC B]; set cb [dict get $hs::BC C]
    set k 10
    # A–B: control (0) and media (1) both ways; B–C: two streams (0, 2) both ways
    hs::burst A $hs::S(A) $a 0 ab-ctl $k
    hs::burst A $hs::S(A) $a 1 ab-media $k
    hs::burst B $hs::S(B) $b 0 ba-ctl $k
    hs::burst B $hs::S(B) $b 1 ba-media $k
    hs::burst B $hs::S(B) $bc 0 bc-ctl $k
    hs::burst B $hs::S(B) $bc 2 bc-s2 $k
    hs::burst C $hs::S(C) $cb 0 cb-ctl $k
    hs::burst C $hs::S(C) $cb 2 cb-s2 $k
    set atB [hs::recvn B $hs::S(B) [expr {4 * $k}]]
    set atA [hs::recvn A $hs::S(A) [expr {2 * $k}]]
    set atC [hs::recvn C $hs::S(C) [expr {2 * $k}]]
    hs::say "  sent 10 messages on each of 8 (association, direction, stream) flows"
    hs::expect "A–B stream 0 A→B in order" [hs::inorder $atB 0 ab-ctl $k] 1
    hs::expect "A–B stream 1 (media) A→B in order" [hs::inorder $atB 1 ab-media $k] 1
    hs::expect "A–B stream 0 B→A in order" [hs::inorder $atA 0 ba-ctl $k] 1
    hs::expect "A–B stream 1 B→A in order" [hs::inorder $atA 1 ba-media $k] 1
    hs::expect "B–C stream 0 B→C in order" [hs::inorder $atC 0 bc-ctl $k] 1
    hs::expect "B–C stream 2 B→C in order" [hs::inorder $atC 2 bc-s2 $k] 1
    hs::expect "B–C stream 0 C→B in order" [hs::inorder $atB 0 cb-ctl $k] 1
    hs::expect "B–C stream 2 C→B in order" [hs::inorder $atB 2 cb-s2 $k] 1
    # SSNs are per stream and start at 0 (RFC 9260 §6.5)
    set ssns [lmap m $atB { expr {[dict get $m stream] == 1 && [dict get $m assoc] == $b ? [dict get $m ssn] : [continue]} }]
    hs::expect "SSNs of A–B stream 1 at B" $ssns {0 1 2 3 4 5 6 7 8 9}
    set sa [hs::st A $a $hs::S(A)]
    set sb [hs::st B $b $hs::S(B)]
    hs::say "  A–B at A: state [dict get $sa state], outstreams [dict get $sa outstreams], instreams [dict get $sa instreams],\
             vtag [dict get $sa vtag], peer-vtag [dict get $sa peer-vtag]"
    hs::expect "A's peer-vtag is B's vtag (RFC 9260 §8.5)" [expr {[dict get $sa peer-vtag] == [dict get $sb vtag]}] 1
    hs::expect "A–B outbound streams at A = min(4 asked, B's MIS)" [dict get $sa outstreams] 4
    # what INIT offered (extensions are negotiated only here)
    set init [lindex [hs::chunks --type INIT --from B] 0]
    set ext {}; set fwd 0; set chl {}
    foreach p [dict get $init params] {
        switch -- [dict get $p name] {
            supported-extensions { set ext [dict get $p chunks] }
            forward-tsn-supported { set fwd 1 }
            chunk-list { set chl [dict get $p chunks] }
        }
    }
    hs::expect "B's INIT to C: supported extensions" $ext {ASCONF ASCONF-ACK RE-CONFIG AUTH}
    hs::expect "B's INIT to C: Forward-TSN-Supported (PR-SCTP)" $fwd 1
    hs::expect "B's INIT to C: chunks B requires authenticated (AUTH CHUNKS)" $chl {ASCONF ASCONF-ACK}
    set dtypes [lsort -unique [lmap c [hs::chunks] { expr {[dict get $c type] in {DATA I-DATA} ? [dict get $c type] : [continue]} }]]
    hs::expect "data chunk type on the wire (no I-DATA: sockets did not enable interleaving)" $dtypes DATA
    hs::row 1 "A–B (ctl+media) and B–C (2 streams), 10 msgs per flow" \
        "all 80 delivered in order; SSNs 0..9 per stream; ASCONF+AUTH+RE-CONFIG+PR-SCTP negotiated, DATA (not I-DATA)" \
        works "9260 §1.3 §5.1.1 §6.5; 5061 §4.2.7; 4895 §6.1; 3758 §3.3; 6525 §5.1.1"
}

# ======================================================================================
# B adds C's address to A–B; returns the addip result (B's A–B moves to a peeled socket)
proc hs::addip_c {} {
    variable ip; variable AB
    set r [on B [list addip $ip(C) --nonlocal --assoc [dict get $AB B] --socket [dict get $AB sockB]]]
    dict set AB sockB [dict get $r socket]
    return $r
}
proc hs::addip_a {} {
    variable ip; variable BC
    set r [on B [list addip $ip(A) --nonlocal --assoc [dict get $BC B] --socket [dict get $BC sockB]]]
    dict set BC sockB [dict get $r socket]
    return $r
}
# wait until HOST's association ID is gone (or MS passed); its state
proc hs::wait_gone {host id sock {ms 2000}} {
    set end [expr {[clock milliseconds] + $ms}]
    while {[clock milliseconds] < $end} {
        if {[astate $host $id $sock] eq "gone"} { return gone }
        after 50
    }
    return [astate $host $id $sock]
}

hs::run 2 "B adds C's address to A–B (ADD-IP, addip --nonlocal --assoc)" {
    # 2a: the plain case
    hs::fresh
    hs::capture step2a
    set a [dict get $hs::AB A]; set b [dict get $hs::AB B]
    set tagB [dict get [hs::st A $a $hs::S(A)] peer-vtag]
    set r [hs::addip_c]
    hs::say "  B: addip $hs::ip(C) --nonlocal --assoc $b → $r"
    set ab [hs::wait_gone A $a $hs::S(A)]
    after 300
    hs::timeline {HEARTBEAT-ACK}
    set ev [hs::evsummary [hs::events A $hs::S(A)]]
    hs::say "  A's events: $ev"
    set asc [lindex [hs::chunks --type ASCONF --from B] 0]
    hs::expect "ASCONF from B, AUTH-ed, Address Parameter = B's own address, ADD-IP c" \
        "[dict get $asc addr] [lmap p [dict get $asc params] {dict get $p addr}] auth=[llength [hs::chunks --type AUTH --from B]]" \
        "$hs::ip(B) $hs::ip(C) auth=1"
    hs::expect "A answers ASCONF-ACK (accepted, no error cause)" [dict get [lindex [hs::chunks --type ASCONF-ACK --from A] 0] params] {}
    hs::expect "A reports c added (SCTP_PEER_ADDR_CHANGE/ADDR_ADDED)" [expr {"peer-addr-change $hs::ip(C) added" in $ev}] 1
    set ack [lindex [hs::chunks --type ASCONF-ACK --from A] 0]
    set hb [lindex [hs::chunks --type HEARTBEAT --from A --where [list dst $hs::ip(C)]] 0]
    set delay [expr {([dict get $hb time] - [dict get $ack time]) * 1000.0}]
    hs::say [format "  first probe of c: %.2f ms after A's ASCONF-ACK (doc predicted RTO/2+U(0,RTO) ≥ 200 ms)" $delay]
    hs::expect "A probes c at once (< 100 ms after the ASCONF-ACK, not after RTO/2+U(0,RTO); P4 corrected)" [expr {$delay < 100}] 1
    hs::expect "probe to c:pB carries Tag_B(AB)" [expr {[dict get $hb vtag] == $tagB && [dict get $hb dport] == $hs::P}] 1
    set abort [lindex [hs::chunks --type ABORT --from C] 0]
    hs::expect "C's kernel answers the probe with ABORT, T bit, reflected Tag_B(AB) (RFC 9260 §8.4)" \
        "t=[dict get $abort t] vtag=[expr {[dict get $abort vtag] == $tagB ? {Tag_B(AB)} : [dict get $abort vtag]}]" "t=1 vtag=Tag_B(AB)"
    hs::expect "A accepts the ABORT: A–B gone at A, COMM_LOST (RFC 9260 §8.5.1 B, §9.1)" \
        "$ab [expr {{assoc-change comm-lost} in $ev}]" "gone 1"
    # B learns when A answers B's next packet
    set bst [hs::wait_gone B $b [dict get $hs::AB sockB] 3000]
    set ab2 [lindex [hs::chunks --type ABORT --from A] 0]
    hs::expect "B's next packet to A is OOTB there → ABORT(T) → A–B gone at B too" $bst gone
    hs::say "  (B's next packet was [expr {$ab2 eq {} ? {not seen} : "answered by A's ABORT t=[dict get $ab2 t]"}])"
    hs::expect "B–C is untouched" [hs::astate B [dict get $hs::BC B] [dict get $hs::BC sockB]] established
    hs::uncapture
    hs::row 2a "B: ADD-IP c into A–B (B does not own c)" \
        "A: c added UNCONFIRMED, probes c at once; C's kernel ABORT(T, Tag_B(AB)); A–B torn down (all streams)" \
        conflicts "5061 §4.2.1 F1 F14; 9260 §1.3 §5.4 §8.4 §8.5.1 §9.1; 5062 §5.2 §6.1"

    # 2b: nothing at all on C's port pB
    hs::say "  -- 2b: the same, but C's socket is on another port (nothing listens on c:pB)"
    hs::fresh {cport 5002}
    hs::capture step2b
    set a [dict get $hs::AB A]
    hs::addip_c
    set ab [hs::wait_gone A $a $hs::S(A)]
    hs::timeline {HEARTBEAT-ACK}
    set abort [lindex [hs::chunks --type ABORT --from C] 0]
    hs::expect "C's kernel still ABORTs (no listener needed) and A–B dies" \
        "[expr {$abort ne {} ? "abort t=[dict get $abort t]" : "no abort"}] $ab" "abort t=1 gone"
    hs::uncapture
    hs::row 2b "as 2a, nothing listening on c:pB" "same ABORT from C's kernel; A–B dies" conflicts "9260 §8.4"

    # 2c: A requires ABORT to be authenticated (RFC 4895 §6.3)
    hs::say "  -- 2c: A lists ABORT in its AUTH chunk list (SCTP_AUTH_CHUNK 6) before A–B starts"
    hs::fresh {authabort 1}
    hs::capture step2c
    set a [dict get $hs::AB A]
    hs::addip_c
    after 1500
    hs::timeline {HEARTBEAT-ACK}
    set aborts [llength [hs::chunks --type ABORT --from C]]
    set hbs [llength [hs::chunks --type HEARTBEAT --from A --where [list dst $hs::ip(C)]]]
    set ev [hs::evsummary [hs::events A $hs::S(A)]]
    hs::say "  A's events: $ev"
    hs::expect "C still ABORTs each probe (count > 0)" [expr {$aborts > 0}] 1 true
    hs::expect "A drops C's unauthenticated ABORTs: A–B survives (P22)" [hs::astate A $a $hs::S(A)] established
    hs::expect "c stays unconfirmed at A" [hs::pathstate A $a $hs::S(A) $hs::ip(C)] unconfirmed
    hs::say "  A probed c $hbs times in 1.5 s; C answered $aborts ABORTs"
    hs::uncapture
    hs::row 2c "as 2a, A requires AUTH on ABORT" "A–B survives; c stays UNCONFIRMED (probes ABORTed, ignored)" \
        "works with conditions (useless: c unusable)" "4895 §6.3; 9260 §5.4"
}

# Steps 2 and 3 done with the first probe each way dropped; ends with a capture running
proc hs::interlock {{tag step3c}} {
    variable ip
    fresh
    foreach {h d} [list A $ip(C) C $ip(A)] { lab drop $h --chunk HEARTBEAT --dst $d --count 1 }
    capture $tag
    addip_c; addip_a
    after 1200
    say "  steps 2+3 done; A's c: [pathstate A [dict get $::hs::AB A] $::hs::S(A) $ip(C)];\
         C's a: [pathstate C [dict get $::hs::BC C] $::hs::S(C) $ip(A)]"
}

# ======================================================================================
hs::run 3 "B adds A's address to B–C" {
    # 3a: alone
    hs::fresh
    hs::capture step3a
    set c [dict get $hs::BC C]
    set r [hs::addip_a]
    hs::say "  B: addip $hs::ip(A) --nonlocal --assoc [dict get $hs::BC B] → $r"
    set st [hs::wait_gone C $c $hs::S(C)]
    after 200
    hs::timeline {HEARTBEAT-ACK}
    set abort [lindex [hs::chunks --type ABORT --from A --where [list dst $hs::ip(C)]] 0]
    hs::expect "A's kernel ABORTs C's probe (T bit) and B–C dies at C" \
        "[expr {$abort ne {} ? "t=[dict get $abort t]" : "none"}] $st" "t=1 gone"
    hs::expect "A–B is untouched" [hs::astate A [dict get $hs::AB A] $hs::S(A)] established
    hs::uncapture
    hs::row 3a "B: ADD-IP a into B–C" "C probes a at once; A's kernel ABORT(T); B–C torn down" conflicts \
        "5061 F1 F14; 9260 §5.4 §8.4 §8.5.1"

    # 3b: both, back to back (T2)
    hs::say "  -- 3b: steps 2 and 3 back to back (ports lined up, P on all hosts)"
    hs::fresh
    hs::capture step3b
    set t [clock microseconds]
    hs::addip_c; hs::addip_a
    hs::say [format "  both addip calls took %.1f ms" [expr {([clock microseconds] - $t) / 1000.0}]]
    set s1 [hs::wait_gone A [dict get $hs::AB A] $hs::S(A)]
    set s2 [hs::wait_gone C [dict get $hs::BC C] $hs::S(C)]
    hs::timeline {HEARTBEAT-ACK}
    hs::expect "back to back, both associations die (the first probe beats the second ASCONF)" "$s1 $s2" "gone gone"
    hs::uncapture
    hs::row 3b "steps 2+3 back to back" "A's probe of c leaves before B's ASCONF reaches C: A–B dies, then B–C" \
        "conflicts (race T2 lost)" "9260 §5.4 §8.4"

    # 3c: both, first probes held back
    hs::say "  -- 3c: steps 2 and 3 with the first probe each way dropped (lab drop) until both ASCONFs are done"
    hs::interlock
    hs::timeline {}
    set a [dict get $hs::AB A]; set c [dict get $hs::BC C]
    hs::expect "A–B and B–C both survive" "[hs::astate A $a $hs::S(A)] [hs::astate C $c $hs::S(C)]" "established established"
    hs::expect "no ABORT anywhere" [llength [hs::chunks --type ABORT]] 0
    hs::expect "A's later probes of c reach C and get no answer" \
        [expr {[llength [hs::chunks --type HEARTBEAT --from A --where [list dst $hs::ip(C)]]] > 0 &&
               [llength [hs::chunks --type HEARTBEAT-ACK --from C --where [list dst $hs::ip(A)]]] == 0}] 1
    hs::expect "c unconfirmed at A, a unconfirmed at C (P7)" \
        "[hs::pathstate A $a $hs::S(A) $hs::ip(C)] [hs::pathstate C $c $hs::S(C) $hs::ip(A)]" "unconfirmed unconfirmed"
    hs::uncapture
    hs::row 3c "steps 2+3, first probes held (ports lined up)" \
        "probes land on the wrong TCB (B–C at C, A–B at A), tag mismatch, silently dropped; both survive, addresses UNCONFIRMED" \
        "works with conditions (useless)" "9260 §8.5 §5.4; 5061 F14"
}


# ======================================================================================
hs::run 4 "what it takes for one stream between A and C to communicate directly" {
    hs::say "  starting from step 3c (ports lined up, c in A–B, a in B–C, both UNCONFIRMED)"
    hs::interlock step4
    set a [dict get $hs::AB A]; set b [dict get $hs::AB B]; set sb [dict get $hs::AB sockB]
    set c [dict get $hs::BC C]
    set M $hs::MEDIA
    # 4a: ports lined up — where does A's probe of c land at C?
    set bcst0 [hs::st C $c $hs::S(C)]
    hs::expect "4a: A's probes of c (Tag_B(AB)) land on B–C at C and are dropped silently: B–C still up, no answer" \
        "[dict get $bcst0 state] [llength [hs::chunks --type HEARTBEAT-ACK --from C --where [list dst $hs::ip(A)]]] [llength [hs::chunks --type ABORT]]" \
        "established 0 0"
    # 4c before confirmation: SCTP_ADDR_OVER to an UNCONFIRMED address
    trace collect --clear
    set r [on A [list send media-to-c-0 --assoc $a --socket $hs::S(A) --stream $M --addr-over $hs::ip(C)]]
    set m [lindex [hs::recvn B $sb 1 2000] 0]
    set d [lindex [hs::chunks --type DATA --from A] 0]
    hs::expect "4c (c UNCONFIRMED): send --addr-over c succeeds but the DATA goes to b and B delivers it (P8, T8)" \
        "[dict get $d dst] [dict get $m data]" "$hs::ip(B) media-to-c-0"
    # 4b: C answers A's path verification with a crafted HEARTBEAT-ACK (Tag_A(AB), echoed info)
    set hb [trace wait HEARTBEAT --from A --where [list dst $hs::ip(C)] --timeout 5000]
    set tagA [dict get [hs::st A $a $hs::S(A)] vtag]
    # (inject --like B:ID does not find an association peeled off on B: explicit --vtag)
    set x [on C [list inject HEARTBEAT-ACK info [dict get $hb info] --vtag $tagA --src $hs::ip(C):$hs::P --dst $hs::ip(A):$hs::P]]
    hs::say "  C: inject HEARTBEAT-ACK info <A's probe> --vtag Tag_A(AB) --src c:P --dst a:P → vtag [dict get $x vtag]"
    set ok 0
    for {set i 0} {$i < 20} {incr i} {
        if {[hs::pathstate A $a $hs::S(A) $hs::ip(C)] eq "active"} { set ok 1; break }
        after 50
    }
    set ev [hs::evsummary [hs::events A $hs::S(A)]]
    hs::say "  A's events: $ev"
    hs::expect "4b: crafted HEARTBEAT-ACK uses Tag_A(AB)" [expr {[dict get $x vtag] == $tagA}] 1
    hs::expect "4b: A now treats c as CONFIRMED and active (P9)" \
        "[hs::pathstate A $a $hs::S(A) $hs::ip(C)] [expr {"peer-addr-change $hs::ip(C) confirmed" in $ev}]" "active 1"
    # 4c after confirmation
    trace collect --clear
    set t1 [clock microseconds]
    on A [list send media-to-c-1 --assoc $a --socket $hs::S(A) --stream $M --addr-over $hs::ip(C)]
    set m [lindex [hs::recvn B $sb 1 5000] 0]
    set t2 [clock microseconds]
    after 100
    hs::timeline {HEARTBEAT HEARTBEAT-ACK}
    set ds [hs::chunks --type DATA --from A]
    set dsts [lmap d $ds {dict get $d dst}]
    set late [expr {($t2 - $t1) / 1000.0}]
    hs::expect "4c (c confirmed): the DATA goes to c first, then is retransmitted to one of B's addresses (RFC 9260 §6.4)" \
        "[lindex $dsts 0] [expr {[lindex $dsts end] in [list $hs::ip(B) $hs::ip(B2)]}]" "$hs::ip(C) 1"
    hs::expect "the message reaches B (not C), late by about one RTO" [dict get $m data] media-to-c-1
    set rtoc {}
    foreach p [dict get [hs::st A $a $hs::S(A)] paths] { if {[dict get $p addr] eq $hs::ip(C)} { set rtoc [dict get $p rto] } }
    hs::say [format "  B got it %.0f ms after A's sendmsg: T3-rtx after the RTO of path c (now %s ms; its only RTT sample\
                     came from the crafted HEARTBEAT-ACK, measured from the probe's send time in the echoed info)" $late $rtoc]
    hs::expect "C's application got nothing (DATA with Tag_B(AB) dropped on B–C at C)" \
        [llength [hs::recvn C $hs::S(C) 1 300]] 0
    set sa [hs::st A $a $hs::S(A)]
    hs::say "  A–B at A: [dict get $sa state], rtxchunks [dict get $sa stats rtxchunks]"
    hs::expect "A counted a retransmission" [expr {[dict get $sa stats rtxchunks] >= 1}] 1
    set ::hs::step4_late $late
    hs::uncapture
    hs::row 4a "ports lined up pA=pB=pC" "A→c packets reach B–C's TCB at C and fail its tag check: silently dropped" \
        "conflicts (tags)" "9260 §3.1 §5.3.1 §8.5"
    hs::row 4b "C injects HEARTBEAT-ACK (Tag_A(AB), echoed nonce)" "A marks c CONFIRMED/active" \
        "works with conditions (C impersonates B's endpoint)" "9260 §3.3.6 §5.4 §8.3; 5062 §2.3 §5.3"
    hs::row 4c "A: send --addr-over c" \
        [format "unconfirmed: silently sent to b; confirmed: sent to c, dropped at C, T3-rtx to b after %.0f ms" $late] \
        "conflicts (no A↔C stream)" "6458 §5.3.4; 9260 §5.4 §6.4 §11.1.5"
}

# ======================================================================================
# last TSN B's kernel put on the wire for A–B (from the capture), and B's next SSN on a stream
proc hs::lasttsn {from to} {
    set t {}
    foreach c [trace collect --type DATA --from $from --to $to] { set t [dict get $c tsn] }
    return $t
}
proc hs::lastssn {from to sid} {
    set t -1
    foreach c [trace collect --type DATA --from $from --to $to --where [list sid $sid]] { set t [dict get $c ssn] }
    return $t
}

hs::run 5 "B asks C to take over the media stream, syncing sequence numbers" {
    set M $hs::MEDIA
    # -- 5a FORWARD-TSN (crafted by B on A–B): move A's expected SSN on S forward, no TSN skip
    hs::fresh {capture step5a}
    set a [dict get $hs::AB A]; set b [dict get $hs::AB B]; set sb [dict get $hs::AB sockB]
    hs::burst B $sb $b $M ba-media 3
    hs::burst B $sb $b 0 ba-ctl 2
    hs::recvn A $hs::S(A) 5
    after 200
    set k [expr {[hs::lastssn B A $M] + 1}]
    set n [expr {$k + 5}]
    hs::say "  B's next SSN on S is $k; B \"reserves\" SSNs $k..[expr {$n-1}] for C: FORWARD-TSN New Cum TSN = A's cum (+0), stream $M skipped to SSN [expr {$n-1}]"
    set f [on B [list forward-tsn --assoc $b --socket $sb --cum-tsn +0 --stream $M:[expr {$n-1}]]]
    hs::say "  B: forward-tsn → [dict get $f chunks]"
    after 300
    # B's own kernel keeps numbering S from k
    on B [list send ba-ctl-after --assoc $b --socket $sb --stream 0]
    set got [hs::recvn A $hs::S(A) 1 1500]
    on B [list send ba-media-after --assoc $b --socket $sb --stream $M]
    set got [concat $got [hs::recvn A $hs::S(A) 1 1500]]
    set data [lmap m $got {dict get $m data}]
    set st [hs::wait_gone A $a $hs::S(A) 2000]
    after 100
    hs::timeline {HEARTBEAT HEARTBEAT-ACK}
    set sack [lindex [hs::chunks --type SACK --from A] end]
    hs::expect "A accepts the FORWARD-TSN (acked, no error)" [llength [hs::chunks --type ERROR --from A]] 0
    hs::expect "stream 0 message after the FORWARD-TSN is delivered" [expr {"ba-ctl-after" in $data}] 1
    set ab [lindex [hs::chunks --type ABORT --from A] 0]
    hs::expect "B's kernel's next S message (SSN $k, below A's expected $n) is a protocol violation: A ABORTs A–B" \
        "[expr {"ba-media-after" in $data}] $st [expr {$ab ne {} ? "t=[dict get $ab t] causes=[lmap c [dict get $ab causes] {dict get $c code}]" : "no-abort"}]" \
        "0 gone t=0 causes=13"
    hs::uncapture
    hs::row 5a "B crafts FORWARD-TSN on A–B: skip S to SSN n-1 (no TSN skip) so C can continue at n" \
        "A moves S's expected SSN to n; B's kernel's next S DATA (SSN k<n) makes A abort A–B (cause 13): every stream dies" \
        "conflicts" "3758 §3.2 §3.6 F1 A2; 9260 §6.5"

    # -- 5a-ii: C sends S as B (spoofing b, Tag_A(AB)) with B's next TSN
    hs::say "  -- 5a-ii: C sends the next S message into A–B itself (src b, Tag_A(AB), B's next TSN)"
    hs::fresh {capture step5a2}
    set a [dict get $hs::AB A]; set b [dict get $hs::AB B]; set sb [dict get $hs::AB sockB]
    hs::burst B $sb $b $M ba-media 3
    hs::recvn A $hs::S(A) 3
    after 200
    set tsn [expr {([hs::lasttsn B A] + 1) % 4294967296}]
    set ssn [expr {[hs::lastssn B A $M] + 1}]
    set tagA [dict get [hs::st A $a $hs::S(A)] vtag]
    on C [list inject DATA tsn $tsn sid $M ssn $ssn data from-C --vtag $tagA --src $hs::ip(B):$hs::P --dst $hs::ip(A):$hs::P]
    set m [lindex [hs::recvn A $hs::S(A) 1 2000] 0]
    set bst [hs::wait_gone B $b $sb 3000]
    after 200
    hs::timeline {HEARTBEAT HEARTBEAT-ACK}
    set ab [lindex [hs::chunks --type ABORT --from B] 0]
    hs::expect "A delivers C's message as if from B" [expr {$m ne "" ? [dict get $m data] : "none"}] from-C
    hs::expect "A's SACK acks a TSN B never sent: B aborts A–B (Protocol Violation, cause 13)" \
        "$bst [expr {$ab ne {} ? [lmap c [dict get $ab causes] {dict get $c code}] : {no-abort}}]" "gone 13"
    hs::uncapture
    hs::row 5a-ii "C injects the next S DATA into A–B as B (B's next TSN/SSN)" \
        "A delivers it; A's SACK acks a TSN B never sent; B aborts A–B (cause 13): every stream dies" \
        conflicts "9260 §6.2 §14.2; 5062 §5.3"

    # -- 5b RFC 6525 stream reset of S only, other streams flowing
    hs::fresh {capture step5b}
    set a [dict get $hs::AB A]; set b [dict get $hs::AB B]; set sb [dict get $hs::AB sockB]
    hs::burst B $sb $b $M ba-media 3
    hs::burst A $hs::S(A) $a $M ab-media 3
    hs::recvn A $hs::S(A) 3; hs::recvn B $sb 3
    set r0 [on B [list reset-streams $M --out --assoc $b --socket $sb --wait 2000]]
    hs::say "  B: reset-streams $M --out, A has not enabled stream reset → [dict get $r0 event flags] ([expr {[dict exists $r0 note] ? [dict get $r0 note] : ""}])"
    hs::expect "A denies the request when it has not enabled SCTP_ENABLE_STREAM_RESET (RFC 6525 §6.3.1 default deny; P15)" \
        [expr {"denied" in [dict get $r0 event flags]}] 1
    on A [list opt set enable-stream-reset flags {reset-streams} --assoc $a --socket $hs::S(A)]
    hs::burst B $sb $b 0 ba-ctl 3
    set r1 [on B [list reset-streams $M --out --assoc $b --socket $sb --wait 2000]]
    hs::burst B $sb $b 0 ba-ctl2 3
    on B [list send ba-media-new --assoc $b --socket $sb --stream $M]
    set r2 [on B [list reset-streams $M --in --assoc $b --socket $sb --wait 2000]]
    on A [list send ab-media-new --assoc $a --socket $hs::S(A) --stream $M]
    set atA [hs::recvn A $hs::S(A) 7 3000]
    set atB [hs::recvn B $sb 1 3000]
    set ev [hs::evsummary [hs::events A $hs::S(A)]]
    after 100
    hs::timeline {HEARTBEAT HEARTBEAT-ACK}
    hs::say "  outgoing reset → [dict get $r1 event]; incoming → [dict get $r2 event]"
    hs::expect "outgoing SSN reset of S performed" [expr {"denied" ni [dict get $r1 event flags] && "failed" ni [dict get $r1 event flags]}] 1
    set mn [lindex [lmap m $atA {expr {[dict get $m data] eq "ba-media-new" ? [dict get $m ssn] : [continue]}}] 0]
    hs::expect "B's next S message arrives at A with SSN 0" $mn 0
    set mi [lindex [lmap m $atB {expr {[dict get $m data] eq "ab-media-new" ? [dict get $m ssn] : [continue]}}] 0]
    hs::expect "after B's Incoming SSN Reset request, A's next S message has SSN 0" $mi 0
    hs::expect "stream 0 in the same window: 6 messages in order" [expr {[hs::inorder $atA 0 ba-ctl 3] && [hs::inorder $atA 0 ba-ctl2 3]}] 1
    hs::expect "A got SCTP_STREAM_RESET_EVENT" [expr {[lsearch -glob $ev stream-reset*] >= 0}] 1
    hs::uncapture
    hs::row 5b "RFC 6525 SSN reset of S on A–B (out, then in)" \
        "denied until A enables it; then S restarts at SSN 0 both ways, stream 0 undisturbed; nothing moves to C" \
        "works (within one association; SSN→0 only)" "6525 §1 §5.1.2 §5.1.3 §5.2.2 §6.3.1"
}

# ======================================================================================
hs::run 6 "code on A and C naming the target in sendmsg()/recvmsg()" {
    hs::fresh {capture step6a}
    set a [dict get $hs::AB A]; set b [dict get $hs::AB B]
    # 6a: c not in A–B: A names c:P in sendmsg → implicit A–C (way out (b))
    set r [on A [list send hello-C --to $hs::ip(C):$hs::P --stream $hs::MEDIA --socket $hs::S(A)]]
    set ac [dict get $r assoc]
    set m [lindex [hs::recvn C $hs::S(C) 1 3000] 0]
    set ca [dict get $m assoc]
    on C [list send hello-A --assoc $ca --socket $hs::S(C) --stream $hs::MEDIA]
    set m2 [lindex [hs::recvn A $hs::S(A) 1 3000] 0]
    hs::timeline {HEARTBEAT HEARTBEAT-ACK}
    hs::expect "6a: A's send --to c:P opens a new association (not A–B)" [expr {$ac != $a}] 1
    hs::expect "6a: first message rides with COOKIE ECHO (one packet)" \
        [expr {[llength [hs::chunks --type COOKIE-ECHO --from A --to C]] == 1 &&
               [dict get [lindex [hs::chunks --type DATA --from A --to C] 0] index] == 2}] 1
    hs::expect "6a: C's recvmsg: msg_name = A's address, association id = C's A–C" \
        "[dict get $m from] [expr {$ca != [dict get $hs::BC C]}] [dict get $m data]" "$hs::ip(A) 1 hello-C"
    hs::expect "6a: A's recvmsg: from c, association id = A–C" "[dict get $m2 from] [expr {[dict get $m2 assoc] == $ac}]" "$hs::ip(C) 1"
    hs::expect "A–B unaffected" [hs::astate A $a $hs::S(A)] established
    hs::uncapture
    # 6b: after steps 2+3 (c in A–B, a in B–C): the same calls go into the wrong association
    hs::say "  -- 6b: the same sendmsg() calls after steps 2+3 (c is an address of A–B, a of B–C)"
    hs::interlock step6b
    set a [dict get $hs::AB A]; set sb [dict get $hs::AB sockB]
    set r [on A [list send hello-C --to $hs::ip(C):$hs::P --stream $hs::MEDIA --socket $hs::S(A)]]
    set rc [on C [list send hello-A --to $hs::ip(A):$hs::P --stream 0 --socket $hs::S(C)]]
    set atB [concat [hs::recvn B $sb 1 2000] [hs::recvn B [dict get $hs::BC sockB] 1 2000]]
    set atC [hs::recvn C $hs::S(C) 1 500]
    set atA [hs::recvn A $hs::S(A) 1 500]
    hs::expect "6b: A's send --to c:P goes into A–B (same assoc id, P18)" [dict get $r assoc] $a
    hs::expect "6b: C's send --to a:P goes into B–C" [dict get $rc assoc] [dict get $hs::BC C]
    hs::expect "6b: both messages are delivered to B, none to A or C (T9)" \
        "[lsort [lmap m $atB {dict get $m data}]] [llength $atC] [llength $atA]" "hello-A hello-C 0 0"
    hs::uncapture
    hs::row 6a "A: sendmsg(msg_name=c:P) with c not in A–B; C replies by assoc id" \
        "implicit A–C: INIT…COOKIE-ECHO+DATA; recvmsg msg_name = packet source, rcv_assoc_id tells A–B from A–C" \
        works "6458 §3.1.4 §7.5 §5.3.5; 9260 §5.1"
    hs::row 6b "same after steps 2+3" "A's message goes into A–B, C's into B–C: both land at B" \
        "conflicts" "9260 §1.3 §5.1.2; 6458 §3.1.4"
}

# ======================================================================================
hs::run 7 "races, reproduced deterministically" {
    set M $hs::MEDIA
    # T6: FORWARD-TSN overtakes in-flight DATA of another stream
    hs::say "  -- T6: B's FORWARD-TSN (meant for S) overtakes a lost control message (lab drop B DATA x1)"
    hs::fresh {capture step7-T6}
    set a [dict get $hs::AB A]; set b [dict get $hs::AB B]; set sb [dict get $hs::AB sockB]
    on B [list opt set rtoinfo initial 3000 min 3000 max 6000 --assoc $b --socket $sb]
    hs::burst B $sb $b 0 ctl 2
    hs::burst B $sb $b $M media 2
    hs::recvn A $hs::S(A) 4
    after 200
    lab drop B --chunk DATA --count 1
    on B [list send ctl-lost --assoc $b --socket $sb --stream 0]
    after 100
    set sm [hs::lastssn B A $M]
    # (the dropped DATA never reaches the trace, so forward-tsn must be told with --force)
    set f [on B [list forward-tsn --assoc $b --socket $sb --cum-tsn +1 --stream $M:$sm --force]]
    after 300
    on B [list send ctl-next --assoc $b --socket $sb --stream 0]
    on B [list send media-next --assoc $b --socket $sb --stream $M]
    set got [lmap m [hs::recvn A $hs::S(A) 3 1500] {dict get $m data}]
    set sbst [hs::st B $b $sb]
    hs::timeline {HEARTBEAT HEARTBEAT-ACK}
    binary scan ctl-lost H* hex
    hs::expect "T6: the lost control message is acked by A (B: unacked 0, never retransmitted)" \
        "[dict get $sbst unacked] [llength [hs::chunks --type DATA --from B --where [list payload $hex]]]" "0 0"
    hs::expect "T6: A delivers media-next but never ctl-lost, and stream 0 stalls behind it (ctl-next held)" [lsort $got] media-next
    hs::uncapture
    hs::row 7-T6 "FORWARD-TSN (New Cum TSN over a lost stream-0 DATA) for S" \
        "A counts the lost TSN received, acks it; B never retransmits; stream 0 loses the message and stalls" \
        "fatal (silent loss, other stream)" "3758 §3.2 §3.6"

    # T3: B hands the next sequence number to C while A is still sending
    hs::say "  -- T3: B tells C \"A's next media seq is k\" while A's S messages are in flight (lab link A --delay 100)"
    hs::fresh {capture step7-T3}
    set a [dict get $hs::AB A]; set b [dict get $hs::AB B]; set sb [dict get $hs::AB sockB]; set bc [dict get $hs::BC B]
    hs::burst A $hs::S(A) $a $M m 3
    set got [hs::recvn B $sb 3]
    lab link A --delay 100
    hs::burst A $hs::S(A) $a $M m2 3
    set k [expr {[dict get [lindex $got end] ssn] + 1}]
    on B [list send "EXPECT next-ssn=$k" --assoc $bc --socket $sb --stream 0]
    set ex [lindex [hs::recvn C $hs::S(C) 1 2000] 0]
    set late [hs::recvn B $sb 3 3000]
    lab link A --clear
    hs::timeline {HEARTBEAT HEARTBEAT-ACK}
    set tx [dict get [lindex [hs::chunks --type DATA --from B --to C] 0] time]
    set ta [dict get [lindex [hs::chunks --type DATA --from A --to B --where {ssn 3}] 0] time]
    hs::expect "T3: A's sendmsg of S#$k.. came first, B's handoff (EXPECT $k) reached C first, S#$k.. then still arrive at B" \
        [expr {[llength $late] == 3 && [dict get $ex data] eq "EXPECT next-ssn=$k" && $tx < $ta}] 1
    hs::say "  B's EXPECT on the wire at [format %.1f [expr {($tx*1e6-$hs::t0)/1000}]] ms, A's S#$k (sent earlier, delayed 100 ms) at [format %.1f [expr {($ta*1e6-$hs::t0)/1000}]] ms;\
             B received SSNs [lmap m $late {dict get $m ssn}] after handing over"
    hs::uncapture
    hs::row 7-T3 "B hands 'next seq = k' to C while A's S#k.. are in flight (100 ms)" \
        "3 S messages reach B after the handoff: C's view is stale; not fatal only if B relays stragglers (as in way out (b))" \
        "fatal unless relayed" "9260 §6.5 §6.6"

    # T5: SACKs from two hosts disagree
    hs::say "  -- T5: C acks (as B) an A→B message that B never got (lab drop A DATA x1)"
    hs::fresh {capture step7-T5}
    set a [dict get $hs::AB A]; set b [dict get $hs::AB B]; set sb [dict get $hs::AB sockB]
    on A [list opt set rtoinfo initial 3000 min 3000 max 6000 --assoc $a --socket $hs::S(A)]
    hs::burst A $hs::S(A) $a $M m 2
    hs::recvn B $sb 2
    after 200
    # the dropped packet never reaches the trace: its TSN is the next one
    set tsn [expr {([hs::lasttsn A B] + 1) % 4294967296}]
    lab drop A --chunk DATA --count 1
    on A [list send m-lost --assoc $a --socket $hs::S(A) --stream $M]
    after 50
    set tagA [dict get [hs::st A $a $hs::S(A)] vtag]
    # C "received" it (it could sniff it) and acknowledges it as B would
    on C [list inject SACK cum_tsn $tsn a_rwnd 100000 --vtag $tagA --src $hs::ip(B):$hs::P --dst $hs::ip(A):$hs::P]
    after 100
    on A [list send m-next --assoc $a --socket $hs::S(A) --stream $M]
    on A [list send c-next --assoc $a --socket $hs::S(A) --stream 0]
    set atB [lmap m [hs::recvn B $sb 3 1500] {dict get $m data}]
    set sa [hs::st A $a $hs::S(A)]
    hs::timeline {HEARTBEAT HEARTBEAT-ACK}
    hs::expect "T5: A takes C's SACK: the lost TSN is never retransmitted" \
        [llength [hs::chunks --type DATA --from A --where [list tsn $tsn]]] 0
    hs::expect "T5: B never gets m-lost; m-next waits behind it on S; stream 0 delivered" [lsort $atB] c-next
    set bsacks [hs::chunks --type SACK --from B]
    hs::say "  B's SACKs after that report cum_tsn [lsort -unique [lmap c $bsacks {dict get $c cum_tsn}]] (< A's ack point [dict get [lindex [hs::chunks --type SACK --from C] 0] cum_tsn]): A drops them as old (RFC 9260 §6.2.1); A unacked [dict get $sa unacked]"
    hs::uncapture
    hs::row 7-T5 "C SACKs (as B) a TSN B never received" \
        "A never retransmits it; S stalls at B; B's later SACKs are older than A's ack point and ignored" \
        "fatal (silent loss, stall)" "9260 §6.2 §6.2.1"
    hs::row 7-T8 "address used before it is confirmed (step 4c)" "sendmsg OK, DATA silently sent to b" \
        "not fatal, silent misdirection" "9260 §5.4; 5061 F1"
    hs::row 7-T1/T2 "probe of c answered OOTB; steps 2/3 ordering (steps 2a, 3b)" \
        "A–B (and B–C) aborted; Linux probes at once, so the window is ~0" "fatal" "9260 §8.4 §8.5.1"
}

# ======================================================================================
# the table, and the exit status
proc hs::table {} {
    variable rows; variable fails
    say ""
    say "════ Summary: step · what was tried · what the kernels did · verdict · RFC sections"
    foreach r $rows {
        lassign $r s t d v f
        say "  [format %-4s $s] · $t · $d · $v · $f"
    }
    say ""
    if {[llength $fails]} {
        say "FAILED: [llength $fails] assertion(s):"
        foreach f $fails { say "  $f" }
        return 1
    }
    say "All assertions held."
    return 0
}
set ::hs_rc [hs::table]
catch {lab reset}
exit $::hs_rc
