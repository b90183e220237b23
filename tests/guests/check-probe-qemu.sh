#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# check-probe-qemu.sh: boots the probe kernel under QEMU microvm and checks
# what it reports about the boot protocol, memory, initrd, CPUs and I/O.
#
# No isa-debug-exit here: QEMU's fw_cfg owns ports 0x510-0x511, and a
# debug-exit device at 0x511 hides fw_cfg from the firmware, so nothing
# boots.  The probe falls back to ACPI S5, which ends QEMU just as well.

set -u

: "${top_builddir:=$(cd "$(dirname "$0")/../.." && pwd)}"
QEMU=${QEMU:-qemu-system-x86_64}
PYTHON3=${PYTHON3:-python3}
PROBE=$top_builddir/tests/guests/probe.bzImage
TIMEOUT=60

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; failed=1; }

command -v "$QEMU" >/dev/null 2>&1 || skip "$QEMU is not installed"
command -v timeout >/dev/null 2>&1 || skip "timeout(1) is not installed"
command -v "$PYTHON3" >/dev/null 2>&1 || skip "python3 is needed for the CRC-32"
[ -f "$PROBE" ] || { echo "ERROR: $PROBE is not built"; exit 99; }

failed=0
pids=
tmp=$(mktemp -d "${TMPDIR:-/tmp}/probe-qemu.XXXXXX") || exit 99
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

# An initrd of known bytes, deliberately not a whole number of pages.
"$PYTHON3" -c '
import sys
sys.stdout.buffer.write(bytes((i * 7 + (i >> 8)) & 0xff for i in range(65537)))
' >"$tmp/initrd" || exit 99
initrd_size=$(wc -c <"$tmp/initrd" | tr -d ' ')
initrd_crc=$("$PYTHON3" -c '
import sys, zlib
print("%08x" % zlib.crc32(open(sys.argv[1], "rb").read()))
' "$tmp/initrd") || exit 99

# run NAME CMDLINE [QEMU ARGS...]: boots the probe in the background with
# stdin from $tmp/NAME.in if that exists; leaves its pid in $qpid.
run_bg() {
	name=$1 cmdline=$2
	shift 2
	in=/dev/null
	[ -p "$tmp/$name.in" ] && in=$tmp/$name.in
	# shellcheck disable=SC2086
	timeout -k 5 "$TIMEOUT" "$QEMU" -M microvm $ACCEL -m 128 -smp 2 \
		-nodefaults -no-user-config -nographic -serial stdio \
		-kernel "$PROBE" -append "$cmdline" -initrd "$tmp/initrd" \
		"$@" <"$in" >"$tmp/$name.raw" 2>"$tmp/$name.err" &
	qpid=$!
	pids="$pids $qpid"
}

# run NAME CMDLINE [QEMU ARGS...]: boots the probe to the end; $rc is
# QEMU's exit status (124 when timeout had to stop it).
run() {
	run_bg "$@"
	wait "$qpid"
	rc=$?
	tr -d '\r' <"$tmp/$1.raw" >"$tmp/$1.out"
}

show() {
	echo "--- $1: serial output"
	cat "$tmp/$1.out"
	[ -s "$tmp/$1.err" ] && { echo "--- $1: stderr"; cat "$tmp/$1.err"; }
}

has() { grep -qxF -- "$2" "$tmp/$1.out"; }

expect() { has "$1" "$2" || fail "$1: no line '$2'"; }

# KVM as asked for, then without IA32_ARCH_CAPABILITIES (PVM-based KVM
# refuses to set that MSR, and QEMU aborts), then TCG.
pick_accel() {
	for ACCEL in "-enable-kvm -cpu host" \
		     "-enable-kvm -cpu host,-arch-capabilities" \
		     "-accel tcg -cpu max"; do
		run pick "probe.poweroff"
		has pick "probe: ready" && return 0
		echo "note: QEMU with '$ACCEL' did not boot the probe (status $rc):"
		sed 's/^/  /' "$tmp/pick.err" | head -5
	done
	show pick
	echo "FAIL: the probe did not boot under QEMU at all"
	exit 1
}

check_ram() {
	ram=$(sed -n 's/^probe: e820 entries=[0-9]* ram=\([0-9]*\)$/\1/p' "$tmp/$1.out")
	if [ -z "$ram" ]; then
		fail "$1: no e820 summary line"
	elif [ "$ram" -lt $((120 << 20)) ] || [ "$ram" -gt $((128 << 20)) ]; then
		fail "$1: usable RAM $ram is not close to 128 MiB"
	fi
	grep -q '^probe: e820 [0-9a-f]* [0-9a-f]* [0-9]*$' "$tmp/$1.out" ||
		fail "$1: no e820 entry lines"
}

check_main() {
	cmdline="vmtui.test=1 root=/dev/null probe.exits=100 probe.nosuch x=a,b:c/d probe.poweroff"
	run main "$cmdline"
	show main
	expect main "probe: boot entry=16"
	expect main "probe: protocol loader=b0"
	expect main "probe: cmdline=$cmdline"
	check_ram main
	expect main "probe: initrd size=$initrd_size crc32=$initrd_crc"
	grep -q '^probe: cpus-listed=2 source=madt$' "$tmp/main.out" ||
		fail "main: QEMU's MADT should list 2 CPUs"
	expect main "probe: cpus=2"
	expect main "probe: ready"
	grep -q '^probe: exits n=100 tsc=[0-9][0-9]*$' "$tmp/main.out" ||
		fail "main: no exits line"
	expect main "probe: unknown option probe.nosuch"
	expect main "probe: poweroff"
	[ "$rc" -eq 124 ] || [ "$rc" -gt 128 ] && fail "main: probe.poweroff did not end QEMU"
	grep -q '^probe: exception' "$tmp/main.out" && fail "main: the probe took an exception"
}

# Pipes a line in once the probe is ready and waits for it to come back.
check_echo() {
	mkfifo "$tmp/echo.in" || exit 99
	exec 3<>"$tmp/echo.in"
	run_bg echo "probe.echo"
	line="vmtui-echo-check-$$"
	n=0
	while ! grep -q 'probe: ready' "$tmp/echo.raw" 2>/dev/null && [ $n -lt 300 ]; do
		sleep 0.1; n=$((n + 1))
	done
	printf '%s\n' "$line" >&3
	n=0
	while ! grep -qF "$line" "$tmp/echo.raw" && [ $n -lt 100 ]; do
		sleep 0.1; n=$((n + 1))
	done
	kill "$qpid" 2>/dev/null
	wait "$qpid"
	exec 3>&-
	tr -d '\r' <"$tmp/echo.raw" >"$tmp/echo.out"
	show echo
	expect echo "probe: echo on"
	expect echo "probe: ready"
	expect echo "$line"
}

# Reset and triple fault both end QEMU under -no-reboot.
check_stop() {
	run "$1" "$2" -no-reboot
	show "$1"
	expect "$1" "$3"
	[ "$rc" -eq 124 ] || [ "$rc" -gt 128 ] && fail "$1: '$2' did not end QEMU"
}

pick_accel
echo "accelerator: $ACCEL"
case $ACCEL in *tcg*) echo "note: KVM is not usable here, this run used TCG" ;; esac
check_main
check_echo
check_stop reset probe.reset "probe: reset"
check_stop triplefault probe.triplefault "probe: triplefault"

[ "$failed" -eq 0 ] && echo "PASS: the probe kernel reported all it should under QEMU microvm"
exit "$failed"
