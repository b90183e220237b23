// SPDX-License-Identifier: GPL-2.0-or-later
/* view-clone.c: the clone dialog, of a VM or of one of its snapshots: the new name (checked as it is typed), full or linked disks, start or not. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/lib/util.h"
#include "ui/app.h"
#include "ui/line.h"

enum { CL_NAME, CL_DISKS, CL_START, CL_N };

static const char *const ui_clone_disks[] = {
	"full copy",
	"linked: qcow2 overlays, the original stays read-only",
};
static const char *const ui_clone_start[] = { "no", "yes" };

struct ui_clone {
	size_t conn;
	char *name;			/* the VM to clone */
	char *snap;			/* or this snapshot of it; NULL: the VM itself */
	struct ui_line line;		/* the new name */
	size_t disks, start;		/* choices: 0 or 1 */
	int focus;
	char error[VMT_ERROR_MSG_MAX];
};

/* The new name as the model checks it, and free among the connection's VMs. */
static bool ui_clone_check(struct ui *ui, struct ui_clone *cl)
{
	struct vmt_error err;

	vmt_error_clear(&err);
	if (vm_check_name(cl->line.buf, &err) == 0 && ui_model_find(&ui->model, cl->conn, cl->line.buf))
		vmt_error_set(&err, -EEXIST, "name: a VM named %s already exists on %s", cl->line.buf,
			      ui->conns[cl->conn].uri);
	snprintf(cl->error, sizeof(cl->error), "%s", err.msg);
	return !cl->error[0];
}

static void ui_clone_draw_choice(struct ui *ui, struct ui_clone *cl, int field, int y, int x,
				 int w, const char *text)
{
	attr_t a = cl->focus == field ? ui->theme.attr[UI_EL_SELECTED] : ui->theme.attr[UI_EL_FIELD];

	ui_putf(y, x, w, a, "< %s >", text);
}

static void ui_clone_draw(struct ui *ui, struct ui_view *v, int y0, int x0, int h0, int w0)
{
	struct ui_clone *cl = v->priv;
	int w = ui->cols - 8 < 76 ? ui->cols - 8 : 76, fx = 14, y, x;
	char title[128];
	attr_t label = ui->theme.attr[UI_EL_DIALOG] | A_BOLD;

	if (cl->snap)
		snprintf(title, sizeof(title), "Clone %.60s from its snapshot %.40s", cl->name, cl->snap);
	else
		snprintf(title, sizeof(title), "Clone %.80s on %.30s", cl->name, ui->conns[cl->conn].uri);
	ui_draw_dialog(ui, 8, w, title, &y, &x);
	ui_put(y + 1, x + 2, fx - 2, label, "New name", false);
	ui_put(y + 2, x + 2, fx - 2, label, "Disks", false);
	ui_put(y + 3, x + 2, fx - 2, label, "Start it", false);
	if (cl->snap)
		ui_put(y + 2, x + fx, w - fx - 2, ui->theme.attr[UI_EL_DIALOG],
		       "overlays on the snapshot's copies; a running one goes on", false);
	else
		ui_clone_draw_choice(ui, cl, CL_DISKS, y + 2, x + fx, w - fx - 2,
				     ui_clone_disks[cl->disks]);
	ui_clone_draw_choice(ui, cl, CL_START, y + 3, x + fx, w - fx - 2, ui_clone_start[cl->start]);
	ui_put(y + 4, x + 2, w - 4, ui->theme.attr[UI_EL_ERROR], cl->error, true);
	ui_put(y + 6, x + 2, w - 4, ui->theme.attr[UI_EL_DIM],
	       "Up/Down: field  Left/Right: choice  Enter: clone  Esc: cancel", false);
	/* Last: the name's cursor is where the terminal's cursor stays. */
	ui_line_draw(&cl->line, y + 1, x + fx, w - fx - 2, ui->theme.attr[UI_EL_FIELD],
		     cl->focus == CL_NAME);
}

static void ui_clone_submit(struct ui *ui, struct ui_clone *cl)
{
	struct job *job;

	if (!ui_clone_check(ui, cl)) {
		cl->focus = CL_NAME;
		return;
	}
	job = job_new(&job_clone, cl->conn, cl->name);
	job->text = xstrdup(cl->line.buf);
	job->text2 = cl->snap ? xstrdup(cl->snap) : NULL;
	job->flags = (cl->disks ? CORE_CLONE_LINKED : 0) | (cl->start ? CORE_CLONE_START : 0);
	ui_submit(ui, job, NULL);
	ui_select_later(ui, cl->conn, cl->line.buf);
	if (cl->snap)
		ui_status(ui, false, "cloning %s from its snapshot %s to %s...", cl->name, cl->snap,
			  cl->line.buf);
	else
		ui_status(ui, false, "cloning %s to %s%s...", cl->name, cl->line.buf,
			  cl->disks ? " (linked)" : "");
	ui_pop_view(ui);
}

/* Move the focus by step fields; a snapshot's clone has no disks to choose. */
static void ui_clone_focus(struct ui_clone *cl, int step)
{
	do
		cl->focus = (cl->focus + step) % CL_N;
	while (cl->snap && cl->focus == CL_DISKS);
}

static void ui_clone_key(struct ui *ui, struct ui_view *v, int key, bool is_char)
{
	struct ui_clone *cl = v->priv;
	size_t *choice = cl->focus == CL_DISKS ? &cl->disks : cl->focus == CL_START ? &cl->start : NULL;

	if (ui_key_is_enter(key, is_char)) {
		ui_clone_submit(ui, cl);
	} else if (is_char && key == 27) {
		ui_status(ui, false, "Clone: cancelled");
		ui_pop_view(ui);
	} else if (key == KEY_UP || key == KEY_BTAB) {
		ui_clone_focus(cl, CL_N - 1);
	} else if (key == KEY_DOWN || (is_char && key == '\t')) {
		ui_clone_focus(cl, 1);
	} else if (choice && (key == KEY_LEFT || key == KEY_RIGHT || (is_char && key == ' '))) {
		*choice = !*choice;
	} else if (cl->focus == CL_NAME && ui_line_key(&cl->line, key, is_char)) {
		ui_clone_check(ui, cl);
	}
}

static void ui_clone_free(struct ui_view *v)
{
	struct ui_clone *cl = v->priv;

	free(cl->name);
	free(cl->snap);
	free(cl);
	free(v);
}

static const enum ui_action ui_clone_hints[] = { UI_ACT_CLOSE };

static const struct ui_view_ops ui_clone_ops = {
	.name = "clone",
	.draw = ui_clone_draw,
	.key = ui_clone_key,
	.free = ui_clone_free,
	.hints = ui_clone_hints,
	.n_hints = ARRAY_SIZE(ui_clone_hints),
	.modal = true,
};

struct ui_view *ui_view_clone_new(struct ui *ui, size_t conn, const char *name, const char *snap)
{
	struct ui_view *v = xcalloc(1, sizeof(*v));
	struct ui_clone *cl = xcalloc(1, sizeof(*cl));
	char *initial = xasprintf("%s-clone", name);

	cl->conn = conn;
	cl->name = xstrdup(name);
	cl->snap = snap ? xstrdup(snap) : NULL;
	ui_line_set(&cl->line, initial);
	free(initial);
	ui_clone_check(ui, cl);
	v->ops = &ui_clone_ops;
	v->priv = cl;
	return v;
}
