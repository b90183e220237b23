#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# edit-running.sh: the edit form of a running VM says by each field whether it changes now or at the next boot, and the status line says what the edit did.
. "$top_srcdir/tests/tui/lib.sh"
need_probe

expect 0 "$VMTUI" create live --kernel "$PROBE" --cmdline probe.echo --memory 32
expect 0 "$VMTUI" start live
at_exit "'$VMTUI' destroy live >/dev/null 2>&1"

tui_start 100x32 -- -c kvm:///
tui_wait '^ live +kvm +running'
tui_keys e
tui_wait 'Edit live on kvm:///'
# kvm:/// attaches nothing to a running VM: only group and notes change now.
tui_wait 'vCPUs .* next boot *$'
tui_wait 'Memory MiB .* next boot *$'
tui_wait 'Disk .* next boot *$'
tui_wait 'Network .* next boot *$'
tui_wait 'Notes .* now *$'
tui_keys Down
tui_keys BSpace BSpace
tui_keys -l 48
# Enter walks the fields to the summary, which tags each row the same way.
i=0
until tui_screen | grep -q 'Apply these changes?'; do
	i=$((i + 1)); [ $i -gt 20 ] && fail "Enter never reached the summary"
	tui_keys Enter; sleep 0.2
done
tui_wait 'Memory MiB +48 .* next boot *$'
tui_wait "The VM is running: fields marked 'next boot' change when it next starts"
tui_keys Enter
tui_wait 'live changed; at its next boot: memory'
expect 0 "$VMTUI" show live
out_has '^Memory: +32 MiB \(48 MiB at the next start\)$'
