#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# build.sh: builds the nested fixture's L1 kernel and initramfs in the build tree, once, and again only when what goes in changes.
#
# usage: tests/nested/build.sh CACHE      (top_srcdir, top_builddir set)
# With NESTED_QEMU=1, L1 also gets qemu-system-x86_64 and its firmware, for
# bench/nested-boot (about 50 MB more; use another CACHE for it).
# Writes CACHE/vmlinuz and CACHE/l1-initrd.img.  Everything comes from
# Debian packages: the cloud kernel and busybox-static (apt-get download,
# kept in CACHE/debs), socat, qemu-img, qemu-io, ssh and ssh-keygen from the
# host (with the libraries ldd names), and this tree's vmtui, its image tools and vmtui-vmm.  L1's initramfs
# holds L2's kernel (the same one) and initramfs, and scripts/get-linux-guest's
# guest; scripts/initramfs.py packs the modules and the archives.
set -eu

cache=$1
src=$top_srcdir
bld=$top_builddir
tool="python3 $src/scripts/initramfs.py"
mkdir -p "$cache/debs"

sandbox=
[ "$(id -u)" = 0 ] && sandbox="-o APT::Sandbox::User=root"
kpkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-[0-9].*\)$/\1/p' | head -n 1)
[ -n "$kpkg" ] || { echo "build.sh: apt-cache knows no linux-image-cloud-amd64 (run apt-get update)" >&2; exit 1; }
# fetch PACKAGE: its .deb in CACHE/debs, downloaded once.
fetch() {
	ls "$cache/debs/$1"_*.deb >/dev/null 2>&1 && return 0
	(cd "$cache/debs" && apt-get $sandbox download "$1" >/dev/null)
}
fetch "$kpkg"
fetch busybox-static
kdeb=$(ls "$cache/debs/$kpkg"_*.deb)
bdeb=$(ls "$cache/debs"/busybox-static_*.deb | tail -n 1)
# scripts/get-linux-guest's default guest, as a user gets it (it caches too).
"$src/scripts/get-linux-guest" "$cache/default-guest" >/dev/null

for t in ssh ssh-keygen; do
	command -v $t >/dev/null || { echo "build.sh: no $t (apt-get install openssh-client)" >&2; exit 1; }
done
tools="$(command -v socat) $(command -v qemu-img) $(command -v qemu-io) $(command -v ssh) $(command -v ssh-keygen)"
[ "${NESTED_QEMU:-}" = 1 ] && tools="$tools $(command -v qemu-system-x86_64)"
bins="$bld/vmtui $bld/vmtui-image.so $bld/vmtui-vmm $tools"
slirp=$(ldconfig -p | sed -n 's/^[[:space:]]*libslirp\.so\.0 (libc6,x86-64) => //p' | head -n 1)
[ -n "$slirp" ] || { echo "build.sh: no libslirp.so.0 (apt-get install libslirp0)" >&2; exit 1; }
stamp=$(cat $bins "$slirp" "$kdeb" "$bdeb" "$cache/default-guest/initrd.img" \
	"$src/scripts/initramfs.py" "$src/scripts/guest-udhcpc.sh" "$src/tests/nested/build.sh" \
	"$src/scripts/vmlinux-extract" \
	"$src/tests/nested/l1-init" "$src/tests/nested/l1-scenarios.sh" "$src/tests/nested/l1-bench.sh" \
	"$src/tests/nested/l2-init" "$src/tests/nested/scenarios" | sha256sum | cut -d' ' -f1)
if [ -f "$cache/l1-initrd.img" ] && [ "$(cat "$cache/stamp" 2>/dev/null)" = "$stamp" ]; then
	echo "build.sh: $cache is up to date"
	exit 0
fi
echo "build.sh: building L1 and L2 images in $cache ($kpkg)"
rm -rf "$cache/work" "$cache/stamp"
w=$cache/work
mkdir -p "$w"
dpkg-deb -x "$kdeb" "$w/kernel"
dpkg-deb -x "$bdeb" "$w/busybox"
moddir=$(echo "$w"/kernel/lib/modules/*)

# L2: busybox, the virtio drivers, pvpanic and the ACPI power button.
l2=$w/l2
mkdir -p "$l2/bin" "$l2/etc" "$l2/dev" "$l2/proc" "$l2/sys" "$l2/tmp"
cp "$w/busybox/bin/busybox" "$l2/bin/busybox"
$tool modules "$moddir" "$l2" virtio_pci virtio_blk virtio_net virtio-rng \
	pvpanic pvpanic-pci button evdev
cp "$src/scripts/guest-udhcpc.sh" "$l2/etc/udhcpc.sh"
cp "$src/tests/nested/l2-init" "$l2/init"
chmod 755 "$l2/init" "$l2/etc/udhcpc.sh"

# L1: busybox, KVM, the programs and their libraries, both guests; virtio
# disks and ext4 for the cloud group's disk (ext4 asks the crypto API for
# crc32c at mount time, which modinfo's depends= does not name).
l1=$w/l1
mkdir -p "$l1/bin" "$l1/usr/bin" "$l1/usr/lib/vmtui" "$l1/usr/libexec/vmtui" "$l1/etc" "$l1/dev" "$l1/proc" \
	"$l1/sys" "$l1/tmp" "$l1/fixture" "$l1/guest/default" "$l1/lib64"
cp "$w/busybox/bin/busybox" "$l1/bin/busybox"
$tool modules "$moddir" "$l1" kvm-amd virtio_pci virtio_blk ext4 crc32c_generic
cp "$bld/vmtui" $tools "$l1/usr/bin/"
cp "$bld/vmtui-vmm" "$l1/usr/libexec/vmtui/"
cp "$bld/vmtui-image.so" "$l1/usr/lib/vmtui/"
# The runner opens libslirp with dlopen, so ldd of the runner does not name it.
for f in $bins "$slirp"; do
	ldd "$f" | sed -n 's/.*=> \(\/[^ ]*\).*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p'
done | sort -u | while read -r lib; do
	mkdir -p "$l1$(dirname "$lib")"
	cp -L "$lib" "$l1$lib"
done
cp -L "$slirp" "$l1$slirp"
echo 'root:x:0:0:root:/root:/bin/sh' >"$l1/etc/passwd"
echo 'root:x:0:' >"$l1/etc/group"
cp "$src/tests/nested/l1-init" "$l1/init"
cp "$src/tests/nested/l1-scenarios.sh" "$src/tests/nested/l1-bench.sh" "$src/tests/nested/scenarios" \
	"$l1/fixture/"
# QEMU's firmware for -M pc (SeaBIOS, the -kernel option ROMs) and microvm (qboot).
if [ "${NESTED_QEMU:-}" = 1 ]; then
	mkdir -p "$l1/usr/share/qemu" "$l1/usr/share/seabios"
	cp -L /usr/share/qemu/bios-microvm.bin /usr/share/qemu/linuxboot_dma.bin \
		/usr/share/qemu/kvmvapic.bin "$l1/usr/share/qemu/"
	cp -L /usr/share/seabios/bios-256k.bin "$l1/usr/share/seabios/"
fi
chmod 755 "$l1/init"
cp "$w"/kernel/boot/vmlinuz-* "$l1/guest/vmlinuz"
# The same kernel uncompressed, for the PVH entry.
python3 "$src/scripts/vmlinux-extract" "$l1/guest/vmlinuz" "$l1/guest/vmlinux" >/dev/null
$tool cpio "$l2" "$l1/guest/initrd.img"
cp "$cache/default-guest/initrd.img" "$l1/guest/default/initrd.img"
if cmp -s "$cache/default-guest/vmlinuz" "$l1/guest/vmlinuz"; then
	ln -s ../vmlinuz "$l1/guest/default/vmlinuz"
else
	cp "$cache/default-guest/vmlinuz" "$l1/guest/default/vmlinuz"
fi
$tool cpio "$l1" "$cache/l1-initrd.img.tmp"
cp "$w"/kernel/boot/vmlinuz-* "$cache/vmlinuz"
mv "$cache/l1-initrd.img.tmp" "$cache/l1-initrd.img"
rm -rf "$w"
echo "$stamp" >"$cache/stamp"
echo "build.sh: $cache/l1-initrd.img ($(du -k "$cache/l1-initrd.img" | cut -f1) KiB)"
