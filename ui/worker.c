// SPDX-License-Identifier: GPL-2.0-or-later
/* worker.c: per-connection threads that run blocking backend calls and hand back the answers. */
#include "config.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/lib/log.h"
#include "src/lib/util.h"
#include "ui/jobs.h"
#include "ui/worker.h"

/* Jobs in the order they came, linked through job->next. */
struct job_fifo {
	struct job *head, *tail;
};

struct worker_pool {
	pthread_mutex_t lock;
	int pipe[2];
	struct job_fifo done;
	struct worker **workers;
	size_t n_workers;
};

struct worker {
	struct worker_pool *pool;
	size_t conn;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct job_fifo queue;
	uint64_t busy_since;
	bool stop;
	char *db_path;
	struct store *store;	/* the UI's check of the database, for job_open to use; or NULL */
	char *uri;
	struct core *core;	/* this thread's own store connection and backend */
};

struct job *job_new(const struct job_kind *kind, size_t conn, const char *name)
{
	struct job *job = xcalloc(1, sizeof(*job));

	job->kind = kind;
	job->conn = conn;
	job->name = xstrdup_or_null(name);
	return job;
}

void job_free(struct job *job)
{
	if (!job)
		return;
	free(job->name);
	free(job->text);
	free(job->text2);
	vm_def_free(job->def);
	core_edit_result_done(&job->edit);
	core_vm_list_free(job->vms, job->n_vms);
	free(job->stats);
	if (job->detail.def)
		core_vm_detail_done(&job->detail);
	vm_snapshot_list_free(job->snaps, job->n_snaps);
	backend_console_close(job->console);
	for (size_t i = 0; i < job->n_names; i++) {
		free(job->names[i]);
		if (job->addrs)
			free(job->addrs[i]);
	}
	free(job->names);
	free(job->addrs);
	store_event_list_free(job->events, job->n_events);
	backend_pool_list_free(job->pools, job->n_pools);
	backend_vol_list_free(job->vols, job->n_vols);
	backend_net_list_free(job->nets, job->n_nets);
	free(job);
}

static void job_fifo_push(struct job_fifo *q, struct job *job)
{
	job->next = NULL;
	if (q->tail)
		q->tail->next = job;
	else
		q->head = job;
	q->tail = job;
}

static struct job *job_fifo_pop(struct job_fifo *q)
{
	struct job *job = q->head;

	if (job) {
		q->head = job->next;
		if (!q->head)
			q->tail = NULL;
	}
	return job;
}

struct worker_pool *worker_pool_new(void)
{
	struct worker_pool *pool = xcalloc(1, sizeof(*pool));

	pthread_mutex_init(&pool->lock, NULL);
	if (pipe2(pool->pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		abort();
	return pool;
}

int worker_pool_fd(struct worker_pool *pool)
{
	return pool->pipe[0];
}

static void worker_pool_finish(struct worker_pool *pool, struct job *job)
{
	static const char one = 1;

	pthread_mutex_lock(&pool->lock);
	job_fifo_push(&pool->done, job);
	pthread_mutex_unlock(&pool->lock);
	/* A full pipe already says "jobs are waiting". */
	if (write(pool->pipe[1], &one, 1) < 0 && errno != EAGAIN)
		LOG_WARN("worker: cannot wake the UI: %s", strerror(errno));
}

struct job *worker_pool_take(struct worker_pool *pool)
{
	struct job *job;
	char drain[64];

	pthread_mutex_lock(&pool->lock);
	job = job_fifo_pop(&pool->done);
	if (!pool->done.head)
		while (read(pool->pipe[0], drain, sizeof(drain)) > 0)
			;
	pthread_mutex_unlock(&pool->lock);
	return job;
}

/*
 * The backend's auth callback: hand the question to the UI thread as a
 * job and wait for the user's answer.
 */
static int worker_ask(void *opaque, const char *prompt, bool echo, char *answer,
		      size_t len)
{
	struct worker *w = opaque;
	struct worker_question q = { .prompt = prompt, .echo = echo, .answer = answer, .len = len };
	struct job *job = job_new(&job_question, w->conn, NULL);

	pthread_mutex_init(&q.lock, NULL);
	pthread_cond_init(&q.cond, NULL);
	job->question = &q;
	worker_pool_finish(w->pool, job);
	pthread_mutex_lock(&q.lock);
	while (!q.answered)
		pthread_cond_wait(&q.cond, &q.lock);
	pthread_mutex_unlock(&q.lock);
	pthread_mutex_destroy(&q.lock);
	pthread_cond_destroy(&q.cond);
	return q.result;
}

void worker_answer(struct worker_question *q, int result, const char *text)
{
	pthread_mutex_lock(&q->lock);
	q->result = result;
	if (result == 0)
		snprintf(q->answer, q->len, "%s", text ? text : "");
	q->answered = true;
	pthread_cond_signal(&q->cond);
	pthread_mutex_unlock(&q->lock);
}

static void worker_run_open(struct worker *w, struct job *job)
{
	char *uris[1] = { w->uri };

	if (w->store) {
		core_open_store(&w->core, w->store, uris, 1, worker_ask, w);
		w->store = NULL;
		job->result = 0;
	} else {
		job->result = core_open(&w->core, w->db_path, uris, 1, worker_ask, w, &job->err);
	}
	if (job->result == 0)
		job->result = core_backend(w->core, 0, &job->be, &job->err);
	if (job->result == 0)
		job->result = backend_limits(job->be, &job->limits, &job->err);
	/* Events are a bonus: without them the UI refreshes the list itself. */
	if (job->result == 0)
		job->flag = backend_events_start(job->be, NULL) == 0;
	if (job->result == 0 && !job->flag)
		LOG_INFO("%s: no events; the list is refreshed by polling", w->uri);
}

static void worker_run(struct worker *w, struct job *job)
{
	uint64_t start = time_mono_ns();
	struct backend *be = NULL;

	if (job->kind == &job_open)
		worker_run_open(w, job);
	else if (!w->core)
		job->result = vmt_error_set(&job->err, -ENOTCONN, "%s is not connected", w->uri);
	else if (job->kind->store_only)
		/* The store alone: a connection that is down still has a history and a cache. */
		job->result = job->kind->run(w->core, NULL, job);
	else if (core_backend(w->core, 0, &be, &job->err) < 0)
		job->result = vmt_error_set(&job->err, -ENOTCONN, "%s is not connected", w->uri);
	else
		job->result = job->kind->run(w->core, be, job);
	job->took_ns = time_mono_ns() - start;
	if (job->result < 0)
		LOG_DEBUG("%s: %s job on %s failed: %s", w->uri, job->kind->name,
			  job->name ? job->name : "-", job->err.msg);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	pthread_mutex_lock(&w->lock);
	while (!w->stop) {
		struct job *job = job_fifo_pop(&w->queue);

		if (!job) {
			pthread_cond_wait(&w->cond, &w->lock);
			continue;
		}
		w->busy_since = time_mono_ns();
		pthread_mutex_unlock(&w->lock);
		worker_run(w, job);
		worker_pool_finish(w->pool, job);
		pthread_mutex_lock(&w->lock);
		w->busy_since = 0;
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct worker *worker_start(struct worker_pool *pool, size_t conn,
			    const char *db_path, struct store *store, const char *uri)
{
	struct worker *w = xcalloc(1, sizeof(*w));

	w->pool = pool;
	w->conn = conn;
	w->db_path = xstrdup(db_path);
	w->store = store;
	w->uri = xstrdup(uri);
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	if (pthread_create(&w->thread, NULL, worker_main, w) != 0)
		abort();
	pool->workers = xrealloc(pool->workers, (pool->n_workers + 1) * sizeof(*pool->workers));
	pool->workers[pool->n_workers++] = w;
	return w;
}

void worker_submit(struct worker *w, struct job *job)
{
	pthread_mutex_lock(&w->lock);
	job_fifo_push(&w->queue, job);
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

uint64_t worker_busy_ns(struct worker *w)
{
	uint64_t since;

	pthread_mutex_lock(&w->lock);
	since = w->busy_since;
	pthread_mutex_unlock(&w->lock);
	return since ? time_mono_ns() - since : 0;
}

/* How long a worker may take to finish its current job when vmtui quits. */
#define WORKER_QUIT_WAIT_MS 300

/*
 * Wait a little for a stopped worker, then free it. A worker stuck in a
 * hung connection keeps its memory (false); the process is about to end.
 */
static bool worker_join(struct worker *w)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += WORKER_QUIT_WAIT_MS * 1000000L;
	ts.tv_sec += ts.tv_nsec / 1000000000L;
	ts.tv_nsec %= 1000000000L;
	if (pthread_timedjoin_np(w->thread, NULL, &ts) != 0)
		return false;
	for (struct job *j = job_fifo_pop(&w->queue); j; j = job_fifo_pop(&w->queue))
		job_free(j);
	core_close(w->core);
	store_close(w->store);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	free(w->db_path);
	free(w->uri);
	free(w);
	return true;
}

void worker_pool_free(struct worker_pool *pool)
{
	bool stuck = false;

	for (size_t i = 0; i < pool->n_workers; i++) {
		struct worker *w = pool->workers[i];

		pthread_mutex_lock(&w->lock);
		w->stop = true;
		pthread_cond_signal(&w->cond);
		pthread_mutex_unlock(&w->lock);
	}
	for (size_t i = 0; i < pool->n_workers; i++)
		if (!worker_join(pool->workers[i]))
			stuck = true;
	for (struct job *j = worker_pool_take(pool); j; j = worker_pool_take(pool))
		job_free(j);
	free(pool->workers);
	pool->workers = NULL;
	pool->n_workers = 0;
	/*
	 * A stuck worker hands its job to the pool when its call returns:
	 * freeing the pool would leave it a freed lock and a closed pipe,
	 * whose descriptor number may by then be another file.
	 */
	if (stuck)
		return;
	close(pool->pipe[0]);
	close(pool->pipe[1]);
	pthread_mutex_destroy(&pool->lock);
	free(pool);
}
