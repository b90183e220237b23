// SPDX-License-Identifier: GPL-2.0-or-later
/* lv-clone.c: a clone of a shut-off domain: its volumes copied (virStorageVolCreateXMLFrom) or overlaid, its XML cloned. */
#include "config.h"

#include <fcntl.h>
#include <endian.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libvirt/virterror.h>

#include "backend/libvirt/lv-priv.h"
#include "backend/libvirt/lv-xml.h"
#include "src/lib/file-copy.h"
#include "src/lib/log.h"
#include "src/lib/util.h"

/* The volume that holds disk d, or NULL when no storage pool of the connection has it. */
static virStorageVolPtr lv_clone_find_vol(struct lv_conn *lv, const struct vm_disk *d)
{
	virStorageVolPtr vol = NULL;

	if (d->pool && !strchr(d->path, '/')) {
		/* <source pool= volume=>: the model keeps the volume's name. */
		virStoragePoolPtr pool = LV_CALL(lv, virStoragePoolLookupByName(lv->cur.conn, d->pool));

		if (pool) {
			vol = LV_CALL(lv, virStorageVolLookupByName(pool, d->path));
			virStoragePoolFree(pool);
		}
	} else {
		vol = LV_CALL(lv, virStorageVolLookupByPath(lv->cur.conn, d->path));
	}
	if (!vol)
		virResetLastError();
	return vol;
}

/* XML for the clone's volume: a copy's (its format) or an overlay's (backing src). */
static int lv_clone_vol_xml(struct backend_clone *req, size_t i, const char *name,
			    const char *src, uint64_t capacity, char **xml,
			    struct vmt_error *err)
{
	const struct vm_disk *o = &req->orig->disks[i];

	if (req->linked)
		return lv_xml_overlay_volume(name, capacity, src, o->format, xml, err);
	return lv_xml_volume(name, capacity, o->format, xml, err);
}

/* The clone's volume for disk i, in the pool of the original's volume vol. */
static virStorageVolPtr lv_clone_vol_make(struct lv_conn *lv, struct backend_clone *req,
					  size_t i, virStoragePoolPtr pool,
					  virStorageVolPtr vol, struct vmt_error *err)
{
	virStorageVolPtr made = NULL;
	virStorageVolInfo info;
	char *name, *src, *xml = NULL;

	if (LV_CALL(lv, virStorageVolGetInfo(vol, &info)) < 0 ||
	    !(src = LV_CALL(lv, virStorageVolGetPath(vol)))) {
		lv_fail(err, "disk %zu: cannot read volume %s", i + 1, req->orig->disks[i].path);
		return NULL;
	}
	name = lv_volume_name(lv, pool, req->def, i);
	if (lv_clone_vol_xml(req, i, name, src, info.capacity, &xml, err) == 0) {
		made = req->linked ? LV_CALL(lv, virStorageVolCreateXML(pool, xml, 0))
				   : LV_CALL(lv, virStorageVolCreateXMLFrom(pool, xml, vol, 0));
		if (!made)
			lv_fail(err, "disk %zu: cannot %s %s", i + 1,
				req->linked ? "make an overlay volume on" : "copy volume", src);
	}
	free(name);
	free(src);
	free(xml);
	return made;
}

/* Disk i from its volume: libvirt's copy (or overlay) in the same pool. */
static int lv_clone_from_vol(struct backend *be, struct backend_clone *req, size_t i,
			     virStorageVolPtr vol, struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	struct vm_disk *d = &req->def->disks[i];
	virStoragePoolPtr pool = LV_CALL(lv, virStoragePoolLookupByVolume(vol));
	virStorageVolPtr made;

	if (!pool)
		return lv_fail(err, "disk %zu: cannot find the pool of %s", i + 1, d->path);
	d->format = req->linked ? VM_DISK_FORMAT_QCOW2 : d->format;
	made = lv_clone_vol_make(lv, req, i, pool, vol, err);
	if (made) {
		free(d->path);
		d->path = LV_CALL(lv, virStorageVolGetPath(made));
		vm_def_set_str(&d->pool, virStoragePoolGetName(pool));
		/* libvirt's copy of an overlay (qemu-img convert) reads through nothing. */
		req->how[i] = req->linked ? BACKEND_CLONE_LINKED : BACKEND_CLONE_COPIED;
		LOG_INFO("libvirt: %s %s to %s", req->linked ? "overlaid" : "copied",
			 req->orig->disks[i].path, d->path);
		virStorageVolFree(made);
	}
	virStoragePoolFree(pool);
	return made ? 0 : err ? err->code : -EIO;
}

/* Whether a local image file is a qcow2 that names a backing file (its copy will too). */
static bool lv_clone_has_backing(const char *path)
{
	unsigned char h[16];
	uint64_t off;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool r;

	if (fd < 0)
		return false;
	r = pread(fd, h, sizeof(h), 0) == (ssize_t)sizeof(h) && memcmp(h, "QFI\xfb", 4) == 0;
	close(fd);
	memcpy(&off, h + 8, 8);
	return r && be64toh(off) != 0;
}

/* Disk i is a file no pool has: copied beside it, on this machine only. */
static int lv_clone_from_file(struct backend *be, struct backend_clone *req, size_t i,
			      struct vmt_error *err)
{
	const struct vm_disk *o = &req->orig->disks[i];
	struct vm_disk *d = &req->def->disks[i];
	char *dir, *stem, *path;
	int r;

	if (req->linked)
		return vmt_error_set(err, -EIO, "disk %zu: %s is not a volume of any storage pool of %s: "
				     "a linked clone's overlay is made in the pool of its original "
				     "(make a full clone, or put the image in a pool)", i + 1, o->path, be->uri);
	if (lv_uri_is_remote(be->uri))
		return vmt_error_set(err, -EIO, "disk %zu: %s is not a volume of any storage pool of %s, "
				     "and vmtui copies other images only on this machine", i + 1, o->path,
				     be->uri);
	dir = path_dirname(o->path);
	stem = xasprintf("%s-disk%zu", req->def->name, i);
	path = file_free_path(dir, stem, o->format == VM_DISK_FORMAT_QCOW2 ? "qcow2" : "img");
	r = file_copy_sparse(o->path, path, err);
	free(dir);
	free(stem);
	if (r < 0) {
		free(path);
		return vmt_error_prefix(err, "disk %zu", i + 1);
	}
	req->how[i] = lv_clone_has_backing(o->path) ? BACKEND_CLONE_CHAINED : BACKEND_CLONE_COPIED;
	LOG_INFO("libvirt: copied %s to %s", o->path, path);
	free(d->path);
	d->path = path;
	vm_def_set_str(&d->pool, NULL);
	return 0;
}

static int lv_clone_disk(struct backend *be, struct backend_clone *req, size_t i,
			 struct vmt_error *err)
{
	const struct vm_disk *o = &req->orig->disks[i];
	virStorageVolPtr vol;
	int r;

	req->how[i] = BACKEND_CLONE_SHARED;
	req->def->disks[i].created = false;
	if (o->device == VM_DISK_DEVICE_CDROM || o->readonly)
		return 0;
	if (!o->path)
		return vmt_error_set(err, -EIO, "disk %zu of %s has no image file or volume vmtui can "
				     "copy (a network disk?), and it is writable", i + 1, req->name);
	vol = lv_clone_find_vol(lv_conn(be), o);
	r = vol ? lv_clone_from_vol(be, req, i, vol, err) : lv_clone_from_file(be, req, i, err);
	if (vol)
		virStorageVolFree(vol);
	req->def->disks[i].created = r == 0;
	return r;
}

/* Delete what lv_clone_disk made for disks [0, end). */
static void lv_clone_undo(struct backend *be, struct backend_clone *req, size_t end)
{
	struct lv_conn *lv = lv_conn(be);

	for (size_t i = 0; i < end; i++) {
		const struct vm_disk *d = &req->def->disks[i];
		virStorageVolPtr vol;

		if (req->how[i] == BACKEND_CLONE_SHARED)
			continue;
		if (!d->pool) {
			if (unlink(d->path) < 0)
				LOG_WARN("libvirt: cannot remove %s: %s", d->path, strerror(errno));
			continue;
		}
		vol = LV_CALL(lv, virStorageVolLookupByPath(lv->cur.conn, d->path));
		if (!vol || LV_CALL(lv, virStorageVolDelete(vol, 0)) < 0)
			LOG_WARN("libvirt: cannot delete volume %s", d->path);
		if (vol)
			virStorageVolFree(vol);
	}
}

/* The disks, then the domain from the original's own XML; undone together. */
static int lv_clone_define(struct backend *be, struct backend_clone *req, const char *cur,
			   struct vmt_error *err)
{
	char *xml = NULL;
	size_t made = 0;
	int r = 0;

	for (; made < req->def->n_disks && r == 0; made++)
		r = lv_clone_disk(be, req, made, err);
	if (r == 0)
		r = lv_xml_clone(cur, req->def, &xml, err);
	if (r == 0)
		r = lv_define_xml(be, xml, req->def->name, err);
	if (r < 0)
		lv_clone_undo(be, req, made);
	free(xml);
	return r;
}

int lv_clone(struct backend *be, struct backend_clone *req, struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	virDomainPtr dom, taken;
	char *cur;
	int r = lv_enter_domain(be, req->name, &dom, err);

	if (r < 0)
		return r;
	taken = LV_CALL(lv, virDomainLookupByName(lv->cur.conn, req->def->name));
	if (taken) {
		virDomainFree(taken);
		virDomainFree(dom);
		return vmt_error_set(err, -EEXIST, "name: a domain named %s already exists on %s",
				     req->def->name, be->uri);
	}
	cur = lv_domain_xml(lv, dom);
	virDomainFree(dom);
	if (!cur)
		return lv_fail(err, "cannot read the definition of %s", req->name);
	r = lv_clone_define(be, req, cur, err);
	free(cur);
	return r;
}

int lv_check_not_base(struct backend *be, virDomainPtr dom, const char *name,
		      const char *verb, struct vmt_error *err)
{
	char uuid[VIR_UUID_STRING_BUFLEN];

	if (virDomainGetUUIDString(dom, uuid) < 0)
		return lv_fail(err, "cannot read the UUID of %s", name);
	return store_link_check_base(be->store, uuid, name, verb, err);
}
