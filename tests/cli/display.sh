#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# display.sh: vmtui show prints a VM's VNC and SPICE displays as virsh domdisplay finds them (test driver), and none on kvm:///.
. "$top_srcdir/tests/cli/lib.sh"

# A test-driver host whose domains have displays (test:///default's has
# none, and each process sees test:///default anew, so one defined there
# by another process would not be seen).
cat >"$TMPD/node.xml" <<'XML'
<node>
  <domain type='test'><name>gfx</name><memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os>
    <devices>
      <graphics type='vnc' port='5901' listen='127.0.0.1' websocket='5701'/>
      <graphics type='spice' port='5930' tlsPort='5931' autoport='no' listen='0.0.0.0'/>
    </devices></domain>
  <domain type='test'><name>auto</name><memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os>
    <devices><graphics type='vnc' autoport='yes' listen='::1'/></devices></domain>
  <domain type='test'><name>plain</name><memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>
</node>
XML
T="test://$TMPD/node.xml"

expect 0 "$VMTUI" -c "$T" show gfx
out_has '^Displays: +vnc on 127\.0\.0\.1 port 5901, websocket 5701: vnc://127\.0\.0\.1:1$'
out_has '^ +spice on 0\.0\.0\.0 port 5930, tls-port 5931: spice://localhost:5930\?tls-port=5931$'
grep -q 'through SSH' "$TMPD/out" && fail "a local connection got a tunnel"
expect 0 "$VMTUI" -c "$T" show gfx --json
json_check
[ "$(json_get '[(d["type"], d["listen"], d["port"], d["tls_port"], d["websocket"], d["autoport"], d["uri"], d["tunnel"]) for d in j["displays"]]')" = \
  "[('vnc', '127.0.0.1', 5901, None, 5701, False, 'vnc://127.0.0.1:1', None), ('spice', '0.0.0.0', 5930, 5931, None, False, 'spice://localhost:5930?tls-port=5931', None)]" ] ||
	fail "show --json displays: $(json_get 'j["displays"]')"
# The same URIs as virsh's own.
if command -v virsh >/dev/null 2>&1; then
	virsh -q -c "$T" domdisplay gfx --all >"$TMPD/virsh" 2>&1 || fail "virsh domdisplay: $(cat "$TMPD/virsh")"
	[ "$(json_get '"\n".join(d["uri"] for d in j["displays"])')" = "$(sed '/^$/d' "$TMPD/virsh")" ] ||
		fail "virsh says $(cat "$TMPD/virsh")"
fi
# A port chosen only when the VM starts has no URI yet.
expect 0 "$VMTUI" -c "$T" show auto
out_has '^Displays: +vnc on ::1, port chosen when it starts \(autoport\)$'
expect 0 "$VMTUI" -c "$T" show auto --json
[ "$(json_get '[(d["port"], d["autoport"], d["uri"]) for d in j["displays"]]')" = "[(None, True, None)]" ] ||
	fail "autoport display: $(json_get 'j["displays"]')"
expect 0 "$VMTUI" -c "$T" show plain
out_has '^Displays: +none$'
expect 0 "$VMTUI" -c test:///default show test
out_has '^Displays: +none$'

# kvm:/// VMs have a serial console only.
"$PYTHON3" -c 'import sys; b = bytearray(1024); b[0x202:0x206] = b"HdrS"; open(sys.argv[1], "wb").write(b)' "$TMPD/bzImage"
expect 0 "$VMTUI" create k1 --kernel "$TMPD/bzImage"
expect 0 "$VMTUI" show k1
out_has '^Displays: +none$'
expect 0 "$VMTUI" show k1 --json
[ "$(json_get 'j["displays"]')" = "[]" ] || fail "kvm:/// displays: $(json_get 'j["displays"]')"
expect_err 3 "no VM named ghost" "$VMTUI" -c "$T" show ghost
echo "PASS: display"
