#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# remote.sh: a VM on a host reached over the network (the libvirtd fixture on qemu+tcp://127.0.0.1): the title bar gives that host's name and figures, and the host view what it says of itself.
. "$top_srcdir/tests/tui/lib.sh"
. "$top_srcdir/tests/fixtures/libvirtd.sh"
need_probe
LIBVIRTD_TCP=1
libvirtd_start || skip "$LIBVIRTD_WHY"
R=$LIBVIRTD_TCP_URI
virsh -q -c "$R" list >/dev/null 2>&1 || skip "libvirtd does not answer on $R"
d=vt-$$-far
expect 0 "$VMTUI" -c "$R" create $d --kernel "$PROBE" --memory 64 --net none

tui_start 120x30 -- -c kvm:/// -c "$R"
tui_wait "^ $d +127"
# kvm:///'s list comes first; the remote VM is the one selected (the only VM).
tui_wait "Host $(hostname) CPU +([0-9]+%|-) +Mem [0-9.]+[KMGT]?/[0-9.]+[KMGT]"
tui_keys v
tui_wait "^ Host of qemu\+tcp://127.0.0.1:$LIBVIRTD_TCP_PORT/system"
tui_wait "^ $(hostname) +QEMU [0-9.]+ \(libvirt [0-9.]+\)"
tui_wait '^ [0-9]+ CPUs, [0-9]+% busy +memory .* in use +VMs 0 running / 1 defined +answered in [0-9]+ ms'
tui_wait '^   default +running '
