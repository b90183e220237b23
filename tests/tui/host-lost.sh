#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# host-lost.sh: the host view of a libvirt connection whose daemon is gone says that it could not read the pools and networks, not that there are none.
. "$top_srcdir/tests/tui/lib.sh"
. "$top_srcdir/tests/fixtures/libvirtd.sh"
libvirtd_start || skip "$LIBVIRTD_WHY"

tui_start 110x30 -- -c "$LIBVIRTD_URI"
tui_wait 'No VMs yet'
tui_keys v
tui_wait "^ Host of qemu:///system"
tui_wait '^   default-pool|^   default '
tui_keys q
tui_wait_gone "Host of qemu:///system"

# No domain runs under it: killing the daemon leaves nothing behind.
libvirtd_kill "$LIBVIRTD_DIR/libvirtd.pid"
tui_keys v
tui_wait 'Its pools and networks could not be read: '
tui_screen | grep -q 'keeps disks as image files' && { tui_screen; fail "a lost daemon shown as one with nothing"; }
tui_keys q
tui_wait_gone "Host of qemu:///system"
tui_keys q
tui_wait 'vmtui exited 0'
