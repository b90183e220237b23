#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# usernet.sh: --net user (libslirp) inside the sandbox: ARP, UDP to a host service, and, in a network namespace, DNS (with a scoped nameserver in resolv.conf) and TCP.
. "$(dirname "$0")/lib.sh"
need_kvm; need_probe
SVC="$PYTHON3 $here/hostsvc.py $LIMIT"

# hostsvc_start PREFIX SERVICE...: the host's side, on its loopback (the guest's 10.0.2.2).
hostsvc_start() {
	prefix=$1; shift
	timeout -s KILL "$LIMIT" $prefix $SVC "$@" >"$TMPD/host.out" 2>&1 &
	host=$!
	PIDS="$PIDS $host"
	$CTL wait-file "$TMPD/host.out" '(?m)^listening' "$LIMIT" || fail "the host services did not start: $(cat "$TMPD/host.out")"
}

# A datagram to a host service and its answer, for any user allowed /dev/kvm.
hostsvc_start "" udp
PORT=$(sed -n 's/^udp //p' "$TMPD/host.out")
MAC=52:54:00:12:34:57
run_vm u --kernel "$PROBE" --memory 64 --cmdline "console=ttyS0 probe.net.udp=0,$PORT" --net "user,mac=$MAC"
$CTL "$TMPD/u.sock" console --expect "probe: net 0 udp reply from 10.0.2.2:$PORT: VMTUI-UDP-HELLO" \
	--timeout "$LIMIT" >"$TMPD/u.out" || fail "no answer reached the guest: $(tail -n 5 "$TMPD/u.out")"
wait $host || fail "the UDP service failed: $(cat "$TMPD/host.out")"
grep -q '^udp answered vmtui-udp-hello$' "$TMPD/host.out" || fail "the service heard: $(cat "$TMPD/host.out")"
grep -q '^probe: net 0 arp 10.0.2.2 is 52:55:0a:00:02:02' "$TMPD/u.out" || fail "no ARP answer for 10.0.2.2"
grep -q "^probe: net 0 mac=$MAC" "$TMPD/u.out" || fail "the guest does not see the MAC it was given"
grep -q "network card 0: user network 10.0.2.0/24, mac $MAC" "$TMPD/u.log" || fail "the log does not name the user network"
grep -q 'sandbox: seccomp filter on' "$TMPD/u.log" || fail "the runner did not enter its sandbox"

# Both directions are counted; the runner lives on.
$CTL "$TMPD/u.sock" INFO >"$TMPD/info.txt" || fail "INFO"
grep -q "^nic0 user,mac=$MAC$" "$TMPD/info.txt" || fail "INFO lacks nic0"
grep -q "^nic0.ipv4 10.0.2.15/24$" "$TMPD/info.txt" || fail "INFO lacks the address the guest sent from"
$CTL "$TMPD/u.sock" STATS >"$TMPD/stats.txt" || fail "STATS"
[ "$(sed -n 's/^net.tx_pkts //p' "$TMPD/stats.txt")" -ge 2 ] || fail "net.tx_pkts < 2 (ARP + UDP)"
[ "$(sed -n 's/^net.rx_pkts //p' "$TMPD/stats.txt")" -ge 2 ] || fail "net.rx_pkts < 2 (ARP + UDP)"
[ "$($CTL "$TMPD/u.sock" STATE)" = "OK running" ] || fail "the runner is no longer running"
$CTL "$TMPD/u.sock" KILL >/dev/null
wait_exit $VM_PID

# Forwarded host ports reach the guest: a connection's SYN, a datagram.
PORTS=$("$PYTHON3" -c 'import socket
ss = [socket.socket(socket.AF_INET, t) for t in (socket.SOCK_STREAM, socket.SOCK_DGRAM)]
for s in ss: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in ss])')
TP=${PORTS% *} UP=${PORTS#* }
run_vm f --kernel "$PROBE" --memory 64 --net "user,fwd=tcp:127.0.0.1:$TP:22,fwd=udp:127.0.0.1:$UP:53" \
	--cmdline "console=ttyS0 probe.net.expect=0,22 probe.net.expect=0,53"
grep -q "net0: tcp 127.0.0.1:$TP forwards to the guest's port 22" "$TMPD/f.log" || fail "no TCP forward in the log"
$CTL "$TMPD/f.sock" console --expect 'probe: net 0 waiting on port 22' --timeout "$LIMIT" >/dev/null ||
	fail "the guest does not wait"
"$PYTHON3" -c 'import socket, sys, time
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
time.sleep(1)' "$TP" || fail "cannot connect to the forwarded port $TP"
$CTL "$TMPD/f.sock" console --expect 'probe: net 0 waiting on port 53' --timeout "$LIMIT" >/dev/null ||
	fail "no SYN reached the guest"
"$PYTHON3" -c 'import socket, sys
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"forwarded", ("127.0.0.1", int(sys.argv[1])))' "$UP"
$CTL "$TMPD/f.sock" console --expect 'probe: net 0 udp to port 53: forwarded' --timeout "$LIMIT" >"$TMPD/f.out" ||
	fail "no datagram reached the guest: $(tail -n 3 "$TMPD/f.out")"
grep -q '^probe: net 0 tcp syn from 10.0.2.2:[0-9]* to port 22' "$TMPD/f.out" || fail "no SYN line"
[ "$($CTL "$TMPD/f.sock" STATE)" = "OK running" ] || fail "the runner died: $(tail -n 3 "$TMPD/f.log")"
# A port that is taken: the runner says so and does not start.
st=0
"$VMTUI_VMM" --kernel "$PROBE" --memory 64 --net "user,fwd=tcp:127.0.0.1:$TP:22" --ready-fd 3 \
	3>"$TMPD/busy.ready" </dev/null >/dev/null 2>&1 || st=$?
[ $st -eq 1 ] && grep -q "^ERR net0: cannot forward tcp 127.0.0.1:$TP: " "$TMPD/busy.ready" ||
	fail "a taken port: status $st, $(cat "$TMPD/busy.ready")"
$CTL "$TMPD/f.sock" KILL >/dev/null
wait_exit $VM_PID

# DNS and TCP in a namespace of our own: its loopback holds the name
# server that resolv.conf names (after a scoped one that slirp has to
# look up an interface for) and a TCP listener.
command -v ip >/dev/null || { note "no ip(8): DNS and TCP are not checked"; echo "PASS: usernet"; exit 0; }
NS=vmtui-unet-$$
if ! ip netns add "$NS" 2>"$TMPD/netns.err"; then
	note "no network namespace ($(cat "$TMPD/netns.err")): DNS and TCP are not checked"
	echo "PASS: usernet"
	exit 0
fi
at_exit 'ip netns del "$NS" 2>/dev/null; rm -rf "/etc/netns/$NS"; rmdir /etc/netns 2>/dev/null'
mkdir -p "/etc/netns/$NS" || fail "cannot make /etc/netns/$NS"
printf 'nameserver fe80::1%%lo\nnameserver 127.0.0.1\n' >"/etc/netns/$NS/resolv.conf"
IN="ip netns exec $NS"
$IN ip link set lo up || fail "cannot bring up the namespace's loopback"
hostsvc_start "$IN" dns tcp
PORT=$(sed -n 's/^tcp //p' "$TMPD/host.out")
RUN_PREFIX=$IN run_vm d --kernel "$PROBE" --memory 64 --net user \
	--cmdline "console=ttyS0 probe.net.dns=0 probe.net.tcp=0,$PORT"
$CTL "$TMPD/d.sock" console --expect "probe: net 0 tcp (syn-ack|timeout|refused)" --timeout "$LIMIT" \
	>"$TMPD/d.out" || fail "the guest did not finish: $(tail -n 5 "$TMPD/d.out"; tail -n 3 "$TMPD/d.log")"
grep -q '^probe: net 0 dns vmtui.test is 192.0.2.7' "$TMPD/d.out" || fail "no DNS answer: $(grep 'net 0 dns' "$TMPD/d.out")"
grep -q "^probe: net 0 tcp syn-ack from 10.0.2.2:$PORT" "$TMPD/d.out" || fail "no SYN-ACK: $(grep 'net 0 tcp' "$TMPD/d.out")"
wait $host || fail "the host services failed: $(cat "$TMPD/host.out")"
grep -q '^dns answered vmtui.test$' "$TMPD/host.out" || fail "the name server heard: $(cat "$TMPD/host.out")"
grep -q '^tcp accepted$' "$TMPD/host.out" || fail "no connection reached the listener"
[ "$($CTL "$TMPD/d.sock" STATE)" = "OK running" ] || fail "the runner died: $(tail -n 3 "$TMPD/d.log")"
$CTL "$TMPD/d.sock" KILL >/dev/null
wait_exit $VM_PID
echo "PASS: usernet"
