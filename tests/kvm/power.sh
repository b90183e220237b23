#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# power.sh: ACPI as the probe sees it (FADT, DSDT, PM1): S5 powers off, the power button raises the SCI when the guest listens (Ctrl-Alt-Del when not), a reboot resets PM1; the MP table routes each slot's INTA#.
. "$(dirname "$0")/lib.sh"
need_kvm; need_probe

# The guest's serial output goes to $TMPD/NAME.out (--console-stdio): wait_out NAME REGEX.
wait_out() {
	$CTL wait-file "$TMPD/$1.out" "$2" "$LIMIT" 2>/dev/null
}

# S5 written to PM1a_CNT ends the VM as a clean power-off.
run_vm s5 --kernel "$PROBE" --cmdline "console=ttyS0 probe.acpi probe.acpi.poweroff" --memory 64 --console-stdio
wait_exit $VM_PID
grep -q 'probe: acpi fadt rev=6 len=276 sci=9 smi_cmd=0 pm1a_evt=600 pm1a_cnt=604 ' "$TMPD/s5.out" ||
	fail "S5: the FADT is missing or not what the runner means: $(grep -a 'probe: acpi' "$TMPD/s5.out")"
grep -q 'probe: acpi dsdt len=[0-9]* s5=5' "$TMPD/s5.out" || fail "S5: no DSDT with \\_S5"
grep -q 'probe: acpi pm1 sts=0 en=0 cnt=1' "$TMPD/s5.out" || fail "S5: PM1 is not at power-on (SCI_EN alone)"
grep -q 'probe: warning' "$TMPD/s5.out" && fail "S5: $(grep -a 'probe: warning' "$TMPD/s5.out")"
[ $VM_STATUS -eq 0 ] || fail "S5: status $VM_STATUS"
[ "$(exit_reason s5)" = poweroff ] || fail "S5: reason $(exit_reason s5), want poweroff"
grep -q 'exit reason=poweroff ACPI S5' "$TMPD/s5.log" || fail "S5: the end was not ACPI's"
[ -e "$TMPD/s5.exit" ] && fail "S5: a power-off is not a crash, yet .exit was written"
note "S5: poweroff"

# The power button: once the guest has enabled PWRBTN_EN, POWERDOWN sets
# PWRBTN_STS and raises the SCI; the probe acknowledges it and writes S5.
# A reset in between must put PM1 back to power-on (en=0 at the next boot).
run_vm pb --kernel "$PROBE" --cmdline "console=ttyS0 probe.acpi probe.acpi.button" --memory 64 \
	--on-reboot restart --console-stdio
wait_out pb 'probe: (acpi button armed|warning|acpi fadt none)' || fail "button: the probe never got to ACPI"
grep -q 'probe: acpi button armed sci=9 sci_en=1 en=100' "$TMPD/pb.out" ||
	fail "button: not armed: $(grep -a 'probe: \(acpi\|warning\)' "$TMPD/pb.out")"
[ "$($CTL "$TMPD/pb.sock" RESET)" = OK ] || fail "button: RESET failed"
wait_out pb '(?s)armed.*probe: acpi button armed' || fail "button: not armed again after the reset"
[ "$(grep -c 'probe: acpi pm1 sts=0 en=0 cnt=1' "$TMPD/pb.out")" = 2 ] ||
	fail "button: PM1 kept the first boot's enable across the reset"
[ "$($CTL "$TMPD/pb.sock" POWERDOWN)" = OK ] || fail "button: POWERDOWN failed"
wait_exit $VM_PID
grep -q 'probe: acpi sci pm1_sts=100' "$TMPD/pb.out" || fail "button: no SCI with PWRBTN_STS"
grep -q 'probe: acpi power button' "$TMPD/pb.out" || fail "button: not taken for the power button"
grep -q 'probe: ctrl-alt-del' "$TMPD/pb.out" && fail "button: Ctrl-Alt-Del although the guest listened"
grep -q 'power button: ACPI power-button event' "$TMPD/pb.log" || fail "button: the runner did not press ACPI's"
[ $VM_STATUS -eq 0 ] && [ "$(exit_reason pb)" = poweroff ] ||
	fail "button: status $VM_STATUS reason $(exit_reason pb), want 0 poweroff"
grep -q 'exit reason=poweroff ACPI S5' "$TMPD/pb.log" || fail "button: the guest did not end with S5"
note "power button: SCI, then S5"

# A guest that has not enabled the event still gets Ctrl-Alt-Del.
run_vm cad --kernel "$PROBE" --cmdline "console=ttyS0 probe.acpi" --memory 64 --console-stdio
wait_out cad 'probe: acpi (pm1|fadt none)' || fail "Ctrl-Alt-Del: no boot"
[ "$($CTL "$TMPD/cad.sock" POWERDOWN)" = OK ] || fail "Ctrl-Alt-Del: POWERDOWN failed"
wait_exit $VM_PID
grep -q 'probe: ctrl-alt-del' "$TMPD/cad.out" || fail "Ctrl-Alt-Del: the guest never saw it"
[ "$(exit_reason cad)" = poweroff ] || fail "Ctrl-Alt-Del: reason $(exit_reason cad)"
note "power button without ACPI: Ctrl-Alt-Del"

# The MP table: PCI bus 0, and each slot's INTA# on the IOAPIC pin its
# config space names (two disks and the rng: slots 1-3 on IRQs 5, 10, 11).
truncate -s 1M "$TMPD/a.img" "$TMPD/b.img"
run_vm mp --kernel "$PROBE" --cmdline "console=ttyS0 probe.mptable probe.poweroff" --memory 64 \
	--disk "$TMPD/a.img" --disk "$TMPD/b.img" --console-stdio
wait_exit $VM_PID
[ "$(exit_reason mp)" = poweroff ] || fail "MP: reason $(exit_reason mp)"
grep -q 'probe: mp bus 0 PCI' "$TMPD/mp.out" || fail "MP: no PCI bus 0: $(grep -a 'probe: mp' "$TMPD/mp.out")"
grep -q 'probe: mp bus 1 ISA' "$TMPD/mp.out" || fail "MP: no ISA bus"
for want in 1:5 2:10 3:11; do
	slot=${want%:*} line=${want#*:}
	grep -q "probe: mp pci-int bus=0 slot=$slot pin=A ioapic=1 line=$line flags=f cfg-line=$line cfg-pin=1" \
		"$TMPD/mp.out" || fail "MP: slot $slot INTA# is not routed to pin $line"
done
grep -q 'probe: mp pci-ints=3 other-ints=13' "$TMPD/mp.out" || fail "MP: $(grep -a 'ints=' "$TMPD/mp.out")"
note "MP table: slots 1-3 on pins 5, 10, 11"
echo "PASS: power"
