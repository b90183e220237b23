// SPDX-License-Identifier: GPL-2.0-or-later
/* lv-snapshot.c: libvirt domain snapshots: list, create, revert, delete. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <libvirt/virterror.h>

#include "backend/libvirt/lv-priv.h"
#include "backend/libvirt/lv-xml.h"
#include "src/lib/util.h"

static int lv_snap_cmp(const void *a, const void *b)
{
	const struct vm_snapshot *x = a, *y = b;

	if (x->created != y->created)
		return x->created < y->created ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* One snapshot from its XML; libvirt says separately whether it is current. */
static int lv_snap_read(struct lv_conn *lv, virDomainSnapshotPtr snap,
			struct vm_snapshot *out, struct vmt_error *err)
{
	char *xml = LV_CALL(lv, virDomainSnapshotGetXMLDesc(snap, 0));
	int r;

	if (!xml)
		return lv_fail(err, "cannot read snapshot %s", virDomainSnapshotGetName(snap));
	r = lv_xml_snapshot_parse(xml, out, err);
	free(xml);
	if (r == 0)
		out->current = LV_CALL(lv, virDomainSnapshotIsCurrent(snap, 0)) == 1;
	return r;
}

int lv_snapshot_list(struct backend *be, const char *name,
		     struct vm_snapshot **out, size_t *n, struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	virDomainSnapshotPtr *snaps = NULL;
	struct vm_snapshot *list;
	virDomainPtr dom;
	int count, r;

	r = lv_enter_domain(be, name, &dom, err);
	if (r < 0)
		return r;
	count = LV_CALL(lv, virDomainListAllSnapshots(dom, &snaps, 0));
	virDomainFree(dom);
	if (count < 0)
		return lv_fail(err, "cannot list the snapshots of %s", name);
	list = xcalloc((size_t)count + 1, sizeof(*list));
	for (int i = 0; i < count; i++) {
		if (r == 0)
			r = lv_snap_read(lv, snaps[i], &list[i], err);
		virDomainSnapshotFree(snaps[i]);
	}
	free(snaps);
	if (r < 0) {
		vm_snapshot_list_free(list, (size_t)count);
		return r;
	}
	qsort(list, (size_t)count, sizeof(*list), lv_snap_cmp);
	*out = list;
	*n = (size_t)count;
	return 0;
}

int lv_snapshot_create(struct backend *be, const char *name, const char *snap,
		       const char *description, struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	virDomainSnapshotPtr s;
	virDomainPtr dom;
	char *xml = NULL;
	int r;

	LV_ENTER(be, err);
	r = lv_xml_snapshot(snap, description, &xml, err);
	if (r < 0)
		return r;
	r = lv_domain(be, name, &dom, err);
	if (r == 0 && (r = lv_check_not_base(be, dom, name, "take snapshots of", err)) < 0)
		virDomainFree(dom);
	if (r == 0) {
		/* libvirt's refusal (a raw disk cannot hold an internal snapshot) says why. */
		s = LV_CALL(lv, virDomainSnapshotCreateXML(dom, xml, 0));
		if (!s)
			r = lv_fail(err, "cannot take snapshot %s of %s", snap, name);
		else
			virDomainSnapshotFree(s);
		virDomainFree(dom);
	}
	free(xml);
	return r;
}

/* Revert VM name to snapshot snap, or delete snap: a missing VM is -ENOENT, a missing snapshot not. */
static int lv_snap_apply(struct backend *be, const char *name, const char *snap,
			 bool revert, struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	virDomainSnapshotPtr s;
	virDomainPtr dom;
	int r = lv_enter_domain(be, name, &dom, err);

	if (r == 0 && revert && (r = lv_check_not_base(be, dom, name, "revert", err)) < 0)
		virDomainFree(dom);
	if (r < 0)
		return r;
	s = LV_CALL(lv, virDomainSnapshotLookupByName(dom, snap, 0));
	if (!s) {
		virErrorPtr e = virGetLastError();

		if (e && e->code == VIR_ERR_NO_DOMAIN_SNAPSHOT)
			r = vmt_error_set(err, -EIO, "VM %s has no snapshot named %s", name, snap);
		else
			r = lv_fail(err, "cannot look up snapshot %s of %s", snap, name);
	} else if (revert) {
		if (LV_CALL(lv, virDomainRevertToSnapshot(s, 0)) < 0)
			r = lv_fail(err, "cannot revert %s to snapshot %s", name, snap);
		virDomainSnapshotFree(s);
	} else {
		/* Its children stay: libvirt hands them to its parent. */
		if (LV_CALL(lv, virDomainSnapshotDelete(s, 0)) < 0)
			r = lv_fail(err, "cannot delete snapshot %s of %s", snap, name);
		virDomainSnapshotFree(s);
	}
	virDomainFree(dom);
	return r;
}

int lv_snapshot_revert(struct backend *be, const char *name, const char *snap,
		       struct vmt_error *err)
{
	return lv_snap_apply(be, name, snap, true, err);
}

int lv_snapshot_delete(struct backend *be, const char *name, const char *snap,
		       struct vmt_error *err)
{
	return lv_snap_apply(be, name, snap, false, err);
}
