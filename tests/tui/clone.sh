#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# clone.sh: the clone key and its dialog: the default name, checks as it is typed, full and linked clones, cancel.
. "$top_srcdir/tests/tui/lib.sh"
command -v qemu-img >/dev/null || skip "no qemu-img to look at the overlay"

fake_kernel "$TMPD/bzImage"
head -c $((1 << 20)) /dev/urandom >"$TMPD/src.img"
expect 0 "$VMTUI" create src --kernel "$TMPD/bzImage" --disk "$TMPD/src.img" --net user

tui_start 80x24 -- -c kvm:///
tui_wait '^ src +kvm +shut off'

# o opens the dialog with NAME-clone; Enter makes a full copy, selected in the list.
tui_keys o
tui_wait 'Clone src on kvm:///'
tui_wait 'New name +src-clone'
tui_wait 'Disks +< full copy >'
tui_wait 'Start it +< no >'
tui_keys Enter
tui_wait 'cloned src to src-clone'
tui_wait '^ src-clone +kvm +shut off'
expect 0 "$VMTUI" show src-clone --json
cmp "$TMPD/src.img" "$(json_get 'j["disks"][0]["path"]')" || fail "the clone's disk is not a copy"
[ "$(json_get 'j["events"][0]["action"]')" = "clone of src" ] || fail "no clone event"

# The name is checked as it is typed, with the model's words; Enter then refuses.
tui_keys g
tui_wait '^ src +kvm'
tui_keys F5
tui_wait 'Clone src on kvm:///'
tui_wait 'name: a VM named src-clone already exists on kvm:///'
tui_keys C-u
tui_keys -l 'bad name'
tui_wait "name: ' ' is not allowed"
tui_keys Enter
tui_wait 'Clone src on kvm:///'
tui_keys Escape
tui_wait 'Clone: cancelled'
tui_wait_gone 'Clone src on'

# A linked clone: the second field's choice.
tui_keys g o
tui_wait 'Clone src on kvm:///'
tui_keys C-u
tui_keys -l lin1
tui_wait_gone 'already exists'
tui_keys Down Right
tui_wait 'Disks +< linked: qcow2 overlays'
tui_keys Enter
tui_wait 'cloned src to lin1'
tui_wait '^ lin1 +kvm +shut off'
expect 0 "$VMTUI" show lin1 --json
[ "$(json_get 'j["disks"][0]["reads_through"]')" = "$TMPD/src.img" ] || fail "lin1 is not linked to src"
qemu-img info "$(json_get 'j["disks"][0]["path"]')" | grep -q "^backing file: $(realpath "$TMPD/src.img")$" ||
	fail "lin1's disk has no backing file"

# The original of a linked clone is refused in the TUI as on the command line.
tui_keys g Down s
tui_wait 'VM src is the original of the linked clone lin1'

# Help names the key.
tui_keys '?'
tui_wait 'Help: keys'
# (scrolled to, as the list of keys is longer than the screen)
i=0
until tui_screen | grep -Eq 'o F5 +clone +clone the VM, full or linked, or a snapshot'; do
	i=$((i + 1)); [ $i -gt 60 ] && { tui_screen; fail "the help does not name the clone key"; }
	tui_keys Down
	sleep 0.05
done
tui_keys q
tui_wait_gone 'Help: keys'
tui_keys q
tui_wait 'vmtui exited 0'
expect 0 "$VMTUI" list --all --json
[ "$(json_get 'sorted(v["name"] for v in j)')" = "['lin1', 'src', 'src-clone']" ] || fail "other VMs than the clones"
