# `package require sctpsh` in a plain tclsh8.6 (not the shell): the library
# build/sctpshV/libsctpsh.so loads through Tcl's stubs, kernel-free commands
# give the shell's results, kernel commands without SCTP are Tcl errors.
# Run by tests/host/tclpkg.sh (TCLLIBPATH points at build/).
package require tcltest 2.5
namespace import -force ::tcltest::*
configure -verbose e {*}$argv
set top [file normalize [file join [file dirname [info script]] .. ..]]
set sh [file join $top sctpsh]
set vector [file join $top tests unit vectors linux-6.1-auth-reconfig-asconf-idata.pcapng]

# The shell, as an oracle: its version, and whether this kernel has SCTP
# (it says so on stderr when it does not).
set shversion [lindex [exec $sh --version] 1]
catch {exec $sh -c {} 2>@1} shsays
testConstraint noSCTP [string match "*this kernel has no SCTP*" $shsays]
testConstraint haveSCTP [expr {![testConstraint noSCTP]}]

# no startup socket: with SCTP one on port 5000 could collide with a shell
namespace eval ::sctpsh {variable config; set config(nosocket) 1}
set loaded [package require sctpsh]

test tclpkg-version {package require returns the shell's version; ::sctpsh::version agrees} -body {
    list [expr {$loaded eq $shversion}] [expr {$::sctpsh::version eq $shversion}] [package present sctpsh]
} -result [list 1 1 $shversion]

test tclpkg-stubs {the library uses Tcl's stubs: no libtcl8.6 among what it needs} -body {
    set so [file join $top build sctpsh$shversion libsctpsh.so]
    set needed {}
    foreach line [split [exec readelf -d $so] \n] {
        if {[regexp {\(NEEDED\).*\[(.*)\]} $line -> lib]} { lappend needed $lib }
    }
    list [expr {"libsctp.so.1" in $needed}] [lsearch -inline -glob $needed libtcl*]
} -result {1 {}}

test tclpkg-libdir {from the build tree the bundled scripts are the checkout's} -body {
    list [expr {$::sctpsh::libdir eq [file join $top scripts]}] \
        [llength [lesson list]] [expr {[llength [lesson list]] == [llength [glob [file join $top scripts lessons 0*.tcl]]]}]
} -match glob -result {1 * 1}

test tclpkg-help {help: the command table, the same text as in the shell} -body {
    expr {[help ladder] eq [exec $sh --no-socket -c {help ladder}]}
} -result 1

test tclpkg-ladder-pcap {wire decode and the ladder on a pcap, no kernel: as in the shell} -body {
    set chunks [trace read $vector]
    set ours [ladder text $chunks]
    set shells [exec $sh --no-socket -c [list ladder text [list {*}[trace read $vector]]]]
    list [expr {[llength $chunks] > 10}] [expr {$ours eq $shells}] [string match *COOKIE-ECHO* $ours]
} -cleanup {unset -nocomplain chunks ours shells} -result {1 1 1}

test tclpkg-bad-input {bad input is a Tcl error with errorCode, not a crash} -body {
    list [catch {ladder text {not a chunk}} m o] [lindex [dict get $o -errorcode] 0] \
        [catch {connect} m o] [lrange [dict get $o -errorcode] 0 1]
} -result {1 SCTPSH 1 {SCTPSH usage}}

test tclpkg-nosctp-connect {without SCTP: connect is a clear Tcl error, errorCode {SCTPSH nosctp}} -constraints noSCTP -body {
    list [catch {connect 198.51.100.2} m o] [dict get $o -errorcode] [string match "*no SCTP*" $m]
} -result {1 {SCTPSH nosctp} 1}

test tclpkg-nosctp-socket {without SCTP: socket and lab up are clear Tcl errors} -constraints noSCTP -body {
    list [catch {socket} m o] [dict get $o -errorcode] [catch {lab up} m o] [dict get $o -errorcode]
} -result {1 {SCTPSH nosctp} 1 {SCTPSH nosctp}}

test tclpkg-sctp-socket {with SCTP: socket opens one, close closes it} -constraints haveSCTP -body {
    set k [socket --port 0]
    list [regexp {^s[0-9]+$} $k] [close --socket $k]
} -match glob -result {1 *}

test tclpkg-tcl-builtins {Tcl's own socket, close and trace still work after package require} -body {
    set srv [socket -server {apply {{ch a p} {close $ch}}} -myaddr 127.0.0.1 0]
    set port [lindex [chan configure $srv -sockname] 2]
    set c [socket 127.0.0.1 $port]
    close $c
    close $srv
    set ::hits 0
    trace add variable ::tv write {apply {args {incr ::hits}}}
    set ::tv 1; set ::tv 2
    trace remove variable ::tv write {apply {args {incr ::hits}}}
    set ::tv 3
    list [string is integer $port] $::hits
} -result {1 2}

test tclpkg-child-interp {each interpreter gets its own session; deleting one is clean} -body {
    set r {}
    foreach i {1 2} {
        set c [interp create]
        $c eval {namespace eval ::sctpsh {variable config; set config(nosocket) 1}}
        lappend r [$c eval {package require sctpsh}] [$c eval {llength [sockets]}]
        interp delete $c
    }
    lappend r [llength [sockets]]
} -result [list $shversion 0 $shversion 0 0]

test tclpkg-bad-config {a bad ::sctpsh::config value fails package require with a clear error} -body {
    set c [interp create]
    $c eval {namespace eval ::sctpsh {variable config; set config(port) 70000}}
    set rc [catch {$c eval {package require sctpsh}} m o]
    interp delete $c
    list $rc $m [dict get $o -errorcode]
} -result {1 {package sctpsh: ::sctpsh::config(port) expects 0..65535} {SCTPSH usage}}

test tclpkg-in-shell {inside the shell, package require sctpsh is the shell itself} -body {
    exec $sh --no-socket -c {package require sctpsh}
} -result $shversion

cleanupTests
