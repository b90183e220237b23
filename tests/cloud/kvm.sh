#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# kvm.sh: create --image on kvm:///: the raw base made once, the overlay, the image's own kernel and initrd taken from its /boot, the seed, the SSH forward; and the bad input create --image refuses.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/cli/imgserver.sh"
. "$top_srcdir/tests/cloud/lib.sh"

for b in ssh-keygen qemu-img mmdebstrap debugfs blkid; do
	command -v $b >/dev/null || skip "$b is not installed (scripts/setup installs it)"
done
IMGDIR=$(cloud_test_image)
IMG=$IMGDIR/debian-12-generic-amd64.qcow2
[ -f "$IMG" ] || skip "the test image could not be built: $(tail -n 3 "$TMPD/mkimage.log" | tr '\n' ' ')"
mkdir -p "$HOME/.ssh"
ssh-keygen -q -t ed25519 -N '' -C vmtui-test -f "$HOME/.ssh/id_ed25519" || fail "ssh-keygen failed"
cp "$IMG" "$IMGDIR/SHA512SUMS" "$SRV/img/"
img_server_start
img_entry debian-12 debian-12-generic-amd64.qcow2 qcow2 sha512 SHA512SUMS |
	sed 's/^user = tester$/user = debian/' >"$TMPD/images.conf"
export VMTUI_IMAGES_CONF="$TMPD/images.conf"

# What the image's /boot holds, read with e2fsprogs from a raw copy of its root partition.
qemu-img convert -O raw "$IMG" "$TMPD/img.raw" || fail "qemu-img convert failed"
start=$(sfdisk -J "$TMPD/img.raw" | "$PYTHON3" -c '
import json, sys
t = json.load(sys.stdin)["partitiontable"]
print([p["start"] for p in t["partitions"] if p["node"].endswith("1")][0])')
[ -n "$start" ] || fail "no partition 1 in the test image: $(sfdisk -d "$TMPD/img.raw")"
dd if="$TMPD/img.raw" of="$TMPD/root.ext4" bs=512 skip="$start" status=none
uuid=$(blkid -o value -s UUID "$TMPD/root.ext4")
kver=$(debugfs -R 'ls -p /boot' "$TMPD/root.ext4" 2>/dev/null | tr '/' '\n' | sed -n 's/^vmlinuz-//p' | sort -V | tail -n 1)
[ -n "$kver" ] || fail "no kernel in the test image's /boot"
debugfs -R "dump /boot/vmlinuz-$kver $TMPD/vmlinuz" "$TMPD/root.ext4" 2>/dev/null
debugfs -R "dump /boot/initrd.img-$kver $TMPD/initrd" "$TMPD/root.ext4" 2>/dev/null
rm -f "$TMPD/img.raw" "$TMPD/root.ext4"

# --- the VM ---------------------------------------------------------------
expect 0 "$VMTUI" create web --image debian-12 --vcpus 2 --memory 1G --disk size=4 \
	--cmdline 'quiet'
out_has "^created web on kvm:///"
out_has "boots the image's kernel 1:/boot/vmlinuz-$kver"
out_has "SSH: host 127.0.0.1 port [0-9]+ forwards to the guest's port 22"
out_has "log in: vmtui ssh web \\(as debian, key $HOME/.ssh/id_ed25519.pub\\)"
expect 0 "$VMTUI" show web --json
json_check
kernel=$(json_get "j['kernel']")
initrd=$(json_get "j['initrd']")
cmp -s "$kernel" "$TMPD/vmlinuz" || fail "the VM's kernel $kernel is not the image's vmlinuz-$kver"
cmp -s "$initrd" "$TMPD/initrd" || fail "the VM's initrd $initrd is not the image's"
[ "$(json_get "j['cmdline']")" = "root=UUID=$uuid ro console=ttyS0 quiet" ] ||
	fail "cmdline is '$(json_get "j['cmdline']")'"
[ "$(json_get "j['image']['login']")" = debian ] || fail "the login is not debian"
[ "$(json_get "j['image']['booted']")" = False ] || fail "a new VM has not booted"
disk=$(json_get "j['disks'][0]['path']")
seed=$(json_get "j['disks'][1]['path']")
base=$(json_get "j['image']['base']")
[ "$(json_get "j['disks'][1]['readonly']")" = True ] || fail "the seed is writable"
[ "$base" = "$CACHE/debian-12.qcow2.raw" ] || fail "the base is $base"
qemu-img info "$disk" | grep -q "^backing file: $base\$" || fail "disk 1 does not read through $base"
qemu-img info "$disk" | grep -q "virtual size: 4 GiB" || fail "disk 1 is not 4 GiB"
[ "$(qemu-img info --output=json "$base" | "$PYTHON3" -c 'import json,sys; print(json.load(sys.stdin)["format"])')" = raw ] ||
	fail "the base is not raw"
[ "$(blkid -o value -s LABEL "$seed")" = cidata ] || fail "the seed is not labelled cidata"
[ -z "$(ls "$CACHE" | grep seed-)" ] || fail "the seed's first copy stayed in the cache"
# The seed's files: instance-id and hostname, the key.
"$PYTHON3" - "$seed" "$(json_get "j['uuid']")" "$HOME/.ssh/id_ed25519.pub" <<'EOF' || fail "the seed is wrong"
import sys
iso = open(sys.argv[1], 'rb').read()
key = open(sys.argv[3]).read().split()[1].encode()
assert sys.argv[2].encode() in iso, 'no instance-id'
assert b'web' in iso and key in iso, 'no hostname or key'
EOF

# A second VM from the cached image converts nothing and downloads nothing; its forward is another port.
before=$(wc -l <"$TMPD/http.log")
stamp=$(stat -c %Y "$base")
expect 0 "$VMTUI" create web2 --image debian-12 --memory 512
[ "$(wc -l <"$TMPD/http.log")" = "$before" ] || fail "the second create downloaded again"
[ "$(stat -c %Y "$base")" = "$stamp" ] || fail "the base was converted again"
port_of() {
	"$VMTUI" show "$1" --json |
		"$PYTHON3" -c 'import json,sys; print(json.load(sys.stdin)["nics"][0]["forwards"][0]["host_port"])'
}
p1=$(port_of web)
p2=$(port_of web2)
[ "$p1" != "$p2" ] || fail "both VMs forward the same host port: $p1"
# A clone gets an SSH forward of its own, for vmtui ssh to reach it beside the original.
expect 0 "$VMTUI" clone web web-c
p3=$(port_of web-c)
[ -n "$p3" ] && [ "$p3" != "$p1" ] && [ "$p3" != "$p2" ] || fail "the clone forwards port '$p3' (web $p1, web2 $p2)"
[ "$(port_of web)" = "$p1" ] || fail "the clone changed the original's forward"
expect 0 "$VMTUI" delete web-c --remove-disks

# The user's own user-data goes in as it is; the key still goes in through the meta-data.
printf '#cloud-config\nruncmd:\n  - echo vmtui-user-data-marker\n' >"$TMPD/user-data"
expect 0 "$VMTUI" create ud --image "$IMG" --user-data "$TMPD/user-data" --net none
out_has "log in: vmtui ssh ud --user USER \\(the image's user is not known"
expect 0 "$VMTUI" create ud2 --image "$IMG" --login debian --net none
out_has "log in: vmtui ssh ud2 \\(as debian, "
expect 0 "$VMTUI" show ud2 --json
[ "$(json_get "j['image']['login']")" = debian ] || fail "--login is not recorded"
[ "$(json_get "j['image']['source']")" = "$IMG" ] || fail "a FILE's source is not its path"
expect 0 "$VMTUI" delete ud2 --remove-disks
expect 0 "$VMTUI" show ud --json
useed=$(json_get "j['disks'][1]['path']")
grep -q vmtui-user-data-marker "$useed" || fail "the seed lacks the user's user-data"
grep -q "$(cut -d' ' -f2 "$HOME/.ssh/id_ed25519.pub")" "$useed" || fail "the seed lacks the key"
expect 0 "$VMTUI" delete ud --remove-disks

# Delete with its disks: the overlay, the seed and the kernel go, the base stays.
expect 0 "$VMTUI" delete web --remove-disks
for f in "$disk" "$seed" "$kernel" "$initrd"; do
	[ -e "$f" ] && fail "delete --remove-disks left $f"
done
[ -f "$base" ] || fail "deleting a VM removed the base other VMs read through"

# --- bad input: one line, nothing made -------------------------------------
digest=$(defs_digest)
IMAGES=$(dirname "$VMTUI_DB")/images
files=$(ls "$IMAGES" | sort)
expect_err 2 "no-such-image" "$VMTUI" create bad --image no-such-image
echo 'not a key' >"$TMPD/bad.pub"
expect_err 2 "ssh key: .*bad.pub" "$VMTUI" create bad --image debian-12 --ssh-key "$TMPD/bad.pub"
expect_err 2 "is a private key: give its .pub file" "$VMTUI" create bad --image debian-12 \
	--ssh-key "$HOME/.ssh/id_ed25519"
expect_err 2 "disk size: 1.0 GiB is smaller than the image" "$VMTUI" create bad \
	--image debian-12 --disk size=1
expect_err 1 "name: a VM named web2 already exists" "$VMTUI" create web2 --image debian-12
expect_err 2 "--image boots the image's own kernel" "$VMTUI" create bad --image debian-12 \
	--kernel "$kernel"
expect_err 2 "--ssh-key is for create --image" "$VMTUI" create bad --kernel "$kernel" \
	--ssh-key "$HOME/.ssh/id_ed25519.pub"
expect_err 2 "login: '-oX' is not a user name" "$VMTUI" create bad --image debian-12 --login -oX
expect_err 2 "--login is for create --image" "$VMTUI" create bad --kernel "$kernel" --login u
expect_err 2 "virt-type: kvm:/// VMs run on /dev/kvm" "$VMTUI" create bad --image debian-12 \
	--virt-type qemu
expect_err 1 "^vmtui: .*the image tools cannot be loaded: $TMPD/nosuch.so: " \
	env VMTUI_IMAGE_MODULE="$TMPD/nosuch.so" "$VMTUI" create bad --image debian-12
rm "$HOME/.ssh/id_ed25519.pub"
expect_err 2 "ssh key: none given and none in ~/.ssh" "$VMTUI" create bad --image debian-12
[ "$(defs_digest)" = "$digest" ] || fail "a refused create changed a definition"
[ "$(ls "$IMAGES" | sort)" = "$files" ] || fail "a refused create left files"

# The first start boots with the seed; the next goes without it, and the seed file goes.
# (This host's /dev/kvm runs no stock kernel to userspace: the runner runs, the guest stalls early.)
if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
	expect 0 "$VMTUI" show web2 --json
	seed2=$(json_get "j['disks'][1]['path']")
	expect 0 "$VMTUI" start web2
	at_exit '"$VMTUI" destroy web2 >/dev/null 2>&1'
	# A snapshot holds the machine with its seed: while one exists the seed stays, so that
	# a revert (to a running machine, or to before the first boot) finds it.
	expect 0 "$VMTUI" snapshot web2 create first
	expect 0 "$VMTUI" destroy web2
	expect 0 "$VMTUI" show web2 --json
	[ "$(json_get "j['image']['booted']")" = True ] || fail "web2 has not booted once"
	expect 0 "$VMTUI" start web2
	expect 0 "$VMTUI" show web2 --json
	[ "$(json_get "len(j['disks'])")" = 2 ] || fail "the seed went while a snapshot holds it"
	expect 0 "$VMTUI" snapshot web2 revert first
	[ "$("$VMTUI" list --all | awk '$1 == "web2" {print $2}')" = running ] ||
		fail "the revert to the running snapshot did not bring web2 back running"
	expect 0 "$VMTUI" destroy web2
	expect 0 "$VMTUI" snapshot web2 delete first
	expect 0 "$VMTUI" start web2
	expect 0 "$VMTUI" show web2 --json
	[ "$(json_get "len(j['disks'])")" = 1 ] || fail "the seed is still attached after the first boot"
	[ "$(json_get "j['image'].get('seed')")" = None ] || fail "the seed is still recorded"
	[ -e "$seed2" ] && fail "the seed file $seed2 stayed"
	expect 0 "$VMTUI" destroy web2
else
	note "cannot open /dev/kvm: the seed's drop after the first boot is not checked"
fi

# The cached image stays while a VM reads through it.
expect_err 1 "debian-12: the disks of web2 read through it: delete it first" \
	"$VMTUI" image rm debian-12
[ -f "$base" ] || fail "image rm removed a base a VM reads through"
expect 0 "$VMTUI" delete web2 --remove-disks
expect 0 "$VMTUI" image rm debian-12
[ -e "$base" ] && fail "image rm left the raw base"
exit 0
