// SPDX-License-Identifier: GPL-2.0-or-later
/* jobs.c: the jobs the views ask for: the call each makes in its worker, and the words for what it did. */
#include "config.h"

#include "ui/app.h"

/* How a job that changed something ended, when no view waits for it; the connection is read again. */
static void job_changed(struct ui *ui, struct job *job)
{
	ui_job_report(ui, job);
	ui_refresh_conn(ui, job->conn);
}

void ui_job_report(struct ui *ui, const struct job *job)
{
	if (job->result < 0)
		ui_status(ui, true, "%s", job->err.msg);
	else if (job->kind->say)
		job->kind->say(ui, job);
	else if (job->kind->said)
		ui_status(ui, false, "%s %s", job->name ? job->name : "", job->kind->said);
}

static int action_run(struct core *c, struct backend *be, struct job *job)
{
	return core_action(c, be, job->action, job->name, &job->err);
}

static void action_say(struct ui *ui, const struct job *job)
{
	ui_status(ui, false, "%s %s", job->name, backend_action_name(job->action));
}

const struct job_kind job_action = {
	.name = "action", .run = action_run, .say = action_say, .done = job_changed,
};

/*
 * The form downloads an image before it asks for the VM (with its
 * progress on the screen), so this fetch finds it in the cache.
 */
static int create_run(struct core *c, struct backend *be, struct job *job)
{
	struct core_image_req req = { .image = job->text, .ssh_key = job->text2,
				      .disk_size = job->size };

	if (!job->text)
		return core_create(c, be, job->def, &job->err);
	return core_create_image(c, be, job->def, &req, &job->err);
}

const struct job_kind job_create = {
	.name = "create", .run = create_run, .said = "created", .done = job_changed,
};

static int get_def_run(struct core *c, struct backend *be, struct job *job)
{
	return core_get_def(c, be, job->name, &job->def, &job->err);
}

const struct job_kind job_get_def = { .name = "get-def", .run = get_def_run };

static int edit_run(struct core *c, struct backend *be, struct job *job)
{
	return core_edit(c, be, job->def, &job->edit, &job->err);
}

const struct job_kind job_edit = {
	.name = "edit", .run = edit_run, .said = "changed", .done = job_changed,
};

static int delete_run(struct core *c, struct backend *be, struct job *job)
{
	return core_delete(c, be, job->name, job->flag, true, &job->err);
}

const struct job_kind job_delete = {
	.name = "delete", .run = delete_run, .said = "deleted", .done = job_changed,
};

static int clone_run(struct core *c, struct backend *be, struct job *job)
{
	if (job->text2)
		return core_clone_snapshot(c, be, job->name, job->text2, job->text, job->flags,
					   NULL, &job->err);
	return core_clone(c, be, job->name, job->text, job->flags, NULL, &job->err);
}

static void clone_say(struct ui *ui, const struct job *job)
{
	ui_status(ui, false, "cloned %s%s%s to %s%s", job->name,
		  job->text2 ? "'s snapshot " : "", job->text2 ? job->text2 : "", job->text,
		  job->flags & CORE_CLONE_START ? ", and started it" : "");
}

const struct job_kind job_clone = {
	.name = "clone", .run = clone_run, .say = clone_say, .done = job_changed,
};

static int detail_run(struct core *c, struct backend *be, struct job *job)
{
	return core_show(c, be, job->name, &job->detail, &job->err);
}

const struct job_kind job_detail = { .name = "detail", .run = detail_run };

static int snap_list_run(struct core *c, struct backend *be, struct job *job)
{
	return backend_snapshot_list(be, job->name, &job->snaps, &job->n_snaps, &job->err);
}

const struct job_kind job_snap_list = { .name = "snapshot-list", .run = snap_list_run };

/* Snapshots that change something go through the core, which records them. */
static int snap_create_run(struct core *c, struct backend *be, struct job *job)
{
	return core_snapshot_create(c, be, job->name, job->text, job->text2, &job->err);
}

static int snap_revert_run(struct core *c, struct backend *be, struct job *job)
{
	return core_snapshot_revert(c, be, job->name, job->text, &job->err);
}

static int snap_delete_run(struct core *c, struct backend *be, struct job *job)
{
	return core_snapshot_delete(c, be, job->name, job->text, &job->err);
}

static void snap_say(struct ui *ui, const struct job *job)
{
	ui_status(ui, false, "snapshot %s of %s: done", job->text, job->name);
}

const struct job_kind job_snap_create = {
	.name = "snapshot-create", .run = snap_create_run, .say = snap_say, .done = job_changed,
};
const struct job_kind job_snap_revert = {
	.name = "snapshot-revert", .run = snap_revert_run, .say = snap_say, .done = job_changed,
};
const struct job_kind job_snap_delete = {
	.name = "snapshot-delete", .run = snap_delete_run, .say = snap_say, .done = job_changed,
};

static int history_run(struct core *c, struct backend *be, struct job *job)
{
	return core_history(c, (const char *const *)job->names, job->n_names, job->name,
			    UI_HISTORY_LIMIT, &job->events, &job->n_events, &job->err);
}

const struct job_kind job_history = { .name = "history", .run = history_run, .store_only = true };

static int autostart_run(struct core *c, struct backend *be, struct job *job)
{
	return core_autostart(c, be, job->name, job->flag, &job->err);
}

static void autostart_say(struct ui *ui, const struct job *job)
{
	ui_status(ui, false, "%s %s", job->name,
		  job->flag ? "starts with the host (autostart on)"
			    : "does not start with the host (autostart off)");
}

const struct job_kind job_autostart = {
	.name = "autostart", .run = autostart_run, .say = autostart_say, .done = job_changed,
};

static int image_rm_run(struct core *c, struct backend *be, struct job *job)
{
	return core_image_remove(c, job->text, &job->size, &job->err);
}

static void image_rm_say(struct ui *ui, const struct job *job)
{
	char size[16];

	ui_fmt_bytes(size, sizeof(size), (double)job->size);
	ui_status(ui, false, "%s removed from the image cache (%s freed)", job->text, size);
}

/* The images view, when it opens again, reads the cache anew. */
static void image_rm_done(struct ui *ui, struct job *job)
{
	ui_job_report(ui, job);
	ui->downloads_gen++;
}

const struct job_kind job_image_rm = {
	.name = "image-remove", .run = image_rm_run, .store_only = true, .say = image_rm_say,
	.done = image_rm_done,
};

static int disk_resize_run(struct core *c, struct backend *be, struct job *job)
{
	return core_disk_resize(c, be, job->name, job->flags, job->size, &job->err);
}

static void disk_resize_say(struct ui *ui, const struct job *job)
{
	ui_status(ui, false, "disk %u of %s is %.2f GiB", job->flags + 1, job->name,
		  (double)job->size / (1ull << 30));
}

const struct job_kind job_disk_resize = {
	.name = "disk-resize", .run = disk_resize_run, .say = disk_resize_say, .done = job_changed,
};

/* A connection's pools, volumes and networks; what it has none of (kvm:///) is left out. */
static int host_run(struct core *c, struct backend *be, struct job *job)
{
	int r = backend_pool_list(be, &job->pools, &job->n_pools, &job->err);

	if (r == 0)
		r = backend_vol_list(be, NULL, &job->vols, &job->n_vols, &job->err);
	if (r == 0)
		job->flags |= JOB_HOST_HAS_STORAGE;
	else if (r != -ENOTSUP)
		return r;
	r = backend_net_list(be, &job->nets, &job->n_nets, &job->err);
	if (r == 0)
		job->flags |= JOB_HOST_HAS_NETWORKS;
	return r == -ENOTSUP ? 0 : r;
}

const struct job_kind job_host = { .name = "host", .run = host_run };

static int vol_run(struct core *c, struct backend *be, struct job *job)
{
	switch (job->flags) {
	case JOB_VOL_CREATE:
		return backend_vol_create(be, job->text, job->text2, job->size,
					  VM_DISK_FORMAT_AUTO, &job->err);
	case JOB_VOL_RESIZE:
		return backend_vol_resize(be, job->text, job->text2, job->size, &job->err);
	default:
		return backend_vol_delete(be, job->text, job->text2, &job->err);
	}
}

static void vol_say(struct ui *ui, const struct job *job)
{
	if (job->flags == JOB_VOL_DELETE)
		ui_status(ui, false, "deleted volume %s of pool %s", job->text2, job->text);
	else
		ui_status(ui, false, "volume %s of pool %s is %.2f GiB%s", job->text2, job->text,
			  (double)job->size / (1ull << 30),
			  job->flags == JOB_VOL_CREATE ? " (new)" : "");
}

const struct job_kind job_vol = {
	.name = "volume", .run = vol_run, .say = vol_say, .done = job_changed,
};

static int net_run(struct core *c, struct backend *be, struct job *job)
{
	return job->flag ? backend_net_start(be, job->text, &job->err)
			 : backend_net_stop(be, job->text, &job->err);
}

static void net_say(struct ui *ui, const struct job *job)
{
	ui_status(ui, false, "network %s %s", job->text, job->flag ? "started" : "stopped");
}

const struct job_kind job_net = {
	.name = "network", .run = net_run, .say = net_say, .done = job_changed,
};

static int adopt_run(struct core *c, struct backend *be, struct job *job)
{
	return core_adopt(c, be, job->name, &job->err);
}

const struct job_kind job_adopt = {
	.name = "adopt", .run = adopt_run, .said = "is kept in vmtui now (adopted)",
	.done = job_changed,
};

static int export_run(struct core *c, struct backend *be, struct job *job)
{
	return core_export_file(c, be, job->name, job->text, &job->err);
}

static void export_say(struct ui *ui, const struct job *job)
{
	ui_status(ui, false, "wrote the domain XML of %s to %s", job->name, job->text);
}

/* Writing a file changes nothing on the connection: it is not read again. */
static void export_done(struct ui *ui, struct job *job)
{
	ui_job_report(ui, job);
}

const struct job_kind job_export = {
	.name = "export", .run = export_run, .say = export_say, .done = export_done,
};

static int import_run(struct core *c, struct backend *be, struct job *job)
{
	return core_import_file(c, be, job->text, &job->def, &job->err);
}

static void import_say(struct ui *ui, const struct job *job)
{
	ui_status(ui, false, "imported %s from %s on %s", job->def->name, job->text,
		  ui->conns[job->conn].uri);
}

const struct job_kind job_import = {
	.name = "import", .run = import_run, .say = import_say, .done = job_changed,
};
