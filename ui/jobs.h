/* SPDX-License-Identifier: GPL-2.0-or-later */
/* jobs.h: every kind of job the UI hands a worker, each with its call and what the UI does with the answer. */
#ifndef VMTUI_UI_JOBS_H
#define VMTUI_UI_JOBS_H

#include "ui/worker.h"

/* The connection's own (app-jobs.c). */
extern const struct job_kind job_open;		/* run by the worker itself; flag: events work */
extern const struct job_kind job_list;		/* core_list of this connection */
extern const struct job_kind job_stats;		/* backend_stats */
extern const struct job_kind job_console;	/* backend_console_open(name) */
extern const struct job_kind job_addresses;	/* names[]: the first address of each VM, into addrs[] */
extern const struct job_kind job_host_info;	/* backend_host_info into host; took_ns is how long */
extern const struct job_kind job_question;	/* from a worker: a credential to ask the user for */

/* What the views ask for (jobs.c). */
extern const struct job_kind job_action;	/* core_action(action, name) */
extern const struct job_kind job_create;	/* core_create(def); with text, core_create_image */
extern const struct job_kind job_get_def;	/* core_get_def(name) for the edit form */
extern const struct job_kind job_edit;		/* core_edit(def) */
extern const struct job_kind job_delete;	/* core_delete(name, flag = remove disks) */
extern const struct job_kind job_clone;		/* core_clone(name, text = new name, flags) */
extern const struct job_kind job_detail;	/* core_show(name) */
extern const struct job_kind job_snap_list;
extern const struct job_kind job_snap_create;	/* text = snapshot name, text2 = description */
extern const struct job_kind job_snap_revert;
extern const struct job_kind job_snap_delete;
extern const struct job_kind job_history;	/* core_history(names[] = URIs, name or all); the store alone */
extern const struct job_kind job_autostart;	/* core_autostart(name, flag = on) */
extern const struct job_kind job_image_rm;	/* core_image_remove(text = image), size = bytes freed; the store alone */
extern const struct job_kind job_disk_resize;	/* core_disk_resize(name, flags = disk index from 0, size = bytes) */
extern const struct job_kind job_host;		/* the pools, volumes and networks; flags: JOB_HOST_HAS_* */
extern const struct job_kind job_vol;		/* flags = JOB_VOL_*: volume text2 of pool text, size = bytes */
extern const struct job_kind job_net;		/* start (flag) or stop network text */
extern const struct job_kind job_adopt;		/* core_adopt(name) */
extern const struct job_kind job_export;	/* core_export_file(name, text = the new file) */
extern const struct job_kind job_import;	/* core_import_file(text = the file), def out */

/* What the connection has, as job_host finds it. */
enum { JOB_HOST_HAS_STORAGE = 1 << 0, JOB_HOST_HAS_NETWORKS = 1 << 1 };
/* What job_vol does. */
enum { JOB_VOL_CREATE, JOB_VOL_RESIZE, JOB_VOL_DELETE };

/* The newest events the history view shows. */
#define UI_HISTORY_LIMIT 1000

/*
 * Say in the status line how a job ended: its error, or its kind's words
 * for what it did. Views call it for the jobs they own; an orphaned one's
 * kind does.
 */
struct ui;
void ui_job_report(struct ui *ui, const struct job *job);

#endif
