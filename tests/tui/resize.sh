#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# resize.sh: the resize key in a VM's details: it asks which disk and how big, grows it, and says why when it cannot.
. "$top_srcdir/tests/tui/lib.sh"
command -v qemu-img >/dev/null || skip "no qemu-img to look at the image"

fake_kernel "$TMPD/bzImage"
expect 0 "$VMTUI" create web --kernel "$TMPD/bzImage" --disk size=1,format=qcow2
expect 0 "$VMTUI" show web --json
img=$(json_get 'j["disks"][0]["path"]')

tui_start 100x30 -- -c kvm:///
tui_wait '^ web +kvm +shut off'
tui_keys Enter
tui_wait 'Disks +1 .*\(disk qcow2, 1.0G\)'

# W asks; "1 5G" grows disk 1, and Info shows the new size.
tui_keys W
tui_wait 'Grow which disk of web to what size\? \(1 to 1, as 1 20G\)'
tui_keys -l '1 5G'
tui_keys Enter
tui_wait 'disk 1 of web is 5.00 GiB'
tui_wait 'Disks +1 .*\(disk qcow2, 5.0G\)'
qemu-img info --output=json "$img" >"$TMPD/out"
[ "$(json_get 'j["virtual-size"]')" = 5368709120 ] ||
	fail "the image is not 5 GiB: $(qemu-img info "$img")"

# Shrinking, a disk that is not there and words are refused with the reason.
sum=$(md5sum <"$img")
tui_keys W
tui_wait 'Grow which disk'
tui_keys -l '1 2G'
tui_keys Enter
tui_wait 'is 5.00 GiB: it can grow, not shrink to 2.00 GiB'
tui_keys W
tui_wait 'Grow which disk'
tui_keys -l '2 9G'
tui_keys Enter
tui_wait "'2 9G': give a disk's number \(1 to 1\) and a size, as 1 20G"
tui_keys W
tui_wait 'Grow which disk'
tui_keys -l '1 lots'
tui_keys Enter
tui_wait "size 'lots' is not a positive size"
[ "$(md5sum <"$img")" = "$sum" ] || fail "a refused resize changed the image"

# The help names the key.
tui_keys '?'
tui_wait "W +resize +details: grow one of the VM's disks"
