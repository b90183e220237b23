// SPDX-License-Identifier: GPL-2.0-or-later
/* actions.c: what the action keys do to the selected or marked VMs, with one question before harm. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/lib/util.h"
#include "ui/app.h"

/* The VMs an action is for, carried through a confirmation. */
struct ui_targets {
	size_t n;
	size_t *conn;
	char **name;
	enum backend_action action;
};

static struct ui_targets *ui_targets_of(struct ui_vm **vms, size_t n,
					enum backend_action a)
{
	struct ui_targets *t = xcalloc(1, sizeof(*t));

	t->n = n;
	t->conn = xcalloc(n, sizeof(*t->conn));
	t->name = xcalloc(n, sizeof(*t->name));
	t->action = a;
	for (size_t i = 0; i < n; i++) {
		t->conn[i] = vms[i]->conn;
		t->name[i] = xstrdup(vms[i]->vm.info.name);
	}
	return t;
}

static void ui_targets_free(struct ui_targets *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->name[i]);
	free(t->name);
	free(t->conn);
	free(t);
}

/* "web1", "web1 and web2", "web1, web2 and 3 more". */
/* Names from libvirt have no length limit: build whole, then cut to len. */
static void ui_targets_names(const struct ui_targets *t, char *buf, size_t len)
{
	struct strbuf sb;

	strbuf_init(&sb);
	for (size_t i = 0; i < t->n && i < 3; i++)
		strbuf_addf(&sb, "%s%s", i == 0 ? "" : i + 1 == t->n ? " and " : ", ", t->name[i]);
	if (t->n > 3)
		strbuf_addf(&sb, " and %zu more", t->n - 3);
	snprintf(buf, len, "%s", sb.len ? sb.buf : "");
	strbuf_done(&sb);
}

static void ui_targets_run(struct ui *ui, struct ui_targets *t)
{
	for (size_t i = 0; i < t->n; i++) {
		struct job *job = job_new(&job_action, t->conn[i], t->name[i]);

		job->action = t->action;
		ui_submit(ui, job, NULL);
	}
	ui_status(ui, false, "%s: %zu VM%s", backend_action_name(t->action), t->n,
		  t->n == 1 ? "" : "s");
}

static void ui_targets_confirmed(struct ui *ui, void *arg, bool extra)
{
	ui_targets_run(ui, arg);
	ui_model_clear_marks(&ui->model);
}

static void ui_targets_arg_free(void *arg)
{
	ui_targets_free(arg);
}

void ui_act_power(struct ui *ui, enum backend_action a)
{
	size_t n;
	struct ui_vm **vms = ui_model_targets(&ui->model, &n);
	struct ui_targets *t;
	char names[256], text[512];

	if (!n) {
		ui_status(ui, true, "no VM selected");
		free(vms);
		return;
	}
	t = ui_targets_of(vms, n, a);
	free(vms);
	if (a != BACKEND_DESTROY) {
		ui_targets_run(ui, t);
		ui_targets_free(t);
		return;
	}
	ui_targets_names(t, names, sizeof(names));
	snprintf(text, sizeof(text),
		 "Force off %s now? Like pulling the plug: whatever the guest has not written to disk is lost.",
		 names);
	ui_push_view(ui, ui_view_confirm_new("Destroy", text, NULL, 0, ui_targets_confirmed, t,
					     ui_targets_arg_free));
}

/* Pause what runs, resume what is paused. */
void ui_act_pause(struct ui *ui)
{
	size_t n;
	struct ui_vm **vms = ui_model_targets(&ui->model, &n);

	for (size_t i = 0; i < n; i++) {
		struct job *job = job_new(&job_action, vms[i]->conn, vms[i]->vm.info.name);

		job->action = vms[i]->vm.info.state == VM_STATE_PAUSED ? BACKEND_RESUME
								       : BACKEND_PAUSE;
		ui_submit(ui, job, NULL);
	}
	if (!n)
		ui_status(ui, true, "no VM selected");
	free(vms);
}

void ui_act_autostart(struct ui *ui)
{
	size_t n;
	struct ui_vm **vms = ui_model_targets(&ui->model, &n);
	bool on = n && !vms[0]->vm.info.autostart;

	for (size_t i = 0; i < n; i++) {
		struct job *job = job_new(&job_autostart, vms[i]->conn, vms[i]->vm.info.name);

		job->flag = on;
		ui_submit(ui, job, NULL);
	}
	if (!n)
		ui_status(ui, true, "no VM selected");
	free(vms);
}

static void ui_delete_confirmed(struct ui *ui, void *arg, bool extra)
{
	struct ui_targets *t = arg;

	for (size_t i = 0; i < t->n; i++) {
		struct job *job = job_new(&job_delete, t->conn[i], t->name[i]);

		job->flag = extra;
		ui_submit(ui, job, NULL);
	}
	ui_model_clear_marks(&ui->model);
}

/* The disks def names (images, not ISOs), joined with ", "; how many. */
static size_t ui_delete_disks(const struct vm_def *def, struct strbuf *sb)
{
	size_t n = 0;

	for (size_t i = 0; def && i < def->n_disks; i++)
		if (def->disks[i].device == VM_DISK_DEVICE_DISK && def->disks[i].path) {
			strbuf_addf(sb, "%s%s", n ? ", " : "", def->disks[i].path);
			n++;
		}
	return n;
}

/*
 * Delete asks once, naming what goes: the definitions, and the disks on d.
 * With def (one VM) the question names its disks, and has no d when it has none.
 */
void ui_act_delete(struct ui *ui, const struct vm_def *def)
{
	size_t n, n_disks;
	struct ui_vm **vms = ui_model_targets(&ui->model, &n);
	struct ui_targets *t;
	char names[256];
	struct strbuf disks, text;
	bool no_disks;

	if (!n) {
		ui_status(ui, true, "no VM selected");
		free(vms);
		return;
	}
	t = ui_targets_of(vms, n, BACKEND_DESTROY);
	free(vms);
	/* The definition read is the one VM's to delete, or of no use (marks changed meanwhile). */
	if (def && (n != 1 || !str_eq(def->name, t->name[0])))
		def = NULL;
	ui_targets_names(t, names, sizeof(names));
	strbuf_init(&disks);
	strbuf_init(&text);
	n_disks = ui_delete_disks(def, &disks);
	strbuf_addf(&text, "Delete %s? A running VM is forced off first, then %s removed from vmtui and %s hypervisor. ",
		    names, n == 1 ? "its definition is" : "their definitions are",
		    n == 1 ? "its" : "their");
	if (def && !n_disks)
		strbuf_adds(&text, "It has no disks to delete.");
	else if (n_disks)
		strbuf_addf(&text, "Its disks stay (%s); press d instead of y to delete them too.",
			    disks.buf);
	else
		strbuf_addf(&text, "%s disks stay; press d instead of y to delete them too.",
			    n == 1 ? "Its" : "Their");
	/* Nothing to offer for a VM known to have no disks: d is then no answer. */
	no_disks = def && !n_disks;
	ui_push_view(ui, ui_view_confirm_new("Delete", text.buf, no_disks ? NULL : "delete disks too",
					     no_disks ? 0 : 'd', ui_delete_confirmed, t,
					     ui_targets_arg_free));
	strbuf_done(&text);
	strbuf_done(&disks);
}

bool ui_vm_withheld(struct ui *ui, size_t conn, const char *name, enum ui_action a,
		    char *why, size_t len)
{
	const struct backend *be = ui->conns[conn].be;

	if (!be)
		return false;
	if (a == UI_ACT_SNAPSHOTS && !backend_has_snapshots(be))
		snprintf(why, len, "no snapshots for %s: the %s backend (%s) does not support them",
			 name, be->ops->name, ui->conns[conn].uri);
	else if ((a == UI_ACT_EXPORT || a == UI_ACT_ADOPT) && !backend_has_xml(be))
		snprintf(why, len, "%s is %s's own: %s keeps its definition in vmtui's store, "
			 "with no domain XML to %s", name, ui->conns[conn].uri, be->ops->name,
			 a == UI_ACT_EXPORT ? "write" : "adopt");
	else
		return false;
	return true;
}

void ui_act_adopt(struct ui *ui)
{
	size_t n;
	struct ui_vm **vms = ui_model_targets(&ui->model, &n);

	for (size_t i = 0; i < n; i++)
		if (!ui_vm_refuse(ui, vms[i]->conn, vms[i]->vm.info.name, UI_ACT_ADOPT))
			ui_submit(ui, job_new(&job_adopt, vms[i]->conn, vms[i]->vm.info.name), NULL);
	if (!n)
		ui_status(ui, true, "no VM selected");
	free(vms);
}

/* The VM an export prompt is for. */
struct ui_export {
	size_t conn;
	char *name;
};

static void ui_export_free(struct ui_export *e)
{
	free(e->name);
	free(e);
}

static void ui_export_asked(struct ui *ui, void *arg, const char *text)
{
	struct ui_export *e = arg;
	struct job *job;

	if (*text) {
		job = job_new(&job_export, e->conn, e->name);
		job->text = xstrdup(text);
		ui_submit(ui, job, NULL);
	}
	ui_export_free(e);
}

static void ui_export_cancel(struct ui *ui, void *arg)
{
	ui_export_free(arg);
}

void ui_act_export(struct ui *ui)
{
	struct ui_row *row = ui_model_current(&ui->model);
	struct ui_export *e;
	char cwd[512], title[700], *initial;

	if (!row || !row->vm) {
		ui_status(ui, true, "no VM selected");
		return;
	}
	if (ui_vm_refuse(ui, row->vm->conn, row->vm->vm.info.name, UI_ACT_EXPORT))
		return;
	e = xcalloc(1, sizeof(*e));
	e->conn = row->vm->conn;
	e->name = xstrdup(row->vm->vm.info.name);
	snprintf(title, sizeof(title), "Write the domain XML of %s to a new file (in %s unless "
		 "the path says otherwise):", e->name, getcwd(cwd, sizeof(cwd)) ? cwd : ".");
	initial = xasprintf("%s.xml", e->name);
	ui_push_view(ui, ui_view_prompt_new(title, initial, 0, ui_export_asked, ui_export_cancel,
					    e));
	free(initial);
}

bool ui_vm_refuse(struct ui *ui, size_t conn, const char *name, enum ui_action a)
{
	char why[512];

	if (!ui_vm_withheld(ui, conn, name, a, why, sizeof(why)))
		return false;
	ui_status(ui, true, "%s", why);
	return true;
}

bool ui_act_verb(struct ui *ui, enum ui_action a)
{
	enum backend_action b;

	if (!ui_action_verb(a, &b))
		return false;
	/* One key pauses what runs and resumes what is paused. */
	if (b == BACKEND_PAUSE)
		ui_act_pause(ui);
	else
		ui_act_power(ui, b);
	return true;
}
