#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# edit.sh: kvm:/// edits keep the disks vmtui made, a running VM shows what runs and what waits for its next start, rename, a failed image.
. "$top_srcdir/tests/cli/lib.sh"
need_probe
[ -r /dev/kvm ] && [ -w /dev/kvm ] || skip "cannot open /dev/kvm"
at_exit 'for vm in live live2; do "$VMTUI" destroy $vm >/dev/null 2>&1; done'

# vm_field VM EXPR: EXPR of the VM's entry in list --all --json (as v).
vm_field() {
	"$VMTUI" list --all --json >"$TMPD/out" || fail "list --all --json failed"
	json_get "[$2 for v in j if v['name'] == '$1'][0]"
}

# --- an edit keeps the disks vmtui created, qcow2 or raw, at create or by edit ---
expect 0 "$VMTUI" create web2 --kernel "$PROBE" --memory 64 --disk size=1,format=qcow2
expect 0 "$VMTUI" edit web2 --memory 128
expect 0 "$VMTUI" create web3 --kernel "$PROBE" --memory 64 --disk size=1
expect 0 "$VMTUI" edit web3 --disk size=1
out_has '^  disk 2: '
expect 0 "$VMTUI" edit web3 --memory 96 --vcpus 2
expect 0 "$VMTUI" show web3 --json
[ "$(json_get '[d["created_by_vmtui"] for d in j["disks"]]')" = "[True, True]" ] ||
	fail "web3's disks: $(json_get 'j["disks"]')"
[ "$(json_get 'j["memory_mib"]')" = 96 ] || fail "the third edit did not apply"
img=$(json_get 'j["disks"][0]["path"]')
# A size with an existing path still means a new image there: refused.
sum=$(defs_digest)
expect_err 2 "^vmtui: disk 3: .* already exists" "$VMTUI" edit web3 --disk "$img,size=1"
[ "$(defs_digest)" = "$sum" ] || fail "a refused edit changed the database"

# --- an image that cannot be made is an operation that failed (1), not "no such VM" ---
expect_err 1 "^vmtui: disk 1: cannot create image /proc/vmtui-nope.img: " \
	"$VMTUI" create rod --kernel "$PROBE" --memory 64 --disk /proc/vmtui-nope.img,size=1
expect_err 3 "no VM named rod" "$VMTUI" show rod

# --- a running VM shows what runs; the stored definition waits for its next start ---
expect 0 "$VMTUI" create live --kernel "$PROBE" --memory 32 --vcpus 1 --cmdline probe.echo --disk size=1
expect 0 "$VMTUI" start live
expect 0 "$VMTUI" edit live --memory 48 --vcpus 2
out_has '^live is running: its vCPUs, memory change at its next boot$'
# The runner does not hot-plug: a new disk waits too; notes alone wait for nothing.
expect 0 "$VMTUI" edit live --disk size=1
out_has '^live is running: its disks change at its next boot$'
expect 0 "$VMTUI" edit live --remove-disk 2
expect 0 "$VMTUI" edit live --notes "just a note"
grep -q 'next boot' "$TMPD/out" && fail "a note is said to wait for the next boot"
[ "$(vm_field live "(v['vcpus'], v['memory_mib'], v['pending'])")" = "(1, 32, True)" ] ||
	fail "list --json shows $(vm_field live "(v['vcpus'], v['memory_mib'], v['pending'])")"
expect 0 "$VMTUI" list
out_has '^live +running +1 +32 MiB '
expect 0 "$VMTUI" show live
out_has '^vCPUs: +1 \(2 at the next start\)$'
out_has '^Memory: +32 MiB \(48 MiB at the next start\)$'
out_has '^Pending: +the stored definition differs from what runs; it applies at the next start$'
expect 0 "$VMTUI" show live --json
[ "$(json_get '(j["vcpus"], j["memory_mib"], j["next_start"])')" = "(1, 32, {'vcpus': 2, 'memory_mib': 48})" ] ||
	fail "show --json: $(json_get '(j["vcpus"], j["memory_mib"], j.get("next_start"))')"

# stats prints rates with their units, as it prints memory.
expect 0 "$VMTUI" stats live --count 1 --interval 0.2
[ "$(sed -n 2p "$TMPD/out" | grep -Ec '[0-9.]+ (B|KiB|MiB|GiB)/s +[0-9.]+ (B|KiB|MiB|GiB)/s')" = 1 ] ||
	{ cat "$TMPD/out"; fail "stats does not print its rates with units"; }

# A rename waits for the VM to be shut off, as libvirt's does.
sum=$(defs_digest)
expect_err 1 "^vmtui: VM live is running: rename it once it is shut off" "$VMTUI" edit live --name live2
[ "$(defs_digest)" = "$sum" ] || fail "a refused rename changed the database"
expect 0 "$VMTUI" destroy live
expect 0 "$VMTUI" start live
[ "$(vm_field live "(v['vcpus'], v['memory_mib'], v['pending'])")" = "(2, 48, False)" ] ||
	fail "after a new start: $(vm_field live "(v['vcpus'], v['memory_mib'], v['pending'])")"
expect 0 "$VMTUI" destroy live

# --- rename: the store holds kvm:/// VMs, so it is the store's row that changes ---
uuid=$(vm_field live "v['uuid']")
expect 0 "$VMTUI" edit live --name live2
out_has '^renamed live to live2 on kvm:///$'
expect_err 3 "no VM named live on kvm:///" "$VMTUI" show live
[ "$(vm_field live2 "v['uuid']")" = "$uuid" ] || fail "the rename made another VM"
expect 0 "$VMTUI" start live2
expect 0 "$VMTUI" show live2 --json
[ "$(json_get '[e["action"] for e in j["events"]][:2]')" = "['start', 'rename']" ] ||
	fail "events: $(json_get '[e["action"] for e in j["events"]]')"
expect 0 "$VMTUI" destroy live2
sum=$(defs_digest)
expect_err 2 "^vmtui: name: ' ' is not allowed" "$VMTUI" edit live2 --name 'live 3'
expect_err 1 "^vmtui: name: a VM named web2 already exists on kvm:///" "$VMTUI" edit live2 --name web2
expect_err 2 "^vmtui create: --name is for edit" "$VMTUI" create x --name y
[ "$(defs_digest)" = "$sum" ] || fail "a refused rename changed the database"
exit 0
