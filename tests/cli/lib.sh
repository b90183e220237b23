# SPDX-License-Identifier: GPL-2.0-or-later
# lib.sh: shared set-up for the CLI tests: a private database and runtime dir, checks, clean-up.

: "${top_builddir:?run through make check}"
: "${top_srcdir:?run through make check}"
: "${VMTUI:=$top_builddir/vmtui}"
. "$top_srcdir/tests/lib.sh"

export VMTUI_DB="$TMPD/data/vmtui.db"
export VMTUI_RUNTIME_DIR="$TMPD/run"
export XDG_CONFIG_HOME="$TMPD/config" XDG_DATA_HOME="$TMPD/data" HOME="$TMPD/home"
mkdir -p "$HOME"

# expect STATUS CMD...: run CMD (stdout to $TMPD/out, stderr to $TMPD/err)
# and check its exit status.
expect() {
	want=$1; shift
	got=0
	"$@" >"$TMPD/out" 2>"$TMPD/err" || got=$?
	[ "$got" = "$want" ] || fail "'$*' exited $got, not $want"
}

# expect_err STATUS PATTERN CMD...: as expect, and stderr is one line matching PATTERN.
expect_err() {
	want=$1; pat=$2; shift 2
	expect "$want" "$@"
	[ "$(wc -l <"$TMPD/err")" -eq 1 ] || fail "'$*': stderr is not one line"
	grep -Eq -- "$pat" "$TMPD/err" || fail "'$*': stderr does not match '$pat'"
}

# out_has PATTERN: the last command's stdout matches PATTERN.
out_has() { grep -Eq -- "$1" "$TMPD/out" || { cat "$TMPD/out"; fail "stdout lacks '$1'"; }; }

# json_check: the last command's stdout is valid JSON (checked with a real parser).
json_check() {
	"$PYTHON3" -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMPD/out" ||
		fail "not valid JSON: $(head -c 300 "$TMPD/out")"
}

# json_get EXPR: evaluate a Python expression on the parsed stdout (as j).
json_get() {
	"$PYTHON3" -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
		"$TMPD/out" "$1"
}

# db_digest: a digest of everything in the database (schema and rows).
db_digest() {
	"$PYTHON3" - "$VMTUI_DB" <<'PY'
import hashlib, sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
print(hashlib.sha256("\n".join(db.iterdump()).encode()).hexdigest())
PY
}

# defs_digest: a digest of the VM definitions in the database (vms, disks,
# nics, cloud image records); unlike db_digest it ignores the event
# history, which records failed attempts too.
defs_digest() {
	"$PYTHON3" - "$VMTUI_DB" <<'PY'
import hashlib, os, sqlite3, sys
if not os.path.exists(sys.argv[1]):
    print("no database"); sys.exit(0)
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
rows = []
for t in ("vms", "disks", "nics", "images"):
    rows += [repr(r) for r in db.execute("SELECT * FROM %s ORDER BY 1, 2" % t)]
print(hashlib.sha256("\n".join(rows).encode()).hexdigest())
PY
}
