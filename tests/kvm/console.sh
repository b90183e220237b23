#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# console.sh: serial echo through CONSOLE, the scrollback a late client gets, several clients at once.
. "$(dirname "$0")/lib.sh"
need_kvm; need_probe

run_vm con --kernel "$PROBE" --cmdline "console=ttyS0 probe.echo" --memory 64
$CTL wait-file "$TMPD/con.log" 'guest ready' "$LIMIT" || fail "guest never became ready"

# Attached only now, long after boot: the ring must still hold the boot lines.
$CTL "$TMPD/con.sock" console --expect 'probe: ready' --timeout "$LIMIT" >"$TMPD/late.out" ||
	fail "late client did not get the scrollback"
grep -q '^probe: boot entry=' "$TMPD/late.out" || fail "scrollback lacks the first lines"

# Echo round trip, interrupt-driven in the guest; two clients see it.
$CTL "$TMPD/con.sock" console --expect 'zebra-42' --timeout "$LIMIT" >"$TMPD/watch.out" &
watcher=$!
PIDS="$PIDS $watcher"
$CTL "$TMPD/con.sock" console --send 'zebra-42' --expect 'zebra-42' --timeout "$LIMIT" >"$TMPD/echo.out" ||
	fail "no echo of what was typed"
wait $watcher || fail "a second client did not see the echo"

# More input than the 16-byte FIFO holds: back-pressure, nothing lost.
long=$("$PYTHON3" -c 'print("".join(chr(97 + i % 26) for i in range(600)), end="")')
$CTL "$TMPD/con.sock" console --send "$long" --expect "$long" --timeout "$LIMIT" >/dev/null ||
	fail "600 typed bytes did not all come back"

# A client that shuts its sending side still gets the output.
$CTL "$TMPD/con.sock" console --send 'half-open' --shut 1 --expect 'half-open' --timeout "$LIMIT" >/dev/null ||
	fail "output stopped after the client shut its sending side"

$CTL "$TMPD/con.sock" STATS >"$TMPD/stats.txt" || fail "STATS failed"
rx=$(sed -n 's/^serial.rx_bytes //p' "$TMPD/stats.txt")
[ "$rx" -ge 617 ] || fail "serial.rx_bytes is $rx, want >= 617"
$CTL "$TMPD/con.sock" KILL >/dev/null || fail "KILL failed"
wait_exit $VM_PID
[ "$(exit_reason con)" = killed ] || fail "reason $(exit_reason con), want killed"
echo "PASS: console"
