/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kvm-boot.h: finding the kernel and initrd in a disk image's /boot and copying them out, for a direct kernel boot. */
#ifndef VMTUI_KVM_BOOT_H
#define VMTUI_KVM_BOOT_H

#include <stdbool.h>

#include "src/lib/error.h"
#include "src/model/vmdef.h"

/*
 * The kernel an image boots, as found in its /boot. Owns its strings;
 * kvm_boot_done() frees them.
 */
struct kvm_boot {
	/* 1-based partition number of the filesystem holding the files; 0: the whole disk is one filesystem */
	unsigned partition;
	/* UUID of the root filesystem (the one with /etc/os-release or /sbin/init), for root=UUID= */
	char root_uuid[37];
	/* its path in that filesystem, links resolved ("/boot/vmlinuz-6.1.0-28-cloud-amd64") */
	char *kernel;
	/* the matching initrd ("/boot/initrd.img-6.1.0-28-cloud-amd64"), or NULL */
	char *initrd;
	/* "6.1.0-28-cloud-amd64" */
	char *version;
	/*
	 * A short text that changes when /boot's kernel changes: the version,
	 * partition, and inode number, size, mtime and ctime of the kernel and
	 * the initrd. Compare it with a stored one; never parse it.
	 */
	char *stamp;
	/*
	 * The filesystem holding the files was not cleanly unmounted: its
	 * journal, which only the guest replays, may hold newer changes, and
	 * what is read is the last checkpoint (files deleted since may
	 * already be overwritten). Better boot a kernel taken before than
	 * take a new one now.
	 */
	bool journal_pending;
};

/* Free what b owns and clear it (a cleared or never filled b is fine). */
void kvm_boot_done(struct kvm_boot *b);

/*
 * Find the newest kernel (by version order, preferring what /vmlinuz or
 * /boot/vmlinuz links to when present) in the disk image at path, raw or
 * qcow2 (with its backing files; AUTO is raw, and refuses an image with
 * a qcow2 header as the runner does), opened read-only with a shared lock:
 * the partition table is read with libblkid, ext2/3/4 filesystems with
 * libext2fs, qcow2 through the runner's own reader. A kernel is a
 * regular file vmlinuz-VERSION with a bzImage header, in /boot of the
 * root filesystem or at the top of a separate /boot filesystem; its
 * initrd is initrd.img-VERSION, initramfs-VERSION.img, initrd-VERSION,
 * initrd-VERSION.img or initramfs-VERSION beside it. -EINVAL with a sentence naming the
 * image when it has no Linux kernel vmtui can boot (no partition table or
 * filesystem it can read, no vmlinuz-*, no root filesystem); -EIO when
 * it cannot be read (-EBUSY: a running VM writes it). What a guest left
 * in its journal without a clean shutdown is not seen (journal_pending).
 */
int kvm_boot_find(const char *path, enum vm_disk_format format, struct kvm_boot *out,
		  struct vmt_error *err);

/*
 * Copy b's kernel and initrd out of the image into kernel_path and
 * initrd_path (which must not exist: -EEXIST; each is written to a
 * temporary name beside it, mode 0600, and renamed; nothing is left
 * behind on failure). initrd_path is ignored when b has no initrd. When
 * b->stamp is set and the files no longer match it (the image changed
 * since kvm_boot_find), -ESTALE and nothing is written.
 */
int kvm_boot_extract(const char *path, enum vm_disk_format format, const struct kvm_boot *b,
		     const char *kernel_path, const char *initrd_path, struct vmt_error *err);

/*
 * The two above, as the image tools module exports them (kvm-boot.c:
 * libblkid and libext2fs); the functions above load the module on first
 * use (kvm-cloud.c), and fail with its one-line error when it cannot be.
 */
struct kvm_boot_ops {
	int (*find)(const char *path, enum vm_disk_format format, struct kvm_boot *out,
		    struct vmt_error *err);
	int (*extract)(const char *path, enum vm_disk_format format, const struct kvm_boot *b,
		       const char *kernel_path, const char *initrd_path, struct vmt_error *err);
};
extern const struct kvm_boot_ops kvm_boot_ops;

#endif
