#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# messages.sh: messages wider than the screen wrap in the status line, the form and dialogs; a tall question scrolls.
. "$top_srcdir/tests/tui/lib.sh"
fake_kernel "$TMPD/bzImage"

# Ten disks with long paths: the delete question names them all.
dir="$TMPD/images-of-a-test-with-a-directory-name-long-enough-to-wrap"
mkdir -p "$dir"
disks=
for i in 0 1 2 3 4 5 6 7 8 9; do
	truncate -s 1M "$dir/disk-number-$i.img"
	disks="$disks --disk $dir/disk-number-$i.img"
done
expect 0 "$VMTUI" create big1 --kernel "$TMPD/bzImage" $disks

# Six bad lines in the config file: the status line names every one.
mkdir -p "$XDG_CONFIG_HOME/vmtui"
for e in nosuch-one nosuch-two nosuch-three nosuch-four nosuch-five the-last-bad-element; do
	echo "color.$e = red"
done >"$XDG_CONFIG_HOME/vmtui/config"

tui_start 80x24 -- -c kvm:///
tui_wait_text "line 1: no element 'nosuch-one' to colour"
tui_wait_text "line 6: no element 'the-last-bad-element' to colour"
# The list is still there, above the longer status line.
tui_wait '^ big1 +kvm +shut off'

# A form's error as long as a path wraps too.
tui_keys c
tui_wait 'Create a VM on kvm:///'
tui_keys Down Down Down Down
tui_wait '^ +kernel '
tui_keys C-u
tui_keys -l "$dir/and-a-kernel-file-name-that-is-not-there-at-all.bzImage"
tui_wait_text 'kernel: .*images-of-a-test.*that-is-not-there-at-all.bzImage: No +such +file +or +directory'
tui_keys Escape
tui_wait_gone 'Create a VM'

# The delete question is taller than the screen: it scrolls to its end.
tui_keys Home x
tui_wait 'Delete big1\?'
tui_wait 'Down: more'
i=0
while ! tui_screen | sed 's/ *$//' | tr '\n' ' ' | grep -Eq 'delete them +too'; do
	tui_keys Down; i=$((i + 1)); [ $i -gt 40 ] && { tui_screen; fail "the question never showed its end"; }
done
tui_wait 'disk-number-9.img'
tui_wait 'Up: more'
tui_keys n
tui_wait 'Delete: cancelled'
tui_keys q
tui_wait 'vmtui exited 0'
