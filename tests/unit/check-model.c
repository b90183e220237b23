// SPDX-License-Identifier: GPL-2.0-or-later
/* check-model.c: unit tests of the UI's model: merging lists, sorting, filtering, grouping, folding and marking. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/lib/util.h"
#include "tests/unit/check-util.h"
#include "ui/model.h"

static const char *const uri_kvm = "kvm:///";
static const char *const uri_lv = "qemu:///system";

/* One VM as a connection's list gives it; group NULL: none. */
struct spec {
	const char *name;
	enum vm_state state;
	unsigned vcpus;
	unsigned mem_mib;
	const char *group;
};

/* A list for connection conn, as ui_model_merge takes it (UUIDs made from the names). */
static struct core_vm *make_list(size_t conn, const struct spec *sp, size_t n)
{
	struct core_vm *vms = xcalloc(n ? n : 1, sizeof(*vms));

	for (size_t i = 0; i < n; i++) {
		/* The same name on the same connection is the same VM. */
		uint64_t h = 1469598103934665603ull ^ conn;

		for (const char *c = sp[i].name; *c; c++)
			h = (h ^ (unsigned char)*c) * 1099511628211ull;
		snprintf(vms[i].info.uuid, sizeof(vms[i].info.uuid), "00000000-0000-4000-8000-%012llx",
			 (unsigned long long)(h & 0xffffffffffffull));
		vms[i].info.name = xstrdup(sp[i].name);
		vms[i].info.state = sp[i].state;
		vms[i].info.vcpus = sp[i].vcpus;
		vms[i].info.max_memory_kib = (uint64_t)sp[i].mem_mib * 1024;
		vms[i].info.memory_kib = vms[i].info.max_memory_kib;
		vms[i].uri = conn ? uri_lv : uri_kvm;
		vms[i].backend = conn ? "libvirt" : "kvm";
		vms[i].group = xstrdup_or_null(sp[i].group);
	}
	return vms;
}

static void merge(struct ui_model *m, size_t conn, const struct spec *sp, size_t n)
{
	ui_model_merge(m, conn, make_list(conn, sp, n), n);
	ui_model_rebuild(m);
}

/* The rows as text: VM names, "[group]" for a header, joined with spaces. */
static char *rows_text(const struct ui_model *m)
{
	struct strbuf sb;

	strbuf_init(&sb);
	for (size_t i = 0; i < m->n_rows; i++) {
		const struct ui_row *r = &m->rows[i];

		if (r->vm)
			strbuf_addf(&sb, "%s%s", i ? " " : "", r->vm->vm.info.name);
		else
			strbuf_addf(&sb, "%s[%s]", i ? " " : "", r->group);
	}
	return sb.len ? strbuf_detach(&sb) : xstrdup("");
}

#define ck_rows(m, want)                                   \
	do {                                               \
		char *got_ = rows_text(m);                 \
		ck_assert_str_eq(got_, want);              \
		free(got_);                                \
	} while (0)

/* The names of the action targets, joined with spaces. */
static char *targets_text(struct ui_model *m)
{
	size_t n;
	struct ui_vm **t = ui_model_targets(m, &n);
	struct strbuf sb;

	strbuf_init(&sb);
	for (size_t i = 0; i < n; i++)
		strbuf_addf(&sb, "%s%s", i ? " " : "", t[i]->vm.info.name);
	free(t);
	return sb.len ? strbuf_detach(&sb) : xstrdup("");
}

#define ck_targets(m, want)                                \
	do {                                               \
		char *got_ = targets_text(m);              \
		ck_assert_str_eq(got_, want);              \
		free(got_);                                \
	} while (0)

static const struct spec fleet[] = {
	{ "web1", VM_STATE_RUNNING, 2, 1024, "web" },
	{ "Cache", VM_STATE_SHUTOFF, 1, 256, NULL },
	{ "db1", VM_STATE_PAUSED, 4, 4096, "db" },
	{ "web2", VM_STATE_SHUTOFF, 1, 512, "web" },
	{ "batch", VM_STATE_CRASHED, 1, 128, NULL },
	{ "db2", VM_STATE_BLOCKED, 2, 2048, "db" },
};

static const struct spec remote[] = {
	{ "alpha", VM_STATE_RUNNING, 8, 8192, NULL },
	{ "web3", VM_STATE_SHUTOFF, 1, 64, "web" },
};

static void model_fleet(struct ui_model *m)
{
	ui_model_init(m);
	merge(m, 0, fleet, ARRAY_SIZE(fleet));
	merge(m, 1, remote, ARRAY_SIZE(remote));
}

START_TEST(test_sort)
{
	struct ui_model m;

	model_fleet(&m);
	/* By name, case ignored; ungrouped first, then each group under its header. */
	ck_rows(&m, "alpha batch Cache [db] db1 db2 [web] web1 web2 web3");
	m.sort = UI_COL_STATE;
	ui_model_rebuild(&m);
	/* Running (and blocked) first, then paused, crashed, shut off; ties by name. */
	ck_rows(&m, "alpha batch Cache [db] db2 db1 [web] web1 web2 web3");
	m.sort = UI_COL_MEM;
	m.sort_desc = true;
	ui_model_rebuild(&m);
	ck_rows(&m, "alpha Cache batch [db] db1 db2 [web] web1 web2 web3");
	m.sort = UI_COL_VCPUS;
	m.sort_desc = false;
	ui_model_rebuild(&m);
	/* Equal vCPUs fall back to the name. */
	ck_rows(&m, "batch Cache alpha [db] db2 db1 [web] web2 web3 web1");
	m.sort = UI_COL_CONN;
	ui_model_rebuild(&m);
	ck_rows(&m, "batch Cache alpha [db] db1 db2 [web] web1 web2 web3");
	ui_model_done(&m);
}
END_TEST

START_TEST(test_sort_keeps_cursor)
{
	struct ui_model m;
	struct ui_row *cur;

	model_fleet(&m);
	ui_model_select(&m, 0, "web2");
	cur = ui_model_current(&m);
	ck_assert_ptr_nonnull(cur->vm);
	ck_assert_str_eq(cur->vm->vm.info.name, "web2");
	m.sort_desc = true;
	ui_model_rebuild(&m);
	/* Descending turns the VMs around, not the groups. */
	ck_rows(&m, "Cache batch alpha [db] db2 db1 [web] web3 web2 web1");
	cur = ui_model_current(&m);
	ck_assert_str_eq(cur->vm->vm.info.name, "web2");
	/* A header under the cursor stays under it too. */
	m.cursor = 6;
	ck_assert_ptr_null(ui_model_current(&m)->vm);
	m.sort_desc = false;
	ui_model_toggle_fold(&m, "db");
	ui_model_rebuild(&m);
	cur = ui_model_current(&m);
	ck_assert_uint_eq(m.cursor, 4);
	ck_assert_ptr_null(cur->vm);
	ck_assert_str_eq(cur->group, "web");
	ui_model_done(&m);
}
END_TEST

START_TEST(test_filter)
{
	struct ui_model m;

	model_fleet(&m);
	ui_model_set_filter(&m, "WEB");
	ui_model_rebuild(&m);
	ck_rows(&m, "[web] web1 web2 web3");
	/* "running" also matches blocked; a prefix of a state is enough. */
	ui_model_set_filter(&m, "state:running");
	ui_model_rebuild(&m);
	ck_rows(&m, "alpha [db] db2 [web] web1");
	ui_model_set_filter(&m, "state:shut");
	ui_model_rebuild(&m);
	ck_rows(&m, "Cache [web] web2 web3");
	ui_model_set_filter(&m, "conn:system");
	ui_model_rebuild(&m);
	ck_rows(&m, "alpha [web] web3");
	ui_model_set_filter(&m, "group:DB");
	ui_model_rebuild(&m);
	ck_rows(&m, "[db] db1 db2");
	/* Every word must match. */
	ui_model_set_filter(&m, "group:web  conn:kvm\t2");
	ui_model_rebuild(&m);
	ck_rows(&m, "[web] web2");
	ui_model_set_filter(&m, "nosuchvm");
	ui_model_rebuild(&m);
	ck_rows(&m, "");
	ck_assert_ptr_null(ui_model_current(&m));
	ui_model_set_filter(&m, "");
	ck_assert_ptr_null(m.filter);
	m.active_only = true;
	ui_model_rebuild(&m);
	ck_rows(&m, "alpha [db] db1 db2 [web] web1");
	ui_model_done(&m);
}
END_TEST

START_TEST(test_groups_and_folds)
{
	struct ui_model m;

	model_fleet(&m);
	ck_assert_uint_eq(m.rows[3].members, 2);
	ck_assert_uint_eq(m.rows[6].members, 3);
	ui_model_toggle_fold(&m, "web");
	ck_assert(ui_model_is_folded(&m, "web"));
	ui_model_rebuild(&m);
	ck_rows(&m, "alpha batch Cache [db] db1 db2 [web]");
	ck_assert(m.rows[6].folded);
	/* A folded header still counts its VMs, after the filter. */
	ck_assert_uint_eq(m.rows[6].members, 3);
	ui_model_set_filter(&m, "state:shut");
	ui_model_rebuild(&m);
	ck_rows(&m, "Cache [web]");
	ck_assert_uint_eq(m.rows[1].members, 2);
	ui_model_set_filter(&m, NULL);
	ui_model_toggle_fold(&m, "web");
	ck_assert(!ui_model_is_folded(&m, "web"));
	ui_model_rebuild(&m);
	ck_rows(&m, "alpha batch Cache [db] db1 db2 [web] web1 web2 web3");
	ui_model_done(&m);
}
END_TEST

START_TEST(test_merge)
{
	static const struct spec twice[] = {
		{ "web1", VM_STATE_PAUSED, 2, 1024, "web" },
		{ "web1", VM_STATE_SHUTOFF, 9, 9, NULL },
		{ "new", VM_STATE_SHUTOFF, 1, 64, NULL },
	};
	struct ui_model m;
	struct ui_vm *v;

	model_fleet(&m);
	ck_assert_uint_eq(m.n_vms, 8);
	v = ui_model_find(&m, 0, "web1");
	v->marked = true;
	/* A new list of connection 0 replaces its VMs; the same UUID twice keeps the first. */
	merge(&m, 0, twice, ARRAY_SIZE(twice));
	ck_assert_uint_eq(m.n_vms, 4);
	ck_rows(&m, "alpha new [web] web1 web3");
	/* The same VM (by UUID) keeps what the UI knows of it: its mark. */
	ck_assert_ptr_eq(ui_model_find(&m, 0, "web1"), v);
	ck_assert(v->marked);
	ck_assert_int_eq(v->vm.info.state, VM_STATE_PAUSED);
	ck_assert_ptr_null(ui_model_find(&m, 0, "db1"));
	/* Connections are apart: the same name on another one is another VM. */
	ck_assert_ptr_null(ui_model_find(&m, 1, "web1"));
	ui_model_done(&m);
}
END_TEST

START_TEST(test_stats_sort)
{
	struct ui_model m;
	struct vm_stats st[2];
	struct ui_vm *web1, *db2;

	model_fleet(&m);
	web1 = ui_model_find(&m, 0, "web1");
	db2 = ui_model_find(&m, 0, "db2");
	memset(st, 0, sizeof(st));
	for (int k = 0; k < 2; k++) {
		snprintf(st[k].uuid, sizeof(st[k].uuid), "%s", k ? db2->vm.info.uuid : web1->vm.info.uuid);
		st[k].have = VM_STATS_CPU;
		st[k].vcpus = 1;
	}
	ck_assert(!ui_model_add_stats(&m, 0, st, 2, 1.0));
	/* One second later: web1 used 0.25 s of CPU, db2 0.75 s. */
	st[0].time_ns = st[1].time_ns = 1000000000ull;
	st[0].cpu_ns = 250000000ull;
	st[1].cpu_ns = 750000000ull;
	ck_assert(!ui_model_add_stats(&m, 0, st, 2, 2.0));
	ck_assert(ui_vm_rates(web1)->have & VM_STATS_CPU);
	ck_assert(ui_vm_rates(db2)->cpu_pct > ui_vm_rates(web1)->cpu_pct);
	m.sort = UI_COL_CPU;
	m.sort_desc = true;
	ui_model_rebuild(&m);
	/* VMs without figures sort below every VM with some (ties by name, turned around too). */
	ck_rows(&m, "Cache batch alpha [db] db2 db1 [web] web1 web3 web2");
	/* A running VM that sent figures and now sends none has stopped. */
	st[0].time_ns = 2000000000ull;
	ck_assert(ui_model_add_stats(&m, 0, st, 1, 3.0));
	ui_model_done(&m);
}
END_TEST

START_TEST(test_marks)
{
	struct ui_model m;
	bool on;

	model_fleet(&m);
	/* Nothing marked: the VM under the cursor; on a header: none. */
	ui_model_select(&m, 0, "db2");
	ck_targets(&m, "db2");
	m.cursor = 3;
	ck_targets(&m, "");
	/* Marked VMs, in the list's order, wherever the cursor is. */
	ui_model_find(&m, 0, "web2")->marked = true;
	ui_model_find(&m, 0, "batch")->marked = true;
	ck_assert_uint_eq(ui_model_marked(&m), 2);
	ck_targets(&m, "batch web2");
	ui_model_clear_marks(&m);
	ck_assert_uint_eq(ui_model_marked(&m), 0);

	/* A group: all of its VMs, across connections; again: none of them. */
	ck_assert_uint_eq(ui_model_toggle_marks(&m, "web", &on), 3);
	ck_assert(on);
	ck_targets(&m, "web1 web2 web3");
	ck_assert_uint_eq(m.rows[6].marked, 3);
	ck_assert_uint_eq(m.rows[3].marked, 0);
	/* Some marked: the group's key marks the rest. */
	ui_model_find(&m, 1, "web3")->marked = false;
	ck_assert_uint_eq(ui_model_toggle_marks(&m, "web", &on), 3);
	ck_assert(on);
	ck_assert_uint_eq(ui_model_marked(&m), 3);
	ck_assert_uint_eq(ui_model_toggle_marks(&m, "web", &on), 3);
	ck_assert(!on);
	ck_assert_uint_eq(ui_model_marked(&m), 0);
	ui_model_done(&m);
}
END_TEST

START_TEST(test_mark_all_filtered_folded)
{
	struct ui_model m;
	bool on;

	model_fleet(&m);
	/* All: every VM the filter shows, and only those. */
	ui_model_set_filter(&m, "state:shut");
	ui_model_rebuild(&m);
	ck_assert_uint_eq(ui_model_toggle_marks(&m, NULL, &on), 3);
	ck_assert(on);
	ck_targets(&m, "Cache web2 web3");
	ui_model_set_filter(&m, NULL);
	ui_model_rebuild(&m);
	ck_assert_uint_eq(ui_model_marked(&m), 3);
	/* Marks hidden by a filter are not acted on. */
	ui_model_set_filter(&m, "conn:kvm");
	ui_model_rebuild(&m);
	ck_targets(&m, "Cache web2");
	ui_model_set_filter(&m, NULL);
	ui_model_rebuild(&m);
	/* All marked: the key unmarks them all. */
	ck_assert_uint_eq(ui_model_toggle_marks(&m, NULL, &on), 8);
	ck_assert(on);
	ck_assert_uint_eq(ui_model_toggle_marks(&m, NULL, &on), 8);
	ck_assert(!on);
	ck_assert_uint_eq(ui_model_marked(&m), 0);
	/* A folded group's marked VMs are targets, and its header counts them. */
	ck_assert_uint_eq(ui_model_toggle_marks(&m, "db", &on), 2);
	ui_model_toggle_fold(&m, "db");
	ui_model_rebuild(&m);
	ck_rows(&m, "alpha batch Cache [db] [web] web1 web2 web3");
	ck_assert_uint_eq(m.rows[3].marked, 2);
	ck_targets(&m, "db1 db2");
	/* Nothing to mark. */
	ui_model_set_filter(&m, "nosuchvm");
	ui_model_rebuild(&m);
	ck_assert_uint_eq(ui_model_toggle_marks(&m, NULL, &on), 0);
	ui_model_done(&m);
}
END_TEST

START_TEST(test_columns)
{
	enum ui_col c;

	for (int i = 0; i < UI_N_COLS; i++) {
		ck_assert_int_eq(ui_col_parse(ui_col_name((enum ui_col)i), &c), 0);
		ck_assert_int_eq(c, i);
	}
	ck_assert_int_lt(ui_col_parse("nosuch", &c), 0);
	ck_assert_str_eq(ui_col_name(UI_N_COLS), "?");
}
END_TEST

static Suite *model_suite(void)
{
	Suite *s = suite_create("model");
	TCase *tc = tcase_create("rows");

	tcase_add_test(tc, test_sort);
	tcase_add_test(tc, test_sort_keeps_cursor);
	tcase_add_test(tc, test_filter);
	tcase_add_test(tc, test_groups_and_folds);
	tcase_add_test(tc, test_merge);
	tcase_add_test(tc, test_stats_sort);
	tcase_add_test(tc, test_marks);
	tcase_add_test(tc, test_mark_all_filtered_folded);
	tcase_add_test(tc, test_columns);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(model_suite());
}
