/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kvm-priv.h: what the kvm:/// client's files share: its state and the calls one job makes of another. */
#ifndef VMTUI_KVM_PRIV_H
#define VMTUI_KVM_PRIV_H

#include <pthread.h>
#include <stdbool.h>

#include "backend/backend.h"

struct kvm_be {
	char *rtdir;		/* control sockets and pid files */
	char *logdir;		/* one log per VM, <uuid>.log */
	char *imgdir;		/* images created for disks given without a path */
	char *snapdir;		/* snapshots, <uuid>/<name>/ */
	char *dbdir;		/* the database's directory, watched for changes */
	char *dbname;
	/* Events: a thread turns inotify news of both directories into events. */
	bool watching;
	int inotify;
	int stop[2];
	pthread_t watcher;
};

struct kvm_be *kvm_be(struct backend *be);
/* The stored definition of name; -ENOENT says so in err. */
int kvm_get_def(struct backend *be, const char *name, struct vm_def **out, struct vmt_error *err);
bool kvm_is_active(struct backend *be, const char *name);
char *kvm_sock_path(struct kvm_be *k, const char *uuid);
/* One request without a body to name's runner. */
int kvm_simple(struct backend *be, const char *name, const char *req, struct vmt_error *err);
/* The same, for a request whose answer may take wait_s seconds. */
int kvm_simple_wait(struct backend *be, const char *name, const char *req, unsigned wait_s,
		    struct vmt_error *err);
int kvm_destroy(struct backend *be, const char *name, struct vmt_error *err);
/* Spawn def's runner, from the snapshot file restore when not NULL, paused or not. */
int kvm_start_runner(struct backend *be, const struct vm_def *def, const char *restore,
		     bool paused, struct vmt_error *err);

/*
 * In kvm-cloud.c. A VM made from a cloud image without a kernel of its
 * own gets the image's, from its base; nothing to do for another VM.
 */
int kvm_cloud_define(struct kvm_be *k, struct vm_def *def, struct vmt_error *err);
/*
 * Before a start: when the /boot of def's first disk no longer holds
 * what def's kernel was taken from, take the new kernel and initrd, and
 * set *changed (def is then to be stored).
 */
int kvm_cloud_refresh(struct kvm_be *k, struct vm_def *def, bool *changed,
		      struct vmt_error *err);
/* Remove the kernel and initrd vmtui took from the image for def, if it did. */
void kvm_cloud_remove(struct kvm_be *k, const struct vm_def *def);

/* In kvm-snapshot.c: the snapshot verbs, and removing a VM's snapshots with it. */
int kvm_snapshot_list(struct backend *be, const char *name, struct vm_snapshot **out, size_t *n,
		      struct vmt_error *err);
int kvm_snapshot_create(struct backend *be, const char *name, const char *snap,
			const char *description, struct vmt_error *err);
int kvm_snapshot_revert(struct backend *be, const char *name, const char *snap,
			struct vmt_error *err);
int kvm_snapshot_delete(struct backend *be, const char *name, const char *snap,
			struct vmt_error *err);
int kvm_snapshots_remove(struct kvm_be *k, const char *uuid, struct vmt_error *err);

/* kvm-disk.c: the disk_resize operation. */
int kvm_disk_resize(struct backend *be, const char *name, size_t index, uint64_t bytes,
		    struct vmt_error *err);
/*
 * Snapshot snap of def as the base of a clone: *dir its folder (the
 * caller's), where kvm_snapshot_disk(*dir, i) is the copy of def's
 * writable disk i; *warm when it holds a running or paused machine
 * (kvm_snapshot_machine). err says why when there is no such snapshot.
 */
int kvm_snapshot_base(struct backend *be, const struct vm_def *def, const char *snap,
		      char **dir, bool *warm, struct vmt_error *err);
char *kvm_snapshot_disk(const char *dir, size_t i);
/* The runner's machine file of snapshot snap of the VM uuid (newly allocated). */
char *kvm_snapshot_machine(struct kvm_be *k, const char *uuid, const char *snap);

#endif
