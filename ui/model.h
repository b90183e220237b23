/* SPDX-License-Identifier: GPL-2.0-or-later */
/* model.h: what the UI knows of the VMs: rows, history of rates, order, filter, groups, marks. */
#ifndef VMTUI_UI_MODEL_H
#define VMTUI_UI_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/core/core.h"
#include "src/model/stats.h"

/* Samples kept per running VM: ten minutes at the default 1 s interval. */
#define UI_HISTORY 600

enum ui_series {
	UI_SERIES_CPU,		/* percent of the VM's vCPUs */
	UI_SERIES_MEM,		/* MiB */
	UI_SERIES_DISK_RD,	/* bytes per second */
	UI_SERIES_DISK_WR,
	UI_SERIES_NET_RX,
	UI_SERIES_NET_TX,
	UI_N_SERIES,
};

/* Allocated only for VMs that have sent statistics. */
struct ui_history {
	float v[UI_N_SERIES][UI_HISTORY];
	float t[UI_HISTORY];		/* seconds since the UI started */
	unsigned head;			/* where the next sample goes */
	unsigned count;
};

/* What a VM's statistics said; allocated when it first sends figures. */
struct ui_sampled {
	struct vm_stats last;
	struct vm_rates rates;		/* have == 0 until a second sample */
};

/* A row's VM; a thousand of them are kept, so what most lack is allocated apart. */
struct ui_vm {
	size_t conn;
	struct core_vm vm;		/* owned */
	bool marked;
	bool seen;			/* in the last list of its connection */
	unsigned stats_sweep;		/* the last sweep that had this VM */
	char *ip;			/* the guest's address, when known */
	struct ui_sampled *st;		/* owned, NULL while it has sent no figures */
	struct ui_history *hist;	/* owned, may be NULL */
};

/* The memory a VM uses: its resident size, else the balloon's current size. */
uint64_t ui_mem_used_kib(const struct vm_rates *r);

/* The VM's rates; all zero, have included, when it has none. */
const struct vm_rates *ui_vm_rates(const struct ui_vm *v);

enum ui_col {
	UI_COL_NAME,
	UI_COL_CONN,
	UI_COL_BACKEND,
	UI_COL_STATE,
	UI_COL_VCPUS,
	UI_COL_MEM,
	UI_COL_CPU,
	UI_COL_SPARK,
	UI_COL_MEMUSE,
	UI_COL_DISK,
	UI_COL_NET,
	UI_COL_IP,
	UI_COL_GROUP,
	UI_N_COLS,
};

const char *ui_col_name(enum ui_col c);
int ui_col_parse(const char *name, enum ui_col *out);

struct ui_row {
	struct ui_vm *vm;		/* NULL for a group header */
	const char *group;		/* the group of the header or of the VM */
	unsigned members;		/* header: VMs in the group (after the filter) */
	unsigned marked;		/* header: how many of them are marked */
	bool folded;			/* header: its VMs are hidden */
};

struct ui_model {
	struct ui_vm **vms;
	size_t n_vms, cap_vms;
	/* (connection, UUID) -> VM, open addressing; rebuilt when VMs come and go. */
	struct ui_vm **index;
	size_t index_size;
	struct ui_row *rows;		/* what the list shows, in order */
	size_t n_rows, cap_rows;
	/* The VMs the filter lets through, in the list's order, folded
	 * groups' included: what marks and actions apply to. */
	struct ui_vm **shown;
	size_t n_shown;
	size_t cursor;			/* index into rows */
	size_t top;			/* first row on screen */
	enum ui_col sort;
	bool sort_desc;
	char *filter;			/* NULL: everything */
	bool active_only;
	char **folded;			/* groups whose VMs are hidden */
	size_t n_folded;
	double start_s;			/* time origin of the history */
	unsigned stats_sweep;
};

void ui_model_init(struct ui_model *m);
void ui_model_done(struct ui_model *m);

/* Replace the VMs of connection conn with vms (taken over: freed here).
 * VMs that went are freed: call ui_model_rebuild() before using rows. */
void ui_model_merge(struct ui_model *m, size_t conn, struct core_vm *vms, size_t n);
/*
 * Fold one sweep of statistics of connection conn into rates and history.
 * Returns true when a VM the list shows running had sent samples before
 * and sent none now: it has stopped, and the list is stale.
 */
bool ui_model_add_stats(struct ui_model *m, size_t conn,
			const struct vm_stats *stats, size_t n, double now_s);
/* Recompute rows from the VMs, the filter, the order and the folds,
 * keeping the cursor on the VM (or group) it was on. */
void ui_model_rebuild(struct ui_model *m);

struct ui_row *ui_model_current(struct ui_model *m);
struct ui_vm *ui_model_find(struct ui_model *m, size_t conn, const char *name);
void ui_model_select(struct ui_model *m, size_t conn, const char *name);
void ui_model_toggle_fold(struct ui_model *m, const char *group);
bool ui_model_is_folded(const struct ui_model *m, const char *group);
/* The marked VMs the filter shows (in folded groups too), in the list's
 * order, else the one under the cursor; *n is how many. The array is the
 * caller's to free. */
struct ui_vm **ui_model_targets(struct ui_model *m, size_t *n);
/* How many of the VMs the filter shows are marked. */
size_t ui_model_marked(const struct ui_model *m);
void ui_model_clear_marks(struct ui_model *m);
/*
 * Mark every VM the filter shows in group (NULL: in the whole list,
 * groups and all), or unmark them when all of them are marked already.
 * Returns how many VMs that is; *on says whether they are now marked.
 */
size_t ui_model_toggle_marks(struct ui_model *m, const char *group, bool *on);
/*
 * Set the filter ("" or NULL: none): words, all of which must match:
 * "state:S" (a state name prefix, "running" also matches blocked),
 * "conn:C" (a substring of the URI), "group:G" (a group name), anything
 * else a substring of the name; case is ignored.
 */
void ui_model_set_filter(struct ui_model *m, const char *filter);
/* Sample i back in time (0 the newest) of a series; false past the end. */
bool ui_history_get(const struct ui_history *h, enum ui_series s, unsigned i,
		    float *v, double *t);

#endif
