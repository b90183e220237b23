/* SPDX-License-Identifier: GPL-2.0-or-later */
/* worker.h: one thread per connection runs the backend calls that may block, off the UI thread. */
#ifndef VMTUI_UI_WORKER_H
#define VMTUI_UI_WORKER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "backend/backend.h"
#include "src/core/core.h"

struct job;
struct ui;

/*
 * What a job is: the call its worker makes, and what the UI does with the
 * answer. Each kind is one const object (ui/jobs.h); a job points to its.
 */
struct job_kind {
	const char *name;		/* for the log */
	/*
	 * In the worker: make the call and fill in the answers; 0, or a
	 * negative errno with job->err. be is NULL for a store_only kind.
	 */
	int (*run)(struct core *c, struct backend *be, struct job *job);
	bool store_only;		/* needs the store alone: runs while the connection is down */
	/* The status line of a job that worked, as "NAME <said>"; or say() writes it. */
	const char *said;
	void (*say)(struct ui *ui, const struct job *job);
	/* In the UI thread, when no view on screen asked for it; NULL drops it. */
	void (*done)(struct ui *ui, struct job *job);
};

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
	const struct job_kind *kind;
	size_t conn;			/* index of the connection */
	char *name;			/* the VM */
	enum backend_action action;
	struct vm_def *def;		/* create, edit in; get_def out */
	bool flag;
	unsigned flags;			/* clone: CORE_CLONE_* */
	char *text, *text2;
	uint64_t size;			/* create with an image: its disk's size (0: the image's) */
	/* answers */
	int result;
	struct vmt_error err;
	struct backend *be;		/* open: the connection (owned by the worker) */
	struct vm_limits limits;	/* open */
	struct core_vm *vms;		/* list */
	size_t n_vms;
	struct vm_stats *stats;		/* stats */
	size_t n_stats;
	struct core_vm_detail detail;	/* detail */
	struct vm_snapshot *snaps;	/* snap_list */
	size_t n_snaps;
	struct backend_console *console;	/* console */
	struct core_edit_result edit;	/* edit */
	struct worker_question *question;	/* question: the asking thread's */
	char **names;			/* addresses in */
	char **addrs;			/* addresses out: NULL where none is known */
	size_t n_names;
	struct store_event *events;	/* history out, newest first */
	size_t n_events;
	struct backend_pool *pools;	/* host out */
	size_t n_pools;
	struct backend_vol *vols;	/* host out */
	size_t n_vols;
	struct backend_net *nets;	/* host out */
	size_t n_nets;
	struct backend_host host;	/* host_info out */
	uint64_t took_ns;
	void *owner;			/* the UI's: who wants the answer */
	struct job *next;
};

struct job *job_new(const struct job_kind *kind, size_t conn, const char *name);
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
 * A worker for one connection; it opens uri itself (job_open), on store
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
