#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# snapshot.sh: vmtui snapshot on kvm:///: running, paused and shut-off snapshots, revert to each, clones made from each, delete, bad input.
. "$top_srcdir/tests/cli/lib.sh"
need_probe
[ -r /dev/kvm ] && [ -w /dev/kvm ] || skip "cannot open /dev/kvm"
at_exit 'for vm in s1 w1 w2 w3 ci cw p1 o1; do "$VMTUI" destroy $vm >/dev/null 2>&1; done'

# The last count the probe in VM $1 (s1) printed, from a console read to its end.
last_count() {
	"$VMTUI" console "${1:-s1}" </dev/null 2>/dev/null | sed -n 's/.*probe: count n=\([0-9]*\) .*/\1/p' | tail -n 1
}
# Wait until the probe in VM $2 (s1) has counted past $1.
count_past() {
	i=0
	until n=$(last_count "${2:-s1}") && [ -n "$n" ] && [ "$n" -gt "$1" ]; do
		i=$((i + 1))
		[ $i -gt 150 ] && fail "the probe in ${2:-s1} did not count past $1 (at ${n:-nothing})"
		sleep 0.2
	done
}
# The counts in a console dump are every number once, in order, from 0.
counts_in_order() {
	sed -n 's/.*probe: count n=\([0-9]*\) .*/\1/p' "$1" | "$PYTHON3" -c '
import sys
ns = [int(l) for l in sys.stdin]
bad = [(a, b) for a, b in zip(ns, ns[1:]) if b != a + 1]
sys.exit("counts out of order: %s" % bad[:5] if bad or not ns or ns[0] != 0 else 0)'
}
show_get() { expect 0 "$VMTUI" show "$1" --json; json_get "$2"; }
# What a refused clone must leave alone: the definitions, their links, and the images.
clone_state() {
	"$PYTHON3" - "$VMTUI_DB" <<'PY'
import sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
for t in ("vms", "disks", "nics", "links", "snapshot_clones"):
    for r in db.execute("SELECT * FROM %s ORDER BY 1, 2" % t):
        print(t, r)
PY
	ls -l "$(dirname "$VMTUI_DB")/images"
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

# A clone from the running snapshot, started: a warm copy beside the
# original, with its own UUID and MAC, whose guest goes on from the
# snapshot (the snapshot's console and count, with no boot since), while
# the original keeps running; the snapshot's disk stays as it was.
uuid=$(show_get s1 'j["uuid"]')
snapdir=$(dirname "$VMTUI_DB")/snapshots/$uuid/live
logs=$(dirname "$VMTUI_DB")/logs
sum=$(cksum <"$snapdir/disk0")
expect 0 "$VMTUI" clone s1 w1 --from-snapshot live --start
out_has '^cloned s1 to w1 on kvm:/// from snapshot live'
out_has '^w1 started$'
count_past $((at + 30)) w1
"$VMTUI" console w1 </dev/null >"$TMPD/w1" 2>&1
counts_in_order "$TMPD/w1" || fail "w1's count does not go on from the snapshot's"
[ "$(grep -c 'probe: count start' "$TMPD/w1")" = 1 ] || fail "w1 booted again instead of going on"
# The snapshot's line for the count s1 held is w1's too, its vCPU spin count included.
grep "probe: count n=$at " "$TMPD/after" | tr -d '\r' >"$TMPD/line"
[ "$(wc -l <"$TMPD/line")" = 1 ] || fail "s1's console after the revert has no one line for count $at"
grep "probe: count n=$at " "$TMPD/w1" | tr -d '\r' | cmp -s - "$TMPD/line" ||
	fail "w1's console does not hold the snapshot's: $(cat "$TMPD/line")"
grep 'mem=bad' "$TMPD/w1" && fail "the probe's memory changed in the clone"
w1uuid=$(show_get w1 'j["uuid"]')
[ "$w1uuid" != "$uuid" ] || fail "the clone has the original's UUID"
mac=$(show_get w1 'j["nics"][0]["mac"]')
[ "$mac" != "$(show_get s1 'j["nics"][0]["mac"]')" ] || fail "the clone has the original's MAC"
grep -q "restored from $snapdir/machine" "$logs/$w1uuid.log" || fail "w1's runner did not restore the snapshot"
grep -q "network card 0: .*mac $mac" "$logs/$w1uuid.log" || fail "w1's card does not have its own MAC $mac"
[ "$(show_get w1 'j["from_snapshot"]["vm"], j["from_snapshot"]["snapshot"]')" = "('s1', 'live')" ] ||
	fail "show w1 does not say it came from snapshot live of s1"
[ "$(show_get w1 'j["from_snapshot"]["first_start_continues"]')" = False ] || fail "w1 is still warm after its start"
[ "$(show_get w1 'j["disks"][0]["format"]')" = qcow2 ] || fail "w1's disk is not an overlay"
now=$(last_count)
count_past $((now + 5))
expect 0 "$VMTUI" list --json
[ "$(json_get '[v["state"] for v in j if v["name"] in ("s1", "w1")]')" = "['running', 'running']" ] ||
	fail "the original and the clone do not both run"
[ "$(cksum <"$snapdir/disk0")" = "$sum" ] || fail "the clone wrote the snapshot's disk"

# Without --start the first start continues the snapshot, once: an edit of
# what its machine is made of waits for it; the next start is a boot.
expect 0 "$VMTUI" clone s1 w2 --from-snapshot live
[ "$(show_get w2 'j["from_snapshot"]["first_start_continues"]')" = True ] || fail "w2 is not warm"
expect 0 "$VMTUI" list --all --json
[ "$(json_get '[v["state"] for v in j if v["name"] == "w2"][0]')" = "shut off" ] || fail "w2 started unasked"
expect_err 2 "^vmtui: VM w2 has not started yet: its first start continues snapshot live of s1" \
	"$VMTUI" edit w2 --memory 128
expect 0 "$VMTUI" start w2
count_past $((at + 5)) w2
"$VMTUI" console w2 </dev/null >"$TMPD/w2" 2>&1
grep "probe: count n=$at " "$TMPD/w2" | tr -d '\r' | cmp -s - "$TMPD/line" || fail "w2's first start did not continue the snapshot"
expect 0 "$VMTUI" destroy w2
expect 0 "$VMTUI" start w2
count_past 2 w2
"$VMTUI" console w2 </dev/null >"$TMPD/w2" 2>&1
counts_in_order "$TMPD/w2" || fail "w2's second start is not a boot counting from 0"
grep -q "probe: count n=$at " "$TMPD/w2" && grep "probe: count n=$at " "$TMPD/w2" | tr -d '\r' | cmp -s - "$TMPD/line" &&
	fail "w2's second start continued the snapshot again"
[ "$(show_get s1 'j["snapshot_clones"]')" = "['w1', 'w2']" ] || fail "show s1 does not name the clones of its snapshots"

# A clone of a snapshot whose VM was edited since (here while it runs)
# has the new definition, which the snapshot's machine does not fit: the
# runner refuses it with the reason, once, and the clone then boots.
expect 0 "$VMTUI" edit s1 --memory 96
expect_err 1 "^vmtui: clone w3 is made but did not start: w3 could not go on from snapshot live of s1 \(its next start boots it from its disks\): the snapshot is of another machine \(vcpus=2 memory_mib=64 .*\); this one is vcpus=2 memory_mib=96 " \
	"$VMTUI" clone s1 w3 --from-snapshot live --start
expect 0 "$VMTUI" edit s1 --memory 64
expect 0 "$VMTUI" start w3
count_past 2 w3
"$VMTUI" console w3 </dev/null >"$TMPD/w3" 2>&1
counts_in_order "$TMPD/w3" || fail "w3 did not boot after its snapshot was refused"
expect 0 "$VMTUI" delete w3 --force --remove-disks

# The snapshot stays while clones read through it, and so does its VM.
clone_state >"$TMPD/before"
expect_err 1 "^vmtui: snapshot live of s1 is the base of the clones w1, w2, made from it: vmtui does not delete it until they are deleted$" \
	"$VMTUI" snapshot s1 delete live
expect_err 1 "^vmtui: VM s1 has snapshots that the clones w1, w2 were made from: vmtui does not delete it" \
	"$VMTUI" delete s1 --force
# Bad input: one line each, nothing made.
expect_err 1 "^vmtui: VM s1 has no snapshot named nosuch$" \
	"$VMTUI" clone s1 w3 --from-snapshot nosuch
expect_err 2 "^vmtui: snapshot name 'a b'" "$VMTUI" clone s1 w3 --from-snapshot 'a b'
expect_err 1 "^vmtui: name: a VM named w1 already exists on kvm:///$" "$VMTUI" clone s1 w1 --from-snapshot live
expect_err 3 "^vmtui: no VM named ghost on kvm:///$" "$VMTUI" clone ghost w3 --from-snapshot live
expect_err 2 "^vmtui clone: .*from-snapshot" "$VMTUI" clone s1 w3 --from-snapshot
if "$VMTUI" --version | grep -q libvirt; then
	expect_err 2 "^vmtui: --from-snapshot: test:///default cannot clone from a snapshot: libvirt keeps a snapshot inside" \
		"$VMTUI" -c test:///default clone test w3 --from-snapshot live
else
	note "no libvirt backend built: its refusal of --from-snapshot is not checked"
fi
clone_state | diff "$TMPD/before" - || fail "a refused clone or delete changed the store or the images"
[ -f "$snapdir/machine" ] && [ -f "$snapdir/disk0" ] || fail "a refused delete removed the snapshot"
# Gone with the clones: the snapshot can go (the tree below deletes it).
expect 0 "$VMTUI" delete w1 --force --remove-disks
expect 0 "$VMTUI" delete w2 --force --remove-disks
expect 0 "$VMTUI" show s1 --json
[ "$(json_get 'j["snapshot_clones"]')" = "[]" ] || fail "deleted clones still hold s1's snapshots"

# A VM made from a cloud image runs its first boot with its cloud-init
# seed, which its next start drops and deletes: a warm clone of it keeps a
# copy, since the snapshot's machine has that disk. (The seed is marked
# in the store as create --image marks it: a cloud image's own kernel
# does not boot on this host.)
head -c 65536 /dev/urandom >"$TMPD/seed.iso"
expect 0 "$VMTUI" create ci --kernel "$PROBE" --memory 64 --cmdline probe.count --disk "$TMPD/seed.iso,readonly"
"$PYTHON3" - "$VMTUI_DB" "$(show_get ci 'j["uuid"]')" "$TMPD/seed.iso" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
host = db.execute("SELECT host FROM vms WHERE uuid = ?", (sys.argv[2],)).fetchone()[0]
db.execute("INSERT INTO images (vm_host, vm_uuid, source, seed) VALUES (?, ?, 'test', ?)",
           (host, sys.argv[2], sys.argv[3]))
db.commit()
PY
expect 0 "$VMTUI" start ci
count_past 2 ci
expect 0 "$VMTUI" snapshot ci create first
cp "$TMPD/seed.iso" "$TMPD/seed.kept"
expect 0 "$VMTUI" clone ci cw --from-snapshot first --start
seed=$(show_get cw 'j["disks"][0]["path"]')
[ "$seed" != "$TMPD/seed.iso" ] && cmp -s "$seed" "$TMPD/seed.kept" || fail "the warm clone has no copy of the seed: $seed"
[ "$(show_get cw 'j["image"]["seed"]')" = "$seed" ] || fail "the warm clone's seed is not its copy"
count_past 2 cw
expect 0 "$VMTUI" delete cw --force --remove-disks
[ -f "$seed" ] && fail "the clone's copy of the seed outlived it"
expect 0 "$VMTUI" snapshot ci delete first
expect 0 "$VMTUI" delete ci --force

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

# A clone of the paused snapshot runs; one of the shut-off snapshot boots
# from the snapshot's disk, which it reads through and never writes.
expect 0 "$VMTUI" clone s1 p1 --from-snapshot still --start
expect 0 "$VMTUI" list --json
[ "$(json_get '[v["state"] for v in j if v["name"] == "p1"][0]')" = running ] || fail "the clone of a paused snapshot is not running"
offdir=$(dirname "$VMTUI_DB")/snapshots/$uuid/off
sum=$(cksum <"$offdir/disk0")
expect 0 "$VMTUI" clone s1 o1 --from-snapshot off
[ "$(show_get o1 'j["from_snapshot"]["first_start_continues"]')" = False ] || fail "a shut-off snapshot's clone is warm"
expect 0 "$VMTUI" start o1
count_past 5 o1
"$VMTUI" console o1 </dev/null >"$TMPD/o1" 2>&1
counts_in_order "$TMPD/o1" || fail "the clone of a shut-off snapshot did not boot"
o1uuid=$(show_get o1 'j["uuid"]')
grep -q "restored from" "$logs/$o1uuid.log" && fail "the clone of a shut-off snapshot restored a machine"
[ "$(cksum <"$offdir/disk0")" = "$sum" ] || fail "the clone wrote the shut-off snapshot's disk"
if command -v qemu-img >/dev/null; then
	expect 0 "$VMTUI" destroy o1
	qemu-img info "$(show_get o1 'j["disks"][0]["path"]')" >"$TMPD/info"
	grep -q "^backing file: $(realpath "$offdir/disk0")" "$TMPD/info" ||
		{ cat "$TMPD/info"; fail "o1's disk does not read through the snapshot's"; }
fi
expect 0 "$VMTUI" delete p1 --force --remove-disks
expect 0 "$VMTUI" delete o1 --force --remove-disks
[ -z "$(ls "$(dirname "$VMTUI_DB")/images" | grep -v '^s1-')" ] || fail "deleted clones left images: $(ls "$(dirname "$VMTUI_DB")/images")"

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
