#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# baddb.sh: a corrupt, foreign, newer, locked or unwritable database gives one clear error and stays as it was.
. "$top_srcdir/tests/cli/lib.sh"

mkdir -p "$TMPD/data"
digest() { sha256sum "$1" | cut -d' ' -f1; }

printf 'garbage, not SQLite\n' >"$VMTUI_DB"
sum=$(digest "$VMTUI_DB")
expect_err 1 "database .* is corrupt or not a database" "$VMTUI" list
[ "$(digest "$VMTUI_DB")" = "$sum" ] || fail "vmtui changed a corrupt database"

rm -f "$VMTUI_DB"
"$PYTHON3" -c 'import sqlite3,sys; d=sqlite3.connect(sys.argv[1]); d.execute("create table t(x)"); d.execute("pragma user_version=42"); d.commit()' "$VMTUI_DB"
sum=$(digest "$VMTUI_DB")
expect_err 1 "schema version 42, newer than this vmtui understands" "$VMTUI" list --all
[ "$(digest "$VMTUI_DB")" = "$sum" ] || fail "vmtui changed a newer database"

rm -f "$VMTUI_DB"
"$PYTHON3" -c 'import sqlite3,sys; d=sqlite3.connect(sys.argv[1]); d.execute("create table photos(x)"); d.commit()' "$VMTUI_DB"
sum=$(digest "$VMTUI_DB")
expect_err 1 "is not a vmtui database" "$VMTUI" list
[ "$(digest "$VMTUI_DB")" = "$sum" ] || fail "vmtui changed someone else's database"

# A database another process holds the write lock of.
rm -f "$VMTUI_DB"
expect 0 "$VMTUI" list
"$PYTHON3" - "$VMTUI_DB" "$TMPD/locked" <<'PY' &
import sqlite3, sys, time, os
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(30)
PY
holder=$!
at_exit "kill $holder 2>/dev/null"
i=0; while [ ! -f "$TMPD/locked" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
expect_err 1 "database .* is locked by another process" "$VMTUI" -c test:///default create x
kill $holder; wait $holder 2>/dev/null
expect 0 "$VMTUI" list --all

# A database vmtui may not write.
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null || skip "no setpriv to drop root for the unwritable case"
	chmod 755 "$TMPD" "$TMPD/data"
	chmod 644 "$VMTUI_DB"
	as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
else
	chmod 500 "$TMPD/data"
	chmod 400 "$VMTUI_DB"
	as_nobody() { "$@"; }
fi
sum=$(digest "$VMTUI_DB")
expect_err 1 "database .* cannot be written" as_nobody "$VMTUI" list
[ "$(digest "$VMTUI_DB")" = "$sum" ] || fail "vmtui changed an unwritable database"
chmod 700 "$TMPD/data"
