#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# triplefault.sh: a guest crash ends the VM with a crash reason, status 3 and the .exit file.
. "$(dirname "$0")/lib.sh"
need_kvm; need_probe

run_vm tf --kernel "$PROBE" --cmdline "console=ttyS0 probe.triplefault" --memory 64 --on-reboot restart
wait_exit $VM_PID
reason=$(exit_reason tf)
# PVM (KVM without VMX) cannot deliver through an empty IDT: it reports an
# emulation failure where hardware would triple-fault.  Both are crashes.
want=triple-fault
[ -d /sys/module/kvm_pvm ] && [ "$reason" = internal-error ] && want=internal-error &&
	note "PVM host: the triple fault surfaces as a KVM internal error"
[ "$reason" = "$want" ] || fail "reason $reason, want $want"
[ $VM_STATUS -eq 3 ] || fail "status $VM_STATUS, want 3"
[ -f "$TMPD/tf.exit" ] || fail "no .exit file"
# The vCPU and nothing invented: after KVM_EXIT_SHUTDOWN its registers say
# nothing of where the guest was (on AMD, KVM has INITed it: RIP 0xfff0).
case $want in
triple-fault) grep -qx "triple-fault vcpu=0" "$TMPD/tf.exit" ;;
*) grep -qx "internal-error vcpu=0 suberror=[0-9]*" "$TMPD/tf.exit" ;;
esac || fail ".exit says '$(cat "$TMPD/tf.exit")'"
grep -q 'exit reason=.* rip=' "$TMPD/tf.log" && fail "the exit line names an address KVM did not give"
for f in tf.sock tf.pid; do
	[ -e "$TMPD/$f" ] && fail "$f left behind"
done
echo "PASS: triplefault"
