/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lv-priv.h: state and helpers the libvirt backend's files share. */
#ifndef VMTUI_LV_PRIV_H
#define VMTUI_LV_PRIV_H

#include <libvirt/libvirt.h>
#include <pthread.h>
#include <stdatomic.h>

#include "backend/backend.h"

/* What one domain's definition says, kept so a refresh need not ask again. */
struct lv_def_cache {
	char uuid[37];
	unsigned vcpus;
	uint64_t max_memory_kib;
};

/* Where vmtui puts new images given without a path, as virt-install does. */
#define LV_DEFAULT_POOL "default"
#define LV_DEFAULT_POOL_DIR "/var/lib/libvirt/images"

/* Domain event callbacks vmtui registers on each libvirt connection. */
enum { LV_EV_LIFECYCLE, LV_EV_REBOOT, LV_EV_N };

/* One libvirt connection and what vmtui registered on it. */
struct lv_link {
	virConnectPtr conn;
	int ev[LV_EV_N];	/* callback ids, -1 when not registered */
	bool close_cb;		/* the close callback is registered */
};

/*
 * The state of one backend connection. It is shared with libvirt's event
 * thread (events, the close callback) and with the reconnect thread, so it
 * is reference counted: it lives until the last of them lets go.
 */
struct lv_conn {
	struct backend *be;	/* events go here, never once closing is set */
	char *uri;
	struct lv_link cur;	/* in use; swapped only by the connection's user */
	char *domain_type;	/* kvm, qemu, test...: see lv_domain_type; under lock */
	atomic_ulong calls;	/* libvirt API calls made, for the debug log */
	atomic_int refs;
	bool no_nowait;		/* the driver refuses the stats NOWAIT flag */
	backend_auth_fn auth;
	void *auth_opaque;

	pthread_mutex_t lock;	/* guards everything below */
	pthread_cond_t cond;	/* closing set, an auth call returned */
	bool closing;
	bool down;		/* the connection was lost; reconnecting */
	bool reconnecting;	/* the reconnect thread runs */
	bool events_wanted;
	bool have_fresh;
	bool fresh_dead;	/* ... and it was lost before that */
	struct lv_link fresh;	/* reconnected, not yet taken into use */
	uint64_t next_try_ns;	/* CLOCK_MONOTONIC of the next attempt; 0: now */
	unsigned in_auth;	/* auth calls in progress */
	char auth_error[256];	/* why the last auth callback failed */
	struct lv_def_cache *cache;
	size_t n_cache, cap_cache;
	unsigned cache_gen;	/* bumped by every forget: an answer asked before is stale */
};

static inline struct lv_conn *lv_conn(struct backend *be)
{
	return be->priv;
}

/* Count one libvirt API call on this connection. */
#define LV_CALL(lv, expr) (atomic_fetch_add(&(lv)->calls, 1), (expr))

/*
 * Every operation begins here: it takes a reconnected connection into use,
 * and fails at once while the connection is lost.
 */
#define LV_ENTER(be, err)                                                   \
	do {                                                                \
		int lv_enter_r_ = lv_ready((be), (err));                    \
		if (lv_enter_r_ < 0)                                        \
			return lv_enter_r_;                                 \
	} while (0)

/* msg with its newlines and tabs made spaces, trailing ones dropped, in buf. */
const char *lv_one_line(const char *msg, char *buf, size_t len);

/* Fill err from libvirt's last error: "<what>: <libvirt's own words>". */
int lv_fail(struct vmt_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * The persistent definition, with secrets such as graphics passwords, so
 * that defining it again keeps them; read-only connections get it without.
 */
char *lv_domain_xml(struct lv_conn *lv, virDomainPtr dom);
/* Define xml; libvirt checks it against its schema where it can. */
int lv_define_xml(struct backend *be, const char *xml, const char *name,
		  struct vmt_error *err);

/* Look a domain up by name; the caller virDomainFree()s it. */
int lv_domain(struct backend *be, const char *name, virDomainPtr *out,
	      struct vmt_error *err);
/* The start of most operations on one VM: LV_ENTER's check, then lv_domain. */
int lv_enter_domain(struct backend *be, const char *name, virDomainPtr *out,
		    struct vmt_error *err);

enum vm_state lv_state(int libvirt_state);
/* Name lists (UUIDs, network names) that one libvirt list filter selected. */
bool lv_strs_has(char **strs, int n, const char *s);
void lv_strs_free(char **strs, int n);
/* Whether libvirt's event loop thread runs (events, streams, reconnects). */
bool lv_event_loop_ok(void);

/* lv-conn.c */
/* A URI that names a host (qemu+ssh://host/system) reaches another machine. */
bool lv_uri_is_remote(const char *uri);
int lv_conn_open(struct backend *be, struct vmt_error *err);
void lv_conn_close(struct backend *be);
int lv_ready(struct backend *be, struct vmt_error *err);
/*
 * The domain type new definitions get: kvm when the host offers it, else
 * what it does offer; read from the capabilities at connect, with the
 * host's identity (asked again if they could not be read then).
 */
const char *lv_domain_type(struct lv_conn *lv);
void lv_ref(struct lv_conn *lv);
void lv_unref(struct lv_conn *lv);
/* A virFreeCallback that drops the reference a callback held. */
void lv_unref_cb(void *opaque);
/* Post ev unless the connection is closing; call with lv->lock held. */
void lv_post_locked(struct lv_conn *lv, const struct backend_event *ev);

/* lv-events.c */
int lv_events_start(struct backend *be, struct vmt_error *err);
/* Register vmtui's domain event callbacks on link (lv->lock not held). */
int lv_events_register(struct lv_conn *lv, struct lv_link *link,
		       struct vmt_error *err);
void lv_events_deregister(struct lv_link *link);

/* lv-stats.c */
int lv_list(struct backend *be, struct vm_info **out, size_t *n,
	    struct vmt_error *err);
int lv_stats(struct backend *be, struct vm_stats **out, size_t *n,
	     struct vmt_error *err);
/* Drop what is cached of uuid ("" drops everything); lv->lock held. */
void lv_cache_forget_locked(struct lv_conn *lv, const char *uuid);
void lv_cache_forget(struct lv_conn *lv, const char *uuid);

/* lv-storage.c */
int lv_create_volumes(struct backend *be, struct vm_def *def,
		      struct vmt_error *err);
int lv_disk_resize(struct backend *be, const char *name, size_t index, uint64_t bytes,
		   struct vmt_error *err);
int lv_remove_storage(struct backend *be, const struct vm_def *def,
		      struct vmt_error *err);
/* Undo lv_create_volumes: delete only the volumes it created. */
void lv_remove_created(struct backend *be, const struct vm_def *def);
/* A volume name not yet taken in pool: <vm>-disk<i>.<ext>, then with a number. */
char *lv_volume_name(struct lv_conn *lv, virStoragePoolPtr pool,
		     const struct vm_def *def, size_t i);

/* lv-clone.c */
int lv_clone(struct backend *be, struct backend_clone *req, struct vmt_error *err);
/* -EBUSY, naming them, when linked clones read through dom's disks: verb it not. */
int lv_check_not_base(struct backend *be, virDomainPtr dom, const char *name,
		      const char *verb, struct vmt_error *err);

/* lv-host.c */
int lv_net_list(struct backend *be, struct backend_net **out, size_t *n,
		struct vmt_error *err);
int lv_net_start(struct backend *be, const char *net, struct vmt_error *err);
/* Into lim: the network a new VM's NIC goes to by default (or none, with a note). */
void lv_net_default(struct backend *be, struct vm_limits *lim);
/* Every network def's NICs name exists on the host (those old had too are not asked). */
int lv_net_check(struct backend *be, const struct vm_def *def, const struct vm_def *old,
		 struct vmt_error *err);
int lv_net_stop(struct backend *be, const char *net, struct vmt_error *err);
int lv_pool_list(struct backend *be, struct backend_pool **out, size_t *n,
		 struct vmt_error *err);
int lv_pool_create_default(struct backend *be, struct vmt_error *err);

/* lv-host.c: the host's name, hypervisor and load. */
int lv_host_info(struct backend *be, struct backend_host *out, struct vmt_error *err);

/* lv-hotplug.c */
int lv_hotplug(struct backend *be, const char *name, const struct vm_def *old,
	       const struct vm_def *def, struct backend_hotplug *out, struct vmt_error *err);

/* lv-volume.c */
int lv_vol_list(struct backend *be, const char *pool, struct backend_vol **out, size_t *n,
		struct vmt_error *err);
int lv_vol_create(struct backend *be, const char *pool, const char *name, uint64_t bytes,
		  enum vm_disk_format format, struct vmt_error *err);
int lv_vol_delete(struct backend *be, const char *pool, const char *name,
		  struct vmt_error *err);
int lv_vol_resize(struct backend *be, const char *pool, const char *name, uint64_t bytes,
		  struct vmt_error *err);

/* lv-console.c */
int lv_console_open(struct backend *be, const char *name, unsigned flags,
		    struct backend_console **out, struct vmt_error *err);

/* lv-snapshot.c */
int lv_snapshot_list(struct backend *be, const char *name,
		     struct vm_snapshot **out, size_t *n, struct vmt_error *err);
int lv_snapshot_create(struct backend *be, const char *name, const char *snap,
		       const char *description, struct vmt_error *err);
int lv_snapshot_revert(struct backend *be, const char *name, const char *snap,
		       struct vmt_error *err);
int lv_snapshot_delete(struct backend *be, const char *name, const char *snap,
		       struct vmt_error *err);

/* lv-display.c */
int lv_displays(struct backend *be, const char *name, struct vm_display **out,
		size_t *n, struct vmt_error *err);

/* lv-addr.c */
int lv_addresses(struct backend *be, const char *name,
		 struct vm_address **out, size_t *n, struct vmt_error *err);

/*
 * In lv-upload.c. The path in pool of a copy of the local base image at
 * path, uploaded the first time a VM is made from it.
 */
int lv_upload_base(struct lv_conn *lv, virStoragePoolPtr pool, const char *path,
		   char **pool_path, struct vmt_error *err);
/* A new raw volume name in pool holding a copy of the local file at path. */
int lv_upload_copy(struct lv_conn *lv, virStoragePoolPtr pool, const char *name,
		   const char *path, virStorageVolPtr *out, struct vmt_error *err);

#endif
