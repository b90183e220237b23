#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# console.sh: the console pane on a QEMU domain of a real libvirtd (a libvirt stream), and snapshots in the UI.
. "$top_srcdir/tests/tui/lib.sh"
. "$top_srcdir/tests/fixtures/libvirtd.sh"
need_probe
libvirtd_start || skip "$LIBVIRTD_WHY"
vm=vt-$$-con

# The probe on QEMU's pc machine, direct kernel boot, serial on a pty.
cp "$PROBE" "$LIBVIRTD_DIR/pool/probe.bzImage"
expect 0 "$VMTUI" -c "$LIBVIRTD_URI" create $vm --memory 64 --disk size=1 \
	--kernel "$LIBVIRTD_DIR/pool/probe.bzImage" --cmdline 'console=ttyS0 probe.echo'
expect 0 "$VMTUI" -c "$LIBVIRTD_URI" start $vm

tui_start 100x30 -- -c "$LIBVIRTD_URI"
tui_wait "^ $vm +system +running"
tui_keys C
tui_wait "Console of $vm"
tui_wait 'probe: ready'
tui_keys -l 'typed into a libvirt stream'
tui_keys Enter
tui_wait '^typed into a libvirt stream'
tui_keys C-]
tui_wait 'back in vmtui'
tui_keys z
tui_wait_gone '^ NAME'
tui_keys z Escape
tui_wait_gone "Console of $vm"

# Snapshots: take one with a description, revert to it, delete it.
tui_keys n
tui_wait 'No snapshots'
tui_keys c
tui_wait 'Name of the new snapshot'
tui_keys -l before-upgrade
tui_keys Enter
tui_wait 'Description'
tui_keys -l 'kept <safe> & sound'
tui_keys Enter
tui_wait 'snapshot before-upgrade of .*: done'
tui_wait '^ before-upgrade .*kept <safe> & sound'
tui_keys r
tui_wait "Revert $vm to snapshot before-upgrade\\?"
tui_keys y
tui_wait 'snapshot before-upgrade of .*: done'
tui_keys x
tui_wait 'Delete snapshot before-upgrade'
tui_keys y
tui_wait 'No snapshots'
tui_keys Escape q
tui_wait 'vmtui exited 0'
expect 0 "$VMTUI" -c "$LIBVIRTD_URI" delete $vm --force --remove-disks
