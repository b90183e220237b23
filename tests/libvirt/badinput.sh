#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# badinput.sh: a real libvirtd's hostile cases: XML characters in a domain name, a full pool, domains deleted behind vmtui's back.
. "$top_srcdir/tests/libvirt/lib.sh"
. "$top_srcdir/tests/fixtures/libvirtd.sh"

need_probe
libvirtd_start || skip "$LIBVIRTD_WHY"
U=$LIBVIRTD_URI

# --- a name full of XML's special characters, made with virsh ---
name="vt-$$-a&b<c>'\"d"
"$PYTHON3" - "$TMPD/odd.xml" "$name" "$PROBE" <<'PY' || fail "cannot write the domain XML"
import sys, xml.etree.ElementTree as ET
d = ET.Element("domain", type="qemu")
ET.SubElement(d, "name").text = sys.argv[2]
ET.SubElement(d, "memory", unit="MiB").text = "64"
ET.SubElement(d, "vcpu").text = "1"
os_ = ET.SubElement(d, "os")
ET.SubElement(os_, "type", arch="x86_64").text = "hvm"
ET.SubElement(os_, "kernel").text = sys.argv[3]
dev = ET.SubElement(d, "devices")
ET.SubElement(dev, "serial", type="pty")
ET.ElementTree(d).write(sys.argv[1])
PY
virsh -q -c "$U" define "$TMPD/odd.xml" >/dev/null || fail "virsh define failed"
expect 0 "$VMTUI" -c "$U" list --all --json
json_check
"$PYTHON3" -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(not [v for v in j if v["name"] == sys.argv[2]])' \
	"$TMPD/out" "$name" || fail "list --json lost the name"
expect 0 "$VMTUI" -c "$U" show "$name" --json
"$PYTHON3" -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(j["name"] != sys.argv[2] or j["managed"])' \
	"$TMPD/out" "$name" || fail "show --json lost the name"
expect 0 "$VMTUI" -c "$U" adopt "$name"
expect 0 "$VMTUI" -c "$U" show "$name" --json
"$PYTHON3" -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(j["name"] != sys.argv[2] or not j["managed"])' \
	"$TMPD/out" "$name" || fail "adopt did not keep the name"
expect 0 "$VMTUI" -c "$U" export "$name"
"$PYTHON3" -c 'import sys, xml.etree.ElementTree as ET; sys.exit(ET.parse(sys.argv[1]).getroot().findtext("name") != sys.argv[2])' \
	"$TMPD/out" "$name" || fail "export mangled the name"
expect 0 "$VMTUI" -c "$U" delete "$name"
virsh -q -c "$U" list --all --name | grep -qxF "$name" && fail "delete left the odd domain"

# --- a pool with no room left: libvirt's refusal, and nothing half made ---
mkdir -p "$TMPD/full"
if mount -t tmpfs -o size=1M vt-full "$TMPD/full" 2>"$TMPD/mount.err"; then
	at_exit "virsh -q -c '$U' pool-destroy vt-$$-full >/dev/null 2>&1; umount '$TMPD/full'"
	dd if=/dev/zero of="$TMPD/full/filler" bs=64k 2>/dev/null
	virsh -q -c "$U" pool-create-as vt-$$-full dir --target "$TMPD/full" >/dev/null ||
		fail "cannot make the full pool"
	sum=$(defs_digest)
	expect_err 1 "disk 1: cannot create volume x\.qcow2: .*No space left on device" \
		"$VMTUI" -c "$U" create vt-$$-full --memory 64 --kernel "$PROBE" \
		--disk "$TMPD/full/x.qcow2,size=1,format=qcow2"
	[ "$(defs_digest)" = "$sum" ] || fail "a refused create changed the definitions"
	[ -e "$TMPD/full/x.qcow2" ] && fail "the refused create left x.qcow2"
	virsh -q -c "$U" list --all --name | grep -qx "vt-$$-full" && fail "the refused create defined a domain"
else
	note "cannot mount a small tmpfs ($(cat "$TMPD/mount.err")): no full-pool case"
fi

# --- deleted behind vmtui's back, between a list and an action ---
kept=vt-$$-kept
expect 0 "$VMTUI" -c "$U" create $kept --memory 64 --kernel "$PROBE" --net none
expect 0 "$VMTUI" -c "$U" list --all
virsh -q -c "$U" undefine $kept >/dev/null || fail "virsh undefine failed"
sum=$(defs_digest)
for verb in pause autostart; do
	arg=; [ $verb = autostart ] && arg=on
	expect_err 1 "VM $kept is not defined on .*vmtui start $kept defines it again" \
		"$VMTUI" -c "$U" $verb $kept $arg
done
expect_err 3 "no VM named $kept on " "$VMTUI" -c "$U" snapshot $kept create s1
[ "$(defs_digest)" = "$sum" ] || fail "failed actions on a vanished VM changed its definition"
expect 0 "$VMTUI" -c "$U" list --all --json
[ "$(json_get "[v['state'] for v in j if v['name'] == '$kept'][0]")" = missing ] ||
	fail "a VM libvirt lost is not listed as missing"

other=vt-$$-other
virsh -q -c "$U" define "$TMPD/odd.xml" >/dev/null || fail "virsh define failed"
virsh -q -c "$U" domrename "$name" $other >/dev/null 2>&1 ||
	fail "virsh domrename failed"
expect 0 "$VMTUI" -c "$U" list --all
out_has "^$other "
virsh -q -c "$U" undefine $other >/dev/null || fail "virsh undefine failed"
sum=$(db_digest)
expect_err 3 "no VM named $other" "$VMTUI" -c "$U" start $other
expect_err 3 "no VM named $other" "$VMTUI" -c "$U" console $other
[ "$(db_digest)" = "$sum" ] || fail "actions on a VM that is gone changed the database"

# --- another domain takes the name of one vmtui stored ---
cat >"$TMPD/usurper.xml" <<XML
<domain type='qemu'><name>$kept</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>
<os><type arch='x86_64'>hvm</type></os></domain>
XML
virsh -q -c "$U" define "$TMPD/usurper.xml" >/dev/null || fail "virsh define failed"
# Delete acts on the domain libvirt has now, and leaves vmtui's own definition.
expect 0 "$VMTUI" -c "$U" delete $kept
virsh -q -c "$U" list --all --name | grep -qx $kept && fail "the other $kept is still defined"
expect 0 "$VMTUI" -c "$U" list --all --json
[ "$(json_get "[v['state'] for v in j if v['name'] == '$kept'][0]")" = missing ] ||
	fail "vmtui lost its own $kept with the other one"
expect 0 "$VMTUI" -c "$U" delete $kept
expect 0 "$VMTUI" -c "$U" list --all --json
[ "$(json_get "len([v for v in j if v['name'] == '$kept'])")" = 0 ] || fail "$kept is still stored"
