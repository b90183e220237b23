// SPDX-License-Identifier: GPL-2.0-or-later
/* model.c: merging lists and statistics into the UI's rows, and ordering, filtering and grouping them. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "src/lib/util.h"
#include "ui/model.h"

static const char *const ui_col_names[UI_N_COLS] = {
	[UI_COL_NAME] = "name", [UI_COL_CONN] = "conn", [UI_COL_BACKEND] = "backend",
	[UI_COL_STATE] = "state", [UI_COL_VCPUS] = "vcpus", [UI_COL_MEM] = "mem",
	[UI_COL_CPU] = "cpu", [UI_COL_SPARK] = "spark", [UI_COL_MEMUSE] = "memuse",
	[UI_COL_DISK] = "disk", [UI_COL_NET] = "net", [UI_COL_IP] = "ip",
	[UI_COL_GROUP] = "group",
};

const char *ui_col_name(enum ui_col c)
{
	return c < UI_N_COLS ? ui_col_names[c] : "?";
}

int ui_col_parse(const char *name, enum ui_col *out)
{
	int i = str_table_index(ui_col_names, UI_N_COLS, name);

	if (i < 0)
		return i;
	*out = (enum ui_col)i;
	return 0;
}

void ui_model_init(struct ui_model *m)
{
	memset(m, 0, sizeof(*m));
	m->sort = UI_COL_NAME;
	m->start_s = (double)time_mono_ns() / 1e9;
}

static void ui_vm_free(struct ui_vm *v)
{
	free(v->ip);
	vm_info_done(&v->vm.info);
	free(v->vm.group);
	free(v->st);
	free(v->hist);
	free(v);
}

uint64_t ui_mem_used_kib(const struct vm_rates *r)
{
	return r->mem_rss_kib ? r->mem_rss_kib : r->mem_current_kib;
}

const struct vm_rates *ui_vm_rates(const struct ui_vm *v)
{
	static const struct vm_rates none;

	return v->st ? &v->st->rates : &none;
}

void ui_model_done(struct ui_model *m)
{
	for (size_t i = 0; i < m->n_vms; i++)
		ui_vm_free(m->vms[i]);
	free(m->vms);
	free(m->index);
	free(m->rows);
	free(m->shown);
	free(m->filter);
	for (size_t i = 0; i < m->n_folded; i++)
		free(m->folded[i]);
	free(m->folded);
	memset(m, 0, sizeof(*m));
}

static size_t ui_index_hash(size_t conn, const char *uuid)
{
	uint64_t h = 1469598103934665603ull ^ conn;

	for (; *uuid; uuid++)
		h = (h ^ (unsigned char)*uuid) * 1099511628211ull;
	return (size_t)h;
}

/* A table at most half full, so that lookups stay short. */
static void ui_index_rebuild(struct ui_model *m)
{
	size_t size = 64;

	while (size < m->n_vms * 2)
		size *= 2;
	free(m->index);
	m->index = xcalloc(size, sizeof(*m->index));
	m->index_size = size;
	for (size_t i = 0; i < m->n_vms; i++) {
		size_t k = ui_index_hash(m->vms[i]->conn, m->vms[i]->vm.info.uuid) & (size - 1);

		while (m->index[k])
			k = (k + 1) & (size - 1);
		m->index[k] = m->vms[i];
	}
}

static struct ui_vm *ui_model_find_uuid(struct ui_model *m, size_t conn,
					const char *uuid)
{
	size_t k;

	if (!m->index_size)
		return NULL;
	k = ui_index_hash(conn, uuid) & (m->index_size - 1);
	for (; m->index[k]; k = (k + 1) & (m->index_size - 1))
		if (m->index[k]->conn == conn && strcmp(m->index[k]->vm.info.uuid, uuid) == 0)
			return m->index[k];
	return NULL;
}

struct ui_vm *ui_model_find(struct ui_model *m, size_t conn, const char *name)
{
	for (size_t i = 0; i < m->n_vms; i++)
		if (m->vms[i]->conn == conn && str_eq(m->vms[i]->vm.info.name, name))
			return m->vms[i];
	return NULL;
}

/* Keep only the VMs of conn that are marked seen (and those of other conns). */
static void ui_model_sweep(struct ui_model *m, size_t conn)
{
	size_t k = 0;

	for (size_t i = 0; i < m->n_vms; i++) {
		struct ui_vm *v = m->vms[i];

		if (v->conn == conn && !v->seen)
			ui_vm_free(v);
		else
			m->vms[k++] = v;
	}
	m->n_vms = k;
}

void ui_model_merge(struct ui_model *m, size_t conn, struct core_vm *vms, size_t n)
{
	for (size_t i = 0; i < m->n_vms; i++)
		if (m->vms[i]->conn == conn)
			m->vms[i]->seen = false;
	for (size_t i = 0; i < n; i++) {
		struct ui_vm *v = ui_model_find_uuid(m, conn, vms[i].info.uuid);

		if (v && v->seen) {
			/* The same UUID twice in one list: keep the first. */
			vm_info_done(&vms[i].info);
			free(vms[i].group);
			continue;
		}
		if (v) {
			vm_info_done(&v->vm.info);
			free(v->vm.group);
		} else {
			v = xcalloc(1, sizeof(*v));
			v->conn = conn;
			m->vms = xgrow(m->vms, &m->cap_vms, m->n_vms, sizeof(*m->vms));
			m->vms[m->n_vms++] = v;
		}
		v->vm = vms[i];
		v->seen = true;
		if (!vm_state_is_active(v->vm.info.state)) {
			free(v->st);
			v->st = NULL;
		}
	}
	free(vms);
	ui_model_sweep(m, conn);
	ui_index_rebuild(m);
	/* It may name VMs the sweep freed; the next rebuild fills it again. */
	m->n_shown = 0;
}

static void ui_history_push(struct ui_vm *v, double now_s)
{
	struct ui_history *h = v->hist;
	const struct vm_rates *r = &v->st->rates;
	float vals[UI_N_SERIES] = {
		[UI_SERIES_CPU] = (float)r->cpu_pct,
		[UI_SERIES_MEM] = (float)ui_mem_used_kib(r) / 1024,
		[UI_SERIES_DISK_RD] = (float)r->blk_rd_bps,
		[UI_SERIES_DISK_WR] = (float)r->blk_wr_bps,
		[UI_SERIES_NET_RX] = (float)r->net_rx_bps,
		[UI_SERIES_NET_TX] = (float)r->net_tx_bps,
	};

	if (!h)
		h = v->hist = xcalloc(1, sizeof(*h));
	for (int s = 0; s < UI_N_SERIES; s++)
		h->v[s][h->head] = vals[s];
	h->t[h->head] = (float)now_s;
	h->head = (h->head + 1) % UI_HISTORY;
	if (h->count < UI_HISTORY)
		h->count++;
}

bool ui_model_add_stats(struct ui_model *m, size_t conn,
			const struct vm_stats *stats, size_t n, double now_s)
{
	unsigned sweep = ++m->stats_sweep;
	bool gone = false;

	for (size_t i = 0; i < n; i++) {
		struct ui_vm *v = ui_model_find_uuid(m, conn, stats[i].uuid);

		if (!v)
			continue;
		v->stats_sweep = sweep;
		/* A sample with no figures at all (libvirt's test driver) keeps nothing. */
		if (!stats[i].have)
			continue;
		if (!v->st) {
			v->st = xcalloc(1, sizeof(*v->st));
		} else {
			vm_rates_compute(&v->st->last, &stats[i], &v->st->rates);
			ui_history_push(v, now_s - m->start_s);
		}
		v->st->last = stats[i];
	}
	for (size_t i = 0; i < m->n_vms; i++) {
		struct ui_vm *v = m->vms[i];

		if (v->conn == conn && v->st && v->stats_sweep != sweep &&
		    vm_state_is_active(v->vm.info.state))
			gone = true;
	}
	return gone;
}

bool ui_history_get(const struct ui_history *h, enum ui_series s, unsigned i,
		    float *v, double *t)
{
	unsigned idx;

	if (!h || i >= h->count)
		return false;
	idx = (h->head + UI_HISTORY - 1 - i) % UI_HISTORY;
	*v = h->v[s][idx];
	if (t)
		*t = h->t[idx];
	return true;
}

static bool ui_filter_word(const char *word, const struct ui_vm *v)
{
	const struct vm_info *info = &v->vm.info;

	if (strncasecmp(word, "state:", 6) == 0) {
		const char *want = word + 6;

		if (strncasecmp(want, "running", strlen(want)) == 0 && *want &&
		    info->state == VM_STATE_BLOCKED)
			return true;
		return strncasecmp(vm_state_name(info->state), want, strlen(want)) == 0;
	}
	if (strncasecmp(word, "conn:", 5) == 0)
		return strcasestr(v->vm.uri, word + 5) != NULL;
	if (strncasecmp(word, "group:", 6) == 0)
		return v->vm.group && strcasecmp(v->vm.group, word + 6) == 0;
	return strcasestr(info->name, word) != NULL;
}

/* Whether v matches every one of the filter's words. */
static bool ui_filter_match(char *const *words, size_t n, const struct ui_vm *v)
{
	for (size_t i = 0; i < n; i++)
		if (!ui_filter_word(words[i], v))
			return false;
	return true;
}

void ui_model_set_filter(struct ui_model *m, const char *filter)
{
	vm_def_set_str(&m->filter, str_empty(filter) ? NULL : filter);
}

/* Running VMs first, then paused and the like, then the stopped ones. */
static int ui_state_rank(enum vm_state s)
{
	switch (s) {
	case VM_STATE_RUNNING: case VM_STATE_BLOCKED: return 0;
	case VM_STATE_PAUSED: case VM_STATE_SUSPENDED: return 1;
	case VM_STATE_SHUTTING_DOWN: return 2;
	case VM_STATE_CRASHED: return 3;
	case VM_STATE_SHUTOFF: return 4;
	default: return 5;
	}
}

static int ui_cmp_num(double a, double b)
{
	return a < b ? -1 : a > b;
}

static int ui_cmp_col(const struct ui_vm *a, const struct ui_vm *b, enum ui_col col)
{
	const struct vm_rates *ra = ui_vm_rates(a), *rb = ui_vm_rates(b);

	switch (col) {
	case UI_COL_CONN: return strcmp(a->vm.uri, b->vm.uri);
	case UI_COL_BACKEND: return strcmp(a->vm.backend, b->vm.backend);
	case UI_COL_STATE: return ui_state_rank(a->vm.info.state) - ui_state_rank(b->vm.info.state);
	case UI_COL_VCPUS: return ui_cmp_num(a->vm.info.vcpus, b->vm.info.vcpus);
	case UI_COL_MEM:
		return ui_cmp_num((double)a->vm.info.max_memory_kib, (double)b->vm.info.max_memory_kib);
	case UI_COL_CPU: case UI_COL_SPARK:
		return ui_cmp_num(ra->have & VM_STATS_CPU ? ra->cpu_pct : -1,
				  rb->have & VM_STATS_CPU ? rb->cpu_pct : -1);
	case UI_COL_MEMUSE:
		return ui_cmp_num((double)ui_mem_used_kib(ra), (double)ui_mem_used_kib(rb));
	case UI_COL_DISK:
		return ui_cmp_num(ra->blk_rd_bps + ra->blk_wr_bps, rb->blk_rd_bps + rb->blk_wr_bps);
	case UI_COL_NET:
		return ui_cmp_num(ra->net_rx_bps + ra->net_tx_bps, rb->net_rx_bps + rb->net_tx_bps);
	case UI_COL_GROUP:
		return strcmp(a->vm.group ? a->vm.group : "", b->vm.group ? b->vm.group : "");
	default:
		return 0;
	}
}

/* qsort has no context argument: the order in force during a sort. */
static enum ui_col ui_sort_col;
static bool ui_sort_desc;

static int ui_vm_cmp(const struct ui_vm *a, const struct ui_vm *b)
{
	int c = ui_cmp_col(a, b, ui_sort_col);

	/* Ties, and the name column itself, go by name, then connection. */
	if (c == 0)
		c = strcasecmp(a->vm.info.name, b->vm.info.name);
	if (c == 0)
		c = strcmp(a->vm.uri, b->vm.uri);
	return ui_sort_desc ? -c : c;
}

/* Ungrouped VMs first, then group by group (by name), each in the sort order. */
static int ui_layout_cmp(const void *pa, const void *pb)
{
	const struct ui_vm *a = *(struct ui_vm *const *)pa, *b = *(struct ui_vm *const *)pb;

	if (!a->vm.group != !b->vm.group)
		return a->vm.group ? 1 : -1;
	if (a->vm.group) {
		int c = strcmp(a->vm.group, b->vm.group);

		if (c)
			return c;
	}
	return ui_vm_cmp(a, b);
}

bool ui_model_is_folded(const struct ui_model *m, const char *group)
{
	for (size_t i = 0; i < m->n_folded; i++)
		if (strcmp(m->folded[i], group) == 0)
			return true;
	return false;
}

void ui_model_toggle_fold(struct ui_model *m, const char *group)
{
	for (size_t i = 0; i < m->n_folded; i++)
		if (strcmp(m->folded[i], group) == 0) {
			free(m->folded[i]);
			m->folded[i] = m->folded[--m->n_folded];
			return;
		}
	m->folded = xrealloc(m->folded, (m->n_folded + 1) * sizeof(*m->folded));
	m->folded[m->n_folded++] = xstrdup(group);
}

static void ui_row_add(struct ui_model *m, struct ui_vm *vm, const char *group)
{
	struct ui_row *r;

	m->rows = xgrow(m->rows, &m->cap_rows, m->n_rows, sizeof(*m->rows));
	r = &m->rows[m->n_rows++];
	memset(r, 0, sizeof(*r));
	r->vm = vm;
	r->group = group;
}

/* Lay sorted VMs out as rows: ungrouped first, then each group under a header. */
static void ui_model_layout(struct ui_model *m, struct ui_vm **shown, size_t n)
{
	size_t i = 0;

	while (i < n && !shown[i]->vm.group)
		ui_row_add(m, shown[i++], NULL);
	while (i < n) {
		const char *g = shown[i]->vm.group;
		size_t j = i, header = m->n_rows;

		while (j < n && str_eq(shown[j]->vm.group, g))
			j++;
		ui_row_add(m, NULL, g);
		m->rows[header].members = (unsigned)(j - i);
		m->rows[header].folded = ui_model_is_folded(m, g);
		for (; i < j; i++) {
			m->rows[header].marked += shown[i]->marked;
			if (!m->rows[header].folded)
				ui_row_add(m, shown[i], g);
		}
	}
}

void ui_model_rebuild(struct ui_model *m)
{
	struct ui_row *cur = ui_model_current(m);
	struct ui_vm *sel_vm = cur ? cur->vm : NULL;
	char *sel_group = cur && !cur->vm && cur->group ? xstrdup(cur->group) : NULL;
	struct ui_vm **shown = xrealloc(m->shown, (m->n_vms ? m->n_vms : 1) * sizeof(*shown));
	/* The filter split into its words once for all the VMs. */
	char *copy = xstrdup(m->filter ? m->filter : ""), *save = NULL;
	char **words = xcalloc(strlen(copy) / 2 + 1, sizeof(*words));
	size_t n = 0, nw = 0;

	for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
		words[nw++] = w;
	for (size_t i = 0; i < m->n_vms; i++) {
		struct ui_vm *v = m->vms[i];

		if (m->active_only && !vm_state_is_active(v->vm.info.state))
			continue;
		if (ui_filter_match(words, nw, v))
			shown[n++] = v;
	}
	free(words);
	free(copy);
	ui_sort_col = m->sort;
	ui_sort_desc = m->sort_desc;
	qsort(shown, n, sizeof(*shown), ui_layout_cmp);
	m->n_rows = 0;
	ui_model_layout(m, shown, n);
	m->shown = shown;
	m->n_shown = n;
	m->cursor = m->n_rows ? (m->cursor < m->n_rows ? m->cursor : m->n_rows - 1) : 0;
	for (size_t i = 0; i < m->n_rows; i++)
		if ((sel_vm && m->rows[i].vm == sel_vm) ||
		    (sel_group && !m->rows[i].vm && str_eq(m->rows[i].group, sel_group)))
			m->cursor = i;
	free(sel_group);
}

struct ui_row *ui_model_current(struct ui_model *m)
{
	return m->cursor < m->n_rows ? &m->rows[m->cursor] : NULL;
}

void ui_model_select(struct ui_model *m, size_t conn, const char *name)
{
	for (size_t i = 0; i < m->n_rows; i++)
		if (m->rows[i].vm && m->rows[i].vm->conn == conn &&
		    str_eq(m->rows[i].vm->vm.info.name, name))
			m->cursor = i;
}

size_t ui_model_marked(const struct ui_model *m)
{
	size_t n = 0;

	for (size_t i = 0; i < m->n_shown; i++)
		n += m->shown[i]->marked;
	return n;
}

/* The shown VMs of group (NULL: all of them) into out; how many. */
static size_t ui_model_shown_in(const struct ui_model *m, const char *group,
				struct ui_vm **out)
{
	size_t n = 0;

	for (size_t i = 0; i < m->n_shown; i++)
		if (!group || str_eq(m->shown[i]->vm.group, group))
			out[n++] = m->shown[i];
	return n;
}

size_t ui_model_toggle_marks(struct ui_model *m, const char *group, bool *on)
{
	struct ui_vm **vms = xcalloc(m->n_shown + 1, sizeof(*vms));
	size_t n = ui_model_shown_in(m, group, vms);
	bool all = n > 0;

	for (size_t i = 0; i < n; i++)
		all = all && vms[i]->marked;
	for (size_t i = 0; i < n; i++)
		vms[i]->marked = !all;
	free(vms);
	*on = !all;
	ui_model_rebuild(m);
	return n;
}

void ui_model_clear_marks(struct ui_model *m)
{
	for (size_t i = 0; i < m->n_vms; i++)
		m->vms[i]->marked = false;
	for (size_t i = 0; i < m->n_rows; i++)
		m->rows[i].marked = 0;
}

struct ui_vm **ui_model_targets(struct ui_model *m, size_t *n)
{
	struct ui_vm **out = xcalloc(m->n_vms + 1, sizeof(*out));
	struct ui_row *cur = ui_model_current(m);

	*n = 0;
	/* Marked VMs in list order, so that messages read as the screen does. */
	for (size_t i = 0; i < m->n_shown; i++)
		if (m->shown[i]->marked)
			out[(*n)++] = m->shown[i];
	if (*n == 0 && cur && cur->vm)
		out[(*n)++] = cur->vm;
	return out;
}
