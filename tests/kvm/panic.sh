#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# panic.sh: a guest panic through pvpanic ends the VM as crashed (or restarts it with --on-panic restart); crash-loaded lets it run.
. "$(dirname "$0")/lib.sh"
need_kvm; need_probe

# The default: the panic ends the run, status 3, reason guest-panic, a .exit file.
run_vm p --kernel "$PROBE" --cmdline "console=ttyS0 probe.panic=1" --memory 64 --on-reboot restart \
	--console-stdio
wait_exit $VM_PID
[ $VM_STATUS -eq 3 ] || fail "exit mode: status $VM_STATUS, want 3 (crash)"
[ "$(exit_reason p)" = guest-panic ] || fail "exit mode: reason $(exit_reason p), want guest-panic"
grep -qx "guest-panic pvpanic" "$TMPD/p.exit" 2>/dev/null || fail ".exit says '$(cat "$TMPD/p.exit" 2>/dev/null)'"
# Slot 1 the rng, then pvpanic: it offers both events, and the guest got to write.
grep -q '^probe: pvpanic 00:02.0 bar=e0008000 events=3' "$TMPD/p.out" ||
	fail "pvpanic is not where the probe looked: $(grep pvpanic "$TMPD/p.out")"
grep -q '^probe: pvpanic still running' "$TMPD/p.out" && fail "the VM ran on after the panic"
for f in p.sock p.pid; do
	[ -e "$TMPD/$f" ] && fail "$f left behind"
done

# --on-panic restart: the guest boots again (and panics again); the control socket counts them.
run_vm r --kernel "$PROBE" --cmdline "console=ttyS0 probe.panic=1" --memory 64 --on-panic restart
$CTL wait-file "$TMPD/r.log" 'guest ready \(#2\)' "$LIMIT" || fail "restart mode: no second boot"
grep -q 'guest panic (pvpanic): restarting (--on-panic restart)' "$TMPD/r.log" || fail "restart mode: no log line"
[ "$($CTL "$TMPD/r.sock" STATE)" = "OK running" ] || fail "restart mode: state $($CTL "$TMPD/r.sock" STATE)"
$CTL "$TMPD/r.sock" STATS >"$TMPD/r.stats" || fail "STATS"
[ "$(sed -n 's/^pvpanic.panics //p' "$TMPD/r.stats")" -ge 1 ] || fail "restart mode: STATS has no panic"
$CTL "$TMPD/r.sock" KILL >/dev/null
wait_exit $VM_PID
[ "$(exit_reason r)" = killed ] || fail "restart mode: reason $(exit_reason r)"

# Crash-loaded: a crash kernel takes over; the VM runs on and the event is counted.
run_vm c --kernel "$PROBE" --cmdline "console=ttyS0 probe.panic=2" --memory 64
$CTL "$TMPD/c.sock" console --expect 'probe: pvpanic still running' --timeout "$LIMIT" >/dev/null ||
	fail "crash-loaded: the VM did not run on"
[ "$($CTL "$TMPD/c.sock" STATE)" = "OK running" ] || fail "crash-loaded: state $($CTL "$TMPD/c.sock" STATE)"
$CTL "$TMPD/c.sock" STATS >"$TMPD/c.stats" || fail "STATS"
grep -q '^pvpanic.crash_loaded 1$' "$TMPD/c.stats" || fail "crash-loaded: not counted"
grep -q '^pvpanic.panics 0$' "$TMPD/c.stats" || fail "crash-loaded: counted as a panic"
grep -q 'its crash kernel takes over' "$TMPD/c.log" || fail "crash-loaded: no log line"
$CTL "$TMPD/c.sock" KILL >/dev/null
wait_exit $VM_PID

# Unknown bits are ignored; --no-pvpanic removes the device and moves nothing else.
run_vm u --kernel "$PROBE" --cmdline "console=ttyS0 probe.panic=4" --memory 64
$CTL "$TMPD/u.sock" console --expect 'probe: pvpanic still running' --timeout "$LIMIT" >/dev/null ||
	fail "an unknown event bit stopped the VM"
$CTL "$TMPD/u.sock" KILL >/dev/null
wait_exit $VM_PID
head -c 65536 /dev/zero >"$TMPD/d.img"
run_vm n --kernel "$PROBE" --cmdline "console=ttyS0 probe.pci probe.panic=1" --memory 64 --no-pvpanic \
	--disk "$TMPD/d.img"
$CTL "$TMPD/n.sock" console --expect 'probe: pvpanic missing' --timeout "$LIMIT" >"$TMPD/n.out" ||
	fail "--no-pvpanic: the probe still found one"
grep -q '^probe: virtio blk0 pci 00:01.0' "$TMPD/n.out" && grep -q '^probe: virtio rng0 pci 00:02.0' "$TMPD/n.out" ||
	fail "--no-pvpanic moved the other devices"
$CTL "$TMPD/n.sock" KILL >/dev/null
wait_exit $VM_PID
echo "PASS: panic"
