// SPDX-License-Identifier: GPL-2.0-or-later
/* view-list.c: the main list: one row per VM of every connection, sortable, filterable, grouped. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/lib/util.h"
#include "ui/app.h"

struct ui_col_def {
	const char *title;
	int width;
	bool right;		/* numbers line up on the right */
	int drop;		/* dropped first when narrow: higher goes first */
};

static const struct ui_col_def ui_cols[UI_N_COLS] = {
	[UI_COL_NAME] = { "NAME", 12, false, 0 },
	[UI_COL_CONN] = { "CONN", 6, false, 4 },
	[UI_COL_BACKEND] = { "BACKEND", 7, false, 9 },
	[UI_COL_STATE] = { "STATE", 11, false, 0 },
	[UI_COL_VCPUS] = { "VCPU", 4, true, 3 },
	[UI_COL_MEM] = { "MEM", 6, true, 3 },
	[UI_COL_CPU] = { "CPU%", 5, true, 1 },
	[UI_COL_SPARK] = { "LAST MIN", 10, false, 5 },
	[UI_COL_MEMUSE] = { "USED", 6, true, 6 },
	[UI_COL_DISK] = { "DISK/s", 7, true, 2 },
	[UI_COL_NET] = { "NET/s", 7, true, 2 },
	[UI_COL_IP] = { "IP", 15, false, 8 },
	[UI_COL_GROUP] = { "GROUP", 10, false, 7 },
};

static const enum ui_col ui_default_cols[] = {
	UI_COL_NAME, UI_COL_CONN, UI_COL_BACKEND, UI_COL_STATE, UI_COL_VCPUS,
	UI_COL_MEM, UI_COL_CPU, UI_COL_SPARK, UI_COL_MEMUSE, UI_COL_DISK,
	UI_COL_NET, UI_COL_IP,
};

struct ui_list {
	enum ui_col cols[UI_N_COLS];
	int n_cols;
	/* Laid out for the current width: */
	enum ui_col shown[UI_N_COLS];
	int x[UI_N_COLS], w[UI_N_COLS];
	int n_shown;
	int header_y;
	int rows_y, rows_h;
	int width;		/* the console pane may take the rest */
};

static struct ui_list *ui_list(struct ui_view *v)
{
	return v->priv;
}

void ui_list_set_columns(struct ui *ui, struct ui_view *v, const char *spec)
{
	struct ui_list *l = ui_list(v);
	char *copy, *save = NULL;
	int n = 0;

	if (!spec)
		goto defaults;
	copy = xstrdup(spec);
	for (char *w = strtok_r(copy, ", ", &save); w && n < UI_N_COLS; w = strtok_r(NULL, ", ", &save)) {
		enum ui_col c;

		if (ui_col_parse(w, &c) < 0) {
			ui_status(ui, true, "config: columns: no column '%s' (name, conn, backend, state, vcpus, mem, cpu, spark, memuse, disk, net, ip, group)", w);
			free(copy);
			goto defaults;
		}
		l->cols[n++] = c;
	}
	free(copy);
	if (n) {
		l->n_cols = n;
		return;
	}
defaults:
	memcpy(l->cols, ui_default_cols, sizeof(ui_default_cols));
	l->n_cols = (int)ARRAY_SIZE(ui_default_cols);
}

/* Which columns fit in w, and where; the name column takes what is left. */
static void ui_list_layout(struct ui_list *l, int w)
{
	bool keep[UI_N_COLS];
	int used, name_w;

	for (int i = 0; i < l->n_cols; i++)
		keep[i] = true;
	for (int level = 9; level >= 1; level--) {
		used = 1;
		for (int i = 0; i < l->n_cols; i++)
			if (keep[i])
				used += ui_cols[l->cols[i]].width + 1;
		if (used <= w)
			break;
		for (int i = 0; i < l->n_cols; i++)
			if (ui_cols[l->cols[i]].drop == level)
				keep[i] = false;
	}
	used = 1;
	for (int i = 0; i < l->n_cols; i++)
		if (keep[i])
			used += ui_cols[l->cols[i]].width + 1;
	name_w = ui_cols[UI_COL_NAME].width + (w > used ? w - used : 0);
	l->n_shown = 0;
	for (int i = 0, x = 1; i < l->n_cols; i++) {
		enum ui_col c = l->cols[i];

		if (!keep[i])
			continue;
		l->shown[l->n_shown] = c;
		l->x[l->n_shown] = x;
		l->w[l->n_shown] = c == UI_COL_NAME ? name_w : ui_cols[c].width;
		/* The name grows up to 32 columns; past that the gap goes to the right. */
		if (c == UI_COL_NAME && l->w[l->n_shown] > 32)
			l->w[l->n_shown] = 32;
		x += l->w[l->n_shown] + 1;
		l->n_shown++;
	}
}

/* The newest minute of CPU %, one value a character, each the mean of its samples. */
static void ui_list_spark(struct ui *ui, const struct ui_vm *vm, int y, int x, int w,
			  attr_t base)
{
	float vals[64];
	unsigned per = (unsigned)(60.0 / ui->refresh_s / w + 0.5);
	size_t n = 0;

	per = per ? per : 1;
	for (int c = 0; c < w && c < (int)ARRAY_SIZE(vals); c++) {
		float sum = 0, v;
		unsigned got = 0;

		for (unsigned k = 0; k < per; k++)
			if (ui_history_get(vm->hist, UI_SERIES_CPU, (unsigned)c * per + k, &v, NULL)) {
				sum += v;
				got++;
			}
		if (!got)
			break;
		vals[n++] = sum / (float)got;
	}
	ui_sparkline(&ui->theme, y, x, w, vals, n, 100, base | ui->theme.attr[UI_EL_GRAPH]);
}

static void ui_list_cell_text(const struct ui_vm *vm, enum ui_col c, char *buf,
			      size_t len)
{
	const struct vm_info *info = &vm->vm.info;
	const struct vm_rates *r = ui_vm_rates(vm);

	buf[0] = '\0';
	switch (c) {
	case UI_COL_NAME: snprintf(buf, len, "%s", info->name); break;
	case UI_COL_BACKEND: snprintf(buf, len, "%s", vm->vm.backend); break;
	case UI_COL_STATE: snprintf(buf, len, "%s", vm_state_name(info->state)); break;
	case UI_COL_VCPUS: snprintf(buf, len, "%u", info->vcpus); break;
	case UI_COL_MEM: ui_fmt_bytes(buf, len, (double)info->max_memory_kib * 1024); break;
	case UI_COL_CPU:
		snprintf(buf, len, r->have & VM_STATS_CPU ? "%.1f" : "-", r->cpu_pct);
		break;
	case UI_COL_MEMUSE:
		if (r->have & VM_STATS_MEM)
			ui_fmt_bytes(buf, len, (double)ui_mem_used_kib(r) * 1024);
		else
			snprintf(buf, len, "-");
		break;
	case UI_COL_DISK:
		if (r->have & VM_STATS_BLOCK)
			ui_fmt_bytes(buf, len, r->blk_rd_bps + r->blk_wr_bps);
		else
			snprintf(buf, len, "-");
		break;
	case UI_COL_NET:
		if (r->have & VM_STATS_NET)
			ui_fmt_bytes(buf, len, r->net_rx_bps + r->net_tx_bps);
		else
			snprintf(buf, len, "-");
		break;
	case UI_COL_GROUP: snprintf(buf, len, "%s", vm->vm.group ? vm->vm.group : ""); break;
	case UI_COL_IP: snprintf(buf, len, "%s", vm->ip ? vm->ip : ""); break;
	default: break;
	}
}

static void ui_list_draw_vm(struct ui *ui, struct ui_list *l, const struct ui_row *row,
			    int y, bool selected)
{
	const struct ui_vm *vm = row->vm;
	attr_t base = selected ? ui->theme.attr[UI_EL_SELECTED] : 0;

	ui_fill(y, 0, l->width, base);
	if (vm->marked)
		ui_put(y, 0, 1, base | ui->theme.attr[UI_EL_MARKED], "*", false);
	for (int i = 0; i < l->n_shown; i++) {
		enum ui_col c = l->shown[i];
		attr_t a = base;
		char text[96];

		if (c == UI_COL_SPARK) {
			if (vm->hist)
				ui_list_spark(ui, vm, y, l->x[i], l->w[i], base);
			continue;
		}
		if (c == UI_COL_CONN)
			snprintf(text, sizeof(text), "%s", ui->conns[vm->conn].label);
		else if (c == UI_COL_NAME && row->group)
			snprintf(text, sizeof(text), "  %s", vm->vm.info.name);
		else
			ui_list_cell_text(vm, c, text, sizeof(text));
		if (c == UI_COL_STATE && !selected)
			a = ui_state_attr(ui, vm->vm.info.state);
		if (c == UI_COL_NAME && vm->marked && !selected)
			a = ui->theme.attr[UI_EL_MARKED];
		if (ui_cols[c].right)
			ui_putf(y, l->x[i], l->w[i], a, "%*s", l->w[i], text);
		else
			ui_put(y, l->x[i], l->w[i], a, text, false);
	}
}

static void ui_list_draw_group(struct ui *ui, struct ui_list *l, const struct ui_row *row,
			       int y, bool selected)
{
	attr_t a = selected ? ui->theme.attr[UI_EL_SELECTED] : ui->theme.attr[UI_EL_GROUP];
	const char *arrow = row->folded ? (ui->theme.unicode ? "\u25b6" : "+")
					: (ui->theme.unicode ? "\u25bc" : "-");
	char marked[32] = "";

	ui_fill(y, 0, l->width, selected ? a : 0);
	if (row->marked)
		snprintf(marked, sizeof(marked), ", %u marked", row->marked);
	ui_putf(y, 1, l->width - 1, a, "%s %s (%u VM%s%s)%s", arrow, row->group, row->members,
		row->members == 1 ? "" : "s", marked, row->folded ? " folded" : "");
}

static void ui_list_draw_header(struct ui *ui, struct ui_list *l, int y)
{
	attr_t a = ui->theme.attr[UI_EL_COLHEAD];

	ui_fill(y, 0, l->width, a);
	for (int i = 0; i < l->n_shown; i++) {
		enum ui_col c = l->shown[i];
		char title[32];

		snprintf(title, sizeof(title), "%s%s", ui_cols[c].title,
			 ui->model.sort != c ? "" : ui->theme.unicode ? (ui->model.sort_desc ? "\u25bc" : "\u25b2")
								     : (ui->model.sort_desc ? "v" : "^"));
		if (ui_cols[c].right)
			ui_putf(y, l->x[i], l->w[i], a | (ui->model.sort == c ? A_BOLD : 0), "%*s",
				l->w[i], title);
		else
			ui_put(y, l->x[i], l->w[i], a | (ui->model.sort == c ? A_BOLD : 0), title, false);
	}
}

static void ui_list_empty(struct ui *ui, int y, int h, int w)
{
	const char *msg = ui->model.n_vms ? "No VM matches the filter (/ changes it)."
					  : "No VMs yet: press c to create one.";
	int x = (w - ui_text_width(msg)) / 2;

	x = x > 0 ? x : 0;
	ui_put(y + h / 2, x, w - x, ui->theme.attr[UI_EL_DIM], msg, false);
}

static void ui_list_draw(struct ui *ui, struct ui_view *v, int y, int x, int h, int w)
{
	struct ui_list *l = ui_list(v);
	struct ui_model *m = &ui->model;
	int rows = h - 1;

	l->width = w;
	ui_list_layout(l, w);
	ui_list_draw_header(ui, l, y);
	l->header_y = y;
	l->rows_y = y + 1;
	l->rows_h = rows;
	if (m->cursor < m->top)
		m->top = m->cursor;
	if (rows > 0 && m->cursor >= m->top + (size_t)rows)
		m->top = m->cursor - (size_t)rows + 1;
	if (m->top + (size_t)rows > m->n_rows)
		m->top = m->n_rows > (size_t)rows ? m->n_rows - (size_t)rows : 0;
	for (int r = 0; r < rows && m->top + (size_t)r < m->n_rows; r++) {
		const struct ui_row *row = &m->rows[m->top + (size_t)r];
		bool sel = m->top + (size_t)r == m->cursor;

		if (row->vm)
			ui_list_draw_vm(ui, l, row, y + 1 + r, sel);
		else
			ui_list_draw_group(ui, l, row, y + 1 + r, sel);
	}
	if (!m->n_rows)
		ui_list_empty(ui, y + 1, rows, w);
	if (m->filter)
		ui_putf(y + h - 1, w - 30, 30, ui->theme.attr[UI_EL_INFO], " filter: %s ",
			m->filter);
}

static void ui_list_move(struct ui *ui, long delta)
{
	struct ui_model *m = &ui->model;
	long c = (long)m->cursor + delta;

	if (!m->n_rows)
		return;
	c = c < 0 ? 0 : c >= (long)m->n_rows ? (long)m->n_rows - 1 : c;
	m->cursor = (size_t)c;
}

/* Ask the VM's connection for its definition; the answer decides (edit or delete). */
static void ui_list_get_def(struct ui *ui, struct ui_view *v, bool for_delete)
{
	struct ui_row *row = ui_model_current(&ui->model);
	struct ui_vm *vm = row ? row->vm : NULL, **t;
	struct job *job;
	size_t n;

	/* Delete is for the one marked VM, wherever the cursor is; edit for the cursor's. */
	if (for_delete) {
		t = ui_model_targets(&ui->model, &n);
		vm = n == 1 ? t[0] : NULL;
		free(t);
	}
	if (!vm) {
		ui_status(ui, true, "no VM selected");
		return;
	}
	job = job_new(&job_get_def, vm->conn, vm->vm.info.name);
	job->flag = for_delete;
	ui_submit(ui, job, v);
}

/* Enter folds a group; the graphs and snapshots of a group say they are a VM's. */
static void ui_list_open_detail(struct ui *ui, int tab)
{
	struct ui_row *row = ui_model_current(&ui->model);

	if (!row) {
		ui_status(ui, true, "no VM selected");
	} else if (!row->vm && tab == UI_TAB_INFO) {
		ui_model_toggle_fold(&ui->model, row->group);
		ui_model_rebuild(&ui->model);
	} else if (!row->vm) {
		ui_status(ui, true, "%s is a group: select one of its VMs to see its %s", row->group,
			  tab == UI_TAB_STATS ? "graphs" : "snapshots");
	} else if (tab != UI_TAB_SNAPSHOTS ||
		   !ui_vm_refuse(ui, row->vm->conn, row->vm->vm.info.name, UI_ACT_SNAPSHOTS)) {
		ui_push_view(ui, ui_view_detail_new(ui, row->vm->conn, row->vm->vm.info.name, tab));
	}
}

/* The host view of the selected VM's connection (the first one's on a group header). */
static void ui_list_host(struct ui *ui)
{
	struct ui_row *row = ui_model_current(&ui->model);

	ui_push_view(ui, ui_view_host_new(ui, row && row->vm ? row->vm->conn : 0));
}

static void ui_list_filter_done(struct ui *ui, void *arg, const char *text)
{
	ui_model_set_filter(&ui->model, text);
	ui_model_rebuild(&ui->model);
}

static void ui_list_sort_chosen(struct ui *ui, void *arg, size_t index)
{
	ui->model.sort = (enum ui_col)index;
	ui_model_rebuild(&ui->model);
}

static void ui_list_sort_menu(struct ui *ui)
{
	static const char *items[UI_N_COLS];

	for (int i = 0; i < UI_N_COLS; i++)
		items[i] = ui_col_name((enum ui_col)i);
	ui_push_view(ui, ui_view_menu_new("Sort by", items, UI_N_COLS, ui->model.sort,
					  ui_list_sort_chosen, NULL));
}

/* Space: the VM under the cursor, then the next row; on a group's header, its VMs. */
static void ui_list_mark(struct ui *ui)
{
	struct ui_model *m = &ui->model;
	struct ui_row *row = ui_model_current(m);
	char *group;
	size_t n;
	bool on;

	if (!row) {
		ui_status(ui, true, "no VM to mark");
	} else if (row->vm) {
		row->vm->marked = !row->vm->marked;
		/* The group's header counts its marks. */
		ui_model_rebuild(m);
		ui_list_move(ui, 1);
	} else {
		group = xstrdup(row->group);
		n = ui_model_toggle_marks(m, group, &on);
		ui_status(ui, false, "%s %zu VM%s of %s; %zu marked in all", on ? "marked" : "unmarked",
			  n, n == 1 ? "" : "s", group, ui_model_marked(m));
		free(group);
	}
}

/* *: every VM the filter shows, or none when all of them are marked. */
static void ui_list_mark_all(struct ui *ui)
{
	bool on;
	size_t n = ui_model_toggle_marks(&ui->model, NULL, &on);

	if (!n)
		ui_status(ui, true, "no VM to mark");
	else
		ui_status(ui, false, "%s all %zu VM%s shown", on ? "marked" : "unmarked", n,
			  n == 1 ? "" : "s");
}

static void ui_list_console(struct ui *ui)
{
	struct ui_row *row = ui_model_current(&ui->model);

	if (!row) {
		ui_status(ui, true, "no VM selected");
	} else if (!row->vm) {
		ui_status(ui, true, "%s is a group: select one of its VMs to open its console",
			  row->group);
	} else if (ui->console && !ui->console_focus &&
		   ui_console_conn(ui->console) == row->vm->conn &&
		   str_eq(ui_console_name(ui->console), row->vm->vm.info.name)) {
		ui->console_focus = true;
	} else {
		ui_open_console(ui, row->vm->conn, row->vm->vm.info.name);
	}
}

/* The wizard starts on the connection of the selected VM, else the first open one. */
static void ui_list_create(struct ui *ui)
{
	struct ui_row *row = ui_model_current(&ui->model);
	size_t conn = row && row->vm ? row->vm->conn : 0;

	for (size_t i = 0; !ui->conns[conn].open && i < ui->n_conns; i++)
		conn = i;
	if (!ui->conns[conn].open) {
		ui_status(ui, true, "no connection is open yet");
		return;
	}
	ui_push_view(ui, ui_view_form_new(ui, conn, NULL));
}

/* Clone asks first: the new name, full or linked, start it or not. */
static void ui_list_clone(struct ui *ui)
{
	struct ui_row *row = ui_model_current(&ui->model);

	if (!row || !row->vm) {
		ui_status(ui, true, "no VM selected");
		return;
	}
	ui_push_view(ui, ui_view_clone_new(ui, row->vm->conn, row->vm->vm.info.name, NULL));
}

static const enum ui_action ui_list_actions[] = {
	UI_ACT_UP, UI_ACT_DOWN, UI_ACT_PGUP, UI_ACT_PGDN, UI_ACT_HOME, UI_ACT_END,
	UI_ACT_DETAIL, UI_ACT_MARK, UI_ACT_MARK_ALL, UI_ACT_UNMARK_ALL, UI_VERB_ACTIONS
	UI_ACT_AUTOSTART, UI_ACT_CREATE, UI_ACT_EDIT, UI_ACT_DELETE, UI_ACT_CLONE,
	UI_ACT_CONSOLE, UI_ACT_STATS, UI_ACT_SNAPSHOTS, UI_ACT_HISTORY, UI_ACT_IMAGES, UI_ACT_HOST,
	UI_ACT_ADOPT, UI_ACT_EXPORT,
	UI_ACT_FILTER,
	UI_ACT_SORT, UI_ACT_INVERT, UI_ACT_FOLD, UI_ACT_ACTIVE, UI_ACT_LAYOUT,
	UI_ACT_FASTER, UI_ACT_SLOWER, UI_ACT_HELP, UI_ACT_QUIT, UI_ACT_CLOSE,
};

static void ui_list_navigate(struct ui *ui, enum ui_action a)
{
	struct ui_model *m = &ui->model;
	long page = ui->rows > 8 ? ui->rows - 6 : 1;

	switch (a) {
	case UI_ACT_UP: ui_list_move(ui, -1); break;
	case UI_ACT_DOWN: ui_list_move(ui, 1); break;
	case UI_ACT_PGUP: ui_list_move(ui, -page); break;
	case UI_ACT_PGDN: ui_list_move(ui, page); break;
	case UI_ACT_HOME: m->cursor = 0; break;
	case UI_ACT_END: m->cursor = m->n_rows ? m->n_rows - 1 : 0; break;
	default: break;
	}
}

static void ui_list_view_keys(struct ui *ui, enum ui_action a)
{
	struct ui_model *m = &ui->model;
	struct ui_row *row = ui_model_current(m);

	switch (a) {
	case UI_ACT_FILTER:
		ui_push_view(ui, ui_view_prompt_new("Filter: name, state:S conn:C group:G",
						    m->filter ? m->filter : "", UI_PROMPT_LIVE,
						    ui_list_filter_done, NULL, NULL));
		break;
	case UI_ACT_SORT: ui_list_sort_menu(ui); break;
	case UI_ACT_INVERT: m->sort_desc = !m->sort_desc; ui_model_rebuild(m); break;
	case UI_ACT_ACTIVE:
		m->active_only = !m->active_only;
		ui_model_rebuild(m);
		ui_status(ui, false, m->active_only ? "showing running VMs only" : "showing all VMs");
		break;
	case UI_ACT_FOLD:
		if (row && row->group) {
			ui_model_toggle_fold(m, row->group);
			ui_model_rebuild(m);
		}
		break;
	case UI_ACT_FASTER: ui_set_refresh(ui, 0.5); break;
	case UI_ACT_SLOWER: ui_set_refresh(ui, 2); break;
	default: ui_list_navigate(ui, a); break;
	}
}

static void ui_list_key(struct ui *ui, struct ui_view *v, int key, bool is_char)
{
	enum ui_action a = ui_keymap_match(&ui->keys, key, ui_list_actions,
					   ARRAY_SIZE(ui_list_actions));

	if (is_char && key == 3)	/* Ctrl-C: the terminal is raw, so no SIGINT. */
		a = UI_ACT_QUIT;
	if (ui_act_verb(ui, a))
		return;
	switch (a) {
	case UI_ACT_QUIT: ui->quit = true; break;
	case UI_ACT_CLOSE:
		if (ui->console || ui->console_want.name)
			ui_close_console(ui);
		else if (ui->model.filter)
			ui_list_filter_done(ui, NULL, NULL);
		break;
	case UI_ACT_HELP: ui_push_view(ui, ui_view_help_new(ui)); break;
	case UI_ACT_IMAGES: ui_push_view(ui, ui_view_images_new(ui)); break;
	case UI_ACT_HOST: ui_list_host(ui); break;
	case UI_ACT_ADOPT: ui_act_adopt(ui); break;
	case UI_ACT_EXPORT: ui_act_export(ui); break;
	case UI_ACT_HISTORY: ui_push_view(ui, ui_view_history_new(ui, 0, NULL)); break;
	case UI_ACT_AUTOSTART: ui_act_autostart(ui); break;
	case UI_ACT_DETAIL: ui_list_open_detail(ui, UI_TAB_INFO); break;
	case UI_ACT_STATS: ui_list_open_detail(ui, UI_TAB_STATS); break;
	case UI_ACT_SNAPSHOTS: ui_list_open_detail(ui, UI_TAB_SNAPSHOTS); break;
	case UI_ACT_MARK: ui_list_mark(ui); break;
	case UI_ACT_MARK_ALL: ui_list_mark_all(ui); break;
	case UI_ACT_UNMARK_ALL: ui_model_clear_marks(&ui->model); break;
	case UI_ACT_CREATE: ui_list_create(ui); break;
	case UI_ACT_EDIT: ui_list_get_def(ui, v, false); break;
	case UI_ACT_DELETE:
		if (ui_model_marked(&ui->model) > 1)
			ui_act_delete(ui, NULL);
		else
			ui_list_get_def(ui, v, true);
		break;
	case UI_ACT_CLONE: ui_list_clone(ui); break;
	case UI_ACT_CONSOLE: ui_list_console(ui); break;
	case UI_ACT_LAYOUT: ui_console_next_layout(ui); break;
	default: ui_list_view_keys(ui, a); break;
	}
}

static void ui_list_job(struct ui *ui, struct ui_view *v, struct job *job)
{
	if (job->kind != &job_get_def)
		return;
	if (job->result < 0) {
		ui_status(ui, true, "%s", job->err.msg);
	} else if (job->flag) {
		ui_act_delete(ui, job->def);
	} else {
		ui_push_view(ui, ui_view_form_new(ui, job->conn, job->def));
		job->def = NULL;
	}
}

static void ui_list_click(struct ui *ui, struct ui_view *v, int y, int x, bool twice)
{
	struct ui_list *l = ui_list(v);
	struct ui_model *m = &ui->model;

	if (y == l->header_y) {
		for (int i = 0; i < l->n_shown; i++)
			if (x >= l->x[i] && x < l->x[i] + l->w[i]) {
				if (m->sort == l->shown[i])
					m->sort_desc = !m->sort_desc;
				m->sort = l->shown[i];
				ui_model_rebuild(m);
			}
		return;
	}
	if (x >= l->width || y < l->rows_y || y >= l->rows_y + l->rows_h ||
	    m->top + (size_t)(y - l->rows_y) >= m->n_rows)
		return;
	m->cursor = m->top + (size_t)(y - l->rows_y);
	if (twice)
		ui_list_open_detail(ui, UI_TAB_INFO);
}

static void ui_list_free(struct ui_view *v)
{
	free(v->priv);
	free(v);
}

static const enum ui_action ui_list_hints[] = {
	UI_ACT_HELP, UI_ACT_START, UI_ACT_SHUTDOWN, UI_ACT_CONSOLE, UI_ACT_STATS,
	UI_ACT_CREATE, UI_ACT_DELETE, UI_ACT_FILTER, UI_ACT_SORT, UI_ACT_QUIT,
};

/* What the selected VM's connection cannot do. */
static bool ui_list_withheld(struct ui *ui, struct ui_view *v, enum ui_action a, char *why,
			     size_t len)
{
	struct ui_row *row = ui_model_current(&ui->model);

	return row && row->vm &&
	       ui_vm_withheld(ui, row->vm->conn, row->vm->vm.info.name, a, why, len);
}

static const struct ui_view_ops ui_list_ops = {
	.name = "list",
	.draw = ui_list_draw,
	.key = ui_list_key,
	.job = ui_list_job,
	.free = ui_list_free,
	.click = ui_list_click,
	.hints = ui_list_hints,
	.n_hints = ARRAY_SIZE(ui_list_hints),
	.withheld = ui_list_withheld,
};

struct ui_view *ui_view_list_new(struct ui *ui)
{
	struct ui_view *v = xcalloc(1, sizeof(*v));
	enum ui_col sort;
	char *spec;

	v->ops = &ui_list_ops;
	v->priv = xcalloc(1, sizeof(struct ui_list));
	ui_list_set_columns(ui, v, ui->cfg.columns);
	if (ui->cfg.sort) {
		spec = xstrdup(ui->cfg.sort);
		ui->model.sort_desc = strstr(spec, ",desc") != NULL;
		spec[strcspn(spec, ",")] = '\0';
		if (ui_col_parse(spec, &sort) == 0)
			ui->model.sort = sort;
		else
			ui_status(ui, true, "config: sort: no column '%s'", spec);
		free(spec);
	}
	return v;
}
