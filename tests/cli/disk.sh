#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# disk.sh: vmtui disk resize on kvm:///: raw and qcow2 images grow (qemu-img agrees), what cannot grow is refused and left as it was.
. "$top_srcdir/tests/cli/lib.sh"
need_probe
command -v qemu-img >/dev/null || skip "no qemu-img (apt-get install qemu-utils)"
at_exit '"$VMTUI" destroy up >/dev/null 2>&1'

# vsize IMAGE: the virtual size qemu-img reads.
vsize() { qemu-img info --output=json "$1" | "$PYTHON3" -c 'import json,sys; print(json.load(sys.stdin)["virtual-size"])'; }
# disk_path VM N: the path of disk N of VM.
disk_path() {
	"$VMTUI" show "$1" --json >"$TMPD/out" || fail "show $1 failed"
	json_get "j['disks'][$2 - 1]['path']"
}
G=1073741824

expect 0 "$VMTUI" create web --kernel "$PROBE" --memory 64 \
	--disk size=1,format=qcow2 --disk size=1 --disk "$PROBE",readonly
q=$(disk_path web 1)
raw=$(disk_path web 2)

# --- qcow2 and raw grow; the guest-visible size is qemu-img's, show says it ---
expect 0 "$VMTUI" disk resize web 1 3G
out_has '^web: disk 1 is 3.00 GiB$'
[ "$(vsize "$q")" = $((3 * G)) ] || fail "qcow2 after resize: $(vsize "$q") bytes"
qemu-img check -q "$q" || fail "qemu-img check finds errors in the grown qcow2"
expect 0 "$VMTUI" disk resize web 2 2560M
[ "$(stat -c %s "$raw")" = $((2560 * 1048576)) ] || fail "raw after resize: $(stat -c %s "$raw") bytes"
[ "$(stat -c %b "$raw")" -lt 100 ] || fail "the raw image is no longer sparse"
expect 0 "$VMTUI" show web
out_has '1: .*\(disk qcow2, 3 GiB\)'
# Past what the first L1 entries cover (512 MiB each): new entries, zeroed.
expect 0 "$VMTUI" disk resize web 1 700G
[ "$(vsize "$q")" = $((700 * G)) ] || fail "qcow2 at 700G: $(vsize "$q") bytes"
qemu-img check -q "$q" || fail "qemu-img check finds errors at 700G"
qemu-io -c 'write -P 0x5a 699G 64k' -c 'read -P 0x5a 699G 64k' "$q" >/dev/null ||
	fail "qemu-io cannot write the grown end of the qcow2"
qemu-img check -q "$q" || fail "qemu-img check finds errors after a write at 699G"

# --- refused, one line, nothing changed ---
sum=$(md5sum "$q" "$raw")
expect_err 2 "is 700.00 GiB: it can grow, not shrink to 1.00 GiB" "$VMTUI" disk resize web 1 1G
expect_err 2 "VM web has no disk 4: it has 3 \(1 to 3\)" "$VMTUI" disk resize web 4 9G
expect_err 2 "disk 3 of web .* is read-only: only a writable disk grows" "$VMTUI" disk resize web 3 9G
expect_err 2 "disk number '0' is not 1 or more" "$VMTUI" disk resize web 0 9G
expect_err 2 "size 'lots' is not a positive size" "$VMTUI" disk resize web 1 lots
expect_err 2 "'shrink' is not a disk verb" "$VMTUI" disk shrink web 1 9G
expect_err 2 "missing argument" "$VMTUI" disk resize web 1
expect_err 3 "no VM named nosuch" "$VMTUI" disk resize nosuch 1 9G
[ "$(md5sum "$q" "$raw")" = "$sum" ] || fail "a refused resize changed an image"

# A qcow2 whose L1 table has no room: qemu-img's 512-byte clusters, 1 MiB.
qemu-img create -q -f qcow2 -o cluster_size=512 "$TMPD/small.qcow2" 1M
expect 0 "$VMTUI" create tiny --kernel "$PROBE" --memory 64 --disk "$TMPD/small.qcow2,format=qcow2"
expect 0 "$VMTUI" disk resize tiny 1 2M
[ "$(vsize "$TMPD/small.qcow2")" = 2097152 ] || fail "512-byte clusters at 2M: $(vsize "$TMPD/small.qcow2")"
qemu-img check -q "$TMPD/small.qcow2" || fail "qemu-img check: the 2 MiB image"
sum=$(md5sum "$TMPD/small.qcow2")
expect_err 1 "needs an L1 table of 128 entries and it has room for 64; grow it with qemu-img resize" \
	"$VMTUI" disk resize tiny 1 4M
[ "$(md5sum "$TMPD/small.qcow2")" = "$sum" ] || fail "a refused L1 growth changed the image"

# --- a running VM is refused; its disk is locked too ---
if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
	expect 0 "$VMTUI" create up --kernel "$PROBE" --memory 32 --disk size=1
	up=$(disk_path up 1)
	expect 0 "$VMTUI" start up
	got=0; "$VMTUI" disk resize up 1 2G >"$TMPD/out" 2>"$TMPD/err" || got=$?
	[ $got = 1 ] || fail "resize of a running VM exited $got, not 1"
	grep -q "VM up is running: shut it down first" "$TMPD/err" || fail "running: $(cat "$TMPD/err")"
	[ "$(stat -c %s "$up")" = $G ] || fail "the running VM's disk changed"
	expect 0 "$VMTUI" destroy up
	expect 0 "$VMTUI" disk resize up 1 2G
else
	note "no /dev/kvm: the running-VM refusal is not checked"
fi

# --- the original of a linked clone keeps its disks as they are ---
expect 0 "$VMTUI" clone web web-l --linked
expect_err 1 "the original of the linked clone web-l, which reads through its disks: vmtui does not resize it" "$VMTUI" disk resize web 2 3G
expect 0 "$VMTUI" disk resize web-l 2 3G

# --- history records it ---
expect 0 "$VMTUI" history web
out_has 'disk 1 resize 700.00 GiB +ok'
out_has 'disk 1 resize 1.00 GiB +error: .*not shrink'
