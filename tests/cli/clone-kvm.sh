#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# clone-kvm.sh: vmtui clone on kvm:///: full and linked clones of a probe VM, what they read, what they may not do.
. "$top_srcdir/tests/cli/lib.sh"
need_probe
[ -r /dev/kvm ] && [ -w /dev/kvm ] || skip "cannot open /dev/kvm"
command -v qemu-img >/dev/null || skip "no qemu-img to look at the images vmtui writes"
at_exit 'for vm in orig full lin lin2; do "$VMTUI" destroy $vm >/dev/null 2>&1; done'
IMAGES=$TMPD/data/images

# console_until VM REGEX: read the console until REGEX shows.
console_until() {
	i=0
	until "$VMTUI" console "$1" </dev/null >"$TMPD/console" 2>&1 && grep -Eq -- "$2" "$TMPD/console"; do
		i=$((i + 1))
		[ $i -gt 100 ] && { cat "$TMPD/console"; fail "$1's console never showed '$2'"; }
		sleep 0.2
	done
}
# crcs VM: the probe's checksum lines, in order.
crcs() { console_until "$1" 'blk 1 crc sector=100'; grep '^probe: blk [0-9] crc' "$TMPD/console" | tr -d '\r'; }
state_is() {
	i=0
	until "$VMTUI" list --all --json >"$TMPD/out" && [ "$(json_get "[v['state'] for v in j if v['name'] == '$1'][0]")" = "$2" ]; do
		i=$((i + 1)); [ $i -gt 100 ] && fail "$1 never became $2"; sleep 0.1
	done
}
show() { expect 0 "$VMTUI" show "$1" --json; json_get "$2"; }
# defs: the definitions and links in the database, and the images: what a refusal must leave alone.
defs() {
	"$PYTHON3" - "$VMTUI_DB" <<'PY'
import sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
for t in ("vms", "disks", "nics", "links"):
    for r in db.execute("SELECT * FROM %s ORDER BY 1, 2" % t):
        print(t, r)
PY
	ls -l "$IMAGES"
}

# The original: random data (raw), a qcow2 vmtui made, a read-only disk, a forwarded port.
head -c $((4 << 20)) /dev/urandom >"$TMPD/data.img"
head -c $((1 << 20)) /dev/urandom >"$TMPD/ro.img"
expect 0 "$VMTUI" create orig --kernel "$PROBE" --memory 64 --disk "$TMPD/data.img" \
	--disk size=1,format=qcow2 --disk "$TMPD/ro.img,readonly" --net user,fwd=127.0.0.1:$((20000 + $$ % 20000)):22 \
	--cmdline 'console=ttyS0 probe.blk.write=1,100,8,7 probe.blk.crc=0,0,64 probe.blk.crc=2,0,8 probe.blk.crc=1,100,8'
expect 0 "$VMTUI" start orig
crcs orig >"$TMPD/orig.crc"
[ "$(wc -l <"$TMPD/orig.crc")" = 3 ] || fail "the probe did not check its three disks: $(cat "$TMPD/orig.crc")"
expect 0 "$VMTUI" list --json

# A running VM is not cloned; nothing is made.
defs >"$TMPD/before"
expect_err 1 "^vmtui: VM orig is running: shut it off first" "$VMTUI" clone orig full
defs | diff "$TMPD/before" - || fail "a refused clone changed the store or the images"
expect 0 "$VMTUI" destroy orig
state_is orig "shut off"

# A full clone: a sparse copy of each writable disk, the read-only one shared.
expect 0 "$VMTUI" clone orig full
out_has '^cloned orig to full on kvm:///$'
out_has "^  disk 3: $TMPD/ro.img \(shared with the original\)$"
show orig 'j["uuid"]' >"$TMPD/uuid.orig"
show orig 'j["nics"][0]["mac"]' >"$TMPD/mac.orig"
[ "$(show full 'j["uuid"]')" != "$(cat "$TMPD/uuid.orig")" ] || fail "the clone has the original's UUID"
[ "$(show full 'j["nics"][0]["mac"]')" != "$(cat "$TMPD/mac.orig")" ] || fail "the clone has the original's MAC"
[ "$(show full 'j["nics"][0]["forwards"]')" = "[]" ] || fail "the clone took the original's host port"
[ "$(show full 'j["events"][0]["action"]')" = "clone of orig" ] || fail "no clone event on the clone"
[ "$(show orig 'j["events"][0]["action"]')" = "clone to full" ] || fail "no clone event on the original"
for i in 0 1; do
	a=$(show orig "j['disks'][$i]['path']") b=$(show full "j['disks'][$i]['path']")
	[ "$a" != "$b" ] || fail "disk $i of the clone is the original's"
	case $b in "$IMAGES/full-disk$i."*) ;; *) fail "disk $i of the clone is not in the images folder: $b" ;; esac
	cmp "$a" "$b" || fail "disk $i of the clone differs from the original's"
	[ "$(du -k "$b" | cut -f1)" -le $(($(du -k "$a" | cut -f1) + 64)) ] || fail "the copy of $a is not sparse"
done
qemu-img check -q "$(show full 'j["disks"][1]["path"]')" || fail "qemu-img check of the copied qcow2"
[ "$(show full 'j["disks"][2]["path"]')" = "$TMPD/ro.img" ] || fail "the read-only disk was not shared"

# The clone boots beside the original, with its own MAC, and reads the same data.
expect 0 "$VMTUI" start orig
expect 0 "$VMTUI" start full
state_is orig running
state_is full running
crcs full >"$TMPD/full.crc"
diff "$TMPD/orig.crc" "$TMPD/full.crc" || fail "the clone reads other data than the original"
[ "$(show full 'j["nics"][0]["mac"]')" != "$(show orig 'j["nics"][0]["mac"]')" ] || fail "both run with one MAC"
expect 0 "$VMTUI" destroy orig
expect 0 "$VMTUI" destroy full
state_is full "shut off"

# A linked clone: qcow2 overlays on the original's writable disks, read through.
cp "$(show orig 'j["disks"][1]["path"]')" "$TMPD/orig-disk1.before"
expect 0 "$VMTUI" clone orig lin --linked --start
out_has '^cloned orig to lin on kvm:/// \(linked'
out_has '^lin started$'
state_is lin running
crcs lin >"$TMPD/lin.crc"
diff "$TMPD/orig.crc" "$TMPD/lin.crc" || fail "the linked clone does not read the original's data"
expect 0 "$VMTUI" destroy lin
state_is lin "shut off"
for i in 0 1; do
	ov=$(show lin "j['disks'][$i]['path']") base=$(show orig "j['disks'][$i]['path']")
	[ "$(show lin "j['disks'][$i]['reads_through']")" = "$base" ] || fail "show does not say disk $i reads through $base"
	qemu-img info "$ov" >"$TMPD/info"
	grep -q "^file format: qcow2" "$TMPD/info" || fail "disk $i of the linked clone is not qcow2"
	grep -q "^backing file: $(realpath "$base")" "$TMPD/info" || { cat "$TMPD/info"; fail "disk $i: no backing file"; }
	qemu-img check -q "$ov" || fail "qemu-img check of overlay $i"
	[ "$(du -k "$ov" | cut -f1)" -lt 1024 ] || fail "the overlay of disk $i copied its data"
done
[ "$(show orig 'j["linked_clones"]')" = "['lin']" ] || fail "show of the original does not name its clone"

# The original is now read-only: no start, no delete (nor of its disks) while lin exists.
defs >"$TMPD/before"
expect_err 1 "^vmtui: VM orig is the original of the linked clone lin, which reads through its disks: vmtui does not start it" \
	"$VMTUI" start orig
expect_err 1 "^vmtui: VM orig is the original of the linked clone lin, .* does not delete it until that is deleted" \
	"$VMTUI" delete orig
expect_err 1 "does not delete it" "$VMTUI" delete orig --remove-disks
expect_err 1 "^vmtui: VM orig is the original of the linked clone lin, .* does not take snapshots of it" \
	"$VMTUI" snapshot orig create s
expect_err 1 "^vmtui: VM orig is the original of the linked clone lin, .* does not revert it" \
	"$VMTUI" snapshot orig revert s
defs | diff "$TMPD/before" - || fail "a refused start or delete changed something"
cmp "$TMPD/orig-disk1.before" "$(show orig 'j["disks"][1]["path"]')" || fail "the linked clone wrote its original's disk"

# A clone of the linked clone still reads through the original: two clones hold it.
expect 0 "$VMTUI" clone lin lin2
[ "$(show orig 'j["linked_clones"]')" = "['lin', 'lin2']" ] || fail "a copy of an overlay is not linked to the original"
qemu-img info "$(show lin2 'j["disks"][0]["path"]')" | grep -q "^backing file: $(realpath "$TMPD/data.img")" ||
	fail "the copy of an overlay lost its backing file"

# Bad input: one line, its exit status, nothing made.
defs >"$TMPD/before"
expect_err 1 "^vmtui: name: a VM named lin already exists on kvm:///$" "$VMTUI" clone orig lin
expect_err 2 "^vmtui: name: '/' is not allowed" "$VMTUI" clone orig 'a/b'
expect_err 2 "^vmtui: name: " "$VMTUI" clone orig ''
expect_err 3 "^vmtui: no VM named ghost on kvm:///$" "$VMTUI" clone ghost x
expect_err 2 "^vmtui clone: missing argument" "$VMTUI" clone orig
expect_err 2 "^vmtui clone: unknown option" "$VMTUI" clone orig x --bogus
defs | diff "$TMPD/before" - || fail "bad input changed the store or the images"

# A qcow2 that names its backing file relatively: a copy elsewhere would
# lose it, so a full clone is refused; a linked clone reads through it.
cp "$TMPD/data.img" "$TMPD/base.img"
(cd "$TMPD" && qemu-img create -q -f qcow2 -b base.img -F raw rel.qcow2) || fail "qemu-img create"
expect 0 "$VMTUI" create rel --kernel "$PROBE" --memory 64 --disk "$TMPD/rel.qcow2,format=qcow2"
defs >"$TMPD/before"
expect_err 1 "^vmtui: disk 1: $TMPD/rel.qcow2 reads through base.img, a name relative to its folder" \
	"$VMTUI" clone rel relc
defs | diff "$TMPD/before" - || fail "a refused clone changed the store or the images"
expect 0 "$VMTUI" clone rel rell --linked
qemu-img info --backing-chain "$(show rell 'j["disks"][0]["path"]')" >"$TMPD/info"
grep -q "^backing file: $(realpath "$TMPD/rel.qcow2")" "$TMPD/info" && grep -q "^image: $TMPD/base.img" "$TMPD/info" ||
	{ cat "$TMPD/info"; fail "the linked clone of an overlay does not read through both"; }
expect 0 "$VMTUI" delete rell --remove-disks
expect 0 "$VMTUI" delete rel

# Deleting the clones frees the original; a clone's delete leaves the shared disk.
expect 0 "$VMTUI" delete full --remove-disks
[ -f "$TMPD/ro.img" ] || fail "deleting a clone's disks deleted the read-only disk it shared"
[ -f "$IMAGES/full-disk0.img" ] && fail "delete --remove-disks left the clone's copy"
expect 0 "$VMTUI" delete lin --remove-disks
expect_err 1 "linked clone lin2" "$VMTUI" delete orig
expect 0 "$VMTUI" delete lin2 --remove-disks
expect 0 "$VMTUI" start orig
expect 0 "$VMTUI" delete orig --force
[ -f "$TMPD/data.img" ] || fail "delete without --remove-disks removed a disk"
echo "PASS: clone-kvm"
