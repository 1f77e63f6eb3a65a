#!/bin/sh
# wire-vs-tshark.sh -- agreement of the wire codec with Wireshark.
#
# Builds the canned sample packets with our encoder (every chunk type),
# writes them to pcap files (Ethernet and LINKTYPE_RAW), and has tshark
# decode them.  For each frame:
#   - tshark must not report a malformed packet or an expert warning/error,
#   - the checksum must verify for both (tshark -o sctp.checksum:crc-32c),
#     and tshark must find our IPv4 header and UDP checksums right,
#   - key fields must agree (ports, vtag, checksum, chunk types/lengths,
#     TSN/SID/SSN/MID/FSN/PPID, SACK cum/gaps/dups, FORWARD-TSN entries,
#     INIT tags/TSNs, parameter types, addresses, cause codes, ASCONF
#     serials and correlation IDs, RE-CONFIG sequence numbers/results, AUTH
#     key/HMAC ids, ECNE/CWR TSNs)  -- see the table in wiredump.c.
# Real Linux captures in tests/unit/vectors are compared the same way, and
# malformed packets must be flagged by both (or by us, where we are
# stricter).  A deliberately corrupted copy checks that both flag a bad CRC.
#
# Runs on the host, needs no SCTP.  Prints PASS/FAIL lines and a final
# "N passed, N failed".  Environment: WIREDUMP (path of the wiredump
# binary), WIRE_TMP (scratch directory).
set -u
WIREDUMP=${WIREDUMP:-build/wire/wiredump}
TMP=${WIRE_TMP:-$(mktemp -d)}
mkdir -p "$TMP"
pass=0
fail=0

if ! command -v tshark >/dev/null 2>&1; then
	echo "SKIP tshark not installed"
	echo "0 passed, 0 failed"
	exit 0
fi
if [ ! -x "$WIREDUMP" ]; then
	echo "FAIL $WIREDUMP not built"
	echo "0 passed, 1 failed"
	exit 1
fi

# tshark refuses nothing as root here, but keep its profile out of $HOME
TSHARK_OPTS="-n -o sctp.checksum:crc-32c -o sctp.relative_tsns:FALSE -o sctp.tsn_analysis:FALSE -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE"
export WIRESHARK_CONFIG_DIR="$TMP/wsconf"
mkdir -p "$WIRESHARK_CONFIG_DIR"

fields=$("$WIREDUMP" -L)
eargs=""
for f in $fields; do eargs="$eargs -e $f"; done

run_one() { # linktype label
	lt=$1
	label=$2
	pcap="$TMP/samples-$label.pcap"
	tsv="$TMP/samples-$label.tsv"
	if ! "$WIREDUMP" -w "$pcap" -l "$lt"; then
		echo "FAIL [$label] writing samples"
		fail=$((fail + 1))
		return
	fi
	# shellcheck disable=SC2086
	if ! tshark -r "$pcap" $TSHARK_OPTS -T fields -E separator=/t -E occurrence=a \
		-E aggregator=, $eargs >"$tsv" 2>"$TMP/tshark-$label.err"; then
		echo "FAIL [$label] tshark failed: $(head -3 "$TMP/tshark-$label.err")"
		fail=$((fail + 1))
		return
	fi
	"$WIREDUMP" -C "$tsv" "$pcap" >"$TMP/cmp-$label.out"
	while IFS= read -r line; do
		case "$line" in
		PASS*) echo "PASS [$label] ${line#PASS }"; pass=$((pass + 1)) ;;
		FAIL*) echo "FAIL [$label] ${line#FAIL }"; fail=$((fail + 1)) ;;
		esac
	done <"$TMP/cmp-$label.out"
	# tshark's expert summary must have no warnings/errors at all
	tshark -r "$pcap" $TSHARK_OPTS -q -z expert,warn >"$TMP/expert-$label.out" 2>&1
	if grep -qiE "^(errors|warnings) \(" "$TMP/expert-$label.out"; then
		echo "FAIL [$label] tshark expert info:"
		sed 's/^/    /' "$TMP/expert-$label.out" | head -20
		fail=$((fail + 1))
	else
		echo "PASS [$label] tshark expert info has no warnings or errors"
		pass=$((pass + 1))
	fi
}

run_one 1 ethernet
run_one 101 raw

# Real Linux packets (tests/unit/vectors: AUTH, RE-CONFIG, ASCONF, I-DATA,
# and the kernel's answer to our INIT), captured on loopback, so with CRC
# offload: the kernel's checksums are zero.  Fields must agree, both must
# agree on good/bad checksums, and for a bad one the CRC tshark says it
# should carry must be the one we compute.
vecdir=$(dirname "$0")/vectors
for cap in "$vecdir"/linux-*.pcapng; do
	[ -f "$cap" ] || continue
	label=$(basename "$cap" .pcapng)
	# shellcheck disable=SC2086
	tshark -r "$cap" $TSHARK_OPTS -T fields -E separator=/t -E occurrence=a \
		-E aggregator=, $eargs >"$TMP/$label.tsv" 2>/dev/null
	"$WIREDUMP" -C "$TMP/$label.tsv" -K "$cap" >"$TMP/cmp-$label.out"
	while IFS= read -r line; do
		case "$line" in
		PASS*) echo "PASS [$label] ${line#PASS }"; pass=$((pass + 1)) ;;
		FAIL*) echo "FAIL [$label] ${line#FAIL }"; fail=$((fail + 1)) ;;
		esac
	done <"$TMP/cmp-$label.out"
done

# Malformed packets: our exact error, and tshark must flag them too
# (except the ones tshark accepts and we are stricter about).
bad="$TMP/malformed.pcap"
if "$WIREDUMP" -W "$bad"; then
	# shellcheck disable=SC2086
	tshark -r "$bad" $TSHARK_OPTS -T fields -E separator=/t -E occurrence=a \
		-E aggregator=, $eargs >"$TMP/malformed.tsv" 2>/dev/null
	"$WIREDUMP" -M "$TMP/malformed.tsv" "$bad" >"$TMP/cmp-malformed.out"
	while IFS= read -r line; do
		case "$line" in
		PASS*) echo "PASS [malformed] ${line#PASS bad }"; pass=$((pass + 1)) ;;
		FAIL*) echo "FAIL [malformed] ${line#FAIL bad }"; fail=$((fail + 1)) ;;
		esac
	done <"$TMP/cmp-malformed.out"
else
	echo "FAIL [malformed] writing samples"
	fail=$((fail + 1))
fi

# A corrupted checksum must be reported as bad by both.
pcap="$TMP/samples-raw.pcap"
bad="$TMP/bad-crc.pcap"
if [ -f "$pcap" ]; then
	# first frame: pcap header 24 + record header 16 + IPv4 20 + SCTP checksum at 8
	off=$((24 + 16 + 20 + 8))
	cp "$pcap" "$bad"
	printf '\377' | dd of="$bad" bs=1 seek=$off conv=notrunc 2>/dev/null
	ts=$(tshark -r "$bad" $TSHARK_OPTS -c 1 -T fields -e sctp.checksum.status 2>/dev/null)
	ours=$("$WIREDUMP" "$bad" | head -1)
	case "$ts:$ours" in
	0:*crc=bad*) echo "PASS [raw] corrupted checksum flagged by both"; pass=$((pass + 1)) ;;
	*) echo "FAIL [raw] corrupted checksum: tshark status=$ts ours=$ours"; fail=$((fail + 1)) ;;
	esac
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
