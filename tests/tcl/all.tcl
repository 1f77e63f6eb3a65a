# Runs every tests/tcl/*.test in this one sctpsh process (one lab, shared).
package require tcltest 2.5
namespace import -force ::tcltest::*
configure -testdir [file dirname [file normalize [info script]]] -singleproc 1 -verbose e
if {[llength $argv]} { configure {*}$argv }
# runAllTests prints "Total N Passed N Skipped N Failed N"; tests/run-lab sums them.
runAllTests
