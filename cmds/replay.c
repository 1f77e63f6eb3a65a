/* record, replay, lesson, expect, say: sessions as replayable scripts.
 *
 * record start FILE   what is typed at the prompt (sh_record_hook, called by the
 *                     REPL after each top-level command) becomes a Tcl script:
 *                     time/host comments, failed commands as comments with their
 *                     error, association ids and socket names as variables
 *                     (set a1 [connect ...] ... --assoc $a1), and with --expect
 *                     each result's stable fields as `expect` assertions.
 * replay FILE         runs a script one top-level command at a time (split with
 *                     info complete): shows it, runs it, shows the result;
 *                     --step waits for Enter / s / c / q or an inspecting command.
 * lesson NAME         replays scripts/lessons/NAME.tcl (lesson list: the lessons).
 *
 * The logic is Tcl (replay_tcl below, in ::sctpsh::replay); C gives it the
 * terminal (ask), the text rendering (render), the current host and the
 * event-loop pause, and forwards the table's commands to it. */
#include "sctpsh.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* BEGIN TCL */
static const char replay_tcl[] =
	"# record, replay, lesson, expect, say: the Tcl half of cmds/replay.c.\n"
	"# C gives us: curhost, ask PROMPT, render VALUE, pause MS, tty.\n"
	"namespace eval ::sctpsh::replay {\n"
	"    variable R\n"
	"    array set R {on 0 entries {}}\n"
	"    # result fields that differ from run to run or with timing: never asserted\n"
	"    variable unstable {time tsn cumtsn cum_tsn init_tag init_tsn new_cum_tsn vtag peer-vtag tag\n"
	"        peer-tag rwnd peer-rwnd a_rwnd cwnd srtt rto mtu stats paths local unacked pending\n"
	"        overall-error fd queued frame index crc cookie random info params\n"
	"        fragmentation-point maxrto maxrto-addr sockets}\n"
	"}\n"
	"\n"
	"# First word(s) of a typed command; the host whose ids it uses (\"on H {..}\").\n"
	"proc ::sctpsh::replay::analyse {text host} {\n"
	"    if {[catch {llength $text} n]} {\n"
	"        # not a list (e.g. [expr {...}] glued to a brace): the first word still counts\n"
	"        regexp {^\\s*([^\\s\\[\\{\\\"]+)} $text -> w0\n"
	"        return [list [expr {[info exists w0] ? $w0 : \"\"}] \"\" $host]\n"
	"    }\n"
	"    if {$n == 0} { return [list \"\" \"\" $host] }\n"
	"    set w0 [lindex $text 0]\n"
	"    if {$w0 eq \"on\" && $n == 3} {\n"
	"        set inner [lindex $text 2]\n"
	"        if {![catch {llength $inner} m] && $m > 0} {\n"
	"            return [list [lindex $inner 0] [lindex $inner 1] [lindex $text 1]]\n"
	"        }\n"
	"    }\n"
	"    return [list $w0 [expr {$n > 1 ? [lindex $text 1] : \"\"}] $host]\n"
	"}\n"
	"\n"
	"proc ::sctpsh::replay::isdict {v} {\n"
	"    if {[catch {llength $v} n] || $n == 0 || $n % 2} { return 0 }\n"
	"    foreach {k -} $v { if {![regexp {^[A-Za-z][-A-Za-z_0-9]*$} $k]} { return 0 } }\n"
	"    return [expr {[dict size $v] * 2 == $n}]\n"
	"}\n"
	"\n"
	"# ---- record --------------------------------------------------------------\n"
	"\n"
	"proc ::sctpsh::replay::record_start {file expect} {\n"
	"    variable R\n"
	"    if {$R(on)} {\n"
	"        return -code error -errorcode {SCTPSH usage} \"record: already recording to $R(file) (record stop first)\"\n"
	"    }\n"
	"    set file [file normalize $file]\n"
	"    if {[catch {set f [open $file w]} err]} {\n"
	"        return -code error -errorcode {SCTPSH record} \"record start: $err\"\n"
	"    }\n"
	"    close $f\n"
	"    array set R [list on 1 file $file expect $expect entries {} start [clock seconds] \\\n"
	"                     host [curhost] host0 [curhost] lab 0 labsocks {} port 5000]\n"
	"    # the lab is up: the script begins with lab up (idempotent) and knows the startup sockets\n"
	"    set hs [host]\n"
	"    foreach d $hs {\n"
	"        if {[dict get $d host] in {A B C} && [dict get $d socket] ne \"\"} {\n"
	"            set R(lab) 1\n"
	"            lappend R(labsocks) [dict get $d host] [dict get $d socket]\n"
	"        }\n"
	"    }\n"
	"    if {$R(lab)} {\n"
	"        foreach d [sockets] {\n"
	"            if {[dict get $d startup] && [dict get $d host] eq \"A\"} { set R(port) [dict get $d port] }\n"
	"        }\n"
	"    }\n"
	"    write\n"
	"    return [dict create file $file expect $expect]\n"
	"}\n"
	"\n"
	"proc ::sctpsh::replay::record_stop {} {\n"
	"    variable R\n"
	"    if {!$R(on)} {\n"
	"        return -code error -errorcode {SCTPSH usage} \"record: not recording (record start FILE)\"\n"
	"    }\n"
	"    write\n"
	"    set R(on) 0\n"
	"    set failed 0\n"
	"    foreach e $R(entries) { if {[dict get $e rc]} { incr failed } }\n"
	"    return [dict create file $R(file) commands [llength $R(entries)] failed $failed]\n"
	"}\n"
	"\n"
	"proc ::sctpsh::replay::record_show {} {\n"
	"    variable R\n"
	"    if {!$R(on)} { return [dict create recording 0] }\n"
	"    return [dict create recording 1 file $R(file) expect $R(expect) commands [llength $R(entries)]]\n"
	"}\n"
	"\n"
	"# Called by the REPL (sh_record_hook) after each top-level command.\n"
	"proc ::sctpsh::replay::hook {text rc result} {\n"
	"    variable R\n"
	"    if {!$R(on)} return\n"
	"    set text [string trimright $text]\n"
	"    if {$text eq \"\"} return\n"
	"    lassign [analyse $text \"\"] w0\n"
	"    if {$w0 eq \"record\"} return\n"
	"    set after [curhost]\n"
	"    set e [dict create text $text rc $rc result $result host $R(host) after $after time [clock seconds]]\n"
	"    # a socket's port chosen by the kernel differs from run to run, too\n"
	"    if {!$rc && [regexp {^s\\d+$} $result] && [regexp {(?:^|[\\s\\[\\{])socket(?:[\\s\\]\\}]|$)} $text]\n"
	"        && ![regexp -- {--port} $text]} {\n"
	"        foreach d [sockets] {\n"
	"            if {[dict get $d name] eq $result && [dict get $d port] != 0} { dict set e port [dict get $d port] }\n"
	"        }\n"
	"    }\n"
	"    lappend R(entries) $e\n"
	"    set R(host) $after\n"
	"    write\n"
	"}\n"
	"\n"
	"proc ::sctpsh::replay::write {} {\n"
	"    variable R\n"
	"    set f [open $R(file) w]\n"
	"    puts -nonewline $f [generate]\n"
	"    close $f\n"
	"}\n"
	"\n"
	"# Rewrite ids the kernel or the shell chose into the variables that hold them.\n"
	"proc ::sctpsh::replay::subst_ids {text ctx varsName} {\n"
	"    upvar $varsName vars\n"
	"    # (pattern, kind, host group index or \"\", value group index)\n"
	"    set rules {\n"
	"        {--assoc\\s+(\\d+)\\M} assoc \"\" 1\n"
	"        {--like\\s+([A-Za-z]\\w*):(\\d+)\\M} assoc 1 2\n"
	"        {(?:^|[\\s\\{\\[\\\"])(s\\d+)\\M} sock \"\" 1\n"
	"        {\\d:(\\d+)\\M} port \"\" 1\n"
	"        {\\]:(\\d+)\\M} port \"\" 1\n"
	"    }\n"
	"    foreach {re kind hg vg} $rules {\n"
	"        set hits [regexp -all -inline -indices -- $re $text]\n"
	"        set per [expr {$hg eq \"\" ? 2 : 3}]\n"
	"        set reps {}\n"
	"        for {set i 0} {$i < [llength $hits]} {incr i $per} {\n"
	"            set vr [lindex $hits [expr {$i + $vg}]]\n"
	"            set v [string range $text {*}$vr]\n"
	"            if {$kind in {sock port}} {\n"
	"                set key $kind,,$v\n"
	"            } else {\n"
	"                set h [expr {$hg eq \"\" ? $ctx : [string range $text {*}[lindex $hits [expr {$i + $hg}]]]}]\n"
	"                set key $kind,$h,$v\n"
	"            }\n"
	"            if {[dict exists $vars $key]} { lappend reps $vr [dict get $vars $key] }\n"
	"        }\n"
	"        foreach {vr e} [lreverse $reps] {\n"
	"            # lreverse swapped the pairs: e is the range, vr the expression\n"
	"            set text [string replace $text {*}$e $vr]\n"
	"        }\n"
	"    }\n"
	"    return $text\n"
	"}\n"
	"\n"
	"proc ::sctpsh::replay::wrap {text} {\n"
	"    if {[string first \\n $text] >= 0 || [string first # $text] >= 0} { return \"\\[$text\\n\\]\" }\n"
	"    return \"\\[$text\\]\"\n"
	"}\n"
	"\n"
	"# The words after RESULT in an expect line for this result (\"\" for none).\n"
	"proc ::sctpsh::replay::assertion {result ctx vars} {\n"
	"    variable unstable\n"
	"    if {$result eq \"\"} { return \"\" }\n"
	"    set simple {^[^\\s{}\\[\\]$\\\\\\\";]{0,80}$}\n"
	"    if {[isdict $result]} {\n"
	"        set words {}\n"
	"        dict for {k v} $result {\n"
	"            if {$k in $unstable} continue\n"
	"            if {$k eq \"assoc\"} {\n"
	"                if {[dict exists $vars assoc,$ctx,$v]} { lappend words $k [dict get $vars assoc,$ctx,$v] }\n"
	"                continue\n"
	"            }\n"
	"            if {$k eq \"socket\"} {\n"
	"                if {[dict exists $vars sock,,$v]} { lappend words $k [dict get $vars sock,,$v] }\n"
	"                continue\n"
	"            }\n"
	"            if {[string length $v] > 80 || [regexp {[\\n{}\\[\\]$\\\\]} $v]} continue\n"
	"            lappend words $k [list $v]\n"
	"        }\n"
	"        if {![llength $words]} { return \"\" }\n"
	"        return [join $words \" \"]\n"
	"    }\n"
	"    if {[regexp $simple $result]} { return \"--is [list $result]\" }\n"
	"    return \"\"\n"
	"}\n"
	"\n"
	"proc ::sctpsh::replay::generate {} {\n"
	"    variable R\n"
	"    set o {}\n"
	"    lappend o \"# sctpsh session recorded [clock format $R(start) -format {%Y-%m-%d %H:%M:%S} -gmt 1] UTC (sctpsh $::sctpsh::replay::version)\"\n"
	"    lappend o \"# Replay: sctpsh FILE, sctpsh --step FILE, or at the prompt: replay FILE ?--step?\"\n"
	"    lappend o \"# Association ids and socket names differ from run to run: here they are variables.\"\n"
	"    lappend o \"# Commands that failed are kept as comments, with their error.\"\n"
	"    if {$R(expect)} {\n"
	"        lappend o \"# expect checks the stable fields of each result again (help expect).\"\n"
	"    }\n"
	"    set vars [dict create]\n"
	"    set n [dict create a 0 sk 0 ev 0 msg 0 r 0]\n"
	"    if {$R(lab)} {\n"
	"        lappend o \"set lab \\[lab up[expr {$R(port) != 5000 ? \" --port $R(port)\" : \"\"}]\\]\"\n"
	"        foreach {h sk} $R(labsocks) { dict set vars sock,,$sk \"\\[dict get \\$lab sockets $h\\]\" }\n"
	"    }\n"
	"    lappend o \"host $R(host0)\"\n"
	"    set cur $R(host0)\n"
	"    foreach e $R(entries) {\n"
	"        dict with e {}\n"
	"        lappend o \"\"\n"
	"        lappend o \"# [clock format $time -format %H:%M:%S -gmt 1] on $host\"\n"
	"        if {$host ne $cur} { lappend o \"host $host\" }\n"
	"        set cur $after\n"
	"        if {$rc} {\n"
	"            lappend o \"# failed:\"\n"
	"            foreach l [split $text \\n] { lappend o \"#   $l\" }\n"
	"            set msg [split $result \\n]\n"
	"            lappend o \"# error: [lindex $msg 0]\"\n"
	"            foreach l [lrange $msg 1 end] { lappend o \"#   $l\" }\n"
	"            continue\n"
	"        }\n"
	"        lassign [analyse $text $host] cmd sub ctx\n"
	"        set t [subst_ids $text $ctx vars]\n"
	"        set target \"\"\n"
	"        set defs {}\n"
	"        # typed as set VAR [connect ...]: VAR already holds the id\n"
	"        set uvar \"\"\n"
	"        if {[regexp {^set\\s+([A-Za-z_]\\w*)\\s+\\[(.*)\\]$} $text -> uvar inner]} {\n"
	"            lassign [analyse $inner $host] cmd sub ctx\n"
	"            if {$cmd ni {connect socket peeloff}} { set uvar \"\"; lassign [analyse $text $host] cmd sub ctx }\n"
	"        }\n"
	"        if {$uvar ne \"\"} {\n"
	"            set defs [list [expr {$cmd eq \"connect\" ? \"assoc,$ctx,$result\" : \"sock,,$result\"}] \"\\$$uvar\"]\n"
	"            set cmd \"set\"\n"
	"        }\n"
	"        switch -- $cmd {\n"
	"            connect {\n"
	"                if {[string is integer -strict $result]} {\n"
	"                    set target a[dict get [dict incr n a] a]\n"
	"                    lappend defs assoc,$ctx,$result \"\\$$target\"\n"
	"                }\n"
	"            }\n"
	"            socket - peeloff {\n"
	"                if {[regexp {^s\\d+$} $result]} {\n"
	"                    set target sk[dict get [dict incr n sk] sk]\n"
	"                    lappend defs sock,,$result \"\\$$target\"\n"
	"                }\n"
	"            }\n"
	"            lab {\n"
	"                if {$sub in {up reset} && [isdict $result] && [dict exists $result sockets]} {\n"
	"                    set target lab\n"
	"                    foreach {h sk} [dict get $result sockets] {\n"
	"                        lappend defs sock,,$sk \"\\[dict get \\$lab sockets $h\\]\"\n"
	"                    }\n"
	"                }\n"
	"            }\n"
	"            default {\n"
	"                if {[isdict $result]} {\n"
	"                    set rv [expr {$cmd eq \"wait\" ? \"ev\" : $cmd eq \"recv\" ? \"msg\" : \"r\"}]\n"
	"                    foreach {k kind} {assoc assoc socket sock} {\n"
	"                        if {![dict exists $result $k]} continue\n"
	"                        set v [dict get $result $k]\n"
	"                        set key [expr {$kind eq \"sock\" ? \"sock,,$v\" : \"assoc,$ctx,$v\"}]\n"
	"                        if {$kind eq \"assoc\" && ![string is integer -strict $v]} continue\n"
	"                        if {$kind eq \"sock\" && ![regexp {^s\\d+$} $v]} continue\n"
	"                        if {[dict exists $vars $key]} continue\n"
	"                        if {$target eq \"\"} { set target $rv[dict get [dict incr n $rv] $rv] }\n"
	"                        lappend defs $key \"\\[dict get \\$$target $k\\]\"\n"
	"                    }\n"
	"                }\n"
	"            }\n"
	"        }\n"
	"        set line $t\n"
	"        if {$R(expect) && $uvar eq \"\" && $cmd ni {connect socket peeloff lab set proc puts say expect help replay lesson}} {\n"
	"            set a [assertion $result $ctx $vars]\n"
	"            if {$a ne \"\"} { set line \"expect [wrap $t] $a\" }\n"
	"        }\n"
	"        if {$target ne \"\"} {\n"
	"            set line \"set $target [expr {[string match {expect *} $line] ? \"\\[$line\\]\" : [wrap $t]}]\"\n"
	"        }\n"
	"        lappend o $line\n"
	"        if {[dict exists $e port] && $cmd in {socket set}} {\n"
	"            set sv [expr {$uvar ne \"\" ? $uvar : $target}]\n"
	"            if {$sv ne \"\"} {\n"
	"                lappend o \"set ${sv}port \\[dict get \\[lsearch -inline -index 1 \\[sockets\\] \\$$sv\\] port\\]\"\n"
	"                lappend defs port,,[dict get $e port] \"\\$${sv}port\"\n"
	"            }\n"
	"        }\n"
	"        foreach {k v} $defs { dict set vars $k $v }\n"
	"    }\n"
	"    return \"[join $o \\n]\\n\"\n"
	"}\n"
	"\n"
	"# ---- replay --------------------------------------------------------------\n"
	"\n"
	"proc ::sctpsh::replay::split_script {file} {\n"
	"    if {[catch {open $file r} f]} {\n"
	"        return -code error -errorcode {SCTPSH replay} \"replay: $f\"\n"
	"    }\n"
	"    set data [read $f]\n"
	"    close $f\n"
	"    if {[string index $data end] eq \"\\n\"} { set data [string range $data 0 end-1] }\n"
	"    set items {}\n"
	"    set chunk \"\"\n"
	"    set start 0\n"
	"    set ln 0\n"
	"    foreach l [split $data \\n] {\n"
	"        incr ln\n"
	"        if {$chunk eq \"\"} {\n"
	"            set tl [string trim $l]\n"
	"            if {$tl eq \"\"} { lappend items [list blank \"\" $ln]; continue }\n"
	"            if {[string index $tl 0] eq \"#\"} { lappend items [list comment $l $ln]; continue }\n"
	"            set start $ln\n"
	"        }\n"
	"        append chunk $l \\n\n"
	"        if {[info complete $chunk]} {\n"
	"            lappend items [list cmd [string trimright $chunk] $start]\n"
	"            set chunk \"\"\n"
	"        }\n"
	"    }\n"
	"    if {$chunk ne \"\"} {\n"
	"        return -code error -errorcode {SCTPSH replay} \"replay: $file: the command at line $start is not complete\"\n"
	"    }\n"
	"    return $items\n"
	"}\n"
	"\n"
	"proc ::sctpsh::replay::show_cmd {text} {\n"
	"    set p \"sctpsh\\[[curhost]\\]> \"\n"
	"    set first 1\n"
	"    foreach l [split $text \\n] {\n"
	"        if {$first} { puts \"$p$l\"; set first 0 } else { puts \"[format %*s [expr {[string length $p] - 2}] ...]> $l\" }\n"
	"    }\n"
	"}\n"
	"\n"
	"proc ::sctpsh::replay::show_res {rc res} {\n"
	"    if {$rc == 1} { puts \"error: $res\"; return }\n"
	"    if {$res ne \"\"} { puts [render $res] }\n"
	"}\n"
	"\n"
	"proc ::sctpsh::replay::run {file step delay quiet} {\n"
	"    set items [split_script $file]\n"
	"    set mode [expr {$step ? \"step\" : \"run\"}]\n"
	"    if {$step && ![tty]} {\n"
	"        puts \"(replay --step: stdin is not a terminal, running without stopping)\"\n"
	"        set mode run\n"
	"    }\n"
	"    set ran 0\n"
	"    set skipped 0\n"
	"    set prev [info script]\n"
	"    info script $file\n"
	"    set lastblank 0\n"
	"    try {\n"
	"        foreach it $items {\n"
	"            lassign $it kind text line\n"
	"            if {$kind eq \"blank\"} {\n"
	"                if {!$quiet && !$lastblank} { puts \"\"; set lastblank 1 }\n"
	"                continue\n"
	"            }\n"
	"            set lastblank 0\n"
	"            if {$kind eq \"comment\"} {\n"
	"                if {!$quiet} { puts $text }\n"
	"                continue\n"
	"            }\n"
	"            lassign [analyse $text \"\"] w0\n"
	"            set narr [expr {$w0 eq \"say\"}]\n"
	"            if {!$narr} { show_cmd $text }\n"
	"            if {$mode eq \"step\" && !$narr} {\n"
	"                set go run\n"
	"                while 1 {\n"
	"                    set a [string trim [ask \"  step: Enter runs it, s skips, c continues, q stops, or type a command> \"]]\n"
	"                    switch -- $a {\n"
	"                        \"\" { break }\n"
	"                        s { set go skip; break }\n"
	"                        c { set mode run; break }\n"
	"                        q { set go quit; break }\n"
	"                        \\x04 { set mode run; break }\n"
	"                        default {\n"
	"                            set rc [catch {uplevel #0 $a} res]\n"
	"                            show_res $rc $res\n"
	"                            show_cmd $text\n"
	"                        }\n"
	"                    }\n"
	"                }\n"
	"                if {$go eq \"quit\"} {\n"
	"                    return [dict create file $file commands $ran skipped $skipped stopped $line]\n"
	"                }\n"
	"                if {$go eq \"skip\"} { incr skipped; puts \"  (skipped)\"; continue }\n"
	"            }\n"
	"            variable lastmsg \"\"\n"
	"            set rc [catch {uplevel #0 $text} res opts]\n"
	"            incr ran\n"
	"            if {$rc == 1} {\n"
	"                puts \"error: $res\"\n"
	"                return -code error -errorcode [dict get $opts -errorcode] \\\n"
	"                    \"replay: [file tail $file] line $line: $res\"\n"
	"            }\n"
	"            if {$w0 eq \"expect\" && $rc == 0 && [info exists [namespace current]::lastmsg] && $lastmsg ne \"\"} {\n"
	"                puts \"  ok: $lastmsg\"\n"
	"            } elseif {!$narr} {\n"
	"                show_res $rc $res\n"
	"            }\n"
	"            if {$delay > 0} { pause $delay }\n"
	"        }\n"
	"    } finally {\n"
	"        info script $prev\n"
	"    }\n"
	"    return [dict create file $file commands $ran skipped $skipped]\n"
	"}\n"
	"\n"
	"# ---- lessons ---------------------------------------------------------------\n"
	"\n"
	"proc ::sctpsh::replay::lessondir {} {\n"
	"    if {[info exists ::env(SCTPSH_LESSONS)]} { return $::env(SCTPSH_LESSONS) }\n"
	"    return [file join [libdir] lessons]\n"
	"}\n"
	"\n"
	"proc ::sctpsh::replay::lesson_list {} {\n"
	"    set out {}\n"
	"    foreach f [lsort [glob -nocomplain -directory [lessondir] *.tcl]] {\n"
	"        set name [file rootname [file tail $f]]\n"
	"        if {$name eq \"lib\"} continue\n"
	"        set title \"\"\n"
	"        set rfc \"\"\n"
	"        set fd [open $f r]\n"
	"        foreach l [split [read $fd] \\n] {\n"
	"            regexp {^#\\s*Lesson:\\s*(.*)$} $l -> title\n"
	"            regexp {^#\\s*RFC:\\s*(.*)$} $l -> rfc\n"
	"        }\n"
	"        close $fd\n"
	"        lappend out [dict create name $name title $title rfc $rfc]\n"
	"    }\n"
	"    return $out\n"
	"}\n"
	"\n"
	"proc ::sctpsh::replay::lesson {name step delay quiet} {\n"
	"    if {$name eq \"\" || $name eq \"list\"} { return [lesson_list] }\n"
	"    set f [file join [lessondir] $name.tcl]\n"
	"    if {$name eq \"lib\" || ![file exists $f]} {\n"
	"        set names [lmap d [lesson_list] {dict get $d name}]\n"
	"        return -code error -errorcode {SCTPSH usage} \"lesson: no lesson \\\"$name\\\": must be one of [join $names {, }]\"\n"
	"    }\n"
	"    return [run $f $step $delay $quiet]\n"
	"}\n"
	"\n"
	"# ---- expect, say -------------------------------------------------------------\n"
	"\n"
	"proc ::sctpsh::replay::expect {result pairs is match llen msg} {\n"
	"    variable lastmsg $msg\n"
	"    set why {}\n"
	"    if {[llength $pairs] % 2} {\n"
	"        return -code error -errorcode {SCTPSH usage} \"expect: KEY VALUE pairs expected, got an odd count: $pairs\"\n"
	"    }\n"
	"    foreach {k want} $pairs {\n"
	"        if {[catch {dict exists $result $k} ok] || !$ok} {\n"
	"            lappend why \"no field \\\"$k\\\" in the result (expected \\\"$want\\\")\"\n"
	"            continue\n"
	"        }\n"
	"        set got [dict get $result $k]\n"
	"        if {!($got eq $want || ([string is double -strict $got] && [string is double -strict $want] && $got == $want))} {\n"
	"            lappend why \"$k is \\\"$got\\\", expected \\\"$want\\\"\"\n"
	"        }\n"
	"    }\n"
	"    if {$is ne \"\" && [lindex $is 0] && $result ne [lindex $is 1]} {\n"
	"        lappend why \"the result is \\\"$result\\\", expected \\\"[lindex $is 1]\\\"\"\n"
	"    }\n"
	"    if {$match ne \"\" && ![string match $match $result]} {\n"
	"        lappend why \"the result \\\"$result\\\" does not match \\\"$match\\\"\"\n"
	"    }\n"
	"    if {$llen ne \"\" && ([catch {llength $result} n] || $n != $llen)} {\n"
	"        lappend why \"the result has [expr {[catch {llength $result} n] ? \"no list\" : $n}] elements, expected $llen\"\n"
	"    }\n"
	"    if {[llength $why]} {\n"
	"        set m \"expect failed[expr {$msg ne \"\" ? \" ($msg)\" : \"\"}]: [join $why {; }]\"\n"
	"        return -code error -errorcode {SCTPSH expect} $m\n"
	"    }\n"
	"    return $result\n"
	"}\n"
	"\n"
	"proc ::sctpsh::replay::say {text} {\n"
	"    set out {}\n"
	"    foreach para [split $text \\n] {\n"
	"        set line \"\"\n"
	"        foreach w [split [string trim $para] \" \"] {\n"
	"            if {$w eq \"\"} continue\n"
	"            if {[string length $line] + [string length $w] + 1 > 74 && $line ne \"\"} {\n"
	"                lappend out $line\n"
	"                set line $w\n"
	"            } else {\n"
	"                set line [expr {$line eq \"\" ? $w : \"$line $w\"}]\n"
	"            }\n"
	"        }\n"
	"        lappend out $line\n"
	"    }\n"
	"    foreach l $out { puts \"  \\u2502 $l\" }\n"
	"    flush stdout\n"
	"    return \"\"\n"
	"}\n"
	"\n";
/* END TCL */

/* ---- C helpers for the Tcl half ---------------------------------------- */

static int h_curhost(ClientData cd, Tcl_Interp *ip, int objc, Tcl_Obj *const objv[])
{
	(void)objc;
	(void)objv;
	Tcl_SetObjResult(ip, Tcl_NewStringObj(sh_cur_host((sh_session *)cd)->name, -1));
	return TCL_OK;
}

static int h_libdir(ClientData cd, Tcl_Interp *ip, int objc, Tcl_Obj *const objv[])
{
	(void)objc;
	(void)objv;
	Tcl_SetObjResult(ip, Tcl_NewStringObj(((sh_session *)cd)->libdir, -1));
	return TCL_OK;
}

static int h_render(ClientData cd, Tcl_Interp *ip, int objc, Tcl_Obj *const objv[])
{
	sh_session *s = cd;
	if (objc != 2) {
		Tcl_WrongNumArgs(ip, 1, objv, "value");
		return TCL_ERROR;
	}
	Tcl_SetObjResult(ip, s->json ? sh_render_json(objv[1], 1) : sh_render_text(objv[1]));
	return TCL_OK;
}

static int h_tty(ClientData cd, Tcl_Interp *ip, int objc, Tcl_Obj *const objv[])
{
	(void)cd;
	(void)objc;
	(void)objv;
	Tcl_SetObjResult(ip, Tcl_NewBooleanObj(isatty(0)));
	return TCL_OK;
}

static int h_pause(ClientData cd, Tcl_Interp *ip, int objc, Tcl_Obj *const objv[])
{
	long ms;
	if (objc != 2 || Tcl_GetLongFromObj(ip, objv[1], &ms) != TCL_OK)
		return TCL_ERROR;
	fflush(stdout);
	return sh_wait_events((sh_session *)cd, ip, ms, NULL);
}

static void stdin_ready(ClientData cd, int mask)
{
	(void)mask;
	*(int *)cd = 1;
}

/* ask PROMPT: one line from the terminal, the event loop running meanwhile
 * (arrivals still print); "" at once when stdin is not a terminal; "\x04"
 * at end of file; "q" on Ctrl-C. */
static int h_ask(ClientData cd, Tcl_Interp *ip, int objc, Tcl_Obj *const objv[])
{
	sh_session *s = cd;
	if (objc != 2) {
		Tcl_WrongNumArgs(ip, 1, objv, "prompt");
		return TCL_ERROR;
	}
	if (!isatty(0)) {
		Tcl_SetObjResult(ip, Tcl_NewObj());
		return TCL_OK;
	}
	fputs(Tcl_GetString(objv[1]), stdout);
	fflush(stdout);
	int ready = 0;
	Tcl_CreateFileHandler(0, TCL_READABLE, stdin_ready, &ready);
	while (!ready && !sh_interrupted)
		if (sh_wait_events(s, ip, 100, &ready) != TCL_OK)
			break;
	Tcl_DeleteFileHandler(0);
	if (sh_interrupted) {
		sh_interrupted = 0;
		printf("\n");
		Tcl_SetObjResult(ip, Tcl_NewStringObj("q", -1));
		return TCL_OK;
	}
	Tcl_DString line;
	Tcl_DStringInit(&line);
	int eof = 0;
	for (;;) {
		char ch;
		ssize_t n = read(0, &ch, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			eof = Tcl_DStringLength(&line) == 0;
			break;
		}
		if (ch == '\n')
			break;
		Tcl_DStringAppend(&line, &ch, 1);
	}
	if (eof) {
		printf("\n");
		Tcl_SetObjResult(ip, Tcl_NewStringObj("\x04", 1));
	} else {
		Tcl_DStringResult(ip, &line);
	}
	Tcl_DStringFree(&line);
	return TCL_OK;
}

/* Define ::sctpsh::replay once per interpreter. */
static int ensure_lib(sh_session *s, Tcl_Interp *ip)
{
	if (Tcl_FindCommand(ip, "::sctpsh::replay::run", NULL, TCL_GLOBAL_ONLY))
		return TCL_OK;
	if (Tcl_EvalEx(ip, "namespace eval ::sctpsh::replay {}", -1, TCL_EVAL_GLOBAL) != TCL_OK)
		return TCL_ERROR;
	Tcl_CreateObjCommand(ip, "::sctpsh::replay::curhost", h_curhost, s, NULL);
	Tcl_CreateObjCommand(ip, "::sctpsh::replay::render", h_render, s, NULL);
	Tcl_CreateObjCommand(ip, "::sctpsh::replay::libdir", h_libdir, s, NULL);
	Tcl_SetVar2(ip, "::sctpsh::replay::version", NULL, SCTPSH_VERSION, TCL_GLOBAL_ONLY);
	Tcl_CreateObjCommand(ip, "::sctpsh::replay::tty", h_tty, s, NULL);
	Tcl_CreateObjCommand(ip, "::sctpsh::replay::pause", h_pause, s, NULL);
	Tcl_CreateObjCommand(ip, "::sctpsh::replay::ask", h_ask, s, NULL);
	if (Tcl_EvalEx(ip, replay_tcl, -1, TCL_EVAL_GLOBAL) != TCL_OK) {
		Tcl_AddErrorInfo(ip, "\n    (loading sctpsh's record/replay library)");
		return TCL_ERROR;
	}
	return TCL_OK;
}

/* Call ::sctpsh::replay::NAME with the given words (references taken). */
static int call(sh_call *c, const char *name, int n, Tcl_Obj *const words[])
{
	if (ensure_lib(c->s, c->ip) != TCL_OK)
		return TCL_ERROR;
	Tcl_Obj *l = Tcl_NewListObj(0, NULL);
	Tcl_ListObjAppendElement(NULL, l, Tcl_ObjPrintf("::sctpsh::replay::%s", name));
	for (int i = 0; i < n; i++)
		Tcl_ListObjAppendElement(NULL, l, words[i]);
	Tcl_IncrRefCount(l);
	int rc = Tcl_EvalObjEx(c->ip, l, TCL_EVAL_GLOBAL);
	Tcl_DecrRefCount(l);
	return rc;
}

static Tcl_Obj *flag(sh_call *c, const char *name)
{
	return Tcl_NewBooleanObj(sh_opt_isset(c, name));
}

static Tcl_Obj *str_opt(sh_call *c, const char *name)
{
	sh_optval *v = sh_opt_get(c, name);
	return v && v->set ? v->obj : Tcl_NewObj();
}

static int delay_opt(sh_call *c, Tcl_Obj **out)
{
	sh_optval *v = sh_opt_get(c, "--delay");
	Tcl_WideInt ms = v && v->set ? v->i : 0;
	if (ms < 0 || ms > 600000)
		return sh_err(c->ip, "usage", "--delay expects 0..600000 ms, got %lld", (long long)ms);
	*out = Tcl_NewWideIntObj(ms);
	return TCL_OK;
}

/* ---- the commands ---------------------------------------------------------- */

static int rec_start(sh_call *c)
{
	Tcl_Obj *w[] = {c->pos[0], flag(c, "--expect")};
	return call(c, "record_start", 2, w);
}

static int rec_stop(sh_call *c) { return call(c, "record_stop", 0, NULL); }
static int rec_show(sh_call *c) { return call(c, "record_show", 0, NULL); }

static int cmd_replay(sh_call *c)
{
	Tcl_Obj *d;
	if (delay_opt(c, &d) != TCL_OK)
		return TCL_ERROR;
	Tcl_Obj *w[] = {c->pos[0], flag(c, "--step"), d, flag(c, "--quiet")};
	return call(c, "run", 4, w);
}

static int cmd_lesson(sh_call *c)
{
	Tcl_Obj *d;
	if (delay_opt(c, &d) != TCL_OK)
		return TCL_ERROR;
	Tcl_Obj *w[] = {c->npos ? c->pos[0] : Tcl_NewObj(), flag(c, "--step"), d, flag(c, "--quiet")};
	return call(c, "lesson", 4, w);
}

static int cmd_expect(sh_call *c)
{
	Tcl_Obj *pairs = Tcl_NewListObj(c->npos - 1, c->pos + 1);
	Tcl_Obj *is = Tcl_NewListObj(0, NULL);
	if (sh_opt_isset(c, "--is")) {
		Tcl_ListObjAppendElement(NULL, is, Tcl_NewBooleanObj(1));
		Tcl_ListObjAppendElement(NULL, is, sh_opt_get(c, "--is")->obj);
	}
	Tcl_Obj *w[] = {c->pos[0], pairs, is, str_opt(c, "--match"), str_opt(c, "--llength"),
			str_opt(c, "--msg")};
	return call(c, "expect", 6, w);
}

static int cmd_say(sh_call *c)
{
	Tcl_Obj *t = Tcl_NewObj();
	for (int i = 0; i < c->npos; i++) {
		if (i)
			Tcl_AppendToObj(t, " ", 1);
		Tcl_AppendObjToObj(t, c->pos[i]);
	}
	return call(c, "say", 1, &t);
}

/* The REPL's hook: after each command typed at the prompt (or read from a
 * pipe), while recording. Keeps the interpreter's result and error state. */
void sh_record_hook(sh_session *s, const char *text, int rc, Tcl_Obj *result)
{
	Tcl_Interp *ip = s->ip;
	if (!Tcl_FindCommand(ip, "::sctpsh::replay::hook", NULL, TCL_GLOBAL_ONLY))
		return; /* never recorded in this session */
	Tcl_InterpState st = Tcl_SaveInterpState(ip, rc);
	Tcl_Obj *l = Tcl_NewListObj(0, NULL);
	Tcl_ListObjAppendElement(NULL, l, Tcl_NewStringObj("::sctpsh::replay::hook", -1));
	Tcl_ListObjAppendElement(NULL, l, Tcl_NewStringObj(text, -1));
	Tcl_ListObjAppendElement(NULL, l, Tcl_NewIntObj(rc));
	Tcl_ListObjAppendElement(NULL, l, result ? result : Tcl_NewObj());
	Tcl_IncrRefCount(l);
	if (Tcl_EvalObjEx(ip, l, TCL_EVAL_GLOBAL) != TCL_OK)
		fprintf(stderr, "record: %s\n", Tcl_GetStringResult(ip));
	Tcl_DecrRefCount(l);
	Tcl_RestoreInterpState(ip, st);
}

static const sh_opt start_opts[] = {
	{"--expect", SH_OPT_FLAG, NULL, "also save each result's stable fields as expect assertions"},
	{NULL},
};

static const sh_opt replay_opts[] = {
	{"--step", SH_OPT_FLAG, NULL, "stop before each command: Enter runs it, s skips, c continues, q stops, or type a command"},
	{"--delay", SH_OPT_INT, "MS", "pause MS ms after each command"},
	{"--quiet", SH_OPT_FLAG, NULL, "do not show the script's comments"},
	{NULL},
};

static const sh_opt expect_opts[] = {
	{"--is", SH_OPT_STR, "VALUE", "the whole result must equal VALUE"},
	{"--match", SH_OPT_STR, "GLOB", "the whole result must match GLOB (string match)"},
	{"--llength", SH_OPT_INT, "N", "the result must be a list of N elements"},
	{"--msg", SH_OPT_STR, "TEXT", "what the assertion means, shown when it fails"},
	{NULL},
};

static const sh_cmd record_subs[] = {
	{"start", "FILE", "record what is typed at the prompt into FILE, a replayable Tcl script", start_opts, 1, 1,
	 rec_start, NULL,
	 "Comments mark the time and the host; a failed command is kept as a comment with its error. "
	 "Association ids from connect/wait/recv and socket names from socket/peeloff/lab become "
	 "variables (set a1 [connect ...] ... --assoc $a1), so the script replays on a fresh lab. "
	 "FILE is rewritten after every command."},
	{"stop", "", "stop recording; returns {file commands failed}", NULL, 0, 0, rec_stop},
	{"show", "", "whether a recording runs, its file and command count", NULL, 0, 0, rec_show},
	{NULL},
};

const sh_cmd sh_cmds_replay[] = {
	{"record", NULL, "record the commands typed at the prompt as a replayable script", NULL, 0, 0, NULL,
	 record_subs},
	{"replay", "FILE", "run a script one command at a time, showing each command and its result", replay_opts,
	 1, 1, cmd_replay, NULL,
	 "Top-level commands are split with info complete and run at global level; comments are shown. "
	 "An error stops the replay (errorCode of the command). With --step and stdin not a terminal, "
	 "nothing waits. sctpsh --step FILE.tcl is replay FILE --step."},
	{"lesson", "?NAME?", "run a narrated lesson from scripts/lessons (no NAME or list: the lessons)", replay_opts,
	 0, 1, cmd_lesson, NULL,
	 "Each lesson sets up the lab, shows the packets that matter, cites the RFC sections it shows "
	 "and ends with assertions that fail if the kernel behaves differently. $SCTPSH_LESSONS "
	 "overrides the directory."},
	{"expect", "RESULT ?KEY VALUE...?", "check a result: dict fields, whole value, pattern; returns RESULT",
	 expect_opts, 1, -1, cmd_expect, NULL,
	 "Fails with errorCode {SCTPSH expect} naming every difference. Used by recorded scripts "
	 "(record start --expect) and lessons: expect [send --assoc $a1 hi] stream 0 bytes 2"},
	{"say", "TEXT...", "print narration (a lesson's text); replay shows it without a prompt", NULL, 1, -1,
	 cmd_say},
	{NULL},
};
