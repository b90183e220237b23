#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# net.sh: virtio-net on a tap inside a private network namespace: frames both ways, a busy tap, no CAP_NET_ADMIN.
. "$(dirname "$0")/lib.sh"
need_kvm; need_probe
command -v ip >/dev/null || skip "no ip(8) to make a network namespace"

NS=vmtui-net-$$
ip netns add "$NS" 2>"$TMPD/netns.err" || skip "cannot create a network namespace: $(cat "$TMPD/netns.err")"
at_exit 'ip netns del "$NS" 2>/dev/null'
IN="ip netns exec $NS"
$IN ip tuntap add tapv mode tap || fail "cannot create a tap in the namespace"
# Owned by nobody: attaching needs that user or CAP_NET_ADMIN (an ownerless tap is anyone's).
$IN ip tuntap add tapw mode tap user 65534 || fail "cannot create a second tap"
$IN ip link set tapv up
MAC=52:54:00:12:34:56

# The host end listens first; the guest says hello, then echoes three frames.
$IN timeout -s KILL "$LIMIT" "$PYTHON3" "$here/tapctl.py" echo tapv 3 "$LIMIT" >"$TMPD/host.out" 2>&1 &
host=$!
PIDS="$PIDS $host"
$CTL wait-file "$TMPD/host.out" '^listening' "$LIMIT" || fail "the host end did not start: $(cat "$TMPD/host.out")"
RUN_PREFIX=$IN run_vm n --kernel "$PROBE" --cmdline "console=ttyS0 probe.net.echo=0,3" --memory 64 \
	--net "tap:tapv,mac=$MAC"
wait $host || fail "the host end failed: $(cat "$TMPD/host.out")"
grep -q "^hello from $MAC" "$TMPD/host.out" || fail "no hello from the guest's MAC"
grep -q '^echo ok 3' "$TMPD/host.out" || fail "frames did not come back intact: $(cat "$TMPD/host.out")"
$CTL "$TMPD/n.sock" console --expect 'probe: net 0 echo done n=3' --timeout "$LIMIT" >"$TMPD/n.out" ||
	fail "the guest did not finish its echo"
grep -q "^probe: net 0 mac=$MAC" "$TMPD/n.out" || fail "the guest does not see the MAC it was given"

$CTL "$TMPD/n.sock" STATS >"$TMPD/stats.txt" || fail "STATS"
for k in net.rx_bytes net.tx_bytes net.rx_pkts net.tx_pkts net0.rx_dropped net0.tx_dropped net0.broken; do
	grep -q "^$k [0-9]\+$" "$TMPD/stats.txt" || fail "STATS lacks $k"
done
[ "$(sed -n 's/^net.rx_pkts //p' "$TMPD/stats.txt")" -ge 3 ] || fail "net.rx_pkts < 3"
[ "$(sed -n 's/^net.tx_pkts //p' "$TMPD/stats.txt")" -ge 4 ] || fail "net.tx_pkts < 4 (hello + 3 echoes)"
$CTL "$TMPD/n.sock" INFO | grep -q "^nic0 tap:tapv,mac=$MAC$" || fail "INFO lacks nic0"

# expect_setup NAME PATTERN CMD...: the runner, started by CMD, refuses to set up.
expect_setup() {
	name=$1 pattern=$2; shift 2
	st=0
	timeout -s KILL "$LIMIT" "$@" --ready-fd 3 --kernel "$PROBE" --memory 64 \
		3>"$TMPD/$name.ready" </dev/null >/dev/null 2>"$TMPD/$name.log" || st=$?
	[ $st -eq 1 ] || fail "$name: status $st, want 1"
	grep -q "^ERR .*$pattern" "$TMPD/$name.ready" || fail "$name: '$(cat "$TMPD/$name.ready")', want /$pattern/"
	note "$name: $(cat "$TMPD/$name.ready")"
}
expect_setup busy "tap tapv is busy: another program or VM has it open" $IN "$VMTUI_VMM" --net tap:tapv
DROP="setpriv --inh-caps=-net_admin --bounding-set=-net_admin"
if command -v setpriv >/dev/null && $IN $DROP true 2>/dev/null; then
	expect_setup nocap "tap tapw: cannot attach: Operation not permitted (attaching a tap needs CAP_NET_ADMIN" \
		$IN $DROP "$VMTUI_VMM" --net tap:tapw
	expect_setup nocap2 "tap tapnew: cannot attach: Operation not permitted (attaching a tap needs CAP_NET_ADMIN" \
		$IN $DROP "$VMTUI_VMM" --net tap:tapnew
else
	note "setpriv cannot drop CAP_NET_ADMIN here: that case is not checked"
fi
$CTL "$TMPD/n.sock" KILL >/dev/null
wait_exit $VM_PID
echo "PASS: net"
