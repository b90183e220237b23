#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# ssh.sh: vmtui ssh finds where a VM answers (a kvm:/// forward, a libvirt guest's address), waits for it, and runs ssh with the right arguments.
. "$top_srcdir/tests/cli/lib.sh"

# A stand-in for ssh: its arguments one a line, and the status it is told to end with.
cat >"$TMPD/fake-ssh" <<'EOF'
#!/bin/sh
for a in "$@"; do printf '%s\n' "$a"; done >"$FAKE_ARGV"
exit "${FAKE_STATUS:-0}"
EOF
chmod +x "$TMPD/fake-ssh"
export VMTUI_SSH="$TMPD/fake-ssh" FAKE_ARGV="$TMPD/argv"
KNOWN="$TMPD/data/known_hosts"

# argv_is LINE...: the stand-in got exactly these arguments (after its own name).
argv_is() {
	printf '%s\n' "$@" >"$TMPD/want"
	diff "$TMPD/want" "$FAKE_ARGV" >"$TMPD/diff" || fail "ssh's arguments: $(cat "$TMPD/diff")"
}

expect_err 2 "^vmtui ssh: missing argument" "$VMTUI" ssh
expect_err 2 "^vmtui ssh: --timeout: 'soon' is not a whole number of seconds from 0 \(no limit\) to 3600" \
	"$VMTUI" ssh web --timeout soon
expect_err 2 "^vmtui ssh: --timeout: '3601' is not" "$VMTUI" ssh web --timeout 3601
expect_err 2 "^vmtui ssh: unexpected argument 'uptime'" "$VMTUI" ssh web uptime
expect_err 3 "^vmtui: no VM named ghost on kvm:///" "$VMTUI" ssh ghost
[ ! -e "$FAKE_ARGV" ] || fail "ssh was run for a bad command line"

# kvm:///: the probe guest answers no SYN, so what answers through its
# forward is never an SSH server: the wait runs out, having reached the
# guest (its console says so); --no-wait runs ssh at once.
need_probe
[ -r /dev/kvm ] && [ -w /dev/kvm ] || skip "cannot open /dev/kvm"
at_exit 'for vm in s1 s2; do "$VMTUI" destroy $vm >/dev/null 2>&1; done'
PORT=$("$PYTHON3" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
expect 0 "$VMTUI" create s1 --kernel "$PROBE" --memory 64 --net "user,fwd=$PORT:22" \
	--cmdline 'console=ttyS0 probe.net.expect=0,22'
expect 0 "$VMTUI" show s1 --json
UUID=$(json_get 'j["uuid"]')
expect_err 1 "^vmtui: VM s1 is shut off: vmtui start s1 first$" "$VMTUI" ssh s1
expect 0 "$VMTUI" start s1
i=0
until "$VMTUI" console s1 </dev/null 2>&1 | grep -q 'probe: net 0 waiting on port 22'; do
	i=$((i + 1)); [ $i -gt 100 ] && fail "s1's guest never waited on port 22"; sleep 0.2
done
expect_err 1 "^vmtui: VM s1: port 22 not answering at 127\.0\.0\.1:$PORT \(its forward to port 22\) after 2 s$" \
	"$VMTUI" ssh s1 --timeout 2
"$VMTUI" console s1 </dev/null 2>&1 | grep -q '^probe: net 0 tcp syn from 10\.0\.2\.2:[0-9]* to port 22' ||
	fail "vmtui ssh's knock did not reach the guest through the forward"
[ ! -e "$FAKE_ARGV" ] || fail "ssh was run though nothing answered"

# The config file's ssh_timeout stands in for --timeout.
mkdir -p "$XDG_CONFIG_HOME/vmtui"
echo 'ssh_timeout = 1' >"$XDG_CONFIG_HOME/vmtui/config"
expect_err 1 "at 127\.0\.0\.1:$PORT \(its forward to port 22\) after 1 s$" "$VMTUI" ssh s1
rm "$XDG_CONFIG_HOME/vmtui/config"

# The exact command line; the remote command's words stay words; ssh's status is vmtui's.
ssh-keygen -q -t ed25519 -N '' -f "$TMPD/my key" 2>/dev/null || printf 'k\n' >"$TMPD/my key"
expect 0 "$VMTUI" ssh s1 --no-wait --user alice -i "$TMPD/my key" -- uname -a 'two words'
argv_is -p "$PORT" -i "$TMPD/my key" -o IdentitiesOnly=yes -o StrictHostKeyChecking=accept-new \
	-o "UserKnownHostsFile=$KNOWN" -o "HostKeyAlias=vmtui-$UUID" alice@127.0.0.1 -- uname -a 'two words'
export FAKE_STATUS=7
expect 7 "$VMTUI" ssh s1 --no-wait
unset FAKE_STATUS
argv_is -p "$PORT" -o StrictHostKeyChecking=accept-new -o "UserKnownHostsFile=$KNOWN" \
	-o "HostKeyAlias=vmtui-$UUID" "$(id -un)@127.0.0.1"
expect_err 2 "^vmtui: identity: cannot read $TMPD/nokey: No such file" "$VMTUI" ssh s1 -i "$TMPD/nokey"

# A VM made from a cloud image: its login, and the private key beside the
# public one cloud-init was given (none when it is not there).
HOST=$("$PYTHON3" -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("SELECT host FROM vms WHERE uuid = ?", (sys.argv[2],)).fetchone()[0])' \
	"$VMTUI_DB" "$UUID")
"$PYTHON3" -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("INSERT INTO images (vm_host, vm_uuid, source, login, ssh_key) VALUES (?, ?, ?, ?, ?)", sys.argv[2:7])
db.commit()' "$VMTUI_DB" "$HOST" "$UUID" debian-12 debian "$TMPD/id_test.pub" || fail "cannot give s1 an image record"
touch "$TMPD/id_test.pub"
expect 0 "$VMTUI" ssh s1 --no-wait
argv_is -p "$PORT" -o StrictHostKeyChecking=accept-new -o "UserKnownHostsFile=$KNOWN" \
	-o "HostKeyAlias=vmtui-$UUID" debian@127.0.0.1
touch "$TMPD/id_test"
expect 0 "$VMTUI" ssh s1 --no-wait -- true
argv_is -p "$PORT" -i "$TMPD/id_test" -o IdentitiesOnly=yes -o StrictHostKeyChecking=accept-new \
	-o "UserKnownHostsFile=$KNOWN" -o "HostKeyAlias=vmtui-$UUID" debian@127.0.0.1 -- true
expect 0 "$VMTUI" show s1
out_has "^SSH: +vmtui ssh s1 \(debian@127\.0\.0\.1 port $PORT\)$"

expect 0 "$VMTUI" pause s1
expect_err 1 "^vmtui: VM s1 is paused: vmtui resume s1 first$" "$VMTUI" ssh s1
expect 0 "$VMTUI" destroy s1

# A user network without a forward to port 22 leads nowhere the host can reach.
expect 0 "$VMTUI" create s2 --kernel "$PROBE" --memory 64 --net user
expect 0 "$VMTUI" start s2
expect_err 1 "^vmtui: VM s2 is on a user network only, which forwards no host port to its port 22" \
	"$VMTUI" ssh s2 --timeout 1
expect 0 "$VMTUI" destroy s2

# In a network namespace of our own: a tap card whose guest has sent
# nothing (so the runner knows no address of it), and libvirt's test
# driver, whose guest's lease (192.168.122.3) is the namespace loopback's
# address, so that only a listener of ours answers there.
NS=vmtui-ssh-$$
if ! command -v ip >/dev/null || ! ip netns add "$NS" 2>"$TMPD/netns.err"; then
	note "no network namespace ($(cat "$TMPD/netns.err" 2>/dev/null)): guest addresses are not checked"
	echo "PASS: ssh"
	exit 0
fi
at_exit 'ip netns del "$NS" 2>/dev/null'
IN="ip netns exec $NS"
$IN ip link set lo up && $IN ip addr add 192.168.122.3/32 dev lo || fail "cannot set up the namespace"
$IN ip tuntap add taps mode tap && $IN ip link set taps up || fail "cannot make a tap"
at_exit '"$VMTUI" destroy s3 >/dev/null 2>&1'
rm -f "$FAKE_ARGV"
expect 0 "$VMTUI" create s3 --kernel "$PROBE" --memory 64 --net tap:taps
expect 0 $IN "$VMTUI" start s3
expect_err 1 "^vmtui: VM s3 has no IP address after 1 s \(vmtui ip s3 shows what is known\)$" \
	"$VMTUI" ssh s3 --timeout 1
expect_err 1 "^vmtui: VM s3 has no IP address yet" "$VMTUI" ssh s3 --no-wait
# On a terminal it says once what it waits for.
if command -v script >/dev/null; then
	script -qec "'$VMTUI' ssh s3 --timeout 2" /dev/null >"$TMPD/tty" 2>&1
	[ "$(grep -c "^waiting for s3's address\.\.\." "$TMPD/tty")" = 1 ] ||
		fail "on a terminal: $(cat "$TMPD/tty")"
fi
expect 0 "$VMTUI" destroy s3
[ ! -e "$FAKE_ARGV" ] || fail "ssh was run without an address"

if ! "$VMTUI" --version | grep -q libvirt; then
	note "no libvirt backend: a libvirt guest's address is not checked"
	echo "PASS: ssh"
	exit 0
fi
expect 0 "$VMTUI" -c test:///default show test --json
TUUID=$(json_get 'j["uuid"]')
expect_err 1 "^vmtui: VM test: port 22 not answering at 192\.168\.122\.3:22 after 2 s$" \
	$IN "$VMTUI" -c test:///default ssh test --timeout 2
# A listener that comes up a moment late: vmtui waits for it, then runs ssh.
$IN timeout 60 "$PYTHON3" -c 'import socket, time
time.sleep(1.5)
s = socket.socket(); s.bind(("192.168.122.3", 22)); s.listen(); s.accept(); time.sleep(1)' &
LISTENER=$!
at_exit "kill $LISTENER 2>/dev/null"
expect 0 $IN "$VMTUI" -c test:///default ssh test --timeout 30 -- uptime
argv_is -p 22 -o StrictHostKeyChecking=accept-new -o "UserKnownHostsFile=$KNOWN" \
	-o "HostKeyAlias=vmtui-$TUUID" "$(id -un)@192.168.122.3" -- uptime
[ ! -s "$TMPD/err" ] || fail "a wait with stderr not a terminal said something: $(cat "$TMPD/err")"
wait $LISTENER || fail "no connection reached the listener"
echo "PASS: ssh"
