// SPDX-License-Identifier: GPL-2.0-or-later
/* actions.c: what the action keys do to the selected or marked VMs, with one question before harm. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		struct job *job = job_new(JOB_ACTION, t->conn[i], t->name[i]);

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
		struct job *job = job_new(JOB_ACTION, vms[i]->conn, vms[i]->vm.info.name);

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
		struct job *job = job_new(JOB_AUTOSTART, vms[i]->conn, vms[i]->vm.info.name);

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
		struct job *job = job_new(JOB_DELETE, t->conn[i], t->name[i]);

		job->flag = extra;
		ui_submit(ui, job, NULL);
	}
	ui_model_clear_marks(&ui->model);
}

/* Delete asks once, naming what goes: the definitions, and the disks on d. */
void ui_act_delete(struct ui *ui, const struct vm_def *def)
{
	size_t n;
	struct ui_vm **vms = ui_model_targets(&ui->model, &n);
	struct ui_targets *t;
	char names[256], text[1024];
	struct strbuf disks;

	if (!n) {
		ui_status(ui, true, "no VM selected");
		free(vms);
		return;
	}
	t = ui_targets_of(vms, n, BACKEND_DESTROY);
	free(vms);
	ui_targets_names(t, names, sizeof(names));
	strbuf_init(&disks);
	for (size_t i = 0; def && i < def->n_disks; i++)
		if (def->disks[i].device == VM_DISK_DEVICE_DISK && def->disks[i].path)
			strbuf_addf(&disks, "%s%s", disks.len ? ", " : "", def->disks[i].path);
	snprintf(text, sizeof(text),
		 "Delete %s? A running VM is forced off first, then its definition is removed from vmtui and its hypervisor. "
		 "Its disks stay%s%s%s; press d instead of y to delete them too.",
		 names, disks.len ? " (" : "", disks.len ? disks.buf : "", disks.len ? ")" : "");
	strbuf_done(&disks);
	ui_push_view(ui, ui_view_confirm_new("Delete", text, "delete disks too", 'd',
					     ui_delete_confirmed, t, ui_targets_arg_free));
}
