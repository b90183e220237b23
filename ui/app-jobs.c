// SPDX-License-Identifier: GPL-2.0-or-later
/* app-jobs.c: connections, the refresh schedule, and the answers of the workers. */
#include "config.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "src/lib/log.h"
#include "src/lib/util.h"
#include "ui/app-priv.h"

/* Without events, a connection's list is read again this often. */
#define UI_LIST_POLL_NS 3000000000ull
/* Guests' addresses change rarely and cost a call a VM: ask this seldom. */
#define UI_ADDRS_NS 10000000000ull

/* A short name for a connection: "kvm", the host, the path ("system") or the scheme ("test"). */
static char *ui_conn_label(const char *uri)
{
	const char *sep = strstr(uri, "://");
	const char *host, *path;
	char *label;

	if (!sep)
		return xstrdup(uri);
	host = sep + 3;
	path = strchr(host, '/');
	if (path && path > host)
		return xstrndup(host, (size_t)(path - host));
	if (path && path[1] && !str_starts_with(path + 1, "default")) {
		label = xstrdup(path + 1);
		label[strcspn(label, "?")] = '\0';
		return label;
	}
	return xstrndup(uri, strcspn(uri, "+:"));
}

/*
 * ssh asks for passwords on the terminal itself, over the screen vmtui
 * draws and past libvirt's credentials callback: in the UI an SSH
 * connection runs with no_tty=1 (keys and agents still work).
 */
static char *ui_conn_uri(const char *uri)
{
	const char *scheme_end = strstr(uri, "://");
	const char *plus = strchr(uri, '+');

	if (!scheme_end || !plus || plus > scheme_end || !str_starts_with(plus, "+ssh:") ||
	    strstr(uri, "no_tty="))
		return xstrdup(uri);
	return xasprintf("%s%sno_tty=1", uri, strchr(uri, '?') ? "&" : "?");
}

void ui_conns_start(struct ui *ui, char **uris, size_t n, struct store *st)
{
	ui->conns = xcalloc(n, sizeof(*ui->conns));
	ui->n_conns = n;
	for (size_t i = 0; i < n; i++) {
		struct ui_conn *c = &ui->conns[i];

		c->uri = ui_conn_uri(uris[i]);
		c->label = ui_conn_label(uris[i]);
		c->worker = worker_start(ui->pool, i, ui->db_path, i == 0 ? st : NULL, c->uri);
		worker_submit(c->worker, job_new(&job_open, i, NULL));
		/* The first list goes right behind the open: the worker lists while the screen starts. */
		c->list_queued = true;
		worker_submit(c->worker, job_new(&job_list, i, NULL));
	}
}

void ui_submit(struct ui *ui, struct job *job, struct ui_view *v)
{
	job->owner = v;
	worker_submit(ui->conns[job->conn].worker, job);
}

void ui_refresh_conn(struct ui *ui, size_t i)
{
	struct ui_conn *c = &ui->conns[i];

	if (!c->open)
		return;
	/* One list in flight at a time; a request meanwhile runs once more after it. */
	if (c->list_queued) {
		c->list_again = true;
		return;
	}
	c->list_queued = true;
	ui_submit(ui, job_new(&job_list, i, NULL), NULL);
}

static void ui_job_open(struct ui *ui, struct job *job)
{
	struct ui_conn *c = &ui->conns[job->conn];

	if (job->result < 0) {
		c->error = xstrdup(job->err.msg);
		ui_status(ui, true, "%s", job->err.msg);
		return;
	}
	c->open = true;
	c->listed = false;
	c->be = job->be;
	c->limits = job->limits;
	/* A backend that posts events needs no polling for its list; the first list is already queued. */
	c->events = job->flag;
}

/* The worker runs it itself: it opens the store and the connection. */
const struct job_kind job_open = { .name = "open", .done = ui_job_open };

static int ui_list_run(struct core *c, struct backend *be, struct job *job)
{
	int r = core_list(c, false, &job->vms, &job->n_vms, NULL, &job->err);

	store_release_memory(c->store);
	return r;
}

static void ui_job_list(struct ui *ui, struct job *job)
{
	struct ui_conn *c = &ui->conns[job->conn];

	c->list_queued = false;
	c->next_list_ns = time_mono_ns() + UI_LIST_POLL_NS;
	/* The first list of a connection that failed to open: the open said why. */
	if (!c->open)
		return;
	if (job->result < 0 && !job->n_vms) {
		ui_status(ui, true, "%s", job->err.msg);
	} else {
		size_t before = ui->model.n_vms;

		ui_model_merge(&ui->model, job->conn, job->vms, job->n_vms);
		job->vms = NULL;
		job->n_vms = 0;
		ui_model_rebuild(&ui->model);
		/*
		 * The first list follows a connect (a driver may have parsed all
		 * its domains), a shorter one freed rows: what that freed in the
		 * middle of the heap goes back to the system, not kept as RSS.
		 * Not after every list: the walk holds the heap's locks.
		 */
		if (!c->listed || ui->model.n_vms < before)
			malloc_trim(0);
		c->listed = true;
		if (ui->select_name && ui->select_conn == job->conn &&
		    ui_model_find(&ui->model, job->conn, ui->select_name)) {
			ui_model_select(&ui->model, job->conn, ui->select_name);
			vm_def_set_str(&ui->select_name, NULL);
		}
	}
	if (c->list_again) {
		c->list_again = false;
		ui_refresh_conn(ui, job->conn);
	}
}

const struct job_kind job_list = { .name = "list", .run = ui_list_run, .done = ui_job_list };

static int ui_stats_run(struct core *c, struct backend *be, struct job *job)
{
	return backend_stats(be, &job->stats, &job->n_stats, &job->err);
}

static void ui_job_stats(struct ui *ui, struct job *job)
{
	struct ui_conn *c = &ui->conns[job->conn];
	enum ui_col sort = ui->model.sort;

	c->stats_queued = false;
	if (job->result < 0)
		return;
	if (ui_model_add_stats(&ui->model, job->conn, job->stats, job->n_stats,
			       (double)time_mono_ns() / 1e9))
		ui_refresh_conn(ui, job->conn);
	/* Only an order by a figure that just changed needs the rows again. */
	if (sort == UI_COL_CPU || sort == UI_COL_SPARK || sort == UI_COL_MEMUSE ||
	    sort == UI_COL_DISK || sort == UI_COL_NET)
		ui_model_rebuild(&ui->model);
}

const struct job_kind job_stats = { .name = "stats", .run = ui_stats_run, .done = ui_job_stats };

/* Forget the console being opened; its job, when it comes, is dropped. */
static void ui_console_want_drop(struct ui *ui, bool say)
{
	if (!ui->console_want.name)
		return;
	if (say)
		ui_status(ui, false, "console of %s: not opened (left before it was ready)",
			  ui->console_want.name);
	free(ui->console_want.name);
	ui->console_want.name = NULL;
}

bool ui_console_wait_key(struct ui *ui, int key, bool is_char)
{
	if (!ui->console_want.name)
		return false;
	if (is_char && key == UI_KEY_CONSOLE_ESCAPE) {
		ui_console_want_drop(ui, true);
		return true;
	}
	ui->console_want.focus = false;
	return false;
}

static int ui_console_run(struct core *c, struct backend *be, struct job *job)
{
	return backend_console_open(be, job->name, job->flag ? BACKEND_CONSOLE_FORCE : 0,
				    &job->console, &job->err);
}

/* A console opened: it is shown if still wanted, and has the keys if the user waited. */
static void ui_job_console(struct ui *ui, struct job *job)
{
	int h = ui->rows / 2, w = ui->cols;
	bool wanted = ui->console_want.name && ui->console_want.conn == job->conn &&
		      str_eq(ui->console_want.name, job->name);
	bool focus = wanted && ui->console_want.focus;

	if (!wanted)
		return;
	ui_console_want_drop(ui, false);
	if (job->result < 0) {
		ui_status(ui, true, "%s", job->err.msg);
		return;
	}
	ui_console_free(ui->console);
	ui->console = ui_console_new(job->console, job->conn, job->name, h, w);
	job->console = NULL;
	ui->console_focus = focus;
	ui_console_read(ui->console);
	if (focus)
		ui_status(ui, false, "console of %s: keys go to the guest; Ctrl-] returns to vmtui",
			  job->name);
	else
		ui_status(ui, false, "console of %s: open below; %s gives it the keys", job->name,
			  ui_keymap_label(&ui->keys, UI_ACT_CONSOLE));
}

const struct job_kind job_console = {
	.name = "console", .run = ui_console_run, .done = ui_job_console,
};

/* The address to show for each VM: the first IPv4 one, else the first. */
static int ui_addresses_run(struct core *c, struct backend *be, struct job *job)
{
	job->addrs = xcalloc(job->n_names, sizeof(*job->addrs));
	for (size_t i = 0; i < job->n_names; i++) {
		struct vm_address *a;
		size_t n, pick = 0;

		if (backend_addresses(be, job->names[i], &a, &n, NULL) < 0)
			continue;
		for (size_t k = n; k-- > 0;)
			if (a[k].family == 4)
				pick = k;
		if (n)
			job->addrs[i] = xstrdup(a[pick].addr);
		vm_address_list_free(a, n);
	}
	return 0;
}

static void ui_job_addresses(struct ui *ui, struct job *job)
{
	ui->conns[job->conn].addrs_queued = false;
	for (size_t i = 0; job->addrs && i < job->n_names; i++) {
		struct ui_vm *v = ui_model_find(&ui->model, job->conn, job->names[i]);

		if (v && !str_eq(v->ip, job->addrs[i])) {
			free(v->ip);
			v->ip = job->addrs[i];
			job->addrs[i] = NULL;
		}
	}
}

const struct job_kind job_addresses = {
	.name = "addresses", .run = ui_addresses_run, .done = ui_job_addresses,
};

/*
 * Ask for the addresses of the running VMs on screen, one job per
 * connection that can tell them: only what the user sees costs calls.
 */
static void ui_queue_addresses(struct ui *ui)
{
	struct ui_model *m = &ui->model;

	for (size_t c = 0; c < ui->n_conns; c++) {
		struct job *job;

		if (!ui->conns[c].open || ui->conns[c].addrs_queued || !ui->conns[c].be->ops->addresses)
			continue;
		job = job_new(&job_addresses, c, NULL);
		job->names = xcalloc((size_t)ui->rows, sizeof(*job->names));
		for (size_t r = m->top; r < m->n_rows && r < m->top + (size_t)ui->rows; r++) {
			struct ui_vm *v = m->rows[r].vm;

			if (v && v->conn == c && vm_state_is_active(v->vm.info.state))
				job->names[job->n_names++] = xstrdup(v->vm.info.name);
		}
		if (!job->n_names) {
			job_free(job);
			continue;
		}
		ui->conns[c].addrs_queued = true;
		ui_submit(ui, job, NULL);
	}
}

static void ui_question_done(struct ui *ui, void *arg, const char *text)
{
	worker_answer(arg, 0, text);
}

static void ui_question_cancel(struct ui *ui, void *arg)
{
	worker_answer(arg, -ECANCELED, NULL);
}

/* A connection needs a credential: ask in a prompt, the worker waits. */
static void ui_job_question(struct ui *ui, struct job *job)
{
	struct worker_question *q = job->question;

	ui_push_view(ui, ui_view_prompt_new(q->prompt, "", q->echo ? 0 : UI_PROMPT_SECRET,
					    ui_question_done, ui_question_cancel, q));
}

/* A worker makes it, never runs it. */
const struct job_kind job_question = { .name = "question", .done = ui_job_question };

void ui_handle_job(struct ui *ui, struct job *job)
{
	struct ui_view *owner = job->owner;

	ui->dirty = true;
	if (owner && ui_view_alive(ui, owner) && owner->ops->job)
		owner->ops->job(ui, owner, job);
	/* Its view was closed meanwhile: what it changed is said, what it read is dropped. */
	else if (job->kind->done)
		job->kind->done(ui, job);
	job_free(job);
}

void ui_handle_events(struct ui *ui, size_t conn)
{
	struct backend_event *evs;
	size_t n = backend_events_take(ui->conns[conn].be, &evs);

	for (size_t i = 0; i < n; i++) {
		if (evs[i].type == BACKEND_EVENT_DISCONNECTED)
			ui_status(ui, true, "%s: %s", ui->conns[conn].uri,
				  evs[i].reason ? evs[i].reason : "connection lost");
		else if (evs[i].type == BACKEND_EVENT_RECONNECTED)
			ui_status(ui, false, "%s: connected again", ui->conns[conn].uri);
	}
	if (n)
		ui_refresh_conn(ui, conn);
	backend_events_free(evs, n);
}

void ui_ask_host(struct ui *ui, size_t conn, struct ui_view *owner)
{
	struct ui_conn *c = &ui->conns[conn];

	if (!c->open || c->host_queued)
		return;
	c->host_queued = true;
	ui_submit(ui, job_new(&job_host_info, conn, NULL), owner);
}

void ui_took_host(struct ui *ui, struct job *job)
{
	struct ui_conn *c = &ui->conns[job->conn];
	const struct backend_host *was = &c->host, *now = &job->host;

	c->host_queued = false;
	if (job->result < 0)
		return;
	c->host_cpu_pct = -1;
	if (c->have_host && now->cpu_total_ns > was->cpu_total_ns &&
	    now->cpu_busy_ns >= was->cpu_busy_ns)
		c->host_cpu_pct = 100.0 * (double)(now->cpu_busy_ns - was->cpu_busy_ns) /
				  (double)(now->cpu_total_ns - was->cpu_total_ns);
	c->host = *now;
	c->have_host = true;
	c->host_rtt_ns = job->took_ns;
}

static int ui_host_info_run(struct core *c, struct backend *be, struct job *job)
{
	return backend_host_info(be, &job->host, &job->err);
}

const struct job_kind job_host_info = {
	.name = "host-info", .run = ui_host_info_run, .done = ui_took_host,
};

int ui_tick(struct ui *ui)
{
	uint64_t now = time_mono_ns();
	uint64_t next;

	if (now >= ui->next_stats_ns) {
		ui->next_stats_ns = now + (uint64_t)(ui->refresh_s * 1e9);
		for (size_t i = 0; i < ui->n_conns; i++) {
			struct ui_conn *c = &ui->conns[i];

			if (!c->open || c->stats_queued)
				continue;
			c->stats_queued = true;
			ui_submit(ui, job_new(&job_stats, i, NULL), NULL);
			/* The title shows a remote VM's own host: this machine's figures are not its. */
			if (!c->limits.local_files)
				ui_ask_host(ui, i, NULL);
		}
		ui_sample_host(ui);
		ui->dirty = true;
	}
	if (now >= ui->next_addrs_ns) {
		ui->next_addrs_ns = now + UI_ADDRS_NS;
		ui_queue_addresses(ui);
	}
	/* Polled connections: a list that is out sets the next time when it comes back. */
	next = ui->next_stats_ns;
	for (size_t i = 0; i < ui->n_conns; i++) {
		struct ui_conn *c = &ui->conns[i];

		if (!c->open || c->events || c->list_queued)
			continue;
		if (now >= c->next_list_ns)
			ui_refresh_conn(ui, i);
		else if (c->next_list_ns < next)
			next = c->next_list_ns;
	}
	return next > now ? (int)((next - now) / 1000000) + 1 : 0;
}

void ui_set_refresh(struct ui *ui, double factor)
{
	double r = ui->refresh_s * factor;

	ui->refresh_s = r < 0.2 ? 0.2 : r > 60 ? 60 : r;
	ui->next_stats_ns = 0;
	ui_status(ui, false, "refreshing every %.1f s", ui->refresh_s);
}

void ui_select_later(struct ui *ui, size_t conn, const char *name)
{
	ui->select_conn = conn;
	vm_def_set_str(&ui->select_name, name);
}

void ui_open_console(struct ui *ui, size_t conn, const char *name)
{
	if (ui->console && ui_console_conn(ui->console) == conn &&
	    str_eq(ui_console_name(ui->console), name) && !ui_console_closed(ui->console)) {
		ui->console_focus = true;
		return;
	}
	/* Asked again while it is on its way: it is wanted with the keys again. */
	if (ui->console_want.name && ui->console_want.conn == conn &&
	    str_eq(ui->console_want.name, name)) {
		ui->console_want.focus = true;
		ui_status(ui, false, "still opening the console of %s...", name);
		return;
	}
	vm_def_set_str(&ui->console_want.name, name);
	ui->console_want.conn = conn;
	ui->console_want.focus = true;
	ui_submit(ui, job_new(&job_console, conn, name), NULL);
	ui_status(ui, false, "opening the console of %s...", name);
}

void ui_console_next_layout(struct ui *ui)
{
	enum config_console next = (ui->console_layout + 1) % CONFIG_CONSOLE_N;

	if (next == CONFIG_CONSOLE_BESIDE && ui->cols < UI_BESIDE_MIN_COLS)
		next = CONFIG_CONSOLE_FULL;
	ui->console_layout = next;
	ui->dirty = true;
}

void ui_close_console(struct ui *ui)
{
	ui_console_want_drop(ui, true);
	ui_console_free(ui->console);
	ui->console = NULL;
	ui->console_focus = false;
	ui->console_layout = ui->cfg.console;
	ui->dirty = true;
}
