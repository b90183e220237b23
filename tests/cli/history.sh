#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# history.sh: vmtui history on kvm:/// (a probe VM's life, snapshots, a refused edit, its deletion) and test:///default, and its bad input.
. "$top_srcdir/tests/cli/lib.sh"
need_probe
[ -r /dev/kvm ] && [ -w /dev/kvm ] || skip "cannot open /dev/kvm"
at_exit '"$VMTUI" destroy h1 >/dev/null 2>&1'

expect 0 "$VMTUI" history
out_has '^no events recorded on kvm:///$'
expect 0 "$VMTUI" create h1 --kernel "$PROBE" --memory 32
expect 0 "$VMTUI" start h1
expect 0 "$VMTUI" snapshot h1 create s1
expect_err 2 "memory: 8 MiB is out of range" "$VMTUI" edit h1 --memory 8
expect_err 1 "no snapshot named nosuch" "$VMTUI" snapshot h1 revert nosuch
expect 0 "$VMTUI" destroy h1
expect 0 "$VMTUI" delete h1
# A VM of the same name afterwards is another VM, with its own history.
expect 0 "$VMTUI" create h1 --kernel "$PROBE" --memory 32
expect 0 "$VMTUI" create h2 --kernel "$PROBE" --memory 32

expect 0 "$VMTUI" history --json
json_check
got=$(json_get '[(e["vm"], e["action"], e["result"], e["deleted"]) for e in j]')
want="[('h2', 'create', 'ok', False), ('h1', 'create', 'ok', False), ('h1', 'delete', 'ok', True), ('h1', 'destroy', 'ok', True), ('h1', 'snapshot revert nosuch', 'error', True), ('h1', 'edit', 'error', True), ('h1', 'snapshot create s1', 'ok', True), ('h1', 'start', 'ok', True), ('h1', 'create', 'ok', True)]"
[ "$got" = "$want" ] || fail "history: $got"
json_get '[e["error"] for e in j if e["action"] == "edit"][0]' | grep -q 'memory: 8 MiB is out of range' ||
	fail "the refused edit lost its message"
[ "$(json_get 'len(set(e["uuid"] for e in j if e["vm"] == "h1"))')" = 2 ] || fail "the two h1 do not have a UUID each"
[ "$(json_get 'all(e["connection"] == "kvm:///" and e["time"] > 0 for e in j)')" = True ] || fail "connection or time missing"
[ "$(json_get '[e["time"] for e in j] == sorted([e["time"] for e in j], reverse=True)')" = True ] || fail "not newest first"

# The text: one line an event, the deleted VM said so, a failure with its reason.
expect 0 "$VMTUI" history
out_has '^TIME +CONNECTION +VM +ACTION +RESULT$'
out_has '^[0-9-]{10} [0-9:]{8}  kvm:///  +h1 \(deleted\)  +edit  +error: memory: 8 MiB is out of range'
out_has '^[0-9-]{10} [0-9:]{8}  kvm:///  +h1 \(deleted\)  +snapshot create s1  +ok$'
out_has '^[0-9-]{10} [0-9:]{8}  kvm:///  +h2  +create  +ok$'
[ "$(grep -c 'kvm:///' "$TMPD/out")" = 9 ] || fail "not one line an event"

# One VM: by name, the deleted one's events included; a limit.
expect 0 "$VMTUI" history h1 --json
[ "$(json_get 'len(j)')" = 8 ] || fail "history h1 has $(json_get 'len(j)') events, not 8"
[ "$(json_get 'set(e["vm"] for e in j)')" = "{'h1'}" ] || fail "history h1 shows other VMs"
expect 0 "$VMTUI" history h1 --limit 2
[ "$(grep -c 'kvm:///' "$TMPD/out")" = 2 ] || fail "--limit 2 printed $(grep -c 'kvm:///' "$TMPD/out") events"
out_has '^\(the 2 newest; --limit N shows more\)$'
expect 0 "$VMTUI" history h1 --limit 8
grep -q 'newest; --limit' "$TMPD/out" && fail "a limit that shows all says more are left out"
expect 0 "$VMTUI" history --limit 1 --json
[ "$(json_get 'len(j)')" = 1 ] || fail "--limit 1 --json gave $(json_get 'len(j)') events"

# test:///default: its own events only, and with both connections both.
expect 0 "$VMTUI" -c test:///default pause test
expect 0 "$VMTUI" -c test:///default history --json
[ "$(json_get '[(e["connection"], e["vm"], e["action"]) for e in j]')" = "[('test:///default', 'test', 'pause')]" ] ||
	fail "test:///default's history: $(cat "$TMPD/out")"
expect 0 "$VMTUI" -c test:///default history test
out_has 'test:///default +test +pause +ok$'
expect 0 "$VMTUI" -c kvm:/// -c test:///default history --json
[ "$(json_get 'len(j)')" = 10 ] || fail "both connections: $(json_get 'len(j)') events"
[ "$(json_get 'j[0]["connection"]')" = test:///default ] || fail "the newest is not test's pause"
# A VM vmtui never touched has no events; that is no error.
expect 0 "$VMTUI" -c test:///default history test --limit 5
expect 0 "$VMTUI" create quiet --kernel "$PROBE"
# Each process sees the test driver anew: test runs again.
expect 0 "$VMTUI" -c test:///default pause test
expect 0 "$VMTUI" -c test:///default history --json
[ "$(json_get 'len(j)')" = 2 ] || fail "test:///default shows kvm's events"

# Bad input: one line, its status, nothing changed.
before=$(db_digest)
expect_err 2 "limit: '0' is not a number from 1 to" "$VMTUI" history --limit 0
expect_err 2 "limit: 'x' is not a number from 1 to" "$VMTUI" history --limit x
expect_err 2 "limit: '-3' is not a number from 1 to" "$VMTUI" history --limit=-3
expect_err 2 "limit: '9999999' is not a number from 1 to" "$VMTUI" history h1 --limit 9999999
expect_err 2 "unknown option, or one missing its value: --limit" "$VMTUI" history --limit
expect_err 2 "unknown option, or one missing its value: --since" "$VMTUI" history --since 1
expect_err 2 "unexpected argument 'h2'" "$VMTUI" history h1 h2
expect_err 3 "^vmtui: no VM named ghost on kvm:///" "$VMTUI" history ghost
[ "$(db_digest)" = "$before" ] || fail "a rejected history changed the database"
echo "PASS: history"
