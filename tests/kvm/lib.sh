# SPDX-License-Identifier: GPL-2.0-or-later
# lib.sh: shared set-up for the runner's shell tests: find things, skip cleanly, clean up always.

here=$(cd "$(dirname "$0")" && pwd)
: "${top_builddir:=$here/../..}"
. "$here/../lib.sh"
CTL="$PYTHON3 $here/vmmctl.py"
# Generous limits: they only stop a hang, they never decide a result.
LIMIT=${VMM_TEST_LIMIT:-60}

PIDS=
# ours PID: PID is still a child of this shell. One that ended was reaped, and on a busy
# machine its number may since be another test's process (a tmux server, say).
ours() { [ "$(ps -o ppid= -p "$1" 2>/dev/null | tr -d ' ')" = "$$" ]; }
# The PIDs are timeout(1)s: their children (runners) go first, or they would outlive us.
kill_runners() {
	for p in $PIDS; do
		ours "$p" || continue
		pkill -KILL -P "$p" 2>/dev/null
		kill -9 "$p" 2>/dev/null
	done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
}
at_exit kill_runners

# run_vm NAME ARGS...: start a runner in the background with socket
# $TMPD/NAME.sock, log $TMPD/NAME.log, stdout $TMPD/NAME.out; wait for its
# ready answer in $TMPD/NAME.ready.  Sets VM_PID.  $RUN_PREFIX (say,
# "ip netns exec NS") goes before the runner.
run_vm() {
	name=$1; shift
	timeout -s KILL "$LIMIT" $RUN_PREFIX "$VMTUI_VMM" --socket "$TMPD/$name.sock" --ready-fd 3 "$@" \
		3>"$TMPD/$name.ready" >"$TMPD/$name.out" 2>"$TMPD/$name.log" </dev/null &
	VM_PID=$!
	PIDS="$PIDS $VM_PID"
	$CTL wait-file "$TMPD/$name.ready" '^(OK|ERR)' "$LIMIT" || fail "$name: no ready answer"
	grep -q '^OK' "$TMPD/$name.ready" || fail "$name: set-up failed: $(cat "$TMPD/$name.ready")"
}

# wait_exit PID: wait for the runner to end; sets VM_STATUS.
wait_exit() {
	VM_STATUS=0
	wait "$1" || VM_STATUS=$?
}

# exit_reason NAME: the reason word of the log's last "exit reason=" line.
exit_reason() {
	sed -n 's/.* vmm: exit reason=\([a-z-]*\).*/\1/p' "$TMPD/$1.log" | tail -n 1
}
