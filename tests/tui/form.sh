#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# form.sh: the create form marks exactly the fields that are wrong, and clears a mark once its field is fixed.
. "$top_srcdir/tests/tui/lib.sh"
fake_kernel "$TMPD/bzImage"
: >"$TMPD/d.iso"
expect 0 "$VMTUI" create dup1 --kernel "$TMPD/bzImage"

# form_mark LABEL: the field's row carries the '!' of a field in error.
form_mark() { tui_screen | grep -Eq "^ ! +$1( |\$)"; }
# form_clean LABEL: the field's row is shown, without a mark.
form_clean() { tui_screen | grep -Eq "^   +$1( |\$)"; }
must_mark() { tui_wait "^ ! +$1( |\$)"; }
must_be_clean() {
	tui_wait "^   +$1( |\$)"
	form_mark "$1" && { tui_screen; fail "$1 is marked"; }
	return 0
}

tui_start 80x24 VMTUI_PROBE_KERNEL="$TMPD/bzImage" -- -c kvm:///
tui_wait '^ dup1 '
tui_keys c
tui_wait 'Create a VM on kvm:///'

# Enter on the empty name marks the name, not the field the focus moves to.
tui_keys Enter
must_mark Name
must_be_clean vCPUs
tui_keys Up
tui_wait 'name: must not be empty'
tui_keys -l ok1
must_be_clean Name
must_be_clean vCPUs
tui_keys Down
must_be_clean vCPUs
tui_screen | grep -q 'name: must not be empty' && { tui_screen; fail "vCPUs shows the name's error"; }

# A name that exists: Enter on the last field goes back to the name and
# marks it; the empty Notes field stays clean.
tui_keys Up C-u
tui_keys -l dup1
tui_wait 'name: a VM named dup1 already exists'
for k in 1 2 3 4 5 6 7 8 9 10 11 12; do tui_keys Down; done
tui_keys Enter
tui_wait 'name: a VM named dup1 already exists'
must_mark Name
must_be_clean Notes
must_be_clean Network
# Fixing the name clears its mark; the form then reaches its summary.
tui_keys C-u
tui_keys -l new1
must_be_clean Name
i=0
while ! tui_screen | grep -q 'Create this VM?'; do
	tui_keys Enter; sleep 0.2; i=$((i + 1)); [ $i -gt 20 ] && { tui_screen; fail "no summary"; }
done
tui_keys Escape
tui_wait_gone 'Create this VM?'
tui_keys Escape
tui_wait_gone 'Create a VM'
tui_keys q
tui_wait 'vmtui exited 0'

# On libvirt the boot choice leads to the ISO: its error is the ISO's,
# and fixing the ISO leaves no mark on Boot.
tmx kill-server
tui_start 80x24 -- -c test:///default
tui_wait '^ test +test'
tui_keys c
tui_wait 'Create a VM on test:///default'
tui_keys -l web9
# Name, vCPUs, Memory, Boot, Disk, its size and path, then the ISO.
tui_keys Down Down Down Down Down Down
tui_wait '< ISO image \(libvirt\) >'
tui_keys Down
tui_wait 'cdrom: give the path of an ISO image'
must_mark ISO
must_be_clean Boot
tui_keys -l "$TMPD/d.iso"
must_be_clean ISO
must_be_clean Boot
tui_keys Up
must_be_clean Boot
tui_keys Down C-u
must_mark ISO
tui_keys -l "$TMPD/d.iso"
must_be_clean ISO
tui_keys Escape q
tui_wait 'vmtui exited 0'
