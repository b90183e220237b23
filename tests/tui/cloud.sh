#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# cloud.sh: the create form makes a kvm:/// VM from a cloud image: the catalogue and the user's key offered, the download shown, then the VM.
. "$top_srcdir/tests/tui/lib.sh"
. "$top_srcdir/tests/cli/imgserver.sh"
. "$top_srcdir/tests/cloud/lib.sh"
# Hashing and converting 2 GiB on a loaded machine: a generous stop for hangs.
TUI_LIMIT=600

for b in ssh-keygen qemu-img mmdebstrap; do
	command -v $b >/dev/null || skip "$b is not installed (scripts/setup installs it)"
done
IMGDIR=$(cloud_test_image)
[ -f "$IMGDIR/debian-12-generic-amd64.qcow2" ] ||
	skip "the test image could not be built: $(tail -n 3 "$TMPD/mkimage.log" | tr '\n' ' ')"
cp "$IMGDIR/debian-12-generic-amd64.qcow2" "$IMGDIR/SHA512SUMS" "$SRV/img/"
img_server_start
img_entry debian-12 debian-12-generic-amd64.qcow2 qcow2 sha512 SHA512SUMS |
	sed 's/^user = tester$/user = debian/' >"$TMPD/images.conf"
export VMTUI_IMAGES_CONF="$TMPD/images.conf"
# Slow enough that the form shows the download going on.
img_mode slow 16777216
mkdir -p "$HOME/.ssh"
ssh-keygen -q -t ed25519 -N '' -f "$HOME/.ssh/id_ed25519" || fail "ssh-keygen failed"

tui_start 100x30 -- -c kvm:///
tui_wait 'No VMs yet: press c to create one'
tui_keys c
tui_wait 'Create a VM on kvm:///'
tui_wait '^   Memory MiB +1024'
# A cloud image first, the catalogue's, with the user's own key.
tui_wait '^   Boot +< cloud image >'
tui_wait '^     image +< debian-12  test image debian-12 >'
tui_wait "^     SSH key +$HOME/.ssh/id_ed25519.pub"
tui_keys -l web
tui_keys Down Down Down Down Down Down
tui_wait '^     size GiB'
tui_keys C-u
tui_keys -l 4x
tui_wait "disk size: '4x' is not a size"
tui_keys BSpace
i=0
while ! tui_screen | grep -q 'Create this VM?'; do
	tui_keys Enter; sleep 0.2; i=$((i + 1)); [ $i -gt 20 ] && { tui_screen; fail "no summary"; }
done
tui_wait "First downloads debian-12 from"
tui_wait "$URL/debian-12-generic-amd64.qcow2"
tui_keys Enter
tui_wait 'downloading debian-12: [0-9]+% of'
tui_wait 'web created'
tui_wait '^ web +kvm +shut off +1 +1\.0G'
tui_keys q
tui_wait 'vmtui exited 0'

expect 0 "$VMTUI" show web --json
json_check
[ "$(json_get "j['image']['source']")" = debian-12 ] || fail "web is not made from debian-12"
[ "$(json_get "j['image']['ssh_key']")" = "$HOME/.ssh/id_ed25519.pub" ] || fail "not the user's key"
[ "$(json_get "j['disks'][0]['size_bytes']")" = 4294967296 ] || fail "disk 1 is not 4 GiB"
case $(json_get "j['image']['kernel_from']") in 1:/boot/vmlinuz-*) ;; *)
	fail "no kernel taken from the image" ;; esac
exit 0
