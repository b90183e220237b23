#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# boot-extract.sh: the kvm:/// client finds an image's own kernel and initrd (GPT, MBR, Debian's layout, a whole-disk ext4, a separate /boot, qcow2 overlays) and copies them out byte for byte.
. "$(dirname "$0")/lib.sh"

DUMP=$top_builddir/tests/kvm/boot-dump
[ -x "$DUMP" ] || skip "no $DUMP (make tests/kvm/boot-dump)"
PATH=$PATH:/usr/sbin:/sbin
for t in sfdisk mke2fs debugfs qemu-img; do
	command -v "$t" >/dev/null || skip "$t is not installed (scripts/setup installs it)"
done

MiB=1048576
U1=11111111-2222-4333-8444-555555555555
U2=22222222-3333-4444-8555-666666666666
cd "$TMPD" || exit 99

# mkkernel FILE KIB: random bytes with a bzImage's HdrS magic at 0x202.
mkkernel() {
	head -c $(($2 * 1024 + 17)) /dev/urandom >"$1"
	printf HdrS | dd of="$1" bs=1 seek=514 conv=notrunc status=none
}
# mkblob FILE KIB: an initrd (or anything else) of random bytes.
mkblob() { head -c $(($2 * 1024 + 5)) /dev/urandom >"$1"; }

# mkfs4 IMAGE OFFSET_MIB SIZE_MIB TREE UUID [BLOCKSIZE]: an ext4 written straight into IMAGE.
mkfs4() {
	mke2fs -q -F -t ext4 -b "${6:-4096}" -U "$5" -E offset=$(($2 * MiB)) -d "$4" "$1" "${3}M" \
		>"$TMPD/mke2fs.log" 2>&1 || fail "mke2fs $1: $(cat "$TMPD/mke2fs.log")"
}

# part IMAGE SIZE_MIB SFDISK_SCRIPT: a new image of that size with that partition table.
part() {
	truncate -s "$2M" "$1"
	printf '%b' "$3" | sfdisk -q "$1" >"$TMPD/sfdisk.log" 2>&1 || fail "sfdisk $1: $(cat "$TMPD/sfdisk.log")"
}

# The files every tree is made of, made once so that cmp can compare.
mkdir files
mkkernel files/k61 400; mkblob files/i61 2560
mkkernel files/k510 300; mkblob files/i510 700
mkkernel files/k59 200; mkblob files/i59 100
mkkernel files/k62 450; mkblob files/i62 1300
mkkernel files/k61b 410
mkblob files/junk 64

# A Debian-like root: two kernels with initrds, /vmlinuz and /initrd.img links.
mkdir -p root/boot root/etc root/sbin
cp files/k61 root/boot/vmlinuz-6.1.0-1-amd64; cp files/i61 root/boot/initrd.img-6.1.0-1-amd64
cp files/k510 root/boot/vmlinuz-5.10.0-9-amd64; cp files/i510 root/boot/initrd.img-5.10.0-9-amd64
echo 'CONFIG_X=y' >root/boot/config-6.1.0-1-amd64
ln -s boot/vmlinuz-6.1.0-1-amd64 root/vmlinuz
ln -s boot/initrd.img-6.1.0-1-amd64 root/initrd.img
ln -s boot/vmlinuz-5.10.0-9-amd64 root/vmlinuz.old
printf 'ID=debian\nVERSION_ID=12\n' >root/etc/os-release

# expect IMAGE FORMAT KEY=VALUE...: what find says.
expect() {
	img=$1 fmt=$2; shift 2
	"$DUMP" find "$img" "$fmt" >"$img.find" 2>&1 || fail "find $img: $(cat "$img.find")"
	for kv in "$@"; do
		grep -qxF "$kv" "$img.find" || fail "find $img ($fmt): want $kv, got: $(cat "$img.find")"
	done
	note "$img: $(tr '\n' ' ' <"$img.find")"
}
# stamp IMAGE: the stamp its last find printed.
stamp() { sed -n 's/^stamp=//p' "$1.find"; }
# extract IMAGE FORMAT KERNEL_FILE [INITRD_FILE]: copies out, compared with the originals.
extract() {
	rm -rf out; mkdir out
	"$DUMP" extract "$1" "$2" out/kernel out/initrd >"$1.extract" 2>&1 ||
		fail "extract $1: $(cat "$1.extract")"
	cmp "$3" out/kernel || fail "extract $1: the kernel differs from $3"
	if [ -n "${4:-}" ]; then
		cmp "$4" out/initrd || fail "extract $1: the initrd differs from $4"
	else
		[ ! -e out/initrd ] || fail "extract $1: an initrd appeared without one in the image"
	fi
	[ "$(ls out | wc -l)" = "$([ -n "${4:-}" ] && echo 2 || echo 1)" ] ||
		fail "extract $1: left $(ls out)"
}
# refuse CODE PATTERN find|extract ARGS...: the call fails with CODE and a message matching PATTERN.
refuse() {
	code=$1 pattern=$2; shift 2
	st=0; "$DUMP" "$@" >refuse.out 2>&1 || st=$?
	[ $st = 1 ] || fail "$*: status $st, want 1: $(cat refuse.out)"
	grep -qx "error=$code" refuse.out || fail "$*: want $code, got: $(cat refuse.out)"
	grep -q "^message=.*$pattern" refuse.out || fail "$*: message not /$pattern/: $(cat refuse.out)"
	note "refused ($code): $(sed -n 's/^message=//p' refuse.out)"
}

# 1. GPT, one ext4 partition, 4 KiB blocks: /vmlinuz names the newest kernel.
part gpt.raw 64 'label: gpt\n1: start=2048, size=98304, type=linux\n'
mkfs4 gpt.raw 1 48 root "$U1"
expect gpt.raw raw partition=1 root_uuid=$U1 kernel=/boot/vmlinuz-6.1.0-1-amd64 \
	initrd=/boot/initrd.img-6.1.0-1-amd64 version=6.1.0-1-amd64 journal_pending=0
extract gpt.raw raw files/k61 files/i61
expect gpt.raw auto version=6.1.0-1-amd64

# 2. MBR, the filesystem in partition 2 with 1 KiB blocks; /vmlinuz names the older kernel.
cp -a root mbrtree
rm mbrtree/vmlinuz; ln -s boot/vmlinuz-5.10.0-9-amd64 mbrtree/vmlinuz
part mbr.raw 64 'label: dos\n1: start=2048, size=8192, type=82\n2: start=10240, size=81920, type=83\n'
mkfs4 mbr.raw 5 40 mbrtree "$U2" 1024
expect mbr.raw raw partition=2 root_uuid=$U2 kernel=/boot/vmlinuz-5.10.0-9-amd64 \
	initrd=/boot/initrd.img-5.10.0-9-amd64 version=5.10.0-9-amd64
extract mbr.raw raw files/k510 files/i510
# A logical partition, in an extended one (raw only: through qcow2 libblkid
# is shown the ends of the disk and of each partition, not the chain of EBRs).
part logical.raw 64 'label: dos\n1: start=2048, size=8192, type=83\n2: start=10240, size=110000, type=5\nstart=12288, size=81920, type=83\n'
mkfs4 logical.raw 6 40 mbrtree "$U2"
expect logical.raw raw partition=5 root_uuid=$U2 version=5.10.0-9-amd64

# 3. Debian's cloud layout: 14 BIOS boot, 15 EFI (vfat when mkfs.vfat is here), 1 root.
part debian.raw 80 'label: gpt\n14: start=2048, size=6144, type=21686148-6449-6E6F-744E-656564454649\n15: start=8192, size=32768, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B\n1: start=40960, size=102400, type=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709\n'
efi="no filesystem vmtui knows"
if command -v mkfs.vfat >/dev/null; then
	mkfs.vfat --offset 8192 debian.raw 16384 >/dev/null 2>&1 || fail "mkfs.vfat failed"
	efi=vfat
else
	note "no mkfs.vfat (dosfstools): partition 15 stays unformatted"
fi
cp --sparse=always debian.raw debian-nokern.raw
mkfs4 debian.raw 20 50 root "$U1"
expect debian.raw raw partition=1 root_uuid=$U1 kernel=/boot/vmlinuz-6.1.0-1-amd64 \
	initrd=/boot/initrd.img-6.1.0-1-amd64
extract debian.raw raw files/k61 files/i61
# Without a kernel, the error says what each partition holds.
mkdir -p nokern/etc nokern/boot
echo 'ID=debian' >nokern/etc/os-release
cp files/junk nokern/boot/vmlinuz-6.1.0-1-amd64
mkfs4 debian-nokern.raw 20 50 nokern "$U1"
refuse EINVAL "(partition 1: ext4, partition 14: no filesystem vmtui knows, partition 15: $efi)" \
	find debian-nokern.raw raw
# The same through qcow2, where libblkid reads a copy of what it probes.
qemu-img convert -f raw -O qcow2 debian-nokern.raw debian-nokern.qcow2
refuse EINVAL "(partition 1: ext4, partition 14: no filesystem vmtui knows, partition 15: $efi)" \
	find debian-nokern.qcow2 qcow2
qemu-img convert -f raw -O qcow2 debian.raw debian.qcow2
expect debian.qcow2 qcow2 partition=1 root_uuid=$U1 kernel=/boot/vmlinuz-6.1.0-1-amd64

# 4. One ext4 on the whole disk, no partition table; no links: the newest version
#    wins (5.10 over 5.9), past a newer name that is no bzImage and a package's temporary copy;
#    the initrd named as Fedora names it.
mkdir -p whole/boot whole/etc
cp files/k510 whole/boot/vmlinuz-5.10.0-9-amd64; cp files/i510 whole/boot/initramfs-5.10.0-9-amd64.img
cp files/k59 whole/boot/vmlinuz-5.9.0-30-amd64; cp files/i59 whole/boot/initramfs-5.9.0-30-amd64.img
cp files/junk whole/boot/vmlinuz-9.9.9-notakernel
cp files/k62 whole/boot/vmlinuz-7.0.0-1-amd64.dpkg-new
echo 'ID=fedora' >whole/etc/os-release
truncate -s 40M whole.raw
mkfs4 whole.raw 0 40 whole "$U2"
expect whole.raw raw partition=0 root_uuid=$U2 kernel=/boot/vmlinuz-5.10.0-9-amd64 \
	initrd=/boot/initramfs-5.10.0-9-amd64.img version=5.10.0-9-amd64
extract whole.raw raw files/k510 files/i510

# 5. A separate /boot in partition 2, the root in partition 1 (its /vmlinuz link dangles there).
mkdir -p sroot/boot sroot/etc sroot/sbin sboot
ln -s boot/vmlinuz-6.1.0-1-amd64 sroot/vmlinuz
ln -s /lib/systemd/systemd sroot/sbin/init
cp files/k61 sboot/vmlinuz-6.1.0-1-amd64; cp files/i61 sboot/initrd.img-6.1.0-1-amd64
cp files/k59 sboot/vmlinuz-5.9.0-30-amd64
part sep.raw 64 'label: gpt\n1: start=2048, size=40960, type=linux\n2: start=43008, size=40960, type=linux\n'
mkfs4 sep.raw 1 20 sroot "$U1"
mkfs4 sep.raw 21 20 sboot "$U2"
expect sep.raw raw partition=2 root_uuid=$U1 kernel=/vmlinuz-6.1.0-1-amd64 \
	initrd=/initrd.img-6.1.0-1-amd64
extract sep.raw raw files/k61 files/i61

# Fedora's layout: EFI, a separate ext4 /boot, a btrfs root that only
# libblkid looks at (the one filesystem that can be a root); the rescue
# kernel sorts below the real one.
if command -v mkfs.btrfs >/dev/null; then
	U3=33333333-4444-4555-8666-777777777777
	mkdir -p fboot
	cp files/k62 fboot/vmlinuz-6.5.6-300.fc39.x86_64; cp files/i62 fboot/initramfs-6.5.6-300.fc39.x86_64.img
	cp files/k59 fboot/vmlinuz-0-rescue-0123456789abcdef; cp files/i59 fboot/initramfs-0-rescue-0123456789abcdef.img
	part fedora.raw 96 'label: gpt\n1: start=2048, size=32768, type=uefi\n2: start=34816, size=40960, type=linux\n3: start=75776, size=81920, type=linux\n'
	mkfs4 fedora.raw 17 20 fboot "$U2"
	truncate -s 40M btrfs.img
	mkfs.btrfs -q -f -M -U "$U3" btrfs.img >btrfs.log 2>&1 || fail "mkfs.btrfs: $(cat btrfs.log)"
	dd if=btrfs.img of=fedora.raw bs=1M seek=37 conv=notrunc,sparse status=none
	expect fedora.raw raw partition=2 root_uuid=$U3 kernel=/vmlinuz-6.5.6-300.fc39.x86_64 \
		initrd=/initramfs-6.5.6-300.fc39.x86_64.img
	extract fedora.raw raw files/k62 files/i62
else
	note "no mkfs.btrfs (btrfs-progs): no btrfs root"
fi

# 6. qcow2: a stand-alone copy reads as the raw image does (same stamp too).
qemu-img convert -f raw -O qcow2 gpt.raw full.qcow2
expect full.qcow2 qcow2 partition=1 root_uuid=$U1 kernel=/boot/vmlinuz-6.1.0-1-amd64 \
	"stamp=$(stamp gpt.raw)"
extract full.qcow2 qcow2 files/k61 files/i61
refuse EINVAL "qcow2 header" find full.qcow2 auto
refuse EINVAL "not a qcow2 image" find gpt.raw qcow2

# An overlay on the raw base holding only what a guest's kernel update changed:
# a new kernel and initrd in /boot, /vmlinuz relinked.  The kernel's bytes come
# from the overlay, the rest of the filesystem through it from the base.
debugfs_w() {
	img=$1; shift
	printf '%s\n' "$@" >dbg.cmds
	debugfs -w -f dbg.cmds "$img?offset=$MiB" >dbg.log 2>&1 || fail "debugfs: $(cat dbg.log)"
	# Past its banner, the commands it echoes, the inodes it allocates and the features it sets, it says only errors.
	! grep -v '^debugfs\|^Allocated inode\|^Filesystem features\|^$' dbg.log || fail "debugfs: $(cat dbg.log)"
}
cp --sparse=always gpt.raw new.raw
debugfs_w new.raw "cd /boot" "write files/k62 vmlinuz-6.2.0-1-amd64" \
	"write files/i62 initrd.img-6.2.0-1-amd64" "cd /" "rm vmlinuz" \
	"symlink vmlinuz boot/vmlinuz-6.2.0-1-amd64"
qemu-img convert -f raw -O qcow2 -B "$TMPD/gpt.raw" -F raw new.raw ov.qcow2
qemu-img info ov.qcow2 | grep -q "backing file: $TMPD/gpt.raw" || fail "ov.qcow2 has no backing file"
expect ov.qcow2 qcow2 partition=1 root_uuid=$U1 kernel=/boot/vmlinuz-6.2.0-1-amd64 \
	initrd=/boot/initrd.img-6.2.0-1-amd64 version=6.2.0-1-amd64
[ "$(stamp ov.qcow2)" != "$(stamp gpt.raw)" ] || fail "the stamp did not change with the kernel"
extract ov.qcow2 qcow2 files/k62 files/i62
# The base itself is unchanged.
expect gpt.raw raw version=6.1.0-1-amd64 "stamp=$(stamp full.qcow2)"

# Only the link changed: the kernel's bytes are all read through to the base.
cp --sparse=always gpt.raw relink.raw
debugfs_w relink.raw "rm vmlinuz" "symlink vmlinuz boot/vmlinuz-5.10.0-9-amd64"
qemu-img convert -f raw -O qcow2 -B "$TMPD/gpt.raw" -F raw relink.raw relink.qcow2
expect relink.qcow2 qcow2 version=5.10.0-9-amd64 initrd=/boot/initrd.img-5.10.0-9-amd64
extract relink.qcow2 qcow2 files/k510 files/i510

# Two overlays deep: a VM's disk on a linked clone's.
qemu-img create -q -f qcow2 -F qcow2 -b "$TMPD/ov.qcow2" ov2.qcow2
expect ov2.qcow2 qcow2 version=6.2.0-1-amd64 "stamp=$(stamp ov.qcow2)"
extract ov2.qcow2 qcow2 files/k62 files/i62

# 7. The same version rewritten (a rebuilt kernel): the stamp changes, and an
#    extract against the old stamp is refused with nothing left.
cp --sparse=always gpt.raw rebuilt.raw
debugfs_w rebuilt.raw "cd /boot" "rm vmlinuz-6.1.0-1-amd64" "write files/k61b vmlinuz-6.1.0-1-amd64"
expect rebuilt.raw raw version=6.1.0-1-amd64
[ "$(stamp rebuilt.raw)" != "$(stamp gpt.raw)" ] || fail "the stamp did not change with a rebuilt kernel"
extract rebuilt.raw raw files/k61b files/i61
rm -rf out; mkdir out
refuse ESTALE "changed since" extract rebuilt.raw raw out/kernel out/initrd "$(stamp gpt.raw)"
[ -z "$(ls out)" ] || fail "a refused extract left $(ls out)"

# A guest stopped without unmounting: said, since its journal may hold newer changes.
cp --sparse=always gpt.raw dirty.raw
debugfs_w dirty.raw "feature needs_recovery"
expect dirty.raw raw version=6.1.0-1-amd64 journal_pending=1

# 8. Errors, each naming the image.
echo "just some text, not a disk image" >text.img
truncate -s 1M text.img
refuse EINVAL "text.img has no Linux kernel vmtui can boot.*no filesystem" find text.img raw
refuse EINVAL "not a qcow2 image" find text.img qcow2
refuse EIO "missing.img" find missing.img raw
part nokern.raw 32 'label: gpt\n1: start=2048, size=40960, type=linux\n'
mkfs4 nokern.raw 1 20 nokern "$U1"
refuse EINVAL "nokern.raw has no Linux kernel vmtui can boot.*partition 1: ext4" find nokern.raw raw
mkdir -p noroot/boot
cp files/k61 noroot/boot/vmlinuz-6.1.0-1-amd64
truncate -s 32M noroot.raw
mkfs4 noroot.raw 0 32 noroot "$U1"
refuse EINVAL "noroot.raw has a kernel in /boot/ of the whole disk but no root" find noroot.raw raw

# The destination exists: refused, the file there untouched, nothing else left.
rm -rf out; mkdir out
echo keep >out/kernel
refuse EEXIST "out/kernel exists already" extract gpt.raw raw out/kernel out/initrd
[ "$(cat out/kernel)" = keep ] && [ "$(ls out)" = kernel ] || fail "a refused extract touched out/: $(ls out)"
rm out/kernel; echo keep >out/initrd
refuse EEXIST "out/initrd exists already" extract gpt.raw raw out/kernel out/initrd
[ "$(cat out/initrd)" = keep ] && [ "$(ls out)" = initrd ] || fail "a refused extract left $(ls out)"
# A folder that cannot be written: nothing is left either.
rm -rf out; mkdir out
refuse EIO "cannot create" extract gpt.raw raw out/nodir/kernel out/nodir/initrd
[ -z "$(ls out)" ] || fail "a failed extract left $(ls out)"

echo "PASS: boot-extract"
