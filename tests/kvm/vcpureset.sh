#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# vcpureset.sh: a guest reboot and a control-socket RESET put the vCPU back to its power-on state: MSRs (kvmclock, steal time, PV EOI, async PF off), debug registers, LAPIC, NMIs, FPU.
. "$(dirname "$0")/lib.sh"
need_kvm; need_probe

# The probe prints its vCPU state (probe.cpu.show), changes all of it and
# ends in an NMI handler (probe.cpu.dirty); after the reset it prints it
# again.  PVM traps the probe's FPU instructions and KVM cannot emulate
# them, so the FPU, XCR0 and PKRU are checked only elsewhere.
fpu=probe.cpu.fpu
[ -d /sys/module/kvm_pvm ] && fpu= && note "PVM host: FPU, XCR0 and PKRU not checked"

# check NAME: the state after the reset is the state at power-on.
check() {
	"$PYTHON3" - "$TMPD/$1.out" <<'PY' || fail "$1: the reset left state behind (above)"
import re, sys
text = open(sys.argv[1], errors="replace").read().replace("\r", "")
boots = text.split("probe: ready\n")[1:]
def shown(boot):
    block = boot.split("probe: cpu shown\n")[0]
    return dict(re.findall(r"^probe: cpu ([a-z0-9_]+)=(\S+)$", block, re.M))
if len(boots) < 2:
    sys.exit("fewer than two boots")
first, dirty, again = shown(boots[0]), dict(re.findall(r"^probe: cpu dirty ([a-z0-9_]+)=(\S+)$", boots[0], re.M)), shown(boots[1])
bad = []
# What power-on means, where the CPU has it ("fault": an MSR this host lacks).
want = {"pat": "7040600070406", "tsc_adjust": "0", "kvm_poll_control": "1", "kvm_async_pf_int": "0",
        "kvm_wall_clock": "0", "kvm_system_time": "0", "kvm_async_pf_en": "0", "kvm_steal_time": "0",
        "kvm_pv_eoi": "0", "kvm_wall_clock_old": "0", "kvm_system_time_old": "0", "sysenter_cs": "0",
        "lstar": "0", "kernel_gs_base": "0", "tsc_aux": "0", "dr0": "0", "dr7": "400", "lapic_tpr": "0",
        "lapic_lvt_timer": "10000", "lapic_tmict": "0", "nmi": "1", "mtrr_def_type": "806",
        "fcw": "37f", "mxcsr": "1f80", "xmm0": "0", "xcr0": "1", "pkru": "0"}
for k, v in want.items():
    if k in again and again[k] not in (v, "fault"):
        bad.append("%s=%s after the reset, want %s" % (k, again[k], v))
if "misc_enable" in again and again["misc_enable"] != "fault" and not int(again["misc_enable"], 16) & 1:
    bad.append("misc_enable=%s: fast strings off" % again["misc_enable"])
for k in sorted(set(first) | set(again)):
    if first.get(k) != again.get(k):
        bad.append("%s: %s at power-on, %s after the reset" % (k, first.get(k), again.get(k)))
# The check means something only if the probe did change things.
if dirty.get("kvm_system_time", "0") in ("0", "fault") and dirty.get("pat") == first.get("pat"):
    bad.append("the probe changed neither kvmclock nor PAT: nothing was tested")
print("# %d items compared; changed before the reset: %s" % (len(again), " ".join(
    k for k in sorted(dirty) if dirty[k] != first.get(k))))
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
PY
}

# A guest reboot (the i8042 reset, from inside the NMI handler), --on-reboot
# restart, with an AP that must come up again by INIT-SIPI-SIPI.
run_vm g --kernel "$PROBE" --cmdline "console=ttyS0 $fpu probe.cpu.show probe.cpu.dirty=reset" --memory 64 \
	--on-reboot restart --vcpus 2
$CTL "$TMPD/g.sock" console --expect '(?s)probe: cpu dirty done.*probe: cpu shown' --timeout "$LIMIT" \
	>"$TMPD/g.out" || fail "guest reboot: the probe did not show its state again"
$CTL "$TMPD/g.sock" KILL >/dev/null
wait_exit $VM_PID
[ "$(tr -d '\r' <"$TMPD/g.out" | grep -c '^probe: cpus=2$')" -ge 2 ] || fail "guest reboot: the AP did not start again"
check g

# RESET through the control socket while the vCPU sits in the NMI handler.
run_vm r --kernel "$PROBE" --cmdline "console=ttyS0 $fpu probe.cpu.show probe.cpu.dirty" --memory 64
$CTL "$TMPD/r.sock" console --expect 'probe: cpu dirty done' --timeout "$LIMIT" >/dev/null ||
	fail "RESET: the probe did not get to its NMI handler"
[ "$($CTL "$TMPD/r.sock" RESET)" = OK ] || fail "RESET failed"
$CTL "$TMPD/r.sock" console --expect '(?s)probe: cpu dirty done.*probe: cpu shown' --timeout "$LIMIT" \
	>"$TMPD/r.out" || fail "RESET: the probe did not show its state again"
$CTL "$TMPD/r.sock" KILL >/dev/null
wait_exit $VM_PID
check r
echo "PASS: vcpureset"
