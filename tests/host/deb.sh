#!/usr/bin/env bash
# The Debian package: dpkg-buildpackage -us -uc -b in a temporary copy of the
# tree (it writes ../*.deb), lintian without errors, and the .deb's own
# sctpsh --version and `package require sctpsh`, unpacked with dpkg -x.
# Prints "deb: N passed, N failed".
cd "$(dirname "$0")/../.." || exit 2
for t in dpkg-buildpackage dh lintian; do
    command -v $t >/dev/null || { echo "FAIL $t missing (make deps installs it)"; echo "deb: 0 passed, 1 failed"; exit 1; }
done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
ko() { echo "FAIL $1"; fail=$((fail + 1)); }

# the working tree as make would build it: tracked and new files, not build output
mkdir "$tmp/src"
git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} sh -c '[ -e "{}" ] && printf "%s\0" "{}"' \
    | tar --null -T - -cf - | tar -xf - -C "$tmp/src"
start=$(date +%s)
if (cd "$tmp/src" && timeout 600 dpkg-buildpackage -us -uc -b -j2) > "$tmp/build.log" 2>&1; then
    ok "dpkg-buildpackage -us -uc -b ($(( $(date +%s) - start )) s)"
else
    tail -30 "$tmp/build.log"; ko "dpkg-buildpackage -us -uc -b"
    echo "deb: $pass passed, $fail failed"; exit 1
fi
deb=$(ls "$tmp"/sctpsh_*.deb)
changes=$(ls "$tmp"/sctpsh_*.changes)

lintian --no-tag-display-limit "$changes" > "$tmp/lintian.txt" 2>&1
if grep -q '^E:' "$tmp/lintian.txt"; then
    grep '^E:' "$tmp/lintian.txt"; ko "lintian: no errors"
else
    ok "lintian: no errors ($(grep -c '^W:' "$tmp/lintian.txt") warnings)"
fi
grep '^W:' "$tmp/lintian.txt" | sed 's/^/  /'

dpkg -x "$deb" "$tmp/root"
ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
v=$(sed -n 's/^#define SCTPSH_VERSION "\(.*\)"/\1/p' shell/sctpsh.h)
out=$("$tmp/root/usr/bin/sctpsh" --version 2>&1)
[[ "$out" == "sctpsh $v (Tcl 8.6"* ]] && ok "the packaged sctpsh --version: $out" || ko "the packaged sctpsh --version: $out"

# what the package holds, where Debian looks for it
for f in usr/share/man/man1/sctpsh.1.gz usr/share/bash-completion/completions/sctpsh \
         usr/share/zsh/vendor-completions/_sctpsh usr/share/sctpsh/labnet usr/share/sctpsh/sctplab \
         usr/share/sctpsh/lessons/lib.tcl usr/share/sctpsh/lab/init \
         "usr/lib/tcltk/$ma/sctpsh$v/pkgIndex.tcl" "usr/lib/tcltk/$ma/sctpsh$v/libsctpsh.so"; do
    [ -e "$tmp/root/$f" ] && ok "package holds /$f" || ko "package holds /$f"
done
out=$(gzip -dc "$tmp/root/usr/share/man/man1/sctpsh.1.gz" | grep -c '^\.SH')
[ "$out" -gt 3 ] && ok "the man page has its sections ($out)" || ko "the man page has its sections ($out)"

# the packaged Tcl package, in a plain tclsh, as installed (libdir: /usr/share/sctpsh)
out=$(printf '%s\n' 'namespace eval ::sctpsh {variable config; set config(nosocket) 1}' \
    'puts [package require sctpsh]' 'puts $::sctpsh::libdir' 'puts [llength [help]]' |
    TCLLIBPATH="$tmp/root/usr/lib/tcltk/$ma" tclsh8.6 2>&1)
[ "$out" = "$(printf '%s\n/usr/share/sctpsh\n%s' "$v" "$(./sctpsh --no-socket -c 'llength [help]')")" ] \
    && ok "the packaged Tcl package loads in tclsh8.6 (version, libdir, help)" \
    || ko "the packaged Tcl package loads in tclsh8.6: $out"
echo "deb: $pass passed, $fail failed"
[ "$fail" = 0 ]
