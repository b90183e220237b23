#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# hostile.sh: a guest that breaks its virtqueues on purpose: the runner survives, marks the device broken, the rest works.
. "$(dirname "$0")/lib.sh"
need_kvm; need_probe

head -c $((1 << 20)) /dev/urandom >"$TMPD/a.img"
head -c $((1 << 20)) /dev/urandom >"$TMPD/b.img"
want_b=$("$PYTHON3" -c 'import sys, zlib; print("%08x" % zlib.crc32(open(sys.argv[1], "rb").read()[:4096]))' "$TMPD/b.img")
kinds="oob loop huge nest idx head ring"
words=
for k in $kinds; do words="$words probe.evil=$k,0"; done
run_vm h --kernel "$PROBE" --cmdline "console=ttyS0 probe.echo$words probe.blk.crc=1,0,8" --memory 64 \
	--disk "$TMPD/a.img" --disk "$TMPD/b.img"
$CTL "$TMPD/h.sock" console --expect 'probe: blk 1 crc .* irqs=[0-9]+\r' --timeout "$LIMIT" >"$TMPD/h.out" ||
	fail "the probe did not get through its words"
n=0
for k in $kinds; do
	grep -q "^probe: evil $k blk 0 needs_reset=1 config_irqs=[1-9]" "$TMPD/h.out" ||
		fail "$k: the device was not marked DEVICE_NEEDS_RESET (with a config interrupt)"
	n=$((n + 1))
done
# After each reset the broken disk works again, and the other disk never stopped.
[ "$(grep -c '^probe: evil recovered blk 0 status=0' "$TMPD/h.out")" = $n ] || fail "disk 0 did not recover after reset"
grep -q "^probe: blk 1 crc sector=0 count=8 status=0 crc32=$want_b" "$TMPD/h.out" || fail "the second disk stopped working"
[ "$(grep -c 'virtio blk0: queue 0: .*: device needs reset' "$TMPD/h.log")" = $n ] || fail "no log line per broken queue"

# The serial console still answers, the runner still runs, and the counters say what happened.
$CTL "$TMPD/h.sock" console --send 'still-here' --expect 'still-here' --timeout "$LIMIT" >/dev/null ||
	fail "the serial echo stopped"
[ "$($CTL "$TMPD/h.sock" STATE)" = "OK running" ] || fail "the runner is not running any more"
$CTL "$TMPD/h.sock" STATS >"$TMPD/stats.txt" || fail "STATS"
[ "$(sed -n 's/^blk0.broken //p' "$TMPD/stats.txt")" = $n ] || fail "blk0.broken is not $n"
[ "$(sed -n 's/^blk1.broken //p' "$TMPD/stats.txt")" = 0 ] || fail "blk1 broke"
[ "$(sed -n 's/^virtio.broken //p' "$TMPD/stats.txt")" = $n ] || fail "virtio.broken is not $n"
note "$(grep -c 'needs reset' "$TMPD/h.log") broken queues logged, e.g. $(grep -m1 'needs reset' "$TMPD/h.log" | sed 's/.*vmm: //')"
$CTL "$TMPD/h.sock" KILL >/dev/null
wait_exit $VM_PID
[ "$(exit_reason h)" = killed ] || fail "reason $(exit_reason h), want killed"
echo "PASS: hostile"
