// SPDX-License-Identifier: GPL-2.0-or-later
/* download.c: each cloud image download in a thread of its own; progress and the end come back to the UI through a pipe. */
#include "config.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/lib/log.h"
#include "src/lib/util.h"
#include "ui/download.h"

struct ui_dl {
	struct ui_downloads *owner;
	pthread_t thread;
	struct ui_download_state st;	/* under owner->lock */
	bool stop;			/* under owner->lock */
	struct ui_dl *next;
};

struct ui_downloads {
	pthread_mutex_t lock;
	int pipe[2];		/* the threads write a byte; the UI polls the other end */
	struct ui_dl *list;
};

struct ui_downloads *ui_downloads_new(void)
{
	struct ui_downloads *d = xcalloc(1, sizeof(*d));

	pthread_mutex_init(&d->lock, NULL);
	if (pipe2(d->pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		abort();
	return d;
}

static void ui_downloads_wake(struct ui_downloads *d)
{
	char c = 1;

	/* A full pipe already says there is news. */
	if (write(d->pipe[1], &c, 1) < 0)
		return;
}

int ui_downloads_fd(struct ui_downloads *d)
{
	return d->pipe[0];
}

static int ui_dl_progress(const struct image_progress *p, void *ctx)
{
	struct ui_dl *dl = ctx;
	bool stop;

	pthread_mutex_lock(&dl->owner->lock);
	dl->st.started = true;
	dl->st.phase = p->phase;
	dl->st.done = p->done;
	dl->st.total = p->total;
	dl->st.resumed = p->resumed;
	dl->st.rate = p->rate;
	stop = dl->stop;
	pthread_mutex_unlock(&dl->owner->lock);
	ui_downloads_wake(dl->owner);
	return stop ? IMAGE_PROGRESS_STOP : 0;
}

static void *ui_dl_main(void *arg)
{
	struct ui_dl *dl = arg;
	struct image_ref ref = { .spec = dl->st.spec };
	struct image_file f;
	struct vmt_error err;
	int r;

	vmt_error_clear(&err);
	r = image_fetch(&ref, ui_dl_progress, dl, &f, &err);
	LOG_INFO("image %s: %s", dl->st.spec, r < 0 ? err.msg : f.path);
	pthread_mutex_lock(&dl->owner->lock);
	dl->st.finished = true;
	dl->st.result = r;
	if (r < 0)
		snprintf(dl->st.msg, sizeof(dl->st.msg), "%s", err.msg);
	else
		dl->st.size = f.size;
	pthread_mutex_unlock(&dl->owner->lock);
	if (r == 0)
		image_file_done(&f);
	ui_downloads_wake(dl->owner);
	return NULL;
}

/* Under the lock. */
static struct ui_dl *ui_dl_find(struct ui_downloads *d, const char *spec)
{
	for (struct ui_dl *dl = d->list; dl; dl = dl->next)
		if (str_eq(dl->st.spec, spec))
			return dl;
	return NULL;
}

int ui_download_start(struct ui_downloads *d, const char *spec, struct vmt_error *err)
{
	struct ui_dl *dl;
	int r = 0;

	if (strlen(spec) >= sizeof(dl->st.spec))
		return vmt_error_set(err, -EINVAL, "image: the name is too long");
	pthread_mutex_lock(&d->lock);
	if (ui_dl_find(d, spec)) {
		r = vmt_error_set(err, -EBUSY, "%s is being downloaded already", spec);
	} else {
		dl = xcalloc(1, sizeof(*dl));
		dl->owner = d;
		snprintf(dl->st.spec, sizeof(dl->st.spec), "%s", spec);
		if (pthread_create(&dl->thread, NULL, ui_dl_main, dl) != 0) {
			free(dl);
			r = vmt_error_set(err, -EAGAIN, "cannot start a thread to download %s", spec);
		} else {
			dl->next = d->list;
			d->list = dl;
		}
	}
	pthread_mutex_unlock(&d->lock);
	return r;
}

bool ui_download_stop(struct ui_downloads *d, const char *spec)
{
	struct ui_dl *dl;

	pthread_mutex_lock(&d->lock);
	dl = ui_dl_find(d, spec);
	if (dl && !dl->st.finished) {
		dl->stop = true;
		dl->st.stopping = true;
	}
	pthread_mutex_unlock(&d->lock);
	return dl != NULL;
}

bool ui_download_find(struct ui_downloads *d, const char *spec,
		      struct ui_download_state *out)
{
	struct ui_dl *dl;

	pthread_mutex_lock(&d->lock);
	dl = ui_dl_find(d, spec);
	if (dl)
		*out = dl->st;
	pthread_mutex_unlock(&d->lock);
	return dl != NULL;
}

size_t ui_downloads_running(struct ui_downloads *d, struct ui_download_state *first)
{
	size_t n = 0;

	pthread_mutex_lock(&d->lock);
	for (struct ui_dl *dl = d->list; dl; dl = dl->next) {
		if (dl->st.finished)
			continue;
		/* The list is newest first: the oldest running one is shown. */
		if (first)
			*first = dl->st;
		n++;
	}
	pthread_mutex_unlock(&d->lock);
	return n;
}

/* Take the first finished download off the list, or NULL. */
static struct ui_dl *ui_dl_take_finished(struct ui_downloads *d)
{
	struct ui_dl **pp, *dl = NULL;

	pthread_mutex_lock(&d->lock);
	for (pp = &d->list; *pp; pp = &(*pp)->next)
		if ((*pp)->st.finished) {
			dl = *pp;
			*pp = dl->next;
			break;
		}
	pthread_mutex_unlock(&d->lock);
	return dl;
}

bool ui_downloads_reap(struct ui_downloads *d,
		       void (*done)(void *ctx, const struct ui_download_state *s),
		       void *ctx)
{
	char buf[256];
	bool news = false;
	struct ui_dl *dl;

	while (read(d->pipe[0], buf, sizeof(buf)) > 0)
		news = true;
	while ((dl = ui_dl_take_finished(d))) {
		pthread_join(dl->thread, NULL);
		if (done)
			done(ctx, &dl->st);
		free(dl);
		news = true;
	}
	return news;
}

void ui_downloads_free(struct ui_downloads *d)
{
	struct ui_dl *dl;

	if (!d)
		return;
	pthread_mutex_lock(&d->lock);
	for (dl = d->list; dl; dl = dl->next)
		dl->stop = true;
	pthread_mutex_unlock(&d->lock);
	/* image_fetch() stops at its next progress call: a second or so. */
	while ((dl = d->list)) {
		d->list = dl->next;
		pthread_join(dl->thread, NULL);
		free(dl);
	}
	close(d->pipe[0]);
	close(d->pipe[1]);
	pthread_mutex_destroy(&d->lock);
	free(d);
}
