// SPDX-License-Identifier: GPL-2.0-or-later
/* view-images.c: the cloud image catalogue with what the cache holds; Enter downloads one (a job with its percentage and rate), x stops or removes it. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "src/core/image.h"
#include "src/lib/util.h"
#include "ui/app.h"

struct ui_images {
	struct image_catalog cat;
	struct image_cached *cached;
	size_t n_cached;
	unsigned gen;		/* ui->downloads_gen when the cache was read */
	char *error;		/* why the catalogue or the cache could not be read */
	size_t cursor, top;
};

void ui_download_describe(const struct ui_download_state *s, char *buf, size_t len)
{
	char done[16], total[16], rate[24] = "";

	ui_fmt_bytes(done, sizeof(done), (double)s->done);
	ui_fmt_bytes(total, sizeof(total), (double)s->total);
	if (s->rate > 0)
		ui_fmt_rate(rate, sizeof(rate), s->rate);
	if (s->stopping)
		snprintf(buf, len, "stopping");
	else if (!s->started)
		snprintf(buf, len, "starting");
	else if (s->phase == IMAGE_PHASE_CHECKSUMS)
		snprintf(buf, len, "reading checksums");
	else if (s->phase == IMAGE_PHASE_VERIFY)
		snprintf(buf, len, "verifying %d%%",
			 s->total ? (int)(s->done * 100 / s->total) : 0);
	else if (s->total)
		snprintf(buf, len, "%d%% of %s %s", (int)(s->done * 100 / s->total), total, rate);
	else
		snprintf(buf, len, "%s %s", done, rate);
}

/* The catalogue and the cache, read again (after a download ended, a removal). */
static void ui_images_load(struct ui *ui, struct ui_images *im)
{
	struct vmt_error err;

	image_catalog_done(&im->cat);
	image_cache_list_free(im->cached, im->n_cached);
	im->cached = NULL;
	im->n_cached = 0;
	vm_def_set_str(&im->error, NULL);
	if (image_catalog_load(&im->cat, &err) < 0 ||
	    image_cache_list(&im->cached, &im->n_cached, &err) < 0)
		vm_def_set_str(&im->error, err.msg);
	im->gen = ui->downloads_gen;
}

/* Rows: the catalogue, then what the cache holds from elsewhere (URLs). */
static size_t ui_images_rows(const struct ui_images *im)
{
	size_t n = im->cat.n;

	for (size_t i = 0; i < im->n_cached; i++)
		if (!image_catalog_find(&im->cat, im->cached[i].key))
			n++;
	return n;
}

/* Row i: its name, and its catalogue entry (NULL for a cached URL). */
static const char *ui_images_row(const struct ui_images *im, size_t i,
				 const struct image_entry **e)
{
	*e = NULL;
	if (i < im->cat.n) {
		*e = &im->cat.entries[i];
		return (*e)->name;
	}
	i -= im->cat.n;
	for (size_t k = 0; k < im->n_cached; k++) {
		if (image_catalog_find(&im->cat, im->cached[k].key))
			continue;
		if (i-- == 0)
			return im->cached[k].key;
	}
	return NULL;
}

static void ui_images_state(struct ui *ui, const struct ui_images *im, const char *name,
			    char *buf, size_t len)
{
	const struct image_cached *c = image_cache_find(im->cached, im->n_cached, name);
	struct ui_download_state s;
	char size[16];

	if (ui_download_find(ui->downloads, name, &s) && !s.finished) {
		ui_download_describe(&s, buf, len);
	} else if (c && c->size) {
		ui_fmt_bytes(size, sizeof(size), (double)c->size);
		snprintf(buf, len, "cached %s", size);
	} else if (c && c->part_size) {
		ui_fmt_bytes(size, sizeof(size), (double)c->part_size);
		snprintf(buf, len, "cut at %s", size);
	} else {
		snprintf(buf, len, "-");
	}
}

static void ui_images_draw_row(struct ui *ui, struct ui_images *im, size_t i, int row, int w)
{
	const struct image_entry *e;
	const char *name = ui_images_row(im, i, &e);
	const struct image_cached *c = image_cache_find(im->cached, im->n_cached, name);
	attr_t attr = i == im->cursor ? ui->theme.attr[UI_EL_SELECTED] : 0;
	char state[96];

	ui_images_state(ui, im, name, state, sizeof(state));
	ui_fill(row, 0, w, attr);
	ui_putf(row, 1, w - 1, attr, "%-14.14s %-6s %-8.8s %-26.26s %s", name,
		image_format_name(e ? e->format : c->format), e ? e->user : "-", state,
		e ? e->title : c->url);
}

static void ui_images_draw(struct ui *ui, struct ui_view *v, int y, int x, int h, int w)
{
	struct ui_images *im = v->priv;
	size_t n;
	int rows = h - 2;

	if (im->gen != ui->downloads_gen)
		ui_images_load(ui, im);
	n = ui_images_rows(im);
	if (im->cursor >= n)
		im->cursor = n ? n - 1 : 0;
	if (im->cursor < im->top)
		im->top = im->cursor;
	if (rows > 0 && im->cursor >= im->top + (size_t)rows)
		im->top = im->cursor - (size_t)rows + 1;
	ui_fill(y, 0, w, ui->theme.attr[UI_EL_COLHEAD]);
	ui_putf(y, 1, w - 1, ui->theme.attr[UI_EL_COLHEAD], "%-14s %-6s %-8s %-26s %s",
		"IMAGE", "FORMAT", "USER", "CACHE", "WHAT");
	for (int r = 0; r < rows && im->top + (size_t)r < n; r++)
		ui_images_draw_row(ui, im, im->top + (size_t)r, y + 1 + r, w);
	ui_put(y + h - 1, 1, w - 1, ui->theme.attr[im->error ? UI_EL_ERROR : UI_EL_DIM],
	       im->error ? im->error
			 : "Enter: download into the cache and verify   x: stop it, or remove from the cache",
	       false);
}

/* Confirmed: the core removes it, unless VMs read through it (it asks the store). */
static void ui_images_removed(struct ui *ui, void *arg, bool extra)
{
	struct job *job = job_new(&job_image_rm, 0, NULL);

	job->text = xstrdup(arg);
	ui_submit(ui, job, ui->views[ui->n_views - 1]);
}

static void ui_images_job(struct ui *ui, struct ui_view *v, struct job *job)
{
	ui_job_report(ui, job);
	ui->downloads_gen++;
}

/* x: a running download stops (its .part stays); else the cached image goes, once confirmed. */
static void ui_images_remove(struct ui *ui, struct ui_images *im, const char *name)
{
	char *text;

	if (ui_download_stop(ui->downloads, name)) {
		ui_status(ui, false, "stopping the download of %s", name);
		return;
	}
	if (!image_cache_find(im->cached, im->n_cached, name)) {
		ui_status(ui, true, "%s is not in the image cache", name);
		return;
	}
	text = xasprintf("Remove %s from the image cache?", name);
	ui_push_view(ui, ui_view_confirm_new("Remove image", text, NULL, 0, ui_images_removed,
					     xstrdup(name), free));
	free(text);
}

void ui_pull_image(struct ui *ui, const char *spec)
{
	struct vmt_error err;

	if (ui_download_start(ui->downloads, spec, &err) < 0) {
		ui_status(ui, true, "%s", err.msg);
		return;
	}
	/* The status line follows the download from now on. */
	free(ui->status);
	ui->status = NULL;
	ui->status_until = 0;
	ui->dirty = true;
}

static const enum ui_action ui_images_actions[] = {
	UI_ACT_UP, UI_ACT_DOWN, UI_ACT_PGUP, UI_ACT_PGDN, UI_ACT_HOME, UI_ACT_END,
	UI_ACT_PULL, UI_ACT_DELETE, UI_ACT_CLOSE, UI_ACT_IMAGES, UI_ACT_HELP,
};

static void ui_images_key(struct ui *ui, struct ui_view *v, int key, bool is_char)
{
	struct ui_images *im = v->priv;
	enum ui_action a = ui_keymap_match(&ui->keys, key, ui_images_actions,
					   ARRAY_SIZE(ui_images_actions));
	size_t n = ui_images_rows(im), page = ui->rows > 8 ? (size_t)ui->rows - 6 : 1;
	const struct image_entry *e;
	const char *name = n ? ui_images_row(im, im->cursor, &e) : NULL;

	switch (a) {
	case UI_ACT_UP: im->cursor -= im->cursor > 0; break;
	case UI_ACT_DOWN: im->cursor += im->cursor + 1 < n; break;
	case UI_ACT_PGUP: im->cursor = im->cursor > page ? im->cursor - page : 0; break;
	case UI_ACT_PGDN: im->cursor = n && im->cursor + page < n ? im->cursor + page : n ? n - 1 : 0; break;
	case UI_ACT_HOME: im->cursor = 0; break;
	case UI_ACT_END: im->cursor = n ? n - 1 : 0; break;
	case UI_ACT_PULL:
		if (name)
			ui_pull_image(ui, e ? name : image_cache_find(im->cached, im->n_cached, name)->url);
		break;
	case UI_ACT_DELETE:
		if (name)
			ui_images_remove(ui, im, name);
		break;
	case UI_ACT_HELP: ui_push_view(ui, ui_view_help_new(ui)); break;
	case UI_ACT_CLOSE:
	case UI_ACT_IMAGES: ui_pop_view(ui); break;
	default: break;
	}
}

static void ui_images_free(struct ui_view *v)
{
	struct ui_images *im = v->priv;

	image_catalog_done(&im->cat);
	image_cache_list_free(im->cached, im->n_cached);
	free(im->error);
	free(im);
	free(v);
}

static const enum ui_action ui_images_hints[] = {
	UI_ACT_CLOSE, UI_ACT_PULL, UI_ACT_DELETE, UI_ACT_UP, UI_ACT_DOWN, UI_ACT_HELP,
};

static const struct ui_view_ops ui_images_ops = {
	.name = "images",
	.draw = ui_images_draw,
	.key = ui_images_key,
	.job = ui_images_job,
	.free = ui_images_free,
	.hints = ui_images_hints,
	.n_hints = ARRAY_SIZE(ui_images_hints),
};

struct ui_view *ui_view_images_new(struct ui *ui)
{
	struct ui_view *v = xcalloc(1, sizeof(*v));
	struct ui_images *im = xcalloc(1, sizeof(*im));

	image_catalog_init(&im->cat);
	ui_images_load(ui, im);
	v->ops = &ui_images_ops;
	v->priv = im;
	return v;
}
