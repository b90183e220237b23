// SPDX-License-Identifier: GPL-2.0-or-later
/* store-vm.c: saving, loading, listing and deleting VM definitions. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "src/store/store-priv.h"
#include "src/lib/util.h"

#define STORE_VM_COLUMNS \
	"uuid, name, uri, backend, vcpus, memory_mib, kernel, initrd, cmdline," \
	" firmware, boot_order, graphics, notes, vm_group, created, updated, host, autostart," \
	" virt_type"
/* What a list of VMs shows of each (store_vm_list_brief()). */
#define STORE_VM_BRIEF_COLUMNS "uuid, name, vcpus, memory_mib, vm_group, host, autostart"

static int store_step_done(struct store *st, sqlite3_stmt *stmt,
			   struct vmt_error *err, const char *what)
{
	int r = sqlite3_step(stmt) == SQLITE_DONE ? 0 : store_fail(st, err, what);

	sqlite3_finalize(stmt);
	return r;
}

static int store_vm_write_row(struct store *st, const struct vm_def *def,
			      struct vmt_error *err)
{
	static const char sql[] =
		"INSERT OR REPLACE INTO vms (" STORE_VM_COLUMNS ")"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *stmt;
	int r = store_prepare(st, sql, &stmt, err);

	if (r < 0)
		return r;
	store_bind_text(stmt, 1, def->uuid);
	store_bind_text(stmt, 2, def->name);
	store_bind_text(stmt, 3, def->uri);
	store_bind_text(stmt, 4, def->backend);
	sqlite3_bind_int64(stmt, 5, def->vcpus);
	sqlite3_bind_int64(stmt, 6, (sqlite3_int64)def->memory_mib);
	store_bind_text(stmt, 7, def->kernel);
	store_bind_text(stmt, 8, def->initrd);
	store_bind_text(stmt, 9, def->cmdline);
	store_bind_text(stmt, 10, vm_firmware_name(def->firmware));
	store_bind_text(stmt, 11, def->boot_order);
	store_bind_text(stmt, 12, vm_graphics_name(def->graphics));
	store_bind_text(stmt, 13, def->notes ? def->notes : "");
	store_bind_text(stmt, 14, def->group ? def->group : "");
	sqlite3_bind_int64(stmt, 15, def->created);
	sqlite3_bind_int64(stmt, 16, def->updated);
	store_bind_text(stmt, 17, def->host);
	sqlite3_bind_int(stmt, 18, def->autostart);
	store_bind_text(stmt, 19, def->virt_type);
	return store_step_done(st, stmt, err, "saving a VM");
}

static int store_vm_write_disk(struct store *st, const struct vm_def *def,
			       size_t i, struct vmt_error *err)
{
	static const char sql[] =
		"INSERT INTO disks (vm_uuid, idx, path, size_bytes, format, device,"
		" readonly, created, pool, vm_host) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	const struct vm_disk *d = &def->disks[i];
	sqlite3_stmt *stmt;
	int r = store_prepare(st, sql, &stmt, err);

	if (r < 0)
		return r;
	store_bind_text(stmt, 1, def->uuid);
	sqlite3_bind_int64(stmt, 2, (sqlite3_int64)i);
	store_bind_text(stmt, 3, d->path);
	sqlite3_bind_int64(stmt, 4, (sqlite3_int64)d->size_bytes);
	store_bind_text(stmt, 5, vm_disk_format_name(d->format));
	store_bind_text(stmt, 6, vm_disk_device_name(d->device));
	sqlite3_bind_int(stmt, 7, d->readonly);
	sqlite3_bind_int(stmt, 8, d->created);
	store_bind_text(stmt, 9, d->pool);
	store_bind_text(stmt, 10, def->host);
	return store_step_done(st, stmt, err, "saving a disk");
}

static int store_vm_write_nic(struct store *st, const struct vm_def *def,
			      size_t i, struct vmt_error *err)
{
	static const char sql[] =
		"INSERT INTO nics (vm_uuid, idx, kind, source, mac, forwards, vm_host)"
		" VALUES (?, ?, ?, ?, ?, ?, ?)";
	const struct vm_nic *nic = &def->nics[i];
	sqlite3_stmt *stmt;
	int r = store_prepare(st, sql, &stmt, err);

	if (r < 0)
		return r;
	store_bind_text(stmt, 1, def->uuid);
	sqlite3_bind_int64(stmt, 2, (sqlite3_int64)i);
	store_bind_text(stmt, 3, vm_nic_kind_name(nic->kind));
	store_bind_text(stmt, 4, nic->source);
	store_bind_text(stmt, 5, nic->mac);
	store_bind_text(stmt, 6, nic->forwards ? nic->forwards : "");
	store_bind_text(stmt, 7, def->host);
	return store_step_done(st, stmt, err, "saving a NIC");
}

static int store_vm_write_image(struct store *st, const struct vm_def *def,
				struct vmt_error *err)
{
	static const char sql[] =
		"INSERT INTO images (vm_uuid, source, base, login, ssh_key, kernel_from,"
		" initrd_from, boot_stamp, seed, booted, vm_host)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	const struct vm_image *im = &def->image;
	sqlite3_stmt *stmt;
	int r = store_prepare(st, sql, &stmt, err);

	if (r < 0)
		return r;
	store_bind_text(stmt, 1, def->uuid);
	store_bind_text(stmt, 2, im->source);
	store_bind_text(stmt, 3, im->base);
	store_bind_text(stmt, 4, im->login);
	store_bind_text(stmt, 5, im->ssh_key);
	store_bind_text(stmt, 6, im->kernel_from);
	store_bind_text(stmt, 7, im->initrd_from);
	store_bind_text(stmt, 8, im->boot_stamp);
	store_bind_text(stmt, 9, im->seed);
	sqlite3_bind_int(stmt, 10, im->booted);
	store_bind_text(stmt, 11, def->host);
	return store_step_done(st, stmt, err, "saving a VM's image");
}

/* Replace the children of def's row with def's disks, NICs and image. */
static int store_vm_write_children(struct store *st, const struct vm_def *def,
				   struct vmt_error *err)
{
	static const char *const del[] = {
		"DELETE FROM disks WHERE vm_uuid = ? AND vm_host = ?",
		"DELETE FROM nics WHERE vm_uuid = ? AND vm_host = ?",
		"DELETE FROM images WHERE vm_uuid = ? AND vm_host = ?",
	};
	int r = 0;

	for (size_t i = 0; i < ARRAY_SIZE(del) && r == 0; i++) {
		sqlite3_stmt *stmt;

		r = store_prepare(st, del[i], &stmt, err);
		if (r == 0) {
			store_bind_text(stmt, 1, def->uuid);
			store_bind_text(stmt, 2, def->host);
			r = store_step_done(st, stmt, err, "replacing devices");
		}
	}
	for (size_t i = 0; i < def->n_disks && r == 0; i++)
		r = store_vm_write_disk(st, def, i, err);
	for (size_t i = 0; i < def->n_nics && r == 0; i++)
		r = store_vm_write_nic(st, def, i, err);
	if (r == 0 && def->image.source)
		r = store_vm_write_image(st, def, err);
	return r;
}

static int store_vm_name_taken(struct store *st, const struct vm_def *def,
			       struct vmt_error *err)
{
	static const char sql[] =
		"SELECT 1 FROM vms WHERE host = ? AND name = ? AND uuid != ?";
	sqlite3_stmt *stmt;
	int r = store_prepare(st, sql, &stmt, err), rc;

	if (r < 0)
		return r;
	store_bind_text(stmt, 1, def->host);
	store_bind_text(stmt, 2, def->name);
	store_bind_text(stmt, 3, def->uuid);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		r = vmt_error_set(err, -EEXIST,
				  "name: a VM named %s already exists on %s",
				  def->name, def->uri);
	else if (rc != SQLITE_DONE)
		r = store_fail(st, err, "checking the name");
	sqlite3_finalize(stmt);
	return r;
}

int store_vm_save(struct store *st, struct vm_def *def, struct vmt_error *err)
{
	int64_t now = (int64_t)time(NULL);
	int r;

	if (!uuid_is_valid(def->uuid) || str_empty(def->name) || str_empty(def->host) ||
	    str_empty(def->uri) || str_empty(def->backend))
		return vmt_error_set(err, -EINVAL,
				     "a VM needs a UUID, a name, a host, a connection and a backend to be stored");
	r = store_begin(st, err);
	if (r < 0)
		return r;
	if (!def->created)
		def->created = now;
	def->updated = now;
	r = store_vm_name_taken(st, def, err);
	if (r == 0)
		r = store_vm_write_row(st, def, err);
	if (r == 0)
		r = store_vm_write_children(st, def, err);
	if (r == 0)
		return store_commit(st, err);
	store_rollback(st);
	return r;
}

static void store_vm_read_row(sqlite3_stmt *stmt, struct vm_def *def)
{
	char *s;

	store_column_uuid(stmt, 0, def->uuid);
	def->name = store_column_text(stmt, 1);
	def->uri = store_column_text(stmt, 2);
	def->backend = store_column_text(stmt, 3);
	def->vcpus = (unsigned)sqlite3_column_int64(stmt, 4);
	def->memory_mib = (uint64_t)sqlite3_column_int64(stmt, 5);
	def->kernel = store_column_text(stmt, 6);
	def->initrd = store_column_text(stmt, 7);
	def->cmdline = store_column_text(stmt, 8);
	vm_firmware_parse((const char *)sqlite3_column_text(stmt, 9), &def->firmware);
	def->boot_order = store_column_text(stmt, 10);
	vm_graphics_parse((const char *)sqlite3_column_text(stmt, 11), &def->graphics);
	s = store_column_text(stmt, 12);
	def->notes = str_empty(s) ? (free(s), NULL) : s;
	s = store_column_text(stmt, 13);
	def->group = str_empty(s) ? (free(s), NULL) : s;
	def->created = sqlite3_column_int64(stmt, 14);
	def->updated = sqlite3_column_int64(stmt, 15);
	def->host = store_column_text(stmt, 16);
	def->autostart = sqlite3_column_int(stmt, 17) != 0;
	def->virt_type = store_column_text(stmt, 18);
}

static void store_vm_read_brief(sqlite3_stmt *stmt, struct vm_def *def)
{
	const char *group = (const char *)sqlite3_column_text(stmt, 4);

	store_column_uuid(stmt, 0, def->uuid);
	def->name = store_column_text(stmt, 1);
	def->vcpus = (unsigned)sqlite3_column_int64(stmt, 2);
	def->memory_mib = (uint64_t)sqlite3_column_int64(stmt, 3);
	def->group = str_empty(group) ? NULL : xstrdup(group);
	def->host = store_column_text(stmt, 5);
	def->autostart = sqlite3_column_int(stmt, 6) != 0;
}

static void store_disk_read(sqlite3_stmt *stmt, struct vm_def *def)
{
	struct vm_disk *d = vm_def_add_disk(def);

	d->path = store_column_text(stmt, 1);
	d->size_bytes = (uint64_t)sqlite3_column_int64(stmt, 2);
	vm_disk_format_parse((const char *)sqlite3_column_text(stmt, 3), &d->format);
	vm_disk_device_parse((const char *)sqlite3_column_text(stmt, 4), &d->device);
	d->readonly = sqlite3_column_int(stmt, 5);
	d->created = sqlite3_column_int(stmt, 6);
	d->pool = store_column_text(stmt, 7);
}

static void store_nic_read(sqlite3_stmt *stmt, struct vm_def *def)
{
	struct vm_nic *nic = vm_def_add_nic(def);
	const char *mac = (const char *)sqlite3_column_text(stmt, 3);

	vm_nic_kind_parse((const char *)sqlite3_column_text(stmt, 1), &nic->kind);
	nic->source = store_column_text(stmt, 2);
	snprintf(nic->mac, sizeof(nic->mac), "%s", mac ? mac : "");
	nic->forwards = store_column_text(stmt, 4);
	if (nic->forwards && !nic->forwards[0]) {
		free(nic->forwards);
		nic->forwards = NULL;
	}
}

static void store_image_read(sqlite3_stmt *stmt, struct vm_def *def)
{
	struct vm_image *im = &def->image;

	vm_image_done(im);
	im->source = store_column_text(stmt, 1);
	im->base = store_column_text(stmt, 2);
	im->login = store_column_text(stmt, 3);
	im->ssh_key = store_column_text(stmt, 4);
	im->kernel_from = store_column_text(stmt, 5);
	im->initrd_from = store_column_text(stmt, 6);
	im->boot_stamp = store_column_text(stmt, 7);
	im->seed = store_column_text(stmt, 8);
	im->booted = sqlite3_column_int(stmt, 9) != 0;
}

/* A list's order: by name, then host. */
static int store_def_cmp_name(const void *a, const void *b)
{
	const struct vm_def *x = *(const struct vm_def *const *)a;
	const struct vm_def *y = *(const struct vm_def *const *)b;
	int c = strcmp(x->name, y->name);

	return c ? c : strcmp(x->host, y->host);
}

/* The order of the index below: by UUID, then host. */
static int store_def_cmp(const void *a, const void *b)
{
	const struct vm_def *x = *(const struct vm_def *const *)a;
	const struct vm_def *y = *(const struct vm_def *const *)b;
	int c = strcmp(x->uuid, y->uuid);

	return c ? c : strcmp(x->host ? x->host : "", y->host ? y->host : "");
}

/* The n (at least one) defs of a query sorted for finding the owner of each device row (they come by name). */
static struct vm_def **store_def_index(struct vm_def **defs, size_t n)
{
	struct vm_def **by_id = xcalloc(n, sizeof(*by_id));

	memcpy(by_id, defs, n * sizeof(*by_id));
	qsort(by_id, n, sizeof(*by_id), store_def_cmp);
	return by_id;
}

/* The def of host and uuid in the index of n defs. */
static struct vm_def *store_find_vm(struct vm_def **by_id, size_t n, const char *host,
				    const char *uuid)
{
	struct vm_def key = { .host = (char *)(host ? host : "") }, *pkey = &key, **hit;

	if (!uuid || strlen(uuid) >= sizeof(key.uuid))
		return NULL;
	strcpy(key.uuid, uuid);
	hit = bsearch(&pkey, by_id, n, sizeof(*by_id), store_def_cmp);
	return hit ? *hit : NULL;
}

/* The text parameters of a query: what its WHERE condition compares with. */
struct store_args {
	const char *v[2];
	int n;
};

static void store_bind_args(sqlite3_stmt *stmt, const struct store_args *args)
{
	for (int i = 0; i < args->n; i++)
		store_bind_text(stmt, i + 1, args->v[i]);
}

/* The kinds of rows that hang off a VM's, in the order store_vm_devices reads them. */
enum store_child { STORE_CHILD_DISK, STORE_CHILD_NIC, STORE_CHILD_IMAGE };

/* Attach disks, NICs or the image record to the defs that own them (by_id: store_def_index()'s). */
static int store_read_children(struct store *st, const char *sql,
			       const struct store_args *args, struct vm_def **by_id,
			       size_t n, enum store_child kind, struct vmt_error *err)
{
	sqlite3_stmt *stmt;
	int r = store_prepare(st, sql, &stmt, err), rc;

	if (r < 0)
		return r;
	store_bind_args(stmt, args);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		/* The host is the last column. */
		int last = sqlite3_column_count(stmt) - 1;
		struct vm_def *def = store_find_vm(by_id, n,
						   (const char *)sqlite3_column_text(stmt, last),
						   (const char *)sqlite3_column_text(stmt, 0));

		if (def && kind == STORE_CHILD_DISK)
			store_disk_read(stmt, def);
		else if (def && kind == STORE_CHILD_NIC)
			store_nic_read(stmt, def);
		else if (def)
			store_image_read(stmt, def);
	}
	if (rc != SQLITE_DONE)
		r = store_fail(st, err, "reading devices");
	sqlite3_finalize(stmt);
	return r;
}

/*
 * The rows of the VMs matching where (a SQL condition on vms with the
 * parameters in args, or NULL for all); with brief, only what a list shows.
 */
static int store_vm_rows(struct store *st, const char *where, const struct store_args *args,
			 bool brief, struct vm_def ***out, size_t *n, struct vmt_error *err)
{
	/*
	 * A brief list reads the table in its own order and is sorted here:
	 * through the (host, name) index each row would be one more lookup.
	 */
	char *sql = xasprintf("SELECT %s FROM vms%s%s%s%s",
			      brief ? STORE_VM_BRIEF_COLUMNS : STORE_VM_COLUMNS,
			      brief ? " NOT INDEXED" : "",
			      where ? " WHERE " : "", where ? where : "",
			      brief ? "" : " ORDER BY name, uri");
	struct vm_def **defs = NULL;
	size_t cap = 0, count = 0;
	sqlite3_stmt *stmt;
	int r = store_prepare(st, sql, &stmt, err), rc;

	free(sql);
	if (r < 0)
		return r;
	store_bind_args(stmt, args);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		defs = xgrow(defs, &cap, count, sizeof(*defs));
		defs[count] = vm_def_new();
		(brief ? store_vm_read_brief : store_vm_read_row)(stmt, defs[count++]);
	}
	if (rc != SQLITE_DONE)
		r = store_fail(st, err, "reading VMs");
	sqlite3_finalize(stmt);
	if (r < 0) {
		store_vm_list_free(defs, count);
		return r;
	}
	if (brief && count)
		qsort(defs, count, sizeof(*defs), store_def_cmp_name);
	*out = defs;
	*n = count;
	return 0;
}

/* The disks, NICs and image records of the n defs store_vm_rows() read with where and args. */
static int store_vm_devices(struct store *st, const char *where, const struct store_args *args,
			    struct vm_def **defs, size_t n, struct vmt_error *err)
{
	static const struct {
		const char *select;
		enum store_child kind;
	} parts[] = {
		{ "SELECT vm_uuid, path, size_bytes, format, device, readonly, created, pool, vm_host"
		  " FROM disks", STORE_CHILD_DISK },
		{ "SELECT vm_uuid, kind, source, mac, forwards, vm_host FROM nics", STORE_CHILD_NIC },
		{ "SELECT vm_uuid, source, base, login, ssh_key, kernel_from, initrd_from,"
		  " boot_stamp, seed, booted, vm_host FROM images", STORE_CHILD_IMAGE },
	};
	struct vm_def **by_id;
	int r = 0;

	if (!n)
		return 0;
	by_id = store_def_index(defs, n);
	for (size_t i = 0; i < ARRAY_SIZE(parts) && r == 0; i++) {
		char *sql = xasprintf("%s WHERE (vm_host, vm_uuid) IN (SELECT host, uuid FROM vms%s%s)%s",
				      parts[i].select, where ? " WHERE " : "", where ? where : "",
				      parts[i].kind == STORE_CHILD_IMAGE ? ""
				      : " ORDER BY vm_host, vm_uuid, idx");

		r = store_read_children(st, sql, args, by_id, n, parts[i].kind, err);
		free(sql);
	}
	free(by_id);
	return r;
}

/* Load VMs matching where with their devices and image record: four queries whatever the count. */
static int store_vm_query(struct store *st, const char *where,
			  const struct store_args *args, struct vm_def ***out,
			  size_t *n, struct vmt_error *err)
{
	int r = store_vm_rows(st, where, args, false, out, n, err);

	if (r == 0)
		r = store_vm_devices(st, where, args, *out, *n, err);
	if (r < 0 && *out) {
		store_vm_list_free(*out, *n);
		*out = NULL;
	}
	return r;
}

int store_vm_list(struct store *st, const char *host, struct vm_def ***out,
		  size_t *n, struct vmt_error *err)
{
	struct store_args args = { { host, NULL }, host ? 1 : 0 };

	return store_vm_query(st, host ? "host = ?" : NULL, &args, out, n, err);
}

int store_vm_list_brief(struct store *st, const char *host, struct vm_def ***out,
			size_t *n, struct vmt_error *err)
{
	struct store_args args = { { host, NULL }, host ? 1 : 0 };

	return store_vm_rows(st, host ? "host = ?" : NULL, &args, true, out, n, err);
}

int store_vm_list_uuids(struct store *st, const char *host, char *const *uuids,
			size_t n_uuids, struct vm_def ***out, size_t *n, struct vmt_error *err)
{
	struct strbuf list;
	struct store_args args;
	int r;

	/* The UUIDs go in as one JSON array: one statement, whatever their number. */
	strbuf_init(&list);
	strbuf_adds(&list, "[");
	for (size_t i = 0; i < n_uuids; i++)
		if (uuid_is_valid(uuids[i]))
			strbuf_addf(&list, "%s\"%s\"", list.len > 1 ? "," : "", uuids[i]);
	strbuf_adds(&list, "]");
	args = (struct store_args){ { host, list.buf }, 2 };
	r = store_vm_query(st, "host = ? AND uuid IN (SELECT value FROM json_each(?))", &args,
			   out, n, err);
	strbuf_done(&list);
	return r;
}

void store_vm_list_free(struct vm_def **defs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		vm_def_free(defs[i]);
	free(defs);
}

static int store_vm_get_one(struct store *st, const char *where,
			    const struct store_args *args, const char *what,
			    struct vm_def **out, struct vmt_error *err)
{
	struct vm_def **defs;
	size_t n;
	int r = store_vm_query(st, where, args, &defs, &n, err);

	if (r < 0)
		return r;
	if (n == 0) {
		free(defs);
		return vmt_error_set(err, -ENOENT, "no VM %s in vmtui's store", what);
	}
	*out = defs[0];
	for (size_t i = 1; i < n; i++)
		vm_def_free(defs[i]);
	free(defs);
	return 0;
}

int store_vm_get(struct store *st, const char *host, const char *name,
		 struct vm_def **out, struct vmt_error *err)
{
	struct store_args args = { { host, name }, 2 };
	char *what = xasprintf("named %s on %s", name, host);
	int r = store_vm_get_one(st, "host = ? AND name = ?", &args, what, out, err);

	free(what);
	return r;
}

int store_vm_get_uuid(struct store *st, const char *host, const char *uuid,
		      struct vm_def **out, struct vmt_error *err)
{
	struct store_args args = { { host, uuid }, 2 };
	char *what = xasprintf("with UUID %s on %s", uuid, host);
	int r = store_vm_get_one(st, "host = ? AND uuid = ?", &args, what, out, err);

	free(what);
	return r;
}

/* Run sql, which takes a and (unless NULL) b, as one statement that returns no rows. */
static int store_run2(struct store *st, const char *sql, const char *a, const char *b,
		      struct vmt_error *err)
{
	sqlite3_stmt *stmt;
	int r = store_prepare(st, sql, &stmt, err);

	if (r < 0)
		return r;
	store_bind_text(stmt, 1, a);
	if (b)
		store_bind_text(stmt, 2, b);
	return store_step_done(st, stmt, err, sql);
}

int store_vm_delete(struct store *st, const char *host, const char *uuid,
		    struct vmt_error *err)
{
	sqlite3_stmt *stmt;
	int r = store_begin(st, err);

	if (r < 0)
		return r;
	r = store_prepare(st, "DELETE FROM links WHERE clone_uuid = ?", &stmt, err);
	if (r == 0) {
		store_bind_text(stmt, 1, uuid);
		r = store_step_done(st, stmt, err, "deleting a clone's links");
	}
	if (r == 0)
		r = store_run2(st, "DELETE FROM snapshot_clones WHERE clone_uuid = ?", uuid, NULL, err);
	if (r == 0)
		r = store_run2(st, "DELETE FROM vms WHERE host = ? AND uuid = ?", host, uuid, err);
	if (r == 0 && sqlite3_changes(st->db) == 0)
		r = vmt_error_set(err, -ENOENT, "no VM with UUID %s on %s in vmtui's store",
				  uuid, host);
	if (r == 0)
		return store_commit(st, err);
	store_rollback(st);
	return r;
}

/* Whether any VM is kept under host. */
static int store_host_used(struct store *st, const char *host, bool *used,
			   struct vmt_error *err)
{
	sqlite3_stmt *stmt;
	int r = store_prepare(st, "SELECT 1 FROM vms WHERE host = ? LIMIT 1", &stmt, err), rc;

	if (r < 0)
		return r;
	store_bind_text(stmt, 1, host);
	rc = sqlite3_step(stmt);
	*used = rc == SQLITE_ROW;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		r = store_fail(st, err, "looking for a host's VMs");
	sqlite3_finalize(stmt);
	return r;
}

int store_host_claim(struct store *st, const char *from, const char *to,
		     struct vmt_error *err)
{
	bool used;
	int r = store_host_used(st, from, &used, err);

	if (r < 0 || !used)
		return r;
	r = store_begin(st, err);
	if (r < 0)
		return r;
	/* The devices follow (ON UPDATE CASCADE); a clash leaves the row, which goes next. */
	r = store_run2(st, "UPDATE OR IGNORE vms SET host = ?2 WHERE host = ?1", from, to, err);
	if (r == 0)
		r = store_run2(st, "DELETE FROM vms WHERE host = ?", from, NULL, err);
	if (r == 0)
		return store_commit(st, err);
	store_rollback(st);
	return r;
}
