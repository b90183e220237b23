// SPDX-License-Identifier: GPL-2.0-or-later
/* kvm-cloud.c: a kvm:/// VM made from a cloud image boots the image's own kernel, taken from its /boot at create and again after the guest updates it. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/kvm/kvm-boot.h"
#include "backend/kvm/kvm-priv.h"
#include "src/lib/file-copy.h"
#include "src/lib/log.h"
#include "src/lib/util.h"

/*
 * The runner boots kernels, not firmware, so the image's bootloader is
 * never run: vmtui reads /boot itself (kvm-boot.c) and passes the
 * kernel what grub would have: the root filesystem and the console.
 */
static char *kvm_cloud_cmdline(const struct kvm_boot *b, const char *extra)
{
	return xasprintf("root=UUID=%s ro console=ttyS0%s%s", b->root_uuid,
			 str_empty(extra) ? "" : " ", str_empty(extra) ? "" : extra);
}

/* "1:/boot/vmlinuz-6.1.0-28-cloud-amd64": where a file was taken from. */
static char *kvm_cloud_from(const struct kvm_boot *b, const char *path)
{
	return path ? xasprintf("%u:%s", b->partition, path) : NULL;
}

/*
 * Copy b's files out of the image at path into the images folder and
 * point def at them; the files def named before are removed once the new
 * ones are in place.
 */
static int kvm_cloud_take(struct kvm_be *k, struct vm_def *def, const char *path,
			  enum vm_disk_format format, const struct kvm_boot *b,
			  struct vmt_error *err)
{
	char *stem = xasprintf("%s-%s", def->name, b->version);
	char *kernel = file_free_path(k->imgdir, stem, "vmlinuz");
	char *initrd = b->initrd ? file_free_path(k->imgdir, stem, "initrd") : NULL;
	int r;

	free(stem);
	r = mkdir_p(k->imgdir, 0700, err);
	if (r == 0)
		r = kvm_boot_extract(path, format, b, kernel, initrd, err);
	if (r < 0) {
		free(kernel);
		free(initrd);
		return r;
	}
	if (def->kernel && !str_eq(def->kernel, kernel))
		unlink(def->kernel);
	if (def->initrd && !str_eq(def->initrd, initrd))
		unlink(def->initrd);
	free(def->kernel);
	free(def->initrd);
	def->kernel = kernel;
	def->initrd = initrd;
	free(def->image.kernel_from);
	free(def->image.initrd_from);
	def->image.kernel_from = kvm_cloud_from(b, b->kernel);
	def->image.initrd_from = kvm_cloud_from(b, b->initrd);
	vm_def_set_str(&def->image.boot_stamp, b->stamp);
	LOG_INFO("kvm: %s boots %s from %s", def->name, def->image.kernel_from, path);
	return 0;
}

int kvm_cloud_define(struct kvm_be *k, struct vm_def *def, struct vmt_error *err)
{
	struct kvm_boot b = { 0 };
	char *cmdline;
	int r;

	if (!def->image.source || def->kernel || !def->image.base)
		return 0;
	r = kvm_boot_find(def->image.base, VM_DISK_FORMAT_RAW, &b, err);
	if (r == 0)
		r = kvm_cloud_take(k, def, def->image.base, VM_DISK_FORMAT_RAW, &b, err);
	if (r == 0) {
		cmdline = kvm_cloud_cmdline(&b, def->cmdline);
		free(def->cmdline);
		def->cmdline = cmdline;
	}
	kvm_boot_done(&b);
	return r < 0 ? vmt_error_prefix(err, "image") : 0;
}

int kvm_cloud_refresh(struct kvm_be *k, struct vm_def *def, bool *changed,
		      struct vmt_error *err)
{
	const struct vm_disk *d = def->n_disks ? &def->disks[0] : NULL;
	struct kvm_boot b = { 0 };
	int r;

	*changed = false;
	if (!def->image.kernel_from || !d || !d->path)
		return 0;
	r = kvm_boot_find(d->path, d->format, &b, err);
	/* A guest that did not shut down cleanly may have more in its journal: keep what it had. */
	if (r == 0 && b.journal_pending && !str_eq(b.stamp, def->image.boot_stamp))
		LOG_WARN("kvm: %s's /boot was not cleanly unmounted: booting %s as before",
			 def->name, def->kernel);
	else if (r == 0 && !str_eq(b.stamp, def->image.boot_stamp)) {
		r = kvm_cloud_take(k, def, d->path, d->format, &b, err);
		*changed = r == 0;
	}
	kvm_boot_done(&b);
	return r < 0 ? vmt_error_prefix(err, "the kernel in %s's /boot", def->name) : 0;
}
