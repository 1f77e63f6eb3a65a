#!/usr/bin/env bash
# The interactive prompt, driven as a person would through a terminal (tmux):
# completion, multi-line input, Ctrl-C at the prompt and during a command,
# history saved across sessions, Ctrl-D leaves.
cd "$(dirname "$0")/../.." || exit 2
command -v tmux >/dev/null || { echo "tmux missing (apt-get install tmux)"; echo "0 passed, 1 failed"; exit 1; }
export HOME=$(mktemp -d) TMUX_TMPDIR=$(mktemp -d)
sock=sctpsh-repl-$$
pass=0 fail=0
t() { tmux -L "$sock" "$@"; }
start() { # wait until the prompt is drawn
    t new-session -d -s r -x 150 -y 60 "./sctpsh --no-socket"
    for _ in $(seq 50); do screen 2>/dev/null | grep -q 'sctpsh\[local\]>' && return; sleep 0.1; done
}
keys() { t send-keys -t r "$@"; sleep 0.4; }
screen() { t capture-pane -p -t r; }
check() { # name pattern (extended regexp over the whole screen)
    # lines joined with "~", trailing blanks dropped (as tmux shows them)
    if screen | sed 's/ *$//' | tr '\n' '~' | grep -qE "$2"; then echo "PASS $1"; pass=$((pass+1));
    else echo "FAIL $1"; screen | sed 's/^/    | /'; fail=$((fail+1)); fi
}
trap 't kill-server 2>/dev/null; rm -rf "$HOME" "$TMUX_TMPDIR"' EXIT

start
check "prompt shows the current host" '~sctpsh\[local\]>~'
keys 'hel' Tab; keys Enter
check "Tab completes a command name" 'sctpsh\[local\]> help~commands \(help NAME'
keys 'lab enc' Tab
check "Tab completes a subcommand" 'sctpsh\[local\]> lab encap~'
keys C-c
check "Ctrl-C drops the line and gives a fresh prompt" 'lab encap \^C~sctpsh\[local\]>~'
keys 'proc f {} {' Enter 'return 41' Enter '}' Enter 'expr {[f] + 1}' Enter
check "multi-line input waits for a complete command" '\.\.\.> return 41~ *\.\.\.> \}~sctpsh\[local\]> expr \{\[f\] \+ 1\}~42~'
keys 'while 1 {}' Enter; sleep 0.5; keys C-c
check "Ctrl-C interrupts a running command" 'while 1 \{\}~\^Cerror: interrupted~sctpsh\[local\]>~'
keys 'lab up --port x' Enter
check "an error is shown and the prompt lives on" 'error: option --port expects an integer \(N\), got "x"~sctpsh\[local\]>~'
keys C-d; sleep 0.3
if grep -q 'expr' "$HOME/.sctpsh_history"; then echo "PASS history saved to ~/.sctpsh_history"; pass=$((pass+1));
else echo "FAIL history saved to ~/.sctpsh_history"; fail=$((fail+1)); fi
start
keys Up
check "history comes back in a new session" 'sctpsh\[local\]> lab up --port x'
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
