#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# libvirt.sh: the UI on kvm:/// and test:///default at once: create on libvirt, start, stop, edit, delete.
. "$top_srcdir/tests/tui/lib.sh"
fake_kernel "$TMPD/bzImage"

tui_start 132x43 -- -c kvm:/// -c test:///default
tui_wait '^ test +test +libvirt running'

# The form opens on the selected VM's connection; Left and Right change it.
tui_keys c
tui_wait 'Create a VM on test:///default'
tui_keys -l web1
tui_keys Down Right
tui_wait 'Create a VM on kvm:///'
tui_keys Left
tui_wait 'Create a VM on test:///default'
# A kernel, no disk, the default network.
tui_keys Down Down Down
tui_wait '< ISO image \(libvirt\) >'
tui_keys Left
tui_wait '< kernel \(direct boot\) >'
tui_keys Down
tui_wait '< new image >'
tui_keys Left
tui_wait '< none >'
tui_keys Down
tui_keys -l "$TMPD/bzImage"
i=0
while ! tui_screen | grep -q 'Create this VM?'; do
	tui_keys Enter; sleep 0.2; i=$((i + 1)); [ $i -gt 20 ] && { tui_screen; fail "no summary"; }
done
tui_wait 'Network +network:default'
tui_keys Enter
tui_wait 'web1 created'
tui_wait '^ web1 +test +libvirt shut off +1 +512M'

# Lifecycle on the selected (new) VM.
tui_keys s
tui_wait '^ web1 +test +libvirt running'
tui_keys p
tui_wait '^ web1 +test +libvirt paused'
tui_keys p
tui_wait '^ web1 +test +libvirt running'
tui_keys S
tui_wait '^ web1 +test +libvirt shut off'

# Edit: the name stays, the rest can change; the list shows the new size.
tui_keys e
tui_wait 'Edit web1 on test:///default'
tui_keys C-u
tui_keys -l 2
tui_keys Down C-u
tui_keys -l 1G
i=0
while ! tui_screen | grep -q 'Apply these changes?'; do
	tui_keys Enter; sleep 0.2; i=$((i + 1)); [ $i -gt 20 ] && { tui_screen; fail "no summary"; }
done
tui_keys Enter
tui_wait 'web1 changed'
tui_wait '^ web1 +test +libvirt shut off +2 +1.0G'

# The details of the driver's own domain, then delete ours.
tui_keys g Enter
tui_wait 'test +1 Info'
tui_wait 'Managed +no: created outside vmtui'
tui_keys Escape
tui_keys g Down x
tui_wait 'Delete web1\?'
tui_keys y
tui_wait_gone '^ web1 '
tui_keys q
tui_wait 'vmtui exited 0'

# Seventeen connections, more than the form once had room for: its
# connection choice offers every one (the 17th crashed it).
tmx kill-server
conns=
for i in $(seq 1 17); do conns="$conns -c test:///default?n=$i"; done
tui_start 132x43 -- $conns
tui_wait 'VMs 17 running'
tui_keys Home c
tui_wait 'Create a VM on test:///default\?n=1 *$'
tui_keys Down Left
tui_wait 'Create a VM on test:///default\?n=17 *$'
tui_keys Escape q
tui_wait 'vmtui exited 0'
