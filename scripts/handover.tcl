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
    # captures go to build/handover of the checkout, whatever the current directory
    variable dir [file normalize [file join [file dirname [info script]] .. build handover]]
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
# Library mode (tests/tcl/handover.test): set ::hs_library 1 before sourcing; the
# steps are then only recorded (hs::runstep N runs one) and argv is not read.
if {![info exists ::hs_library]} { set ::hs_library 0 }
if {!$::hs_library} {
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
        # no Nagle-style bundling delay: every message leaves at once (timings in step 8)
        on $h [list opt set nodelay 1 --socket $S($h)]
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
    variable only; variable step; variable steps
    if {$::hs_library} { set steps($n) [list $title $body]; return }
    if {[llength $only] && $n ni $only} return
    set step $n
    say ""
    say "════ Step $n — $title"
    set tstart [clock milliseconds]
    if {[catch {uplevel #0 $body} err opts]} {
        variable fails
        say "    ✗ STEP $n ERROR: $err"
        lappend fails "step $n: error: $err"
        say [dict get $opts -errorinfo]
        catch {timeline {HEARTBEAT HEARTBEAT-ACK}}
    }
    catch {trace off}
    say [format "  (step %s took %.1f s)" $n [expr {([clock milliseconds] - $tstart) / 1000.0}]]
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
    if {!$hs::quick} {
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
    }

    # 2c: A requires ABORT to be authenticated (RFC 4895 §6.3)
    hs::say "  -- 2c: A lists ABORT in its AUTH chunk list (SCTP_AUTH_CHUNK 6) before A–B starts"
    hs::fresh {authabort 1}
    hs::capture step2c
    set a [dict get $hs::AB A]
    hs::addip_c
    after [expr {$hs::quick ? 900 : 1500}]
    hs::timeline {HEARTBEAT-ACK}
    set aborts [llength [hs::chunks --type ABORT --from C]]
    set hbs [llength [hs::chunks --type HEARTBEAT --from A --where [list dst $hs::ip(C)]]]
    set ev [hs::evsummary [hs::events A $hs::S(A)]]
    hs::say "  A's events: $ev"
    hs::expect "C still ABORTs each probe (count > 0)" [expr {$aborts > 0}] 1 true
    hs::expect "A drops C's unauthenticated ABORTs: A–B survives (P22)" [hs::astate A $a $hs::S(A)] established
    hs::expect "c stays unconfirmed at A" [hs::pathstate A $a $hs::S(A) $hs::ip(C)] unconfirmed
    hs::say "  A probed c $hbs times; C answered $aborts ABORTs"
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
    # 3a: alone (the mirror image of 2a; skipped with --quick)
    if {!$hs::quick} {
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
    }

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
    hs::expect "B never sends a packet with source address c (P21; c is only announced)" \
        [llength [trace collect --from B --where [list src $hs::ip(C)]]] 0
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
# One message, timed: send DATA from HOST on association ID, receive it at TOHOST (association TOID)
proc hs::timed {host sock id sid data tohost tosock toid {extra {}}} {
    set t [clock microseconds]
    on $host [list send $data --assoc $id --socket $sock --stream $sid {*}$extra]
    if {[catch {on $tohost [list recv --assoc $toid --socket $tosock --timeout 3000]} m]} { return [list {} -1] }
    return [list [dict get $m data] [expr {([clock microseconds] - $t) / 1000.0}]]
}
proc hs::med {l} { set l [lsort -real $l]; return [lindex $l [expr {[llength $l] / 2}]] }
proc hs::mx {l} { return [lindex [lsort -real $l] end] }

# N rounds of: A–B control (A→B), B–C control (B→C), media (A→B, or A→C once moved);
# ACTION runs before round AT (it may set ::hs::moved to {A-sock A-assoc C-sock C-assoc}
# or ::hs::mediaextra to extra send options). Returns a dict of results.
proc hs::flows {n at action} {
    variable AB; variable BC; variable S; variable MEDIA
    set ::hs::moved {}; set ::hs::mediaextra {}
    foreach f {ab bc media} { set got($f) {}; set lat($f) {}; set aft($f) {} }
    for {set i 0} {$i < $n} {incr i} {
        if {$i == $at} { uplevel #0 $action }
        set a [dict get $AB A]; set b [dict get $AB B]; set sb [dict get $AB sockB]
        set r(ab) [timed A $S(A) $a 0 ab-$i B $sb $b]
        set r(bc) [timed B [dict get $BC sockB] [dict get $BC B] 0 bc-$i C [dict get $BC sockC] [dict get $BC C]]
        if {$::hs::moved eq {}} {
            set r(media) [timed A $S(A) $a $MEDIA media-$i B $sb $b $::hs::mediaextra]
        } else {
            lassign $::hs::moved as ac cs ca
            set r(media) [timed A $as $ac $MEDIA media-$i C $cs $ca]
        }
        foreach f {ab bc media} {
            lassign $r($f) d l
            lappend got($f) $d; lappend lat($f) $l
            if {$i >= $at && $i < $at + 3} { lappend aft($f) $l }
        }
    }
    set res {}
    foreach f {ab bc media} { dict set res $f [dict create got $got($f) lat $lat($f) latafter $aft($f)] }
    return $res
}
proc hs::flowreport {tag res n} {
    set ok 1
    foreach f {ab bc media} {
        set want {}; for {set i 0} {$i < $n} {incr i} { lappend want [string map {ab ab bc bc media media} $f]-$i }
        set got [dict get $res $f got]
        set lat [lmap l [dict get $res $f lat] {expr {$l < 0 ? [continue] : $l}}]
        set lost [llength [lsearch -all -exact $got {}]]
        say [format "    %-6s %-5s delivered %2d/%d, in order %s, lost %d; latency median %6.1f ms, max %7.1f ms; first 3 after the action: %s" \
            $tag $f [expr {$n - $lost}] $n [expr {$got eq $want}] $lost [med $lat] [mx $lat] \
            [lmap l [dict get $res $f latafter] {format %.1f $l}]]
    }
}

hs::run 8 "do the other streams continue? counts and timings" {
    set n [expr {$hs::quick ? 8 : 30}]; set at [expr {$n / 2}]
    hs::say "  each round: one A–B stream-0 message A→B, one B–C stream-0 message B→C, one media message; each timed send→recv (sctpsh in TCG: ms include the shell's own overhead)"
    # 8a baseline (skipped with --quick)
    if {!$hs::quick} {
        hs::fresh {capture step8a}
        set r [hs::flows $n $at {}]
        hs::flowreport base $r $n
        hs::uncapture
    }
    # 8b way out (b): media moves to an implicit A–C association at round $at
    hs::fresh {capture step8b}
    set r [hs::flows $n $at {
        set x [on A [list send media-open --to $hs::ip(C):$hs::P --stream $hs::MEDIA --socket $hs::S(A)]]
        set m [on C [list recv --socket $hs::S(C) --timeout 3000]]
        set ::hs::moved [list $hs::S(A) [dict get $x assoc] $hs::S(C) [dict get $m assoc]]
    }]
    hs::flowreport way-b $r $n
    foreach f {ab bc media} {
        set want {}; for {set i 0} {$i < $n} {incr i} { lappend want $f-$i }
        hs::expect "8b ($f): all $n delivered in order across the move" [expr {[dict get $r $f got] eq $want}] 1
    }
    set ab_b [dict get $r ab]
    hs::expect "8b: A–B control latency right after the move stays near its median (< 5× median + 50 ms)" \
        [expr {[hs::mx [dict get $r ab latafter]] < 5 * [hs::med [dict get $r ab lat]] + 50}] 1
    hs::uncapture
    # 8c RFC 6525 reset of S mid-flow
    hs::fresh {capture step8c}
    on A [list opt set enable-stream-reset flags {reset-streams} --assoc [dict get $hs::AB A] --socket $hs::S(A)]
    set r [hs::flows $n $at {
        on B [list reset-streams $hs::MEDIA --in --assoc [dict get $hs::AB B] --socket [dict get $hs::AB sockB] --wait 2000]
    }]
    hs::flowreport 6525 $r $n
    foreach f {ab bc media} {
        set want {}; for {set i 0} {$i < $n} {incr i} { lappend want $f-$i }
        hs::expect "8c ($f): all $n delivered in order across the stream reset" [expr {[dict get $r $f got] eq $want}] 1
    }
    hs::uncapture
    # 8d the ADD-IP route (steps 2+3 interlocked, c confirmed by C, media with ADDR_OVER c)
    if {!$hs::quick} {
        hs::interlock step8d
        set r [hs::flows $n $at {
            set hb [trace wait HEARTBEAT --from A --where [list dst $hs::ip(C)] --timeout 5000]
            set tagA [dict get [hs::st A [dict get $hs::AB A] $hs::S(A)] vtag]
            on C [list inject HEARTBEAT-ACK info [dict get $hb info] --vtag $tagA --src $hs::ip(C):$hs::P --dst $hs::ip(A):$hs::P]
            after 200
            set ::hs::mediaextra [list --addr-over $hs::ip(C)]
        }]
        hs::flowreport addip $r $n
        set ml [lrange [dict get $r media lat] $at end]
        set toc [llength [hs::chunks --type DATA --from A --to C]]
        hs::say [format "  media after the action: %d DATA chunks sent to c (dropped there), latency at B median %.1f ms, max %.1f ms" $toc [hs::med $ml] [hs::mx $ml]]
        hs::expect "8d: media DATA is sent to c, yet every media message ends at B (in order, none lost)" \
            "[expr {$toc > 0}] [expr {[dict get $r media got] eq [lmap i [lsearch -all [dict get $r media got] *] {set _ media-$i}]}]" "1 1"
        hs::expect "8d: A–B and B–C control keep flowing in order" \
            [expr {[llength [lsearch -all -exact [dict get $r ab got] {}]] == 0 && [llength [lsearch -all -exact [dict get $r bc got] {}]] == 0}] 1
        hs::uncapture
        hs::row 8d "media sent with ADDR_OVER c after C confirmed c (ADD-IP route)" \
            [format "control flows intact; media sent to c (%d DATA) is dropped there and reaches B only by retransmission (max %.0f ms)" $toc [hs::mx $ml]] \
            "conflicts" "9260 §6.4 §8.5"
    }
    hs::row 8a-c "steady A–B/B–C control + media; move media by (b) or reset S (6525)" \
        "0 lost, 0 reordered on every flow; control latency unchanged across the move" works "9260 §6.6; 6458 §3.1.4"
}

# ======================================================================================
hs::run 9 "every captured packet decoded by tshark without errors; rules per step" {
    set files [lsort [glob -nocomplain -directory $hs::dir step*.pcap]]
    hs::expect "captures to check" [expr {[llength $files] > 0}] 1 true
    set tso {-n -o sctp.checksum:crc-32c -o sctp.relative_tsns:FALSE}
    set bad 0; set frames 0; set warn 0
    if {$hs::quick && [llength $files] > 1} {
        # --quick: one tshark run over all captures merged (tshark's start-up dominates under TCG)
        set merged [file join $hs::dir merged-quick.pcapng]
        exec mergecap -w $merged {*}$files
        hs::say "  --quick: [llength $files] captures merged into $merged for one tshark pass (no sctpsh CRC re-decode)"
        set files [list $merged]
    }
    foreach f $files {
        # one tshark pass: frames with a malformed mark or an expert item of warning level or worse
        set out [exec timeout 120 tshark -r $f {*}$tso -Y {_ws.malformed || _ws.expert.severity >= warning} \
                     -T fields -E separator=/t -E occurrence=a -e frame.number -e _ws.expert.severity -e _ws.malformed -e _ws.expert.message 2>@1]
        set m {}; set w {}
        foreach l [split $out \n] {
            if {$l eq "" || [string match "Running as*" $l]} continue
            lassign [split $l \t] fn sev mal msg
            # severities: 0x00600000 warning, 0x00800000 error
            if {$mal ne "" || [string match *8388608* $sev] || [string match -nocase *0x008* $sev]} { lappend m "frame $fn: $msg" } else { lappend w "frame $fn: $msg" }
        }
        if {$hs::quick} {
            set ours {}
            set nf [llength [lmap l [split [exec timeout 120 tshark -r $f -T fields -e frame.number 2>@1] \n] {expr {[string is integer -strict $l] ? 1 : [continue]}}]]
        } else {
            set ours [trace read $f]
            set nf [llength [lsort -unique [lmap c $ours {dict get $c frame}]]]
        }
        set crcbad [llength [lmap c $ours {expr {[dict get $c crc] in {ok offload} ? [continue] : 1}}]]
        hs::say [format "    %-28s %4d frames, %4d chunks (sctpsh), malformed/error %d, warnings %d, bad CRC %d" \
            [file tail $f] $nf [llength $ours] [llength $m] [llength $w] $crcbad]
        foreach l [lrange $m 0 2] { hs::say "      $l" }
        foreach l [lrange $w 0 1] { hs::say "      warning: $l" }
        incr bad [expr {[llength $m] + $crcbad}]
        incr warn [llength $w]
        incr frames $nf
    }
    hs::expect "tshark: malformed or error-level frames, bad CRCs in [llength $files] captures ($frames frames)" $bad 0
    hs::say "  rules per step (docs/handover.md §11 has the quotes):"
    foreach r $hs::rows { hs::say "    [lindex $r 0]: [lindex $r 4]" }
    hs::row 9 "tshark -r on every capture" "$frames frames, 0 malformed/error, $warn expert warnings" works "—"
}

# ======================================================================================
# run docs/wayout.c's three roles (C, B, A) in their namespaces; C's JSON as a dict
proc hs::wayout {port args} {
    set w [file normalize build/wayout]
    set c [open |[list ip netns exec C $w -p $port c 2>@1] r]
    after 200
    set b [open |[list ip netns exec B $w -p $port {*}$args b 2>@1] r]
    after 200
    set a [exec ip netns exec A $w -p $port a 2>@1]
    set bout [read $b]; catch {close $b}
    set cout [read $c]; catch {close $c}
    set r {}
    foreach {role text} [list A $a B $bout C $cout] {
        set d {}
        foreach {k v} [regsub -all {[{}\":,]} [lindex [split [string trim $text] \n] end] " "] { dict set d $k $v }
        dict set r $role $d
    }
    return $r
}

hs::run 10 "the conflict and the ways out: (b) live, (a) as a model" {
    if {![file executable build/wayout]} { error "build/wayout missing: run make" }
    hs::fresh
    foreach h {A B C} { lab link $h --delay 10 }
    # RTT A–C as the kernel measures it, on a throwaway association
    set x [on A [list send rtt-0 --to $hs::ip(C):$hs::P --socket $hs::S(A)]]
    on C [list recv --socket $hs::S(C) --timeout 3000]
    for {set i 1} {$i < 6} {incr i} {
        on A [list send rtt-$i --assoc [dict get $x assoc] --socket $hs::S(A)]
        on C [list recv --socket $hs::S(C) --timeout 3000]
    }
    set srtt {}
    foreach p [dict get [hs::st A [dict get $x assoc] $hs::S(A)] paths] {
        if {[dict get $p addr] eq $hs::ip(C)} { set srtt [dict get $p srtt] }
    }
    hs::say "  lab link --delay 10 on A, B, C: RTT_AC nominal 20 ms; spinfo_srtt of a throwaway A–C association $srtt (Linux reports it raw, in jiffies: socket.c sctp_getsockopt_peer_addr_info)"
    set res {}
    foreach {mode args} {break-before-make {} make-before-break -P} {
        set r [hs::wayout 5100 {*}$args]
        set c [dict get $r C]
        # RTT_AC measured on wayout's own A–C association (handshake / 2);
        # the nominal 20 ms only if A never saw A–C come up
        set rtt [dict get $r A rtt_ac_ms]
        if {$rtt <= 0} { set rtt 20.0 }
        set gap [dict get $c gap_ms]; set fd [dict get $c first_direct_ms]; set late [dict get $c late_max_ms]
        hs::say [format "  %-17s: delivered %s, lost %s, dup %s, relayed %s, direct %s; RTT_AC %.1f ms; gap (C's first direct arrival − B's last media) %.1f ms = %.2f RTT_AC; first direct message %.1f ms = %.2f RTT_AC after A sent it; worst lateness against the media schedule %.1f ms, %s messages later than one interval; A–B control A→B %s/%s, B–C control %s/%s" \
            $mode [dict get $c delivered] [dict get $c lost] [dict get $c dup] [dict get $c relayed] [dict get $c direct] \
            $rtt $gap [expr {$gap / $rtt}] $fd [expr {$fd / $rtt}] $late [dict get $c late_n] \
            [dict get $r B control_from_a] [expr {[dict get $r A control] + 1}] [dict get $c bc_control] [dict get $r B bc_control]]
        hs::expect "(b) $mode: 0 lost, 0 duplicated" "[dict get $c lost] [dict get $c dup]" "0 0"
        hs::expect "(b) $mode: other streams complete (A–B control, B–C control)" \
            [expr {[dict get $r B control_from_a] == [dict get $r A control] + 1 && [dict get $c bc_control] == [dict get $r B bc_control]}] 1
        dict set res $mode [list $gap $fd $rtt $late]
        set ::hs::wayout_$mode [list $gap $fd]
    }
    foreach h {A B C} { lab link $h --clear }
    lassign [dict get $res break-before-make] g1 f1 r1 l1
    lassign [dict get $res make-before-break] g2 f2 r2 l2
    hs::expect "break-before-make: first direct message needs the A–C handshake (≥ 1.5 RTT_AC)" [expr {$f1 >= 1.4 * $r1}] 1
    hs::expect "make-before-break: first direct message takes about one way (< 1.5 RTT_AC)" [expr {$f2 < 1.5 * $r2}] 1
    set rtt $r1
    hs::say "  floors: (b) break-before-make 1.5 RTT_AC to the first direct message (INIT, INIT-ACK, COOKIE-ECHO+DATA; RFC 9260 §5.1);"
    hs::say "          (b) make-before-break 0.5 RTT_AC (A–C already up); ADD-IP route: 1 RTT_AB (ASCONF) + 1 RTT_AC (HEARTBEAT,"
    hs::say "          sent at once by Linux 6.1, step 2) before any DATA may go to c = [expr {2 * int($rtt)}] ms here — and then it fails (steps 2–4)."
    hs::say "  (a) distributed endpoint, as a model only: B and C would share A–B's tags, one TSN allocator, one receive"
    hs::say "      TSN map and SACK generator, a_rwnd, one congestion window per address of A (RFC 9260 §7.1-7.2), AUTH key,"
    hs::say "      ASCONF/RE-CONFIG serials, and C's kernel must not answer"
    hs::say "      A–B packets as OOTB (steps 2a, 4a). Steps 5a-ii and 7-T5 show the kernel-level failures when any of it"
    hs::say "      is not shared. Linux keeps the TCB in one kernel: (a) needs a user-space SCTP stack on B and C. Not run."
    hs::row 10b "way out (b): new A–C association on B's instruction (docs/wayout.c), 10 ms one-way" \
        [format "0 lost/dup; gap %.1f ms (%.2f RTT_AC), worst lateness %.1f ms break-before-make; gap %.1f ms (%.2f RTT_AC), worst lateness %.1f ms make-before-break; other streams complete" $g1 [expr {$g1/$r1}] $l1 $g2 [expr {$g2/$r2}] $l2] \
        works "6458 §3.1.4 §7.5; 9260 §5.1 §5.4"
    hs::row 10a "way out (a): B+C as one distributed endpoint" "not run: Linux keeps a TCB in one kernel" \
        "model, not run" "9260 §1.3 §14.2"
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
# library mode: run step N alone; returns {failures rows} of that step
proc hs::runstep {n} {
    variable steps; variable fails; variable rows
    set fails {}; set rows {}
    set lib $::hs_library
    set ::hs_library 0
    try { run $n [lindex $steps($n) 0] [lindex $steps($n) 1] } finally { set ::hs_library $lib }
    return [list $fails $rows]
}

if {!$::hs_library} {
    set ::hs_rc [hs::table]
    catch {lab reset}
    exit $::hs_rc
}
