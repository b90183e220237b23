#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# lifecycle.sh: STATE, INFO, PAUSE/RESUME (the guest really stops), POWERDOWN, runtime files, socket reuse.
. "$(dirname "$0")/lib.sh"
need_kvm; need_probe

# A stale socket (nobody listening) is replaced.
"$PYTHON3" -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$TMPD/lc.sock"
echo "crashed before" >"$TMPD/lc.exit"
run_vm lc --kernel "$PROBE" --cmdline "console=ttyS0 probe.echo" --memory 64 --name lc-vm \
	--uuid 0f0e0d0c-0000-4000-8000-000000000001
$CTL wait-file "$TMPD/lc.log" 'guest ready' "$LIMIT" || fail "guest never became ready"
[ -f "$TMPD/lc.exit" ] && fail "a stale .exit survived a good start"
read -r pid start <"$TMPD/lc.pid" || fail "no pid file"
[ "$pid" = "$VM_PID" ] || [ "$(cat /proc/$pid/comm)" = vmtui-vmm ] || fail "pid file names $pid"
[ "$start" = "$(cut -d')' -f2 /proc/$pid/stat | awk '{print $20}')" ] || fail "pid file start time is wrong"
[ "$(stat -c %a "$TMPD/lc.sock")" = 600 ] || fail "socket mode is $(stat -c %a "$TMPD/lc.sock")"

# A second runner on the same socket is refused while the first answers.
st=0
"$VMTUI_VMM" --kernel "$PROBE" --socket "$TMPD/lc.sock" --ready-fd 3 3>"$TMPD/dup.ready" \
	</dev/null >/dev/null 2>"$TMPD/dup.log" || st=$?
[ $st -eq 1 ] && grep -q 'a live runner answers there' "$TMPD/dup.ready" || fail "second runner not refused"

[ "$($CTL "$TMPD/lc.sock" STATE)" = "OK running" ] || fail "STATE is not 'OK running'"
$CTL "$TMPD/lc.sock" INFO >"$TMPD/info.txt" || fail "INFO failed"
for kv in "name lc-vm" "uuid 0f0e0d0c-0000-4000-8000-000000000001" "vcpus 1" "memory_mib 64" \
	"cmdline console=ttyS0 probe.echo" "ready 1" "kernel $PROBE"; do
	grep -qxF "$kv" "$TMPD/info.txt" || fail "INFO lacks '$kv'"
done
grep -q '^started [0-9]\+$' "$TMPD/info.txt" || fail "INFO lacks started"
[ "$(tail -n 1 "$TMPD/info.txt")" = "" ] || fail "INFO does not end with an empty line"
$CTL "$TMPD/lc.sock" FROB | grep -qx 'ERR unknown request FROB' || fail "unknown request not refused"

# Paused, the guest must not echo; resumed, the echo arrives.
[ "$($CTL "$TMPD/lc.sock" PAUSE)" = OK ] || fail "PAUSE failed"
[ "$($CTL "$TMPD/lc.sock" STATE)" = "OK paused" ] || fail "STATE is not 'OK paused'"
$CTL "$TMPD/lc.sock" PAUSE | grep -q '^ERR VM is already paused' || fail "second PAUSE not refused"
$CTL "$TMPD/lc.sock" console --send 'paused-echo' --absent 'paused-echo' --timeout 2 >/dev/null ||
	fail "the paused guest echoed"
[ "$($CTL "$TMPD/lc.sock" RESUME)" = OK ] || fail "RESUME failed"
$CTL "$TMPD/lc.sock" RESUME | grep -q '^ERR VM is not paused' || fail "second RESUME not refused"
$CTL "$TMPD/lc.sock" console --expect 'paused-echo' --timeout "$LIMIT" >/dev/null ||
	fail "no echo after RESUME"

# The power button: Ctrl-Alt-Del reaches the guest, which powers off.
# The log holds the earlier console clients' lines too: wait for one more attach than it has.
attached=$(grep -c 'console client attached' "$TMPD/lc.log")
$CTL "$TMPD/lc.sock" console --expect 'probe: ctrl-alt-del' --timeout "$LIMIT" >"$TMPD/cad.out" &
watcher=$!
PIDS="$PIDS $watcher"
$CTL wait-file "$TMPD/lc.log" "(?s)(console client attached.*){$((attached + 1))}" "$LIMIT" ||
	fail "watcher did not attach"
[ "$($CTL "$TMPD/lc.sock" POWERDOWN)" = OK ] || fail "POWERDOWN failed"
wait_exit $VM_PID
[ $VM_STATUS -eq 0 ] || fail "status $VM_STATUS after poweroff"
[ "$(exit_reason lc)" = poweroff ] || fail "reason $(exit_reason lc), want poweroff"
wait $watcher || fail "the guest never saw Ctrl-Alt-Del"
for f in lc.sock lc.pid lc.exit; do
	[ -e "$TMPD/$f" ] && fail "$f left behind"
done

# SIGTERM is a clean end too.
run_vm term --kernel "$PROBE" --memory 64
kill -TERM $VM_PID
wait_exit $VM_PID
[ "$(exit_reason term)" = killed ] || fail "SIGTERM: reason $(exit_reason term), want killed"
[ -e "$TMPD/term.sock" ] && fail "SIGTERM left the socket"
echo "PASS: lifecycle"
