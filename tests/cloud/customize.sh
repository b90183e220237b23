#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# customize.sh: mmdebstrap's customize hook for tests/cloud/mkimage.sh; turns the installed tree into a cloud image's root (fstab, grub, cloud-init's defaults, no host keys).
#
# usage: customize.sh ROOT      (IMAGE_ROOT_UUID set; run by mmdebstrap, as root)
# ROOT is the chroot, still with /dev, /proc and /sys mounted by mmdebstrap.
set -eu

root=$1
uuid=${IMAGE_ROOT_UUID:?customize.sh: IMAGE_ROOT_UUID is not set}

kver=$(cd "$root/boot" && ls vmlinuz-* | sed 's/^vmlinuz-//' | sort -V | tail -n 1)
if [ -z "$kver" ] || [ ! -f "$root/boot/initrd.img-$kver" ]; then
	echo "customize.sh: the tree has no kernel and initramfs in /boot" >&2
	exit 1
fi
# Direct kernel boot needs these built in or in the initramfs; MODULES=most
# should bring them.
chroot "$root" lsinitramfs "/boot/initrd.img-$kver" >"$root/tmp/initrd.list"
for m in virtio_pci virtio_blk ext4; do
	grep -q "/$m\.ko" "$root/lib/modules/$kver/modules.builtin" "$root/tmp/initrd.list" || {
		echo "customize.sh: $m is neither in the kernel nor in initrd.img-$kver" >&2
		exit 1
	}
done
rm "$root/tmp/initrd.list"

cat >"$root/etc/fstab" <<EOF
# <file system>	<mount point>	<type>	<options>	<dump>	<pass>
UUID=$uuid	/	ext4	rw,discard,errors=remount-ro	0	1
EOF

# The host's copies that mmdebstrap brought in: the guest gets its own
# name from cloud-init and its resolver from its DHCP lease.
echo localhost >"$root/etc/hostname"
cat >"$root/etc/hosts" <<EOF
127.0.0.1	localhost
::1		localhost ip6-localhost ip6-loopback
ff02::1		ip6-allnodes
ff02::2		ip6-allrouters
EOF
rm -f "$root/etc/resolv.conf"
echo LANG=C.UTF-8 >"$root/etc/default/locale"
# mmdebstrap writes the mirrors to sources.list.d; Debian's images have
# them in sources.list.
if [ -s "$root/etc/apt/sources.list.d/0000sources.list" ]; then
	mv "$root/etc/apt/sources.list.d/0000sources.list" "$root/etc/apt/sources.list"
fi

# Every VM made from the image would share these; cloud-init makes new
# ones on first boot, before ssh starts.
rm -f "$root"/etc/ssh/ssh_host_*

mkdir -p "$root/etc/cloud/cloud.cfg.d"
cat >"$root/etc/cloud/cloud.cfg.d/01_debian_cloud.cfg" <<'EOF'
# The image's defaults: a NoCloud seed (a disk labelled cidata) or
# nothing, the "debian" login with sudo and no password, no password
# logins over ssh, /etc/hosts naming the VM so sudo finds it, the
# image's own apt sources kept, and the locale every glibc has (the
# image generates no others).
datasource_list: [ NoCloud, None ]
locale: C.UTF-8
system_info:
  default_user:
    name: debian
    gecos: Debian
    lock_passwd: true
    shell: /bin/bash
    groups: [adm, audio, cdrom, dialout, dip, floppy, netdev, plugdev, sudo, video]
    sudo: ["ALL=(ALL) NOPASSWD:ALL"]
ssh_pwauth: false
disable_root: true
manage_etc_hosts: true
apt:
  preserve_sources_list: true
EOF

# Grub as grub-install would leave it: its modules and core.img in
# /boot/grub/i386-pc (mkimage.sh embeds that core.img in the BIOS boot
# partition), found again by the root file system's UUID.
mkdir -p "$root/etc/default/grub.d"
cat >"$root/etc/default/grub.d/50-cloud-image.cfg" <<'EOF'
# The serial console, for VMs without a screen.
GRUB_TIMEOUT=1
GRUB_CMDLINE_LINUX_DEFAULT="console=tty0 console=ttyS0,115200"
GRUB_TERMINAL="console serial"
GRUB_SERIAL_COMMAND="serial --unit=0 --speed=115200"
EOF
mkdir -p "$root/boot/grub/i386-pc"
cp "$root"/usr/lib/grub/i386-pc/*.mod "$root"/usr/lib/grub/i386-pc/*.lst \
	"$root"/usr/lib/grub/i386-pc/*.img "$root/boot/grub/i386-pc/"
cat >"$root/boot/grub/i386-pc/load.cfg" <<EOF
search.fs_uuid $uuid root
set prefix=(\$root)/boot/grub
EOF
chroot "$root" grub-mkimage -O i386-pc -d /usr/lib/grub/i386-pc \
	-c /boot/grub/i386-pc/load.cfg -p /boot/grub -o /boot/grub/i386-pc/core.img \
	biosdisk part_gpt ext2 search_fs_uuid
# grub-mkconfig cannot run here (it asks the host's kernel which device
# holds /), so this is what it would write, in short; update-grub in the
# VM writes it anew from the settings above.
cat >"$root/boot/grub/grub.cfg" <<EOF
serial --unit=0 --speed=115200
terminal_input console serial
terminal_output console serial
set timeout=1
set default=0
search --no-floppy --fs-uuid --set=root $uuid
menuentry 'Debian GNU/Linux' {
	insmod part_gpt
	insmod ext2
	search --no-floppy --fs-uuid --set=root $uuid
	linux /boot/vmlinuz-$kver root=UUID=$uuid ro console=tty0 console=ttyS0,115200
	initrd /boot/initrd.img-$kver
}
EOF
echo "customize.sh: kernel $kver, root UUID $uuid" >&2
