#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# disk.sh: vmtui disk resize on a real libvirtd: a shut-off domain's volumes grow in their pool, a running one's disk live; what cannot grow is refused.
. "$top_srcdir/tests/libvirt/lib.sh"
. "$top_srcdir/tests/fixtures/libvirtd.sh"

need_probe
command -v qemu-img >/dev/null || skip "no qemu-img to look at the volumes"
libvirtd_start || skip "$LIBVIRTD_WHY"
U=$LIBVIRTD_URI
d=vt-$$-disk
at_exit "virsh -q -c '$U' destroy $d >/dev/null 2>&1; virsh -q -c '$U' undefine $d >/dev/null 2>&1; for v in $d-a.img $d-b.qcow2; do virsh -q -c '$U' vol-delete --pool default \$v >/dev/null 2>&1; done"
POOL=$LIBVIRTD_DIR/pool
M=1048576

virsh -q -c "$U" vol-create-as default $d-a.img 8M --format raw >/dev/null || fail "vol-create-as raw"
virsh -q -c "$U" vol-create-as default $d-b.qcow2 8M --format qcow2 >/dev/null || fail "vol-create-as qcow2"
qemu-img create -q -f raw "$TMPD/outside.img" 8M
printf 'a CD-ROM' >"$TMPD/cd.iso"
cat >"$TMPD/d.xml" <<XML
<domain type='kvm'>
  <name>$d</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type><kernel>$PROBE</kernel><cmdline>console=ttyS0</cmdline></os>
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='raw'/>
      <source file='$POOL/$d-a.img'/><target dev='vda' bus='virtio'/></disk>
    <disk type='volume' device='disk'><driver name='qemu' type='qcow2'/>
      <source pool='default' volume='$d-b.qcow2'/><target dev='vdb' bus='virtio'/></disk>
    <disk type='file' device='cdrom'><source file='$TMPD/cd.iso'/><target dev='sda' bus='sata'/><readonly/></disk>
    <disk type='file' device='disk'><driver name='qemu' type='raw'/>
      <source file='$TMPD/outside.img'/><target dev='vdc' bus='virtio'/></disk>
  </devices>
</domain>
XML
virsh -q -c "$U" define "$TMPD/d.xml" >/dev/null || fail "virsh define"
expect 0 "$VMTUI" -c "$U" show $d --json
# index PATTERN: the number show gives the disk whose path ends in PATTERN.
index() { json_get "[i + 1 for i, x in enumerate(j['disks']) if x['path'].endswith('$1')][0]"; }
ia=$(index $d-a.img) ib=$(index $d-b.qcow2) icd=$(index cd.iso) iout=$(index outside.img)
capacity() { virsh -q -c "$U" vol-info --pool default "$1" --bytes | awk '/^Capacity/ {print $2}'; }

# --- shut off: each volume grows in its pool ---
expect 0 "$VMTUI" -c "$U" disk resize $d $ia 16M
[ "$(capacity $d-a.img)" = $((16 * M)) ] || fail "raw volume: $(capacity $d-a.img) bytes"
expect 0 "$VMTUI" -c "$U" disk resize $d $ib 24M
[ "$(capacity $d-b.qcow2)" = $((24 * M)) ] || fail "qcow2 volume: $(capacity $d-b.qcow2) bytes"
qemu-img check -q "$POOL/$d-b.qcow2" || fail "qemu-img check: the grown qcow2 volume"

# --- refused, one line, nothing changed ---
expect_err 2 "is 0.02 GiB: it can grow, not shrink" "$VMTUI" -c "$U" disk resize $d $ia 8M
expect_err 2 "disk $icd of $d is a CD-ROM" "$VMTUI" -c "$U" disk resize $d $icd 1G
expect_err 1 "outside.img is in no storage pool of this host" "$VMTUI" -c "$U" disk resize $d $iout 16M
expect_err 2 "VM $d has no disk 5: it has 4" "$VMTUI" -c "$U" disk resize $d 5 1G
[ "$(capacity $d-a.img)" = $((16 * M)) ] || fail "a refused resize changed the raw volume"
[ "$(stat -c %s "$TMPD/outside.img")" = $((8 * M)) ] || fail "a refused resize changed outside.img"

# --- running: the disk grows at once, the guest's hypervisor says so ---
expect 0 "$VMTUI" -c "$U" start $d
expect 0 "$VMTUI" -c "$U" disk resize $d $iout 32M
got=$(virsh -q -c "$U" domblkinfo $d vdc | awk '/^Capacity/ {print $2}')
[ "$got" = $((32 * M)) ] || fail "live resize: domblkinfo says $got bytes"
expect_err 2 "it can grow, not shrink" "$VMTUI" -c "$U" disk resize $d $ia 8M
expect 0 "$VMTUI" -c "$U" destroy $d
expect 0 "$VMTUI" -c "$U" history $d
out_has "disk $iout resize 0.03 GiB +ok"
