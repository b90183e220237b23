#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# pipe.sh: a real libvirtd's console through a pipe: what the guest answers before the pipe's end and a short quiet time is printed, run after run.
. "$top_srcdir/tests/libvirt/lib.sh"
. "$top_srcdir/tests/fixtures/libvirtd.sh"

need_probe
libvirtd_start || skip "$LIBVIRTD_WHY"
U=$LIBVIRTD_URI
vm=vt-$$-pipe

expect 0 "$VMTUI" -c "$U" create $vm --memory 64 --kernel "$PROBE" \
	--cmdline 'console=ttyS0 probe.echo' --net none
expect 0 "$VMTUI" -c "$U" start $vm
# Input waits for the probe's "ready" (a byte before the guest sets up its
# UART stalls QEMU's serial input for good).
$TERM_PY --pipe 'expect:probe: ready' 'ping:warm-up' close 'exit:0' -- \
	"$VMTUI" -c "$U" console $vm >"$TMPD/con" || { cat "$TMPD/con"; fail "the probe never got ready"; }

# The probe echoes each line: every run prints its own echo, none the last run's.
for i in 1 2 3 4 5 6; do
	printf 'pipe-%s\r' $i | timeout 60 "$VMTUI" -c "$U" console $vm >"$TMPD/echo.$i" 2>&1 ||
		fail "run $i: vmtui console exited $?: $(cat "$TMPD/echo.$i")"
	grep -q "pipe-$i" "$TMPD/echo.$i" || fail "run $i printed no echo: '$(cat "$TMPD/echo.$i")'"
	[ $i -gt 1 ] && grep -q "pipe-$((i - 1))" "$TMPD/echo.$i" &&
		fail "run $i printed the echo of run $((i - 1)), which came too late for it"
done
# Without input there is nothing to wait for: it ends after the quiet time.
expect 0 timeout 60 "$VMTUI" -c "$U" console $vm </dev/null
expect 0 "$VMTUI" -c "$U" delete $vm --force
exit 0
