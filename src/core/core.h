/* SPDX-License-Identifier: GPL-2.0-or-later */
/* core.h: the verbs the CLI and the TUI share, over the store and the backends. */
#ifndef VMTUI_CORE_H
#define VMTUI_CORE_H

#include <stdbool.h>
#include <stddef.h>

#include "backend/backend.h"
#include "src/lib/error.h"
#include "src/store/store.h"
#include "src/model/vmdef.h"
#include "src/core/image.h"

/* One open database and the connections of this session. */
struct core {
	struct store *store;
	char **uris;		/* owned */
	struct backend **bes;	/* opened on first use; NULL until then */
	size_t n_conns;
	backend_auth_fn auth;	/* how connections ask for credentials */
	void *auth_opaque;
};

/* One row of the VM list. Owns its strings. */
struct core_vm {
	struct vm_info info;
	const char *uri;	/* the connection's, not owned */
	const char *backend;	/* "kvm" or "libvirt", not owned */
	char *group;		/* from vmtui's store; NULL when unmanaged */
};

void core_vm_list_free(struct core_vm *vms, size_t n);

/*
 * Open the database and remember the connections (none is opened yet).
 * auth (may be NULL) asks the user for credentials a connection needs.
 */
int core_open(struct core **out, const char *db_path, char *const *uris,
	      size_t n_uris, backend_auth_fn auth, void *auth_opaque,
	      struct vmt_error *err);
/* The same on a database already open, which the core then owns. */
void core_open_store(struct core **out, struct store *st, char *const *uris,
		     size_t n_uris, backend_auth_fn auth, void *auth_opaque);
void core_close(struct core *c);

/* Connection i, opened on first use. */
int core_backend(struct core *c, size_t i, struct backend **out,
		 struct vmt_error *err);

/*
 * Every VM of every connection: what the backend reports, joined with
 * vmtui's store (VMs it stored that the hypervisor lost show as missing).
 * With active_only, only VMs that exist as processes. A connection that
 * fails is skipped and its error kept in errs[i] (errs may be NULL).
 */
int core_list(struct core *c, bool active_only, struct core_vm **out,
	      size_t *n, struct vmt_error *errs, struct vmt_error *err);

/*
 * Find the VM called name on the session's connections: -ENOENT when no
 * connection has it, -EINVAL when several do.
 */
int core_find(struct core *c, const char *name, struct backend **be,
	      struct vmt_error *err);

/* The list row of a stored VM that the hypervisor does not have. */
void core_vm_missing_info(const struct vm_def *def, struct vm_info *info);

/* Everything known about one VM. */
struct core_vm_detail {
	struct vm_def *def;	/* the definition it starts with next (core_get_def's) */
	struct vm_info info;	/* what runs now: vcpus and memory as running */
	bool managed;
	bool pending;		/* running, and def is not what runs: it applies at the next start */
	struct store_event *events;	/* newest first */
	size_t n_events;
	char *log_path;		/* NULL unless the backend keeps one */
	struct vm_address *addrs;	/* the guest's addresses, when running */
	size_t n_addrs;
	struct vm_display *displays;	/* its graphical consoles; none on kvm:/// */
	size_t n_displays;
	struct store_link *links;	/* its disks that read through another VM's */
	size_t n_links;
	char **clones;			/* the linked clones reading through its disks */
	size_t n_clones;
	/* The snapshot it was cloned from (origin.snapshot NULL: none), and that snapshot's VM. */
	struct store_snapclone origin;
	char *origin_vm;		/* NULL when the store has it no more */
	char **snapshot_clones;		/* the clones made from its snapshots */
	size_t n_snapshot_clones;
};

int core_show(struct core *c, struct backend *be, const char *name,
	      struct core_vm_detail *out, struct vmt_error *err);
void core_vm_detail_done(struct core_vm_detail *d);

/*
 * Validate def for be, create its new images, define it and store it,
 * all or nothing. def is completed in place (UUID, MACs, image paths).
 */
int core_create(struct core *c, struct backend *be, struct vm_def *def,
		struct vmt_error *err);
/* What create --image asks for. Borrowed. */
struct core_image_req {
	const char *image;	/* a catalogue name, an http(s) URL or a FILE */
	const char *checksum;	/* for a URL or FILE: "sha256:HEX", or NULL */
	const char *ssh_key;	/* the public key to log in with; NULL: the user's own */
	const char *user_data;	/* a cloud-init user-data file to pass instead of vmtui's */
	const char *login;	/* the image's user, for vmtui ssh; NULL: the catalogue's */
	uint64_t disk_size;	/* the image disk's size; 0: the image's */
	image_progress_fn progress;	/* the download's, may be NULL */
	void *progress_ctx;
};

/*
 * Create def (its name, vCPUs, memory, NICs and any further disks as the
 * user gave them) from a cloud image: fetched (downloaded and verified
 * into the cache, or used from there), its first disk a qcow2 overlay on
 * it, a cloud-init seed with the user's SSH key as a read-only disk, and
 * the image's own kernel where the backend boots kernels. A user network
 * gets a host port forwarded to the guest's SSH. All or nothing, as
 * core_create; blocks for the download (the TUI calls it off its thread).
 */
int core_create_image(struct core *c, struct backend *be, struct vm_def *def,
		      const struct core_image_req *req, struct vmt_error *err);
/*
 * image_cache_remove(), refused (-EBUSY, naming them) while VMs vmtui
 * keeps read through the image or its raw form.
 */
int core_image_remove(struct core *c, const char *key, uint64_t *freed, struct vmt_error *err);
/*
 * The definition to edit: the hypervisor's as it is now, with the group
 * and dates vmtui's store keeps; the stored one when libvirt lost it.
 */
int core_get_def(struct core *c, struct backend *be, const char *name,
		 struct vm_def **out, struct vmt_error *err);
/* What an edit did to a running VM at once, and what waits for its next boot. */
struct core_edit_result {
	bool running;		/* the VM runs */
	/* Its disks and cards attached or detached now, "; "-separated; NULL: none. */
	char *now;
	/* The parts of the machine that change at its next boot ("vCPUs, memory"); NULL: none. */
	char *next_boot;
};

void core_edit_result_done(struct core_edit_result *r);

/*
 * Replace the definition of a VM with def (same UUID). On a running VM
 * the backend hot-plugs the disks and cards the edit adds and removes,
 * where it can; out says what it did and what waits for the next boot.
 */
int core_edit(struct core *c, struct backend *be, struct vm_def *def,
	      struct core_edit_result *out, struct vmt_error *err);
/*
 * Undefine and forget a VM; with remove_disks delete its images too;
 * with force, destroy it first if it is running.
 */
int core_delete(struct core *c, struct backend *be, const char *name,
		bool remove_disks, bool force, struct vmt_error *err);
enum {
	CORE_CLONE_LINKED = 1 << 0,	/* qcow2 overlays on the original's disks */
	CORE_CLONE_START = 1 << 1,	/* start the clone once it is made */
};
/*
 * Copy the shut-off VM name as new_name, with a new UUID and new MACs:
 * each disk copied sparsely or, with CORE_CLONE_LINKED, made a qcow2
 * overlay on the original's (which vmtui then keeps read-only, and will
 * not delete, while the clone exists); read-only disks and CD-ROMs are
 * shared. All or nothing; with CORE_CLONE_START a clone that then fails
 * to start stays, and the error says so. Recorded in the history of
 * both VMs. *out (may be NULL) gets the clone's definition.
 */
int core_clone(struct core *c, struct backend *be, const char *name,
	       const char *new_name, unsigned flags, struct vm_def **out,
	       struct vmt_error *err);
/*
 * As core_clone, from the snapshot snap of name instead (name may run):
 * each writable disk a qcow2 overlay on the snapshot's copy of it (the
 * snapshot then stays, and so does name, while the clone exists), the
 * read-only ones shared. When the snapshot holds a running or paused
 * machine, the clone's first start continues it, with the clone's own
 * disks and MACs; it runs. -EINVAL when the backend cannot clone from a
 * snapshot (be->ops->clone_snapshots). CORE_CLONE_LINKED is implied.
 */
int core_clone_snapshot(struct core *c, struct backend *be, const char *name, const char *snap,
			const char *new_name, unsigned flags, struct vm_def **out,
			struct vmt_error *err);
/* Start, shut down, ... (a missing libvirt domain is defined again to start). */
int core_action(struct core *c, struct backend *be, enum backend_action a,
		const char *name, struct vmt_error *err);
/* Turn starting with the host on or off (a missing VM is refused). */
int core_autostart(struct core *c, struct backend *be, const char *name,
		   bool on, struct vmt_error *err);
/* Grow disk index (0-based) of a VM to bytes, recorded in the event history. */
int core_disk_resize(struct core *c, struct backend *be, const char *name, size_t index,
		     uint64_t bytes, struct vmt_error *err);
/* Store what the hypervisor says of an unmanaged VM. */
int core_adopt(struct core *c, struct backend *be, const char *name,
	       struct vmt_error *err);
/* Define from the hypervisor's own description and store the result. */
int core_import(struct core *c, struct backend *be, const char *text,
		struct vm_def **out, struct vmt_error *err);
/* The same from a file (domain XML is small: at most 16 MiB); -EINVAL when it cannot be read. */
int core_import_file(struct core *c, struct backend *be, const char *path,
		     struct vm_def **out, struct vmt_error *err);
/* Write the hypervisor's description of a VM to path, a file that must not exist yet. */
int core_export_file(struct core *c, struct backend *be, const char *name, const char *path,
		     struct vmt_error *err);
/*
 * Snapshots, recorded in the event history however they go (listing is
 * backend_snapshot_list: it changes nothing).
 */
int core_snapshot_create(struct core *c, struct backend *be, const char *name,
			 const char *snap, const char *description,
			 struct vmt_error *err);
int core_snapshot_revert(struct core *c, struct backend *be, const char *name,
			 const char *snap, struct vmt_error *err);
int core_snapshot_delete(struct core *c, struct backend *be, const char *name,
			 const char *snap, struct vmt_error *err);

/*
 * The event history of the connections uris[0..n_uris), newest first, at
 * most limit: of every VM, or of VM name only (deleted VMs included).
 * *out is the caller's (store_event_list_free).
 */
int core_history(struct core *c, const char *const *uris, size_t n_uris,
		 const char *name, size_t limit, struct store_event **out,
		 size_t *n, struct vmt_error *err);

/* What vmtui autostart --boot did to one VM. */
enum core_boot_result {
	CORE_BOOT_STARTED,
	CORE_BOOT_RUNNING,	/* it was running already: left alone */
	CORE_BOOT_FAILED,	/* err says why */
};
typedef void (*core_boot_fn)(void *ctx, const char *uri, const char *name,
			     enum core_boot_result result,
			     const struct vmt_error *err);
/*
 * Start every VM marked autostart on the session's kvm:/// connections
 * (as when the host boots), leaving running ones alone, and report each
 * to report(ctx, ...). Returns how many failed to start; a negative errno
 * when the store cannot be read or no connection is kvm:/// (libvirtd
 * starts its own autostart domains).
 */
int core_autostart_boot(struct core *c, core_boot_fn report, void *ctx,
			struct vmt_error *err);

/* "vnc on 127.0.0.1 port 5901, websocket 5701": a display in words (newly allocated). */
char *core_display_summary(const struct vm_display *d);
/*
 * The URI a viewer opens, as virsh domdisplay prints it ("vnc://127.0.0.1:1"
 * with VNC's display number, "spice://host:5930?tls-port=5931"), on host
 * when not NULL, else on the display's own; NULL while it has no port.
 */
char *core_display_uri(const struct vm_display *d, const char *host);
/*
 * For a display of a connection over SSH, the ssh command that brings it
 * to this machine ("ssh -L 5901:127.0.0.1:5901 root@host"), and in *local
 * the display as it then is on localhost (its strings borrowed from d);
 * NULL otherwise.
 */
char *core_display_tunnel(const struct vm_display *d, struct vm_display *local);

/* Record in the event history what was done to a VM and how it went. */
void core_event(struct core *c, const char *uri, const char *uuid,
		const char *name, const char *action, int result,
		const struct vmt_error *err);

#endif
