#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# clone.sh: vmtui clone on a real libvirtd and QEMU: volumes copied and overlaid, the domain XML cloned, clones booted, what stays refused.
. "$top_srcdir/tests/libvirt/lib.sh"
. "$top_srcdir/tests/fixtures/libvirtd.sh"

need_probe
command -v qemu-img >/dev/null || skip "no qemu-img to look at the volumes"
libvirtd_start || skip "$LIBVIRTD_WHY"
U=$LIBVIRTD_URI
o=vt-$$-orig f=vt-$$-full l=vt-$$-lin
at_exit "for vm in $o $f $l; do virsh -q -c '$U' destroy \$vm >/dev/null 2>&1; \"$VMTUI\" -c '$U' delete \$vm --remove-disks >/dev/null 2>&1; done"
POOL=$LIBVIRTD_DIR/pool

# A domain made with virsh, with devices vmtui does not model and a fixed
# VNC port; its disks are volumes of the pool: raw and qcow2 with data.
head -c $((8 << 20)) /dev/urandom >"$TMPD/rand.img"
virsh -q -c "$U" vol-create-as default $o-a.img 8M --format raw >/dev/null || fail "vol-create-as raw"
virsh -q -c "$U" vol-create-as default $o-b.qcow2 8M --format qcow2 >/dev/null || fail "vol-create-as qcow2"
virsh -q -c "$U" vol-create-as default $o-ro.img 1M --format raw >/dev/null || fail "vol-create-as read-only"
cp "$TMPD/rand.img" "$POOL/$o-a.img"
qemu-img convert -n -f raw -O qcow2 "$TMPD/rand.img" "$POOL/$o-b.qcow2" || fail "qemu-img convert"
printf 'a CD-ROM' >"$TMPD/cd.iso"
cat >"$TMPD/orig.xml" <<XML
<domain type='kvm'>
  <name>$o</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type><kernel>$PROBE</kernel>
    <cmdline>console=ttyS0</cmdline></os>
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='raw'/>
      <source file='$POOL/$o-a.img'/><target dev='vda' bus='virtio'/></disk>
    <disk type='volume' device='disk'><driver name='qemu' type='qcow2'/>
      <source pool='default' volume='$o-b.qcow2'/><target dev='vdb' bus='virtio'/></disk>
    <disk type='file' device='cdrom'><source file='$TMPD/cd.iso'/><target dev='sda' bus='sata'/><readonly/></disk>
    <disk type='file' device='disk'><driver name='qemu' type='raw'/>
      <source file='$POOL/$o-ro.img'/><target dev='vdc' bus='virtio'/><readonly/></disk>
    <interface type='user'><mac address='52:54:00:12:34:56'/><model type='virtio'/></interface>
    <serial type='pty'/><console type='pty'/>
    <channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>
    <rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>
    <graphics type='vnc' port='5977' autoport='no' listen='127.0.0.1'/>
    <video><model type='vga'/></video>
    <watchdog model='i6300esb' action='reset'/>
  </devices>
</domain>
XML
virsh -q -c "$U" define "$TMPD/orig.xml" >/dev/null || fail "virsh define"

# running VM...: list says each of them runs.
running() {
	expect 0 "$VMTUI" -c "$U" list --json
	for vm in "$@"; do
		[ "$(json_get "[v['state'] for v in j if v['name'] == '$vm']")" = "['running']" ] ||
			fail "$vm does not run: $(json_get "[(v['name'], v['state']) for v in j]")"
	done
}

# A running domain is not cloned.
expect 0 "$VMTUI" -c "$U" start $o
sum=$(defs_digest)
vols=$(virsh -q -c "$U" vol-list default | sort)
expect_err 1 "^vmtui: VM $o is running: shut it off first" "$VMTUI" -c "$U" clone $o $f
[ "$(defs_digest)" = "$sum" ] || fail "a refused clone changed the store"
[ "$(virsh -q -c "$U" vol-list default | sort)" = "$vols" ] || fail "a refused clone left a volume"
virsh -q -c "$U" list --all --name | grep -qx $f && fail "a refused clone defined $f"
expect 0 "$VMTUI" -c "$U" destroy $o

# A full clone: libvirt copies each volume in its pool; the CD-ROM is shared.
expect 0 "$VMTUI" -c "$U" clone $o $f
virsh -q -c "$U" dumpxml --inactive $o >"$TMPD/o.xml" || fail "dumpxml $o"
virsh -q -c "$U" dumpxml --inactive $f >"$TMPD/f.xml" || fail "dumpxml $f"
"$PYTHON3" - "$TMPD/o.xml" "$TMPD/f.xml" "$f" "$TMPD/cd.iso" <<'PY' || fail "the clone's XML"
import sys, xml.etree.ElementTree as ET
o, c = ET.parse(sys.argv[1]).getroot(), ET.parse(sys.argv[2]).getroot()
assert c.findtext("name") == sys.argv[3]
assert c.findtext("uuid") != o.findtext("uuid"), "same UUID"
tags = lambda d: sorted(e.tag for e in d.find("devices"))
assert tags(o) == tags(c), "devices differ: %s / %s" % (tags(o), tags(c))
for t in ("channel", "rng", "video", "watchdog", "serial", "console"):
    assert c.find("devices/" + t) is not None, t
mo = [m.get("address") for m in o.findall("devices/interface/mac")]
mc = [m.get("address") for m in c.findall("devices/interface/mac")]
assert len(mc) == 1 and mc != mo, (mo, mc)
g = c.find("devices/graphics")
assert g.get("autoport") == "yes" and g.get("port") in (None, "-1"), g.attrib
src = lambda d, dev: [k.find("source").attrib for k in d.findall("devices/disk")
                      if k.find("target").get("dev") == dev][0]
assert src(c, "sda") == src(o, "sda") == {"file": sys.argv[4]}, "the CD-ROM is not shared"
assert src(c, "vdc") == src(o, "vdc"), "the read-only disk is not shared"
assert src(c, "vda") != src(o, "vda") and src(c, "vdb") != src(o, "vdb"), "the disks are not copies"
assert c.findtext("os/cmdline") == o.findtext("os/cmdline")
PY
expect 0 "$VMTUI" -c "$U" show $o --json
ou=$(json_get "j['uuid']") om=$(json_get "j['nics'][0]['mac']")
expect 0 "$VMTUI" -c "$U" show $f --json
[ "$(json_get "j['uuid']")" != "$ou" ] || fail "show: the clone has the original's UUID"
[ "$(json_get "j['nics'][0]['mac']")" != "$om" ] || fail "show: the clone has the original's MAC"
[ "$(json_get "j['managed']")" = True ] || fail "vmtui does not keep the clone"
fa=$(json_get "j['disks'][0]['path']") fb=$(json_get "j['disks'][1]['path']")
[ "$(json_get "j['disks'][0]['pool']")" = default ] || fail "the copy is not a volume of the pool"
[ "$(json_get "j['events'][0]['action']")" = "clone of $o" ] || fail "no clone event"
cmp "$POOL/$o-a.img" "$fa" || fail "the raw copy differs"
qemu-img convert -O raw "$fb" "$TMPD/fb.raw" && cmp "$TMPD/rand.img" "$TMPD/fb.raw" || fail "the qcow2 copy differs"

# The clone boots beside the original, with its own MAC (QEMU would refuse a second writer of an image).
expect 0 "$VMTUI" -c "$U" start $o
expect 0 "$VMTUI" -c "$U" start $f
running $o $f
expect 0 "$VMTUI" -c "$U" destroy $o
expect 0 "$VMTUI" -c "$U" destroy $f

# A linked clone: a qcow2 volume over each of the original's, in its pool.
# QEMU starts it: it opened each overlay and the image under it.
expect 0 "$VMTUI" -c "$U" clone $o $l --linked --start
out_has "^$l started$"
running $l
expect 0 "$VMTUI" -c "$U" destroy $l
expect 0 "$VMTUI" -c "$U" show $l --json
for i in 0 1; do
	p=$(json_get "j['disks'][$i]['path']")
	case $p in "$POOL"/*) ;; *) fail "overlay $i is not in the pool: $p" ;; esac
	base=$POOL/$o-a.img fmt=raw
	[ $i = 1 ] && base=$POOL/$o-b.qcow2 fmt=qcow2
	qemu-img info "$p" >"$TMPD/info"
	grep -q "^backing file: $base" "$TMPD/info" && grep -q "^backing file format: $fmt" "$TMPD/info" ||
		{ cat "$TMPD/info"; fail "overlay $i does not read through $base"; }
	qemu-img compare -q -f qcow2 -F $fmt "$p" "$base" || fail "overlay $i does not read as $base"
	[ "$(du -k "$p" | cut -f1)" -lt 1024 ] || fail "overlay $i copied its original's data"
	[ "$(json_get "j['disks'][$i]['reads_through']")" = "$(virsh -q -c "$U" dumpxml --inactive $o |
		"$PYTHON3" -c "import sys, xml.etree.ElementTree as ET
s = ET.parse(sys.stdin).getroot().findall('devices/disk/source')[$i]
print(s.get('file') or s.get('volume'))")" ] || fail "show does not say what disk $i reads through"
done

# The original stays read-only while the linked clone exists.
sum=$(defs_digest)
expect_err 1 "^vmtui: VM $o is the original of the linked clone $l, which reads through its disks: vmtui does not start it" \
	"$VMTUI" -c "$U" start $o
expect_err 1 "does not delete it until that is deleted" "$VMTUI" -c "$U" delete $o --remove-disks
expect_err 1 "does not take snapshots of it" "$VMTUI" -c "$U" snapshot $o create s1
[ "$(defs_digest)" = "$sum" ] || fail "a refusal changed the store"
virsh -q -c "$U" list --all --name | grep -qx $o || fail "the refused delete undefined $o"
cmp "$TMPD/rand.img" "$POOL/$o-a.img" || fail "the linked clone wrote the original's disk"

# Bad input: one line, its exit status, nothing made.
vols=$(virsh -q -c "$U" vol-list default | sort)
expect_err 1 "^vmtui: name: a VM named $f already exists on " "$VMTUI" -c "$U" clone $o $f
expect_err 2 "^vmtui: name: '\*' is not allowed" "$VMTUI" -c "$U" clone $o 'x*'
expect_err 3 "^vmtui: no VM named ghost-$$ on " "$VMTUI" -c "$U" clone ghost-$$ x
[ "$(defs_digest)" = "$sum" ] || fail "bad input changed the store"
[ "$(virsh -q -c "$U" vol-list default | sort)" = "$vols" ] || fail "bad input left a volume"

# The clones go with their volumes; then the original may go too.
expect 0 "$VMTUI" -c "$U" delete $l --remove-disks
expect 0 "$VMTUI" -c "$U" delete $f --remove-disks
[ -e "$fa" ] && fail "delete --remove-disks left the copy $fa"
[ -f "$TMPD/cd.iso" ] || fail "deleting a clone's disks removed the CD-ROM it shared"
[ -f "$POOL/$o-ro.img" ] || fail "deleting a clone's disks removed the read-only volume it shared"
expect 0 "$VMTUI" -c "$U" delete $o
virsh -q -c "$U" vol-delete $o-a.img default >/dev/null && virsh -q -c "$U" vol-delete $o-b.qcow2 default >/dev/null &&
	virsh -q -c "$U" vol-delete $o-ro.img default >/dev/null ||
	fail "the original's volumes are not there to delete"
echo "PASS: libvirt clone"
