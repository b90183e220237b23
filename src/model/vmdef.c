// SPDX-License-Identifier: GPL-2.0-or-later
/* vmdef.c: life cycle, copying and enum names of struct vm_def. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/lib/util.h"
#include "src/model/vmdef.h"

struct vm_def *vm_def_new(void)
{
	struct vm_def *def = xmalloc(sizeof(*def));

	vm_def_init(def);
	return def;
}

void vm_def_free(struct vm_def *def)
{
	if (!def)
		return;
	vm_def_done(def);
	free(def);
}

static int vm_def_cmp_uuid(const void *a, const void *b)
{
	const struct vm_def *const *x = a, *const *y = b;

	return strcmp((*x)->uuid, (*y)->uuid);
}

void vm_defs_sort_uuid(struct vm_def **defs, size_t n)
{
	if (n)	/* qsort() must not see the NULL of an empty list */
		qsort(defs, n, sizeof(*defs), vm_def_cmp_uuid);
}

size_t vm_defs_find_uuid(struct vm_def *const *defs, size_t n, const char *uuid)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(defs[mid]->uuid, uuid);

		if (cmp == 0)
			return mid;
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return n;
}

void vm_def_init(struct vm_def *def)
{
	memset(def, 0, sizeof(*def));
	def->vcpus = 1;
	def->memory_mib = 512;
	def->firmware = VM_FIRMWARE_BIOS;
}

void vm_disk_done(struct vm_disk *disk)
{
	free(disk->path);
	free(disk->pool);
	free(disk->from);
}

void vm_def_done(struct vm_def *def)
{
	free(def->name);
	free(def->uri);
	free(def->host);
	free(def->backend);
	free(def->kernel);
	free(def->initrd);
	free(def->cmdline);
	free(def->boot_order);
	free(def->virt_type);
	free(def->notes);
	free(def->group);
	for (size_t i = 0; i < def->n_disks; i++)
		vm_disk_done(&def->disks[i]);
	free(def->disks);
	for (size_t i = 0; i < def->n_nics; i++)
		vm_nic_done(&def->nics[i]);
	free(def->nics);
	vm_image_done(&def->image);
	vm_def_init(def);
}

void vm_image_done(struct vm_image *im)
{
	free(im->source);
	free(im->base);
	free(im->login);
	free(im->ssh_key);
	free(im->kernel_from);
	free(im->initrd_from);
	free(im->boot_stamp);
	free(im->seed);
	memset(im, 0, sizeof(*im));
}

void vm_image_copy(struct vm_image *d, const struct vm_image *s)
{
	d->source = xstrdup_or_null(s->source);
	d->base = xstrdup_or_null(s->base);
	d->login = xstrdup_or_null(s->login);
	d->ssh_key = xstrdup_or_null(s->ssh_key);
	d->kernel_from = xstrdup_or_null(s->kernel_from);
	d->initrd_from = xstrdup_or_null(s->initrd_from);
	d->boot_stamp = xstrdup_or_null(s->boot_stamp);
	d->seed = xstrdup_or_null(s->seed);
	d->booted = s->booted;
}

struct vm_def *vm_def_copy(const struct vm_def *src)
{
	struct vm_def *d = vm_def_new();

	*d = *src;
	d->name = xstrdup_or_null(src->name);
	d->uri = xstrdup_or_null(src->uri);
	d->host = xstrdup_or_null(src->host);
	d->backend = xstrdup_or_null(src->backend);
	d->kernel = xstrdup_or_null(src->kernel);
	d->initrd = xstrdup_or_null(src->initrd);
	d->cmdline = xstrdup_or_null(src->cmdline);
	d->boot_order = xstrdup_or_null(src->boot_order);
	d->virt_type = xstrdup_or_null(src->virt_type);
	d->notes = xstrdup_or_null(src->notes);
	d->group = xstrdup_or_null(src->group);
	vm_image_copy(&d->image, &src->image);
	d->disks = xcalloc(src->n_disks, sizeof(*d->disks));
	for (size_t i = 0; i < src->n_disks; i++) {
		d->disks[i] = src->disks[i];
		d->disks[i].path = xstrdup_or_null(src->disks[i].path);
		d->disks[i].pool = xstrdup_or_null(src->disks[i].pool);
		d->disks[i].from = xstrdup_or_null(src->disks[i].from);
	}
	d->nics = xcalloc(src->n_nics, sizeof(*d->nics));
	for (size_t i = 0; i < src->n_nics; i++) {
		d->nics[i] = src->nics[i];
		d->nics[i].source = xstrdup_or_null(src->nics[i].source);
		d->nics[i].forwards = xstrdup_or_null(src->nics[i].forwards);
	}
	return d;
}

void vm_def_set_str(char **field, const char *value)
{
	char *v = xstrdup_or_null(value);

	free(*field);
	*field = v;
}

struct vm_disk *vm_def_add_disk(struct vm_def *def)
{
	struct vm_disk *disk;

	def->disks = xrealloc(def->disks, (def->n_disks + 1) * sizeof(*disk));
	disk = &def->disks[def->n_disks++];
	memset(disk, 0, sizeof(*disk));
	return disk;
}

struct vm_nic *vm_def_add_nic(struct vm_def *def)
{
	struct vm_nic *nic;

	def->nics = xrealloc(def->nics, (def->n_nics + 1) * sizeof(*nic));
	nic = &def->nics[def->n_nics++];
	memset(nic, 0, sizeof(*nic));
	return nic;
}

void vm_def_remove_disk(struct vm_def *def, size_t index)
{
	if (index >= def->n_disks)
		return;
	vm_disk_done(&def->disks[index]);
	memmove(&def->disks[index], &def->disks[index + 1],
		(def->n_disks - index - 1) * sizeof(*def->disks));
	def->n_disks--;
}

void vm_nic_done(struct vm_nic *nic)
{
	free(nic->source);
	free(nic->forwards);
	nic->source = nic->forwards = NULL;
}

int vm_nic_fwds(const struct vm_nic *nic, struct vm_fwd *out)
{
	char *copy = xstrdup(nic->forwards ? nic->forwards : ""), *save = NULL;
	int n = 0;

	for (char *w = strtok_r(copy, " ", &save); w && n >= 0; w = strtok_r(NULL, " ", &save))
		n = n == VM_FWD_MAX ? -E2BIG : vm_fwd_parse(w, &out[n]) == 0 ? n + 1 : -EINVAL;
	free(copy);
	return n;
}

char *vm_nic_format(const struct vm_nic *nic)
{
	struct vm_fwd fwd[VM_FWD_MAX];
	int n = vm_nic_fwds(nic, fwd);
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_addf(&sb, "%s%s%s%s%s", vm_nic_kind_name(nic->kind), nic->source ? ":" : "",
		    nic->source ? nic->source : "", nic->mac[0] ? ",mac=" : "", nic->mac);
	for (int i = 0; i < n; i++)
		strbuf_addf(&sb, ",fwd=%s:%s:%u:%u", fwd[i].udp ? "udp" : "tcp", fwd[i].addr,
			    fwd[i].host_port, fwd[i].guest_port);
	return strbuf_detach(&sb);
}

void vm_def_remove_nic(struct vm_def *def, size_t index)
{
	if (index >= def->n_nics)
		return;
	vm_nic_done(&def->nics[index]);
	memmove(&def->nics[index], &def->nics[index + 1],
		(def->n_nics - index - 1) * sizeof(*def->nics));
	def->n_nics--;
}

/* Lookup tables shared by the *_name and *_parse functions below. */
static const char *const vm_disk_format_names[] = {
	[VM_DISK_FORMAT_AUTO] = "auto",
	[VM_DISK_FORMAT_RAW] = "raw",
	[VM_DISK_FORMAT_QCOW2] = "qcow2",
};
static const char *const vm_disk_device_names[] = {
	[VM_DISK_DEVICE_DISK] = "disk",
	[VM_DISK_DEVICE_CDROM] = "cdrom",
};
static const char *const vm_nic_kind_names[] = {
	[VM_NIC_USER] = "user",
	[VM_NIC_TAP] = "tap",
	[VM_NIC_NETWORK] = "network",
	[VM_NIC_BRIDGE] = "bridge",
};
static const char *const vm_graphics_names[] = {
	[VM_GRAPHICS_NONE] = "none",
	[VM_GRAPHICS_VNC] = "vnc",
	[VM_GRAPHICS_SPICE] = "spice",
};
static const char *const vm_firmware_names[] = {
	[VM_FIRMWARE_BIOS] = "bios",
	[VM_FIRMWARE_UEFI] = "uefi",
};

#define VM_ENUM_FUNCS(prefix, type, table)                                  \
	const char *prefix##_name(type v)                                   \
	{                                                                   \
		return (size_t)v < ARRAY_SIZE(table) ? table[v] : "?";      \
	}                                                                   \
	int prefix##_parse(const char *s, type *out)                        \
	{                                                                   \
		int v = str_table_index(table, ARRAY_SIZE(table), s);         \
		if (v < 0)                                                  \
			return v;                                           \
		*out = (type)v;                                             \
		return 0;                                                   \
	}

VM_ENUM_FUNCS(vm_disk_format, enum vm_disk_format, vm_disk_format_names)
VM_ENUM_FUNCS(vm_disk_device, enum vm_disk_device, vm_disk_device_names)
VM_ENUM_FUNCS(vm_nic_kind, enum vm_nic_kind, vm_nic_kind_names)
VM_ENUM_FUNCS(vm_graphics, enum vm_graphics, vm_graphics_names)
VM_ENUM_FUNCS(vm_firmware, enum vm_firmware, vm_firmware_names)

enum vm_disk_format vm_disk_sniff(const char *path)
{
	unsigned char magic[4];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return VM_DISK_FORMAT_AUTO;
	n = pread(fd, magic, sizeof(magic), 0);
	close(fd);
	if (n == 4 && memcmp(magic, "QFI\xfb", 4) == 0)
		return VM_DISK_FORMAT_QCOW2;
	return n >= 0 ? VM_DISK_FORMAT_RAW : VM_DISK_FORMAT_AUTO;
}

enum vm_disk_format vm_disk_format_from_name(const char *path)
{
	const char *dot = path ? strrchr(path, '.') : NULL;

	if (!dot)
		return VM_DISK_FORMAT_AUTO;
	if (strcmp(dot, ".qcow2") == 0 || strcmp(dot, ".qcow") == 0)
		return VM_DISK_FORMAT_QCOW2;
	if (strcmp(dot, ".img") == 0 || strcmp(dot, ".raw") == 0 ||
	    strcmp(dot, ".iso") == 0)
		return VM_DISK_FORMAT_RAW;
	return VM_DISK_FORMAT_AUTO;
}

static void vm_mac_generate(char mac[18])
{
	unsigned char b[3];

	random_bytes(b, sizeof(b));
	/* 52:54:00 is the prefix QEMU and libvirt use for guest NICs. */
	snprintf(mac, 18, "52:54:00:%02x:%02x:%02x", b[0], b[1], b[2]);
}

void vm_def_resolve(struct vm_def *def, enum vm_disk_format default_format)
{
	if (!def->uuid[0])
		uuid_generate_text(def->uuid);
	for (size_t i = 0; i < def->n_nics; i++)
		if (!def->nics[i].mac[0])
			vm_mac_generate(def->nics[i].mac);
	for (size_t i = 0; i < def->n_disks; i++) {
		struct vm_disk *d = &def->disks[i];

		if (d->format != VM_DISK_FORMAT_AUTO)
			continue;
		if (d->device == VM_DISK_DEVICE_CDROM)
			d->format = VM_DISK_FORMAT_RAW;
		if (d->format == VM_DISK_FORMAT_AUTO && d->path && !d->size_bytes)
			d->format = vm_disk_sniff(d->path);
		if (d->format == VM_DISK_FORMAT_AUTO)
			d->format = vm_disk_format_from_name(d->path);
		if (d->format == VM_DISK_FORMAT_AUTO)
			d->format = default_format;
	}
}
