# bash completion for sctpsh. Command names for -c come from the binary's
# own command table (sctpsh --list-commands), so they cannot drift.
_sctpsh()
{
    local cur prev
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    case $prev in
        --port) return ;;
        --netns)
            COMPREPLY=($(compgen -W "$(ls /var/run/netns 2>/dev/null)" -- "$cur")); return ;;
        --bind) return ;;
        -c)
            COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" --list-commands 2>/dev/null | cut -d' ' -f1)" -- "$cur"))
            return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "--port --bind --netns --json --no-socket -c --version --help" -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -f -X '!*.tcl' -- "$cur") $(compgen -d -- "$cur"))
}
complete -F _sctpsh sctpsh
