// SPDX-License-Identifier: GPL-2.0-or-later
/* app-draw.c: the frame around the views: title bar with host totals, layout, status line, footer. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/lib/sysinfo.h"
#include "src/lib/util.h"
#include "ui/app-priv.h"

/* A worker inside one call for longer than this is shown as not answering. */
#define UI_STALL_NS 2000000000ull

void ui_sample_host(struct ui *ui)
{
	uint64_t busy, total, mem_total, mem_used;

	if (sys_cpu_times(&busy, &total) == 0) {
		if (ui->host_cpu_total && total > ui->host_cpu_total && busy >= ui->host_cpu_busy)
			ui->host_cpu_pct = 100.0 * (double)(busy - ui->host_cpu_busy) /
					   (double)(total - ui->host_cpu_total);
		ui->host_cpu_busy = busy;
		ui->host_cpu_total = total;
	}
	if (sys_memory(&mem_total, &mem_used) == 0) {
		ui->host_mem_total_kib = mem_total >> 10;
		ui->host_mem_used_kib = mem_used >> 10;
	}
}

attr_t ui_state_attr(const struct ui *ui, enum vm_state s)
{
	switch (s) {
	case VM_STATE_RUNNING: case VM_STATE_BLOCKED: return ui->theme.attr[UI_EL_RUNNING];
	case VM_STATE_PAUSED: case VM_STATE_SUSPENDED: return ui->theme.attr[UI_EL_PAUSED];
	case VM_STATE_SHUTOFF: return ui->theme.attr[UI_EL_SHUTOFF];
	case VM_STATE_CRASHED: case VM_STATE_MISSING: return ui->theme.attr[UI_EL_CRASHED];
	default: return ui->theme.attr[UI_EL_OTHER];
	}
}

/* "kvm ok", "system: not answering 5s", "ssh: error". */
static void ui_conn_state(struct ui *ui, size_t i, char *buf, size_t len)
{
	struct ui_conn *c = &ui->conns[i];
	uint64_t busy = worker_busy_ns(c->worker);

	if (c->error)
		snprintf(buf, len, "%s: failed", c->label);
	else if (!c->open)
		snprintf(buf, len, "%s: connecting", c->label);
	else if (busy > UI_STALL_NS)
		snprintf(buf, len, "%s: not answering %llus", c->label,
			 (unsigned long long)(busy / 1000000000ull));
	else
		snprintf(buf, len, "%s", c->label);
}

/* "3 running", "3 running, 1 paused": a paused VM runs no code, so it is counted apart. */
static void ui_title_counts(const struct ui_model *m, char *buf, size_t len)
{
	unsigned running = 0, paused = 0;

	for (size_t i = 0; i < m->n_vms; i++) {
		enum vm_state st = m->vms[i]->vm.info.state;

		if (st == VM_STATE_PAUSED || st == VM_STATE_SUSPENDED)
			paused++;
		else
			running += vm_state_is_active(st);
	}
	if (paused)
		snprintf(buf, len, "%u running, %u paused", running, paused);
	else
		snprintf(buf, len, "%u running", running);
}

static void ui_draw_title(struct ui *ui)
{
	attr_t a = ui->theme.attr[UI_EL_TITLE];
	char mem[16], total[16], counts[48];
	struct strbuf sb;
	int x;

	struct ui_row *row = ui_model_current(&ui->model);
	const struct ui_conn *c = row && row->vm ? &ui->conns[row->vm->conn] : NULL;
	/* A VM on another machine: that machine's figures, with its name. */
	bool remote = c && !c->limits.local_files && c->have_host;
	double cpu = remote ? c->host_cpu_pct : ui->host_cpu_pct;
	char cpu_s[16] = "   -";

	ui_title_counts(&ui->model, counts, sizeof(counts));
	ui_fmt_bytes(mem, sizeof(mem), remote ? (double)c->host.mem_used
					      : (double)ui->host_mem_used_kib * 1024);
	ui_fmt_bytes(total, sizeof(total), remote ? (double)c->host.mem_total
						  : (double)ui->host_mem_total_kib * 1024);
	if (cpu >= 0)
		snprintf(cpu_s, sizeof(cpu_s), "%3.0f%%", cpu);
	ui_fill(0, 0, ui->cols, a);
	x = ui_putf(0, 0, ui->cols, a, " vmtui  VMs %s / %zu defined  Host%s%s CPU %s  Mem %s/%s ",
		    counts, ui->model.n_vms, remote ? " " : "", remote ? c->host.name : "", cpu_s,
		    mem, total);
	strbuf_init(&sb);
	for (size_t i = 0; i < ui->n_conns; i++) {
		char st[96];

		ui_conn_state(ui, i, st, sizeof(st));
		strbuf_addf(&sb, "%s%s", i ? "  " : "", st);
	}
	if (sb.len) {
		int w = ui_text_width(sb.buf) + 1;

		ui_put(0, ui->cols - w > x ? ui->cols - w : x, ui->cols - x, a, sb.buf, false);
	}
	strbuf_done(&sb);
}

void ui_draw_footer(struct ui *ui, const enum ui_action *hints, size_t n)
{
	int y = ui->rows - 1, x = 0;

	ui_fill(y, 0, ui->cols, ui->theme.attr[UI_EL_KEYTEXT]);
	for (size_t i = 0; i < n && x < ui->cols; i++) {
		x += ui_put(y, x, ui->cols - x, ui->theme.attr[UI_EL_KEY],
			    ui_keymap_label(&ui->keys, hints[i]), false);
		x += ui_putf(y, x, ui->cols - x, ui->theme.attr[UI_EL_KEYTEXT], " %s ",
			     ui_action_short(hints[i]));
	}
}

/* The footer of a view, without the actions it withholds now. */
static void ui_draw_view_footer(struct ui *ui, struct ui_view *v)
{
	enum ui_action shown[UI_N_ACTIONS];
	size_t n = 0;
	char why[512];

	for (size_t i = 0; i < v->ops->n_hints && n < ARRAY_SIZE(shown); i++)
		if (!v->ops->withheld || !v->ops->withheld(ui, v, v->ops->hints[i], why, sizeof(why)))
			shown[n++] = v->ops->hints[i];
	ui_draw_footer(ui, shown, n);
}

void ui_draw_dialog(struct ui *ui, int h, int w, const char *title, int *y, int *x)
{
	h = h < ui->rows - 2 ? h : ui->rows - 2;
	w = w < ui->cols - 2 ? w : ui->cols - 2;
	*y = (ui->rows - h) / 2;
	*x = (ui->cols - w) / 2;
	for (int r = 0; r < h; r++)
		ui_fill(*y + r, *x, w, ui->theme.attr[UI_EL_DIALOG]);
	ui_box(*y, *x, h, w, ui->theme.attr[UI_EL_BORDER]);
	if (title)
		ui_putf(*y, *x + 2, w - 4, ui->theme.attr[UI_EL_TITLE], " %s ", title);
}

static const enum ui_action ui_console_hints[] = {
	UI_ACT_SCROLL_UP, UI_ACT_SCROLL_DOWN,
};

static void ui_draw_console_pane(struct ui *ui, int y, int x, int h, int w)
{
	int scroll = ui_console_scrolled(ui->console);
	const char *closed = ui_console_closed(ui->console);

	ui_fill(y, x, w, ui->theme.attr[UI_EL_COLHEAD]);
	ui_putf(y, x + 1, w - 2, ui->theme.attr[UI_EL_COLHEAD], "Console of %s%s%s%s",
		ui_console_name(ui->console),
		ui->console_focus ? " (keys go to the guest; Ctrl-] returns)" :
				    " (C: type into it, z: layout, Esc: close)",
		scroll ? " [scrolled back]" : "", closed ? " [closed]" : "");
	ui_console_resize(ui->console, h - 1, w);
	ui_console_draw(ui->console, &ui->theme, y + 1, x, h - 1, w, ui->console_focus);
}

/* The topmost view that is not a dialog: it owns the main area. */
static int ui_main_view(struct ui *ui)
{
	int k = ui->n_views - 1;

	while (k > 0 && ui->views[k]->ops->modal)
		k--;
	return k;
}

/* The list with the console below it, beside it, or the console alone. */
static void ui_draw_split(struct ui *ui, struct ui_view *list, int top, int bottom)
{
	int h = bottom - top;

	if (ui->console_layout == CONFIG_CONSOLE_FULL) {
		ui_draw_console_pane(ui, top, 0, h, ui->cols);
	} else if (ui->console_layout == CONFIG_CONSOLE_BESIDE && ui->cols >= UI_BESIDE_MIN_COLS) {
		/* The console gets a guest's usual 80 columns, the list the rest. */
		int lw = ui->cols - 81;

		list->ops->draw(ui, list, top, 0, h, lw);
		ui_vline(top, lw, h, ui->theme.attr[UI_EL_BORDER]);
		ui_draw_console_pane(ui, top, lw + 1, h, ui->cols - lw - 1);
	} else {
		int split = top + h / 2;

		list->ops->draw(ui, list, top, 0, split - top, ui->cols);
		ui_draw_console_pane(ui, split, 0, bottom - split, ui->cols);
	}
}

static void ui_draw_main(struct ui *ui, int top, int bottom)
{
	int k = ui_main_view(ui);
	struct ui_view *v = ui->views[k];

	curs_set(0);
	if (k == 0 && ui->console)
		ui_draw_split(ui, v, top, bottom);
	else
		v->ops->draw(ui, v, top, 0, bottom - top, ui->cols);
	for (int i = k + 1; i < ui->n_views; i++)
		ui->views[i]->ops->draw(ui, ui->views[i], top, 0, bottom - top, ui->cols);
}

/* With nothing else to say, the status line follows the downloads in flight. */
static void ui_draw_downloads(struct ui *ui)
{
	struct ui_download_state s;
	size_t n = ui_downloads_running(ui->downloads, &s);
	char what[96], more[32] = "";

	if (!n)
		return;
	ui_download_describe(&s, what, sizeof(what));
	if (n > 1)
		snprintf(more, sizeof(more), ", and %zu more", n - 1);
	ui_putf(ui->rows - 2, 0, ui->cols, ui->theme.attr[UI_EL_INFO],
		"downloading %s: %s%s (%s: images)", s.spec, what, more,
		ui_keymap_label(&ui->keys, UI_ACT_IMAGES));
}

/*
 * The status line above the footer: a message wider than the screen wraps
 * onto more lines (the views get fewer), up to half the screen. Returns
 * the rows it takes, at least the one kept for it.
 */
static int ui_draw_status(struct ui *ui)
{
	attr_t a = ui->theme.attr[ui->status_error ? UI_EL_ERROR : UI_EL_INFO];
	int max = (ui->rows - 3) / 2, n, h;

	if (!ui->status || !ui->status[0]) {
		ui_draw_downloads(ui);
		return 1;
	}
	n = ui_wrap(ui->status, ui->cols, NULL, 0);
	h = n < 1 ? 1 : n > max ? max : n;
	ui_put_wrapped(ui->rows - 1 - h, 0, ui->cols, h, 0, a, ui->status, true);
	/* Longer still (it is in the log whole): say that it goes on. */
	if (n > h)
		ui_put(ui->rows - 2, ui->cols - 1, 1, a, ui->theme.unicode ? "\u2026" : ">", false);
	return h;
}

void ui_draw_frame(struct ui *ui)
{
	struct ui_view *top = ui_top_view(ui);
	bool console_keys = ui->console && ui->console_focus && ui->n_views == 1;
	int status_h;

	erase();
	if (ui->rows < 24 || ui->cols < 80) {
		curs_set(0);
		ui_putf(0, 0, ui->cols, A_BOLD, "terminal too small: %dx%d, vmtui needs 80x24",
			ui->cols, ui->rows);
		refresh();
		return;
	}
	ui_draw_title(ui);
	status_h = ui_draw_status(ui);
	if (console_keys)
		ui_draw_footer(ui, ui_console_hints, ARRAY_SIZE(ui_console_hints));
	else
		ui_draw_view_footer(ui, top);
	ui_draw_main(ui, 1, ui->rows - 1 - status_h);
	refresh();
}
