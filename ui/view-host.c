// SPDX-License-Identifier: GPL-2.0-or-later
/* view-host.c: a connection's host (v): what it is, its storage pools, their volumes and its networks; volumes made, grown and deleted, networks started and stopped. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/lib/util.h"
#include "ui/app.h"

/* While open, the host is read again this often: pools fill, networks come and go. */
#define UI_HOST_RELOAD_NS 5000000000ull

enum ui_host_kind { HOST_HEAD, HOST_COLS, HOST_TEXT, HOST_POOL, HOST_VOL, HOST_NET };

/* One line below the host's summary: a heading, column names, a note or a row. */
struct ui_host_line {
	enum ui_host_kind kind;
	size_t i;		/* the row's index in its array; a heading's text in ui_host_heads */
};

struct ui_host {
	size_t conn;
	struct backend_pool *pools;
	size_t n_pools;
	struct backend_vol *vols;
	size_t n_vols;
	struct backend_net *nets;
	size_t n_nets;
	unsigned has;		/* JOB_HOST_HAS_* */
	char *failed;		/* why the last load got nothing, or NULL */
	bool loaded, loading;
	uint64_t next_load_ns;
	struct ui_host_line *lines;
	size_t n_lines;
	size_t cursor, top;	/* lines; the cursor is on a row whenever there is one */
};

static const char *const ui_host_heads[] = {
	"Storage pools", "Volumes", "Networks",
	"  NAME                 STATE        CAPACITY   AVAILABLE  PATH",
	"  POOL         NAME                         FORMAT    CAPACITY   ALLOCATED  USED BY",
	"  NAME                 STATE        AUTOSTART  PERSISTENT",
	"  none", "  No storage pools or networks here: kvm:/// keeps disks as image files beside "
	"the database.",
};
enum { HEAD_POOLS, HEAD_VOLS, HEAD_NETS, COLS_POOLS, COLS_VOLS, COLS_NETS, TEXT_NONE,
       TEXT_NOTHING, TEXT_FAILED /* h->failed */ };

static bool ui_host_row_kind(enum ui_host_kind k)
{
	return k == HOST_POOL || k == HOST_VOL || k == HOST_NET;
}

static void ui_host_add(struct ui_host *h, enum ui_host_kind kind, size_t i)
{
	h->lines = xrealloc(h->lines, (h->n_lines + 1) * sizeof(*h->lines));
	h->lines[h->n_lines++] = (struct ui_host_line){ kind, i };
}

/* One section: its heading, its column names, its rows or "none". */
static void ui_host_section(struct ui_host *h, size_t head, size_t cols, enum ui_host_kind kind,
			    size_t n)
{
	ui_host_add(h, HOST_HEAD, head);
	ui_host_add(h, HOST_COLS, cols);
	for (size_t i = 0; i < n; i++)
		ui_host_add(h, kind, i);
	if (!n)
		ui_host_add(h, HOST_TEXT, TEXT_NONE);
}

/* Lay the lines out again, the cursor kept on the row it was on where that row still is. */
static void ui_host_layout(struct ui_host *h)
{
	struct ui_host_line was = h->cursor < h->n_lines ? h->lines[h->cursor]
							 : (struct ui_host_line){ HOST_HEAD, 0 };

	h->n_lines = 0;
	if (h->has & JOB_HOST_HAS_STORAGE) {
		ui_host_section(h, HEAD_POOLS, COLS_POOLS, HOST_POOL, h->n_pools);
		ui_host_section(h, HEAD_VOLS, COLS_VOLS, HOST_VOL, h->n_vols);
	}
	if (h->has & JOB_HOST_HAS_NETWORKS)
		ui_host_section(h, HEAD_NETS, COLS_NETS, HOST_NET, h->n_nets);
	if (!h->has)
		ui_host_add(h, HOST_TEXT, h->failed ? TEXT_FAILED : TEXT_NOTHING);
	h->cursor = 0;
	for (size_t i = 0; i < h->n_lines; i++)
		if (h->lines[i].kind == was.kind && h->lines[i].i == was.i)
			h->cursor = i;
	while (h->cursor < h->n_lines && !ui_host_row_kind(h->lines[h->cursor].kind))
		h->cursor++;
	if (h->cursor >= h->n_lines)
		h->cursor = 0;
}

static void ui_host_load(struct ui *ui, struct ui_view *v)
{
	struct ui_host *h = v->priv;

	if (h->loading || !ui->conns[h->conn].open)
		return;
	h->loading = true;
	h->next_load_ns = time_mono_ns() + UI_HOST_RELOAD_NS;
	ui_ask_host(ui, h->conn, v);
	ui_submit(ui, job_new(&job_host, h->conn, NULL), v);
}

static void ui_host_draw_row(struct ui *ui, struct ui_host *h, size_t li, int y, int w)
{
	const struct ui_host_line *l = &h->lines[li];
	attr_t a = li == h->cursor ? ui->theme.attr[UI_EL_SELECTED] : 0;
	char c1[32], c2[32], c3[32];

	ui_fill(y, 0, w, a);
	switch (l->kind) {
	case HOST_HEAD:
		ui_put(y, 1, w - 2, A_BOLD, ui_host_heads[l->i], false);
		break;
	case HOST_COLS:
		ui_put(y, 1, w - 2, ui->theme.attr[UI_EL_DIM], ui_host_heads[l->i], false);
		break;
	case HOST_TEXT:
		ui_put_wrapped(y, 1, w - 2, 1, 0, ui->theme.attr[UI_EL_DIM],
			       l->i == TEXT_FAILED ? h->failed : ui_host_heads[l->i], false);
		break;
	case HOST_POOL: {
		const struct backend_pool *p = &h->pools[l->i];

		ui_fmt_bytes(c1, sizeof(c1), (double)(p->capacity));
		ui_fmt_bytes(c2, sizeof(c2), (double)(p->available));
		ui_putf(y, 3, w - 4, a, "%-20s %-10s %10s  %10s  %s", p->name, p->state, c1, c2,
			p->path ? p->path : "-");
		break;
	}
	case HOST_VOL: {
		const struct backend_vol *vol = &h->vols[l->i];

		ui_fmt_bytes(c1, sizeof(c1), (double)(vol->capacity));
		ui_fmt_bytes(c2, sizeof(c2), (double)(vol->allocation));
		ui_putf(y, 3, w - 4, a, "%-12s %-28s %-7s %10s  %10s  %s", vol->pool, vol->name,
			vol->format ? vol->format : "-", c1, c2, vol->used_by ? vol->used_by : "-");
		break;
	}
	case HOST_NET: {
		const struct backend_net *n = &h->nets[l->i];

		snprintf(c3, sizeof(c3), "%s", n->active ? "active" : "inactive");
		ui_putf(y, 3, w - 4, a, "%-20s %-12s %-10s %s", n->name, c3,
			n->autostart ? "yes" : "no", n->persistent ? "yes" : "no");
		break;
	}
	}
}

/*
 * The host's own lines: its name and hypervisor, its size and load, its
 * VMs, and how long it took to answer.
 */
static void ui_host_draw_summary(struct ui *ui, struct ui_host *h, int y, int w)
{
	const struct ui_conn *c = &ui->conns[h->conn];
	const struct backend_host *hi = &c->host;
	const char *version = c->be && c->be->ops->version ? c->be->ops->version() : NULL;
	size_t running = 0, defined = 0;
	char used[16], total[16], cpu[24] = "", mem[64];

	for (size_t i = 0; i < ui->model.n_vms; i++) {
		const struct ui_vm *vm = ui->model.vms[i];

		if (vm->conn != h->conn)
			continue;
		defined++;
		running += vm_state_is_active(vm->vm.info.state);
	}
	if (!c->open) {
		ui_putf(y, 1, w - 2, ui->theme.attr[UI_EL_CRASHED], "not connected%s%s",
			c->error ? ": " : "", c->error ? c->error : "");
		return;
	}
	if (!c->have_host) {
		ui_put(y, 1, w - 2, ui->theme.attr[UI_EL_DIM], "asking the host...", false);
		return;
	}
	ui_fmt_bytes(used, sizeof(used), (double)hi->mem_used);
	ui_fmt_bytes(total, sizeof(total), (double)hi->mem_total);
	if (c->host_cpu_pct >= 0)
		snprintf(cpu, sizeof(cpu), ", %.0f%% busy", c->host_cpu_pct);
	/* A driver that does not say what is in use (libvirt's test driver) gets the size alone. */
	if (hi->mem_used)
		snprintf(mem, sizeof(mem), "%s of %s in use", used, total);
	else
		snprintf(mem, sizeof(mem), "%s", total);
	ui_putf(y, 1, w - 2, A_BOLD, "%s  %s%s%s%s", hi->name, hi->hypervisor,
		version ? " (" : "", version ? version : "", version ? ")" : "");
	ui_putf(y + 1, 1, w - 2, 0, "%u CPUs%s   memory %s   VMs %zu running / %zu defined   "
		"answered in %.0f ms", hi->cpus, cpu, mem, running, defined,
		(double)c->host_rtt_ns / 1e6);
}

static void ui_host_draw(struct ui *ui, struct ui_view *v, int y, int x, int hgt, int w)
{
	struct ui_host *h = v->priv;
	int rows = hgt - 5;

	if (time_mono_ns() >= h->next_load_ns)
		ui_host_load(ui, v);
	ui_fill(y, 0, w, ui->theme.attr[UI_EL_COLHEAD]);
	ui_putf(y, 1, w - 2, ui->theme.attr[UI_EL_COLHEAD] | A_BOLD, "Host of %s%s",
		ui->conns[h->conn].uri, ui->n_conns > 1 ? "   (Tab: the next connection)" : "");
	ui_host_draw_summary(ui, h, y + 1, w);
	if (!h->loaded) {
		ui_put(y + 4, 2, w - 4, ui->theme.attr[UI_EL_DIM],
		       ui->conns[h->conn].open ? "loading..." : "", false);
		return;
	}
	if (h->cursor < h->top)
		h->top = h->cursor;
	/* The section's heading stays in sight above its first rows. */
	while (h->top > 0 && h->cursor - h->top < 2 && !ui_host_row_kind(h->lines[h->top - 1].kind))
		h->top--;
	if (rows > 0 && h->cursor >= h->top + (size_t)rows)
		h->top = h->cursor - (size_t)rows + 1;
	for (int r = 0; r < rows && h->top + (size_t)r < h->n_lines; r++)
		ui_host_draw_row(ui, h, h->top + (size_t)r, y + 4 + r, w);
	ui_put(y + hgt - 1, 1, w - 1, ui->theme.attr[UI_EL_DIM],
	       (h->has & JOB_HOST_HAS_STORAGE)
	       ? "c: new volume   W: grow it   x: delete it   s/S: start/stop the network   "
		 "L: import a VM   Enter: in full" : "", false);
}

/* The row under the cursor, if it is of kind k. */
static bool ui_host_at(const struct ui_host *h, enum ui_host_kind k, size_t *i)
{
	/* After Tab the rows are the last connection's until the new one answers. */
	if (!h->loaded || h->cursor >= h->n_lines || h->lines[h->cursor].kind != k)
		return false;
	*i = h->lines[h->cursor].i;
	return true;
}

/* Move the cursor by delta rows (headings skipped). */
static void ui_host_move(struct ui_host *h, long delta)
{
	size_t at = h->cursor;

	while (delta != 0) {
		size_t next = at;

		do
			next = delta > 0 ? next + 1 : next - 1;
		while (next < h->n_lines && !ui_host_row_kind(h->lines[next].kind));
		if (next >= h->n_lines)
			break;
		at = next;
		delta += delta > 0 ? -1 : 1;
	}
	h->cursor = at;
}

/* What a volume job asked, kept until it is asked of the worker. */
struct ui_host_ask {
	struct ui_view *v;
	unsigned what;		/* JOB_VOL_* */
	char *pool, *name;
};

static struct ui_host_ask *ui_host_ask_new(struct ui_view *v, unsigned what, const char *pool,
					   const char *name)
{
	struct ui_host_ask *a = xcalloc(1, sizeof(*a));

	a->v = v;
	a->what = what;
	a->pool = xstrdup(pool);
	a->name = xstrdup_or_null(name);
	return a;
}

static void ui_host_ask_free(void *arg)
{
	struct ui_host_ask *a = arg;

	free(a->pool);
	free(a->name);
	free(a);
}

static void ui_host_vol_job(struct ui *ui, struct ui_host_ask *a, const char *name,
			    uint64_t bytes)
{
	struct ui_host *h = a->v->priv;
	struct job *job = job_new(&job_vol, h->conn, NULL);

	job->flags = a->what;
	job->text = xstrdup(a->pool);
	job->text2 = xstrdup(name);
	job->size = bytes;
	ui_submit(ui, job, a->v);
}

/* "NAME SIZE" for a new volume, or "SIZE" to grow one. */
static void ui_host_sized(struct ui *ui, void *arg, const char *text)
{
	struct ui_host_ask *a = arg;
	char name[256], size[32], rest[2];
	uint64_t bytes;
	int n = a->what == JOB_VOL_CREATE ? sscanf(text, "%255s %31s %1s", name, size, rest)
					  : sscanf(text, "%31s %1s", size, rest);

	if (!*text || !ui_view_alive(ui, a->v))
		goto out;
	if (n != (a->what == JOB_VOL_CREATE ? 2 : 1))
		ui_status(ui, true, "'%s': give %s", text, a->what == JOB_VOL_CREATE
			  ? "a name and a size, as data.qcow2 20G" : "a size, as 20G");
	else if (vm_size_parse(size, 1ull << 30, &bytes) < 0)
		ui_status(ui, true, "size '%s' is not a positive size (GiB, or with M, G or T)", size);
	else
		ui_host_vol_job(ui, a, a->what == JOB_VOL_CREATE ? name : a->name, bytes);
out:
	ui_host_ask_free(a);
}

static void ui_host_sized_cancel(struct ui *ui, void *arg)
{
	ui_host_ask_free(arg);
}

static void ui_host_delete_yes(struct ui *ui, void *arg, bool extra)
{
	struct ui_host_ask *a = arg;

	if (ui_view_alive(ui, a->v))
		ui_host_vol_job(ui, a, a->name, 0);
}

/* The pool a new volume goes to: the selected pool's or volume's, else the first active pool. */
static const char *ui_host_pool_here(const struct ui_host *h)
{
	size_t i;

	if (ui_host_at(h, HOST_POOL, &i))
		return h->pools[i].name;
	if (ui_host_at(h, HOST_VOL, &i))
		return h->vols[i].pool;
	for (i = 0; i < h->n_pools; i++)
		if (h->pools[i].active)
			return h->pools[i].name;
	return NULL;
}

static void ui_host_create(struct ui *ui, struct ui_view *v)
{
	struct ui_host *h = v->priv;
	const char *pool = ui_host_pool_here(h);
	char title[200];

	if (!(h->has & JOB_HOST_HAS_STORAGE) || !pool) {
		ui_status(ui, true, "%s has no active storage pool to make a volume in",
			  ui->conns[h->conn].uri);
		return;
	}
	snprintf(title, sizeof(title), "New volume in pool %s: NAME SIZE (as data.qcow2 20G; "
		 "a name ending in .qcow2 is qcow2, else raw)", pool);
	ui_push_view(ui, ui_view_prompt_new(title, "", 0, ui_host_sized, ui_host_sized_cancel,
					    ui_host_ask_new(v, JOB_VOL_CREATE, pool, NULL)));
}

static void ui_host_grow(struct ui *ui, struct ui_view *v)
{
	struct ui_host *h = v->priv;
	const struct backend_vol *vol;
	char title[200], now[32];
	size_t i;

	if (!ui_host_at(h, HOST_VOL, &i)) {
		ui_status(ui, true, "select a volume to grow");
		return;
	}
	vol = &h->vols[i];
	ui_fmt_bytes(now, sizeof(now), (double)(vol->capacity));
	snprintf(title, sizeof(title), "Grow volume %s of pool %s (now %s) to what size?",
		 vol->name, vol->pool, now);
	ui_push_view(ui, ui_view_prompt_new(title, "", 0, ui_host_sized, ui_host_sized_cancel,
					    ui_host_ask_new(v, JOB_VOL_RESIZE, vol->pool,
							    vol->name)));
}

static void ui_host_delete(struct ui *ui, struct ui_view *v)
{
	struct ui_host *h = v->priv;
	const struct backend_vol *vol;
	char title[200];
	size_t i;

	if (!ui_host_at(h, HOST_VOL, &i)) {
		ui_status(ui, true, "select a volume to delete");
		return;
	}
	vol = &h->vols[i];
	if (vol->used_by) {
		ui_status(ui, true, "volume %s is a disk of %s: it stays while a VM has it",
			  vol->name, vol->used_by);
		return;
	}
	snprintf(title, sizeof(title), "Delete volume %s of pool %s? What it holds is lost.",
		 vol->name, vol->pool);
	ui_push_view(ui, ui_view_confirm_new("Delete volume", title, NULL, 0, ui_host_delete_yes,
					     ui_host_ask_new(v, JOB_VOL_DELETE, vol->pool,
							     vol->name),
					     ui_host_ask_free));
}

static void ui_host_net(struct ui *ui, struct ui_view *v, bool start)
{
	struct ui_host *h = v->priv;
	struct job *job;
	size_t i;

	if (!ui_host_at(h, HOST_NET, &i)) {
		ui_status(ui, true, "select a network to %s", start ? "start" : "stop");
		return;
	}
	job = job_new(&job_net, h->conn, NULL);
	job->flag = start;
	job->text = xstrdup(h->nets[i].name);
	ui_submit(ui, job, v);
}

static void ui_host_import_asked(struct ui *ui, void *arg, const char *text)
{
	struct ui_view *v = arg;
	struct job *job;

	if (!*text || !ui_view_alive(ui, v))
		return;
	job = job_new(&job_import, ((struct ui_host *)v->priv)->conn, NULL);
	job->text = xstrdup(text);
	ui_submit(ui, job, NULL);
	((struct ui_host *)v->priv)->next_load_ns = 0;
}

static void ui_host_import(struct ui *ui, struct ui_view *v)
{
	struct ui_host *h = v->priv;
	const struct ui_conn *c = &ui->conns[h->conn];
	char title[300];

	if (c->be && !backend_has_xml(c->be)) {
		ui_status(ui, true, "%s defines VMs from vmtui's own store, not from domain XML",
			  c->uri);
		return;
	}
	snprintf(title, sizeof(title), "Define a VM on %s from the domain XML file:", c->uri);
	ui_push_view(ui, ui_view_prompt_new(title, "", 0, ui_host_import_asked, NULL, v));
}

/* Enter: the selected row in full, for what the columns cut. */
static void ui_host_tell(struct ui *ui, const struct ui_host *h)
{
	size_t i;

	if (ui_host_at(h, HOST_VOL, &i))
		ui_status(ui, false, "volume %s of pool %s: %s%s%s; used by %s", h->vols[i].name,
			  h->vols[i].pool, h->vols[i].path ? h->vols[i].path : "no path",
			  h->vols[i].backing ? ", reads through " : "",
			  h->vols[i].backing ? h->vols[i].backing : "",
			  h->vols[i].used_by ? h->vols[i].used_by : "no VM");
	else if (ui_host_at(h, HOST_POOL, &i))
		ui_status(ui, false, "pool %s: %s, %s, autostart %s, %s", h->pools[i].name,
			  h->pools[i].state, h->pools[i].path ? h->pools[i].path : "no path",
			  h->pools[i].autostart ? "on" : "off",
			  h->pools[i].persistent ? "persistent" : "transient");
}

static const enum ui_action ui_host_actions[] = {
	UI_ACT_UP, UI_ACT_DOWN, UI_ACT_PGUP, UI_ACT_PGDN, UI_ACT_HOME, UI_ACT_END,
	UI_ACT_DETAIL, UI_ACT_CREATE, UI_ACT_RESIZE, UI_ACT_DELETE, UI_ACT_START,
	UI_ACT_SHUTDOWN, UI_ACT_IMPORT, UI_ACT_NEXT_TAB, UI_ACT_CLOSE, UI_ACT_HOST, UI_ACT_HELP,
};

static void ui_host_key(struct ui *ui, struct ui_view *v, int key, bool is_char)
{
	struct ui_host *h = v->priv;
	enum ui_action a = ui_keymap_match(&ui->keys, key, ui_host_actions,
					   ARRAY_SIZE(ui_host_actions));
	long page = ui->rows > 8 ? ui->rows - 8 : 1;

	switch (a) {
	case UI_ACT_UP: ui_host_move(h, -1); break;
	case UI_ACT_DOWN: ui_host_move(h, 1); break;
	case UI_ACT_PGUP: ui_host_move(h, -page); break;
	case UI_ACT_PGDN: ui_host_move(h, page); break;
	case UI_ACT_HOME: ui_host_move(h, -(long)h->n_lines); break;
	case UI_ACT_END: ui_host_move(h, (long)h->n_lines); break;
	case UI_ACT_DETAIL: ui_host_tell(ui, h); break;
	case UI_ACT_CREATE: ui_host_create(ui, v); break;
	case UI_ACT_RESIZE: ui_host_grow(ui, v); break;
	case UI_ACT_DELETE: ui_host_delete(ui, v); break;
	case UI_ACT_START: ui_host_net(ui, v, true); break;
	case UI_ACT_SHUTDOWN: ui_host_net(ui, v, false); break;
	case UI_ACT_IMPORT: ui_host_import(ui, v); break;
	case UI_ACT_NEXT_TAB:
		if (ui->n_conns > 1) {
			h->conn = (h->conn + 1) % ui->n_conns;
			h->loaded = false;
			h->next_load_ns = 0;
		}
		break;
	case UI_ACT_HELP: ui_push_view(ui, ui_view_help_new(ui)); break;
	case UI_ACT_CLOSE:
	case UI_ACT_HOST: ui_pop_view(ui); break;
	default: break;
	}
}

static void ui_host_job(struct ui *ui, struct ui_view *v, struct job *job)
{
	struct ui_host *h = v->priv;

	if (job->kind == &job_host_info) {
		ui_took_host(ui, job);
		return;
	}
	if (job->kind != &job_host) {
		ui_job_report(ui, job);
		h->next_load_ns = 0;
		return;
	}
	h->loading = false;
	/* An answer for the connection shown before Tab is dropped: the next load asks again. */
	if (job->conn != h->conn)
		return;
	/* A connection that could not say what it has is not one that has nothing. */
	free(h->failed);
	h->failed = job->result < 0 ? xasprintf("  Its pools and networks could not be read: %s", job->err.msg) : NULL;
	if (job->result < 0)
		ui_status(ui, true, "%s", job->err.msg);
	backend_pool_list_free(h->pools, h->n_pools);
	backend_vol_list_free(h->vols, h->n_vols);
	backend_net_list_free(h->nets, h->n_nets);
	h->pools = job->pools;
	h->n_pools = job->n_pools;
	h->vols = job->vols;
	h->n_vols = job->n_vols;
	h->nets = job->nets;
	h->n_nets = job->n_nets;
	job->pools = NULL;
	job->vols = NULL;
	job->nets = NULL;
	job->n_pools = job->n_vols = job->n_nets = 0;
	h->has = job->flags;
	h->loaded = true;
	ui_host_layout(h);
}

static void ui_host_free(struct ui_view *v)
{
	struct ui_host *h = v->priv;

	free(h->failed);
	backend_pool_list_free(h->pools, h->n_pools);
	backend_vol_list_free(h->vols, h->n_vols);
	backend_net_list_free(h->nets, h->n_nets);
	free(h->lines);
	free(h);
	free(v);
}

static const enum ui_action ui_host_hints[] = {
	UI_ACT_CLOSE, UI_ACT_UP, UI_ACT_DOWN, UI_ACT_NEXT_TAB, UI_ACT_HELP,
};

static const struct ui_view_ops ui_host_ops = {
	.name = "host",
	.draw = ui_host_draw,
	.key = ui_host_key,
	.job = ui_host_job,
	.free = ui_host_free,
	.hints = ui_host_hints,
	.n_hints = ARRAY_SIZE(ui_host_hints),
};

struct ui_view *ui_view_host_new(struct ui *ui, size_t conn)
{
	struct ui_view *v = xcalloc(1, sizeof(*v));
	struct ui_host *h = xcalloc(1, sizeof(*h));

	h->conn = conn;
	v->ops = &ui_host_ops;
	v->priv = h;
	ui_host_load(ui, v);
	return v;
}
