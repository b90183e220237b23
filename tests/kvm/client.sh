#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# client.sh: kvm:/// through the vmtui CLI: disks, user networks and taps reach the runner, disk and network rates come back, a sandbox kill and a guest panic are crashes with their reasons.
. "$(dirname "$0")/lib.sh"
need_kvm; need_probe
: "${VMTUI:=$top_builddir/vmtui}"
[ -x "$VMTUI" ] || skip "no vmtui at $VMTUI"
command -v qemu-img >/dev/null || skip "no qemu-img to check qcow2 images"
export VMTUI_DB="$TMPD/data/vmtui.db" VMTUI_RUNTIME_DIR="$TMPD/run" VMTUI_VMM
export XDG_CONFIG_HOME="$TMPD/config" XDG_DATA_HOME="$TMPD/data" HOME="$TMPD/home"
mkdir -p "$HOME"
at_exit 'for vm in c1 c2 c3 c5 c6 c7 c8; do "$VMTUI" destroy $vm >/dev/null 2>&1; done; [ -z "$NS" ] || ip netns del "$NS" 2>/dev/null'
NS=

# state VM: its state in vmtui list; reason VM: its reason.
json_field() {
	"$VMTUI" list --all --json | "$PYTHON3" -c 'import json, sys
print([v.get(sys.argv[2], "") for v in json.load(sys.stdin) if v["name"] == sys.argv[1]][0])' "$1" "$2"
}
# until_state VM STATE: wait (bounded) for the VM to reach STATE.
until_state() {
	i=0
	until [ "$(json_field "$1" state)" = "$2" ]; do
		i=$((i + 1)); [ $i -gt $((LIMIT * 10)) ] && fail "$1 never became $2"; sleep 0.1
	done
}
console_until() {
	i=0
	until "$VMTUI" console "$1" </dev/null >"$TMPD/console" 2>&1 && grep -Eq -- "$2" "$TMPD/console"; do
		i=$((i + 1)); [ $i -gt $((LIMIT * 5)) ] && { cat "$TMPD/console"; fail "$1's console never showed '$2'"; }
		sleep 0.2
	done
}

# Two disks from the definition: a new qcow2 vmtui makes, and an existing raw image.
head -c $((1 << 20)) /dev/urandom >"$TMPD/data,1.img"
want=$("$PYTHON3" -c 'import sys, zlib; print("%08x" % zlib.crc32(open(sys.argv[1], "rb").read()[:4096]))' "$TMPD/data,1.img")
"$VMTUI" create c1 --kernel "$PROBE" --memory 64 --disk "$TMPD/new.qcow2,size=64M,format=qcow2" \
	--disk "$TMPD/data,,1.img" --cmdline "probe.blk.write=0,8,8,7 probe.blk.crc=1,0,8 probe.blk.loop=1" \
	>"$TMPD/out" 2>&1 || fail "create c1: $(cat "$TMPD/out")"
"$VMTUI" start c1 >"$TMPD/out" 2>&1 || fail "start c1: $(cat "$TMPD/out")"
console_until c1 'probe: blk 1 reading in a loop'
grep -q '^probe: blk 0 write sector=8 count=8 status=0' "$TMPD/console" || fail "no write to the qcow2 disk"
grep -q "^probe: blk 1 crc sector=0 count=8 status=0 crc32=$want" "$TMPD/console" ||
	fail "the raw disk (with a comma in its name) does not read back"

# The guest reads all the time now: the disk read rate shows up.
i=0
until "$VMTUI" stats c1 --count 2 --interval 0.3 --json >"$TMPD/stats.json" 2>&1 &&
	"$PYTHON3" -c 'import json, sys; sys.exit(0 if json.load(open(sys.argv[1]))[-1]["disk_read_bytes_per_s"] > 0 else 1)' \
		"$TMPD/stats.json"; do
	i=$((i + 1)); [ $i -gt $LIMIT ] && fail "no disk read rate: $(cat "$TMPD/stats.json")"
done
note "c1 reads at $("$PYTHON3" -c 'import json, sys; print(int(json.load(open(sys.argv[1]))[-1]["disk_read_bytes_per_s"]))' "$TMPD/stats.json") B/s"

# A sandbox violation (test mode only) ends the VM as crashed, with the reason.
"$VMTUI" destroy c1 >/dev/null 2>&1 || fail "destroy c1"
until_state c1 "shut off"
qemu-img check -q "$TMPD/new.qcow2" || fail "the qcow2 image vmtui made and the guest wrote is damaged"
VMTUI_VMM_TEST=1 "$VMTUI" start c1 >"$TMPD/out" 2>&1 || fail "start c1 again: $(cat "$TMPD/out")"
$CTL "$VMTUI_RUNTIME_DIR"/*.sock TEST-SECCOMP >/dev/null || fail "TEST-SECCOMP was refused"
until_state c1 crashed
json_field c1 reason | grep -q 'seccomp syscall [0-9]* (uname) is outside the sandbox' ||
	fail "c1's reason: $(json_field c1 reason)"
note "c1 crashed: $(json_field c1 reason)"
$CTL "$VMTUI_RUNTIME_DIR"/*.sock TEST-SECCOMP 2>/dev/null && fail "a socket is still there"

# A guest that reboots itself (the probe resets at every boot) comes back, and runs on.
"$VMTUI" create c5 --kernel "$PROBE" --memory 64 --cmdline "probe.reset" >"$TMPD/out" 2>&1 ||
	fail "create c5: $(cat "$TMPD/out")"
"$VMTUI" start c5 >"$TMPD/out" 2>&1 || fail "start c5: $(cat "$TMPD/out")"
i=0
until "$VMTUI" console c5 </dev/null >"$TMPD/console" 2>&1 && [ "$(grep -c '^probe: ready' "$TMPD/console")" -ge 2 ]; do
	i=$((i + 1)); [ $i -gt $((LIMIT * 5)) ] && fail "c5 did not boot twice: $(tail -n 5 "$TMPD/console")"
	sleep 0.2
done
[ "$(json_field c5 state)" = running ] || fail "c5 after its reboots: $(json_field c5 state)"
"$VMTUI" destroy c5 >/dev/null 2>&1 || fail "destroy c5"

# A guest that powers itself off through ACPI (S5) is shut off, not crashed;
# shutdown presses ACPI's power button, which the probe answers with S5.
"$VMTUI" create c6 --kernel "$PROBE" --memory 64 --cmdline "probe.acpi.poweroff" >"$TMPD/out" 2>&1 ||
	fail "create c6: $(cat "$TMPD/out")"
"$VMTUI" start c6 >"$TMPD/out" 2>&1 || fail "start c6: $(cat "$TMPD/out")"
until_state c6 "shut off"
"$VMTUI" create c7 --kernel "$PROBE" --memory 64 --cmdline "probe.acpi.button" >"$TMPD/out" 2>&1 ||
	fail "create c7: $(cat "$TMPD/out")"
"$VMTUI" start c7 >"$TMPD/out" 2>&1 || fail "start c7: $(cat "$TMPD/out")"
console_until c7 'probe: acpi button armed'
"$VMTUI" shutdown c7 >"$TMPD/out" 2>&1 || fail "shutdown c7: $(cat "$TMPD/out")"
until_state c7 "shut off"
grep -rqs 'power button: ACPI power-button event' "$TMPD/data" || fail "shutdown did not press ACPI's power button"
grep -rqs 'exit reason=poweroff ACPI S5' "$TMPD/data" || fail "c6 and c7 did not end with S5"
note "c6 powered itself off, c7 on the power button: both shut off"
# A guest kernel that panics (pvpanic) ends as crashed, and says so.
"$VMTUI" create c8 --kernel "$PROBE" --memory 64 --cmdline "probe.panic=1" >"$TMPD/out" 2>&1 ||
	fail "create c8: $(cat "$TMPD/out")"
"$VMTUI" start c8 >"$TMPD/out" 2>&1 || fail "start c8: $(cat "$TMPD/out")"
until_state c8 crashed
[ "$(json_field c8 reason)" = "guest-panic pvpanic" ] || fail "c8's reason: $(json_field c8 reason)"
"$VMTUI" show c8 | grep -q 'crashed (guest-panic pvpanic)' || fail "vmtui show c8: $("$VMTUI" show c8)"
note "c8 crashed: $(json_field c8 reason)"

# Networks: a user-mode card (its host answers ARP) and a tap both reach the runner.
FP=$("$PYTHON3" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$VMTUI" create c2 --kernel "$PROBE" --memory 64 --net user,mac=52:54:00:ab:cd:01,fwd=$FP:22 \
	--cmdline "probe.net.udp=0,9" >"$TMPD/out" 2>&1 || fail "create c2 --net user: $(cat "$TMPD/out")"
"$VMTUI" show c2 --json >"$TMPD/out" || fail "show c2"
"$PYTHON3" -c 'import json, sys
f = json.load(open(sys.argv[1]))["nics"][0]["forwards"]
assert f == [{"protocol": "tcp", "host_address": "127.0.0.1", "host_port": int(sys.argv[2]), "guest_port": 22}], f
' "$TMPD/out" "$FP" || fail "show c2 does not list its forward"
"$VMTUI" start c2 >"$TMPD/out" 2>&1 || fail "start c2: $(cat "$TMPD/out")"
console_until c2 'probe: net 0 arp 10.0.2.2 is 52:55:0a:00:02:02'
"$PYTHON3" -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)' "$FP" ||
	fail "c2's runner does not listen on its forwarded port $FP"
grep -q '^probe: net 0 mac=52:54:00:ab:cd:01' "$TMPD/console" || fail "c2's card does not have its MAC"
# The address it sent from, as vmtui ip (and the list's IP column) tell it.
"$VMTUI" ip c2 >"$TMPD/out" 2>&1 || fail "ip c2: $(cat "$TMPD/out")"
grep -Eq '^- +52:54:00:ab:cd:01 10\.0\.2\.15/24 \(arp\)$' "$TMPD/out" || fail "ip c2: $(cat "$TMPD/out")"
"$VMTUI" destroy c2 >/dev/null 2>&1 || fail "destroy c2"
"$VMTUI" create c4 --kernel "$PROBE" --memory 64 --net network:default >"$TMPD/out" 2>&1 &&
	fail "--net network: was accepted on kvm:///"
grep -q "net 1: kvm:/// VMs have user-mode networking or a host tap device: use user or tap:IF" "$TMPD/out" ||
	fail "--net network:default: $(cat "$TMPD/out")"
"$VMTUI" create c3 --kernel "$PROBE" --memory 64 --net tap:tapc,mac=52:54:00:ab:cd:ef --cmdline "probe.net.echo=0,1" \
	>"$TMPD/out" 2>&1 || fail "create c3: $(cat "$TMPD/out")"
if ! command -v ip >/dev/null || ! ip netns add "vmtui-cli-$$" 2>/dev/null; then
	note "no network namespace here: the tap part is not checked"
	echo "PASS: client"
	exit 0
fi
NS=vmtui-cli-$$
ip netns exec "$NS" ip tuntap add tapc mode tap || fail "cannot make a tap"
ip netns exec "$NS" "$VMTUI" start c3 >"$TMPD/out" 2>&1 || fail "start c3: $(cat "$TMPD/out")"
console_until c3 'probe: net 0 hello sent'
grep -q '^probe: net 0 mac=52:54:00:ab:cd:ef' "$TMPD/console" || fail "c3's card does not have its MAC"
"$VMTUI" destroy c3 >/dev/null 2>&1 || fail "destroy c3"
echo "PASS: client"
