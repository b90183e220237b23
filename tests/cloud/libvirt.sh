#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# libvirt.sh: a cloud image made into a VM on a real libvirtd (emulated: this host's KVM runs no stock kernel), downloaded over HTTP, logged in to with vmtui ssh; the seed dropped after the first boot.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/fixtures/libvirtd.sh"
. "$top_srcdir/tests/cli/imgserver.sh"
. "$top_srcdir/tests/cloud/lib.sh"

for b in ssh ssh-keygen qemu-img mmdebstrap dnsmasq ip; do
	command -v $b >/dev/null || skip "$b is not installed (scripts/setup installs it)"
done
# The image: a Debian 12 cloud image built from Debian's archive, once per tree.
IMGDIR=$(cloud_test_image)
[ -f "$IMGDIR/debian-12-generic-amd64.qcow2" ] ||
	skip "the test image could not be built: $(tail -n 3 "$TMPD/mkimage.log" | tr '\n' ' ')"
libvirtd_start || skip "$LIBVIRTD_WHY"
U=$LIBVIRTD_URI

# The guest's network: a host bridge with DHCP (dnsmasq), as on a server;
# vmtui ssh finds the guest's address in the host's ARP table.
BR=vtbr$$
NET=192.168.$(( $$ % 200 + 20 ))
ip link add "$BR" type bridge || skip "cannot make a bridge here"
at_exit "ip link del '$BR' 2>/dev/null"
ip addr add "$NET.1/24" dev "$BR" && ip link set "$BR" up || fail "cannot set up $BR"
dnsmasq --conf-file=/dev/null --port=0 --bind-interfaces --interface="$BR" \
	--except-interface=lo --dhcp-range="$NET.10,$NET.99,1h" --dhcp-authoritative \
	--dhcp-leasefile="$TMPD/leases" --pid-file="$TMPD/dnsmasq.pid" ||
	fail "dnsmasq did not start"
at_exit "kill \$(cat '$TMPD/dnsmasq.pid') 2>/dev/null"

cp "$IMGDIR/debian-12-generic-amd64.qcow2" "$IMGDIR/SHA512SUMS" "$SRV/img/"
img_server_start
# The catalogue's debian-12, served from here; the user is Debian's.
{
	img_entry debian-12 debian-12-generic-amd64.qcow2 qcow2 sha512 SHA512SUMS |
		sed 's/^user = tester$/user = debian/'
} >"$TMPD/images.conf"
export VMTUI_IMAGES_CONF="$TMPD/images.conf"
ssh-keygen -q -t ed25519 -N '' -C vmtui-test -f "$HOME/.ssh/id_ed25519" 2>/dev/null ||
	{ mkdir -p "$HOME/.ssh" && ssh-keygen -q -t ed25519 -N '' -C vmtui-test -f "$HOME/.ssh/id_ed25519"; } ||
	fail "ssh-keygen failed"

vm=vt-$$-web
# Download, verify, upload the base into the pool, the overlay, the seed.
expect 0 "$VMTUI" -c "$U" create $vm --image debian-12 --virt-type qemu --vcpus 2 \
	--memory 1G --disk size=4 --net "bridge:$BR"
out_has "^created $vm on "
out_has "made from debian-12; cloud-init seed "
out_has "log in: vmtui ssh $vm \\(as debian, key $HOME/.ssh/id_ed25519.pub\\)"
[ -f "$CACHE/debian-12.qcow2" ] || fail "the image is not in the cache"
virsh -q -c "$U" vol-list default | grep -q 'vmtui-base-.*debian-12' ||
	fail "no base volume in the pool: $(virsh -q -c "$U" vol-list default)"
virsh -q -c "$U" dumpxml $vm >"$TMPD/dom.xml"
grep -q "<domain type='qemu'" "$TMPD/dom.xml" || fail "the domain is not of type qemu"
disk=$(sed -n "s/^  disk 1: //p" "$TMPD/out")
seed=$(sed -n "s/^  disk 2: //p" "$TMPD/out")
"$PYTHON3" - "$TMPD/dom.xml" "$seed" <<'EOF' || fail "the seed is not a read-only disk"
import sys, xml.etree.ElementTree as ET
d = [x for x in ET.parse(sys.argv[1]).iter('disk') if x.find('source').get('file') == sys.argv[2]]
assert d and d[0].find('readonly') is not None
EOF
qemu-img info -U "$disk" | grep -q "backing file: .*vmtui-base-" ||
	fail "disk 1 is not an overlay on the base: $(qemu-img info -U "$disk")"
[ "$(qemu-img info -U --output=json "$disk" | "$PYTHON3" -c 'import json,sys; print(json.load(sys.stdin)["virtual-size"])')" = 4294967296 ] ||
	fail "disk 1 is not 4 GiB"

expect 0 "$VMTUI" -c "$U" start $vm
at_exit "virsh -q -c '$U' destroy $vm >/dev/null 2>&1"
# Emulated, on two shared cores: the first boot with cloud-init takes minutes.
start=$(date +%s)
expect 0 "$VMTUI" -c "$U" ssh $vm --timeout 900 -- cat /etc/hostname
note "vmtui ssh answered $(( $(date +%s) - start )) s after start"
[ "$(tr -d '\r\n' <"$TMPD/out")" = "$vm" ] || fail "the guest's hostname is '$(cat "$TMPD/out")', not $vm"
expect 0 "$VMTUI" -c "$U" ssh $vm -- sudo -n true

# The second start comes without the seed.
expect 0 "$VMTUI" -c "$U" destroy $vm
expect 0 "$VMTUI" -c "$U" start $vm
virsh -q -c "$U" dumpxml $vm | grep -qF "$seed" && fail "the seed is still attached"
virsh -q -c "$U" vol-list default | grep -qF "$seed" && fail "the seed's volume is still there"
expect 0 "$VMTUI" -c "$U" destroy $vm

# A second VM from the cached image: no download, the same base volume.
before=$(wc -l <"$TMPD/http.log")
expect 0 "$VMTUI" -c "$U" create vt-$$-two --image debian-12 --virt-type qemu --memory 512 \
	--net none
[ "$(wc -l <"$TMPD/http.log")" = "$before" ] || fail "the second create downloaded again"
[ "$(virsh -q -c "$U" vol-list default | grep -c 'vmtui-base-.*\.qcow2 ')" = 1 ] ||
	fail "the base was uploaded twice"
expect 0 "$VMTUI" -c "$U" delete vt-$$-two --remove-disks
expect 0 "$VMTUI" -c "$U" delete $vm --remove-disks
virsh -q -c "$U" vol-list default | grep -q "$vm" && fail "delete --remove-disks left volumes"
exit 0
