#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# snapshot.sh: SNAPSHOT of a counting probe with 2 vCPUs and a disk, --restore goes on from there; bad files are refused.
. "$(dirname "$0")/lib.sh"
need_kvm; need_probe

ARGS="--kernel $PROBE --cmdline console=ttyS0 --vcpus 2 --memory 64 --disk $TMPD/disk.img"
truncate -s 8M "$TMPD/disk.img"

# The last "count n=N ap=A" of a console capture, as "N A".
last_count() {
	sed -n 's/.*probe: count n=\([0-9]*\) ap=\([0-9]*\) mem=\([a-z]*\).*/\1 \2 \3/p' "$1" | tail -n 1
}
# The value the probe last wrote to sector 0 of a disk image.
sector0() {
	"$PYTHON3" -c 'import struct,sys; print(struct.unpack("<Q", open(sys.argv[1],"rb").read(8))[0])' "$1"
}

# shellcheck disable=SC2086
run_vm a $ARGS --cmdline "console=ttyS0 probe.count=0"
$CTL "$TMPD/a.sock" console --expect 'count n=2[0-9] ' --timeout "$LIMIT" --out "$TMPD/a1.txt" >/dev/null ||
	fail "the probe does not count"
$CTL "$TMPD/a.sock" "SNAPSHOT $TMPD/s1" | grep -q '^ERR pause' || fail "a running VM was snapshotted"
$CTL "$TMPD/a.sock" PAUSE >/dev/null || fail "PAUSE"
$CTL "$TMPD/a.sock" "SNAPSHOT $TMPD/s1" >/dev/null || fail "SNAPSHOT: $($CTL "$TMPD/a.sock" "SNAPSHOT $TMPD/s1")"
$CTL "$TMPD/a.sock" "SNAPSHOT relative" | grep -q 'absolute' || fail "a relative path was taken"
$CTL "$TMPD/a.sock" console --absent 'no such line' --timeout 1 --out "$TMPD/a2.txt" >/dev/null
set -- $(last_count "$TMPD/a2.txt")
at_n=$1 at_ap=$2
[ -n "$at_n" ] || fail "no count before the snapshot"
cp "$TMPD/disk.img" "$TMPD/disk-at-snapshot.img"
disk_at=$(sector0 "$TMPD/disk.img")
note "snapshot at count $at_n (AP turns $at_ap, disk $disk_at): $(grep -o 'snapshot written.*' "$TMPD/a.log")"
# The probe writes a turn's number, then prints it: the disk may be one ahead.
[ "$disk_at" -le $((at_n + 1)) ] || fail "the disk is ahead of the count ($disk_at > $at_n + 1)"
# Taking it left the VM as it was: it goes on after RESUME.
$CTL "$TMPD/a.sock" RESUME >/dev/null || fail "RESUME"
$CTL "$TMPD/a.sock" console --expect "count n=$((at_n + 20)) " --timeout "$LIMIT" --out "$TMPD/a3.txt" >/dev/null ||
	fail "the VM did not go on after the snapshot"
$CTL "$TMPD/a.sock" KILL >/dev/null
wait_exit "$VM_PID"
[ "$(sector0 "$TMPD/disk.img")" -gt "$disk_at" ] || fail "the disk did not move on after the snapshot"

# Revert: the disk as it was then, and the snapshot's machine.
cp "$TMPD/disk-at-snapshot.img" "$TMPD/disk.img"
# shellcheck disable=SC2086
run_vm b $ARGS --cmdline "console=ttyS0 probe.count=0" --restore "$TMPD/s1"
note "$(grep -o 'restored from.*' "$TMPD/b.log")"
$CTL "$TMPD/b.sock" console --expect "count n=$((at_n + 20)) " --timeout "$LIMIT" --out "$TMPD/b1.txt" >/dev/null ||
	fail "the restored VM does not count on"
# Every count once, in order: the scrollback up to the snapshot, then the restored guest.
sed -n 's/.*probe: count n=\([0-9]*\) .*/\1/p' "$TMPD/b1.txt" | "$PYTHON3" -c '
import sys
ns = [int(l) for l in sys.stdin]
bad = [b for a, b in zip(ns, ns[1:]) if b != a + 1]
sys.exit("counts out of order: %s" % bad[:5] if bad else 0)' || fail "the count did not go on from the snapshot"
grep -q 'mem=bad' "$TMPD/b1.txt" && fail "the probe's memory changed across the restore"
set -- $(last_count "$TMPD/b1.txt")
[ "$2" -gt "$at_ap" ] || fail "the second vCPU did not run after the restore (AP turns $2, at the snapshot $at_ap)"
$CTL "$TMPD/b.sock" KILL >/dev/null
wait_exit "$VM_PID"
[ "$(sector0 "$TMPD/disk.img")" -gt "$at_n" ] || fail "the restored VM's disk writes did not land"
note "restored: counted on to $1 with the AP at $2"

# Files that must be refused, each with its reason, and the runner set up nothing.
refuse() {
	what=$1 file=$2 want=$3; shift 3
	# shellcheck disable=SC2086
	timeout -s KILL "$LIMIT" "$VMTUI_VMM" $ARGS --restore "$file" "$@" >"$TMPD/r.out" 2>"$TMPD/r.log" </dev/null &&
		fail "$what: restored"
	grep -q "$want" "$TMPD/r.log" || fail "$what: no '$want' in: $(tail -n 2 "$TMPD/r.log")"
	note "$what: $(grep -o "$want.*" "$TMPD/r.log" | head -n 1)"
}
head -c 3000 "$TMPD/s1" >"$TMPD/short"
refuse "a truncated file" "$TMPD/short" "not a vmtui-vmm snapshot"
head -c 10000 "$TMPD/s1" >"$TMPD/cut"
refuse "a file cut in its state or memory" "$TMPD/cut" "cut short"
cp "$TMPD/s1" "$TMPD/bad"
printf 'X' | dd of="$TMPD/bad" bs=1 seek=4200 conv=notrunc 2>/dev/null
refuse "a corrupted file" "$TMPD/bad" "checksum does not match"
cp "$TMPD/s1" "$TMPD/foreign"
printf 'vmtui-vmm 0.0.0' | dd of="$TMPD/foreign" bs=1 seek=16 conv=notrunc 2>/dev/null
refuse "another runner's file" "$TMPD/foreign" "was made by vmtui-vmm 0.0.0"
refuse "another machine (1 vCPU)" "$TMPD/s1" "another machine" --vcpus 1
refuse "another machine (no rng)" "$TMPD/s1" "another machine" --no-rng
echo "PASS: snapshot"
