#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# history.sh: the TUI's history view (H), autostart (A), a VM's displays in its details, and snapshots taken there in the history.
. "$top_srcdir/tests/tui/lib.sh"
fake_kernel "$TMPD/bzImage"
cat >"$TMPD/node.xml" <<'XML'
<node>
  <domain type='test'><name>gfx</name><memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os>
    <devices><graphics type='vnc' port='5901' listen='127.0.0.1' websocket='5701'/></devices></domain>
</node>
XML
T="test://$TMPD/node.xml"

# A history made by the CLI: a refused edit, a deleted VM.
expect 0 "$VMTUI" create k1 --kernel "$TMPD/bzImage"
expect 0 "$VMTUI" create k2 --kernel "$TMPD/bzImage"
expect 2 "$VMTUI" edit k1 --memory 8
expect 0 "$VMTUI" delete k2

tui_start 132x43 -- -c kvm:/// -c "$T"
tui_wait '^ gfx '
tui_wait '^ k1 '
tui_keys ?
tui_wait 'H +history +history of what vmtui did'
tui_wait 'A +autostart +start the VM when the host starts'
tui_keys Escape
tui_wait_gone 'Help: keys'

# Every VM's history, the deleted one said so, the refused edit in red with why.
tui_keys H
tui_wait 'History of every VM, deleted ones included'
tui_wait 'k2 \(deleted\) +delete +ok'
tui_wait 'k2 \(deleted\) +create +ok'
tui_wait 'k1 +edit +error: memory: 8 MiB is out of range'
tui_keys q
tui_wait_gone 'History of every VM'

# A on k1: autostart on, in its details and in its own history (H there).
tui_keys / ; tui_keys -l k1 ; tui_keys Enter
tui_wait_gone '^ gfx '
tui_keys A
tui_wait 'k1 starts with the host \(autostart on\)'
tui_keys Enter
tui_wait 'Size +1 vCPU, [0-9.]+M memory, starts with the host'
tui_wait 'Displays +none'
tui_keys H
tui_wait 'History of k1 on kvm:///'
tui_wait 'k1 +autostart on +ok'
tui_screen | grep -q 'k2' && { tui_screen; fail "k1's history shows k2"; }
tui_keys q q
tui_wait_gone 'History of k1'
tui_wait_gone 'Size +1 vCPU'

# gfx: its VNC display in the info tab; a snapshot taken in the TUI is recorded.
tui_keys / ; tui_keys C-u ; tui_keys -l gfx ; tui_keys Enter
tui_wait_gone '^ k1 '
tui_keys Enter
tui_wait 'Displays +vnc on 127\.0\.0\.1 port 5901, websocket 5701: vnc://127\.0\.0\.1:1'
tui_keys 4
tui_wait 'c: take a snapshot'
tui_keys c
tui_wait 'Name of the new snapshot'
tui_keys -l t1 ; tui_keys Enter
tui_wait 'Description'
tui_keys Enter
tui_wait 'snapshot t1 of gfx: done'
tui_keys H
tui_wait 'History of gfx on test://'
tui_wait 'gfx +snapshot create t1 +ok'
tui_keys q q
tui_keys q
tui_wait 'vmtui exited 0'

# The CLI sees what the TUI recorded.
expect 0 "$VMTUI" -c kvm:/// -c "$T" history --json
[ "$(json_get '[(e["vm"], e["action"]) for e in j][:2]')" = "[('gfx', 'snapshot create t1'), ('k1', 'autostart on')]" ] ||
	fail "the CLI's history: $(json_get '[(e["vm"], e["action"]) for e in j]')"
expect 0 "$VMTUI" list --all --json
[ "$(json_get '[v["autostart"] for v in j if v["name"] == "k1"][0]')" = True ] || fail "k1 is not autostart"
echo "PASS: tui history"
