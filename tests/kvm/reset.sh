#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# reset.sh: an i8042 reset ends the VM (--on-reboot exit) or reboots it (restart); RESET reboots at once.
. "$(dirname "$0")/lib.sh"
need_kvm; need_probe

run_vm rx --kernel "$PROBE" --cmdline "console=ttyS0 probe.reset" --memory 64 --on-reboot exit
wait_exit $VM_PID
[ $VM_STATUS -eq 0 ] || fail "exit mode: status $VM_STATUS"
[ "$(exit_reason rx)" = reset ] || fail "exit mode: reason $(exit_reason rx), want reset"
[ -e "$TMPD/rx.exit" ] && fail "a reset is not a crash: .exit written"

# Restart mode: the probe boots again (and resets again, for ever): ready twice.
run_vm rr --kernel "$PROBE" --cmdline "console=ttyS0 probe.reset" --memory 64 --on-reboot restart
$CTL wait-file "$TMPD/rr.log" 'guest ready \(#2\)' "$LIMIT" || fail "restart mode: no second boot"
$CTL "$TMPD/rr.sock" console --expect '(?s)probe: ready.*probe: ready' --timeout "$LIMIT" >/dev/null ||
	fail "restart mode: console does not show two boots"
$CTL "$TMPD/rr.sock" KILL >/dev/null
wait_exit $VM_PID
[ "$(exit_reason rr)" = killed ] || fail "restart mode: reason $(exit_reason rr)"

# RESET by request, then the power button during a reboot loop still powers off.
run_vm rq --kernel "$PROBE" --memory 64 --on-reboot restart
$CTL wait-file "$TMPD/rq.log" 'guest ready \(#1\)' "$LIMIT" || fail "RESET: no first boot"
[ "$($CTL "$TMPD/rq.sock" RESET)" = OK ] || fail "RESET failed"
$CTL wait-file "$TMPD/rq.log" 'guest ready \(#2\)' "$LIMIT" || fail "RESET: no second boot"
[ "$($CTL "$TMPD/rq.sock" POWERDOWN)" = OK ] || fail "POWERDOWN failed"
wait_exit $VM_PID
[ "$(exit_reason rq)" = poweroff ] || fail "POWERDOWN: reason $(exit_reason rq)"
echo "PASS: reset"
