/* SPDX-License-Identifier: GPL-2.0-or-later */
/* store.h: VM definitions, metadata and the event history in SQLite. */
#ifndef VMTUI_STORE_H
#define VMTUI_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/lib/error.h"
#include "src/model/vmdef.h"

/* The schema version this vmtui writes (PRAGMA user_version). */
#define STORE_SCHEMA_VERSION 7

/*
 * VMs are keyed by their host's identity (struct backend's host) and UUID.
 * kvm:/// has a fixed identity; a libvirt VM that an older database kept
 * by URI waits under STORE_HOST_URI + URI until a connection through that
 * URI claims it.
 */
#define STORE_HOST_KVM "kvm:///"
#define STORE_HOST_URI "uri:"

/* A store is used by one thread at a time (it may be handed to another). */
struct store;

/*
 * Open (creating if needed: directory 0700, file 0600) the database at
 * path, or ":memory:". Applies the schema to a new database and migrates
 * an older one; refuses, with one clear sentence and without touching it,
 * a file that is not a vmtui database, is corrupt, is from a newer
 * vmtui, is locked past the busy timeout, or cannot be written.
 */
int store_open(const char *path, struct store **out, struct vmt_error *err);
void store_close(struct store *st);
const char *store_path(const struct store *st);
/*
 * Give back the pages SQLite keeps of the database between queries: for a
 * connection that waits long between them (the UI's), the system's page
 * cache serves the next one as well.
 */
void store_release_memory(struct store *st);

/*
 * Transactions nest: the outermost is BEGIN IMMEDIATE ... COMMIT, inner
 * ones are savepoints. Every store_vm_* change runs in one of its own.
 */
int store_begin(struct store *st, struct vmt_error *err);
int store_commit(struct store *st, struct vmt_error *err);
void store_rollback(struct store *st);

/*
 * Insert def, or replace the VM of def's host with def's UUID, with its
 * disks and NICs. def->host says which host it lives on.
 */
int store_vm_save(struct store *st, struct vm_def *def, struct vmt_error *err);
/* -ENOENT when there is no such VM. *out is the caller's (vm_def_free). */
int store_vm_get(struct store *st, const char *host, const char *name,
		 struct vm_def **out, struct vmt_error *err);
int store_vm_get_uuid(struct store *st, const char *host, const char *uuid,
		      struct vm_def **out, struct vmt_error *err);
/* All VMs of host (NULL: of every host), ordered by name. The array
 * and each def are the caller's: store_vm_list_free(). */
int store_vm_list(struct store *st, const char *host, struct vm_def ***out,
		  size_t *n, struct vmt_error *err);
/*
 * The same VMs with only what a list shows of each: UUID, name, host,
 * vCPUs, memory, group and autostart (the rest unset: no disks, NICs,
 * image record, kernel or notes). One query, for a list of many VMs.
 */
int store_vm_list_brief(struct store *st, const char *host, struct vm_def ***out,
			size_t *n, struct vmt_error *err);
/* The VMs of host among the n_uuids UUIDs, whole and ordered by name, in four queries. */
int store_vm_list_uuids(struct store *st, const char *host, char *const *uuids,
			size_t n_uuids, struct vm_def ***out, size_t *n, struct vmt_error *err);
void store_vm_list_free(struct vm_def **defs, size_t n);
/* -ENOENT when there is no such VM. Its links as a clone (and to a snapshot) go with it. */
int store_vm_delete(struct store *st, const char *host, const char *uuid,
		    struct vmt_error *err);
/*
 * Move the VMs kept under the host key from to the key to, with their
 * devices: a VM to already has (the same one, kept twice) stays as to
 * has it. Does nothing, and writes nothing, when from has none.
 */
int store_host_claim(struct store *st, const char *from, const char *to,
		     struct vmt_error *err);

/*
 * Disk idx of the VM clone_uuid is a linked clone's overlay: it reads
 * through base_path, a disk of the VM base_uuid (which vmtui may not
 * store: a libvirt domain it did not create). Or, when shared, it is
 * base_path itself: a read-only disk the clone shares with base_uuid.
 */
struct store_link {
	char clone_uuid[37];
	size_t idx;
	char base_uuid[37];
	char *base_path;	/* owned */
	bool shared;
};

/* Record a link; part of the caller's transaction when it has one. */
int store_link_add(struct store *st, const struct store_link *link,
		   struct vmt_error *err);
/* The links of clone_uuid's disks, by disk; free with store_link_list_free. */
int store_link_list(struct store *st, const char *clone_uuid,
		    struct store_link **out, size_t *n, struct vmt_error *err);
void store_link_list_free(struct store_link *links, size_t n);
/*
 * The names of the stored VMs with a disk that reads through one of
 * base_uuid's (an overlay: shared disks do not count), in name order;
 * *names is the caller's (store_names_free).
 */
int store_link_clones(struct store *st, const char *base_uuid, char ***names,
		      size_t *n, struct vmt_error *err);
/*
 * -EBUSY, naming them, when linked clones read through the disks of the
 * VM base_uuid (called name): vmtui does not verb it ("start", "delete").
 */
int store_link_check_base(struct store *st, const char *base_uuid, const char *name,
			  const char *verb, struct vmt_error *err);
void store_names_free(char **names, size_t n);

/*
 * The VM clone_uuid was cloned from the snapshot named snapshot of the VM
 * base_uuid: the snapshot stays while the clone exists. warm: its first
 * start is still to come and continues the snapshot's running machine.
 */
struct store_snapclone {
	char clone_uuid[37];
	char base_uuid[37];
	char *snapshot;		/* owned */
	bool warm;
};

/* Record it; part of the caller's transaction when it has one. */
int store_snapclone_add(struct store *st, const struct store_snapclone *sc,
			struct vmt_error *err);
/* The record of clone_uuid into *out (store_snapclone_done); -ENOENT when it has none. */
int store_snapclone_get(struct store *st, const char *clone_uuid, struct store_snapclone *out,
			struct vmt_error *err);
void store_snapclone_done(struct store_snapclone *sc);
/* clone_uuid has had its first start (or may no longer have that one): it is not warm. */
int store_snapclone_cool(struct store *st, const char *clone_uuid, struct vmt_error *err);
/*
 * The names of the stored VMs cloned from the snapshot snapshot of
 * base_uuid (NULL: from any of its snapshots), in name order; *names is
 * the caller's (store_names_free).
 */
int store_snapclone_clones(struct store *st, const char *base_uuid, const char *snapshot,
			   char ***names, size_t *n, struct vmt_error *err);
/* The VMs whose first disk reads through the cloud image base (their image record's). */
int store_image_users(struct store *st, const char *base, char ***names, size_t *n,
		      struct vmt_error *err);

struct store_event {
	int64_t id;		/* the order events were recorded in (read only) */
	int64_t time;		/* unix seconds */
	char *vm_uuid;		/* may be NULL */
	char *vm_name;
	char *uri;
	char *action;
	int ok;
	char *detail;
	bool deleted;		/* read only: vmtui deleted this VM since */
};

int store_event_add(struct store *st, const struct store_event *ev,
		    struct vmt_error *err);
/* The newest events of one VM (by UUID), newest first, at most limit. */
int store_event_list(struct store *st, const char *vm_uuid, size_t limit,
		     struct store_event **out, size_t *n, struct vmt_error *err);
void store_event_list_free(struct store_event *evs, size_t n);

/* Which events store_event_query() returns. */
struct store_event_filter {
	const char *const *uris;	/* of these connections; NULL: of every one */
	size_t n_uris;
	const char *vm_name;		/* of this VM only; NULL: of every VM */
	size_t limit;			/* at most this many */
};

/*
 * The newest events that f selects, newest first. A VM is matched by the
 * name it had when the event was recorded, or by the UUID of the VM the
 * store keeps under that name now; VMs that are gone keep their events,
 * with deleted set from their deletion on back.
 */
int store_event_query(struct store *st, const struct store_event_filter *f,
		      struct store_event **out, size_t *n, struct vmt_error *err);

#endif
