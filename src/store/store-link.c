// SPDX-License-Identifier: GPL-2.0-or-later
/* store-link.c: which disks of linked clones read through which VM's disks, and which clones were made from which snapshot. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/store/store-priv.h"
#include "src/lib/util.h"

int store_link_add(struct store *st, const struct store_link *link,
		   struct vmt_error *err)
{
	static const char sql[] =
		"INSERT OR REPLACE INTO links (clone_uuid, idx, base_uuid, base_path, shared)"
		" VALUES (?, ?, ?, ?, ?)";
	sqlite3_stmt *stmt;
	int r;

	if (!uuid_is_valid(link->clone_uuid) || !uuid_is_valid(link->base_uuid) ||
	    str_empty(link->base_path))
		return vmt_error_set(err, -EINVAL,
				     "a link needs the clone's UUID, the base's UUID and its image");
	r = store_prepare(st, sql, &stmt, err);
	if (r < 0)
		return r;
	store_bind_text(stmt, 1, link->clone_uuid);
	sqlite3_bind_int64(stmt, 2, (sqlite3_int64)link->idx);
	store_bind_text(stmt, 3, link->base_uuid);
	store_bind_text(stmt, 4, link->base_path);
	sqlite3_bind_int(stmt, 5, link->shared);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		r = store_fail(st, err, "recording a linked clone");
	sqlite3_finalize(stmt);
	return r;
}

int store_link_list(struct store *st, const char *clone_uuid,
		    struct store_link **out, size_t *n, struct vmt_error *err)
{
	static const char sql[] =
		"SELECT idx, base_uuid, base_path, shared FROM links WHERE clone_uuid = ? ORDER BY idx";
	struct store_link *links = NULL;
	size_t cap = 0, count = 0;
	sqlite3_stmt *stmt;
	int r = store_prepare(st, sql, &stmt, err), rc;

	if (r < 0)
		return r;
	store_bind_text(stmt, 1, clone_uuid);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct store_link *l;

		links = xgrow(links, &cap, count, sizeof(*links));
		l = &links[count++];
		memset(l, 0, sizeof(*l));
		snprintf(l->clone_uuid, sizeof(l->clone_uuid), "%s", clone_uuid);
		l->idx = (size_t)sqlite3_column_int64(stmt, 0);
		store_column_uuid(stmt, 1, l->base_uuid);
		l->base_path = store_column_text(stmt, 2);
		l->shared = sqlite3_column_int(stmt, 3) != 0;
	}
	if (rc != SQLITE_DONE)
		r = store_fail(st, err, "reading linked clones");
	sqlite3_finalize(stmt);
	if (r < 0) {
		store_link_list_free(links, count);
		return r;
	}
	*out = links;
	*n = count;
	return 0;
}

void store_link_list_free(struct store_link *links, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(links[i].base_path);
	free(links);
}

/* The first column of sql's rows, its parameters bound to arg and (when it has two) arg2; none on failure. */
static int store_names_query(struct store *st, const char *sql, const char *arg,
			     const char *arg2, char ***names, size_t *n, struct vmt_error *err)
{
	char **list = NULL;
	size_t cap = 0, count = 0;
	sqlite3_stmt *stmt;
	int r, rc;

	*names = NULL;
	*n = 0;
	r = store_prepare(st, sql, &stmt, err);
	if (r < 0)
		return r;
	store_bind_text(stmt, 1, arg);
	if (sqlite3_bind_parameter_count(stmt) >= 2)
		store_bind_text(stmt, 2, arg2);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		list = xgrow(list, &cap, count, sizeof(*list));
		list[count++] = store_column_text(stmt, 0);
	}
	if (rc != SQLITE_DONE)
		r = store_fail(st, err, "reading which VMs use a disk");
	sqlite3_finalize(stmt);
	if (r < 0) {
		store_names_free(list, count);
		return r;
	}
	*names = list;
	*n = count;
	return 0;
}

/* Only clones the store still has count: a link outlives nothing. */
int store_link_clones(struct store *st, const char *base_uuid, char ***names,
		      size_t *n, struct vmt_error *err)
{
	static const char sql[] =
		"SELECT DISTINCT vms.name FROM links JOIN vms ON vms.uuid = links.clone_uuid"
		" WHERE links.base_uuid = ? AND links.shared = 0 ORDER BY vms.name";

	return store_names_query(st, sql, base_uuid, NULL, names, n, err);
}

int store_image_users(struct store *st, const char *base, char ***names, size_t *n,
		      struct vmt_error *err)
{
	static const char sql[] =
		"SELECT DISTINCT vms.name FROM images JOIN vms ON vms.uuid = images.vm_uuid"
		" AND vms.host = images.vm_host WHERE images.base = ? ORDER BY vms.name";

	return store_names_query(st, sql, base, NULL, names, n, err);
}

int store_link_check_base(struct store *st, const char *base_uuid, const char *name,
			  const char *verb, struct vmt_error *err)
{
	char **names, *list;
	size_t n;
	int r = store_link_clones(st, base_uuid, &names, &n, err);

	if (r < 0 || n == 0) {
		store_names_free(names, n);
		return r;
	}
	list = str_join(names, n, ", ");
	r = vmt_error_set(err, -EBUSY, "VM %s is the original of the linked clone%s %s, which "
			  "read%s through its disks: vmtui does not %s it until %s deleted", name,
			  n > 1 ? "s" : "", list, n > 1 ? "" : "s", verb,
			  n > 1 ? "they are" : "that is");
	free(list);
	store_names_free(names, n);
	return r;
}

void store_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int store_snapclone_add(struct store *st, const struct store_snapclone *sc,
			struct vmt_error *err)
{
	static const char sql[] =
		"INSERT OR REPLACE INTO snapshot_clones (clone_uuid, base_uuid, snapshot, warm)"
		" VALUES (?, ?, ?, ?)";
	sqlite3_stmt *stmt;
	int r;

	if (!uuid_is_valid(sc->clone_uuid) || !uuid_is_valid(sc->base_uuid) ||
	    str_empty(sc->snapshot))
		return vmt_error_set(err, -EINVAL, "a clone made from a snapshot needs its UUID, "
				     "the UUID of the snapshot's VM and the snapshot's name");
	r = store_prepare(st, sql, &stmt, err);
	if (r < 0)
		return r;
	store_bind_text(stmt, 1, sc->clone_uuid);
	store_bind_text(stmt, 2, sc->base_uuid);
	store_bind_text(stmt, 3, sc->snapshot);
	sqlite3_bind_int(stmt, 4, sc->warm);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		r = store_fail(st, err, "recording a clone made from a snapshot");
	sqlite3_finalize(stmt);
	return r;
}

int store_snapclone_get(struct store *st, const char *clone_uuid, struct store_snapclone *out,
			struct vmt_error *err)
{
	static const char sql[] =
		"SELECT base_uuid, snapshot, warm FROM snapshot_clones WHERE clone_uuid = ?";
	sqlite3_stmt *stmt;
	int r = store_prepare(st, sql, &stmt, err), rc;

	memset(out, 0, sizeof(*out));
	if (r < 0)
		return r;
	store_bind_text(stmt, 1, clone_uuid);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		snprintf(out->clone_uuid, sizeof(out->clone_uuid), "%s", clone_uuid);
		store_column_uuid(stmt, 0, out->base_uuid);
		out->snapshot = store_column_text(stmt, 1);
		out->warm = sqlite3_column_int(stmt, 2) != 0;
	} else if (rc == SQLITE_DONE) {
		r = vmt_error_set(err, -ENOENT, "VM %s was not cloned from a snapshot", clone_uuid);
	} else {
		r = store_fail(st, err, "reading a clone made from a snapshot");
	}
	sqlite3_finalize(stmt);
	return r;
}

void store_snapclone_done(struct store_snapclone *sc)
{
	free(sc->snapshot);
	memset(sc, 0, sizeof(*sc));
}

int store_snapclone_cool(struct store *st, const char *clone_uuid, struct vmt_error *err)
{
	sqlite3_stmt *stmt;
	int r = store_prepare(st, "UPDATE snapshot_clones SET warm = 0 WHERE clone_uuid = ?",
			      &stmt, err);

	if (r < 0)
		return r;
	store_bind_text(stmt, 1, clone_uuid);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		r = store_fail(st, err, "recording a clone's first start");
	sqlite3_finalize(stmt);
	return r;
}

int store_snapclone_clones(struct store *st, const char *base_uuid, const char *snapshot,
			   char ***names, size_t *n, struct vmt_error *err)
{
	static const char sql[] =
		"SELECT DISTINCT vms.name FROM snapshot_clones s JOIN vms ON vms.uuid = s.clone_uuid"
		" WHERE s.base_uuid = ?1 AND (?2 IS NULL OR s.snapshot = ?2) ORDER BY vms.name";

	return store_names_query(st, sql, base_uuid, snapshot, names, n, err);
}
