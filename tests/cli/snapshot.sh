#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# snapshot.sh: vmtui snapshot on kvm:///: running, paused and shut-off snapshots, revert to each, delete, bad input.
. "$top_srcdir/tests/cli/lib.sh"
need_probe
[ -r /dev/kvm ] && [ -w /dev/kvm ] || skip "cannot open /dev/kvm"
at_exit '"$VMTUI" destroy s1 >/dev/null 2>&1'

# The last count the probe printed, from a console read to its end.
last_count() {
	"$VMTUI" console s1 </dev/null 2>/dev/null | sed -n 's/.*probe: count n=\([0-9]*\) .*/\1/p' | tail -n 1
}
# Wait until the probe has counted past $1.
count_past() {
	i=0
	until n=$(last_count) && [ -n "$n" ] && [ "$n" -gt "$1" ]; do
		i=$((i + 1))
		[ $i -gt 150 ] && fail "the probe did not count past $1 (at ${n:-nothing})"
		sleep 0.2
	done
}
# The value the probe last wrote to the disk's first sector.
sector0() {
	"$PYTHON3" -c 'import struct,sys; print(struct.unpack("<Q", open(sys.argv[1],"rb").read(8))[0])' "$1"
}

expect 0 "$VMTUI" create s1 --kernel "$PROBE" --memory 64 --vcpus 2 --cmdline 'probe.count=0' --disk size=1
disk=$(sed -n 's/^  disk 1: //p' "$TMPD/out")
[ -f "$disk" ] || fail "no disk image made: $(cat "$TMPD/out")"
expect 0 "$VMTUI" start s1
count_past 10

# A running VM: the snapshot leaves it running, and the count goes on.
# (Paused around it here only to know the count it holds.)
expect 0 "$VMTUI" pause s1
at=$(last_count)
expect 0 "$VMTUI" resume s1
expect 0 "$VMTUI" snapshot s1 create live --description 'while counting'
count_past $((at + 10))
expect 0 "$VMTUI" snapshot s1 list --json
[ "$(json_get '[s["state"] for s in j if s["name"] == "live"][0]')" = running ] || fail "live is not a running snapshot"
[ "$(json_get '[s["description"] for s in j if s["name"] == "live"][0]')" = 'while counting' ] || fail "the description was lost"
expect 0 "$VMTUI" list --json
[ "$(json_get '[v["state"] for v in j if v["name"] == "s1"][0]')" = running ] || fail "s1 did not go on running"

# Revert: the console's scrollback is the snapshot's, and the count goes
# on from there: every number once, in order, past the one it held.
count_past $((at + 80))
before=$(last_count)
expect 0 "$VMTUI" snapshot s1 revert live
after=$(last_count)
[ "$after" -lt "$before" ] || fail "the count did not go back ($before -> $after)"
count_past $((at + 5))
"$VMTUI" console s1 </dev/null >"$TMPD/after" 2>&1
sed -n 's/.*probe: count n=\([0-9]*\) .*/\1/p' "$TMPD/after" | "$PYTHON3" -c '
import sys
ns = [int(l) for l in sys.stdin]
bad = [(a, b) for a, b in zip(ns, ns[1:]) if b != a + 1]
sys.exit("counts out of order after the revert: %s" % bad[:5] if bad else 0)' ||
	fail "the count did not go on from the snapshot"
grep -q "count n=$((at + 1)) " "$TMPD/after" || fail "the count after the revert does not pass $at"
note "snapshot while counting past $at; reverted from $before to $after"
grep -q 'mem=bad' "$TMPD/after" && fail "the probe's memory changed across the revert"

# A paused VM: reverted to, it is paused again.
expect 0 "$VMTUI" pause s1
expect 0 "$VMTUI" snapshot s1 create still
expect 0 "$VMTUI" resume s1
expect 0 "$VMTUI" snapshot s1 revert still
expect 0 "$VMTUI" list --json
[ "$(json_get '[v["state"] for v in j if v["name"] == "s1"][0]')" = paused ] || fail "s1 is not paused after reverting to a paused snapshot"

# A shut-off VM: only its disk, and revert puts the disk back.
expect 0 "$VMTUI" destroy s1
off_value=$(sector0 "$disk")
expect 0 "$VMTUI" snapshot s1 create off
expect 0 "$VMTUI" start s1
count_past $((off_value + 5))
expect 0 "$VMTUI" destroy s1
[ "$(sector0 "$disk")" -gt "$off_value" ] || fail "the disk did not change after the shut-off snapshot"
expect 0 "$VMTUI" snapshot s1 revert off
[ "$(sector0 "$disk")" = "$off_value" ] || fail "revert did not put the disk back ($(sector0 "$disk") != $off_value)"
expect 0 "$VMTUI" list --all --json
[ "$(json_get '[v["state"] for v in j if v["name"] == "s1"][0]')" = "shut off" ] || fail "s1 runs after reverting to a shut-off snapshot"

# The tree: current follows, delete hands children to the parent.
expect 0 "$VMTUI" snapshot s1 list --json
[ "$(json_get '[s["name"] for s in j if s["current"]][0]')" = off ] || fail "off is not current"
[ "$(json_get '[s["parent"] for s in j if s["name"] == "still"][0]')" = live ] || fail "still's parent is not live"
expect 0 "$VMTUI" snapshot s1 delete live
expect 0 "$VMTUI" snapshot s1 list --json
[ "$(json_get 'len(j)')" = 2 ] || fail "delete left $(json_get 'len(j)') snapshots"
[ "$(json_get '[s["parent"] for s in j if s["name"] == "still"][0]')" = None ] || fail "still kept a deleted parent"

# Bad input: one line, a non-zero exit, nothing made.
expect_err 2 "snapshot name 'a b'" "$VMTUI" snapshot s1 create 'a b'
expect_err 2 "not starting with a dot" "$VMTUI" snapshot s1 create '../up'
expect_err 2 "'/' is not allowed" "$VMTUI" snapshot s1 create 'a/b'
expect_err 1 "already has a snapshot off" "$VMTUI" snapshot s1 create off
expect_err 1 "no snapshot named nosuch" "$VMTUI" snapshot s1 revert nosuch
expect_err 1 "no snapshot named nosuch" "$VMTUI" snapshot s1 delete nosuch
expect_err 3 "no VM named nosuch" "$VMTUI" snapshot nosuch create x
expect 0 "$VMTUI" snapshot s1 list --json
[ "$(json_get 'len(j)')" = 2 ] || fail "bad input changed the snapshots"

# Deleting the VM takes its snapshots with it.
expect 0 "$VMTUI" delete s1 --remove-disks
[ -z "$(ls "$(dirname "$VMTUI_DB")/snapshots" 2>/dev/null)" ] || fail "snapshots outlived their VM"
echo "PASS: snapshot"
