# bench/limits.tcl - an experiment (not part of make bench): what buffers and
# delayed SACK do to iperf3 --sctp and to sctpsh bulk, A->B, one run each:
#   scripts/sctplab run ./sctpsh --no-socket bench/limits.tcl ?SECONDS?
# Changes net.core.{w,r}mem_default (global: the VM's own kernel) and
# net.sctp.sack_timeout (per host) in the lab VM only; docs/performance.md
# has the figures.
set ::bench_defs_only 1
set argv [list [expr {[llength $argv] ? [lindex $argv 0] : 3}] 1]
source [file join [file dirname [file normalize [info script]]] figures.tcl]
proc sysall {args} {
    foreach a $args {
        if {[string match net.sctp.* $a]} {
            foreach h {A B} { exec {*}[ns $h sysctl -q -w $a] }
        } else {
            exec timeout 10 sysctl -q -w $a
        }
    }
}
if {![info exists ::env(SCTPLAB_IN_VM)]} {
    puts stderr "bench/limits.tcl changes global sysctls: run it in the lab VM (scripts/sctplab run ...)"
    exit 1
}
lab up
foreach {name settings} {
    default    {}
    bufs-1M    {net.core.wmem_default=1048576 net.core.rmem_default=1048576 net.core.wmem_max=4194304 net.core.rmem_max=4194304}
    sack-200ms {net.core.wmem_default=212992 net.core.rmem_default=212992 net.sctp.sack_timeout=200}
    bufs-64k   {net.core.wmem_default=65536 net.core.rmem_default=65536 net.sctp.sack_timeout=50}
} {
    if {[llength $settings]} { sysall {*}$settings }
    set r {}
    foreach t {{iperf --sctp -l 1000} {sctpsh_bulk 1000} {iperf --sctp -l 65536} {sctpsh_bulk 65536}} {
        lappend r [expr {[catch {eval $t} x] ? "n/a" : [format %.2f $x]}]
    }
    note [format "%-11s iperf3 %s sctpsh %s MB/s at 1000 B; iperf3 %s sctpsh %s at 64 KiB" $name {*}$r]
}
lab reset
