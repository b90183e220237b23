/* SPDX-License-Identifier: GPL-2.0-or-later */
/* download.h: cloud image downloads off the UI thread, one thread each, with their progress for the screen; each can be stopped. */
#ifndef VMTUI_UI_DOWNLOAD_H
#define VMTUI_UI_DOWNLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/core/image.h"
#include "src/lib/error.h"

struct ui_downloads;

/* A download as the screen shows it: a copy, taken under the lock. */
struct ui_download_state {
	char spec[256];		/* what was asked for: a catalogue name, a URL */
	enum image_phase phase;
	bool started;		/* a progress report has come */
	uint64_t done, total;	/* bytes; total 0 while unknown */
	uint64_t resumed;
	double rate;		/* bytes per second */
	bool stopping;		/* asked to stop, not yet stopped */
	bool finished;
	int result;		/* once finished: 0 or a negative errno */
	char msg[VMT_ERROR_MSG_MAX];	/* once finished with an error: why */
	uint64_t size;		/* once finished: the image's size */
};

/* The UI's downloads; its fd is readable whenever one has news. */
struct ui_downloads *ui_downloads_new(void);
/* Stop every download and wait for their threads. */
void ui_downloads_free(struct ui_downloads *d);
int ui_downloads_fd(struct ui_downloads *d);
/*
 * Start fetching spec (image_fetch() in a thread of its own). -EBUSY when
 * this UI is fetching it already.
 */
int ui_download_start(struct ui_downloads *d, const char *spec, struct vmt_error *err);
/* Ask spec's download to stop (its .part stays); false when none runs. */
bool ui_download_stop(struct ui_downloads *d, const char *spec);
/* The state of spec's download; false when there is none. */
bool ui_download_find(struct ui_downloads *d, const char *spec,
		      struct ui_download_state *out);
/* How many run, and the state of the first one (for the status line). */
size_t ui_downloads_running(struct ui_downloads *d, struct ui_download_state *first);
/*
 * Empty the fd, then hand each finished download to done (on the UI
 * thread) and forget it. Returns whether anything changed.
 */
bool ui_downloads_reap(struct ui_downloads *d,
		       void (*done)(void *ctx, const struct ui_download_state *s),
		       void *ctx);

#endif
