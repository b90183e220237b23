// SPDX-License-Identifier: GPL-2.0-or-later
/* store-event.c: reading the event history across connections and VMs, deleted ones included. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "src/store/store-priv.h"
#include "src/lib/util.h"

/*
 * An event's VM counts as deleted when a later (or the same) event of
 * the same UUID is a delete that went through: a VM of the same UUID
 * defined again afterwards starts a history of its own.
 */
#define STORE_EVENT_DELETED \
	"(e.vm_uuid IS NOT NULL AND EXISTS (SELECT 1 FROM events d" \
	" WHERE d.vm_uuid = e.vm_uuid AND d.id >= e.id AND d.result = 'ok'" \
	" AND (d.action = 'delete' OR d.action LIKE 'delete %')))"

/* " AND uri IN (?, ?, ...)" for n connections (nothing when there is no list). */
static void store_event_uris_sql(struct strbuf *sql, const char *col, size_t n)
{
	if (!n)
		return;
	strbuf_addf(sql, " AND %s IN (", col);
	for (size_t i = 0; i < n; i++)
		strbuf_adds(sql, i ? ", ?" : "?");
	strbuf_adds(sql, ")");
}

static char *store_event_sql(const struct store_event_filter *f)
{
	struct strbuf sql;
	size_t n_uris = f->uris ? f->n_uris : 0;

	strbuf_init(&sql);
	strbuf_adds(&sql, "SELECT e.id, e.time, e.vm_uuid, e.vm_name, e.uri, e.action,"
		    " e.result, e.detail, " STORE_EVENT_DELETED " FROM events e WHERE 1");
	store_event_uris_sql(&sql, "e.uri", n_uris);
	if (f->vm_name) {
		strbuf_adds(&sql, " AND (e.vm_name = ? OR e.vm_uuid IN"
			    " (SELECT uuid FROM vms WHERE name = ?");
		store_event_uris_sql(&sql, "uri", n_uris);
		strbuf_adds(&sql, "))");
	}
	strbuf_adds(&sql, " ORDER BY e.time DESC, e.id DESC LIMIT ?");
	return strbuf_detach(&sql);
}

/* Bind the parameters in the order store_event_sql() wrote them. */
static void store_event_bind(sqlite3_stmt *stmt, const struct store_event_filter *f)
{
	size_t n_uris = f->uris ? f->n_uris : 0;
	int idx = 1;

	for (size_t i = 0; i < n_uris; i++)
		store_bind_text(stmt, idx++, f->uris[i]);
	if (f->vm_name) {
		store_bind_text(stmt, idx++, f->vm_name);
		store_bind_text(stmt, idx++, f->vm_name);
		for (size_t i = 0; i < n_uris; i++)
			store_bind_text(stmt, idx++, f->uris[i]);
	}
	sqlite3_bind_int64(stmt, idx, (sqlite3_int64)(f->limit > INT64_MAX ? INT64_MAX : f->limit));
}

static void store_event_read(sqlite3_stmt *stmt, struct store_event *ev)
{
	ev->id = sqlite3_column_int64(stmt, 0);
	ev->time = sqlite3_column_int64(stmt, 1);
	ev->vm_uuid = store_column_text(stmt, 2);
	ev->vm_name = store_column_text(stmt, 3);
	ev->uri = store_column_text(stmt, 4);
	ev->action = store_column_text(stmt, 5);
	ev->ok = str_eq((const char *)sqlite3_column_text(stmt, 6), "ok");
	ev->detail = store_column_text(stmt, 7);
	ev->deleted = sqlite3_column_int(stmt, 8) != 0;
	/* Columns are NOT NULL, but a hand-edited database may say otherwise. */
	if (!ev->vm_name)
		ev->vm_name = xstrdup("?");
	if (!ev->uri)
		ev->uri = xstrdup("?");
	if (!ev->action)
		ev->action = xstrdup("?");
	if (!ev->detail)
		ev->detail = xstrdup("");
}

int store_event_query(struct store *st, const struct store_event_filter *f,
		      struct store_event **out, size_t *n, struct vmt_error *err)
{
	struct store_event *evs = NULL;
	size_t cap = 0, count = 0;
	char *sql = store_event_sql(f);
	sqlite3_stmt *stmt;
	int r = store_prepare(st, sql, &stmt, err), rc;

	free(sql);
	if (r < 0)
		return r;
	store_event_bind(stmt, f);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		evs = xgrow(evs, &cap, count, sizeof(*evs));
		memset(&evs[count], 0, sizeof(*evs));
		store_event_read(stmt, &evs[count++]);
	}
	if (rc != SQLITE_DONE)
		r = store_fail(st, err, "reading the event history");
	sqlite3_finalize(stmt);
	if (r < 0) {
		store_event_list_free(evs, count);
		return r;
	}
	*out = evs;
	*n = count;
	return 0;
}
