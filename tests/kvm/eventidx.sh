#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# eventidx.sh: under VIRTIO_F_EVENT_IDX every queue (rng, blk, net rx and tx) keeps re-arming its notifications and honours used_event.
. "$(dirname "$0")/lib.sh"
need_kvm; need_probe

# The probe (probe.eventidx) kicks only when avail_event says so, as Linux
# does: a queue whose device stops publishing avail_event stalls at once.

# rng: six requests, an interrupt asked for on odd rounds only (used_event
# with event indexes, the NO_INTERRUPT flag without): exactly three come.
for mode in eventidx plain; do
	words="probe.rng=64,6" ei=0
	[ $mode = eventidx ] && words="probe.eventidx $words" ei=1
	run_vm "rng-$mode" --kernel "$PROBE" --cmdline "console=ttyS0 $words" --memory 64
	$CTL "$TMPD/rng-$mode.sock" console --expect 'probe: rng rounds=[^\r]*\r' --timeout "$LIMIT" \
		>"$TMPD/rng-$mode.out" || fail "rng ($mode): the probe did not finish its rounds"
	line=$(grep '^probe: rng rounds=' "$TMPD/rng-$mode.out" | tr -d '\r')
	note "rng ($mode): $line"
	echo "$line" | grep -q "^probe: rng rounds=6/6 bytes=384 nonzero=[1-9][0-9]* irqs=3 wanted=3 event_idx=$ei$" ||
		fail "rng ($mode): want 6 of 6 rounds, 384 bytes and 3 interrupts for the 3 asked for"
	$CTL "$TMPD/rng-$mode.sock" KILL >/dev/null
	wait_exit $VM_PID
done

# blk: reads, a write and the benchmark's 16 requests in flight, then the
# rng again, all under event indexes; one interrupt per request asked for.
CR=$(printf '\r')
head -c $((8 << 20)) /dev/urandom >"$TMPD/raw.img"
cp "$TMPD/raw.img" "$TMPD/orig.img"
words="probe.eventidx probe.blk.crc=0,0,8 probe.blk.crc=0,8,8 probe.blk.write=0,16,8,3 probe.blk.crc=0,16,8
	probe.blk.bench=0,2 probe.blk.crc=0,100,8 probe.rng=32,4"
run_vm blk --kernel "$PROBE" --cmdline "console=ttyS0 $(echo $words)" --memory 64 --disk "$TMPD/raw.img"
$CTL "$TMPD/blk.sock" console --expect 'probe: rng rounds=[^\r]*\r' --timeout "$LIMIT" >"$TMPD/blk.out" ||
	fail "blk: the probe did not get through its words"
for spec in "0 8" "8 8" "100 8"; do
	set -- $spec
	want=$(dd if="$TMPD/orig.img" bs=512 skip="$1" count="$2" 2>/dev/null | $PYTHON3 -c '
import sys, zlib; print("%08x" % zlib.crc32(sys.stdin.buffer.read()))')
	grep -q "^probe: blk 0 crc sector=$1 count=$2 status=0 crc32=$want irqs=1$CR" "$TMPD/blk.out" ||
		fail "blk: sectors $1+$2: want crc32 $want and exactly one interrupt"
done
want=$($PYTHON3 -c 'import zlib; print("%08x" % zlib.crc32(bytes((3 + j) & 0xff for j in range(8 * 512))))')
grep -q "^probe: blk 0 crc sector=16 count=8 status=0 crc32=$want irqs=1$CR" "$TMPD/blk.out" ||
	fail "blk: the written sectors do not read back"
grep -q '^probe: blk 0 bench seqread bytes=2097152 tsc=[1-9][0-9]* seqwrite bytes=2097152 tsc=[1-9][0-9]* randread n=2000 tsc=[1-9]' \
	"$TMPD/blk.out" || fail "blk: the benchmark stalled (16 requests in flight)"
grep -q '^probe: rng rounds=4/4 bytes=128 nonzero=[1-9][0-9]* irqs=2 wanted=2 event_idx=1' "$TMPD/blk.out" ||
	fail "rng after blk: $(grep 'probe: rng' "$TMPD/blk.out")"
$CTL "$TMPD/blk.sock" STATS >"$TMPD/blk.stats" || fail "STATS"
[ "$(sed -n 's/^virtio.broken //p' "$TMPD/blk.stats")" = 0 ] || fail "blk: a device broke"
$CTL "$TMPD/blk.sock" KILL >/dev/null
wait_exit $VM_PID

# net on a tap in a private namespace: 20 echoes (both queues), 300 frames
# sent through a 64-entry ring, then a burst that runs the receive ring dry.
if ! command -v ip >/dev/null || ! ip netns add "vmtui-ei-$$" 2>"$TMPD/netns.err"; then
	note "net: no network namespace here ($(cat "$TMPD/netns.err" 2>/dev/null)): not checked"
	echo "PASS: eventidx (rng, blk)"
	exit 0
fi
NS=vmtui-ei-$$
at_exit 'ip netns del "$NS" 2>/dev/null'
IN="ip netns exec $NS"
$IN ip tuntap add tapv mode tap || fail "cannot create a tap in the namespace"
$IN ip link set tapv up
MAC=52:54:00:12:34:57
$IN timeout -s KILL "$LIMIT" "$PYTHON3" "$here/tapctl.py" echo tapv 20 "$LIMIT" >"$TMPD/host.out" 2>&1 &
host=$!
PIDS="$PIDS $host"
$CTL wait-file "$TMPD/host.out" '^listening' "$LIMIT" || fail "the host end did not start"
RUN_PREFIX=$IN run_vm net --kernel "$PROBE" --memory 64 --net "tap:tapv,mac=$MAC" \
	--cmdline "console=ttyS0 probe.eventidx probe.net.echo=0,20 probe.net.bench=0,300 probe.net.rxbench=0,1000"
wait $host || fail "net: the host end failed: $(cat "$TMPD/host.out")"
grep -q '^echo ok 20' "$TMPD/host.out" || fail "net: echoes did not come back: $(cat "$TMPD/host.out")"
$CTL "$TMPD/net.sock" console --expect 'probe: net 0 rx ready' --timeout "$LIMIT" >/dev/null ||
	fail "net: the probe did not get to its receive burst"
$IN "$PYTHON3" "$here/tapctl.py" blast tapv 1000 "$MAC" >"$TMPD/blast.out" 2>&1 || fail "net: blast failed"
$CTL "$TMPD/net.sock" console --expect 'probe: net 0 bench rx n=[0-9]+ tsc=[0-9]+\r' --timeout "$LIMIT" >"$TMPD/net.out" ||
	fail "net: the receive burst did not end"
got=$(sed -n 's/.*probe: net 0 bench rx n=\([0-9]*\).*/\1/p' "$TMPD/net.out" | tail -n 1)
note "net: $(cat "$TMPD/blast.out"), the guest took $got"
# More than a ring's worth: the device ran out of buffers, re-armed, was kicked and went on.
[ "$got" -gt 64 ] || fail "net: the receive queue stalled after $got frames"
$CTL "$TMPD/net.sock" STATS >"$TMPD/net.stats" || fail "STATS"
tx=$(sed -n 's/^net0.tx_pkts //p' "$TMPD/net.stats")
[ "$tx" -ge 321 ] || fail "net: $tx frames sent, want the hello, 20 echoes and 300 more"
[ "$(sed -n 's/^virtio.broken //p' "$TMPD/net.stats")" = 0 ] || fail "net: a device broke"
$CTL "$TMPD/net.sock" KILL >/dev/null
wait_exit $VM_PID
echo "PASS: eventidx"
