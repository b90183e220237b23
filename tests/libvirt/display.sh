#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# display.sh: on a real libvirtd and QEMU, vmtui show gives the VNC port QEMU was started with, as virsh domdisplay does, and a VNC server answers there.
. "$top_srcdir/tests/libvirt/lib.sh"
. "$top_srcdir/tests/fixtures/libvirtd.sh"

need_probe
libvirtd_start || skip "$LIBVIRTD_WHY"
U=$LIBVIRTD_URI
vm=vt-$$-vnc

expect 0 "$VMTUI" -c "$U" create $vm --memory 64 --kernel "$PROBE" --cmdline 'console=ttyS0' \
	--net none --graphics vnc
# Not running: the port is chosen when it starts.
expect 0 "$VMTUI" -c "$U" show $vm
out_has '^Displays: +vnc on 127\.0\.0\.1, port chosen when it starts \(autoport\)$'
expect 0 "$VMTUI" -c "$U" start $vm
expect 0 "$VMTUI" -c "$U" show $vm --json
port=$(json_get '[d["port"] for d in j["displays"] if d["type"] == "vnc"][0]')
uri=$(json_get '[d["uri"] for d in j["displays"] if d["type"] == "vnc"][0]')
note "QEMU's VNC server: port $port, $uri"
[ "$port" -ge 5900 ] 2>/dev/null || fail "no port for the running domain: $(json_get 'j["displays"]')"
[ "$(json_get '[d["autoport"] for d in j["displays"]][0]')" = True ] || fail "autoport is not said"
virsh -q -c "$U" domdisplay $vm >"$TMPD/virsh" 2>&1 || fail "virsh domdisplay: $(cat "$TMPD/virsh")"
[ "$uri" = "$(sed '/^$/d' "$TMPD/virsh")" ] || fail "vmtui says $uri, virsh $(cat "$TMPD/virsh")"
expect 0 "$VMTUI" -c "$U" show $vm
out_has "^Displays: +vnc on 127\\.0\\.0\\.1 port $port, autoport: vnc://127\\.0\\.0\\.1:$((port - 5900))\$"
# And it is QEMU's VNC server there: RFB's greeting.
"$PYTHON3" - "$port" <<'PY' || fail "no VNC server on port $port"
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
greeting = s.recv(12)
assert greeting.startswith(b"RFB "), greeting
PY
expect 0 "$VMTUI" -c "$U" delete $vm --force
echo "PASS: display"
