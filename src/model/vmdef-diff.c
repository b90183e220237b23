// SPDX-License-Identifier: GPL-2.0-or-later
/* vmdef-diff.c: what an edit changes in a VM's machine, part by part. */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "src/lib/util.h"
#include "src/model/vmdef.h"

bool vm_disk_same(const struct vm_disk *a, const struct vm_disk *b)
{
	/* One side may know the pool of a file that the other names by its path alone. */
	return a->path && b->path && str_eq(a->path, b->path) &&
	       (!a->pool || !b->pool || str_eq(a->pool, b->pool)) && a->device == b->device;
}

bool vm_nic_same(const struct vm_nic *a, const struct vm_nic *b)
{
	return a->mac[0] && strcasecmp(a->mac, b->mac) == 0;
}

/* The index in def of the disk that is old's d, or -1. */
ssize_t vm_def_find_disk(const struct vm_def *def, const struct vm_disk *d)
{
	for (size_t i = 0; i < def->n_disks; i++)
		if (vm_disk_same(&def->disks[i], d))
			return (ssize_t)i;
	return -1;
}

ssize_t vm_def_find_nic(const struct vm_def *def, const struct vm_nic *n)
{
	for (size_t i = 0; i < def->n_nics; i++)
		if (vm_nic_same(&def->nics[i], n))
			return (ssize_t)i;
	return -1;
}

static bool vm_disks_differ(const struct vm_def *a, const struct vm_def *b)
{
	if (a->n_disks != b->n_disks)
		return true;
	for (size_t i = 0; i < a->n_disks; i++) {
		ssize_t k;

		/* A disk with no image (an empty CD-ROM, a network disk) is left as it is. */
		if (!a->disks[i].path)
			continue;
		k = vm_def_find_disk(b, &a->disks[i]);

		if (k < 0 || b->disks[k].readonly != a->disks[i].readonly ||
		    b->disks[k].format != a->disks[i].format)
			return true;
	}
	return false;
}

static bool vm_nics_differ(const struct vm_def *a, const struct vm_def *b)
{
	if (a->n_nics != b->n_nics)
		return true;
	for (size_t i = 0; i < a->n_nics; i++) {
		ssize_t k = vm_def_find_nic(b, &a->nics[i]);

		if (k < 0 || b->nics[k].kind != a->nics[i].kind ||
		    !str_eq(b->nics[k].source, a->nics[i].source) ||
		    !str_eq(b->nics[k].forwards, a->nics[i].forwards))
			return true;
	}
	return false;
}

unsigned vm_def_changes(const struct vm_def *old, const struct vm_def *def)
{
	unsigned m = 0;

	m |= old->vcpus != def->vcpus ? VM_CHANGE_VCPUS : 0;
	m |= old->memory_mib != def->memory_mib ? VM_CHANGE_MEMORY : 0;
	m |= !str_eq(old->kernel, def->kernel) || !str_eq(old->initrd, def->initrd) ||
	     !str_eq(old->cmdline, def->cmdline) ? VM_CHANGE_KERNEL : 0;
	m |= old->firmware != def->firmware || !str_eq(old->boot_order, def->boot_order)
	     ? VM_CHANGE_BOOT : 0;
	m |= old->graphics != def->graphics ? VM_CHANGE_GRAPHICS : 0;
	m |= vm_disks_differ(old, def) ? VM_CHANGE_DISKS : 0;
	m |= vm_nics_differ(old, def) ? VM_CHANGE_NICS : 0;
	return m;
}

char *vm_changes_format(unsigned changes)
{
	static const char *const names[] = {
		"vCPUs", "memory", "kernel boot", "firmware and boot order", "graphics",
		"disks", "network cards",
	};
	struct strbuf sb;

	strbuf_init(&sb);
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (changes & (1u << i))
			strbuf_addf(&sb, "%s%s", sb.len ? ", " : "", names[i]);
	return sb.len ? strbuf_detach(&sb) : NULL;
}
