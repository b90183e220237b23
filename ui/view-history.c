// SPDX-License-Identifier: GPL-2.0-or-later
/* view-history.c: the event history (H): what vmtui did to every VM, or to one, newest first, deleted VMs included. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "src/lib/util.h"
#include "ui/app.h"

/* While open, the history is read again this often: actions keep adding to it. */
#define UI_HISTORY_RELOAD_NS 2000000000ull

struct ui_hist {
	char *vm;		/* the one VM shown, or NULL for all */
	size_t conn;		/* the VM's connection */
	struct store_event *evs;
	size_t n;
	bool loaded, loading;
	uint64_t next_load_ns;
	size_t cursor, top;
};

/* Any open connection's worker can read the store: the first one that is idle. */
static size_t ui_hist_worker(struct ui *ui, const struct ui_hist *h)
{
	size_t pick = h->vm ? h->conn : 0;

	if (h->vm)
		return pick;
	for (size_t i = ui->n_conns; i-- > 0;)
		if (ui->conns[i].open && worker_busy_ns(ui->conns[i].worker) == 0)
			pick = i;
	return pick;
}

static void ui_hist_load(struct ui *ui, struct ui_view *v)
{
	struct ui_hist *h = v->priv;
	struct job *job;

	if (h->loading)
		return;
	h->loading = true;
	h->next_load_ns = time_mono_ns() + UI_HISTORY_RELOAD_NS;
	job = job_new(&job_history, ui_hist_worker(ui, h), h->vm);
	job->n_names = h->vm ? 1 : ui->n_conns;
	job->names = xcalloc(job->n_names, sizeof(*job->names));
	for (size_t i = 0; i < job->n_names; i++)
		job->names[i] = xstrdup(ui->conns[h->vm ? h->conn : i].uri);
	ui_submit(ui, job, v);
}

/* The CONN column: the connection's short label when the session has it. */
static const char *ui_hist_conn(struct ui *ui, const char *uri)
{
	for (size_t i = 0; i < ui->n_conns; i++)
		if (str_eq(ui->conns[i].uri, uri))
			return ui->conns[i].label;
	return uri;
}

static void ui_hist_row(struct ui *ui, struct ui_hist *h, size_t i, int y, int w)
{
	const struct store_event *ev = &h->evs[i];
	attr_t a = i == h->cursor ? ui->theme.attr[UI_EL_SELECTED] : 0;
	attr_t res = i == h->cursor ? a : ev->ok ? 0 : ui->theme.attr[UI_EL_CRASHED];
	time_t t = (time_t)ev->time;
	char when[32], vm[128];
	int x = 1;

	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime(&t));
	snprintf(vm, sizeof(vm), "%s%s", ev->vm_name, ev->deleted ? " (deleted)" : "");
	ui_fill(y, 0, w, a);
	x += ui_put(y, x, 20, a, when, true);
	x += ui_put(y, x, 9, a, ui_hist_conn(ui, ev->uri), true) + 1;
	x += ui_put(y, x, 25, a, vm, true) + 1;
	x += ui_put(y, x, 22, a, ev->action, true) + 1;
	ui_putf(y, x, w - x, res, "%s%s%s", ev->ok ? "ok" : "error", *ev->detail ? ": " : "",
		ev->detail);
}

static void ui_hist_draw(struct ui *ui, struct ui_view *v, int y, int x, int h, int w)
{
	struct ui_hist *hs = v->priv;
	int rows = h - 3;

	if (time_mono_ns() >= hs->next_load_ns)
		ui_hist_load(ui, v);
	ui_fill(y, 0, w, ui->theme.attr[UI_EL_COLHEAD]);
	if (hs->vm)
		ui_putf(y, 1, w - 1, ui->theme.attr[UI_EL_COLHEAD] | A_BOLD,
			"History of %s on %s", hs->vm, ui->conns[hs->conn].uri);
	else
		ui_put(y, 1, w - 1, ui->theme.attr[UI_EL_COLHEAD] | A_BOLD,
		       "History of every VM, deleted ones included", false);
	ui_putf(y + 1, 1, w - 1, ui->theme.attr[UI_EL_DIM], "%-20s%-10s%-26s%-23s%s", "TIME",
		"CONN", "VM", "ACTION", "RESULT");
	if (!hs->loaded) {
		ui_put(y + 3, 2, w - 4, ui->theme.attr[UI_EL_DIM], "loading...", false);
		return;
	}
	if (!hs->n)
		ui_put(y + 3, 2, w - 4, ui->theme.attr[UI_EL_DIM], "No events recorded.", false);
	if (hs->cursor < hs->top)
		hs->top = hs->cursor;
	if (rows > 0 && hs->cursor >= hs->top + (size_t)rows)
		hs->top = hs->cursor - (size_t)rows + 1;
	for (int r = 0; r < rows && hs->top + (size_t)r < hs->n; r++)
		ui_hist_row(ui, hs, hs->top + (size_t)r, y + 2 + r, w);
	ui_put(y + h - 1, 1, w - 1, ui->theme.attr[UI_EL_DIM],
	       "Enter: the selected event in full in the status line", false);
}

static const enum ui_action ui_hist_actions[] = {
	UI_ACT_UP, UI_ACT_DOWN, UI_ACT_PGUP, UI_ACT_PGDN, UI_ACT_HOME, UI_ACT_END,
	UI_ACT_DETAIL, UI_ACT_CLOSE, UI_ACT_HISTORY, UI_ACT_HELP,
};

static void ui_hist_key(struct ui *ui, struct ui_view *v, int key, bool is_char)
{
	struct ui_hist *h = v->priv;
	enum ui_action a = ui_keymap_match(&ui->keys, key, ui_hist_actions,
					   ARRAY_SIZE(ui_hist_actions));
	size_t page = ui->rows > 8 ? (size_t)ui->rows - 6 : 1;
	const struct store_event *ev = h->cursor < h->n ? &h->evs[h->cursor] : NULL;

	switch (a) {
	case UI_ACT_UP: h->cursor -= h->cursor > 0; break;
	case UI_ACT_DOWN: h->cursor += h->cursor + 1 < h->n; break;
	case UI_ACT_PGUP: h->cursor = h->cursor > page ? h->cursor - page : 0; break;
	case UI_ACT_PGDN: h->cursor = h->cursor + page < h->n ? h->cursor + page : h->n ? h->n - 1 : 0; break;
	case UI_ACT_HOME: h->cursor = 0; break;
	case UI_ACT_END: h->cursor = h->n ? h->n - 1 : 0; break;
	case UI_ACT_DETAIL:
		if (ev)
			ui_status(ui, !ev->ok, "%s%s on %s: %s: %s%s%s", ev->vm_name,
				  ev->deleted ? " (deleted)" : "", ev->uri, ev->action,
				  ev->ok ? "ok" : "error", *ev->detail ? ": " : "", ev->detail);
		break;
	case UI_ACT_HELP: ui_push_view(ui, ui_view_help_new(ui)); break;
	case UI_ACT_CLOSE:
	case UI_ACT_HISTORY: ui_pop_view(ui); break;
	default: break;
	}
}

static void ui_hist_job(struct ui *ui, struct ui_view *v, struct job *job)
{
	struct ui_hist *h = v->priv;

	h->loading = false;
	if (job->result < 0) {
		ui_status(ui, true, "%s", job->err.msg);
		return;
	}
	store_event_list_free(h->evs, h->n);
	h->evs = job->events;
	h->n = job->n_events;
	job->events = NULL;
	job->n_events = 0;
	h->loaded = true;
	if (h->cursor >= h->n)
		h->cursor = h->n ? h->n - 1 : 0;
}

static void ui_hist_free(struct ui_view *v)
{
	struct ui_hist *h = v->priv;

	store_event_list_free(h->evs, h->n);
	free(h->vm);
	free(h);
	free(v);
}

static const enum ui_action ui_hist_hints[] = {
	UI_ACT_CLOSE, UI_ACT_UP, UI_ACT_DOWN, UI_ACT_DETAIL, UI_ACT_HELP,
};

static const struct ui_view_ops ui_hist_ops = {
	.name = "history",
	.draw = ui_hist_draw,
	.key = ui_hist_key,
	.job = ui_hist_job,
	.free = ui_hist_free,
	.hints = ui_hist_hints,
	.n_hints = ARRAY_SIZE(ui_hist_hints),
};

struct ui_view *ui_view_history_new(struct ui *ui, size_t conn, const char *name)
{
	struct ui_view *v = xcalloc(1, sizeof(*v));
	struct ui_hist *h = xcalloc(1, sizeof(*h));

	h->vm = xstrdup_or_null(name);
	h->conn = conn;
	v->ops = &ui_hist_ops;
	v->priv = h;
	ui_hist_load(ui, v);
	return v;
}
