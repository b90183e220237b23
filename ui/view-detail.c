// SPDX-License-Identifier: GPL-2.0-or-later
/* view-detail.c: one VM in full: definition, console, graphs and snapshots, as tabs. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "src/lib/util.h"
#include "ui/app.h"
#include "ui/graph.h"

/* How often the info tab asks for the VM's details again while open. */
#define UI_DETAIL_RELOAD_NS 3000000000ull

struct ui_detail {
	size_t conn;
	char *name;
	int tab;
	struct core_vm_detail d;
	bool have_d, loading;
	uint64_t next_load_ns;
	struct vm_snapshot *snaps;
	size_t n_snaps, snap_cur;
	bool snaps_loading;
	char *new_snap;		/* name typed, waiting for its description */
};

static struct ui_detail *ui_detail(struct ui_view *v)
{
	return v->priv;
}

static const char *const ui_tab_names[UI_N_TABS] = { "Info", "Console", "Stats", "Snapshots" };

static void ui_detail_load(struct ui *ui, struct ui_view *v)
{
	struct ui_detail *d = ui_detail(v);

	if (d->loading)
		return;
	d->loading = true;
	d->next_load_ns = time_mono_ns() + UI_DETAIL_RELOAD_NS;
	ui_submit(ui, job_new(&job_detail, d->conn, d->name), v);
}

static void ui_detail_load_snaps(struct ui *ui, struct ui_view *v)
{
	struct ui_detail *d = ui_detail(v);

	if (d->snaps_loading)
		return;
	d->snaps_loading = true;
	ui_submit(ui, job_new(&job_snap_list, d->conn, d->name), v);
}

/* The action a tab stands for, as far as a backend may lack it. */
static enum ui_action ui_tab_action(int tab)
{
	return tab == UI_TAB_SNAPSHOTS ? UI_ACT_SNAPSHOTS : UI_ACT_NONE;
}

static bool ui_detail_tab_offered(struct ui *ui, struct ui_detail *d, int tab)
{
	char why[512];

	return !ui_vm_withheld(ui, d->conn, d->name, ui_tab_action(tab), why, sizeof(why));
}

/* Go to a tab, or say why this VM has no such tab and stay. */
static void ui_detail_set_tab(struct ui *ui, struct ui_view *v, int tab)
{
	struct ui_detail *d = ui_detail(v);

	tab = (tab + UI_N_TABS) % UI_N_TABS;
	if (ui_vm_refuse(ui, d->conn, d->name, ui_tab_action(tab)))
		return;
	d->tab = tab;
	if (d->tab == UI_TAB_CONSOLE)
		ui_open_console(ui, d->conn, d->name);
	else if (d->tab == UI_TAB_SNAPSHOTS)
		ui_detail_load_snaps(ui, v);
}

/* Tab and Shift-Tab pass over the tabs this VM does not have. */
static void ui_detail_cycle(struct ui *ui, struct ui_view *v, int dir)
{
	struct ui_detail *d = ui_detail(v);
	int tab = d->tab;

	do
		tab = (tab + dir + UI_N_TABS) % UI_N_TABS;
	while (tab != d->tab && !ui_detail_tab_offered(ui, d, tab));
	ui_detail_set_tab(ui, v, tab);
}

static void ui_detail_tabs(struct ui *ui, struct ui_detail *d, int y, int w)
{
	int x = 1;

	ui_fill(y, 0, w, ui->theme.attr[UI_EL_COLHEAD]);
	x += ui_putf(y, x, w - x, ui->theme.attr[UI_EL_COLHEAD] | A_BOLD, "%s ", d->name);
	for (int i = 0; i < UI_N_TABS; i++)
		if (ui_detail_tab_offered(ui, d, i))
			x += ui_putf(y, x, w - x,
				     i == d->tab ? ui->theme.attr[UI_EL_SELECTED] | A_BOLD
						 : ui->theme.attr[UI_EL_COLHEAD],
				     " %d %s ", i + 1, ui_tab_names[i]);
}

/* "label value" lines of the info tab; returns the next row. */
static int ui_detail_line(struct ui *ui, int y, int bottom, const char *label,
			  const char *value, attr_t a)
{
	if (!value || y >= bottom)
		return y;
	ui_put(y, 1, 12, ui->theme.attr[UI_EL_DIM], label, false);
	ui_put(y, 14, ui->cols - 15, a, value, false);
	return y + 1;
}

/* A line of the info tab, printf-style; returns the next row. */
static int ui_detail_linef(struct ui *ui, int y, int bottom, const char *label, attr_t a,
			   const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static int ui_detail_linef(struct ui *ui, int y, int bottom, const char *label, attr_t a,
			   const char *fmt, ...)
{
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return ui_detail_line(ui, y, bottom, label, text, a);
}

static int ui_detail_devices(struct ui *ui, const struct vm_def *def, int y, int bottom)
{
	for (size_t i = 0; i < def->n_disks && y < bottom; i++) {
		const struct vm_disk *k = &def->disks[i];
		char size[16] = "";

		if (k->size_bytes)
			ui_fmt_bytes(size, sizeof(size), (double)k->size_bytes);
		y = ui_detail_linef(ui, y, bottom, i ? "" : "Disks", 0, "%zu  %s  (%s %s%s%s%s)", i + 1,
				    k->path ? k->path : "-", vm_disk_device_name(k->device),
				    vm_disk_format_name(k->format), *size ? ", " : "", size,
				    k->readonly ? ", read-only" : "");
	}
	for (size_t i = 0; i < def->n_nics && y < bottom; i++) {
		const struct vm_nic *n = &def->nics[i];

		y = ui_detail_linef(ui, y, bottom, i ? "" : "NICs", 0, "%s%s%s  %s%s%s",
				    vm_nic_kind_name(n->kind), n->source ? ":" : "",
				    n->source ? n->source : "", n->mac, n->forwards ? "  forwards " : "",
				    n->forwards ? n->forwards : "");
	}
	return y;
}

static int ui_detail_addresses(struct ui *ui, const struct core_vm_detail *cd, int y,
			       int bottom)
{
	for (size_t i = 0; i < cd->n_addrs && y < bottom; i++) {
		const struct vm_address *a = &cd->addrs[i];
		char prefix[8] = "";

		/* 0: the source does not know the network's size. */
		if (a->prefix)
			snprintf(prefix, sizeof(prefix), "/%u", a->prefix);
		y = ui_detail_linef(ui, y, bottom, i ? "" : "Addresses", 0, "%s%s  %s  %s (%s)",
				    a->addr, prefix, a->ifname ? a->ifname : "-",
				    a->mac[0] ? a->mac : "-", a->source);
	}
	return y;
}

/* Each graphical console, with the URI a viewer opens and, over SSH, the tunnel to it. */
static int ui_detail_displays(struct ui *ui, const struct core_vm_detail *cd, int y, int bottom)
{
	if (!cd->n_displays)
		return ui_detail_line(ui, y, bottom, "Displays", "none", 0);
	for (size_t i = 0; i < cd->n_displays && y < bottom; i++) {
		const struct vm_display *disp = &cd->displays[i];
		struct vm_display local;
		char *what = core_display_summary(disp), *uri = core_display_uri(disp, NULL);
		char *tunnel = core_display_tunnel(disp, &local);
		char *local_uri = tunnel ? core_display_uri(&local, "localhost") : NULL;

		y = ui_detail_linef(ui, y, bottom, i ? "" : "Displays", 0, "%s%s%s", what,
				    uri ? ": " : "", uri ? uri : "");
		if (tunnel)
			y = ui_detail_linef(ui, y, bottom, "", 0, "through SSH: %s, then %s", tunnel,
					    local_uri ? local_uri : "a viewer on localhost");
		free(what);
		free(uri);
		free(tunnel);
		free(local_uri);
	}
	return y;
}

static int ui_detail_events(struct ui *ui, const struct core_vm_detail *cd, int y, int bottom)
{
	for (size_t i = 0; i < cd->n_events && y < bottom; i++) {
		const struct store_event *ev = &cd->events[i];
		time_t t = (time_t)ev->time;
		char when[32];

		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime(&t));
		y = ui_detail_linef(ui, y, bottom, i ? "" : "Events",
				    ev->ok ? 0 : ui->theme.attr[UI_EL_CRASHED], "%s  %s  %s%s%s", when,
				    ev->action, ev->ok ? "ok" : "error", *ev->detail ? ": " : "",
				    ev->detail);
	}
	return y;
}

static void ui_detail_info(struct ui *ui, struct ui_detail *d, int y, int h)
{
	const struct vm_def *def = d->d.def;
	const struct vm_info *info = &d->d.info;
	int bottom = y + h;
	char buf[256], mem[16];

	if (!d->have_d) {
		ui_put(y + 1, 2, ui->cols - 4, ui->theme.attr[UI_EL_DIM], "loading...", false);
		return;
	}
	snprintf(buf, sizeof(buf), "%s%s%s%s", vm_state_name(info->state),
		 info->reason ? " (" : "", info->reason ? info->reason : "", info->reason ? ")" : "");
	y = ui_detail_line(ui, y, bottom, "State", buf, ui_state_attr(ui, info->state));
	y = ui_detail_line(ui, y, bottom, "UUID", def->uuid, 0);
	y = ui_detail_line(ui, y, bottom, "Connection", ui->conns[d->conn].uri, 0);
	ui_fmt_bytes(mem, sizeof(mem), (double)def->memory_mib * 1024 * 1024);
	snprintf(buf, sizeof(buf), "%u vCPU%s, %s memory%s", def->vcpus, def->vcpus == 1 ? "" : "s",
		 mem, info->autostart ? ", starts with the host" : "");
	y = ui_detail_line(ui, y, bottom, "Size", buf, 0);
	y = ui_detail_line(ui, y, bottom, "Kernel", def->kernel, 0);
	y = ui_detail_line(ui, y, bottom, "Initrd", def->initrd, 0);
	y = ui_detail_line(ui, y, bottom, "Cmdline", def->cmdline, 0);
	y = ui_detail_line(ui, y, bottom, "Boot", def->boot_order, 0);
	y = ui_detail_devices(ui, def, y, bottom);
	y = ui_detail_addresses(ui, &d->d, y, bottom);
	y = ui_detail_displays(ui, &d->d, y, bottom);
	y = ui_detail_line(ui, y, bottom, "Group", def->group, 0);
	y = ui_detail_line(ui, y, bottom, "Notes", def->notes, 0);
	y = ui_detail_line(ui, y, bottom, "Managed",
			   d->d.managed ? "yes: vmtui keeps its definition"
					: "no: created outside vmtui", 0);
	y = ui_detail_line(ui, y, bottom, "Log", d->d.log_path, 0);
	ui_detail_events(ui, &d->d, y, bottom);
}

static void ui_detail_stats(struct ui *ui, struct ui_detail *d, int y, int h)
{
	static const struct {
		enum ui_series s;
		const char *title;
		enum ui_graph_unit unit;
		double max;
		unsigned group;
	} graphs[] = {
		{ UI_SERIES_CPU, "CPU", UI_GRAPH_PERCENT, 100, VM_STATS_CPU },
		{ UI_SERIES_MEM, "Memory", UI_GRAPH_MIB, 0, VM_STATS_MEM },
		{ UI_SERIES_DISK_RD, "Disk read", UI_GRAPH_RATE, 0, VM_STATS_BLOCK },
		{ UI_SERIES_DISK_WR, "Disk write", UI_GRAPH_RATE, 0, VM_STATS_BLOCK },
		{ UI_SERIES_NET_RX, "Net receive", UI_GRAPH_RATE, 0, VM_STATS_NET },
		{ UI_SERIES_NET_TX, "Net transmit", UI_GRAPH_RATE, 0, VM_STATS_NET },
	};
	struct ui_vm *vm = ui_model_find(&ui->model, d->conn, d->name);
	int gh = (h - 1) / 3, gw = ui->cols / 2;

	ui_putf(y, 1, ui->cols - 2, ui->theme.attr[UI_EL_DIM],
		"every %.1f s (+ faster, - slower)%s", ui->refresh_s,
		vm && vm->hist ? "" : "; no samples yet: the VM is not running, or its backend gives none");
	for (size_t i = 0; i < ARRAY_SIZE(graphs); i++) {
		int gy = y + 1 + (int)(i / 2) * gh, gx = (int)(i % 2) * gw + 1;

		if (vm && ui_vm_rates(vm)->have && !(ui_vm_rates(vm)->have & graphs[i].group))
			ui_graph_draw_missing(&ui->theme, graphs[i].title, gy, gx, gh, gw - 2);
		else
			ui_graph_draw(&ui->theme, vm ? vm->hist : NULL, graphs[i].s,
				      graphs[i].title, graphs[i].unit, graphs[i].max, gy, gx,
				      gh, gw - 2);
	}
}

static void ui_detail_snaps(struct ui *ui, struct ui_detail *d, int y, int h)
{
	if (d->snaps_loading && !d->snaps) {
		ui_put(y + 1, 2, ui->cols - 4, ui->theme.attr[UI_EL_DIM], "loading...", false);
		return;
	}
	ui_putf(y, 1, ui->cols - 2, ui->theme.attr[UI_EL_DIM],
		"c: take a snapshot   r: revert to the selected one   x: delete it   %s: clone from it",
		ui_keymap_label(&ui->keys, UI_ACT_CLONE));
	if (!d->n_snaps)
		ui_put(y + 2, 2, ui->cols - 4, ui->theme.attr[UI_EL_DIM], "No snapshots.", false);
	for (size_t i = 0; i < d->n_snaps && (int)i < h - 2; i++) {
		const struct vm_snapshot *s = &d->snaps[i];
		attr_t a = i == d->snap_cur ? ui->theme.attr[UI_EL_SELECTED] : 0;
		time_t t = (time_t)s->created;
		char when[32];

		strftime(when, sizeof(when), "%Y-%m-%d %H:%M", localtime(&t));
		ui_fill(y + 1 + (int)i, 0, ui->cols, a);
		ui_putf(y + 1 + (int)i, 1, ui->cols - 2, a, "%-20s %-16s %-9s %s%s", s->name, when,
			vm_state_name(s->state), s->description ? s->description : "",
			s->current ? "  (current)" : "");
	}
}

static void ui_detail_draw(struct ui *ui, struct ui_view *v, int y, int x, int h, int w)
{
	struct ui_detail *d = ui_detail(v);

	if (time_mono_ns() >= d->next_load_ns)
		ui_detail_load(ui, v);
	ui_detail_tabs(ui, d, y, w);
	switch (d->tab) {
	case UI_TAB_INFO: ui_detail_info(ui, d, y + 1, h - 1); break;
	case UI_TAB_STATS: ui_detail_stats(ui, d, y + 1, h - 1); break;
	case UI_TAB_SNAPSHOTS: ui_detail_snaps(ui, d, y + 1, h - 1); break;
	case UI_TAB_CONSOLE:
		if (ui->console && ui_console_conn(ui->console) == d->conn &&
		    str_eq(ui_console_name(ui->console), d->name)) {
			ui_console_resize(ui->console, h - 1, w);
			ui_console_draw(ui->console, &ui->theme, y + 1, 0, h - 1, w, ui->console_focus);
		} else {
			ui_put(y + 2, 2, w - 4, ui->theme.attr[UI_EL_DIM],
			       "No console open: C opens it.", false);
		}
		break;
	}
}

/* Snapshot keys: c takes one (asking a name, then a description), r reverts, x deletes. */
static void ui_snap_submit(struct ui *ui, struct ui_view *v, const struct job_kind *kind,
			   const char *snap, const char *desc)
{
	struct ui_detail *d = ui_detail(v);
	struct job *job = job_new(kind, d->conn, d->name);

	job->text = xstrdup(snap);
	job->text2 = xstrdup_or_null(desc);
	ui_submit(ui, job, v);
}

static void ui_snap_described(struct ui *ui, void *arg, const char *text)
{
	struct ui_view *v = arg;
	struct ui_detail *d = ui_detail(v);

	if (!ui_view_alive(ui, v) || !d->new_snap)
		return;
	ui_snap_submit(ui, v, &job_snap_create, d->new_snap, *text ? text : NULL);
	free(d->new_snap);
	d->new_snap = NULL;
}

static void ui_snap_named(struct ui *ui, void *arg, const char *text)
{
	struct ui_view *v = arg;

	if (!*text || !ui_view_alive(ui, v))
		return;
	vm_def_set_str(&ui_detail(v)->new_snap, text);
	ui_push_view(ui, ui_view_prompt_new("Description (may be empty)", "", 0,
					    ui_snap_described, NULL, v));
}

struct ui_snap_arg {
	struct ui_view *v;
	char *snap;
	const struct job_kind *kind;
};

static void ui_snap_confirmed(struct ui *ui, void *arg, bool extra)
{
	struct ui_snap_arg *a = arg;

	if (ui_view_alive(ui, a->v))
		ui_snap_submit(ui, a->v, a->kind, a->snap, NULL);
}

static void ui_snap_arg_free(void *arg)
{
	struct ui_snap_arg *a = arg;

	free(a->snap);
	free(a);
}

static void ui_snap_ask(struct ui *ui, struct ui_view *v, const struct job_kind *kind)
{
	struct ui_detail *d = ui_detail(v);
	struct ui_snap_arg *a;
	char text[512];

	if (d->snap_cur >= d->n_snaps)
		return;
	a = xcalloc(1, sizeof(*a));
	a->v = v;
	a->kind = kind;
	a->snap = xstrdup(d->snaps[d->snap_cur].name);
	if (kind == &job_snap_revert)
		snprintf(text, sizeof(text),
			 "Revert %s to snapshot %s? Everything the VM did since that snapshot is lost.",
			 d->name, a->snap);
	else
		snprintf(text, sizeof(text), "Delete snapshot %s of %s? It cannot be reverted to afterwards.",
			 a->snap, d->name);
	ui_push_view(ui, ui_view_confirm_new(kind == &job_snap_revert ? "Revert" : "Delete snapshot",
					     text, NULL, 0, ui_snap_confirmed, a, ui_snap_arg_free));
}

static bool ui_detail_snap_key(struct ui *ui, struct ui_view *v, int key, bool is_char)
{
	struct ui_detail *d = ui_detail(v);

	if (ui_keymap_is(&ui->keys, key, UI_ACT_DOWN) && d->snap_cur + 1 < d->n_snaps)
		d->snap_cur++;
	else if (ui_keymap_is(&ui->keys, key, UI_ACT_UP) && d->snap_cur > 0)
		d->snap_cur--;
	else if (is_char && key == 'c')
		ui_push_view(ui, ui_view_prompt_new("Name of the new snapshot", "", 0,
						    ui_snap_named, NULL, v));
	else if (is_char && key == 'r')
		ui_snap_ask(ui, v, &job_snap_revert);
	else if (is_char && key == 'x')
		ui_snap_ask(ui, v, &job_snap_delete);
	else if (ui_keymap_is(&ui->keys, key, UI_ACT_CLONE) && d->snap_cur < d->n_snaps)
		ui_push_view(ui, ui_view_clone_new(ui, d->conn, d->name, d->snaps[d->snap_cur].name));
	else
		return false;
	return true;
}

/* "N SIZE" from the prompt: grow disk N (as Info lists them) to SIZE. */
static void ui_detail_resize_asked(struct ui *ui, void *arg, const char *text)
{
	struct ui_view *v = arg;
	struct ui_detail *d;
	struct job *job;
	char num[32], size[32], rest[2];
	uint64_t index, bytes;

	if (!*text || !ui_view_alive(ui, v))
		return;
	d = ui_detail(v);
	if (sscanf(text, "%31s %31s %1s", num, size, rest) != 2 || parse_u64(num, &index) < 0 ||
	    index == 0 || index > d->d.def->n_disks) {
		ui_status(ui, true, "'%s': give a disk's number (1 to %zu) and a size, as 1 20G",
			  text, d->d.def->n_disks);
		return;
	}
	if (vm_size_parse(size, 1ull << 30, &bytes) < 0) {
		ui_status(ui, true, "size '%s' is not a positive size (GiB, or with M, G or T)", size);
		return;
	}
	job = job_new(&job_disk_resize, d->conn, d->name);
	job->flags = (unsigned)(index - 1);
	job->size = bytes;
	ui_submit(ui, job, v);
}

static void ui_detail_resize(struct ui *ui, struct ui_view *v)
{
	struct ui_detail *d = ui_detail(v);
	char title[160];

	if (!d->have_d || !d->d.def->n_disks) {
		ui_status(ui, true, "%s has no disks to grow", d->name);
		return;
	}
	snprintf(title, sizeof(title), "Grow which disk of %s to what size? (1 to %zu, as 1 20G)",
		 d->name, d->d.def->n_disks);
	ui_push_view(ui, ui_view_prompt_new(title, "", 0, ui_detail_resize_asked, NULL, v));
}

static const enum ui_action ui_detail_actions[] = {
	UI_ACT_CLOSE, UI_ACT_NEXT_TAB, UI_ACT_PREV_TAB, UI_ACT_CONSOLE, UI_ACT_STATS,
	UI_ACT_SNAPSHOTS, UI_VERB_ACTIONS UI_ACT_AUTOSTART, UI_ACT_RESIZE, UI_ACT_HISTORY, UI_ACT_ADOPT,
	UI_ACT_EXPORT, UI_ACT_FASTER,
	UI_ACT_SLOWER, UI_ACT_HELP,
};

static void ui_detail_key(struct ui *ui, struct ui_view *v, int key, bool is_char)
{
	struct ui_detail *d = ui_detail(v);
	enum ui_action a;

	if (is_char && key >= '1' && key < '1' + UI_N_TABS) {
		ui_detail_set_tab(ui, v, key - '1');
		return;
	}
	if (d->tab == UI_TAB_SNAPSHOTS && ui_detail_snap_key(ui, v, key, is_char))
		return;
	a = ui_keymap_match(&ui->keys, key, ui_detail_actions, ARRAY_SIZE(ui_detail_actions));
	if (ui_act_verb(ui, a))
		return;
	switch (a) {
	case UI_ACT_CLOSE: ui_pop_view(ui); break;
	case UI_ACT_NEXT_TAB: ui_detail_cycle(ui, v, 1); break;
	case UI_ACT_PREV_TAB: ui_detail_cycle(ui, v, -1); break;
	case UI_ACT_CONSOLE: ui_detail_set_tab(ui, v, UI_TAB_CONSOLE); break;
	case UI_ACT_STATS: ui_detail_set_tab(ui, v, UI_TAB_STATS); break;
	case UI_ACT_SNAPSHOTS: ui_detail_set_tab(ui, v, UI_TAB_SNAPSHOTS); break;
	case UI_ACT_AUTOSTART: ui_act_autostart(ui); break;
	case UI_ACT_ADOPT: ui_act_adopt(ui); break;
	case UI_ACT_EXPORT: ui_act_export(ui); break;
	case UI_ACT_RESIZE: ui_detail_resize(ui, v); break;
	case UI_ACT_HISTORY: ui_push_view(ui, ui_view_history_new(ui, d->conn, d->name)); break;
	case UI_ACT_FASTER: ui_set_refresh(ui, 0.5); break;
	case UI_ACT_SLOWER: ui_set_refresh(ui, 2); break;
	case UI_ACT_HELP: ui_push_view(ui, ui_view_help_new(ui)); break;
	default: break;
	}
}

static void ui_detail_took(struct ui *ui, struct ui_detail *d, struct job *job)
{
	d->loading = false;
	if (job->result < 0) {
		ui_status(ui, true, "%s", job->err.msg);
		return;
	}
	if (d->have_d)
		core_vm_detail_done(&d->d);
	d->d = job->detail;
	memset(&job->detail, 0, sizeof(job->detail));
	d->have_d = true;
}

static void ui_detail_took_snaps(struct ui *ui, struct ui_detail *d, struct job *job)
{
	d->snaps_loading = false;
	vm_snapshot_list_free(d->snaps, d->n_snaps);
	d->snaps = job->snaps;
	d->n_snaps = job->n_snaps;
	job->snaps = NULL;
	job->n_snaps = 0;
	if (d->snap_cur >= d->n_snaps)
		d->snap_cur = d->n_snaps ? d->n_snaps - 1 : 0;
	if (job->result < 0)
		ui_status(ui, true, "%s", job->err.msg);
}

/* Its reads fill the view; a disk resize reads the VM again, a snapshot change its snapshots. */
static void ui_detail_job(struct ui *ui, struct ui_view *v, struct job *job)
{
	struct ui_detail *d = ui_detail(v);

	if (job->kind == &job_detail) {
		ui_detail_took(ui, d, job);
	} else if (job->kind == &job_snap_list) {
		ui_detail_took_snaps(ui, d, job);
	} else if (job->kind == &job_disk_resize) {
		ui_job_report(ui, job);
		ui_detail_load(ui, v);
	} else {
		ui_job_report(ui, job);
		ui_detail_load_snaps(ui, v);
	}
}

static void ui_detail_free(struct ui_view *v)
{
	struct ui_detail *d = ui_detail(v);

	if (d->have_d)
		core_vm_detail_done(&d->d);
	vm_snapshot_list_free(d->snaps, d->n_snaps);
	free(d->new_snap);
	free(d->name);
	free(d);
	free(v);
}

static const enum ui_action ui_detail_hints[] = {
	UI_ACT_CLOSE, UI_ACT_NEXT_TAB, UI_ACT_CONSOLE, UI_ACT_STATS, UI_ACT_SNAPSHOTS,
	UI_ACT_START, UI_ACT_SHUTDOWN, UI_ACT_FASTER, UI_ACT_SLOWER,
};

static bool ui_detail_withheld(struct ui *ui, struct ui_view *v, enum ui_action a, char *why,
			       size_t len)
{
	struct ui_detail *d = ui_detail(v);

	return ui_vm_withheld(ui, d->conn, d->name, a, why, len);
}

static const struct ui_view_ops ui_detail_ops = {
	.name = "detail",
	.draw = ui_detail_draw,
	.key = ui_detail_key,
	.job = ui_detail_job,
	.free = ui_detail_free,
	.hints = ui_detail_hints,
	.n_hints = ARRAY_SIZE(ui_detail_hints),
	.withheld = ui_detail_withheld,
};

struct ui_view *ui_view_detail_new(struct ui *ui, size_t conn, const char *name, int tab)
{
	struct ui_view *v = xcalloc(1, sizeof(*v));
	struct ui_detail *d = xcalloc(1, sizeof(*d));

	d->conn = conn;
	d->name = xstrdup(name);
	v->ops = &ui_detail_ops;
	v->priv = d;
	ui_detail_load(ui, v);
	ui_detail_set_tab(ui, v, tab);
	return v;
}
