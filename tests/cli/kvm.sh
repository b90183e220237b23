#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# kvm.sh: the CLI on kvm:///: a probe VM from create to delete, its console through a pipe, crashes seen.
. "$top_srcdir/tests/cli/lib.sh"
need_probe
[ -r /dev/kvm ] && [ -w /dev/kvm ] || skip "cannot open /dev/kvm"
at_exit 'for vm in p1 p2 p3; do "$VMTUI" destroy $vm >/dev/null 2>&1; done'

# console_until VM REGEX: read the console (stdin at its end) until REGEX shows.
console_until() {
	i=0
	until "$VMTUI" console "$1" </dev/null >"$TMPD/console" 2>&1 && grep -Eq -- "$2" "$TMPD/console"; do
		i=$((i + 1))
		[ $i -gt 100 ] && { cat "$TMPD/console"; fail "$1's console never showed '$2'"; }
		sleep 0.2
	done
}

expect 0 "$VMTUI" create p1 --kernel "$PROBE" --memory 64 --vcpus 2 --cmdline 'probe.echo x=1'
expect 0 "$VMTUI" start p1
out_has '^p1 started'
expect_err 1 "VM p1 is already running" "$VMTUI" start p1
expect 0 "$VMTUI" list --json
[ "$(json_get '[v["state"] for v in j if v["name"] == "p1"][0]')" = running ] || fail "p1 is not listed running"

# A late console sees what the guest said; a pipe talks to it.
console_until p1 'probe: ready'
grep -q '^probe: cmdline=probe.echo x=1' "$TMPD/console" || fail "the cmdline did not arrive"
grep -q '^probe: cpus=2' "$TMPD/console" || fail "the guest does not see 2 CPUs"
printf 'ping from a pipe\r' | "$VMTUI" console p1 >"$TMPD/echo" 2>&1
grep -q 'ping from a pipe' "$TMPD/echo" || fail "no echo through the pipe: $(tail -c 200 "$TMPD/echo")"

expect 0 "$VMTUI" stats p1 --count 2 --interval 0.3 --json
json_check
[ "$(json_get 'len(j)')" = 2 ] || fail "stats did not give 2 samples"
[ "$(json_get 'j[0]["memory_kib"] > 0')" = True ] || fail "stats report no memory"

expect 0 "$VMTUI" pause p1
expect 0 "$VMTUI" list --json
[ "$(json_get '[v["state"] for v in j if v["name"] == "p1"][0]')" = paused ] || fail "p1 is not paused"
expect 0 "$VMTUI" resume p1
expect_err 1 "VM p1 is running: stop it first, or delete it with --force" "$VMTUI" delete p1

# Shutdown is the power button: the probe powers off, the VM ends shut off.
expect 0 "$VMTUI" shutdown p1
i=0
until "$VMTUI" list --all --json >"$TMPD/out" && [ "$(json_get '[v["state"] for v in j if v["name"] == "p1"][0]')" = "shut off" ]; do
	i=$((i + 1)); [ $i -gt 100 ] && fail "p1 did not power off"; sleep 0.1
done
expect_err 1 "VM p1 is not running" "$VMTUI" destroy p1
expect 0 "$VMTUI" show p1 --json
[ "$(json_get '[e["action"] for e in j["events"]][:2]')" = "['destroy', 'shutdown']" ] ||
	fail "events: $(json_get '[e["action"] for e in j["events"]]')"

# A runner that dies without a word is reported crashed, with its last log lines.
expect 0 "$VMTUI" start p1
pid=$(cut -d' ' -f1 "$VMTUI_RUNTIME_DIR"/*.pid)
kill -9 "$pid"
i=0
while [ -d /proc/$pid ] && ! grep -q ') [ZX] ' /proc/$pid/stat 2>/dev/null; do
	i=$((i + 1)); [ $i -gt 100 ] && fail "the runner did not die"; sleep 0.1
done
expect 0 "$VMTUI" list --all --json
[ "$(json_get '[v["state"] for v in j if v["name"] == "p1"][0]')" = crashed ] || fail "p1 is not crashed"
json_get '[v["reason"] for v in j if v["name"] == "p1"][0]' | grep -q 'runner died unexpectedly: .*vmm' ||
	fail "no reason with the log's last lines"
ls "$VMTUI_RUNTIME_DIR"/*.sock 2>/dev/null && fail "the dead runner's socket was not cleaned up"
expect 0 "$VMTUI" start p1
expect 0 "$VMTUI" delete p1 --force
out_has '^deleted p1'

# A guest that triple-faults is crashed with the runner's reason.
expect 0 "$VMTUI" create p2 --kernel "$PROBE" --memory 64 --cmdline probe.triplefault
expect 0 "$VMTUI" start p2
i=0
until "$VMTUI" list --all --json >"$TMPD/out" && [ "$(json_get '[v["state"] for v in j if v["name"] == "p2"][0]')" = crashed ]; do
	i=$((i + 1)); [ $i -gt 100 ] && fail "p2 did not crash"; sleep 0.1
done
json_get '[v["reason"] for v in j if v["name"] == "p2"][0]' | grep -Eq 'triple-fault|internal-error' ||
	fail "p2's reason: $(json_get '[v["reason"] for v in j if v["name"] == "p2"][0]')"

# The runner refuses a kernel it cannot boot, and start says why.
head -c 1000 "$PROBE" >"$TMPD/short.bzImage"
expect 0 "$VMTUI" create p3 --kernel "$TMPD/short.bzImage" --memory 64
expect_err 1 "truncated" "$VMTUI" start p3
expect 0 "$VMTUI" list --all --json
[ "$(json_get '[v["state"] for v in j if v["name"] == "p3"][0]')" = "shut off" ] || fail "p3 should be shut off"
VMTUI_VMM=/nonexistent/vmtui-vmm expect_err 1 "cannot run vmtui-vmm" "$VMTUI" start p3

# A new disk goes beside the database; delete --remove-disks takes it away.
expect 0 "$VMTUI" create p4 --kernel "$PROBE" --memory 64 --disk size=1
img=$(sed -n 's/^  disk 1: //p' "$TMPD/out")
case $img in "$TMPD/data/images/"*) ;; *) fail "the image is not in the images folder: $img" ;; esac
[ "$(stat -c %s "$img")" = 1073741824 ] || fail "the image is not 1 GiB"
[ "$(du -k "$img" | cut -f1)" -lt 1024 ] || fail "the image is not sparse"
expect 0 "$VMTUI" delete p4 --remove-disks
[ -e "$img" ] && fail "delete --remove-disks left $img"
exit 0
