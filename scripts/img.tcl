# Pictures for the docs: every lesson in scripts/lessons runs live in the lab,
# and what its trace collected becomes a ladder diagram (and, where data flows,
# a TSN plot) in docs/img/, so docs/lessons.md reads without running anything.
#   scripts/sctplab run ./sctpsh --no-socket scripts/img.tcl ?OUTDIR? ?LESSON...?
# (make img). Prints one line per picture: file, packets, chunks, lost.
set here [file dirname [file normalize [info script]]]
set out [file join [file dirname $here] docs img]
set only {}
if {[llength $argv]} { set out [file normalize [lindex $argv 0]]; set only [lrange $argv 1 end] }
file mkdir $out

# Lessons whose data is worth a TSN plot (loss, gaps, abandoned messages).
set tsn {02-multistream 03-failover 05-prsctp}
# Heartbeats every second would fill the ladder and say nothing here.
set hide {HEARTBEAT HEARTBEAT-ACK}

set rc 0
foreach f [lsort [glob -directory [file join $here lessons] {[0-9]*.tcl}]] {
    set name [file rootname [file tail $f]]
    if {[llength $only] && $name ni $only} continue
    if {[catch {lesson $name --quiet} err]} {
        puts stderr "img: lesson $name failed: $err"
        set rc 1
        catch {trace off}; catch {trace collect --clear}
        continue
    }
    set chunks [trace collect]
    catch {trace off}
    set title "Lesson $name (live, Linux kernel SCTP in the sctpsh lab)"
    set r [ladder svg $chunks --out [file join $out lesson-$name.svg] --title $title --hide $hide]
    puts [format "%-34s packets %3d chunks %3d lost %d" [file tail [dict get $r file]] \
              [dict get $r packets] [dict get $r chunks] [dict get $r lost]]
    if {$name in $tsn} {
        set t [ladder tsn $chunks --out [file join $out lesson-$name-tsn.svg] --title "$title: TSN over time"]
        puts [format "%-34s flows %d" [file tail [dict get $t file]] [llength [dict get $t flows]]]
    }
    catch {trace collect --clear}
    catch {lab drop A --clear}
}
catch {lab down}
exit $rc
