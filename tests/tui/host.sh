#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# host.sh: the TUI's host view (v): a connection's pools, volumes and networks; a volume made and deleted, a network stopped and started, what cannot be done refused with the reason.
. "$top_srcdir/tests/tui/lib.sh"

tui_start 110x52 -- -c test:///default -c kvm:///
tui_wait '^ test +test +libvirt +running'
tui_keys ?
tui_wait 'v +host +the host of the VM.s connection: storage pools, volumes, networks'
tui_keys Escape
tui_wait_gone 'Help: keys'

tui_keys v
tui_wait '^ Host of test:///default'
tui_wait "^ $(hostname) +TEST [0-9.]+ \(libvirt [0-9.]+\)"
tui_wait '^ 16 CPUs +memory 3.0G +VMs 1 running / 1 defined +answered in [0-9]+ ms'
tui_wait '^   default-pool +running +100G +100G +/default-pool'
tui_wait '^   default +active +no +yes'

# c on the pool: a new volume there, listed at once.
tui_keys c
tui_wait 'New volume in pool default-pool: NAME SIZE'
tui_keys -l 'data.qcow2 2G'
tui_keys Enter
tui_wait 'volume data.qcow2 of pool default-pool is 2.00 GiB \(new\)'
tui_wait '^   default-pool data.qcow2 +qcow2 +2.0G '

# Bad sizes are refused in one line; the test driver cannot grow, and says so.
tui_keys Down W
tui_wait 'Grow volume data.qcow2 of pool default-pool \(now 2.0G\) to what size\?'
tui_keys -l lots
tui_keys Enter
tui_wait "size 'lots' is not a positive size"
tui_keys W
tui_wait 'Grow volume data.qcow2'
tui_keys -l 4G
tui_keys Enter
tui_wait 'cannot grow volume data.qcow2 of pool default-pool'
tui_keys Enter
tui_wait 'volume data.qcow2 of pool default-pool: /default-pool/data.qcow2; used by no VM'

# x asks, y deletes.
tui_keys x
tui_wait 'Delete volume data.qcow2 of pool default-pool\? What it'
tui_keys y
tui_wait 'deleted volume data.qcow2 of pool default-pool'
tui_wait_gone 'data.qcow2 +qcow2'

# S and s on the network stop and start it.
tui_keys End S
tui_wait 'network default stopped'
tui_wait '^   default +inactive +no +yes'
tui_keys s
tui_wait 'network default started'
tui_wait '^   default +active +no +yes'

# A change that ends after its view is closed still says what it did.
tui_keys S q
tui_wait '^ test +test +libvirt +running'
tui_wait 'network default stopped'
tui_keys v
tui_wait '^   default +inactive +no +yes'
tui_keys End s
tui_wait 'network default started'

# Tab: the next connection, which has none of these.
tui_keys Tab
tui_wait '^ Host of kvm:///'
tui_wait "^ $(hostname) +vmtui-vmm [0-9.]+"
tui_wait '^ [0-9]+ CPUs, [0-9]+% busy +memory [0-9.]+[KMGT]? of [0-9.]+[KMGT] in use +VMs 0 running / 0 defined'
tui_wait 'No storage pools or networks here: kvm:/// keeps disks as image files'
tui_keys c
tui_wait 'kvm:/// has no active storage pool to make a volume in'
tui_keys Escape
tui_wait '^ test +test +libvirt +running'
