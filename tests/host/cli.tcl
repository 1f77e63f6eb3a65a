# sctpsh's command line and core, on a machine without SCTP or with it:
# run as  ./sctpsh --no-socket tests/host/cli.tcl
package require tcltest 2.5
namespace import -force ::tcltest::*
configure -verbose e {*}$argv
set sh [file normalize ./sctpsh]
set top [file normalize [file join [file dirname [info script]] .. ..]]

# run sctpsh; returns {exitcode stdout stderr}
proc run {args} {
    set out [file join [temporaryDirectory] out.txt]
    set err [file join [temporaryDirectory] err.txt]
    set code [catch {exec $::sh {*}$args >$out 2>$err} msg opts]
    set rc 0
    if {$code} {
        set ec [dict get $opts -errorcode]
        if {[lindex $ec 0] eq "CHILDSTATUS"} { set rc [lindex $ec 2] } else { set rc -1 }
    }
    set o [string trimright [tcltest::viewFile $out]]
    set e [string trimright [tcltest::viewFile $err]]
    return [list $rc $o $e]
}

test cli-version {--version names the program and Tcl} -body {
    lassign [run --version] rc o
    list $rc [regexp {^sctpsh [0-9.]+ \(Tcl 8\.6} $o]
} -result {0 1}

test cli-help {--help lists every option} -body {
    lassign [run --help] rc o
    set missing {}
    foreach opt {--port --bind --netns --json -c --version --help} {
        if {[string first $opt $o] < 0} { lappend missing $opt }
    }
    list $rc $missing
} -result {0 {}}

test cli-bad-option {an unknown option: usage on stderr, exit 2} -body {
    lassign [run --frobnicate] rc o e
    list $rc [string match *usage:* $e]
} -result {2 1}

test cli-bad-port {--port out of range is refused} -body {
    lassign [run --port 70000 -c {}] rc o e
    list $rc [string match {*--port expects 0..65535*} $e]
} -result {2 1}

test cli-bad-bind {--bind with a malformed address names what was expected} -body {
    lassign [run --bind 198.51.100.999 -c {}] rc o e
    list $rc [string match {*expected an IPv4 or IPv6 address*} $e]
} -result {2 1}

test cli-c-result {-c prints the result of the last command} -body {
    lassign [run --no-socket -c {set x 41; incr x}] rc o
    list $rc $o
} -result {0 42}

test cli-c-error {-c with a failing command exits 1 with errorInfo on stderr} -body {
    lassign [run --no-socket -c {error boom}] rc o e
    list $rc [string match "*boom\n*while executing*" $e]
} -result {1 1}

test cli-script-argv {a script sees argv, argc and argv0} -setup {
    set f [makeFile {puts [list $argc $argv [file tail $argv0]]} argv.tcl]
} -body {
    lassign [run --no-socket $f one {two three}] rc o
    list $rc $o
} -cleanup { removeFile argv.tcl } -result {0 {2 {one {two three}} argv.tcl}}

test cli-script-fails {a failing script exits non-zero, errorInfo on stderr} -setup {
    set f [makeFile {proc p {} { error "deep failure" }; p} bad.tcl]
} -body {
    lassign [run --no-socket $f] rc o e
    list $rc [string match "*deep failure\n*\"p\"*" $e]
} -cleanup { removeFile bad.tcl } -result {1 1}

test cli-script-missing {a script that cannot be opened: exit 1, the file and the reason on stderr (not "(null)")} -body {
    lassign [run --no-socket /no/such/file.tcl] rc o e
    list $rc $o $e
} -result {1 {} {sctpsh: couldn't read file "/no/such/file.tcl": no such file or directory}}

test lab-shares-command-line-paths {the lab VM shares the directory of each path on the command line (a script in /tmp, --pcap=DIR/F), /var/tmp, the checkout} -setup {
    set d [file join /tmp sctpsh-shares-[pid]]
    file mkdir $d
} -body {
    set repo [file dirname [file dirname [file dirname [file normalize [info script]]]]]
    set l [split [exec [file join $repo scripts sctplab] shares ./sctpsh $d/my.tcl --pcap=$d/x.pcap] \n]
    list [expr {$d in $l}] [expr {"/var/tmp" in $l}] [expr {[llength [lmap e $l { if {[file normalize $repo] eq $e || [string first $e/ [file normalize $repo]/] == 0} { set e } else continue }]] > 0}] [expr {"/usr" in $l || "/" in $l}]
} -cleanup { file delete -force $d } -result {1 1 1 0}

test cli-json-global {--json renders a command's dict result as JSON} -body {
    lassign [run --no-socket --json -c {host}] rc o
    list $rc [string match {\[*"host":*"local"*\]} [string map {"\n" "" "\t" ""} $o]]
} -result {0 1}

test cmd-json-option {--json on one command returns JSON text to the script} -body {
    host --json
} -match glob -result {\[\{"host":"local",*\}\]}

test json-declared-types {json: declared fields keep their JSON type after a script used them as strings} -body {
    # a status-shaped value built from strings, as a script that printed it holds it
    set v [string trim " assoc 3 primary 198.51.100.2 local 198.51.100.1 vtag 12 paths {{addr 198.51.100.2 primary 1 cwnd 4380}} stats {maxrto 50 maxrto-addr {}} "]
    json $v
} -result {{"assoc":3,"primary":"198.51.100.2","local":["198.51.100.1"],"vtag":12,"paths":[{"addr":"198.51.100.2","primary":true,"cwnd":4380}],"stats":{"maxrto":50,"maxrto-addr":null}}}

test json-event-fields {json: an event kept by a script: addresses as strings, stream lists as numbers} -body {
    json {event comm-up state established peers {198.51.100.2 203.0.113.2} streams {1 2}}
} -result {{"event":"comm-up","state":"established","peers":["198.51.100.2","203.0.113.2"],"streams":[1,2]}}

test json-kept-rows {json: a kept list of rows (assocs) that became a string is rows again} -body {
    set v [string trim " {assoc 3 peers 198.51.100.2} {assoc 4 peers {198.51.100.3 203.0.113.3}} "]
    json $v
} -result {[{"assoc":3,"peers":["198.51.100.2"]},{"assoc":4,"peers":["198.51.100.3","203.0.113.3"]}]}

test json-one-word-lists {json of one-word lists nested in lists ends (a lesson's status crashed the shell: unbounded recursion)} -body {
    list [json x] [json [list [list x] [list [list y]]]] [json [string trim " {x} "]] [json [string trim " {{x}} "]]
} -result {{"x"} {[["x"],[["y"]]]} {"{x}"} {"{{x}}"}}

test json-undeclared-guessed {json: undeclared fields follow their Tcl value; bad use is a usage error} -body {
    list [json [dict create n [expr {1+1}] s hello]] [catch {json} m] $m
} -result {{{"n":2,"s":"hello"}} 1 {missing argument: usage: json VALUE [--pretty]}}

test errorcodes-documented {every errorCode class the sources raise is in the man page's ERRORS section, and only those} -body {
    set repo [file dirname [file dirname [file dirname [file normalize [info script]]]]]
    set used {}
    foreach f [glob -directory $repo cmds/*.c shell/*.c shell/kern/*.c shell/wire/*.c] {
        set fh [open $f]; set t [read $fh]; close $fh
        foreach {- c} [regexp -all -inline {sh_err\([^,;]+, "([a-z-]+)"} $t] { dict set used $c 1 }
        foreach {- c} [regexp -all -inline {Tcl_SetErrorCode\([^,;]+, "SCTPSH", "([a-z-]+)"} $t] { dict set used $c 1 }
    }
    set man [exec [file join $repo sctpsh] --man-commands]
    set doc {}
    foreach {- c} [regexp -all -inline {\n\.TP\n\.B ([a-z\\-]+)\n} [string range $man [string first ".SH ERRORS" $man] end]] {
        dict set doc [string map {\\- -} $c] 1
    }
    list [lsort [lmap c [dict keys $used] { if {[dict exists $doc $c]} continue; set c }]] \
         [expr {[dict size $used] > 30}] [expr {[dict size $doc] >= [dict size $used]}]
} -result {{} 1 1}

test cmd-usage-missing {a missing argument gives the usage and errorCode SCTPSH usage} -body {
    list [catch {on A} msg opts] $msg [dict get $opts -errorcode]
} -result {1 {missing argument: usage: on HOST SCRIPT} {SCTPSH usage on}}

test cmd-usage-extra {an extra argument gives the usage} -body {
    list [catch {host A B} msg] $msg
} -result {1 {too many arguments: usage: host ?NAME?}}

test cmd-bad-option {an unknown option lists the valid ones} -body {
    list [catch {lab up --bogus} msg] $msg
} -result {1 {bad option "--bogus": must be --port or --json
usage: lab up [--port N]}}

test cmd-option-prefix {options may be abbreviated to a unique prefix} -body {
    list [catch {lab up --po 0} msg] $msg
} -result {1 {--port expects 1..65535, got 0}}

test cmd-bad-subcommand {a wrong subcommand lists the valid ones} -body {
    list [catch {lab frob} msg] $msg
} -result {1 {bad subcommand "frob": must be up, down, reset, show, link, drop, or encap}}

test cmd-int-option {an integer option refuses text} -body {
    list [catch {lab up --port many} msg opts] $msg [dict get $opts -errorcode]
} -result {1 {option --port expects an integer (N), got "many"} {SCTPSH usage}}

test cmd-help-every-command {every command in the table has help} -body {
    set bad {}
    foreach line [split [exec $::sh --list-commands] \n] {
        set c [lindex $line 0]
        if {[catch {help $c} h] || ![string match "$c*" $h]} { lappend bad $c }
    }
    set bad
} -result {}

test man-page-lists-every-command {docs/sctpsh.1 documents every command (generated from the table)} -body {
    set man [string map {\\- -} [tcltest::viewFile [file join $::top docs sctpsh.1]]]
    set bad {}
    foreach line [split [exec $::sh --list-commands] \n] {
        set c [lindex $line 0]
        if {[string first "\n.B $c " $man] < 0 && [string first "\n.B $c\n" $man] < 0} { lappend bad $c }
    }
    set bad
} -result {}

testConstraint noSctp [expr {![file exists /proc/net/sctp]}]
test no-sctp-one-line {without SCTP in the kernel, sctpsh still starts and says so in one line} -constraints {
    noSctp
} -body {
    lassign [run -c {help help}] rc o e
    list $rc [llength [split $e \n]] [string match {*no SCTP*sctplab*} $e]
} -result {0 1 1}

test text-table {the prompt renders a list of dicts as a table} -body {
    exec $::sh --no-socket << "host\n" 2>/dev/null
} -match regexp -result {host\s+current\s+socket\nlocal\s+1\s*}

removeFile out.txt; removeFile err.txt
cleanupTests
