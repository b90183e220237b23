#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# autostart.sh: autostart on kvm:///: the flag kept through edits, and autostart --boot starting exactly the marked VMs that are not running.
. "$top_srcdir/tests/cli/lib.sh"
need_probe
[ -r /dev/kvm ] && [ -w /dev/kvm ] || skip "cannot open /dev/kvm"
at_exit 'for vm in b1 b2 b3 b4; do "$VMTUI" destroy $vm >/dev/null 2>&1; done'

# state VM / autostart VM: from list --all --json.
state() { "$VMTUI" list --all --json >"$TMPD/list" && "$PYTHON3" -c 'import json,sys; print([v["state"] for v in json.load(open(sys.argv[1])) if v["name"] == sys.argv[2]][0])' "$TMPD/list" "$1"; }
autostart() { "$VMTUI" list --all --json >"$TMPD/list" && "$PYTHON3" -c 'import json,sys; print([v["autostart"] for v in json.load(open(sys.argv[1])) if v["name"] == sys.argv[2]][0])' "$TMPD/list" "$1"; }

cp "$PROBE" "$TMPD/k4"
for vm in b1 b2 b3; do expect 0 "$VMTUI" create $vm --kernel "$PROBE" --memory 32; done
expect 0 "$VMTUI" create b4 --kernel "$TMPD/k4" --memory 32
expect 0 "$VMTUI" autostart b1 on
out_has '^b1: autostart on$'
expect 0 "$VMTUI" autostart b2 on
expect 0 "$VMTUI" autostart b4 on
[ "$(autostart b1)" = True ] && [ "$(autostart b3)" = False ] || fail "list does not show the flags"
# An edit keeps the flag; off takes it away again.
expect 0 "$VMTUI" edit b1 --memory 48
[ "$(autostart b1)" = True ] || fail "edit lost autostart"
expect 0 "$VMTUI" autostart b3 on
expect 0 "$VMTUI" autostart b3 off
[ "$(autostart b3)" = False ] || fail "autostart off did not take"

expect 0 "$VMTUI" start b2
uuid2=$("$VMTUI" show b2 --json | "$PYTHON3" -c 'import json,sys; print(json.load(sys.stdin)["uuid"])')
pid2=$(cut -d' ' -f1 "$VMTUI_RUNTIME_DIR/$uuid2.pid")
# b4's kernel is gone by "boot" time: it fails, the others still start.
rm "$TMPD/k4"
expect 1 "$VMTUI" autostart --boot
out_has '^b1: started$'
out_has '^b2: already running$'
grep -q 'b3' "$TMPD/out" && fail "b3 (autostart off) was touched"
[ "$(grep -c '^vmtui: b4: not started: ' "$TMPD/err")" = 1 ] || fail "b4's failure: $(cat "$TMPD/err")"
grep -q 'k4' "$TMPD/err" || fail "b4's failure does not name its kernel: $(cat "$TMPD/err")"
[ "$(state b1)" = running ] || fail "b1 is $(state b1), not running"
[ "$(state b2)" = running ] || fail "b2 is $(state b2), not running"
[ "$(state b3)" = "shut off" ] || fail "b3 is $(state b3), not shut off"
[ "$(state b4)" != running ] || fail "b4 runs without a kernel"
[ "$(cut -d' ' -f1 "$VMTUI_RUNTIME_DIR/$uuid2.pid")" = "$pid2" ] || fail "b2 was started again"

# Again, without the broken one: all is running, nothing started twice.
expect 0 "$VMTUI" autostart b4 off
expect 0 "$VMTUI" autostart --boot
out_has '^b1: already running$'
out_has '^b2: already running$'
[ "$(wc -l <"$TMPD/out")" = 2 ] || fail "autostart --boot reported more than b1 and b2: $(cat "$TMPD/out")"
expect 0 "$VMTUI" history --json
[ "$(json_get '[(e["vm"], e["result"]) for e in j if e["action"] == "start (at boot)"]')" = "[('b4', 'error'), ('b1', 'ok')]" ] ||
	fail "the history of the boot: $(json_get '[e for e in j if e["action"] == "start (at boot)"]')"

# Bad input: one line, its status, nothing changed.
before=$(db_digest)
expect_err 2 "--boot takes no VM" "$VMTUI" autostart --boot b1
expect_err 2 "'maybe' is not on or off" "$VMTUI" autostart b1 maybe
expect_err 2 "missing argument" "$VMTUI" autostart b1
expect_err 2 "unknown option, or one missing its value: --bot" "$VMTUI" autostart --bot
expect_err 2 "none of the connections is kvm:///" "$VMTUI" -c test:///default autostart --boot
expect_err 3 "no VM named ghost on kvm:///" "$VMTUI" autostart ghost on
[ "$(db_digest)" = "$before" ] || fail "a rejected autostart changed the database"
echo "PASS: autostart"
