// SPDX-License-Identifier: GPL-2.0-or-later
/* lv-volume.c: the volumes of a libvirt host's storage pools: list, create, delete, grow. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "backend/libvirt/lv-priv.h"
#include "backend/libvirt/lv-xml.h"
#include "src/lib/log.h"
#include "src/lib/util.h"

/* Every domain of the connection, to find who uses a volume. */
struct lv_user {
	char *name;
	bool running;
	/* What runs (or the definition, when off), and a running one's next start. */
	struct vm_def *defs[2];
};

struct lv_users {
	struct lv_user *v;
	size_t n;
};

static struct vm_def *lv_user_def(struct lv_conn *lv, virDomainPtr dom, unsigned flags)
{
	char *xml = LV_CALL(lv, virDomainGetXMLDesc(dom, flags));
	struct vm_def *def = NULL;

	if (xml && lv_xml_to_def(xml, &def, NULL) < 0)
		def = NULL;
	free(xml);
	return def;
}

static int lv_users_load(struct lv_conn *lv, struct lv_users *u, struct vmt_error *err)
{
	virDomainPtr *doms = NULL;
	int n = LV_CALL(lv, virConnectListAllDomains(lv->cur.conn, &doms, 0));

	memset(u, 0, sizeof(*u));
	if (n < 0)
		return lv_fail(err, "cannot list the VMs that may use the volumes");
	u->v = xcalloc((size_t)n + 1, sizeof(*u->v));
	for (int i = 0; i < n; i++) {
		struct lv_user *user = &u->v[u->n++];

		user->name = xstrdup(virDomainGetName(doms[i]));
		user->running = LV_CALL(lv, virDomainIsActive(doms[i])) == 1;
		user->defs[0] = lv_user_def(lv, doms[i], 0);
		if (user->running && LV_CALL(lv, virDomainIsPersistent(doms[i])) == 1)
			user->defs[1] = lv_user_def(lv, doms[i], VIR_DOMAIN_XML_INACTIVE);
		virDomainFree(doms[i]);
	}
	free(doms);
	/* Who uses a volume must be known before one is deleted: a VM unread is a refusal. */
	for (size_t i = 0; i < u->n; i++)
		if (!u->v[i].defs[0])
			return vmt_error_set(err, -EIO, "cannot read the definition of %s, so which "
					     "volumes it uses is not known", u->v[i].name);
	return 0;
}

static void lv_users_free(struct lv_users *u)
{
	for (size_t i = 0; i < u->n; i++) {
		free(u->v[i].name);
		vm_def_free(u->v[i].defs[0]);
		vm_def_free(u->v[i].defs[1]);
	}
	free(u->v);
}

/* A disk names a volume by pool and volume name, or by the volume's file. */
static bool lv_disk_is(const struct vm_disk *d, const struct backend_vol *v)
{
	if (!d->path)
		return false;
	if (d->pool)
		return str_eq(d->pool, v->pool) && str_eq(d->path, v->name);
	return v->path && str_eq(d->path, v->path);
}

static bool lv_user_uses(const struct lv_user *user, const struct backend_vol *v)
{
	for (size_t k = 0; k < ARRAY_SIZE(user->defs); k++)
		for (size_t i = 0; user->defs[k] && i < user->defs[k]->n_disks; i++)
			if (lv_disk_is(&user->defs[k]->disks[i], v))
				return true;
	return false;
}

/* Fill v->used_by and v->used_running from the domains that have v as a disk. */
static void lv_vol_users(const struct lv_users *u, struct backend_vol *v)
{
	struct strbuf sb;

	strbuf_init(&sb);
	for (size_t i = 0; i < u->n; i++) {
		if (!lv_user_uses(&u->v[i], v))
			continue;
		v->used_running |= u->v[i].running;
		strbuf_addf(&sb, "%s%s", sb.len ? ", " : "", u->v[i].name);
	}
	v->used_by = sb.len ? strbuf_detach(&sb) : NULL;
	strbuf_done(&sb);
}

static void lv_vol_fill(struct lv_conn *lv, virStoragePoolPtr pool, virStorageVolPtr vol,
			struct backend_vol *v)
{
	virStorageVolInfo info;
	char *xml;

	v->name = xstrdup(virStorageVolGetName(vol));
	v->pool = xstrdup(virStoragePoolGetName(pool));
	v->path = LV_CALL(lv, virStorageVolGetPath(vol));
	if (LV_CALL(lv, virStorageVolGetInfo(vol, &info)) == 0) {
		v->capacity = info.capacity;
		v->allocation = info.allocation;
	}
	xml = LV_CALL(lv, virStorageVolGetXMLDesc(vol, 0));
	if (xml)
		lv_xml_vol_facts(xml, &v->format, &v->backing);
	free(xml);
}

/* Append pool's volumes to *out (n of cap entries). */
static int lv_pool_vols(struct lv_conn *lv, virStoragePoolPtr pool, const struct lv_users *u,
			struct backend_vol **out, size_t *n, struct vmt_error *err)
{
	virStorageVolPtr *vols = NULL;
	int count;

	/* Files put in the pool's directory by hand show up too, as virsh pool-refresh does. */
	LV_CALL(lv, virStoragePoolRefresh(pool, 0));
	count = LV_CALL(lv, virStoragePoolListAllVolumes(pool, &vols, 0));
	if (count < 0)
		return lv_fail(err, "cannot list the volumes of storage pool %s",
			       virStoragePoolGetName(pool));
	*out = xrealloc(*out, (*n + (size_t)count + 1) * sizeof(**out));
	for (int i = 0; i < count; i++) {
		struct backend_vol *v = &(*out)[(*n)++];

		memset(v, 0, sizeof(*v));
		lv_vol_fill(lv, pool, vols[i], v);
		if (u)
			lv_vol_users(u, v);
		virStorageVolFree(vols[i]);
	}
	free(vols);
	return 0;
}

/* An active pool by name, or one line saying why not. */
static int lv_pool_active(struct backend *be, const char *name, virStoragePoolPtr *out,
			  struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);

	*out = LV_CALL(lv, virStoragePoolLookupByName(lv->cur.conn, name));
	if (!*out)
		return vmt_error_set(err, -EIO, "no storage pool '%s' on %s (vmtui pool list "
				     "names them)", name, be->uri);
	if (LV_CALL(lv, virStoragePoolIsActive(*out)) != 1) {
		virStoragePoolFree(*out);
		*out = NULL;
		return vmt_error_set(err, -EIO, "storage pool %s on %s is not active "
				     "(virsh pool-start %s starts it)", name, be->uri, name);
	}
	return 0;
}

/* The volumes of every active pool, or of the one named; users: fill who uses each. */
static int lv_vols(struct backend *be, const char *pool, bool users, struct backend_vol **out,
		   size_t *n, struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	virStoragePoolPtr *pools = NULL;
	struct lv_users u = { 0 };
	int count = 0, r = users ? lv_users_load(lv, &u, err) : 0;

	*out = xcalloc(1, sizeof(**out));
	*n = 0;
	if (r == 0 && pool) {
		pools = xcalloc(1, sizeof(*pools));
		r = lv_pool_active(be, pool, &pools[0], err);
		count = r == 0;
	} else if (r == 0) {
		count = LV_CALL(lv, virConnectListAllStoragePools(lv->cur.conn, &pools,
						VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE));
		if (count < 0)
			r = lv_fail(err, "cannot list the storage pools of %s", be->uri);
	}
	for (int i = 0; i < count; i++) {
		if (r == 0)
			r = lv_pool_vols(lv, pools[i], users ? &u : NULL, out, n, err);
		virStoragePoolFree(pools[i]);
	}
	free(pools);
	lv_users_free(&u);
	if (r < 0) {
		backend_vol_list_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return r;
}

int lv_vol_list(struct backend *be, const char *pool, struct backend_vol **out, size_t *n,
		struct vmt_error *err)
{
	LV_ENTER(be, err);
	return lv_vols(be, pool, true, out, n, err);
}

/* The one volume pool/name, with who uses it; *all holds it and every other volume. */
static int lv_vol_find(struct backend *be, const char *pool, const char *name,
		       struct backend_vol **all, size_t *n, const struct backend_vol **out,
		       struct vmt_error *err)
{
	virStoragePoolPtr p;
	/* An inactive or missing pool says so, not "no such volume". */
	int r = lv_pool_active(be, pool, &p, err);

	*all = NULL;
	*n = 0;
	*out = NULL;
	if (r < 0)
		return r;
	virStoragePoolFree(p);
	if ((r = lv_vols(be, NULL, true, all, n, err)) < 0)
		return r;
	for (size_t i = 0; i < *n && !*out; i++)
		if (str_eq((*all)[i].pool, pool) && str_eq((*all)[i].name, name))
			*out = &(*all)[i];
	if (!*out)
		r = vmt_error_set(err, -EIO, "no volume '%s' in storage pool %s on %s (vmtui vol "
				  "list %s names them)", name, pool, be->uri, pool);
	return r;
}

static virStorageVolPtr lv_vol_open(struct lv_conn *lv, const struct backend_vol *v)
{
	virStoragePoolPtr pool = LV_CALL(lv, virStoragePoolLookupByName(lv->cur.conn, v->pool));
	virStorageVolPtr vol = pool ? LV_CALL(lv, virStorageVolLookupByName(pool, v->name)) : NULL;

	if (pool)
		virStoragePoolFree(pool);
	return vol;
}

static bool lv_vol_name_ok(const char *name)
{
	return *name && !strchr(name, '/') && !str_eq(name, ".") && !str_eq(name, "..");
}

int lv_vol_create(struct backend *be, const char *pool, const char *name, uint64_t bytes,
		  enum vm_disk_format format, struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	virStoragePoolPtr p;
	virStorageVolPtr vol;
	char *xml = NULL;
	int r;

	LV_ENTER(be, err);
	if (format == VM_DISK_FORMAT_AUTO)
		format = vm_disk_format_from_name(name) == VM_DISK_FORMAT_QCOW2
			 ? VM_DISK_FORMAT_QCOW2 : VM_DISK_FORMAT_RAW;
	if (!lv_vol_name_ok(name))
		return vmt_error_set(err, -EINVAL, "volume name '%s' is not a file name (not empty, "
				     "no '/', not . or ..)", name);
	if ((r = lv_pool_active(be, pool, &p, err)) < 0)
		return r;
	vol = LV_CALL(lv, virStorageVolLookupByName(p, name));
	if (vol) {
		virStorageVolFree(vol);
		r = vmt_error_set(err, -EEXIST, "volume %s already exists in storage pool %s",
				  name, pool);
	} else if ((r = lv_xml_volume(name, bytes, format, &xml, err)) == 0) {
		vol = LV_CALL(lv, virStorageVolCreateXML(p, xml, 0));
		if (!vol)
			r = lv_fail(err, "cannot create volume %s in storage pool %s", name, pool);
		else
			virStorageVolFree(vol);
	}
	if (r == 0)
		LOG_INFO("libvirt: %s: created volume %s in pool %s", be->uri, name, pool);
	free(xml);
	virStoragePoolFree(p);
	return r;
}

/* Another volume that reads through v (a qcow2 overlay's backing file), or NULL. */
static const struct backend_vol *lv_vol_overlay(const struct backend_vol *all, size_t n,
						const struct backend_vol *v)
{
	for (size_t i = 0; i < n; i++)
		if (v->path && all[i].backing && str_eq(all[i].backing, v->path))
			return &all[i];
	return NULL;
}

int lv_vol_delete(struct backend *be, const char *pool, const char *name,
		  struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	const struct backend_vol *v, *over;
	struct backend_vol *all = NULL;
	virStorageVolPtr vol;
	size_t n = 0;
	int r;

	LV_ENTER(be, err);
	r = lv_vol_find(be, pool, name, &all, &n, &v, err);
	if (r == 0 && v->used_by)
		r = vmt_error_set(err, -EBUSY, "volume %s of pool %s is a disk of %s: remove the "
				  "disk from the VM first (vmtui edit VM --remove-disk N), or "
				  "delete the VM with --remove-disks", name, pool, v->used_by);
	else if (r == 0 && (over = lv_vol_overlay(all, n, v)))
		r = vmt_error_set(err, -EBUSY, "volume %s of pool %s is the backing file of "
				  "volume %s of pool %s: delete that one first", name, pool,
				  over->name, over->pool);
	if (r == 0) {
		vol = lv_vol_open(lv, v);
		if (!vol || LV_CALL(lv, virStorageVolDelete(vol, 0)) < 0)
			r = lv_fail(err, "cannot delete volume %s of pool %s", name, pool);
		else
			LOG_INFO("libvirt: %s: deleted volume %s of pool %s", be->uri, name, pool);
		if (vol)
			virStorageVolFree(vol);
	}
	backend_vol_list_free(all, n);
	return r;
}

int lv_vol_resize(struct backend *be, const char *pool, const char *name, uint64_t bytes,
		  struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	const struct backend_vol *v;
	struct backend_vol *all = NULL;
	virStorageVolPtr vol = NULL;
	size_t n = 0;
	int r;

	LV_ENTER(be, err);
	r = lv_vol_find(be, pool, name, &all, &n, &v, err);
	if (r == 0 && v->used_running)
		r = vmt_error_set(err, -EBUSY, "volume %s of pool %s is a disk of the running VM "
				  "%s: grow it through the VM (vmtui disk resize VM N SIZE), so "
				  "the guest sees it", name, pool, v->used_by);
	else if (r == 0 && bytes < v->capacity)
		r = vmt_error_set(err, -EINVAL, "volume %s is %.2f GiB: it can grow, not shrink "
				  "to %.2f GiB", name, (double)v->capacity / (1ull << 30),
				  (double)bytes / (1ull << 30));
	if (r == 0 && bytes > v->capacity) {
		vol = lv_vol_open(lv, v);
		if (!vol || LV_CALL(lv, virStorageVolResize(vol, bytes, 0)) < 0)
			r = lv_fail(err, "cannot grow volume %s of pool %s", name, pool);
		else
			LOG_INFO("libvirt: %s: volume %s of pool %s grew to %llu bytes", be->uri,
				 name, pool, (unsigned long long)bytes);
	}
	if (vol)
		virStorageVolFree(vol);
	backend_vol_list_free(all, n);
	return r;
}
