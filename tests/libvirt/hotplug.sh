#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# hotplug.sh: vmtui edit of a running domain on a real libvirtd: a new disk and card are attached at once, a removed one detached; the rest waits for the next boot and says so.
. "$top_srcdir/tests/libvirt/lib.sh"
. "$top_srcdir/tests/fixtures/libvirtd.sh"

need_probe
libvirtd_start || skip "$LIBVIRTD_WHY"
U=$LIBVIRTD_URI
d=vt-$$-hot
at_exit "virsh -q -c '$U' destroy $d >/dev/null 2>&1; virsh -q -c '$U' undefine $d >/dev/null 2>&1; for x in $d-disk0.qcow2 $d-disk1.qcow2; do virsh -q -c '$U' vol-delete --pool default \$x >/dev/null 2>&1; done"
# live_disks / next_disks: the disks' sources as the running machine and its next boot have them.
live_disks() { virsh -q -c "$U" domblklist $d | awk '{print $2}' | sort | tr '\n' ' '; }
next_disks() { virsh -q -c "$U" domblklist $d --inactive | awk '{print $2}' | sort | tr '\n' ' '; }
live_macs() { virsh -q -c "$U" domiflist $d | awk '{print $5}' | tr '\n' ' '; }
next_macs() { virsh -q -c "$U" domiflist $d --inactive | awk '{print $5}' | tr '\n' ' '; }

expect 0 "$VMTUI" -c "$U" create $d --kernel "$PROBE" --cmdline console=ttyS0 --memory 64 \
	--disk size=16M,format=qcow2 --net none
expect 0 "$VMTUI" -c "$U" start $d
[ "$(live_disks)" = "$(next_disks)" ] || fail "the started domain's disks differ already"

# --- a new disk: made in the pool, defined and attached now ---
expect 0 "$VMTUI" -c "$U" edit $d --disk size=8M,format=qcow2
out_has "^$d now: disk 2 \(.*/$d-disk1.qcow2\) attached$"
grep -q 'next boot' "$TMPD/out" && fail "the attached disk is said to wait: $(cat "$TMPD/out")"
case $(live_disks) in *$d-disk1.qcow2*) ;; *) fail "the running domain lacks the new disk: $(live_disks)" ;; esac
[ "$(live_disks)" = "$(next_disks)" ] || fail "live '$(live_disks)' and next boot '$(next_disks)' differ"

# --- a new card: attached now, with the MAC the definition has ---
expect 0 "$VMTUI" -c "$U" edit $d --net user,mac=52:54:00:aa:bb:01
out_has "^$d now: network card 1 \(52:54:00:aa:bb:01\) attached$"
[ "$(live_macs)" = "52:54:00:aa:bb:01 " ] || fail "live cards: '$(live_macs)'"
[ "$(next_macs)" = "52:54:00:aa:bb:01 " ] || fail "next boot's cards: '$(next_macs)'"

# --- memory cannot change now: said field by field, nothing attached ---
expect 0 "$VMTUI" -c "$U" edit $d --memory 96 --vcpus 1
out_has "^$d is running: its memory change at its next boot$"
grep -q ' now: ' "$TMPD/out" && fail "a memory edit hot-plugged something: $(cat "$TMPD/out")"

# --- a removed disk: gone from the next boot at once; the running guest is asked to let go ---
expect 0 "$VMTUI" -c "$U" edit $d --remove-disk 2
note "remove-disk on the running domain: $(grep -v '^ ' "$TMPD/out" | tr '\n' '|')"
case $(next_disks) in *$d-disk1.qcow2*) fail "the next boot still has the removed disk" ;; esac
if grep -q "disk .*$d-disk1.qcow2 detached$" "$TMPD/out"; then
	case $(live_disks) in *$d-disk1.qcow2*) fail "said detached, but the running domain has it" ;; esac
else
	# The probe has no ACPI hot-plug: QEMU waits for a guest that never answers.
	out_has "disk .*$d-disk1.qcow2: the guest was asked to release it and has not yet"
	out_has "^$d is running: its disks change at its next boot$"
fi
expect 0 "$VMTUI" -c "$U" history $d
out_has "hot-plug: disk 2 \(.*\) attached"

# --- the same on a shut-off domain: defined only, nothing to say about a boot ---
expect 0 "$VMTUI" -c "$U" destroy $d
expect 0 "$VMTUI" -c "$U" edit $d --memory 80
grep -Eq 'now:|next boot' "$TMPD/out" && fail "a shut-off edit speaks of hot-plug: $(cat "$TMPD/out")"
true
