# Runs every tests/tcl/*.test in this one sctpsh process (one lab, shared).
package require tcltest 2.5
namespace import -force ::tcltest::*
configure -testdir [file dirname [file normalize [info script]]] -singleproc 1 -verbose {error msec}
if {[llength $argv]} { configure {*}$argv }
# msec: "++++ NAME took N ms" per test, for tests/run-lab's profile.
# runAllTests prints "Total N Passed N Skipped N Failed N"; tests/run-lab sums them.
runAllTests
