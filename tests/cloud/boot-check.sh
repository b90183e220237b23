#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# boot-check.sh: boots the tests' cloud image under QEMU TCG, through its own grub and by direct kernel boot, and checks that each reaches ssh as cloud-init's user with the seed's hostname.
#
# usage: tests/cloud/boot-check.sh [IMAGE_DIR]
# IMAGE_DIR is a folder tests/cloud/mkimage.sh printed; without it the
# script runs mkimage.sh (a cached image answers at once).  Prints TAP, one
# result per boot with the seconds it took to reach ssh.  Exits 77 when
# QEMU, ssh or xorriso is missing, or when mkimage.sh cannot build here.
# BOOT_CHECK_TIMEOUT: seconds each boot may take to reach ssh (default 600: about
# two minutes on two idle cores, but this host's cores are often shared).
# BOOT_CHECK_PATHS: which boots, of "grub kernel" (the default, both).
set -eu

PATH=$PATH:/usr/sbin:/sbin
limit=${BOOT_CHECK_TIMEOUT:-600}
paths=${BOOT_CHECK_PATHS:-grub kernel}
img=debian-12-generic-amd64.qcow2

skip() {
	echo "1..0 # SKIP $*"
	exit 77
}
note() { echo "# $*"; }

for t in qemu-system-x86_64:qemu-system-x86 qemu-img:qemu-utils ssh:openssh-client \
	ssh-keygen:openssh-client xorriso:xorriso debugfs:e2fsprogs sfdisk:fdisk python3:python3; do
	command -v "${t%%:*}" >/dev/null || skip "${t%%:*} is missing (apt-get install ${t#*:})"
done
here=$(cd "$(dirname "$0")" && pwd)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/boot-check.XXXXXX")
qemu_pid=
stop_qemu() {
	if [ -n "$qemu_pid" ]; then
		kill -KILL "$qemu_pid" 2>/dev/null || true
		wait "$qemu_pid" 2>/dev/null || true
		qemu_pid=
	fi
}
cleanup() {
	stop_qemu
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

if [ $# -ge 1 ]; then
	dir=$1
else
	rc=0
	"$here/mkimage.sh" >"$tmp/mkimage.out" || rc=$?
	dir=$(tail -n 1 "$tmp/mkimage.out")
	[ "$rc" != 77 ] || skip "mkimage.sh cannot build the image here (its reason is above)"
	[ "$rc" = 0 ] || { echo "Bail out! mkimage.sh failed ($rc)"; exit 1; }
fi
[ -f "$dir/$img" ] || { echo "Bail out! no $img in $dir"; exit 1; }
(cd "$dir" && sha512sum --quiet -c SHA512SUMS) || { echo "Bail out! $dir/SHA512SUMS does not match"; exit 1; }

# The ssh key and the NoCloud seed: an ISO 9660 volume labelled cidata.
ssh-keygen -q -t ed25519 -N '' -C boot-check -f "$tmp/key"
mkdir "$tmp/seed"
printf 'instance-id: boot-check\nlocal-hostname: web\n' >"$tmp/seed/meta-data"
cat >"$tmp/seed/user-data" <<EOF
#cloud-config
hostname: web
ssh_authorized_keys:
  - $(cat "$tmp/key.pub")
EOF
xorriso -as mkisofs -quiet -volid cidata -joliet -rational-rock \
	-output "$tmp/seed.iso" "$tmp/seed/user-data" "$tmp/seed/meta-data" 2>"$tmp/xorriso.log" ||
	{ cat "$tmp/xorriso.log"; echo "Bail out! xorriso could not write the seed"; exit 1; }

# The kernel, initramfs and root UUID, read from the image as vmtui reads them.
qemu-img convert -O raw "$dir/$img" "$tmp/disk.raw"
start=$(sfdisk --dump "$tmp/disk.raw" | sed -n "s|^$tmp/disk.raw1 : start= *\([0-9]*\),.*|\1|p")
[ -n "$start" ] || { echo "Bail out! the image has no partition 1"; exit 1; }
fs="$tmp/disk.raw?offset=$((start * 512))"
uuid=$(dumpe2fs -h "$fs" 2>/dev/null | sed -n 's/^Filesystem UUID: *//p')
kver=$(debugfs -R 'ls /boot' "$fs" 2>/dev/null | tr -s ' \t' '\n' | sed -n 's/^vmlinuz-//p' |
	sort -V | tail -n 1)
[ -n "$uuid" ] && [ -n "$kver" ] || { echo "Bail out! no root UUID or kernel in partition 1"; exit 1; }
debugfs -R "dump /boot/vmlinuz-$kver $tmp/vmlinuz" "$fs" 2>/dev/null
debugfs -R "dump /boot/initrd.img-$kver $tmp/initrd.img" "$fs" 2>/dev/null
rm -f "$tmp/disk.raw"
note "image $dir/$img: kernel $kver, root UUID $uuid"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# guest CMD...: runs CMD in the VM over ssh as debian.
guest() {
	ssh -i "$tmp/key" -p "$port" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
		-o BatchMode=yes -o ConnectTimeout=10 -o LogLevel=ERROR debian@127.0.0.1 "$@"
}

# boot NAME QEMU-ARGS...: boots a fresh overlay of the image, waits for
# ssh, checks the guest, and stops QEMU.  Sets ok to yes or no.
boot() {
	name=$1
	shift
	ok=no
	rm -f "$tmp/overlay.qcow2"
	qemu-img create -q -f qcow2 -F qcow2 -b "$dir/$img" "$tmp/overlay.qcow2" 4G
	t0=$(date +%s)
	qemu-system-x86_64 -accel tcg -M pc -m 1024 -smp 2 -display none \
		-drive file="$tmp/overlay.qcow2",if=virtio,format=qcow2 \
		-drive file="$tmp/seed.iso",if=virtio,format=raw,readonly=on \
		-netdev user,id=n,hostfwd=tcp:127.0.0.1:"$port"-:22 -device virtio-net-pci,netdev=n \
		-serial file:"$tmp/console-$name.log" "$@" >"$tmp/qemu-$name.log" 2>&1 &
	qemu_pid=$!
	while :; do
		if ! kill -0 "$qemu_pid" 2>/dev/null; then
			note "$name: QEMU exited: $(cat "$tmp/qemu-$name.log")"
			break
		fi
		if [ "$(guest cat /etc/hostname 2>/dev/null)" = web ]; then
			ok=yes
			break
		fi
		[ $(($(date +%s) - t0)) -lt "$limit" ] || { note "$name: no ssh in $limit s"; break; }
		sleep 3
	done
	took=$(($(date +%s) - t0))
	if [ "$ok" = yes ]; then
		note "$name: ssh answered after $took s"
		check_guest "$name" || ok=no
	else
		note "$name: the console's last lines:"
		tail -n 25 "$tmp/console-$name.log" | sed 's/^/#   /'
	fi
	stop_qemu
}

# check_guest NAME: what a cloud image owes its user, asked over ssh.
check_guest() {
	st=$(guest timeout 120 cloud-init status --wait 2>&1 | tail -n 1) || true
	note "$1: cloud-init $st; $(guest 'uname -r; findmnt -n -o SOURCE,SIZE /' | tr '\n' ' ')"
	if [ "$st" != "status: done" ]; then
		note "$1: cloud-init did not finish cleanly:"
		guest 'cloud-init status --long; grep -E "WARNING|ERROR|Traceback" /var/log/cloud-init.log' |
			tail -n 40 | sed 's/^/#   /'
		return 1
	fi
	[ "$(guest sudo -n id -u)" = 0 ] || { note "$1: sudo asks for a password"; return 1; }
	pw=$(guest sudo -n sshd -T | sed -n 's/^passwordauthentication //p')
	[ "$pw" = no ] || { note "$1: sshd takes passwords ($pw)"; return 1; }
}

n=0
set -- $paths
echo "1..$#"
failed=0
for p in "$@"; do
	n=$((n + 1))
	case $p in
	grub) boot grub ;;
	kernel) boot kernel -kernel "$tmp/vmlinuz" -initrd "$tmp/initrd.img" \
		-append "root=UUID=$uuid console=ttyS0" ;;
	*) echo "Bail out! no boot path $p (grub or kernel)"; exit 1 ;;
	esac
	if [ "$ok" = yes ]; then
		echo "ok $n - $p: ssh as debian, hostname web, after $took s"
	else
		echo "not ok $n - $p: after $took s"
		failed=1
	fi
done
exit "$failed"
