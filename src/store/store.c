// SPDX-License-Identifier: GPL-2.0-or-later
/* store.c: opening, checking and migrating the database; transactions; events. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/lib/log.h"
#include "src/store/store-priv.h"
#include "src/lib/util.h"

/* How long a command waits for another vmtui holding the write lock. */
#define STORE_BUSY_TIMEOUT_MS 3000

/*
 * Upgrade steps: store_migrations[i] takes a database from version i + 1
 * to i + 2; the list ends with NULL. data/schema.sql always describes the
 * newest version, so a new database gets the schema and no migrations.
 */
static const char *const store_migrations[] = {
	/* 1 to 2: a user network's port forwards. */
	"ALTER TABLE nics ADD COLUMN forwards TEXT NOT NULL DEFAULT '';",
	/*
	 * 2 to 3: VMs keyed by their host's identity and UUID, not by a URI
	 * (tables rebuilt, as SQLite cannot change a key). kvm:/// has its
	 * fixed identity; a libvirt VM's host is known only once vmtui is
	 * connected to it, so it is kept under "uri:URI" until the first
	 * connection through that URI claims it (store_host_claim).
	 */
	"CREATE TABLE vms_3 ("
	" uuid TEXT NOT NULL CHECK (length(uuid) = 36),"
	" host TEXT NOT NULL CHECK (length(host) >= 1),"
	" name TEXT NOT NULL CHECK (length(name) >= 1),"
	" uri TEXT NOT NULL,"
	" backend TEXT NOT NULL CHECK (backend IN ('kvm', 'libvirt')),"
	" vcpus INTEGER NOT NULL CHECK (vcpus >= 1),"
	" memory_mib INTEGER NOT NULL CHECK (memory_mib >= 16),"
	" kernel TEXT, initrd TEXT, cmdline TEXT,"
	" firmware TEXT NOT NULL DEFAULT 'bios' CHECK (firmware IN ('bios', 'uefi')),"
	" boot_order TEXT,"
	" graphics TEXT NOT NULL DEFAULT 'none' CHECK (graphics IN ('none', 'vnc', 'spice')),"
	" notes TEXT NOT NULL DEFAULT '', vm_group TEXT NOT NULL DEFAULT '',"
	" created INTEGER NOT NULL, updated INTEGER NOT NULL,"
	" PRIMARY KEY (host, uuid), UNIQUE (host, name));"
	"INSERT INTO vms_3 SELECT uuid,"
	" CASE backend WHEN 'kvm' THEN '" STORE_HOST_KVM "' ELSE '" STORE_HOST_URI "' || uri END,"
	" name, uri, backend, vcpus, memory_mib, kernel, initrd, cmdline, firmware,"
	" boot_order, graphics, notes, vm_group, created, updated FROM vms;"
	"CREATE TABLE disks_3 ("
	" vm_host TEXT NOT NULL, vm_uuid TEXT NOT NULL,"
	" idx INTEGER NOT NULL CHECK (idx >= 0), path TEXT,"
	" size_bytes INTEGER NOT NULL DEFAULT 0 CHECK (size_bytes >= 0),"
	" format TEXT NOT NULL CHECK (format IN ('raw', 'qcow2')),"
	" device TEXT NOT NULL DEFAULT 'disk' CHECK (device IN ('disk', 'cdrom')),"
	" readonly INTEGER NOT NULL DEFAULT 0 CHECK (readonly IN (0, 1)),"
	" created INTEGER NOT NULL DEFAULT 0 CHECK (created IN (0, 1)), pool TEXT,"
	" PRIMARY KEY (vm_host, vm_uuid, idx),"
	" FOREIGN KEY (vm_host, vm_uuid) REFERENCES vms (host, uuid)"
	" ON DELETE CASCADE ON UPDATE CASCADE);"
	"INSERT INTO disks_3 SELECT v.host, d.vm_uuid, d.idx, d.path, d.size_bytes, d.format,"
	" d.device, d.readonly, d.created, d.pool FROM disks d JOIN vms_3 v ON v.uuid = d.vm_uuid;"
	"CREATE TABLE nics_3 ("
	" vm_host TEXT NOT NULL, vm_uuid TEXT NOT NULL,"
	" idx INTEGER NOT NULL CHECK (idx >= 0),"
	" kind TEXT NOT NULL CHECK (kind IN ('user', 'tap', 'network', 'bridge')),"
	" source TEXT, mac TEXT NOT NULL CHECK (length(mac) = 17),"
	" forwards TEXT NOT NULL DEFAULT '',"
	" PRIMARY KEY (vm_host, vm_uuid, idx),"
	" FOREIGN KEY (vm_host, vm_uuid) REFERENCES vms (host, uuid)"
	" ON DELETE CASCADE ON UPDATE CASCADE);"
	"INSERT INTO nics_3 SELECT v.host, n.vm_uuid, n.idx, n.kind, n.source, n.mac, n.forwards"
	" FROM nics n JOIN vms_3 v ON v.uuid = n.vm_uuid;"
	"DROP TABLE nics; DROP TABLE disks; DROP TABLE vms;"
	"ALTER TABLE vms_3 RENAME TO vms;"
	"ALTER TABLE disks_3 RENAME TO disks;"
	"ALTER TABLE nics_3 RENAME TO nics;",
	/* 3 to 4: kvm:/// VMs that vmtui autostart --boot starts. */
	"ALTER TABLE vms ADD COLUMN autostart INTEGER NOT NULL DEFAULT 0"
	" CHECK (autostart IN (0, 1));",
	/* 4 to 5: which disks of linked clones read through which VM's. */
	"CREATE TABLE links ("
	" clone_uuid TEXT NOT NULL CHECK (length(clone_uuid) = 36),"
	" idx INTEGER NOT NULL CHECK (idx >= 0),"
	" base_uuid TEXT NOT NULL CHECK (length(base_uuid) = 36),"
	" base_path TEXT NOT NULL,"
	" shared INTEGER NOT NULL DEFAULT 0 CHECK (shared IN (0, 1)),"
	" PRIMARY KEY (clone_uuid, idx));"
	"CREATE INDEX links_by_base ON links (base_uuid);",
	/* 5 to 6: VMs made from cloud images, and a domain type the user chose. */
	"ALTER TABLE vms ADD COLUMN virt_type TEXT CHECK (virt_type IN ('kvm', 'qemu'));"
	"CREATE TABLE images ("
	" vm_host TEXT NOT NULL, vm_uuid TEXT NOT NULL, source TEXT NOT NULL,"
	" base TEXT, login TEXT, ssh_key TEXT, kernel_from TEXT, initrd_from TEXT,"
	" boot_stamp TEXT, seed TEXT,"
	" booted INTEGER NOT NULL DEFAULT 0 CHECK (booted IN (0, 1)),"
	" PRIMARY KEY (vm_host, vm_uuid),"
	" FOREIGN KEY (vm_host, vm_uuid) REFERENCES vms (host, uuid)"
	" ON DELETE CASCADE ON UPDATE CASCADE);",
	/* 6 to 7: clones made from a snapshot, which keep it. */
	"CREATE TABLE snapshot_clones ("
	" clone_uuid TEXT PRIMARY KEY CHECK (length(clone_uuid) = 36),"
	" base_uuid TEXT NOT NULL CHECK (length(base_uuid) = 36),"
	" snapshot TEXT NOT NULL CHECK (length(snapshot) >= 1),"
	" warm INTEGER NOT NULL DEFAULT 0 CHECK (warm IN (0, 1)));"
	"CREATE INDEX snapshot_clones_by_base ON snapshot_clones (base_uuid, snapshot);",
	NULL
};

_Static_assert(STORE_SCHEMA_VERSION == ARRAY_SIZE(store_migrations),
	       "schema version and migrations disagree");

int store_fail(struct store *st, struct vmt_error *err, const char *what)
{
	int code = sqlite3_errcode(st->db);
	const char *msg = sqlite3_errmsg(st->db);

	switch (code & 0xff) {
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		return vmt_error_set(err, -EIO,
				     "database %s is corrupt or not a database (%s); vmtui leaves it as it is: move it away or use --db",
				     st->path, msg);
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return vmt_error_set(err, -EBUSY,
				     "database %s is locked by another process (waited %d ms)",
				     st->path, STORE_BUSY_TIMEOUT_MS);
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN:
	case SQLITE_PERM:
		return vmt_error_set(err, -EACCES,
				     "database %s cannot be written: %s", st->path, msg);
	case SQLITE_FULL:
		return vmt_error_set(err, -ENOSPC,
				     "database %s: the disk is full", st->path);
	default:
		return vmt_error_set(err, -EIO, "database %s: %s: %s", st->path,
				     what, msg);
	}
}

int store_prepare(struct store *st, const char *sql, sqlite3_stmt **stmt,
		  struct vmt_error *err)
{
	if (sqlite3_prepare_v2(st->db, sql, -1, stmt, NULL) != SQLITE_OK)
		return store_fail(st, err, "preparing a query");
	return 0;
}

int store_exec(struct store *st, const char *sql, struct vmt_error *err)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(st, err, sql);
	return 0;
}

int store_bind_text(sqlite3_stmt *stmt, int idx, const char *s)
{
	if (!s)
		return sqlite3_bind_null(stmt, idx);
	return sqlite3_bind_text(stmt, idx, s, -1, SQLITE_TRANSIENT);
}

char *store_column_text(sqlite3_stmt *stmt, int col)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	return s ? xstrdup((const char *)s) : NULL;
}

void store_column_uuid(sqlite3_stmt *stmt, int col, char out[37])
{
	const char *s = (const char *)sqlite3_column_text(stmt, col);
	size_t len = s ? strnlen(s, 36) : 0;

	if (len)
		memcpy(out, s, len);
	out[len] = '\0';
}

static int store_pragma_int(struct store *st, const char *sql, int *out,
			    struct vmt_error *err)
{
	sqlite3_stmt *stmt;
	int r = store_prepare(st, sql, &stmt, err);

	if (r < 0)
		return r;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		*out = sqlite3_column_int(stmt, 0);
	else
		r = store_fail(st, err, sql);
	sqlite3_finalize(stmt);
	return r;
}

/* Create the file ourselves so that it is 0600 from its first byte. */
static int store_create_file(const char *path, struct vmt_error *err)
{
	char *dir;
	int fd, r;

	if (strcmp(path, ":memory:") == 0 || access(path, F_OK) == 0)
		return 0;
	dir = path_dirname(path);
	r = mkdir_p(dir, 0700, err);
	free(dir);
	if (r < 0)
		return vmt_error_prefix(err, "database %s", path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 && errno != EEXIST)
		return vmt_error_set(err, -errno, "database %s cannot be created: %s",
				     path, strerror(errno));
	if (fd >= 0)
		close(fd);
	return 0;
}

static int store_apply_schema(struct store *st, int version,
			      struct vmt_error *err)
{
	char sql[64];
	int r = store_begin(st, err);

	if (r < 0)
		return r;
	if (version == 0) {
		r = store_exec(st, vmtui_schema_sql, err);
		version = STORE_SCHEMA_VERSION;
	}
	for (; r == 0 && version < STORE_SCHEMA_VERSION; version++) {
		LOG_INFO("migrating %s from schema %d to %d", st->path, version,
			 version + 1);
		r = store_exec(st, store_migrations[version - 1], err);
	}
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", version);
	if (r == 0)
		r = store_exec(st, sql, err);
	if (r == 0)
		return store_commit(st, err);
	store_rollback(st);
	return r;
}

static int store_check_version(struct store *st, struct vmt_error *err)
{
	int version = 0, objects = 0, r;

	r = store_pragma_int(st, "PRAGMA user_version", &version, err);
	if (r == 0)
		r = store_pragma_int(st, "SELECT count(*) FROM sqlite_master",
				     &objects, err);
	if (r < 0)
		return r;
	if (version > STORE_SCHEMA_VERSION)
		return vmt_error_set(err, -EPROTO,
				     "database %s has schema version %d, newer than this vmtui understands (%d): use a newer vmtui",
				     st->path, version, STORE_SCHEMA_VERSION);
	if (version == 0 && objects > 0)
		return vmt_error_set(err, -EPROTO,
				     "database %s is not a vmtui database (it has tables but no vmtui schema version); vmtui leaves it as it is",
				     st->path);
	if (version == STORE_SCHEMA_VERSION)
		return 0;
	if (sqlite3_db_readonly(st->db, "main") == 1)
		return vmt_error_set(err, -EACCES,
				     "database %s cannot be written, so it cannot be set up or upgraded",
				     st->path);
	return store_apply_schema(st, version, err);
}

static int store_configure(struct store *st, struct vmt_error *err)
{
	sqlite3_stmt *stmt;
	int r;

	sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(st->db, 1);
	/* Off while tables are rebuilt: dropping one must not cascade to its rows' devices. */
	r = store_check_version(st, err);
	if (r == 0)
		r = store_exec(st, "PRAGMA foreign_keys = ON", err);
	if (r == 0 && sqlite3_db_readonly(st->db, "main") == 1)
		r = vmt_error_set(err, -EACCES, "database %s cannot be written",
				  st->path);
	if (r < 0)
		return r;
	r = store_prepare(st, "PRAGMA journal_mode = WAL", &stmt, err);
	if (r < 0)
		return r;
	if (sqlite3_step(stmt) != SQLITE_ROW)
		r = store_fail(st, err, "switching to WAL");
	sqlite3_finalize(stmt);
	if (r == 0)
		r = store_exec(st, "PRAGMA synchronous = FULL", err);
	return r;
}

int store_open(const char *path, struct store **out, struct vmt_error *err)
{
	struct store *st;
	int r;

	r = store_create_file(path, err);
	if (r < 0)
		return r;
	st = xcalloc(1, sizeof(*st));
	st->path = xstrdup(path);
	/* One thread at a time: no lock around each call (and each column read). */
	if (sqlite3_open_v2(path, &st->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		r = st->db ? store_fail(st, err, "opening")
			   : vmt_error_set(err, -ENOMEM, "database %s: out of memory", path);
		store_close(st);
		return r;
	}
	r = store_configure(st, err);
	if (r < 0) {
		store_close(st);
		return r;
	}
	*out = st;
	return 0;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	sqlite3_close_v2(st->db);
	free(st->path);
	free(st);
}

void store_release_memory(struct store *st)
{
	sqlite3_db_release_memory(st->db);
}

const char *store_path(const struct store *st)
{
	return st->path;
}

int store_begin(struct store *st, struct vmt_error *err)
{
	char sql[48];
	int r;

	if (st->txn_depth == 0)
		snprintf(sql, sizeof(sql), "BEGIN IMMEDIATE");
	else
		snprintf(sql, sizeof(sql), "SAVEPOINT vmtui_%d", st->txn_depth);
	r = store_exec(st, sql, err);
	if (r == 0)
		st->txn_depth++;
	return r;
}

int store_commit(struct store *st, struct vmt_error *err)
{
	char sql[48];
	int r;

	if (st->txn_depth <= 0)
		abort();
	if (st->txn_depth == 1)
		snprintf(sql, sizeof(sql), "COMMIT");
	else
		snprintf(sql, sizeof(sql), "RELEASE vmtui_%d", st->txn_depth - 1);
	r = store_exec(st, sql, err);
	if (r < 0) {
		store_rollback(st);
		return r;
	}
	st->txn_depth--;
	return 0;
}

void store_rollback(struct store *st)
{
	char sql[80];

	if (st->txn_depth <= 0)
		abort();
	st->txn_depth--;
	if (st->txn_depth == 0)
		snprintf(sql, sizeof(sql), "ROLLBACK");
	else
		snprintf(sql, sizeof(sql), "ROLLBACK TO vmtui_%d; RELEASE vmtui_%d",
			 st->txn_depth, st->txn_depth);
	sqlite3_exec(st->db, sql, NULL, NULL, NULL);
}

int store_event_add(struct store *st, const struct store_event *ev,
		    struct vmt_error *err)
{
	static const char sql[] =
		"INSERT INTO events (time, vm_uuid, vm_name, uri, action, result, detail)"
		" VALUES (?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *stmt;
	int r = store_prepare(st, sql, &stmt, err);

	if (r < 0)
		return r;
	sqlite3_bind_int64(stmt, 1, ev->time);
	store_bind_text(stmt, 2, ev->vm_uuid);
	store_bind_text(stmt, 3, ev->vm_name);
	store_bind_text(stmt, 4, ev->uri);
	store_bind_text(stmt, 5, ev->action);
	store_bind_text(stmt, 6, ev->ok ? "ok" : "error");
	store_bind_text(stmt, 7, ev->detail ? ev->detail : "");
	if (sqlite3_step(stmt) != SQLITE_DONE)
		r = store_fail(st, err, "recording an event");
	sqlite3_finalize(stmt);
	return r;
}

int store_event_list(struct store *st, const char *vm_uuid, size_t limit,
		     struct store_event **out, size_t *n, struct vmt_error *err)
{
	static const char sql[] =
		"SELECT time, vm_uuid, vm_name, uri, action, result, detail FROM events"
		" WHERE vm_uuid = ? ORDER BY time DESC, id DESC LIMIT ?";
	struct store_event *evs = NULL;
	size_t cap = 0, count = 0;
	sqlite3_stmt *stmt;
	int r = store_prepare(st, sql, &stmt, err), rc;

	if (r < 0)
		return r;
	store_bind_text(stmt, 1, vm_uuid);
	sqlite3_bind_int64(stmt, 2, (sqlite3_int64)limit);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct store_event *ev;

		evs = xgrow(evs, &cap, count, sizeof(*evs));
		ev = &evs[count++];
		memset(ev, 0, sizeof(*ev));
		ev->time = sqlite3_column_int64(stmt, 0);
		ev->vm_uuid = store_column_text(stmt, 1);
		ev->vm_name = store_column_text(stmt, 2);
		ev->uri = store_column_text(stmt, 3);
		ev->action = store_column_text(stmt, 4);
		ev->ok = str_eq((const char *)sqlite3_column_text(stmt, 5), "ok");
		ev->detail = store_column_text(stmt, 6);
	}
	if (rc != SQLITE_DONE)
		r = store_fail(st, err, "reading events");
	sqlite3_finalize(stmt);
	if (r < 0) {
		store_event_list_free(evs, count);
		return r;
	}
	*out = evs;
	*n = count;
	return 0;
}

void store_event_list_free(struct store_event *evs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(evs[i].vm_uuid);
		free(evs[i].vm_name);
		free(evs[i].uri);
		free(evs[i].action);
		free(evs[i].detail);
	}
	free(evs);
}
