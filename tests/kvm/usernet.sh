#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# usernet.sh: --net user (libslirp) inside the sandbox: ARP for the host, a UDP datagram to a host service and its answer.
. "$(dirname "$0")/lib.sh"
need_probe

# A UDP service on the host's loopback, which the guest reaches as 10.0.2.2: it answers in capitals.
timeout -s KILL "$LIMIT" "$PYTHON3" -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print("listening", s.getsockname()[1], flush=True)
data, peer = s.recvfrom(2048)
s.sendto(data.upper(), peer)
print("answered", data.decode(errors="replace"), flush=True)
' >"$TMPD/host.out" 2>&1 &
host=$!
PIDS="$PIDS $host"
$CTL wait-file "$TMPD/host.out" '^listening' "$LIMIT" || fail "the UDP service did not start: $(cat "$TMPD/host.out")"
PORT=$(sed -n 's/^listening //p' "$TMPD/host.out")
MAC=52:54:00:12:34:57

run_vm u --kernel "$PROBE" --memory 64 --cmdline "console=ttyS0 probe.net.udp=0,$PORT" --net "user,mac=$MAC"
$CTL "$TMPD/u.sock" console --expect "probe: net 0 udp reply from 10.0.2.2:$PORT: VMTUI-UDP-HELLO" \
	--timeout "$LIMIT" >"$TMPD/u.out" || fail "no answer reached the guest: $(tail -n 5 "$TMPD/u.out")"
wait $host || fail "the UDP service failed: $(cat "$TMPD/host.out")"
grep -q '^answered vmtui-udp-hello$' "$TMPD/host.out" || fail "the service heard: $(cat "$TMPD/host.out")"
grep -q '^probe: net 0 arp 10.0.2.2 is 52:55:0a:00:02:02' "$TMPD/u.out" || fail "no ARP answer for 10.0.2.2"
grep -q "^probe: net 0 mac=$MAC" "$TMPD/u.out" || fail "the guest does not see the MAC it was given"
grep -q "network card 0: user network 10.0.2.0/24, mac $MAC" "$TMPD/u.log" || fail "the log does not name the user network"
grep -q 'sandbox: seccomp filter on' "$TMPD/u.log" || fail "the runner did not enter its sandbox"

# Both directions are counted; the runner lives on.
$CTL "$TMPD/u.sock" INFO | grep -q "^nic0 user,mac=$MAC$" || fail "INFO lacks nic0"
$CTL "$TMPD/u.sock" STATS >"$TMPD/stats.txt" || fail "STATS"
[ "$(sed -n 's/^net.tx_pkts //p' "$TMPD/stats.txt")" -ge 2 ] || fail "net.tx_pkts < 2 (ARP + UDP)"
[ "$(sed -n 's/^net.rx_pkts //p' "$TMPD/stats.txt")" -ge 2 ] || fail "net.rx_pkts < 2 (ARP + UDP)"
[ "$($CTL "$TMPD/u.sock" STATE)" = "OK running" ] || fail "the runner is no longer running"
$CTL "$TMPD/u.sock" KILL >/dev/null
wait_exit $VM_PID
echo "PASS: usernet"
