#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# smp.sh: the guest finds every vCPU in the firmware tables and starts them with INIT-SIPI-SIPI.
. "$(dirname "$0")/lib.sh"
need_kvm; need_probe

for n in 2 4; do
	timeout -s KILL "$LIMIT" "$VMTUI_VMM" --kernel "$PROBE" --cmdline "probe.poweroff" --memory 64 \
		--vcpus $n --console-stdio </dev/null >"$TMPD/smp$n.out" 2>"$TMPD/smp$n.log" ||
		fail "$n vCPUs: status $?"
	grep -q "^probe: cpus-listed=$n " "$TMPD/smp$n.out" || fail "$n vCPUs: tables list $(grep cpus-listed "$TMPD/smp$n.out")"
	grep -q "^probe: cpus=$n\b" "$TMPD/smp$n.out" || fail "$n vCPUs: $(grep 'cpus=' "$TMPD/smp$n.out")"
	note "$n vCPUs: $(grep 'probe: cpus' "$TMPD/smp$n.out" | tr '\n' ' ')"
done
echo "PASS: smp"
