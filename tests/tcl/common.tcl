# Shared set-up for sctpsh's tcltest files. They run inside sctpsh (so the
# sctpsh commands exist) in the lab, where the kernel has SCTP:
#   scripts/sctplab run ./sctpsh-asan tests/tcl/all.tcl
package require tcltest 2.5
namespace import -force ::tcltest::*

# Constraint: the lab (namespaces A, B, C) can be brought up here.
if {![info exists ::sctpsh_lab_ready]} {
    set ::sctpsh_lab_ready [expr {![catch {lab up} ::sctpsh_lab_err]}]
}
testConstraint lab $::sctpsh_lab_ready

# Lab addresses (scripts/labnet): LAN1 198.51.100.0/24 + 2001:db8:1::/64,
# LAN2 203.0.113.0/24 + 2001:db8:2::/64; A=.1/::1, B=.2/::2, C=.3/::3.
array set ::ip4 {A,1 198.51.100.1 B,1 198.51.100.2 C,1 198.51.100.3
                 A,2 203.0.113.1  B,2 203.0.113.2  C,2 203.0.113.3}
array set ::ip6 {A,1 2001:db8:1::1 B,1 2001:db8:1::2 C,1 2001:db8:1::3
                 A,2 2001:db8:2::1 B,2 2001:db8:2::2 C,2 2001:db8:2::3}

# Connect host FROM to host TO on its startup socket; returns {fromassoc toassoc}.
proc lab_assoc {from to {lan 1}} {
    set a [on $from [list connect $::ip4($to,$lan):5000]]
    set ev [on $to {wait assoc-change --timeout 3000}]
    return [list $a [dict get $ev assoc]]
}

# Fresh state between tests: every lab socket is closed (associations
# aborted) and each host gets a new startup socket on port 5000.
proc lab_reset {} { lab reset }
