// SPDX-License-Identifier: GPL-2.0-or-later
/* vmdef-check.c: validation of every field of a VM definition. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/lib/util.h"
#include "src/model/vmdef.h"

static bool vm_name_char_ok(char c)
{
	return isalnum((unsigned char)c) || c == '.' || c == '_' || c == '-';
}

/* Why character c of a name is refused, into err: what it is, and what a name may hold. */
static int vm_name_refuse(const char *name, size_t i, struct vmt_error *err)
{
	static const char allowed[] = "a name vmtui gives is A-Z a-z 0-9 . _ - only, "
				      "as it becomes part of file and volume names";
	unsigned char c = (unsigned char)name[i];
	uint32_t cp;

	if (isprint(c))
		return vmt_error_set(err, -EINVAL, "name: '%c' is not allowed: %s", c, allowed);
	if (c < 0x80)
		return vmt_error_set(err, -EINVAL,
				     "name: control character 0x%02x is not allowed: %s", c, allowed);
	size_t n = utf8_decode(name + i, strlen(name + i), &cp);

	if (n == 0)
		return vmt_error_set(err, -EINVAL,
				     "name: byte 0x%02x at offset %zu is not UTF-8 text: %s",
				     c, i, allowed);
	return vmt_error_set(err, -EINVAL, "name: '%.*s' (U+%04X) is not allowed: %s",
			     (int)n, name + i, (unsigned)cp, allowed);
}

int vm_check_name(const char *name, struct vmt_error *err)
{
	size_t len = name ? strlen(name) : 0;

	if (len == 0)
		return vmt_error_set(err, -EINVAL, "name: must not be empty");
	if (len > VM_NAME_MAX)
		return vmt_error_set(err, -EINVAL,
				     "name: %zu characters is too long (at most %d)",
				     len, VM_NAME_MAX);
	for (size_t i = 0; i < len; i++)
		if (!vm_name_char_ok(name[i]))
			return vm_name_refuse(name, i, err);
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return vmt_error_set(err, -EINVAL, "name: '%s' is reserved", name);
	return 0;
}

int vm_check_vcpus(unsigned vcpus, const struct vm_limits *lim,
		   struct vmt_error *err)
{
	if (vcpus < 1 || vcpus > lim->max_vcpus)
		return vmt_error_set(err, -EINVAL,
				     "vcpus: %u is out of range (1 to %u on this host)",
				     vcpus, lim->max_vcpus);
	return 0;
}

int vm_check_memory(uint64_t mib, const struct vm_limits *lim,
		    struct vmt_error *err)
{
	if (mib < VM_MEMORY_MIN_MIB || mib > lim->max_memory_mib)
		return vmt_error_set(err, -EINVAL,
				     "memory: %llu MiB is out of range (%d to %llu MiB on this host)",
				     (unsigned long long)mib, VM_MEMORY_MIN_MIB,
				     (unsigned long long)lim->max_memory_mib);
	return 0;
}

/* A file the VM will read: it must exist, be readable and not be a directory. */
static int vm_check_readable(const char *field, const char *path,
			     struct vmt_error *err)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return vmt_error_set(err, -EINVAL, "%s: %s: %s", field, path,
				     strerror(errno));
	if (S_ISDIR(st.st_mode))
		return vmt_error_set(err, -EINVAL, "%s: %s is a directory",
				     field, path);
	if (access(path, R_OK) < 0)
		return vmt_error_set(err, -EINVAL, "%s: %s is not readable: %s",
				     field, path, strerror(errno));
	return 0;
}

int vm_check_boot_file(const char *field, const char *path,
		       const struct vm_limits *lim, struct vmt_error *err)
{
	if (!path)
		return 0;
	if (!*path)
		return vmt_error_set(err, -EINVAL, "%s: the path is empty", field);
	if (path[0] != '/')
		return vmt_error_set(err, -EINVAL,
				     "%s: %s is not an absolute path", field, path);
	return lim->local_files ? vm_check_readable(field, path, err) : 0;
}

int vm_check_cmdline(const char *cmdline, struct vmt_error *err)
{
	size_t len = cmdline ? strlen(cmdline) : 0;

	if (len >= VM_CMDLINE_MAX)
		return vmt_error_set(err, -EINVAL,
				     "cmdline: %zu bytes is too long (the Linux boot protocol allows %d)",
				     len, VM_CMDLINE_MAX - 1);
	for (size_t i = 0; i < len; i++)
		if (iscntrl((unsigned char)cmdline[i]))
			return vmt_error_set(err, -EINVAL,
					     "cmdline: control character 0x%02x at offset %zu",
					     (unsigned char)cmdline[i], i);
	return 0;
}

int vm_check_mac(const char *mac, struct vmt_error *err)
{
	unsigned b[6];
	char tail;

	if (strlen(mac) != 17 ||
	    sscanf(mac, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &tail) != 6)
		return vmt_error_set(err, -EINVAL,
				     "mac: '%s' is not of the form xx:xx:xx:xx:xx:xx",
				     mac);
	for (int i = 0; i < 17; i++)
		if (i % 3 == 2 ? mac[i] != ':' : !isxdigit((unsigned char)mac[i]))
			return vmt_error_set(err, -EINVAL,
					     "mac: '%s' is not of the form xx:xx:xx:xx:xx:xx",
					     mac);
	if (b[0] & 1)
		return vmt_error_set(err, -EINVAL,
				     "mac: %s is a multicast address", mac);
	if (!(b[0] | b[1] | b[2] | b[3] | b[4] | b[5]))
		return vmt_error_set(err, -EINVAL, "mac: %s is all zeros", mac);
	return 0;
}

/* An image vmtui is about to create: never over an existing file. */
static int vm_check_new_image(const char *field, const char *path,
			      struct vmt_error *err)
{
	struct stat st;
	char *dir;
	int r = 0;

	if (lstat(path, &st) == 0)
		return vmt_error_set(err, -EINVAL,
				     "%s: %s already exists (give no size to use it as it is)",
				     field, path);
	dir = path_dirname(path);
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		r = vmt_error_set(err, -EINVAL, "%s: directory %s does not exist",
				  field, dir);
	else if (access(dir, W_OK) < 0)
		r = vmt_error_set(err, -EINVAL, "%s: directory %s is not writable",
				  field, dir);
	free(dir);
	return r;
}

/* The header of an existing image must agree with the format given. */
static int vm_check_image_format(const char *field, const struct vm_disk *d,
				 struct vmt_error *err)
{
	enum vm_disk_format seen = vm_disk_sniff(d->path);

	if (d->format == VM_DISK_FORMAT_RAW && seen == VM_DISK_FORMAT_QCOW2)
		return vmt_error_set(err, -EINVAL,
				     "%s: %s is a qcow2 image, not raw (say format=qcow2)",
				     field, d->path);
	if (d->format == VM_DISK_FORMAT_QCOW2 && seen == VM_DISK_FORMAT_RAW)
		return vmt_error_set(err, -EINVAL,
				     "%s: %s has no qcow2 header (say format=raw)",
				     field, d->path);
	return 0;
}

int vm_check_disk(const struct vm_disk *d, size_t index,
		  const struct vm_limits *lim, struct vmt_error *err)
{
	char field[32];
	bool cdrom = d->device == VM_DISK_DEVICE_CDROM;

	snprintf(field, sizeof(field), cdrom ? "cdrom" : "disk %zu", index + 1);
	if (cdrom && !lim->has_cdrom)
		return vmt_error_set(err, -EINVAL,
				     "cdrom: this connection boots kernels directly and cannot attach an ISO");
	if (cdrom && d->size_bytes)
		return vmt_error_set(err, -EINVAL, "cdrom: an ISO cannot be created");
	if (!d->path && !d->size_bytes)
		return vmt_error_set(err, -EINVAL,
				     "%s: give a path, a size for a new image, or both",
				     field);
	if (!d->path && !lim->default_place)
		return vmt_error_set(err, -EINVAL,
				     "%s: this connection has no default place for new images: give a path",
				     field);
	if (d->path && d->path[0] != '/')
		return vmt_error_set(err, -EINVAL, "%s: %s is not an absolute path",
				     field, d->path);
	if (!d->path || !lim->local_files)
		return 0;
	/* An image vmtui made keeps its size in the definition, and is there now. */
	if (d->size_bytes && !d->created)
		return vm_check_new_image(field, d->path, err);
	int r = vm_check_readable(field, d->path, err);

	return r < 0 ? r : vm_check_image_format(field, d, err);
}

static bool vm_ifname_ok(const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || len > VM_IFNAME_MAX)
		return false;
	for (; *s; s++)
		if (!isgraph((unsigned char)*s) || *s == '/' || *s == ':')
			return false;
	return true;
}

/* Whether two forwards want one host port (0.0.0.0 takes it on every address). */
static bool vm_fwd_clash(const struct vm_fwd *a, const struct vm_fwd *b)
{
	return a->udp == b->udp && a->host_port == b->host_port &&
	       (strcmp(a->addr, b->addr) == 0 || strcmp(a->addr, "0.0.0.0") == 0 ||
		strcmp(b->addr, "0.0.0.0") == 0);
}

int vm_check_forwards(const struct vm_nic *nics, size_t n, size_t first, struct vmt_error *err)
{
	struct vm_fwd *all = xcalloc(n * VM_FWD_MAX + 1, sizeof(*all));
	size_t *owner = xcalloc(n * VM_FWD_MAX + 1, sizeof(*owner)), total = 0;
	int r = 0;

	for (size_t i = 0; i < n && r == 0; i++) {
		int got;

		if (!nics[i].forwards)
			continue;
		if (nics[i].kind != VM_NIC_USER) {
			r = vmt_error_set(err, -EINVAL, "nic %zu: port forwards (fwd=) are for user "
					  "networking only", first + i + 1);
			break;
		}
		got = vm_nic_fwds(&nics[i], all + total);
		if (got == -E2BIG) {
			r = vmt_error_set(err, -EINVAL, "nic %zu: more than %d port forwards",
					  first + i + 1, VM_FWD_MAX);
			break;
		}
		if (got < 0) {
			r = vmt_error_set(err, -EINVAL, "nic %zu: '%s' are not port forwards",
					  first + i + 1, nics[i].forwards);
			break;
		}
		for (size_t k = total; k < total + (size_t)got; k++) {
			owner[k] = i;
			for (size_t j = 0; j < k && r == 0; j++) {
				if (!vm_fwd_clash(&all[j], &all[k]))
					continue;
				if (owner[j] == i)
					r = vmt_error_set(err, -EINVAL, "nic %zu: %s port %s:%u is forwarded "
							  "twice", first + i + 1, all[k].udp ? "udp" : "tcp",
							  all[k].addr, all[k].host_port);
				else
					r = vmt_error_set(err, -EINVAL, "nic %zu: %s port %s:%u is forwarded "
							  "by nic %zu too", first + i + 1,
							  all[k].udp ? "udp" : "tcp", all[k].addr,
							  all[k].host_port, first + owner[j] + 1);
			}
		}
		total += (size_t)got;
	}
	free(all);
	free(owner);
	return r;
}

int vm_check_nic(const struct vm_nic *nic, size_t index, struct vmt_error *err)
{
	const char *kind = vm_nic_kind_name(nic->kind);

	if (nic->kind != VM_NIC_USER && str_empty(nic->source))
		return vmt_error_set(err, -EINVAL, "nic %zu: %s needs a name (%s:NAME)",
				     index + 1, kind, kind);
	if ((nic->kind == VM_NIC_TAP || nic->kind == VM_NIC_BRIDGE) &&
	    !vm_ifname_ok(nic->source))
		return vmt_error_set(err, -EINVAL,
				     "nic %zu: '%s' is not a valid interface name (1 to %d characters, no '/' ':' or spaces)",
				     index + 1, nic->source, VM_IFNAME_MAX);
	if (nic->kind == VM_NIC_NETWORK) {
		int r = vm_check_text("network", nic->source, 255, err);

		if (r < 0)
			return vmt_error_prefix(err, "nic %zu", index + 1);
	}
	if (nic->mac[0] && vm_check_mac(nic->mac, err) < 0)
		return vmt_error_prefix(err, "nic %zu", index + 1);
	return 0;
}

int vm_check_boot_order(const char *order, struct vmt_error *err)
{
	static const char *const devs[] = { "hd", "cdrom", "network" };
	char *copy, *save = NULL;
	int r = 0;

	if (!order)
		return 0;
	copy = xstrdup(order);
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		bool ok = false;

		for (size_t i = 0; i < ARRAY_SIZE(devs); i++)
			ok |= strcmp(t, devs[i]) == 0;
		if (!ok) {
			r = vmt_error_set(err, -EINVAL,
					  "boot: '%s' is not a boot device (hd, cdrom, network)",
					  t);
			break;
		}
	}
	free(copy);
	return r;
}

int vm_check_text(const char *field, const char *text, size_t max,
		  struct vmt_error *err)
{
	size_t len = text ? strlen(text) : 0;

	if (len > max)
		return vmt_error_set(err, -EINVAL,
				     "%s: %zu bytes is too long (at most %zu)",
				     field, len, max);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c < 0x20 && c != '\n' && c != '\t')
			return vmt_error_set(err, -EINVAL,
					     "%s: control character 0x%02x at offset %zu",
					     field, c, i);
	}
	return 0;
}

static int vm_def_check_boot(const struct vm_def *def,
			     const struct vm_limits *lim, struct vmt_error *err)
{
	/* Such a connection boots a cloud image's own kernel, adding cmdline to what it passes. */
	bool image_kernel = def->image.source && lim->needs_kernel;
	int r;

	if (!def->kernel && (def->initrd || (def->cmdline && !image_kernel)))
		return vmt_error_set(err, -EINVAL,
				     "%s: needs a kernel (--kernel)",
				     def->initrd ? "initrd" : "cmdline");
	if (!def->kernel && lim->needs_kernel && !image_kernel)
		return vmt_error_set(err, -EINVAL,
				     "kernel: this connection boots kernels directly: give --kernel");
	r = vm_check_boot_file("kernel", def->kernel, lim, err);
	if (r == 0)
		r = vm_check_boot_file("initrd", def->initrd, lim, err);
	if (r == 0)
		r = vm_check_cmdline(def->cmdline, err);
	if (r == 0)
		r = vm_check_boot_order(def->boot_order, err);
	return r;
}

static int vm_def_check_devices(const struct vm_def *def,
				const struct vm_limits *lim,
				struct vmt_error *err)
{
	int r;

	if (def->n_disks > VM_DISKS_MAX)
		return vmt_error_set(err, -EINVAL, "disks: %zu is too many (at most %d)",
				     def->n_disks, VM_DISKS_MAX);
	if (def->n_nics > VM_NICS_MAX)
		return vmt_error_set(err, -EINVAL, "nics: %zu is too many (at most %d)",
				     def->n_nics, VM_NICS_MAX);
	for (size_t i = 0; i < def->n_disks; i++) {
		r = vm_check_disk(&def->disks[i], i, lim, err);
		if (r < 0)
			return r;
		for (size_t j = 0; j < i; j++)
			if (def->disks[i].path && str_eq(def->disks[i].path, def->disks[j].path))
				return vmt_error_set(err, -EINVAL,
						     "disk %zu: %s is already disk %zu",
						     i + 1, def->disks[i].path, j + 1);
	}
	for (size_t i = 0; i < def->n_nics; i++) {
		r = vm_check_nic(&def->nics[i], i, err);
		if (r < 0)
			return r;
	}
	return vm_check_forwards(def->nics, def->n_nics, 0, err);
}

int vm_def_validate_body(const struct vm_def *def, const struct vm_limits *lim,
			 struct vmt_error *err)
{
	int r = 0;

	if (def->uuid[0] && !uuid_is_valid(def->uuid))
		r = vmt_error_set(err, -EINVAL, "uuid: '%s' is not a UUID", def->uuid);
	if (r == 0)
		r = vm_check_vcpus(def->vcpus, lim, err);
	if (r == 0)
		r = vm_check_memory(def->memory_mib, lim, err);
	if (r == 0)
		r = vm_def_check_boot(def, lim, err);
	if (r == 0 && def->virt_type && !str_eq(def->virt_type, "kvm") &&
	    !str_eq(def->virt_type, "qemu"))
		r = vmt_error_set(err, -EINVAL, "virt-type: '%s' is neither kvm nor qemu",
				  def->virt_type);
	if (r == 0)
		r = vm_def_check_devices(def, lim, err);
	if (r == 0)
		r = vm_check_text("notes", def->notes, VM_NOTES_MAX, err);
	if (r == 0)
		r = vm_check_text("group", def->group, VM_GROUP_MAX, err);
	if (r == 0 && def->group && strchr(def->group, '\n'))
		r = vmt_error_set(err, -EINVAL, "group: must be a single line");
	return r;
}

int vm_def_validate(const struct vm_def *def, const struct vm_limits *lim,
		    struct vmt_error *err)
{
	int r = vm_check_name(def->name, err);

	return r < 0 ? r : vm_def_validate_body(def, lim, err);
}
