#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# stats.sh: STATS answers every documented key with an integer.
. "$(dirname "$0")/lib.sh"
need_kvm; need_probe

run_vm st --kernel "$PROBE" --cmdline "console=ttyS0 probe.exits=1000" --memory 64 --vcpus 2
$CTL wait-file "$TMPD/st.log" 'guest ready' "$LIMIT" || fail "guest never became ready"
$CTL "$TMPD/st.sock" console --expect 'probe: exits n=1000' --timeout "$LIMIT" >/dev/null || fail "no exits line"
$CTL "$TMPD/st.sock" STATS >"$TMPD/stats.txt" || fail "STATS failed"
[ "$(head -n 1 "$TMPD/stats.txt")" = OK ] || fail "STATS does not start with OK"
[ "$(tail -n 1 "$TMPD/stats.txt")" = "" ] || fail "STATS does not end with an empty line"
for k in uptime_ns vcpus vcpu0.guest_ns vcpu0.exits vcpu1.guest_ns vcpu1.exits exits.io exits.mmio \
	exits.hlt exits.other exits.unclaimed_io mem.guest_bytes mem.guest_rss_bytes mem.vmm_rss_bytes \
	cpu.vmm_ns serial.tx_bytes serial.rx_bytes; do
	grep -q "^$k [0-9]\+$" "$TMPD/stats.txt" || fail "STATS lacks $k"
done
sed -n '2,$p' "$TMPD/stats.txt" | grep -v '^$' | grep -v '^[a-z0-9_.]\+ [0-9]\+$' && fail "malformed STATS line"
[ "$(sed -n 's/^mem.guest_bytes //p' "$TMPD/stats.txt")" = $((64 << 20)) ] || fail "mem.guest_bytes wrong"
io=$(sed -n 's/^exits.io //p' "$TMPD/stats.txt")
[ "$io" -ge 1000 ] || fail "exits.io $io < 1000 after 1000 bench writes"
note "$(grep -c '^kvm\.' "$TMPD/stats.txt") kvm.* counters; vmm rss $(sed -n 's/^mem.vmm_rss_bytes //p' "$TMPD/stats.txt") bytes"
$CTL "$TMPD/st.sock" KILL >/dev/null
wait_exit $VM_PID
echo "PASS: stats"
