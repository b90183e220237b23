#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# verbs.sh: the UI offers a VM the verbs its backend has: snapshots on kvm:/// and libvirt, in the tab, the footer and the help.
. "$top_srcdir/tests/tui/lib.sh"
fake_kernel "$TMPD/bzImage"
expect 0 "$VMTUI" create k1 --kernel "$TMPD/bzImage"

tui_start 100x30 -- -c kvm:/// -c test:///default
tui_wait '^ test +test'
tui_wait '^ k1 +kvm'
# Read the help whole, scrolling.
help_read() {
	: >"$TMPD/help.txt"
	i=0
	while ! tui_screen | grep -q 'Config file:'; do
		tui_screen >>"$TMPD/help.txt"
		tui_keys Down; i=$((i + 1)); [ $i -gt 80 ] && { tui_screen; fail "the help never ended"; }
	done
	tui_screen >>"$TMPD/help.txt"
}

# kvm:/// has snapshots now: the tab, its footer, and one taken from the TUI.
tui_keys Home n
tui_wait '^ k1 +1 Info +2 Console +3 Stats +4 Snapshots'
tui_wait 'c: take a snapshot'
tui_wait 'No snapshots.'
tui_keys c
tui_wait 'Name of the new snapshot'
tui_keys t u i 1 Enter
tui_wait 'Description'
tui_keys o f f Enter
tui_wait_text 'snapshot tui1 of k1: done'
tui_wait '^ +tui1 '
expect 0 "$VMTUI" snapshot k1 list --json
[ "$(json_get '[s["description"] for s in j if s["name"] == "tui1"][0]')" = off ] ||
	fail "the TUI's snapshot of k1 is not there: $(cat "$TMPD/out")"
tui_keys '?'
tui_wait 'Help: keys'
help_read
grep -Eq '^  n +snapshots' "$TMPD/help.txt" || { cat "$TMPD/help.txt"; fail "the help has no snapshots for k1"; }
grep -Eq '^  Space +mark ' "$TMPD/help.txt" || { cat "$TMPD/help.txt"; fail "the help lost its other keys"; }
tui_keys Escape
tui_wait_gone 'Help: keys'
tui_keys Escape
tui_wait '^ NAME'

# The libvirt VM has snapshots: tab, footer, help.
tui_keys End n
tui_wait '^ test +1 Info +2 Console +3 Stats +4 Snapshots'
tui_wait 'c: take a snapshot'
tui_wait 'n snapshots'
tui_keys '?'
tui_wait 'Help: keys'
help_read
grep -Eq '^  n +snapshots' "$TMPD/help.txt" || { cat "$TMPD/help.txt"; fail "the help has no snapshots for test"; }
grep -q '^  no snapshots for' "$TMPD/help.txt" && { cat "$TMPD/help.txt"; fail "the help withholds snapshots from test"; }
tui_keys Escape
tui_wait_gone 'Help: keys'
tui_keys Escape q
tui_wait 'vmtui exited 0'
