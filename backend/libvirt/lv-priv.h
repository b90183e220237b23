/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lv-priv.h: state and helpers the libvirt backend's files share. */
#ifndef VMTUI_LV_PRIV_H
#define VMTUI_LV_PRIV_H

#include <libvirt/libvirt.h>
#include <stdatomic.h>

#include "backend/backend.h"

/* What one domain's definition says, kept so a refresh need not ask again. */
struct lv_def_cache {
	char uuid[37];
	unsigned vcpus;
	uint64_t max_memory_kib;
};

struct lv_conn {
	virConnectPtr conn;
	char *domain_type;	/* kvm, qemu, test...: what new domains get */
	atomic_ulong calls;	/* libvirt API calls made, for the debug log */
	bool no_nowait;		/* the driver refuses the stats NOWAIT flag */
	struct lv_def_cache *cache;
	size_t n_cache, cap_cache;
};

static inline struct lv_conn *lv_conn(struct backend *be)
{
	return be->priv;
}

/* Count one libvirt API call on this connection. */
#define LV_CALL(lv, expr) (atomic_fetch_add(&(lv)->calls, 1), (expr))

/* Fill err from libvirt's last error: "<what>: <libvirt's own words>". */
int lv_fail(struct vmt_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Look a domain up by name; the caller virDomainFree()s it. */
int lv_domain(struct backend *be, const char *name, virDomainPtr *out,
	      struct vmt_error *err);

enum vm_state lv_state(int libvirt_state);

/* lv-stats.c */
int lv_list(struct backend *be, struct vm_info **out, size_t *n,
	    struct vmt_error *err);
int lv_stats(struct backend *be, struct vm_stats **out, size_t *n,
	     struct vmt_error *err);
void lv_cache_forget(struct lv_conn *lv, const char *uuid);

/* lv-storage.c */
int lv_create_volumes(struct backend *be, struct vm_def *def,
		      struct vmt_error *err);
int lv_remove_storage(struct backend *be, const struct vm_def *def,
		      struct vmt_error *err);
/* Undo lv_create_volumes: delete only the volumes it created. */
void lv_remove_created(struct backend *be, const struct vm_def *def);

#endif
