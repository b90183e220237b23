/* SPDX-License-Identifier: GPL-2.0-or-later */
/* store-priv.h: what the store's own files share, and nobody else sees. */
#ifndef VMTUI_STORE_PRIV_H
#define VMTUI_STORE_PRIV_H

#include <sqlite3.h>

#include "src/store/store.h"

struct store {
	sqlite3 *db;
	char *path;
	int txn_depth;
};

/* Fill err from the connection's last error, saying what was being done. */
int store_fail(struct store *st, struct vmt_error *err, const char *what);
/* Prepare sql; on failure fill err. */
int store_prepare(struct store *st, const char *sql, sqlite3_stmt **stmt,
		  struct vmt_error *err);
/* Run one statement that returns no rows. */
int store_exec(struct store *st, const char *sql, struct vmt_error *err);
/* Bind a text parameter, NULL as SQL NULL. */
int store_bind_text(sqlite3_stmt *stmt, int idx, const char *s);
/* A column as a new string, or NULL for SQL NULL. */
char *store_column_text(sqlite3_stmt *stmt, int col);
/* A UUID column into out, cut at 36 characters ("" for NULL). */
void store_column_uuid(sqlite3_stmt *stmt, int col, char out[37]);

/* The schema text, generated from data/schema.sql at build time. */
extern const char vmtui_schema_sql[];

#endif
