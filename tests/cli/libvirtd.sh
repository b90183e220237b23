#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# libvirtd.sh: create, start, stop and delete round trips through a real libvirtd and QEMU.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/fixtures/libvirtd.sh"

libvirtd_start || skip "$LIBVIRTD_WHY"
U=$LIBVIRTD_URI
vm=vt-$$-a

expect 0 "$VMTUI" -c "$U" create $vm --memory 64 --disk size=1 --net none
out_has "^created $vm on "
vol=$(sed -n 's/^  disk 1: //p' "$TMPD/out")
[ -f "$vol" ] || fail "no volume file $vol"
expect 0 "$VMTUI" -c "$U" start $vm
virsh -q -c "$U" list --name | grep -qx $vm || fail "virsh does not list $vm as running"
expect 0 "$VMTUI" -c "$U" list --json
json_check
[ "$(json_get "[v['state'] for v in j if v['name'] == '$vm'][0]")" = running ] ||
	fail "vmtui does not list $vm as running"
expect 0 "$VMTUI" -c "$U" stats $vm --count 1 --interval 0.2 --json
json_check
expect 0 "$VMTUI" -c "$U" pause $vm
[ "$(virsh -q -c "$U" domstate $vm)" = paused ] || fail "$vm is not paused"
expect 0 "$VMTUI" -c "$U" resume $vm
expect_err 1 "is running: stop it first, or delete it with --force" "$VMTUI" -c "$U" delete $vm
expect 0 "$VMTUI" -c "$U" destroy $vm
[ "$(virsh -q -c "$U" domstate $vm)" = "shut off" ] || fail "$vm is not shut off"

# Without --remove-disks the volume stays; a second VM shows --remove-disks.
expect 0 "$VMTUI" -c "$U" delete $vm
virsh -q -c "$U" list --all --name | grep -qx $vm && fail "$vm is still defined"
[ -f "$vol" ] || fail "delete removed the disk without --remove-disks"
expect 0 "$VMTUI" -c "$U" list --all --json
[ "$(json_get "len([v for v in j if v['name'] == '$vm'])")" = 0 ] || fail "$vm is still in vmtui"

vm2=vt-$$-b
expect 0 "$VMTUI" -c "$U" create $vm2 --memory 64 --disk size=1,format=raw
vol2=$(sed -n 's/^  disk 1: //p' "$TMPD/out")
case $vol2 in *.img) ;; *) fail "a raw volume should end in .img: $vol2" ;; esac
expect 0 "$VMTUI" -c "$U" start $vm2
expect 0 "$VMTUI" -c "$U" delete $vm2 --force --remove-disks
[ -f "$vol2" ] && fail "delete --remove-disks left $vol2"
virsh -q -c "$U" list --all --name | grep -qx $vm2 && fail "$vm2 is still defined"

# A domain removed behind vmtui's back: actions say so, start brings it back.
vm3=vt-$$-c
expect 0 "$VMTUI" -c "$U" create $vm3 --memory 64
virsh -q -c "$U" undefine $vm3 >/dev/null || fail "virsh undefine failed"
expect_err 1 "VM $vm3 is not defined on .*vmtui start $vm3 defines it again" \
	"$VMTUI" -c "$U" pause $vm3
expect 0 "$VMTUI" -c "$U" start $vm3
virsh -q -c "$U" list --name | grep -qx $vm3 || fail "$vm3 did not come back"
expect 0 "$VMTUI" -c "$U" delete $vm3 --force
