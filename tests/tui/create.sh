#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# create.sh: create a VM through the wizard on kvm:///, start it, use its console and graphs, delete it.
. "$top_srcdir/tests/tui/lib.sh"
need_probe
[ -r /dev/kvm ] && [ -w /dev/kvm ] || skip "cannot open /dev/kvm"
at_exit '"$VMTUI" destroy probe1 >/dev/null 2>&1'

tui_start 80x24 -- -c kvm:///
tui_wait 'No VMs yet: press c to create one'
tui_keys c
tui_wait 'Create a VM on kvm:///'
tui_expect create-form

# Each field is checked as it is typed, with the model's own words.
tui_keys -l 'bad name'
tui_wait "name: ' ' is not allowed"
tui_keys C-u
tui_keys -l 'probe1'
tui_wait_gone "is not allowed"
tui_keys Down
tui_keys -l 0
tui_wait 'vcpus: 10 is out of range'
tui_keys BSpace
tui_keys Down C-u
tui_keys -l 8
tui_wait 'memory: 8 MiB is out of range'
tui_keys C-u
tui_keys -l 64

# Enter walks to the end of the form, then shows a summary.
i=0
while ! tui_screen | grep -q 'Create this VM?'; do
	tui_keys Enter
	sleep 0.2
	i=$((i + 1))
	[ $i -gt 20 ] && fail "the form never reached its summary"
done
tui_expect create-summary
tui_keys Enter
tui_wait 'probe1 created'
tui_wait '^ probe1 +kvm +shut off +1 +64.0M'

# Start it, open its console: the probe's report, and its echo of our keys.
tui_keys s
tui_wait '^ probe1 +kvm +running'
tui_keys C
tui_wait 'Console of probe1'
tui_wait 'probe: ready'
tui_keys -l 'hello from vmtui'
tui_keys Enter
tui_wait '^hello from vmtui'
tui_keys C-]
tui_wait 'back in vmtui'

# z lays the console out below the list, beside it (on a wide terminal), on the whole screen.
tui_keys z
tui_wait '^ Console of probe1'
tui_wait_gone '^ probe1 '
tui_keys z
tui_wait '^ probe1 .*running'
tmx resize-window -t 0 -x 132 -y 43
tui_keys z
tui_wait '^ NAME.*│ Console of probe1'
tui_wait '^ probe1 +running .*│'
tui_wait '│hello from vmtui'
tmx resize-window -t 0 -x 80 -y 24
tui_wait '^ Console of probe1'
tui_keys Escape
tui_wait_gone 'Console of probe1'

# The graphs fill as samples arrive.
tui_keys t
tui_wait 'CPU: [0-9.]+%'
tui_wait '-[2-9]s +now'
tui_wait 'Memory: [0-9.]+[KM]'

# Destroy and delete ask first, naming what goes.
tui_keys Escape
tui_keys D
tui_wait 'Force off probe1 now\?'
tui_keys n
tui_wait 'Destroy: cancelled'
tui_keys x
tui_wait 'Delete probe1\?'
tui_keys y
tui_wait_gone '^ probe1 '
expect 0 "$VMTUI" list --all --json
[ "$(json_get 'len(j)')" = 0 ] || fail "probe1 is still defined"
tui_keys q
tui_wait 'vmtui exited 0'
