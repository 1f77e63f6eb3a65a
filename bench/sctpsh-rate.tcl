# Benchmark (not a test): how fast sctpsh moves messages through the kernel
# and its queues, and what memory it holds. Run in the lab:
#   scripts/sctplab run ./sctpsh --no-socket bench/sctpsh-rate.tcl [N] [SIZE]
# Prints messages/s for send (A) and for recv (B's queue), and RSS before/after,
# then "figure: send-loop-rate". The receiver is B in the same shell: each send
# runs the event loop while the send buffer is full, which queues B's arrivals
# (it used to block in the kernel for good past ~200 messages; see cmds/io.c).
# For load, use bulk send / bulk sink (bench/figures.tcl).
set n    [expr {[llength $argv] > 0 ? [lindex $argv 0] : 5000}]
set size [expr {[llength $argv] > 1 ? [lindex $argv 1] : 100}]

proc rss_kib {} {
    set f [open /proc/self/status]; set s [read $f]; close $f
    regexp {VmRSS:\s+(\d+)} $s -> kib
    return $kib
}

lab up
lab reset
set rss0 [rss_kib]
set a [on A {connect 198.51.100.2}]
on B {wait assoc-change --timeout 5000}
set t0 [clock microseconds]
for {set i 0} {$i < $n} {incr i} {
    on A [list send --assoc $a --stream [expr {$i % 4}] --size $size]
}
set t1 [clock microseconds]
set got 0
while {$got < $n} {
    on B {recv --timeout 10000}
    incr got
}
set t2 [clock microseconds]
set rss1 [rss_kib]
puts [format "sctpsh-rate: %d messages of %d bytes" $n $size]
puts [format "  send: %8.0f msg/s  (%.1f MB/s)" [expr {$n * 1e6 / ($t1 - $t0)}] [expr {$n * $size / double($t1 - $t0)}]]
puts [format "  recv: %8.0f msg/s  (end-to-end %.0f msg/s)" [expr {$n * 1e6 / max(1, $t2 - $t1)}] [expr {$n * 1e6 / ($t2 - $t0)}]]
puts [format "  RSS:  %d KiB before, %d KiB after (%+d KiB)" $rss0 $rss1 [expr {$rss1 - $rss0}]]
puts [format "figure: send-loop-rate %.0f msg/s (reference: a Tcl loop of send, %d B, receiver queue in the same shell)" \
    [expr {$n * 1e6 / ($t2 - $t0)}] $size]
