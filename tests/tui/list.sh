#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# list.sh: the main list at 80x24 and 132x43: groups, moving, sorting, filtering, help, resizing, quitting.
. "$top_srcdir/tests/tui/lib.sh"

fake_kernel "$TMPD/bzImage"
for vm in "web1 --group web --vcpus 2" "web2 --group web" "db1 --memory 1G" "cache --memory 256"; do
	expect 0 "$VMTUI" create $vm --kernel "$TMPD/bzImage"
done

tui_start 80x24 -- -c kvm:/// -c test:///default
tui_wait '^ test +test +running'
tui_expect list-80x24

# Sort by state through the menu (running first), then invert.
tui_keys '>'
tui_wait 'Sort by'
tui_keys Down Down Down Enter
tui_wait 'STATE▲'
tui_expect list-sorted-state
tui_keys I
tui_wait 'STATE▼'
tui_keys I
tui_wait 'STATE▲'

# Fold the group web (from its header), then unfold it.
tui_keys '>'
tui_wait 'Sort by'
tui_keys Home Enter
tui_wait 'NAME▲'
tui_keys g Down Down Down
tui_wait '▼ web \(2 VMs\)'
tui_keys f
tui_wait '▶ web \(2 VMs\) folded'
tui_keys f
tui_wait '▼ web \(2 VMs\)'

# The filter narrows the list as it is typed; Esc brings back the old one.
tui_keys /
tui_wait 'Filter:'
tui_keys -l 'state:running'
tui_wait_gone '^ +db1 '
tui_keys Enter
tui_wait_gone 'Filter:'
tui_expect list-filtered
tui_keys / C-u
tui_keys -l 'group:web'
tui_keys Enter
tui_wait '^ +web1 '
tui_wait_gone '^ +cache '
tui_keys / C-u Enter
tui_wait '^ +cache '

# Help lists the keys as bound.
tui_keys '?'
tui_wait 'Help: keys'
tui_wait 'destroy +force off'
tui_keys Escape
tui_wait_gone 'Help: keys'

# Too small a terminal says so; growing again brings the list back.
tmx resize-window -t 0 -x 70 -y 20
tui_wait 'terminal too small: 70x20, vmtui needs 80x24'
tmx resize-window -t 0 -x 132 -y 43
tui_wait '^ +NAME'
tui_expect list-132x43

# q quits and gives the terminal back.
tui_keys q
tui_wait 'vmtui exited 0'
[ -s "$TMPD/vmtui.stderr" ] && fail "vmtui wrote to stderr: $(cat "$TMPD/vmtui.stderr")"
exit 0
