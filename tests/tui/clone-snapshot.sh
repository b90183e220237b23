#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# clone-snapshot.sh: the clone key in the Snapshots tab (kvm:///): the dialog for the selected snapshot, and a warm clone that goes on beside the original.
. "$top_srcdir/tests/tui/lib.sh"
need_probe
[ -r /dev/kvm ] && [ -w /dev/kvm ] || skip "cannot open /dev/kvm"
at_exit 'for vm in src warm; do "$VMTUI" destroy $vm >/dev/null 2>&1; done'

# The probe counts; its console says where it is.
expect 0 "$VMTUI" create src --kernel "$PROBE" --memory 64 --cmdline 'probe.count=0' --disk size=1
expect 0 "$VMTUI" start src
i=0
until "$VMTUI" console src </dev/null 2>/dev/null | grep -q 'probe: count n=5 '; do
	i=$((i + 1)); [ $i -gt 150 ] && fail "the probe in src did not count to 5"
	sleep 0.2
done
expect 0 "$VMTUI" snapshot src create early
expect 0 "$VMTUI" snapshot src create later

tui_start 100x30 -- -c kvm:///
tui_wait '^ src +kvm +running'
tui_keys n
tui_wait 'o: clone from it'
tui_wait 'early'
# The second snapshot, selected: its name in the dialog's title; the disks are
# not a choice, so Down goes from the name straight to "Start it".
tui_keys Down o
tui_wait 'Clone src from its snapshot later'
tui_wait "Disks +overlays on the snapshot's copies"
tui_keys C-u
tui_keys -l warm
tui_keys Down Right
tui_wait 'Start it +< yes >'
tui_keys Enter
tui_wait "cloned src's snapshot later to warm, and started it"
tui_keys Escape
tui_wait '^ warm +kvm +running'
tui_wait '^ src +kvm +running'

# The clone went on from the snapshot: it did not boot again.
expect 0 "$VMTUI" show warm --json
[ "$(json_get 'j["from_snapshot"]["snapshot"]')" = later ] || fail "warm is not from snapshot later"
"$VMTUI" console warm </dev/null >"$TMPD/warm" 2>&1
grep -q 'probe: count n=5 ' "$TMPD/warm" || fail "warm's console does not go on from the snapshot's"
[ "$(grep -c 'probe: count start' "$TMPD/warm")" = 1 ] || fail "warm booted again instead of going on"

# Esc in the dialog makes nothing.
tui_keys g n
tui_wait 'o: clone from it'
tui_keys o
tui_wait 'Clone src from its snapshot early'
tui_keys Escape
tui_wait 'Clone: cancelled'
tui_keys q q
tui_wait 'vmtui exited 0'
expect 0 "$VMTUI" list --all --json
[ "$(json_get 'sorted(v["name"] for v in j)')" = "['src', 'warm']" ] || fail "other VMs than src and its clone"
exit 0
