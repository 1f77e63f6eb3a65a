# Helpers shared by the lessons (sourced by each one; not a lesson itself).

# A fresh lab: hosts A, B, C up, every earlier association aborted, no shaping
# or drop rules; A is the current host; the trace starts empty on every host
# (trace on --all --quiet: collected, not printed). lab reset is retried:
# a port freed by closing sockets can stay busy for a moment (EADDRINUSE).
proc fresh {} {
    catch {trace off}
    catch {trace collect --clear}
    lab up
    for {set i 0} {$i < 40} {incr i} {
        if {![catch {lab reset} err opts]} break
        if {[lindex [dict get $opts -errorcode] end] ne "EADDRINUSE"} { return -options $opts $err }
        after 50
    }
    host A
    trace on --all --quiet
    return ""
}

# The trace lines that matter: the collected chunks of TYPES, one short line
# each (who, addresses, verification tag, the chunk's own fields). ARGS go to
# trace collect (--host H, --from H, --to H, --where DICT).
proc chunks {types args} {
    set out {}
    foreach d [trace collect {*}$args] {
        if {[dict get $d type] in $types} { lappend out [chunkline $d] }
    }
    return [join $out \n]
}

proc chunkline {d} {
    set who [expr {[dict exists $d host] ? [dict get $d host] : "?"}]
    if {[dict exists $d to] && [dict get $d to] ne ""} { append who ">" [dict get $d to] }
    set l [format "%-4s %s -> %s vtag %08x %s" $who [dict get $d src] [dict get $d dst] \
               [dict get $d vtag] [dict get $d type]]
    set skip {time host to iface src dst sport dport vtag crc type ctype chunk_flags length index
              payload_len frame}
    dict for {k v} $d {
        if {$k in $skip} continue
        switch -- $k {
            params {
                # addresses of INIT/INIT ACK on one line, other parameters by name
                set addrs {}
                set ps {}
                foreach p $v {
                    set n [dict get $p name]
                    if {$n in {ipv4-address ipv6-address}} { lappend addrs [dict get $p addr]; continue }
                    if {$n in {random chunk-list requested-hmac-algorithm supported-address-types ecn-capable}} continue
                    if {$n eq "state-cookie"} { append n " ([dict get $p len] bytes)" }
                    if {[dict exists $p chunks]} { append n " [join [dict get $p chunks] ,]" }
                    foreach f {addr correlation seq sid streams number} {
                        if {[dict exists $p $f]} { append n " $f=[dict get $p $f]" }
                    }
                    lappend ps $n
                }
                if {[llength $addrs]} { append l " addrs [join $addrs ,]" }
                if {[llength $ps]} { append l " params: [join $ps {, }]" }
            }
            payload { append l " \"[binary format H* $v]\"" }
            init_tag - tag { append l [format " %s %08x" $k $v] }
            default {
                if {[string length $v] > 40} {
                    append l " $k ([expr {[string length $v] / 2}] bytes)"
                } else {
                    append l " $k [expr {$v eq {} ? {{}} : $v}]"
                }
            }
        }
    }
    return $l
}

# The collected chunks of TYPE (dicts), in order; ARGS as for chunks.
proc chunklist {type args} {
    trace collect --type $type {*}$args
}

# Field KEY of the first collected chunk of TYPE (ARGS as for chunks).
proc field {type key args} {
    set l [trace collect --type $type {*}$args]
    if {![llength $l]} { return -code error -errorcode {SCTPSH expect} "no $type chunk was traced" }
    dict get [lindex $l 0] $key
}

# The next peer-addr-change on the current host for ADDR reaching STATE
# (others are skipped), within MS ms; the event, or an error.
proc addr_event {addr state {ms 15000} args} {
    set end [expr {[clock milliseconds] + $ms}]
    while {[clock milliseconds] < $end} {
        if {[catch {wait peer-addr-change --timeout 500 {*}$args} ev]} continue
        if {[dict get $ev addr] eq $addr && [dict get $ev state] eq $state} { return $ev }
    }
    return -code error -errorcode {SCTPSH timeout} "no peer-addr-change $state for $addr in $ms ms"
}
