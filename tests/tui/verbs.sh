#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# verbs.sh: the UI offers a VM only the verbs its backend has: no snapshots on kvm:///, and says why.
. "$top_srcdir/tests/tui/lib.sh"
fake_kernel "$TMPD/bzImage"
expect 0 "$VMTUI" create k1 --kernel "$TMPD/bzImage"

tui_start 100x30 -- -c kvm:/// -c test:///default
tui_wait '^ test +test'
tui_wait '^ k1 +kvm'
why='no snapshots for k1: the kvm backend \(kvm:///\) does not support them'

# n on the kvm:/// VM says why instead of asking for a name.
tui_keys Home n
tui_wait_text "$why"
tui_screen | grep -q '1 Info' && { tui_screen; fail "n opened the details of k1"; }

# Its details have no Snapshots tab: not in the tabs, not on 4, not by Tab, not in the footer.
tui_keys Enter
tui_wait '^ k1 +1 Info +2 Console +3 Stats *$'
tui_wait '^ UUID '
tui_screen | tail -1 | grep -q snapshots && { tui_screen; fail "the footer offers snapshots for k1"; }
tui_keys 3
tui_wait 'every 1.0 s'
tui_keys Tab
tui_wait '^ UUID '
# (another message first, so that the status line's answer is new)
tui_keys +
tui_wait 'refreshing every 0.5 s'
tui_keys 4
tui_wait_text "$why"
tui_keys n
tui_wait '^ UUID '
tui_screen | grep -q 'take a snapshot' && { tui_screen; fail "k1 shows a snapshot tab"; }

# The help leaves the verb out for k1, and says why (read it all, scrolling).
help_read() {
	: >"$TMPD/help.txt"
	i=0
	while ! tui_screen | grep -q 'Config file:'; do
		tui_screen >>"$TMPD/help.txt"
		tui_keys Down; i=$((i + 1)); [ $i -gt 80 ] && { tui_screen; fail "the help never ended"; }
	done
	tui_screen >>"$TMPD/help.txt"
}
tui_keys '?'
tui_wait 'Help: keys'
help_read
grep -Eq '^  n +snapshots' "$TMPD/help.txt" && { cat "$TMPD/help.txt"; fail "the help offers snapshots for k1"; }
grep -Eq '^  Space +mark ' "$TMPD/help.txt" || { cat "$TMPD/help.txt"; fail "the help lost its other keys"; }
grep -Eq "^  $why" "$TMPD/help.txt" || { cat "$TMPD/help.txt"; fail "the help does not say why"; }
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
