#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# mkimage.sh: builds the tests' Debian 12 cloud image from Debian's archive, laid out as Debian's genericcloud image is, once per version of its inputs, and prints the folder that holds it.
#
# usage: tests/cloud/mkimage.sh        (as root)
#
# The folder is ${VMTUI_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vmtui-test}/cloud/HASH
# and holds debian-12-generic-amd64.qcow2 (compressed, 2 GiB virtual) and
# SHA512SUMS.  HASH covers this script, customize.sh and the apt sources, so
# a changed script builds anew and an unchanged one answers at once.  The
# folder's path is the last line on stdout; the steps are logged to stderr.
# Exits 77, as a test's skip, when this machine cannot build it (not root,
# or a tool missing).  VMTUI_TEST_MIRROR names a Debian mirror to use instead
# of the one in apt's sources.
#
# The image: bookworm's cloud kernel, cloud-init (NoCloud, then None), sshd,
# ifupdown with dhclient (what cloud-init renders to on Debian 12), sudo and
# grub-pc; the login "debian" with passwordless sudo, no passwords at all.
# The disk: GPT, partition 1 the root ext4, 14 the BIOS boot partition
# holding grub's core.img, 15 an EFI system partition (empty; vfat when
# mkfs.fat is here).  Nothing is mounted and no loop device is used:
# mke2fs -d writes the tree straight into partition 1, and the image's own
# boot.img and core.img (made by its grub-mkimage) are written into the
# MBR and partition 14 here with the few fields grub-bios-setup would fill
# in (the result is byte for byte what grub-bios-setup --no-rs-codes
# writes).  grub-bios-setup itself cannot be used on an image file: it
# insists on finding the block device that holds its -d folder among the
# disks it is given, which means the image mounted through a loop device,
# and loop devices and mounts are what containers and CI sandboxes lack.
set -eu

PATH=$PATH:/usr/sbin:/sbin
here=$(cd "$(dirname "$0")" && pwd)
img=debian-12-generic-amd64.qcow2
disk_mib=2048

log() { echo "mkimage.sh: $*" >&2; }
skip() {
	log "$*"
	exit 77
}

[ "$(id -u)" = 0 ] || skip "cannot build the image: mmdebstrap installs the tree as root and mke2fs -d copies its owners, so run it as root"
for t in mmdebstrap:mmdebstrap sfdisk:fdisk mke2fs:e2fsprogs qemu-img:qemu-utils \
	flock:util-linux sha512sum:coreutils dd:coreutils; do
	command -v "${t%%:*}" >/dev/null ||
		skip "cannot build the image: ${t%%:*} is missing (apt-get install ${t#*:})"
done
efi=no
command -v mkfs.fat >/dev/null && efi=yes

# sources: the image's apt sources, bookworm and its updates and security
# suites from the Debian mirrors this machine's apt uses.
sources() {
	if [ -n "${VMTUI_TEST_MIRROR:-}" ]; then
		echo "deb $VMTUI_TEST_MIRROR bookworm main"
		return
	fi
	apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' 'Identifier: Packages' \
		2>/dev/null | awk '$3 == "main" && ($2 == "bookworm" || $2 == "bookworm-updates" ||
			$2 == "bookworm-security") { print "deb " $1 " " $2 " main" }' | sort -u
}
list=$(sources)
[ -n "$list" ] || list="deb http://deb.debian.org/debian bookworm main"

hash=$({ cat "$here/mkimage.sh" "$here/customize.sh"; echo "$list"; echo "efi=$efi"; } |
	sha256sum | cut -c1-16)
base=${VMTUI_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vmtui-test}/cloud
out=$base/$hash
built() { [ -f "$out/SHA512SUMS" ] && [ -f "$out/$img" ]; }
if built; then
	log "$out is up to date"
	echo "$out"
	exit 0
fi

# remove_tree DIR: a build folder, and whatever a killed mmdebstrap left
# mounted in it; --one-file-system keeps rm out of anything still mounted.
remove_tree() {
	awk -v p="$1/" 'index($2, p) == 1 { print $2 }' /proc/self/mounts | sort -r |
		while read -r m; do umount -l "$m" || true; done
	rm -rf --one-file-system "$1"
}

mkdir -p "$base"
# One build of a hash at a time; a second caller waits and then finds it built.
exec 9>"$base/.lock-$hash"
flock -n 9 || {
	log "waiting for another build of $hash to end"
	flock 9
}
if built; then
	log "$out is up to date"
	echo "$out"
	exit 0
fi
for d in "$base/.build-$hash-"*; do
	[ -d "$d" ] || continue
	log "removing $d, left by a build that was stopped"
	remove_tree "$d"
done

tmp=$base/.build-$hash-$$
cleanup() {
	[ -d "$tmp" ] && remove_tree "$tmp"
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
mkdir "$tmp" "$tmp/out"
start=$(date +%s)

echo "$list" >"$tmp/sources.list"
uuid=$(cat /proc/sys/kernel/random/uuid)
log "installing the tree with mmdebstrap from: $(echo "$list" | tr '\n' ';')"
# The essential hook answers grub-pc's question before it is installed:
# no disk to install grub on here (this script writes the boot code
# itself; cloud-init's grub-dpkg names the VM's disk on its first boot).
IMAGE_ROOT_UUID=$uuid mmdebstrap --mode=root --format=directory --variant=minbase \
	--include=linux-image-cloud-amd64,systemd-sysv,udev,dbus,cloud-init,cloud-guest-utils \
	--include=openssh-server,ifupdown,isc-dhcp-client,iproute2,netbase,sudo,grub-pc,e2fsprogs \
	--aptopt='Acquire::Languages "none"' \
	--dpkgopt='path-exclude=/usr/share/doc/*' \
	--dpkgopt='path-include=/usr/share/doc/*/copyright' \
	--dpkgopt='path-exclude=/usr/share/man/*' \
	--dpkgopt='path-exclude=/usr/share/info/*' \
	--dpkgopt='path-exclude=/usr/share/locale/*' \
	--dpkgopt='path-include=/usr/share/locale/locale.alias' \
	--essential-hook='mkdir -p "$1/etc/initramfs-tools/conf.d" &&
		echo RESUME=none >"$1/etc/initramfs-tools/conf.d/resume" &&
		printf "%s\n" "grub-pc grub-pc/install_devices multiselect" \
			"grub-pc grub-pc/install_devices_empty boolean true" |
		chroot "$1" debconf-set-selections' \
	--customize-hook="$here/customize.sh" \
	bookworm "$tmp/root" "$tmp/sources.list" >&2

# le N VALUE: VALUE as N little-endian bytes, in printf's octal escapes.
le() {
	n=$1 v=$2 s=
	while [ "$n" -gt 0 ]; do
		s="$s\\$(printf %03o $((v & 255)))"
		v=$((v >> 8)) n=$((n - 1))
	done
	printf "%s" "$s"
}
# poke OFFSET: writes stdin over the disk from byte OFFSET on.
poke() { dd of="$raw" bs=1 seek="$1" conv=notrunc status=none; }

# bios_boot DIR START SECTORS: grub's BIOS boot code from DIR (boot.img,
# core.img) into the MBR and the BIOS boot partition at START, as
# grub-bios-setup --no-rs-codes writes them: boot.img's code around the
# MBR's BPB and partition table, told where core.img starts, and core.img's
# first sector (diskboot) told where the rest of it lies.
bios_boot() {
	core_sectors=$((($(stat -c %s "$1/core.img") + 511) / 512))
	if [ "$(stat -c %s "$1/boot.img")" != 512 ] || [ "$core_sectors" -gt "$3" ]; then
		log "$1/boot.img is not one sector, or core.img does not fit in $3 sectors"
		exit 1
	fi
	dd if="$1/boot.img" of="$raw" bs=1 count=3 conv=notrunc status=none
	dd if="$1/boot.img" of="$raw" bs=1 skip=90 seek=90 count=$((0x1b8 - 90)) \
		conv=notrunc status=none
	# The sector core.img starts at; the drive the BIOS booted from; and two
	# nops over the jump that trusts a floppy-looking drive number.
	printf "$(le 8 "$2")" | poke $((0x5c))
	printf '\377' | poke $((0x64))
	printf '\220\220' | poke $((0x66))
	dd if="$1/core.img" of="$raw" bs=512 seek="$2" conv=notrunc status=none
	# diskboot's block list ends its sector: the rest of core.img in one run,
	# loaded at segment 0x820, then an empty entry to end the list.
	printf "$(le 8 $(($2 + 1)))$(le 2 $((core_sectors - 1)))$(le 2 $((0x820)))" |
		poke $(($2 * 512 + 0x1f4))
	printf "$(le 12 0)" | poke $(($2 * 512 + 0x1e8))
}

log "laying out a $disk_mib MiB GPT disk"
raw=$tmp/disk.raw
truncate -s "${disk_mib}M" "$raw"
sfdisk --quiet --no-reread --no-tell-kernel "$raw" >&2 <<EOF
label: gpt
first-lba: 2048
${raw}14 : start=2048, size=2048, type=21686148-6449-6E6F-744E-656564454649
${raw}15 : start=4096, size=258048, type=C12A7328-F81F-11D2-BA4B-00A0C93EC3B8
${raw}1 : start=262144, type=0FC63DAF-8483-4772-8E79-3D69E4C47DE4
EOF
# part N FIELD: partition N's start or size, in sectors, as sfdisk laid it.
part() {
	sfdisk --dump "$raw" | sed -n "s|^.*/disk\.raw$1 :.*$2= *\([0-9]*\).*|\1|p"
}
p1_start=$(part 1 start)
p1_size=$(part 1 size)
log "writing the root ext4 ($((p1_size / 2048)) MiB, UUID $uuid) into partition 1"
mke2fs -q -t ext4 -U "$uuid" -E "offset=$((p1_start * 512)),nodiscard" -d "$tmp/root" \
	-F "$raw" "$((p1_size / 2))k" >&2
if [ "$efi" = yes ]; then
	# FAT32 as UEFI asks, which needs one-sector clusters at this size.
	mkfs.fat -F 32 -s 1 --offset "$(part 15 start)" -n EFI "$raw" "$(($(part 15 size) / 2))" \
		>"$tmp/mkfs.log" 2>&1 || {
		cat "$tmp/mkfs.log" >&2
		exit 1
	}
else
	log "no mkfs.fat (dosfstools): partition 15 stays unformatted"
fi

log "writing grub's boot code into the MBR and its core.img into partition 14"
bios_boot "$tmp/root/boot/grub/i386-pc" "$(part 14 start)" "$(part 14 size)"

log "converting to a compressed qcow2"
qemu-img convert -c -O qcow2 "$raw" "$tmp/out/$img"
(cd "$tmp/out" && sha512sum "$img" >SHA512SUMS)
mv -T "$tmp/out" "$out"
log "built $out/$img in $(($(date +%s) - start)) s ($(du -k "$out/$img" | cut -f1) KiB)"
echo "$out"
