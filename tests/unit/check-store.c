// SPDX-License-Identifier: GPL-2.0-or-later
/* check-store.c: unit tests of the SQLite store: schema, round trips, transactions, bad databases. */
#include "config.h"

#include <check.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/store/store.h"
#include "src/lib/util.h"
#include "tests/unit/check-util.h"

static struct vm_def *make_def(const char *name, const char *uri)
{
	struct vm_def *def = vm_def_new();
	struct vm_disk *d;
	struct vm_nic *n;

	def->name = xstrdup(name);
	def->uri = xstrdup(uri);
	def->host = xstrdup(uri);
	def->backend = xstrdup("libvirt");
	def->vcpus = 2;
	def->memory_mib = 1024;
	def->kernel = xstrdup("/boot/vmlinuz");
	def->cmdline = xstrdup("console=ttyS0 'quoted' \"double\"");
	def->notes = xstrdup("notes with & < > and é");
	def->group = xstrdup("web");
	def->graphics = VM_GRAPHICS_VNC;
	d = vm_def_add_disk(def);
	d->path = xstrdup("/var/lib/x.qcow2");
	d->format = VM_DISK_FORMAT_QCOW2;
	d->size_bytes = 10ull << 30;
	d->created = true;
	d->pool = xstrdup("default");
	d = vm_def_add_disk(def);
	d->path = xstrdup("/iso/d.iso");
	d->device = VM_DISK_DEVICE_CDROM;
	d->format = VM_DISK_FORMAT_RAW;
	d->readonly = true;
	n = vm_def_add_nic(def);
	n->kind = VM_NIC_NETWORK;
	n->source = xstrdup("default");
	vm_def_resolve(def, VM_DISK_FORMAT_RAW);
	return def;
}

static struct store *open_mem(void)
{
	struct store *st;
	struct vmt_error err;

	ck_assert_int_eq(store_open(":memory:", &st, &err), 0);
	return st;
}

START_TEST(test_roundtrip)
{
	struct store *st = open_mem();
	struct vm_def *def = make_def("web1", "qemu:///system"), *got;
	struct vmt_error err;

	ck_assert_int_eq(store_vm_save(st, def, &err), 0);
	ck_assert_int_eq(store_vm_get(st, "qemu:///system", "web1", &got, &err), 0);
	ck_assert_str_eq(got->uuid, def->uuid);
	ck_assert_str_eq(got->cmdline, def->cmdline);
	ck_assert_str_eq(got->notes, def->notes);
	ck_assert_str_eq(got->group, "web");
	ck_assert_int_eq(got->graphics, VM_GRAPHICS_VNC);
	ck_assert_uint_eq(got->n_disks, 2);
	ck_assert_str_eq(got->disks[0].path, "/var/lib/x.qcow2");
	ck_assert_int_eq(got->disks[0].format, VM_DISK_FORMAT_QCOW2);
	ck_assert_uint_eq(got->disks[0].size_bytes, 10ull << 30);
	ck_assert(got->disks[0].created);
	ck_assert_str_eq(got->disks[0].pool, "default");
	ck_assert_int_eq(got->disks[1].device, VM_DISK_DEVICE_CDROM);
	ck_assert(got->disks[1].readonly);
	ck_assert_uint_eq(got->n_nics, 1);
	ck_assert_str_eq(got->nics[0].mac, def->nics[0].mac);
	ck_assert_int_gt(got->created, 0);
	vm_def_free(got);
	ck_assert_int_eq(store_vm_get(st, "qemu:///session", "web1", &got, &err), -ENOENT);
	vm_def_free(def);
	store_close(st);
}
END_TEST

START_TEST(test_update_and_list)
{
	struct store *st = open_mem();
	struct vm_def *a = make_def("a", "test:///default");
	struct vm_def *b = make_def("b", "test:///default");
	struct vm_def *c = make_def("a", "kvm:///");
	struct vm_def **defs, *got;
	struct vmt_error err;
	size_t n;

	ck_assert_int_eq(store_vm_save(st, b, &err), 0);
	ck_assert_int_eq(store_vm_save(st, a, &err), 0);
	ck_assert_int_eq(store_vm_save(st, c, &err), 0);
	vm_def_remove_disk(a, 0);
	vm_def_remove_nic(a, 0);
	a->vcpus = 3;
	ck_assert_int_eq(store_vm_save(st, a, &err), 0);
	ck_assert_int_eq(store_vm_list(st, "test:///default", &defs, &n, &err), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(defs[0]->name, "a");
	ck_assert_uint_eq(defs[0]->vcpus, 3);
	ck_assert_uint_eq(defs[0]->n_disks, 1);
	ck_assert_uint_eq(defs[0]->n_nics, 0);
	ck_assert_uint_eq(defs[1]->n_disks, 2);
	store_vm_list_free(defs, n);
	ck_assert_int_eq(store_vm_list(st, NULL, &defs, &n, &err), 0);
	ck_assert_uint_eq(n, 3);
	store_vm_list_free(defs, n);
	/* The brief list: the same VMs in the same order, with what a list shows and no devices. */
	ck_assert_int_eq(store_vm_list_brief(st, "test:///default", &defs, &n, &err), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(defs[0]->name, "a");
	ck_assert_str_eq(defs[0]->uuid, a->uuid);
	ck_assert_str_eq(defs[0]->host, "test:///default");
	ck_assert_uint_eq(defs[0]->vcpus, 3);
	ck_assert_uint_eq(defs[0]->memory_mib, 1024);
	ck_assert_str_eq(defs[0]->group, "web");
	ck_assert_uint_eq(defs[0]->n_disks, 0);
	ck_assert_ptr_null(defs[0]->notes);
	ck_assert_str_eq(defs[1]->name, "b");
	store_vm_list_free(defs, n);
	ck_assert_int_eq(store_vm_list_brief(st, NULL, &defs, &n, &err), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(defs[0]->host, "kvm:///");
	ck_assert_str_eq(defs[1]->host, "test:///default");
	ck_assert_str_eq(defs[2]->name, "b");
	store_vm_list_free(defs, n);
	/* Some of them by UUID, whole: another host's and a malformed UUID are not among them. */
	{
		char bad[] = "not-a-uuid\"]";
		char *some[] = { b->uuid, c->uuid, bad, a->uuid };

		ck_assert_int_eq(store_vm_list_uuids(st, "test:///default", some, 4, &defs, &n, &err), 0);
		ck_assert_uint_eq(n, 2);
		ck_assert_str_eq(defs[0]->uuid, a->uuid);
		ck_assert_uint_eq(defs[0]->vcpus, 3);
		ck_assert_str_eq(defs[1]->uuid, b->uuid);
		ck_assert_uint_eq(defs[1]->n_disks, 2);
		store_vm_list_free(defs, n);
		ck_assert_int_eq(store_vm_list_uuids(st, "test:///default", some, 0, &defs, &n, &err), 0);
		ck_assert_uint_eq(n, 0);
		store_vm_list_free(defs, n);
	}
	ck_assert_int_eq(store_vm_get_uuid(st, "kvm:///", c->uuid, &got, &err), 0);
	ck_assert_str_eq(got->uri, "kvm:///");
	vm_def_free(got);
	ck_assert_int_eq(store_vm_get_uuid(st, "test:///default", c->uuid, &got, &err), -ENOENT);
	ck_assert_int_eq(store_vm_delete(st, "kvm:///", b->uuid, &err), -ENOENT);
	ck_assert_int_eq(store_vm_delete(st, "test:///default", b->uuid, &err), 0);
	ck_assert_int_eq(store_vm_delete(st, "test:///default", b->uuid, &err), -ENOENT);
	ck_assert_int_eq(store_vm_list(st, "test:///default", &defs, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	store_vm_list_free(defs, n);
	vm_def_free(a);
	vm_def_free(b);
	vm_def_free(c);
	store_close(st);
}
END_TEST

START_TEST(test_unique_name)
{
	struct store *st = open_mem();
	struct vm_def *a = make_def("dup", "test:///default");
	struct vm_def *b = make_def("dup", "test:///default");
	struct vmt_error err;

	ck_assert_int_eq(store_vm_save(st, a, &err), 0);
	ck_assert_int_eq(store_vm_save(st, b, &err), -EEXIST);
	check_msg_has(&err, "name:", "already exists");
	vm_def_free(a);
	vm_def_free(b);
	store_close(st);
}
END_TEST

START_TEST(test_transactions)
{
	struct store *st = open_mem();
	struct vm_def *a = make_def("a", "kvm:///"), *b = make_def("b", "kvm:///"), *got;
	struct vmt_error err;

	ck_assert_int_eq(store_begin(st, &err), 0);
	ck_assert_int_eq(store_vm_save(st, a, &err), 0);
	store_rollback(st);
	ck_assert_int_eq(store_vm_get(st, "kvm:///", "a", &got, &err), -ENOENT);
	ck_assert_int_eq(store_begin(st, &err), 0);
	ck_assert_int_eq(store_vm_save(st, a, &err), 0);
	ck_assert_int_eq(store_begin(st, &err), 0);
	ck_assert_int_eq(store_vm_save(st, b, &err), 0);
	store_rollback(st);
	ck_assert_int_eq(store_commit(st, &err), 0);
	ck_assert_int_eq(store_vm_get(st, "kvm:///", "a", &got, &err), 0);
	vm_def_free(got);
	ck_assert_int_eq(store_vm_get(st, "kvm:///", "b", &got, &err), -ENOENT);
	vm_def_free(a);
	vm_def_free(b);
	store_close(st);
}
END_TEST

START_TEST(test_events)
{
	struct store *st = open_mem();
	struct store_event ev = { .vm_uuid = "u1", .vm_name = "a", .uri = "kvm:///", .ok = 1 };
	struct store_event *evs;
	struct vmt_error err;
	size_t n;

	for (int i = 0; i < 5; i++) {
		ev.time = 1000 + i;
		ev.action = i % 2 ? "start" : "stop";
		ev.ok = i != 4;
		ev.detail = i == 4 ? "it failed" : NULL;
		ck_assert_int_eq(store_event_add(st, &ev, &err), 0);
	}
	ck_assert_int_eq(store_event_list(st, "u1", 3, &evs, &n, &err), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(evs[0].time, 1004);
	ck_assert(!evs[0].ok);
	ck_assert_str_eq(evs[0].detail, "it failed");
	ck_assert_str_eq(evs[1].action, "start");
	store_event_list_free(evs, n);
	store_close(st);
}
END_TEST

/* Run sql on a plain SQLite connection to the file at path. */
static void raw_sql(const char *path, const char *sql)
{
	sqlite3 *db;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static char *file_bytes(const char *path, size_t *len)
{
	char *buf;

	ck_assert_int_eq(file_read_all(path, 1 << 24, &buf, len, NULL), 0);
	return buf;
}

START_TEST(test_file_db)
{
	char *path = xasprintf("%s/sub/dir/vmtui.db", check_tmpdir);
	char *dir = xasprintf("%s/sub/dir", check_tmpdir);
	struct store *st;
	struct vmt_error err;
	struct stat sb;
	sqlite3 *db;
	sqlite3_stmt *q;

	ck_assert_int_eq(store_open(path, &st, &err), 0);
	store_close(st);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	ck_assert_int_eq(stat(dir, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0700);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(q), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(q, 0), "wal");
	sqlite3_finalize(q);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(q), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(q, 0), STORE_SCHEMA_VERSION);
	sqlite3_finalize(q);
	sqlite3_close(db);
	/* Opening again changes nothing. */
	ck_assert_int_eq(store_open(path, &st, &err), 0);
	store_close(st);
	free(path);
	free(dir);
}
END_TEST

START_TEST(test_corrupt_db)
{
	static const char junk[] = "this is not an SQLite database at all, just text\n";
	char *path = check_tmpfile("junk.db", junk, sizeof(junk) - 1), *after;
	struct store *st;
	struct vmt_error err;
	size_t len;

	ck_assert_int_lt(store_open(path, &st, &err), 0);
	check_msg_has(&err, path, "corrupt or not a database");
	after = file_bytes(path, &len);
	ck_assert_uint_eq(len, sizeof(junk) - 1);
	ck_assert(memcmp(after, junk, len) == 0);
	free(after);
	free(path);
}
END_TEST

START_TEST(test_newer_and_foreign_db)
{
	char *newer = xasprintf("%s/newer.db", check_tmpdir);
	char *foreign = xasprintf("%s/foreign.db", check_tmpdir);
	struct store *st;
	struct vmt_error err;
	size_t len1, len2;
	char *before, *after;

	raw_sql(newer, "CREATE TABLE future (x); PRAGMA user_version = 99;");
	before = file_bytes(newer, &len1);
	ck_assert_int_eq(store_open(newer, &st, &err), -EPROTO);
	check_msg_has(&err, "schema version 99", "newer");
	after = file_bytes(newer, &len2);
	ck_assert(len1 == len2 && memcmp(before, after, len1) == 0);
	free(before);
	free(after);
	raw_sql(foreign, "CREATE TABLE someone_elses (x);");
	ck_assert_int_eq(store_open(foreign, &st, &err), -EPROTO);
	check_msg_has(&err, "not a vmtui database", NULL);
	free(newer);
	free(foreign);
}
END_TEST

/* The tables of schema 2, as vmtui wrote them before VMs were keyed by host. */
static const char schema2_sql[] =
	"CREATE TABLE vms (uuid TEXT PRIMARY KEY NOT NULL CHECK (length(uuid) = 36),"
	" name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64), uri TEXT NOT NULL,"
	" backend TEXT NOT NULL CHECK (backend IN ('kvm', 'libvirt')),"
	" vcpus INTEGER NOT NULL CHECK (vcpus >= 1),"
	" memory_mib INTEGER NOT NULL CHECK (memory_mib >= 16),"
	" kernel TEXT, initrd TEXT, cmdline TEXT,"
	" firmware TEXT NOT NULL DEFAULT 'bios' CHECK (firmware IN ('bios', 'uefi')),"
	" boot_order TEXT,"
	" graphics TEXT NOT NULL DEFAULT 'none' CHECK (graphics IN ('none', 'vnc', 'spice')),"
	" notes TEXT NOT NULL DEFAULT '', vm_group TEXT NOT NULL DEFAULT '',"
	" created INTEGER NOT NULL, updated INTEGER NOT NULL, UNIQUE (uri, name));"
	"CREATE TABLE disks (vm_uuid TEXT NOT NULL REFERENCES vms (uuid) ON DELETE CASCADE,"
	" idx INTEGER NOT NULL CHECK (idx >= 0), path TEXT,"
	" size_bytes INTEGER NOT NULL DEFAULT 0 CHECK (size_bytes >= 0),"
	" format TEXT NOT NULL CHECK (format IN ('raw', 'qcow2')),"
	" device TEXT NOT NULL DEFAULT 'disk' CHECK (device IN ('disk', 'cdrom')),"
	" readonly INTEGER NOT NULL DEFAULT 0 CHECK (readonly IN (0, 1)),"
	" created INTEGER NOT NULL DEFAULT 0 CHECK (created IN (0, 1)),"
	" pool TEXT, PRIMARY KEY (vm_uuid, idx));"
	"CREATE TABLE nics (vm_uuid TEXT NOT NULL REFERENCES vms (uuid) ON DELETE CASCADE,"
	" idx INTEGER NOT NULL CHECK (idx >= 0),"
	" kind TEXT NOT NULL CHECK (kind IN ('user', 'tap', 'network', 'bridge')),"
	" source TEXT, mac TEXT NOT NULL CHECK (length(mac) = 17),"
	" forwards TEXT NOT NULL DEFAULT '', PRIMARY KEY (vm_uuid, idx));"
	"CREATE TABLE events (id INTEGER PRIMARY KEY, time INTEGER NOT NULL, vm_uuid TEXT,"
	" vm_name TEXT NOT NULL, uri TEXT NOT NULL, action TEXT NOT NULL,"
	" result TEXT NOT NULL CHECK (result IN ('ok', 'error')), detail TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX events_by_vm ON events (vm_uuid, time);";

/* Rows of an old database: a kvm:/// VM and two libvirt ones reached by two URIs of one host. */
static const char schema2_rows[] =
	"INSERT INTO vms (uuid, name, uri, backend, vcpus, memory_mib, kernel, created, updated)"
	" VALUES ('11111111-1111-4111-8111-111111111111', 'k1', 'kvm:///', 'kvm', 1, 64,"
	" '/k', 1, 2),"
	" ('22222222-2222-4222-8222-222222222222', 'l1', 'qemu:///system?socket=/s', 'libvirt',"
	" 2, 1024, NULL, 1, 2),"
	" ('33333333-3333-4333-8333-333333333333', 'l2', 'qemu+ssh://root@me/system', 'libvirt',"
	" 1, 512, NULL, 1, 2);"
	"INSERT INTO disks (vm_uuid, idx, path, size_bytes, format, created) VALUES"
	" ('11111111-1111-4111-8111-111111111111', 0, '/img/k1.qcow2', 1073741824, 'qcow2', 1),"
	" ('22222222-2222-4222-8222-222222222222', 0, '/pool/l1.qcow2', 0, 'qcow2', 0);"
	"INSERT INTO nics (vm_uuid, idx, kind, source, mac, forwards) VALUES"
	" ('11111111-1111-4111-8111-111111111111', 0, 'user', NULL, '52:54:00:00:00:01',"
	" 'tcp:127.0.0.1:2222:22'),"
	" ('22222222-2222-4222-8222-222222222222', 0, 'network', 'default', '52:54:00:00:00:02', '');"
	"INSERT INTO events (time, vm_uuid, vm_name, uri, action, result)"
	" VALUES (5, '22222222-2222-4222-8222-222222222222', 'l1', 'qemu:///system', 'create', 'ok');"
	"PRAGMA user_version = 2;";

/* A file holding a schema-2 database with schema2_rows (schema 1 without forwards). */
static char *old_db(const char *name, int version)
{
	char *path = xasprintf("%s/%s", check_tmpdir, name);

	raw_sql(path, schema2_sql);
	raw_sql(path, schema2_rows);
	if (version == 1)
		raw_sql(path, "ALTER TABLE nics DROP COLUMN forwards; PRAGMA user_version = 1;");
	return path;
}

/* The old database's rows, checked through the store after the upgrade. */
static void check_old_rows(struct store *st)
{
	struct vm_def *got, **defs;
	struct store_event *evs;
	struct vmt_error err;
	size_t n;

	ck_assert_int_eq(store_vm_get(st, STORE_HOST_KVM, "k1", &got, &err), 0);
	ck_assert_str_eq(got->host, "kvm:///");
	ck_assert_uint_eq(got->n_disks, 1);
	ck_assert(got->disks[0].created);
	ck_assert_uint_eq(got->n_nics, 1);
	vm_def_free(got);
	/* A libvirt VM waits under its URI until a connection through it claims it. */
	ck_assert_int_eq(store_vm_list(st, "uri:qemu:///system?socket=/s", &defs, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(defs[0]->name, "l1");
	ck_assert_uint_eq(defs[0]->n_disks, 1);
	ck_assert_str_eq(defs[0]->nics[0].source, "default");
	store_vm_list_free(defs, n);
	ck_assert_int_eq(store_event_list(st, "22222222-2222-4222-8222-222222222222", 5, &evs, &n,
					  &err), 0);
	ck_assert_uint_eq(n, 1);
	store_event_list_free(evs, n);
}

/* The store of a base and its clone: clone's disk 0 reads through base's, or is it (shared). */
static void add_link_as(struct store *st, const struct vm_def *clone, const struct vm_def *base,
			bool shared)
{
	struct store_link l = { .idx = 0, .base_path = base->disks[0].path, .shared = shared };
	struct vmt_error err;

	memcpy(l.clone_uuid, clone->uuid, sizeof(l.clone_uuid));
	memcpy(l.base_uuid, base->uuid, sizeof(l.base_uuid));
	ck_assert_int_eq(store_link_add(st, &l, &err), 0);
}

static void add_link(struct store *st, const struct vm_def *clone, const struct vm_def *base)
{
	add_link_as(st, clone, base, false);
}

/*
 * Links name a clone's disks and the base they read through; they survive
 * the clone's (or the base's) save, and go with the clone's delete.
 */
START_TEST(test_links)
{
	struct store *st = open_mem();
	struct vm_def *a = make_def("a", "kvm:///"), *b = make_def("b", "kvm:///");
	struct vm_def *c = make_def("c", "kvm:///"), *d = make_def("d", "kvm:///");
	struct store_link *links, bad = { .base_path = (char *)"/x" };
	struct vmt_error err;
	char **names;
	size_t n;

	ck_assert_int_eq(store_vm_save(st, a, &err), 0);
	ck_assert_int_eq(store_vm_save(st, b, &err), 0);
	ck_assert_int_eq(store_vm_save(st, c, &err), 0);
	ck_assert_int_eq(store_vm_save(st, d, &err), 0);
	/* A clone that only shares a read-only disk does not hold its original. */
	add_link_as(st, d, a, true);
	ck_assert_int_eq(store_link_check_base(st, a->uuid, "a", "start", &err), 0);
	ck_assert_int_eq(store_link_list(st, d->uuid, &links, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert(links[0].shared);
	store_link_list_free(links, n);
	add_link(st, c, a);
	add_link(st, b, a);
	ck_assert_int_eq(store_link_add(st, &bad, &err), -EINVAL);
	ck_assert_int_eq(store_vm_save(st, b, &err), 0);
	ck_assert_int_eq(store_vm_save(st, a, &err), 0);
	ck_assert_int_eq(store_link_clones(st, a->uuid, &names, &n, &err), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(names[0], "b");
	ck_assert_str_eq(names[1], "c");
	store_names_free(names, n);
	ck_assert_int_eq(store_link_check_base(st, a->uuid, "a", "delete", &err), -EBUSY);
	check_msg_has(&err, "linked clones b, c, which read through its disks", "not delete it");
	ck_assert_int_eq(store_link_list(st, b->uuid, &links, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(links[0].idx, 0);
	ck_assert(!links[0].shared);
	ck_assert_str_eq(links[0].base_uuid, a->uuid);
	ck_assert_str_eq(links[0].base_path, "/var/lib/x.qcow2");
	store_link_list_free(links, n);
	ck_assert_int_eq(store_vm_delete(st, "kvm:///", b->uuid, &err), 0);
	ck_assert_int_eq(store_link_list(st, b->uuid, &links, &n, &err), 0);
	ck_assert_uint_eq(n, 0);
	store_link_list_free(links, n);
	ck_assert_int_eq(store_link_check_base(st, a->uuid, "a", "start", &err), -EBUSY);
	check_msg_has(&err, "linked clone c, which reads through its disks", "not start it until that is");
	ck_assert_int_eq(store_vm_delete(st, "kvm:///", c->uuid, &err), 0);
	ck_assert_int_eq(store_link_clones(st, a->uuid, &names, &n, &err), 0);
	ck_assert_uint_eq(n, 0);
	store_names_free(names, n);
	vm_def_free(a);
	vm_def_free(b);
	vm_def_free(c);
	vm_def_free(d);
	store_close(st);
}
END_TEST

/* What schemas 6 (image records, virt_type) and 7 (clones from snapshots) added, undone. */
#define UNDO_TO_5 \
	"DROP TABLE snapshot_clones; DROP TABLE images; ALTER TABLE vms DROP COLUMN virt_type; "

/* Schema 4 had no links: its VMs stay as they were, and links can be kept from then on. */
START_TEST(test_migrate_from_4)
{
	char *path = xasprintf("%s/old4.db", check_tmpdir);
	struct vm_def *a = make_def("a", "kvm:///"), *b = make_def("b", "kvm:///");
	struct store_link *links;
	struct store *st;
	struct vmt_error err;
	size_t n;

	ck_assert_int_eq(store_open(path, &st, &err), 0);
	ck_assert_int_eq(store_vm_save(st, a, &err), 0);
	ck_assert_int_eq(store_vm_save(st, b, &err), 0);
	store_close(st);
	raw_sql(path, UNDO_TO_5 "DROP INDEX links_by_base; DROP TABLE links;"
		" PRAGMA user_version = 4;");
	ck_assert_int_eq(store_open(path, &st, &err), 0);
	add_link(st, b, a);
	ck_assert_int_eq(store_link_list(st, b->uuid, &links, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	store_link_list_free(links, n);
	store_close(st);
	vm_def_free(a);
	vm_def_free(b);
	free(path);
}
END_TEST

/* A cloud image's record comes back as saved, goes with an edit that drops it, and with the VM. */
START_TEST(test_image_record)
{
	struct vm_def *def = make_def("web", "kvm:///"), *got;
	struct vm_image *im = &def->image;
	struct store *st;
	struct vmt_error err;

	ck_assert_int_eq(store_open(":memory:", &st, &err), 0);
	vm_def_set_str(&im->source, "debian-12");
	vm_def_set_str(&im->base, "/c/debian-12.raw");
	vm_def_set_str(&im->login, "debian");
	vm_def_set_str(&im->kernel_from, "1:/boot/vmlinuz-6.1.0-28-cloud-amd64");
	vm_def_set_str(&im->seed, "/i/web-seed.iso");
	ck_assert_int_eq(store_vm_save(st, def, &err), 0);
	ck_assert_int_eq(store_vm_get(st, "kvm:///", "web", &got, &err), 0);
	ck_assert_str_eq(got->image.source, "debian-12");
	ck_assert_str_eq(got->image.base, "/c/debian-12.raw");
	ck_assert_str_eq(got->image.login, "debian");
	ck_assert_str_eq(got->image.kernel_from, "1:/boot/vmlinuz-6.1.0-28-cloud-amd64");
	ck_assert_ptr_null(got->image.ssh_key);
	ck_assert_str_eq(got->image.seed, "/i/web-seed.iso");
	ck_assert(!got->image.booted);
	free(got->image.seed);
	got->image.seed = NULL;
	got->image.booted = true;
	ck_assert_int_eq(store_vm_save(st, got, &err), 0);
	vm_def_free(got);
	ck_assert_int_eq(store_vm_get(st, "kvm:///", "web", &got, &err), 0);
	ck_assert_ptr_null(got->image.seed);
	ck_assert(got->image.booted);
	ck_assert_int_eq(store_vm_delete(st, "kvm:///", got->uuid, &err), 0);
	vm_def_free(got);
	vm_def_free(def);
	store_close(st);
}
END_TEST

/* Schema 5 had no image records: its VMs stay as they were, and records can be kept from then on. */
START_TEST(test_migrate_from_5)
{
	char *path = xasprintf("%s/old5.db", check_tmpdir);
	struct vm_def *a = make_def("a", "kvm:///"), *got;
	struct store *st;
	struct vmt_error err;

	ck_assert_int_eq(store_open(path, &st, &err), 0);
	ck_assert_int_eq(store_vm_save(st, a, &err), 0);
	store_close(st);
	raw_sql(path, UNDO_TO_5 "PRAGMA user_version = 5;");
	ck_assert_int_eq(store_open(path, &st, &err), 0);
	ck_assert_int_eq(store_vm_get(st, "kvm:///", "a", &got, &err), 0);
	ck_assert_ptr_null(got->image.source);
	vm_def_set_str(&got->image.source, "/tmp/x.qcow2");
	ck_assert_int_eq(store_vm_save(st, got, &err), 0);
	vm_def_free(got);
	ck_assert_int_eq(store_vm_get(st, "kvm:///", "a", &got, &err), 0);
	ck_assert_str_eq(got->image.source, "/tmp/x.qcow2");
	vm_def_free(got);
	store_close(st);
	vm_def_free(a);
	free(path);
}
END_TEST

/* Schema 6 had no clones from snapshots: its VMs and links stay, and such clones can be kept from then on. */
START_TEST(test_migrate_from_6)
{
	char *path = xasprintf("%s/old6.db", check_tmpdir);
	struct vm_def *a = make_def("a", "kvm:///"), *b = make_def("b", "kvm:///");
	struct store_snapclone sc = { .snapshot = (char *)"s1" }, got;
	struct store_link *links;
	struct store *st;
	struct vmt_error err;
	size_t n;

	ck_assert_int_eq(store_open(path, &st, &err), 0);
	ck_assert_int_eq(store_vm_save(st, a, &err), 0);
	ck_assert_int_eq(store_vm_save(st, b, &err), 0);
	add_link(st, b, a);
	store_close(st);
	raw_sql(path, "DROP TABLE snapshot_clones; PRAGMA user_version = 6;");
	ck_assert_int_eq(store_open(path, &st, &err), 0);
	ck_assert_int_eq(store_link_list(st, b->uuid, &links, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	store_link_list_free(links, n);
	memcpy(sc.clone_uuid, b->uuid, sizeof(sc.clone_uuid));
	memcpy(sc.base_uuid, a->uuid, sizeof(sc.base_uuid));
	ck_assert_int_eq(store_snapclone_add(st, &sc, &err), 0);
	ck_assert_int_eq(store_snapclone_get(st, b->uuid, &got, &err), 0);
	ck_assert_str_eq(got.snapshot, "s1");
	store_snapclone_done(&got);
	store_close(st);
	vm_def_free(a);
	vm_def_free(b);
	free(path);
}
END_TEST

/*
 * A clone made from a snapshot names it until the clone is deleted; it is
 * warm until its first start; the snapshot's VM is not linked by it.
 */
START_TEST(test_snapclones)
{
	struct store *st = open_mem();
	struct vm_def *a = make_def("a", "kvm:///"), *b = make_def("b", "kvm:///");
	struct vm_def *c = make_def("c", "kvm:///");
	struct store_snapclone sc = { .snapshot = (char *)"live", .warm = true }, got;
	struct vmt_error err;
	char **names;
	size_t n;

	ck_assert_int_eq(store_vm_save(st, a, &err), 0);
	ck_assert_int_eq(store_vm_save(st, b, &err), 0);
	ck_assert_int_eq(store_vm_save(st, c, &err), 0);
	memcpy(sc.base_uuid, a->uuid, sizeof(sc.base_uuid));
	ck_assert_int_eq(store_snapclone_add(st, &sc, &err), -EINVAL);
	memcpy(sc.clone_uuid, c->uuid, sizeof(sc.clone_uuid));
	ck_assert_int_eq(store_snapclone_add(st, &sc, &err), 0);
	memcpy(sc.clone_uuid, b->uuid, sizeof(sc.clone_uuid));
	sc.snapshot = (char *)"off";
	sc.warm = false;
	ck_assert_int_eq(store_snapclone_add(st, &sc, &err), 0);
	ck_assert_int_eq(store_snapclone_get(st, a->uuid, &got, &err), -ENOENT);
	ck_assert_int_eq(store_snapclone_get(st, c->uuid, &got, &err), 0);
	ck_assert_str_eq(got.base_uuid, a->uuid);
	ck_assert_str_eq(got.snapshot, "live");
	ck_assert(got.warm);
	store_snapclone_done(&got);
	/* A save of the clone keeps it; the first start cools it. */
	ck_assert_int_eq(store_vm_save(st, c, &err), 0);
	ck_assert_int_eq(store_snapclone_cool(st, c->uuid, &err), 0);
	ck_assert_int_eq(store_snapclone_get(st, c->uuid, &got, &err), 0);
	ck_assert(!got.warm);
	store_snapclone_done(&got);
	ck_assert_int_eq(store_snapclone_clones(st, a->uuid, NULL, &names, &n, &err), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(names[0], "b");
	ck_assert_str_eq(names[1], "c");
	store_names_free(names, n);
	ck_assert_int_eq(store_snapclone_clones(st, a->uuid, "live", &names, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(names[0], "c");
	store_names_free(names, n);
	ck_assert_int_eq(store_link_check_base(st, a->uuid, "a", "start", &err), 0);
	ck_assert_int_eq(store_vm_delete(st, "kvm:///", c->uuid, &err), 0);
	ck_assert_int_eq(store_snapclone_get(st, c->uuid, &got, &err), -ENOENT);
	ck_assert_int_eq(store_snapclone_clones(st, a->uuid, "live", &names, &n, &err), 0);
	ck_assert_uint_eq(n, 0);
	store_names_free(names, n);
	vm_def_free(a);
	vm_def_free(b);
	vm_def_free(c);
	store_close(st);
}
END_TEST

START_TEST(test_migrate_from_1)
{
	char *path = old_db("old1.db", 1);
	struct vm_def *got;
	struct store *st;
	struct vmt_error err;

	ck_assert_int_eq(store_open(path, &st, &err), 0);
	check_old_rows(st);
	ck_assert_int_eq(store_vm_get(st, STORE_HOST_KVM, "k1", &got, &err), 0);
	ck_assert_ptr_null(got->nics[0].forwards);
	vm_def_set_str(&got->nics[0].forwards, "tcp:127.0.0.1:2222:22 udp:0.0.0.0:5353:53");
	ck_assert_int_eq(store_vm_save(st, got, &err), 0);
	vm_def_free(got);
	ck_assert_int_eq(store_vm_get(st, STORE_HOST_KVM, "k1", &got, &err), 0);
	ck_assert_str_eq(got->nics[0].forwards, "tcp:127.0.0.1:2222:22 udp:0.0.0.0:5353:53");
	vm_def_free(got);
	store_close(st);
	free(path);
}
END_TEST

/* Schema 3 had no autostart: its VMs come through as not autostarted, and can be. */
START_TEST(test_migrate_from_3)
{
	char *path = xasprintf("%s/old3.db", check_tmpdir);
	struct vm_def *def = make_def("old2", "kvm:///"), *got;
	struct store *st;
	struct vmt_error err;

	ck_assert_int_eq(store_open(path, &st, &err), 0);
	ck_assert_int_eq(store_vm_save(st, def, &err), 0);
	store_close(st);
	raw_sql(path, UNDO_TO_5 "DROP INDEX links_by_base; DROP TABLE links;"
		" ALTER TABLE vms DROP COLUMN autostart;"
		" PRAGMA user_version = 3;");
	ck_assert_int_eq(store_open(path, &st, &err), 0);
	ck_assert_int_eq(store_vm_get(st, "kvm:///", "old2", &got, &err), 0);
	ck_assert(!got->autostart);
	got->autostart = true;
	ck_assert_int_eq(store_vm_save(st, got, &err), 0);
	vm_def_free(got);
	ck_assert_int_eq(store_vm_get(st, "kvm:///", "old2", &got, &err), 0);
	ck_assert(got->autostart);
	vm_def_free(got);
	store_close(st);
	vm_def_free(def);
	free(path);
}
END_TEST

/*
 * Schema 2 kept VMs by URI: after the upgrade, a VM adopted through one
 * URI of a host is the same VM through another, and deleting it through
 * either forgets it for both.
 */
START_TEST(test_migrate_from_2)
{
	static const char host[] = "qemu://72b25336-d550-4a1f-9ac4-e72b97e9a8c0/system";
	char *path = old_db("old2.db", 2);
	struct vm_def **defs, *got;
	struct store *st;
	struct vmt_error err;
	sqlite3 *db;
	sqlite3_stmt *q;
	size_t n;

	ck_assert_int_eq(store_open(path, &st, &err), 0);
	check_old_rows(st);
	ck_assert_int_eq(store_host_claim(st, "uri:qemu:///system?socket=/s", host, &err), 0);
	ck_assert_int_eq(store_host_claim(st, "uri:qemu+ssh://root@me/system", host, &err), 0);
	/* Nothing left to claim: no write at all. */
	ck_assert_int_eq(store_host_claim(st, "uri:qemu:///system?socket=/s", host, &err), 0);
	ck_assert_int_eq(store_vm_list(st, host, &defs, &n, &err), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(defs[0]->name, "l1");
	ck_assert_uint_eq(defs[0]->n_disks, 1);
	ck_assert_uint_eq(defs[0]->n_nics, 1);
	ck_assert_str_eq(defs[1]->name, "l2");
	store_vm_list_free(defs, n);
	ck_assert_int_eq(store_vm_delete(st, host, "22222222-2222-4222-8222-222222222222", &err), 0);
	ck_assert_int_eq(store_vm_get(st, host, "l1", &got, &err), -ENOENT);
	store_close(st);
	/* The upgraded file is what a new one is: the newest version, keys and foreign keys sound. */
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(q), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(q, 0), STORE_SCHEMA_VERSION);
	sqlite3_finalize(q);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &q, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(q), SQLITE_DONE);
	sqlite3_finalize(q);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT count(*) FROM disks", -1, &q, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(q), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(q, 0), 1);
	sqlite3_finalize(q);
	sqlite3_close(db);
	free(path);
}
END_TEST

static void add_event(struct store *st, int64_t t, const char *uuid, const char *name,
		      const char *uri, const char *action, bool ok)
{
	struct store_event ev = {
		.time = t, .vm_uuid = (char *)uuid, .vm_name = (char *)name,
		.uri = (char *)uri, .action = (char *)action, .ok = ok,
		.detail = ok ? NULL : "it went wrong",
	};
	struct vmt_error err;

	ck_assert_int_eq(store_event_add(st, &ev, &err), 0);
}

/*
 * The history: newest first, by connection, by name (the name then, or
 * the UUID of the VM of that name now), deleted VMs marked from their
 * deletion back, and a VM defined again with its UUID not marked.
 */
START_TEST(test_event_query)
{
	struct store *st = open_mem();
	struct vm_def *b = make_def("b-new", "kvm:///");
	const char *kvm[] = { "kvm:///" }, *both[] = { "kvm:///", "test:///default" };
	struct store_event_filter f = { .uris = kvm, .n_uris = 1, .limit = 100 };
	struct store_event *evs;
	struct vmt_error err;
	size_t n;

	add_event(st, 100, "u-a", "a", "kvm:///", "create", true);
	add_event(st, 101, "u-a", "a", "kvm:///", "edit", false);
	add_event(st, 102, "u-a", "a", "kvm:///", "delete --remove-disks", true);
	add_event(st, 103, "u-a", "a", "kvm:///", "create", true);
	add_event(st, 104, NULL, "t", "test:///default", "start", true);
	add_event(st, 105, b->uuid, "b", "kvm:///", "create", true);
	add_event(st, 106, "u-c", "c", "kvm:///", "delete", false);
	ck_assert_int_eq(store_vm_save(st, b, &err), 0);

	ck_assert_int_eq(store_event_query(st, &f, &evs, &n, &err), 0);
	ck_assert_uint_eq(n, 6);
	ck_assert_str_eq(evs[0].vm_name, "c");
	ck_assert(!evs[0].deleted);	/* a delete that failed deletes nothing */
	ck_assert_str_eq(evs[1].vm_name, "b");
	ck_assert(!evs[2].deleted);	/* a, defined again */
	ck_assert(evs[3].deleted && evs[4].deleted && evs[5].deleted);
	ck_assert(!evs[4].ok);
	ck_assert_str_eq(evs[4].detail, "it went wrong");
	ck_assert_int_gt(evs[3].id, evs[4].id);
	store_event_list_free(evs, n);

	f.uris = both;
	f.n_uris = 2;
	f.limit = 2;
	ck_assert_int_eq(store_event_query(st, &f, &evs, &n, &err), 0);
	ck_assert_uint_eq(n, 2);
	store_event_list_free(evs, n);
	f.limit = 100;
	f.vm_name = "t";
	ck_assert_int_eq(store_event_query(st, &f, &evs, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(evs[0].uri, "test:///default");
	store_event_list_free(evs, n);
	/* By the UUID of the VM now called b-new, though it was b then. */
	f.vm_name = "b-new";
	ck_assert_int_eq(store_event_query(st, &f, &evs, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(evs[0].vm_name, "b");
	store_event_list_free(evs, n);
	f.vm_name = "nobody";
	f.uris = NULL;
	ck_assert_int_eq(store_event_query(st, &f, &evs, &n, &err), 0);
	ck_assert_uint_eq(n, 0);
	store_event_list_free(evs, n);
	vm_def_free(b);
	store_close(st);
}
END_TEST

/* Two hosts may hold one UUID (a VM migrated, or cloned with its XML): two VMs here. */
START_TEST(test_same_uuid_two_hosts)
{
	struct store *st = open_mem();
	struct vm_def *a = make_def("web", "qemu://A/system"), *b, *got;
	struct vmt_error err;

	b = vm_def_copy(a);
	vm_def_set_str(&b->host, "qemu://B/system");
	vm_def_set_str(&b->notes, "on B");
	ck_assert_int_eq(store_vm_save(st, a, &err), 0);
	ck_assert_int_eq(store_vm_save(st, b, &err), 0);
	ck_assert_int_eq(store_vm_get(st, "qemu://A/system", "web", &got, &err), 0);
	ck_assert_str_ne(got->notes, "on B");
	ck_assert_uint_eq(got->n_disks, 2);
	vm_def_free(got);
	ck_assert_int_eq(store_vm_delete(st, "qemu://B/system", b->uuid, &err), 0);
	ck_assert_int_eq(store_vm_get(st, "qemu://A/system", "web", &got, &err), 0);
	ck_assert_uint_eq(got->n_disks, 2);
	vm_def_free(got);
	vm_def_free(a);
	vm_def_free(b);
	store_close(st);
}
END_TEST

START_TEST(test_locked_db)
{
	char *path = xasprintf("%s/locked.db", check_tmpdir);
	struct vm_def *a = make_def("a", "kvm:///");
	struct store *st;
	struct vmt_error err;
	sqlite3 *holder;

	ck_assert_int_eq(store_open(path, &st, &err), 0);
	ck_assert_int_eq(sqlite3_open(path, &holder), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(holder, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(store_vm_save(st, a, &err), -EBUSY);
	check_msg_has(&err, "locked by another process", NULL);
	sqlite3_exec(holder, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(holder);
	ck_assert_int_eq(store_vm_save(st, a, &err), 0);
	store_close(st);
	vm_def_free(a);
	free(path);
}
END_TEST

START_TEST(test_refuses_incomplete)
{
	struct store *st = open_mem();
	struct vm_def *def = vm_def_new();
	struct vmt_error err;

	def->name = xstrdup("x");
	ck_assert_int_eq(store_vm_save(st, def, &err), -EINVAL);
	vm_def_free(def);
	store_close(st);
}
END_TEST

static Suite *store_suite(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("store");

	tcase_add_checked_fixture(tc, check_tmpdir_setup, check_tmpdir_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_update_and_list);
	tcase_add_test(tc, test_unique_name);
	tcase_add_test(tc, test_transactions);
	tcase_add_test(tc, test_events);
	tcase_add_test(tc, test_file_db);
	tcase_add_test(tc, test_corrupt_db);
	tcase_add_test(tc, test_newer_and_foreign_db);
	tcase_add_test(tc, test_migrate_from_1);
	tcase_add_test(tc, test_migrate_from_2);
	tcase_add_test(tc, test_migrate_from_3);
	tcase_add_test(tc, test_migrate_from_4);
	tcase_add_test(tc, test_migrate_from_5);
	tcase_add_test(tc, test_migrate_from_6);
	tcase_add_test(tc, test_snapclones);
	tcase_add_test(tc, test_image_record);
	tcase_add_test(tc, test_links);
	tcase_add_test(tc, test_event_query);
	tcase_add_test(tc, test_same_uuid_two_hosts);
	tcase_add_test(tc, test_locked_db);
	tcase_add_test(tc, test_refuses_incomplete);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(store_suite());
}
