#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# console-late.sh: a console that opens late (libvirtd stopped) takes the keys only if the user still waits for it.
. "$top_srcdir/tests/tui/lib.sh"
. "$top_srcdir/tests/fixtures/libvirtd.sh"
need_probe
libvirtd_start || skip "$LIBVIRTD_WHY"
vm=vt-$$-late

cp "$PROBE" "$LIBVIRTD_DIR/pool/probe.bzImage"
expect 0 "$VMTUI" -c "$LIBVIRTD_URI" create $vm --memory 64 --disk size=1 \
	--kernel "$LIBVIRTD_DIR/pool/probe.bzImage" --cmdline 'console=ttyS0 probe.echo'
expect 0 "$VMTUI" -c "$LIBVIRTD_URI" start $vm
at_exit '"$VMTUI" -c "$LIBVIRTD_URI" delete $vm --force --remove-disks >/dev/null 2>&1'
lvpid=$(cat "$LIBVIRTD_DIR/libvirtd.pid")
# Runs before libvirtd_stop (at_exit runs the newest first): a stopped daemon cannot stop.
at_exit 'kill -CONT $lvpid 2>/dev/null'

tui_start 100x30 -- -c "$LIBVIRTD_URI"
tui_wait "^ $vm +system +running"

# The user asks for the console, leaves (Ctrl-]) and closes (Esc) before
# it is open; then the daemon answers.
kill -STOP "$lvpid"
tui_keys C
tui_wait "opening the console of $vm"
tui_keys C-]
tui_keys Escape
kill -CONT "$lvpid"
# The connection's worker takes its jobs in order: once the details
# (asked after the console) are shown, the console's answer has come.
tui_keys Enter
tui_wait "^ State +running"
tui_keys Escape
tui_wait "^ $vm +system +running"
tui_keys /
tui_wait 'Filter:'
tui_keys Escape
tui_wait_gone 'Filter:'
tui_screen | grep -q "Console of $vm" && { tui_screen; fail "the console opened after it was given up"; }

# Another key while it is on its way: it opens, but the keys stay with vmtui.
kill -STOP "$lvpid"
tui_keys C
tui_wait "opening the console of $vm"
tui_keys j
kill -CONT "$lvpid"
tui_wait "Console of $vm \\(C: type into it"
tui_keys /
tui_wait 'Filter:'
tui_keys Escape
tui_wait_gone 'Filter:'
# C gives it the keys; Esc (after Ctrl-]) closes it.
tui_keys C
tui_wait "Console of $vm \\(keys go to the guest"
tui_keys C-]
tui_wait 'back in vmtui'
tui_keys Escape
tui_wait_gone "Console of $vm"

# Waited for, a late console has the keys as a prompt one does.
kill -STOP "$lvpid"
tui_keys C
tui_wait "opening the console of $vm"
kill -CONT "$lvpid"
tui_wait "Console of $vm \\(keys go to the guest"
tui_wait 'probe: ready'
tui_keys -l 'late but typed'
tui_keys Enter
tui_wait '^late but typed'
tui_keys C-]
tui_wait 'back in vmtui'
tui_keys Escape q
tui_wait 'vmtui exited 0'
