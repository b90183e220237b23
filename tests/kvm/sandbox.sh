#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# sandbox.sh: the runner's seccomp filter: on once set up, and a forbidden system call kills it with the reason on record.
. "$(dirname "$0")/lib.sh"
need_kvm; need_probe

# Outside test mode the debug request does not exist.
run_vm plain --kernel "$PROBE" --memory 64
grep -q 'sandbox: seccomp filter on' "$TMPD/plain.log" || fail "no sandbox line in the log"
if [ "$(id -u)" = 0 ]; then
	grep -q 'sandbox: dropped all [0-9]* capabilities' "$TMPD/plain.log" || fail "root kept its capabilities"
fi
reply=$($CTL "$TMPD/plain.sock" TEST-SECCOMP) && fail "TEST-SECCOMP answered outside test mode"
[ "$reply" = "ERR unknown request TEST-SECCOMP" ] || fail "TEST-SECCOMP: '$reply'"
$CTL "$TMPD/plain.sock" STATS >/dev/null || fail "STATS inside the sandbox"
$CTL "$TMPD/plain.sock" RESET >/dev/null || fail "a reboot inside the sandbox"
$CTL wait-file "$TMPD/plain.log" 'guest ready \(#2\)' "$LIMIT" || fail "the guest did not come back after RESET"
$CTL "$TMPD/plain.sock" KILL >/dev/null
wait_exit $VM_PID
[ "$(exit_reason plain)" = killed ] || fail "plain: reason $(exit_reason plain)"

# In test mode it makes a forbidden call: death by SIGSYS, with .exit and the log saying why.
VMTUI_VMM_TEST=1 run_vm t --kernel "$PROBE" --memory 64 --disk "$PROBE,readonly"
[ -f "$TMPD/t.pid" ] || fail "no pid file while running"
[ "$($CTL "$TMPD/t.sock" TEST-SECCOMP)" = OK ] || fail "TEST-SECCOMP was not answered"
wait_exit $VM_PID
[ $VM_STATUS -eq $((128 + 31)) ] || fail "status $VM_STATUS, want death by SIGSYS (159)"
grep -q '^seccomp syscall [0-9]* (uname) is outside the sandbox$' "$TMPD/t.exit" ||
	fail ".exit says '$(cat "$TMPD/t.exit" 2>/dev/null)'"
grep -q ' error vmm: killed by seccomp: syscall [0-9]* (uname) is outside the sandbox' "$TMPD/t.log" ||
	fail "no 'killed by seccomp' log line"
[ "$(exit_reason t)" = seccomp ] || fail "last log line: reason $(exit_reason t)"
[ -e "$TMPD/t.pid" ] && fail "the pid file outlived the runner"
[ -e "$TMPD/t.sock" ] && fail "the socket outlived the runner"
note "$(cat "$TMPD/t.exit")"

# --no-sandbox leaves it off (for debugging under strace or gdb).
run_vm off --kernel "$PROBE" --memory 64 --no-sandbox
grep -q 'sandbox:' "$TMPD/off.log" && fail "--no-sandbox still entered the sandbox"
$CTL "$TMPD/off.sock" KILL >/dev/null
wait_exit $VM_PID
echo "PASS: sandbox"
