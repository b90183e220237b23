#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# vol.sh: vmtui vol list|create|delete|resize on a real libvirtd: volumes made, grown and deleted in a pool; one a VM or an overlay uses is kept.
. "$top_srcdir/tests/libvirt/lib.sh"
. "$top_srcdir/tests/fixtures/libvirtd.sh"

need_probe
command -v qemu-img >/dev/null || skip "no qemu-img to look at the volumes"
libvirtd_start || skip "$LIBVIRTD_WHY"
U=$LIBVIRTD_URI
d=vt-$$-vol
v=vt-$$
at_exit "virsh -q -c '$U' destroy $d >/dev/null 2>&1; virsh -q -c '$U' undefine $d >/dev/null 2>&1; for x in $v-a.img $v-b.qcow2 $v-over.qcow2 $v-used.img; do virsh -q -c '$U' vol-delete --pool default \$x >/dev/null 2>&1; done"
POOL=$LIBVIRTD_DIR/pool
M=1048576
capacity() { virsh -q -c "$U" vol-info --pool default "$1" --bytes | awk '/^Capacity/ {print $2}'; }

# --- create: sparse, in the format asked for or the name says ---
expect 0 "$VMTUI" -c "$U" vol create default $v-a.img 16M
out_has "volume $v-a.img of pool default on .* is 0.02 GiB"
[ "$(capacity $v-a.img)" = $((16 * M)) ] || fail "raw volume: $(capacity $v-a.img) bytes"
expect 0 "$VMTUI" -c "$U" vol create default $v-b.qcow2 8M
qemu-img info "$POOL/$v-b.qcow2" | grep -q '^file format: qcow2' || fail "$v-b.qcow2 is not qcow2"
qemu-img info "$POOL/$v-a.img" | grep -q '^file format: raw' || fail "$v-a.img is not raw"
expect 0 "$VMTUI" -c "$U" vol create default $v-used.img 8M --format qcow2
qemu-img info "$POOL/$v-used.img" | grep -q '^file format: qcow2' || fail "--format qcow2 was not kept"
# An overlay made outside vmtui reads through $v-b.qcow2.
qemu-img create -q -f qcow2 -F qcow2 -b "$POOL/$v-b.qcow2" "$POOL/$v-over.qcow2" ||
	fail "qemu-img create overlay"

# --- a domain with $v-used.img as its disk ---
cat >"$TMPD/d.xml" <<XML
<domain type='kvm'>
  <name>$d</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type><kernel>$PROBE</kernel><cmdline>console=ttyS0</cmdline></os>
  <devices>
    <disk type='volume' device='disk'><driver name='qemu' type='qcow2'/>
      <source pool='default' volume='$v-used.img'/><target dev='vda' bus='virtio'/></disk>
  </devices>
</domain>
XML
virsh -q -c "$U" define "$TMPD/d.xml" >/dev/null || fail "virsh define"

# --- list: every volume, its format, who uses it, the overlay's backing file ---
expect 0 "$VMTUI" -c "$U" vol list default --json
json_check
[ "$(json_get "[x['format'] for x in j if x['name'] == '$v-b.qcow2'][0]")" = qcow2 ] ||
	fail "list: $v-b.qcow2's format"
[ "$(json_get "[x['used_by'] for x in j if x['name'] == '$v-used.img'][0]")" = "$d" ] ||
	fail "list: $v-used.img is not used by $d"
[ "$(json_get "[x['used_by'] for x in j if x['name'] == '$v-a.img'][0]")" = None ] ||
	fail "list: $v-a.img is used by someone"
[ "$(json_get "[x['backing'] for x in j if x['name'] == '$v-over.qcow2'][0]")" = "$POOL/$v-b.qcow2" ] ||
	fail "list: $v-over.qcow2's backing file"
expect 0 "$VMTUI" -c "$U" vol list
out_has "^default +$v-used.img +qcow2 .* $d +$POOL/$v-used.img "
# Every pool's list has the same volumes as the one pool's.
expect 0 "$VMTUI" -c "$U" -c kvm:/// vol list --json
[ "$(json_get "len([x for x in j if x['pool'] == 'default' and x['name'].startswith('$v')])")" = 4 ] ||
	fail "list of every pool (kvm:/// skipped) lacks the volumes"

# --- resize: grows; a shrink and a running VM's disk are refused ---
expect 0 "$VMTUI" -c "$U" vol resize default $v-a.img 32M
[ "$(capacity $v-a.img)" = $((32 * M)) ] || fail "resize: $(capacity $v-a.img) bytes"
expect_err 2 "volume $v-a.img is 0.03 GiB: it can grow, not shrink" \
	"$VMTUI" -c "$U" vol resize default $v-a.img 16M
expect 0 "$VMTUI" -c "$U" start $d
expect_err 1 "is a disk of the running VM $d: grow it through the VM" \
	"$VMTUI" -c "$U" vol resize default $v-used.img 16M
[ "$(capacity $v-used.img)" = $((8 * M)) ] || fail "a refused resize changed $v-used.img"
expect 0 "$VMTUI" -c "$U" destroy $d
expect 0 "$VMTUI" -c "$U" vol resize default $v-used.img 16M

# --- delete: refused while a VM or an overlay uses it, then done ---
expect_err 1 "volume $v-used.img of pool default is a disk of $d: remove the disk" \
	"$VMTUI" -c "$U" vol delete default $v-used.img
expect_err 1 "volume $v-b.qcow2 of pool default is the backing file of volume $v-over.qcow2" \
	"$VMTUI" -c "$U" vol delete default $v-b.qcow2
[ -f "$POOL/$v-used.img" ] && [ -f "$POOL/$v-b.qcow2" ] || fail "a refused delete removed a file"
expect 0 "$VMTUI" -c "$U" vol delete default $v-over.qcow2
expect 0 "$VMTUI" -c "$U" vol delete default $v-b.qcow2
expect 0 "$VMTUI" -c "$U" vol delete default $v-a.img
[ ! -e "$POOL/$v-a.img" ] || fail "vol delete left $v-a.img"

# --- bad input: one line, nothing changed ---
expect_err 1 "no volume '$v-a.img' in storage pool default" \
	"$VMTUI" -c "$U" vol delete default $v-a.img
expect_err 1 "no storage pool 'nosuch' on qemu:" "$VMTUI" -c "$U" vol list nosuch
expect_err 1 "no storage pool 'nosuch' on qemu:" "$VMTUI" -c "$U" vol create nosuch x.img 1
expect_err 1 "volume $v-used.img already exists in storage pool default" \
	"$VMTUI" -c "$U" vol create default $v-used.img 1
expect_err 2 "volume name 'a/b' is not a file name" "$VMTUI" -c "$U" vol create default a/b 1
expect_err 2 "size 'big' is not a positive size" "$VMTUI" -c "$U" vol create default x.img big
expect_err 2 "--format 'vmdk' is not raw or qcow2" \
	"$VMTUI" -c "$U" vol create default x.img 1 --format vmdk
expect_err 2 "'grow' is not list, create, delete or resize" "$VMTUI" -c "$U" vol grow default x
expect_err 2 "missing argument" "$VMTUI" -c "$U" vol resize default x.img
expect_err 2 "--json is for vol list" "$VMTUI" -c "$U" vol delete default x.img --json
[ ! -e "$POOL/x.img" ] || fail "a refused create made x.img"
[ "$(capacity $v-used.img)" = $((16 * M)) ] || fail "bad input changed $v-used.img"
expect_err 1 "listing storage volumes is not supported by the kvm backend" \
	"$VMTUI" -c kvm:/// vol list
