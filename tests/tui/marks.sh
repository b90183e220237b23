#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# marks.sh: marking all VMs and whole groups, keys on a group's header, paused VMs in the title, the delete question.
. "$top_srcdir/tests/tui/lib.sh"
fake_kernel "$TMPD/bzImage"
truncate -s 1M "$TMPD/db1.img"
expect 0 "$VMTUI" create a1 --kernel "$TMPD/bzImage"
expect 0 "$VMTUI" create db1 --kernel "$TMPD/bzImage" --group db --disk "$TMPD/db1.img"
expect 0 "$VMTUI" create db2 --kernel "$TMPD/bzImage" --group db
expect 0 "$VMTUI" create web1 --kernel "$TMPD/bzImage" --group web
expect 0 "$VMTUI" create web2 --kernel "$TMPD/bzImage" --group web

tui_start 100x30 -- -c kvm:/// -c test:///default
tui_wait '^ test +test +running'
tui_wait '^ +web2 +kvm'
# Rows: a1, test, then the group db (db1, db2), then web (web1, web2).

# A paused VM is not counted as running.
tui_wait 'VMs 1 running / 6 defined'
tui_keys Home Down p
tui_wait '^ test +test +paused'
tui_wait 'VMs 0 running, 1 paused / 6 defined'
tui_keys p
tui_wait '^ test +test +running'
tui_wait 'VMs 1 running / 6 defined'

# Space on a group's header marks its VMs, and again unmarks them.
tui_keys End Up Up
tui_wait '▼ web \(2 VMs\)'
tui_keys Space
tui_wait 'marked 2 VMs of web; 2 marked in all'
tui_wait '▼ web \(2 VMs, 2 marked\)'
tui_wait '^\*  web1 '
tui_wait '^\*  web2 '
tui_keys Space
tui_wait 'unmarked 2 VMs of web; 0 marked in all'
tui_wait '^   web1 '

# C on a header says why there is no console.
tui_keys C
tui_wait 'web is a group: select one of its VMs to open its console'

# * marks every VM shown (the filter's), and again unmarks them.
tui_keys '*'
tui_wait 'marked all 6 VMs shown'
tui_wait '^\*a1 '
tui_wait '^\*test '
tui_wait '^\*  db2 '
tui_keys '*'
tui_wait 'unmarked all 6 VMs shown'
tui_wait '^ a1 '
tui_keys /
tui_wait 'Filter:'
tui_keys -l 'group:db'
tui_keys Enter
tui_wait_gone 'Filter:'
tui_wait_gone '^[* ]a1 '
tui_keys '*'
tui_wait 'marked all 2 VMs shown'
tui_keys / C-u Enter
tui_wait '^ a1 '
tui_wait '^\*  db1 '
tui_wait '▼ db \(2 VMs, 2 marked\)'
tui_keys U
tui_wait '^   db1 '

# Marks in a folded group still count: the question names its VMs.
tui_keys End Up Up
tui_wait '▼ web \(2 VMs\)'
tui_keys Space f
tui_wait '▶ web \(2 VMs, 2 marked\) folded'
tui_keys x
tui_wait 'Delete web1 and web2\?'
tui_keys n
tui_wait 'Delete: cancelled'
tui_keys U f
tui_wait '▼ web \(2 VMs\)'

# The delete question offers d only for a VM that has disks.
tui_keys Home x
tui_wait 'Delete a1\?'
tui_wait_text 'It has .*no disks to delete'
tui_wait 'y: yes +n: no'
tui_screen | grep -q 'delete disks too' && { tui_screen; fail "d is offered for a VM without disks"; }
tui_keys n
tui_wait 'Delete: cancelled'
tui_keys Down Down Down x
tui_wait 'Delete db1\?'
tui_wait_text 'Its .*disks stay .*db1.img\)'
tui_wait 'y: yes +d: delete disks too +n: no'
tui_keys n
tui_wait 'Delete: cancelled'

# With one VM marked, the question is about it (and its disks), wherever the cursor is.
tui_keys Home Down Down Down Space Home
tui_wait '^\*  db1 '
tui_keys x
tui_wait 'Delete db1\?'
tui_wait_text 'Its .*disks stay .*db1.img\)'
tui_keys n
tui_wait 'Delete: cancelled'
tui_keys U

# The help names the new keys and R among the verbs that act on all marked.
tui_keys '?'
tui_wait 'Help: keys'
tui_wait '^  \* +mark-all +mark every VM shown'
i=0
while ! tui_screen | grep -q 'Config file:'; do
	tui_keys Down; i=$((i + 1)); [ $i -gt 80 ] && { tui_screen; fail "the help never ended"; }
done
tui_wait_text "Space marks a VM \\(on a group's header: its VMs\\), \\* every VM shown; then s S R D p A x act on all +marked"
tui_keys Escape q
tui_wait 'vmtui exited 0'
