#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# fixture.sh: the libvirt verbs on a real libvirtd and QEMU: console (piped, on a terminal, taken over), autostart, edit, pool create-default.
. "$top_srcdir/tests/libvirt/lib.sh"
. "$top_srcdir/tests/fixtures/libvirtd.sh"

need_probe
libvirtd_start || skip "$LIBVIRTD_WHY"
U=$LIBVIRTD_URI
vm=vt-$$-con

# --- the console of a QEMU guest running the probe (which echoes input) ---
expect 0 "$VMTUI" -c "$U" create $vm --memory 64 --kernel "$PROBE" \
	--cmdline 'console=ttyS0 probe.echo' --net none
expect_err 1 "VM $vm is not running: start it first" "$VMTUI" -c "$U" console $vm
expect 0 "$VMTUI" -c "$U" start $vm
# Input waits for the probe's "ready": under QEMU a byte that arrives
# before the guest sets up its UART stalls the serial input for good.
$TERM_PY --pipe 'expect:probe: ready' 'ping:hello-pipe' close 'exit:0' -- \
	"$VMTUI" -c "$U" console $vm >"$TMPD/con" || { cat "$TMPD/con"; fail "piped console"; }
$TERM_PY 'expect:Connected to the console' raw 'ping:hello-tty' 'send:\x1d' \
	'expect:Detached from' 'exit:0' -- "$VMTUI" -c "$U" console $vm >"$TMPD/con" ||
	{ cat "$TMPD/con"; fail "console on a terminal"; }

# Another client holds the console: refused with the way out; --force takes it.
mkfifo "$TMPD/hold"
"$VMTUI" -c "$U" console $vm <"$TMPD/hold" >"$TMPD/held" 2>&1 &
holder=$!
at_exit "kill $holder 2>/dev/null"
exec 8>"$TMPD/hold"
i=0
until grep -q hello-hold "$TMPD/held"; do
	kill -0 $holder 2>/dev/null || fail "the first console client ended: $(cat "$TMPD/held")"
	[ $i -lt 240 ] || fail "the first console client never got an echo"
	printf 'hello-hold\r' >&8
	sleep 0.5
	i=$((i + 1))
done
expect_err 1 "the console of $vm is in use by another client; vmtui console --force $vm takes it over" \
	"$VMTUI" -c "$U" console $vm
$TERM_PY --pipe 'ping:hello-force' close 'exit:0' -- "$VMTUI" -c "$U" console --force $vm \
	>"$TMPD/con" || { cat "$TMPD/con"; fail "console --force"; }
i=0
while kill -0 $holder 2>/dev/null; do
	[ $i -lt 600 ] || fail "the console taken over did not end"
	sleep 0.1
	i=$((i + 1))
done
wait $holder || fail "the console client taken over did not end cleanly: $(cat "$TMPD/held")"
exec 8>&-

# --- autostart, as libvirt itself reports it ---
expect 0 "$VMTUI" -c "$U" autostart $vm on
virsh -q -c "$U" dominfo $vm | grep -Eq '^Autostart: +enable' || fail "autostart is not on"
expect 0 "$VMTUI" -c "$U" list --all --json
[ "$(json_get "[v['autostart'] for v in j if v['name'] == '$vm'][0]")" = True ] ||
	fail "list --json does not say autostart"
expect 0 "$VMTUI" -c "$U" autostart $vm off
virsh -q -c "$U" dominfo $vm | grep -Eq '^Autostart: +disable' || fail "autostart is not off"
expect 0 "$VMTUI" -c "$U" delete $vm --force

# --- edit keeps what vmtui does not model (a domain made with virsh) ---
ed=vt-$$-extra
cat >"$TMPD/extra.xml" <<XML
<domain type='qemu'>
  <name>$ed</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type><kernel>$PROBE</kernel><cmdline>console=ttyS0</cmdline></os>
  <devices>
    <serial type='pty'/><console type='pty'/>
    <controller type='virtio-serial' index='0'/>
    <channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>
    <rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>
    <video><model type='vga'/></video>
    <watchdog model='i6300esb' action='reset'/>
    <input type='tablet' bus='usb'/>
  </devices>
</domain>
XML
virsh -q -c "$U" define "$TMPD/extra.xml" >/dev/null || fail "virsh define failed"
expect 0 "$VMTUI" -c "$U" edit $ed --vcpus 2 --memory 96 --cmdline 'console=ttyS0 edited' \
	--net user --notes 'a <b> & "c"'
virsh -q -c "$U" dumpxml --inactive $ed >"$TMPD/edited.xml" || fail "virsh dumpxml failed"
"$PYTHON3" - "$TMPD/edited.xml" <<'PY' || fail "edit lost or mangled part of the domain"
import sys, xml.etree.ElementTree as ET
d = ET.parse(sys.argv[1]).getroot()
dev = d.find("devices")
for tag in ("channel", "rng", "video", "watchdog", "input", "interface"):
    assert dev.find(tag) is not None, "no <%s> any more" % tag
assert dev.find("controller[@type='virtio-serial']") is not None, "virtio-serial controller gone"
assert d.findtext("vcpu") == "2", d.findtext("vcpu")
assert int(d.findtext("memory")) == 96 * 1024, d.findtext("memory")
assert d.findtext("os/cmdline") == "console=ttyS0 edited"
assert d.findtext("description") == 'a <b> & "c"'
PY
expect 0 "$VMTUI" -c "$U" delete $ed

# --- edit and delete see what virsh changed in a domain vmtui made ---
mg=vt-$$-mixed
expect 0 "$VMTUI" -c "$U" create $mg --memory 64 --kernel "$PROBE" --group web --disk size=1
head -c 1048576 /dev/zero >"$TMPD/attached.img"
virsh -q -c "$U" attach-disk $mg "$TMPD/attached.img" vdb --config >/dev/null || fail "virsh attach-disk failed"
virsh -q -c "$U" setvcpus $mg 2 --config --maximum >/dev/null && virsh -q -c "$U" setvcpus $mg 2 --config >/dev/null ||
	fail "virsh setvcpus failed"
expect 0 "$VMTUI" -c "$U" edit $mg --memory 96
virsh -q -c "$U" dumpxml --inactive $mg >"$TMPD/mixed.xml" || fail "virsh dumpxml failed"
"$PYTHON3" - "$TMPD/mixed.xml" "$TMPD/attached.img" <<'PY' || fail "edit undid what virsh did"
import sys, xml.etree.ElementTree as ET
d = ET.parse(sys.argv[1]).getroot()
src = [s.get("file") for s in d.findall("devices/disk/source")]
assert sys.argv[2] in src and len(src) == 2, src
assert d.findtext("vcpu") == "2", d.findtext("vcpu")
assert int(d.findtext("memory")) == 96 * 1024, d.findtext("memory")
PY
expect 0 "$VMTUI" -c "$U" show $mg --json
[ "$(json_get "j['group']")" = web ] || fail "edit lost the group: $(json_get "j.get('group')")"
[ "$(json_get "[d['created_by_vmtui'] for d in j['disks']]")" = "[True, False]" ] ||
	fail "edit lost which disk vmtui made: $(json_get "j['disks']")"
vol=$(json_get "j['disks'][0]['path']")
# The pool's volume goes; the attached file, in no pool, stays and is named.
expect_err 1 "disk $TMPD/attached.img is not a volume of any storage pool: vmtui left it" \
	"$VMTUI" -c "$U" delete $mg --remove-disks
[ -f "$TMPD/attached.img" ] || fail "delete --remove-disks removed a file no pool holds"
[ -e "$vol" ] && fail "delete --remove-disks left the volume vmtui made"
virsh -q -c "$U" list --all --name | grep -qx $mg && fail "$mg is still defined"

# --- pool create-default ---
# Only over a transient pool "default" (the fixture's, or one left by an
# earlier daemon), which is put back exactly as it was; a persistent one
# is someone's real pool and stays alone.
if virsh -q -c "$U" pool-info default | grep -Eq '^Persistent: +no'; then
	virsh -q -c "$U" pool-dumpxml default >"$TMPD/pool-saved.xml" || fail "cannot save pool default"
	at_exit "virsh -q -c '$U' pool-destroy default >/dev/null 2>&1;
		virsh -q -c '$U' pool-undefine default >/dev/null 2>&1;
		virsh -q -c '$U' pool-create '$TMPD/pool-saved.xml' >/dev/null 2>&1"
	virsh -q -c "$U" pool-destroy default >/dev/null || fail "cannot take pool default away"
	sum=$(defs_digest)
	expect_err 1 "storage pool 'default' does not exist on .*; .*vmtui -c .* pool create-default" \
		"$VMTUI" -c "$U" create vt-$$-np --memory 64 --kernel "$PROBE" --disk size=1
	[ "$(defs_digest)" = "$sum" ] || fail "a refused create changed the definitions"
	expect 0 "$VMTUI" -c "$U" pool create-default
	virsh -q -c "$U" pool-info default >"$TMPD/pool"
	grep -Eq '^State: +running' "$TMPD/pool" || fail "the new pool does not run"
	grep -Eq '^Persistent: +yes' "$TMPD/pool" || fail "the new pool is not persistent"
	grep -Eq '^Autostart: +yes' "$TMPD/pool" || fail "the new pool does not autostart"
	virsh -q -c "$U" pool-dumpxml default | grep -q '<path>/var/lib/libvirt/images</path>' ||
		fail "the new pool is not in /var/lib/libvirt/images"
	expect_err 1 "storage pool default already exists on " "$VMTUI" -c "$U" pool create-default
	expect 0 "$VMTUI" -c "$U" pool list --json
	json_check
else
	note "this libvirtd has a persistent pool default: not replacing it"
fi
