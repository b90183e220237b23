# SPDX-License-Identifier: GPL-2.0-or-later
# l1-bench.sh: the group "bench" of the nested fixture's L1, for bench/nested-boot: boots one L2 kernel under each VMM in turn and times it.
#
# Each VMM boots /guest/vmlinuz with L2's initramfs, 2 vCPUs and 256 MiB,
# no devices it does not need, and L2's /init powers off at once
# (fixture.mode=poweroff).  L1 times, on its own clock, each run from the
# exec of the VMM to "L2: init" on the guest's serial console (the tty's
# line or the kernel's, whichever comes first) and to the
# VMM's end, and reports "@@fixture bench VMM RUN INIT_S END_S" (INIT_S "-"
# when the marker never came).  fixture.runs=N (default 5) runs each VMM N
# times, alternating them, so that a slow stretch of L0 falls on each;
# fixture.vmms=A,B runs those only; fixture.verbose boots L2 without
# "quiet" and reports each run's whole console.

BENCH_CMD="console=ttyS0 quiet fixture.mode=poweroff"
BENCH_LIMIT=300

# now: L1's uptime in hundredths of a second.
now() { tr -d . </proc/uptime | cut -d' ' -f1; }

# bench_cmd VMM: the command line that boots L2 under VMM.
bench_cmd() {
	case $1 in
	vmtui-vmm) echo "$VMM --console-stdio --vcpus 2 --memory 256 --kernel $K --initrd $I --cmdline" ;;
	vmtui-vmm-pvh) echo "$VMM --console-stdio --vcpus 2 --memory 256 --kernel /guest/vmlinux --initrd $I --cmdline" ;;
	qemu-microvm) echo "qemu-system-x86_64 -M microvm -enable-kvm -cpu host -smp 2 -m 256 -nodefaults -no-user-config -display none -serial stdio -no-reboot -kernel $K -initrd $I -append" ;;
	qemu-microvm-pvh) echo "qemu-system-x86_64 -M microvm -enable-kvm -cpu host -smp 2 -m 256 -nodefaults -no-user-config -display none -serial stdio -no-reboot -kernel /guest/vmlinux -initrd $I -append" ;;
	qemu-pc) echo "qemu-system-x86_64 -M pc -enable-kvm -cpu host -smp 2 -m 256 -nodefaults -no-user-config -display none -serial stdio -no-reboot -kernel $K -initrd $I -append" ;;
	esac
}

# bench_one VMM RUN: one boot to poweroff, reported.
bench_one() {
	out=$D/bench-$1-$2.con
	b0=$(now)
	timeout -s KILL $BENCH_LIMIT $(bench_cmd "$1") "$BENCH_CMD" </dev/null >"$out" 2>"$out.err" &
	pid=$!
	tinit=-
	while alive $pid; do
		if [ "$tinit" = - ] && grep -q 'L2: init' "$out"; then
			tinit=$(now)
		fi
		sleep 0.05
	done
	tend=$(now)
	wait $pid
	[ "$tinit" = - ] && grep -q 'L2: init' "$out" && tinit=$tend
	[ "$tinit" = - ] || tinit=$(((tinit - b0) / 100)).$(printf %02d $(((tinit - b0) % 100)))
	say "bench $1 $2 $tinit $(((tend - b0) / 100)).$(printf %02d $(((tend - b0) % 100)))"
	if [ "$tinit" = - ] || [ -n "$BENCH_VERBOSE" ]; then
		tail -n "${BENCH_VERBOSE:-12}" "$out" "$out.err" | tr -d '\r' | while IFS= read -r l; do diag - "bench $1: $l"; done
	fi
}

group_bench() {
	mkdir -p $D
	runs=$(sed -n 's/.*fixture\.runs=\([0-9]*\).*/\1/p' /proc/cmdline)
	BENCH_VERBOSE=
	if grep -q 'fixture\.verbose' /proc/cmdline; then
		BENCH_CMD="console=ttyS0 fixture.mode=poweroff"
		BENCH_VERBOSE=400
	fi
	vmms=$(sed -n 's/.*fixture\.vmms=\([^ ]*\).*/\1/p' /proc/cmdline | tr , ' ')
	if [ -z "$vmms" ]; then
		vmms="vmtui-vmm qemu-microvm qemu-pc"
		[ -f /guest/vmlinux ] && vmms="vmtui-vmm vmtui-vmm-pvh qemu-microvm qemu-microvm-pvh qemu-pc"
		command -v qemu-system-x86_64 >/dev/null || vmms=vmtui-vmm
	fi
	i=1
	while [ $i -le "${runs:-5}" ]; do
		for v in $vmms; do bench_one $v $i; done
		i=$((i + 1))
	done
}
