#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# check-probe-kvm.sh: boots the probe kernel on bare /dev/kvm through each of
# its 16-, 32- and 64-bit entries (probe-kvm-boot.py) and checks its reports.

set -u

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
PYTHON3=${PYTHON3:-python3}
PROBE=$top_builddir/tests/guests/probe.bzImage
BOOT=$top_srcdir/tests/guests/probe-kvm-boot.py

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; failed=1; }

command -v "$PYTHON3" >/dev/null 2>&1 || skip "python3 is not installed"
command -v timeout >/dev/null 2>&1 || skip "timeout(1) is not installed"
[ -c /dev/kvm ] || skip "there is no /dev/kvm"
[ -r /dev/kvm ] && [ -w /dev/kvm ] || skip "/dev/kvm is not accessible"
[ -f "$PROBE" ] || { echo "ERROR: $PROBE is not built"; exit 99; }

failed=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/probe-kvm.XXXXXX") || exit 99
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

"$PYTHON3" -c '
import sys
sys.stdout.buffer.write(bytes((i * 13 + (i >> 9)) & 0xff for i in range(40961)))
' >"$tmp/initrd" || exit 99
initrd_crc=$("$PYTHON3" -c '
import sys, zlib
print("%08x" % zlib.crc32(open(sys.argv[1], "rb").read()))
' "$tmp/initrd") || exit 99

# boot NAME ARGS...: runs the loader; $rc is its status (see its --help).
boot() {
	name=$1
	shift
	timeout -k 5 60 "$PYTHON3" "$BOOT" --kernel "$PROBE" "$@" \
		>"$tmp/$name.raw" 2>"$tmp/$name.err" &
	pid=$!
	wait "$pid"
	rc=$?
	pid=
	tr -d '\r' <"$tmp/$name.raw" >"$tmp/$name.out"
	echo "--- $name ($*): status $rc"
	cat "$tmp/$name.out" "$tmp/$name.err"
	[ "$rc" -eq 77 ] && skip "$(cat "$tmp/$name.err")"
}

expect() { grep -qxF -- "$2" "$tmp/$1.out" || fail "$1: no line '$2'"; }
status() { [ "$rc" -eq "$2" ] || fail "$1: status $rc, expected $2"; }

for entry in 64 32 16; do
	cmdline="entry.test=$entry probe.exits=25 probe.poweroff"
	boot "e$entry" --entry "$entry" --cpus 3 --initrd "$tmp/initrd" \
		--append "$cmdline"
	status "e$entry" 0
	expect "e$entry" "probe: boot entry=$entry"
	expect "e$entry" "probe: protocol loader=ff"
	expect "e$entry" "probe: cmdline=$cmdline"
	expect "e$entry" "probe: e820 0 9fc00 1"
	expect "e$entry" "probe: e820 100000 7f00000 1"
	expect "e$entry" "probe: e820 entries=4 ram=133823488"
	expect "e$entry" "probe: initrd size=40961 crc32=$initrd_crc"
	expect "e$entry" "probe: cpus-listed=3 source=mptable"
	expect "e$entry" "probe: cpus=3"
	expect "e$entry" "probe: ready"
	grep -q '^probe: exits n=25 tsc=[0-9]*$' "$tmp/e$entry.out" ||
		fail "e$entry: no exits line"
	grep -q 'bench writes=25$' "$tmp/e$entry.err" ||
		fail "e$entry: the loader did not see 25 writes to port 0x512"
	expect "e$entry" "probe: poweroff"
	grep -q '^probe: \(warning\|exception\)' "$tmp/e$entry.out" &&
		fail "e$entry: unexpected warning or exception"
done

boot cad --entry 32 --ctrl-alt-del --append ""
status cad 0
expect cad "probe: ctrl-alt-del"

boot badmp --entry 16 --mptable bad --append "probe.poweroff"
status badmp 0
expect badmp "probe: warning bad MP table checksum at 9fc10, ignored"
expect badmp "probe: cpus-listed=0 source=none"
expect badmp "probe: cpus=1"

boot triple --entry 64 --append "probe.triplefault"
status triple 2
expect triple "probe: triplefault"

boot reset --entry 64 --append "probe.reset"
status reset 3
expect reset "probe: reset"

[ "$failed" -eq 0 ] && echo "PASS: the probe booted through all three entries on bare KVM"
exit "$failed"
