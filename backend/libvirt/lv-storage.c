// SPDX-License-Identifier: GPL-2.0-or-later
/* lv-storage.c: disk images of libvirt domains as volumes of storage pools. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backend/libvirt/lv-priv.h"
#include "backend/libvirt/lv-xml.h"
#include "src/lib/log.h"
#include "src/lib/util.h"

/*
 * The pool new images without a path go to. Without it, the hint names
 * what helps on this host: the test driver starts afresh in every vmtui
 * run, so a pool another run creates is gone by the next.
 */
static int lv_pool_default(struct backend *be, size_t disk, virStoragePoolPtr *out,
			   struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	const char *type;

	*out = LV_CALL(lv, virStoragePoolLookupByName(lv->cur.conn, LV_DEFAULT_POOL));
	if (*out)
		return 0;
	type = LV_CALL(lv, virConnectGetType(lv->cur.conn));
	if (type && strcasecmp(type, "test") == 0)
		return vmt_error_set(err, -EIO,
				     "disk %zu: storage pool '%s' does not exist on %s; the test driver "
				     "forgets a pool made by another vmtui run: give an existing image "
				     "(--disk PATH)", disk + 1, LV_DEFAULT_POOL, be->uri);
	return vmt_error_set(err, -EIO,
			     "disk %zu: storage pool '%s' does not exist on %s; "
			     "vmtui -c %s pool create-default makes it",
			     disk + 1, LV_DEFAULT_POOL, be->uri, be->uri);
}

/* The pool whose directory is dir, for a new image given with a path. */
static int lv_pool_of_dir(struct backend *be, const char *dir,
			  virStoragePoolPtr *out, struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	virStoragePoolPtr *pools = NULL;
	int n = LV_CALL(lv, virConnectListAllStoragePools(lv->cur.conn, &pools,
							   VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE));

	*out = NULL;
	if (n < 0)
		return lv_fail(err, "cannot list storage pools");
	for (int i = 0; i < n; i++) {
		char *xml = *out ? NULL : LV_CALL(lv, virStoragePoolGetXMLDesc(pools[i], 0));
		char *target = xml ? lv_xml_pool_target(xml) : NULL;

		if (target && strcmp(target, dir) == 0)
			*out = pools[i];
		else
			virStoragePoolFree(pools[i]);
		free(target);
		free(xml);
	}
	free(pools);
	if (*out)
		return 0;
	return vmt_error_set(err, -EINVAL,
			     "no active storage pool of %s holds %s: give no path (the image goes to pool '%s') or use a pool's directory",
			     be->uri, dir, LV_DEFAULT_POOL);
}

char *lv_volume_name(struct lv_conn *lv, virStoragePoolPtr pool,
		     const struct vm_def *def, size_t i)
{
	const char *ext = def->disks[i].format == VM_DISK_FORMAT_QCOW2 ? "qcow2" : "img";

	for (unsigned n = 0; ; n++) {
		char *name = n ? xasprintf("%s-disk%zu.%u.%s", def->name, i, n, ext)
			       : xasprintf("%s-disk%zu.%s", def->name, i, ext);
		virStorageVolPtr vol = LV_CALL(lv, virStorageVolLookupByName(pool, name));

		if (!vol)
			return name;
		virStorageVolFree(vol);
		free(name);
	}
}

/* The volume name in pool for disk d: empty, an overlay of a base image, or a copy of a file. */
static int lv_new_volume(struct lv_conn *lv, virStoragePoolPtr pool, const struct vm_disk *d,
			 const char *name, virStorageVolPtr *out, struct vmt_error *err)
{
	char *xml = NULL, *base = NULL;
	int r = 0;

	if (d->from_kind == VM_DISK_FROM_COPY)
		return lv_upload_copy(lv, pool, name, d->from, out, err);
	if (d->from_kind == VM_DISK_FROM_OVERLAY) {
		r = lv_upload_base(lv, pool, d->from, &base, err);
		if (r == 0)
			r = lv_xml_overlay_volume(name, d->size_bytes, base, d->from_format, &xml, err);
	} else
		r = lv_xml_volume(name, d->size_bytes, d->format, &xml, err);
	if (r == 0) {
		*out = LV_CALL(lv, virStorageVolCreateXML(pool, xml, 0));
		if (!*out)
			r = lv_fail(err, "cannot create volume %s", name);
	}
	free(base);
	free(xml);
	return r;
}

static int lv_create_volume(struct backend *be, struct vm_def *def, size_t i,
			    struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	struct vm_disk *d = &def->disks[i];
	virStoragePoolPtr pool = NULL;
	virStorageVolPtr vol;
	char *dir = d->path ? path_dirname(d->path) : NULL;
	char *name = NULL;
	int r = dir ? lv_pool_of_dir(be, dir, &pool, err) : lv_pool_default(be, i, &pool, err);

	if (r == 0) {
		name = d->path ? xstrdup(strrchr(d->path, '/') + 1)
			       : lv_volume_name(lv, pool, def, i);
		r = lv_new_volume(lv, pool, d, name, &vol, err);
		if (r < 0)
			vmt_error_prefix(err, "disk %zu", i + 1);
	}
	if (r == 0) {
		free(d->path);
		d->path = LV_CALL(lv, virStorageVolGetPath(vol));
		vm_def_set_str(&d->pool, virStoragePoolGetName(pool));
		d->created = true;
		LOG_INFO("libvirt: created volume %s in pool %s", d->path, d->pool);
		virStorageVolFree(vol);
	}
	if (pool)
		virStoragePoolFree(pool);
	free(dir);
	free(name);
	return r;
}

/* Delete the volumes of disks [0, end) that this call created (in made). */
static void lv_undo_volumes(struct backend *be, struct vm_def *def,
			    const bool *made, size_t end)
{
	struct vm_def *undo = vm_def_copy(def);

	for (size_t i = undo->n_disks; i-- > 0;)
		if (i >= end || !made[i])
			vm_def_remove_disk(undo, i);
	lv_remove_created(be, undo);
	vm_def_free(undo);
	for (size_t i = 0; i < end; i++)
		if (made[i])
			def->disks[i].created = false;
}

/* On failure, only the volumes made here go: an edited VM keeps its older ones. */
int lv_create_volumes(struct backend *be, struct vm_def *def,
		      struct vmt_error *err)
{
	bool *made = xcalloc(def->n_disks + 1, sizeof(*made));
	int r = 0;

	for (size_t i = 0; i < def->n_disks && r == 0; i++) {
		if (!def->disks[i].size_bytes || def->disks[i].created)
			continue;
		r = lv_create_volume(be, def, i, err);
		if (r < 0)
			lv_undo_volumes(be, def, made, i);
		made[i] = r == 0;
	}
	free(made);
	return r;
}

/*
 * Delete the volumes behind def's disks (only those vmtui created, when
 * undoing a define). An image that no pool manages is left alone and
 * reported, as virsh undefine --remove-all-storage does.
 */
static int lv_remove_volumes(struct backend *be, const struct vm_def *def,
			     bool only_created, struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	int r = 0;

	for (size_t i = 0; i < def->n_disks; i++) {
		const struct vm_disk *d = &def->disks[i];
		virStorageVolPtr vol;

		if (d->device != VM_DISK_DEVICE_DISK || !d->path || (only_created && !d->created))
			continue;
		vol = LV_CALL(lv, virStorageVolLookupByPath(lv->cur.conn, d->path));
		if (!vol) {
			if (r == 0)
				r = vmt_error_set(err, -EIO,
						  "disk %s is not a volume of any storage pool: vmtui left it; remove it yourself",
						  d->path);
			continue;
		}
		if (LV_CALL(lv, virStorageVolDelete(vol, 0)) == 0)
			LOG_INFO("libvirt: deleted volume %s", d->path);
		else if (r == 0)
			r = lv_fail(err, "cannot delete volume %s", d->path);
		virStorageVolFree(vol);
	}
	return r;
}

int lv_remove_storage(struct backend *be, const struct vm_def *def,
		      struct vmt_error *err)
{
	LV_ENTER(be, err);
	return lv_remove_volumes(be, def, false, err);
}

void lv_remove_created(struct backend *be, const struct vm_def *def)
{
	lv_remove_volumes(be, def, true, NULL);
}

/* A running domain's disk through its hypervisor; its size now from the same. */
static int lv_resize_live(struct lv_conn *lv, virDomainPtr dom, const char *name,
			  const char *path, uint64_t bytes, struct vmt_error *err)
{
	virDomainBlockInfo info;

	if (LV_CALL(lv, virDomainGetBlockInfo(dom, path, &info, 0)) < 0)
		return lv_fail(err, "cannot read the size of %s of %s", path, name);
	if (bytes < info.capacity)
		return vmt_error_set(err, -EINVAL, "%s is %.2f GiB: it can grow, not shrink to "
				     "%.2f GiB", path, (double)info.capacity / (1ull << 30),
				     (double)bytes / (1ull << 30));
	if (LV_CALL(lv, virDomainBlockResize(dom, path, bytes, VIR_DOMAIN_BLOCK_RESIZE_BYTES)) < 0)
		return lv_fail(err, "cannot grow %s of %s", path, name);
	return 0;
}

/* The storage volume of a disk: by pool and name, or by the file's path; NULL if none. */
static virStorageVolPtr lv_disk_volume(struct lv_conn *lv, const struct vm_disk *d)
{
	virStoragePoolPtr pool;
	virStorageVolPtr vol;

	if (!d->pool)
		return LV_CALL(lv, virStorageVolLookupByPath(lv->cur.conn, d->path));
	pool = LV_CALL(lv, virStoragePoolLookupByName(lv->cur.conn, d->pool));
	if (!pool)
		return NULL;
	vol = LV_CALL(lv, virStorageVolLookupByName(pool, d->path));
	virStoragePoolFree(pool);
	return vol;
}

/* A shut-off domain's disk: the storage volume that holds it. */
static int lv_resize_volume(struct lv_conn *lv, virStorageVolPtr vol, const char *path,
			    uint64_t bytes, struct vmt_error *err)
{
	virStorageVolInfo info;

	if (!vol)
		return lv_fail(err, "%s is in no storage pool of this host, so vmtui cannot grow it "
			       "while the VM is off (start the VM and resize it live, or grow the "
			       "file with qemu-img resize)", path);
	if (LV_CALL(lv, virStorageVolGetInfo(vol, &info)) < 0)
		return lv_fail(err, "cannot read the size of %s", path);
	if (bytes < info.capacity)
		return vmt_error_set(err, -EINVAL, "%s is %.2f GiB: it can grow, not shrink to "
				     "%.2f GiB", path, (double)info.capacity / (1ull << 30),
				     (double)bytes / (1ull << 30));
	if (bytes > info.capacity && LV_CALL(lv, virStorageVolResize(vol, bytes, 0)) < 0)
		return lv_fail(err, "cannot grow %s", path);
	return 0;
}

/* Disk d of a running (live) or shut-off domain, found as its volume or its file. */
static int lv_resize_disk(struct lv_conn *lv, virDomainPtr dom, const char *name,
			  const struct vm_disk *d, bool live, uint64_t bytes,
			  struct vmt_error *err)
{
	virStorageVolPtr vol = lv_disk_volume(lv, d);
	char *path = vol && live ? virStorageVolGetPath(vol) : NULL;
	int r = live ? lv_resize_live(lv, dom, name, path ? path : d->path, bytes, err)
		     : lv_resize_volume(lv, vol, d->path, bytes, err);

	free(path);
	if (vol)
		virStorageVolFree(vol);
	return r;
}

int lv_disk_resize(struct backend *be, const char *name, size_t index, uint64_t bytes,
		   struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	struct vm_def *def = NULL;
	virDomainPtr dom = NULL;
	const struct vm_disk *d;
	int state, reason, r = backend_get_def(be, name, &def, err);

	if (r == 0)
		r = lv_enter_domain(be, name, &dom, err);
	if (r < 0)
		goto out;
	if (index >= def->n_disks) {
		r = vmt_error_set(err, -EINVAL, "VM %s has no disk %zu: it has %zu", name,
				  index + 1, def->n_disks);
		goto out;
	}
	d = &def->disks[index];
	if (d->device == VM_DISK_DEVICE_CDROM || d->readonly || !d->path)
		r = vmt_error_set(err, -EINVAL, "disk %zu of %s is %s: only a writable disk grows",
				  index + 1, name, !d->path ? "not a file or volume"
				  : d->device == VM_DISK_DEVICE_CDROM ? "a CD-ROM" : "read-only");
	else if ((r = lv_check_not_base(be, dom, name, "resize", err)) < 0)
		;
	else if (LV_CALL(lv, virDomainGetState(dom, &state, &reason, 0)) < 0)
		r = lv_fail(err, "cannot read the state of %s", name);
	else
		r = lv_resize_disk(lv, dom, name, d, vm_state_is_active(lv_state(state)), bytes,
				   err);
out:
	if (dom)
		virDomainFree(dom);
	vm_def_free(def);
	return r;
}
