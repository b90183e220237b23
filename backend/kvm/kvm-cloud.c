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
#include "src/lib/module.h"
#include "src/lib/util.h"

/* --- the image tools module's part (kvm-boot.c) ------------------------------ */

void kvm_boot_done(struct kvm_boot *b)
{
	if (!b)
		return;
	free(b->kernel);
	free(b->initrd);
	free(b->version);
	free(b->stamp);
	memset(b, 0, sizeof(*b));
}

/* The image tools module's boot-file reader (kvm-boot.c), loaded on first use. */
static const struct kvm_boot_ops *kvm_boot_tools(struct vmt_error *err)
{
	return vmt_module_get(&vmt_module_image, "kvm_boot_ops", err);
}

int kvm_boot_find(const char *path, enum vm_disk_format format, struct kvm_boot *out,
		  struct vmt_error *err)
{
	const struct kvm_boot_ops *b = kvm_boot_tools(err);

	memset(out, 0, sizeof(*out));
	return b ? b->find(path, format, out, err) : -ENOTSUP;
}

int kvm_boot_extract(const char *path, enum vm_disk_format format, const struct kvm_boot *b,
		     const char *kernel_path, const char *initrd_path, struct vmt_error *err)
{
	const struct kvm_boot_ops *ops = kvm_boot_tools(err);

	return ops ? ops->extract(path, format, b, kernel_path, initrd_path, err) : -ENOTSUP;
}

/* --- a cloud-image VM's kernel ------------------------------------------------ */

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
 * Whether path is a kernel or initrd vmtui took for def: its name is the
 * one kvm_cloud_take gives (a clone names its original's until it takes
 * its own, and a kernel the user gave is nobody's to remove).
 */
static bool kvm_cloud_owns(const struct kvm_be *k, const struct vm_def *def, const char *path)
{
	const char *v = def->image.kernel_from ? strstr(def->image.kernel_from, "/vmlinuz-") : NULL;
	char *stem;
	const char *rest;
	bool mine;

	if (!v || !path)
		return false;
	stem = xasprintf("%s/%s-%s.", k->imgdir, def->name, v + strlen("/vmlinuz-"));
	mine = str_starts_with(path, stem);
	rest = mine ? path + strlen(stem) : "";
	while (mine && *rest >= '0' && *rest <= '9')
		rest++;
	if (mine && *rest == '.' && rest != path + strlen(stem))
		rest++;
	mine = mine && (str_eq(rest, "vmlinuz") || str_eq(rest, "initrd"));
	free(stem);
	return mine;
}

void kvm_cloud_remove(struct kvm_be *k, const struct vm_def *def)
{
	const char *files[] = { def->kernel, def->initrd };

	for (size_t i = 0; i < 2; i++)
		if (kvm_cloud_owns(k, def, files[i]) && unlink(files[i]) == 0)
			LOG_INFO("kvm: removed %s of %s", files[i], def->name);
}

/* A guest writes its /boot: a version is a file name part, nothing that could steer a terminal. */
static int kvm_cloud_check_version(const char *v, struct vmt_error *err)
{
	for (const char *p = v; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("._+~-", *p)))
			return vmt_error_set(err, -EINVAL, "the image's kernel version is not a "
					     "plain name (byte 0x%02x)", (unsigned char)*p);
	return *v ? 0 : vmt_error_set(err, -EINVAL, "the image's kernel has no version");
}

/*
 * Copy b's files out of the image at path into the images folder and
 * point def at them; the files vmtui took before for def are removed once
 * the new ones are in place.
 */
static int kvm_cloud_take(struct kvm_be *k, struct vm_def *def, const char *path,
			  enum vm_disk_format format, const struct kvm_boot *b,
			  struct vmt_error *err)
{
	char *stem, *kernel, *initrd;
	int r = kvm_cloud_check_version(b->version, err);

	if (r < 0)
		return r;
	stem = xasprintf("%s-%s", def->name, b->version);
	kernel = file_free_path(k->imgdir, stem, "vmlinuz");
	initrd = b->initrd ? file_free_path(k->imgdir, stem, "initrd") : NULL;
	free(stem);
	r = mkdir_p(k->imgdir, 0700, err);
	if (r == 0)
		r = kvm_boot_extract(path, format, b, kernel, initrd, err);
	if (r < 0) {
		free(kernel);
		free(initrd);
		return r;
	}
	kvm_cloud_remove(k, def);
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
