# bench/figures.tcl - the throughput and scale figures of `make bench`, in one
# sctpsh inside the lab (one VM boot), so every ratio compares runs made
# minutes apart on the same machine:
#   scripts/sctplab run ./sctpsh --no-socket bench/figures.tcl ?SECONDS? ?ROUNDS?
# Prints "figure: NAME VALUE UNIT (goal ...)" lines, and the raw rates above them.
#   bulk-ratio      sctpsh bulk send -> bulk sink ÷ iperf3 --sctp, A->B on LAN1, 1000 B messages
#   bulk-ratio-64k  the same with 65536 B messages
#   bulk-vs-tcp     sctpsh at 1000 B ÷ iperf3 TCP with 1000 B writes
#   setup-rate      associations set up per second from one one-to-many socket (A) to K
#                   listening sockets (B), connect after connect; and the plain C loop
#                   bench/setup-rate.c doing the same
#   assocs-latency-1000  `assocs` with 1000 associations in the shell (2000 rows: both ends)
# Both sides use the kernel's default buffers; the rates are those the
# receiver saw. Every external program runs under `timeout`.
set secs   [expr {[llength $argv] > 0 ? [lindex $argv 0] : 4}]
set rounds [expr {[llength $argv] > 1 ? [lindex $argv 1] : 2}]
set here [file dirname [file normalize [info script]]]
set setup_c [file join $here .. build bench-setup-rate]

proc figure {name value unit goal} {
    puts "figure: $name $value $unit (goal $goal)"
    flush stdout
}
proc note {text} { puts "  $text"; flush stdout }
proc sleep_ms {ms} { after $ms {set ::slept 1}; vwait ::slept }
proc ns {host args} { list timeout 60 nsenter --net=/run/netns/$host {*}$args }

# iperf3 A -> B (198.51.100.2); returns the receiver's MB/s (10^6 bytes/s)
proc iperf {args} {
    global secs
    exec {*}[ns B iperf3 -s -1 -p 5201] >/dev/null 2>@1 &
    set py {import json, sys
d = json.load(sys.stdin)
if "error" in d: print("error", d["error"].replace(" ", "_")); sys.exit()
e = d["end"]; r = e.get("sum_received") or e["sum"]
print(r["bytes"], r["seconds"])}
    # the server needs a moment to start (a process start is slow under TCG)
    for {set try 0} {$try < 20} {incr try} {
        sleep_ms 300
        if {[catch {exec {*}[ns A iperf3 -c 198.51.100.2 -p 5201 -t $secs -J {*}$args] 2>@1} out]} {
            if {![string match *connect* $out] && ![string match *refused* $out]} break
            continue
        }
        lassign [exec /usr/bin/python3 -c $py << $out] bytes s
        if {$bytes eq "error"} {
            set out $s
            if {[string match *connect* $s]} continue ;# -J reports it with status 0
            break
        }
        return [expr {$bytes / $s / 1e6}]
    }
    error "iperf3 $args failed: [string range $out 0 300]"
}

# sctpsh: bulk send on A, bulk sink on B (same shell); returns the sink's MB/s
proc sctpsh_bulk {size} {
    global secs
    # with 2 vCPUs a reset right after a transfer once failed with EADDRINUSE: once more
    if {[catch {lab reset}]} { sleep_ms 1000; lab reset }
    set a [on A {connect 198.51.100.2 --timeout 5000}]
    on B {wait assoc-change --timeout 5000}
    on B {bulk sink on}
    set r [on A [list bulk send --assoc $a --seconds $secs --size $size --timeout 5000]]
    set n [dict get $r messages]
    set end [expr {[clock milliseconds] + 20000}]
    while {[dict get [on B {bulk sink stats}] messages] < $n && [clock milliseconds] < $end} { sleep_ms 20 }
    set st [on B {bulk sink off}]
    if {[dict get $st messages] != $n} { error "sctpsh bulk: sent $n, the sink counted [dict get $st messages]" }
    return [dict get $st mbps]
}

proc mean {l} { expr {[tcl::mathop::+ {*}$l] / double([llength $l])} }
proc r2 {x} { format %.2f $x }

# bench/limits.tcl sources the procedures above and stops here
if {[info exists ::bench_defs_only]} return

lab up
set tests {sctp1000 {iperf --sctp -l 1000} bulk1000 {sctpsh_bulk 1000}
           sctp64k {iperf --sctp -l 65536} bulk64k {sctpsh_bulk 65536}
           tcp1000 {iperf -l 1000}}
foreach {k v} $tests { set rate($k) {} }
for {set i 1} {$i <= $rounds} {incr i} {
    foreach {k script} $tests {
        if {[catch {eval $script} x]} {
            note "$k round $i: $x"
            continue
        }
        lappend rate($k) $x
        note [format "%-9s round %d: %6.2f MB/s" $k $i $x]
    }
}
proc ratio {a b} {
    if {![llength $::rate($a)] || ![llength $::rate($b)]} { return n/a }
    r2 [expr {[mean $::rate($a)] / [mean $::rate($b)]}]
}
note [format "means over %d rounds of %s s: iperf3 sctp %.2f / sctpsh %.2f MB/s at 1000 B; %.2f / %.2f at 64 KiB; iperf3 tcp %.2f" \
    $rounds $secs {*}[lmap k {sctp1000 bulk1000 sctp64k bulk64k tcp1000} {
        expr {[llength $rate($k)] ? [mean $rate($k)] : 0}}]]
figure bulk-ratio [ratio bulk1000 sctp1000] "" ">= 0.9, sctpsh bulk / iperf3 --sctp, 1000 B"
figure bulk-ratio-64k [ratio bulk64k sctp64k] "" ">= 0.9, 64 KiB messages"
figure bulk-vs-tcp [ratio bulk1000 tcp1000] "" "reference: sctpsh bulk / iperf3 TCP, 1000 B"

# ---- association set-up rate and assocs latency -------------------------
proc rss_kib {} {
    set f [open /proc/self/status]; set s [read $f]; close $f
    regexp {VmRSS:\s+(\d+)} $s -> kib
    return $kib
}
set K 200
lab reset
for {set i 0} {$i < $K} {incr i} { on B [list socket --port [expr {6000 + $i}]] }
set t0 [clock microseconds]
for {set i 0} {$i < $K} {incr i} { on A [list connect 198.51.100.2:[expr {6000 + $i}] --timeout 5000] }
set t1 [clock microseconds]
set sh_rate [expr {$K * 1e6 / ($t1 - $t0)}]
note [format "sctpsh: %d associations from one socket in %.2f s" $K [expr {($t1 - $t0) / 1e6}]]
set c_rate ""
if {[file executable $setup_c]} {
    if {[catch {exec timeout 60 $setup_c $K 7000 198.51.100.2} out]} {
        note "setup-rate.c: $out"
    } else {
        lassign $out n s
        set c_rate [expr {$n / $s}]
        note [format "plain C: %d associations in %.2f s" $n $s]
    }
}
figure setup-rate [format %.0f $sh_rate] assoc/s "reference: plain C [expr {$c_rate eq "" ? "n/a" : [format %.0f $c_rate]}] assoc/s"
figure setup-ratio [expr {$c_rate eq "" ? "n/a" : [r2 [expr {$sh_rate / $c_rate}]]}] "" ">= 0.9, sctpsh / plain C"

# `assocs` with 1, 200 and 1000 associations on host A (the median of 3 calls)
proc assocs_ms {} {
    set t {}
    for {set i 0} {$i < 3} {incr i} {
        set t0 [clock microseconds]
        set n [llength [on A {assocs}]]
        lappend t [expr {([clock microseconds] - $t0) / 1000.0}]
    }
    return [list $n [lindex [lsort -real $t] 1]]
}
lassign [assocs_ms] n200 ms200
set ok 1
for {set j 0} {$j < 4 && $ok} {incr j} {
    set s [on A {socket}]
    for {set i 0} {$i < $K} {incr i} {
        if {[catch {on A [list connect --socket $s 198.51.100.2:[expr {6000 + $i}] --timeout 5000]} err]} {
            note "assocs: connect failed: $err"
            set ok 0
            break
        }
    }
}
lassign [assocs_ms] n1000 ms1000
# both ends of every association are sockets of this shell: two rows each
note [format "assocs: %d rows in %.1f ms, %d rows in %.1f ms; sctpsh RSS %d KiB" $n200 $ms200 $n1000 $ms1000 [rss_kib]]
if {$n1000 == 2 * 5 * $K} {
    figure assocs-latency-1000 [format %.3f [expr {$ms1000 / 1000.0}]] s \
        "<= 0.1 s; [expr {5 * $K}] associations, $n1000 rows: both ends are in this shell"
} else {
    note "assocs-latency-1000: [expr {$n1000 / 2}] of [expr {5 * $K}] associations came up"
}
lab reset
