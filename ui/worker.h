/* SPDX-License-Identifier: GPL-2.0-or-later */
/* worker.h: one thread per connection runs the backend calls that may block, off the UI thread. */
#ifndef VMTUI_UI_WORKER_H
#define VMTUI_UI_WORKER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "backend/backend.h"
#include "src/core/core.h"

enum job_type {
	JOB_OPEN,		/* open the store and the connection; flag: events work */
	JOB_LIST,		/* core_list of this connection */
	JOB_STATS,		/* backend_stats */
	JOB_ACTION,		/* core_action(action, name) */
	JOB_CREATE,		/* core_create(def); with text, core_create_image */
	JOB_GET_DEF,		/* core_get_def(name) for the edit form */
	JOB_EDIT,		/* core_edit(def) */
	JOB_DELETE,		/* core_delete(name, flag = remove disks) */
	JOB_CLONE,		/* core_clone(name, text = new name, flags) */
	JOB_DETAIL,		/* core_show(name) */
	JOB_SNAP_LIST,
	JOB_SNAP_CREATE,	/* text = snapshot name, text2 = description */
	JOB_SNAP_REVERT,
	JOB_SNAP_DELETE,
	JOB_CONSOLE,		/* backend_console_open(name) */
	JOB_QUESTION,		/* from a worker: a credential to ask the user for */
	JOB_ADDRESSES,		/* names[]: the first address of each VM, into addrs[] */
	JOB_HISTORY,		/* core_history(names[] = URIs, name or all); needs only the store */
	JOB_AUTOSTART,		/* core_autostart(name, flag = on) */
	JOB_IMAGE_RM,		/* core_image_remove(text = image), size = bytes freed; the store alone */
	JOB_DISK_RESIZE,	/* core_disk_resize(name, flags = disk index from 0, size = bytes) */
	JOB_HOST,		/* the pools, volumes and networks; flags: JOB_HOST_HAS_* */
	JOB_VOL,		/* flags = JOB_VOL_*: volume text2 of pool text, size = bytes */
	JOB_NET,		/* start (flag) or stop network text */
	JOB_ADOPT,		/* core_adopt(name) */
	JOB_EXPORT,		/* core_export_file(name, text = the new file) */
	JOB_IMPORT,		/* core_import_file(text = the file), def out */
	JOB_HOST_INFO,		/* backend_host_info into host; took_ns is how long the host took */
};

/* What a connection has, as JOB_HOST finds it. */
enum { JOB_HOST_HAS_STORAGE = 1 << 0, JOB_HOST_HAS_NETWORKS = 1 << 1 };
/* What JOB_VOL does. */
enum { JOB_VOL_CREATE, JOB_VOL_RESIZE, JOB_VOL_DELETE };

/* The newest events the history view shows. */
#define UI_HISTORY_LIMIT 1000

/* A question a worker thread asks the user; it waits until worker_answer(). */
struct worker_question {
	const char *prompt;
	bool echo;
	char *answer;
	size_t len;
	int result;
	bool answered;
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

/*
 * A request and, once done, its answer. The UI thread owns a job before
 * it is queued and after it comes back; the worker owns it in between.
 */
struct job {
	enum job_type type;
	size_t conn;			/* index of the connection */
	char *name;			/* the VM */
	enum backend_action action;
	struct vm_def *def;		/* CREATE, EDIT in; GET_DEF out */
	bool flag;
	unsigned flags;			/* CLONE: CORE_CLONE_* */
	char *text, *text2;
	uint64_t size;			/* CREATE with an image: its disk's size (0: the image's) */
	/* answers */
	int result;
	struct vmt_error err;
	struct backend *be;		/* OPEN: the connection (owned by the worker) */
	struct vm_limits limits;	/* OPEN */
	struct core_vm *vms;		/* LIST */
	size_t n_vms;
	struct vm_stats *stats;		/* STATS */
	size_t n_stats;
	struct core_vm_detail detail;	/* DETAIL */
	struct vm_snapshot *snaps;	/* SNAP_LIST */
	size_t n_snaps;
	struct backend_console *console;	/* CONSOLE */
	struct core_edit_result edit;	/* EDIT */
	struct worker_question *question;	/* QUESTION: the asking thread's */
	char **names;			/* ADDRESSES in */
	char **addrs;			/* ADDRESSES out: NULL where none is known */
	size_t n_names;
	struct store_event *events;	/* HISTORY out, newest first */
	size_t n_events;
	struct backend_pool *pools;	/* HOST out */
	size_t n_pools;
	struct backend_vol *vols;	/* HOST out */
	size_t n_vols;
	struct backend_net *nets;	/* HOST out */
	size_t n_nets;
	struct backend_host host;	/* HOST_INFO out */
	uint64_t took_ns;
	void *owner;			/* the UI's: who wants the answer */
	struct job *next;
};

struct job *job_new(enum job_type type, size_t conn, const char *name);
void job_free(struct job *job);

struct worker;
struct worker_pool;

/*
 * Finished jobs of every worker come back through one queue; its fd is
 * readable while any wait.
 */
struct worker_pool *worker_pool_new(void);
int worker_pool_fd(struct worker_pool *pool);
/* The next finished job, or NULL. */
struct job *worker_pool_take(struct worker_pool *pool);
/* Stop the workers; those stuck in a call are left to the process's end. */
void worker_pool_free(struct worker_pool *pool);

/*
 * A worker for one connection; it opens uri itself (JOB_OPEN), on store
 * when one is given (it then owns it), else on db_path.
 */
struct worker *worker_start(struct worker_pool *pool, size_t conn,
			    const char *db_path, struct store *store, const char *uri);
/* Answer a question (result 0 with text, or a negative errno). */
void worker_answer(struct worker_question *q, int result, const char *text);
void worker_submit(struct worker *w, struct job *job);
/* Nanoseconds the worker has been inside its current job, or 0 when idle. */
uint64_t worker_busy_ns(struct worker *w);

#endif
