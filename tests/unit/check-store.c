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
	ck_assert_int_eq(store_vm_get_uuid(st, c->uuid, &got, &err), 0);
	ck_assert_str_eq(got->uri, "kvm:///");
	vm_def_free(got);
	ck_assert_int_eq(store_vm_delete(st, b->uuid, &err), 0);
	ck_assert_int_eq(store_vm_delete(st, b->uuid, &err), -ENOENT);
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

/*
 * A database of schema 1 (before a NIC kept port forwards) is upgraded
 * in place: its VMs stay as they were, and forwards can be kept from then.
 */
START_TEST(test_migrate_from_1)
{
	char *path = xasprintf("%s/old.db", check_tmpdir);
	struct vm_def *def = make_def("old", "kvm:///"), *got;
	struct store *st;
	struct vmt_error err;
	struct vm_nic *n;

	n = vm_def_add_nic(def);
	n->kind = VM_NIC_USER;
	vm_def_resolve(def, VM_DISK_FORMAT_RAW);
	ck_assert_int_eq(store_open(path, &st, &err), 0);
	ck_assert_int_eq(store_vm_save(st, def, &err), 0);
	store_close(st);
	raw_sql(path, "DROP TABLE links; ALTER TABLE nics DROP COLUMN forwards;"
		" PRAGMA user_version = 1;");
	ck_assert_int_eq(store_open(path, &st, &err), 0);
	ck_assert_int_eq(store_vm_get(st, "kvm:///", "old", &got, &err), 0);
	ck_assert_uint_eq(got->n_nics, 2);
	ck_assert_int_eq(got->nics[1].kind, VM_NIC_USER);
	ck_assert_ptr_null(got->nics[1].forwards);
	vm_def_set_str(&got->nics[1].forwards, "tcp:127.0.0.1:2222:22 udp:0.0.0.0:5353:53");
	ck_assert_int_eq(store_vm_save(st, got, &err), 0);
	vm_def_free(got);
	ck_assert_int_eq(store_vm_get(st, "kvm:///", "old", &got, &err), 0);
	ck_assert_str_eq(got->nics[1].forwards, "tcp:127.0.0.1:2222:22 udp:0.0.0.0:5353:53");
	vm_def_free(got);
	store_close(st);
	vm_def_free(def);
	free(path);
}
END_TEST

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
	ck_assert_int_eq(store_vm_delete(st, b->uuid, &err), 0);
	ck_assert_int_eq(store_link_list(st, b->uuid, &links, &n, &err), 0);
	ck_assert_uint_eq(n, 0);
	store_link_list_free(links, n);
	ck_assert_int_eq(store_link_check_base(st, a->uuid, "a", "start", &err), -EBUSY);
	check_msg_has(&err, "linked clone c, which reads through its disks", "not start it until that is");
	ck_assert_int_eq(store_vm_delete(st, c->uuid, &err), 0);
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

/*
 * A database of schema 2 (before linked clones) is upgraded in place:
 * its VMs stay as they were, and links can be kept from then on.
 */
START_TEST(test_migrate_from_2)
{
	char *path = xasprintf("%s/v2.db", check_tmpdir);
	struct vm_def *a = make_def("a", "kvm:///"), *b = make_def("b", "kvm:///"), *got;
	struct store *st;
	struct vmt_error err;
	sqlite3 *db;
	sqlite3_stmt *q;

	ck_assert_int_eq(store_open(path, &st, &err), 0);
	ck_assert_int_eq(store_vm_save(st, a, &err), 0);
	ck_assert_int_eq(store_vm_save(st, b, &err), 0);
	store_close(st);
	raw_sql(path, "DROP INDEX links_by_base; DROP TABLE links; PRAGMA user_version = 2;");
	ck_assert_int_eq(store_open(path, &st, &err), 0);
	ck_assert_int_eq(store_vm_get(st, "kvm:///", "a", &got, &err), 0);
	ck_assert_str_eq(got->uuid, a->uuid);
	ck_assert_uint_eq(got->n_disks, 2);
	ck_assert_str_eq(got->nics[0].mac, a->nics[0].mac);
	vm_def_free(got);
	add_link(st, b, a);
	ck_assert_int_eq(store_link_check_base(st, a->uuid, "a", "start", &err), -EBUSY);
	check_msg_has(&err, "linked clone b", NULL);
	store_close(st);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(q), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(q, 0), 3);
	sqlite3_finalize(q);
	sqlite3_close(db);
	vm_def_free(a);
	vm_def_free(b);
	free(path);
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
	tcase_add_test(tc, test_links);
	tcase_add_test(tc, test_locked_db);
	tcase_add_test(tc, test_refuses_incomplete);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(store_suite());
}
