# SPDX-License-Identifier: GPL-2.0-or-later
# l1-scenarios.sh: the nested fixture's scenarios, run by L1's /init (busybox sh): each group boots L2 under vmtui-vmm and reports its IDs.
#
# A group is the function group_NAME; it reports every ID that the table
# /fixture/scenarios gives it, ok or fail, whatever happens (an L2 that
# never comes up fails its IDs, it never skips them).  L2's console is the
# runner's --console-stdio output in $D/VM.con and its typed input the fifo
# $D/VM.in (held open on fd 9); requests go through the control socket with
# socat.  Every wait has a limit, which only stops a hang: the limits are
# generous for TCG-nested L2s and never decide a result by themselves.

D=/tmp/fx
VMM=/usr/libexec/vmtui/vmtui-vmm
K=/guest/vmlinuz
I=/guest/initrd.img
BASE="console=ttyS0 quiet"
BOOT=240	# seconds for L2 to reach a line of its /init
mkdir -p $D/img

res() { rid=$1; rst=$2; shift 2; say "result $rid $rst $(echo "$*" | tr '\r\n#' '  _')"; }
diag() { did=$1; shift; say "diag $did $(echo "$*" | tr '\r\n' '  ')"; }
fail_ids() { fids=$1; shift; for f in $fids; do res "$f" fail "$@"; done; }

# pattern CHAR: one MiB of CHAR, for the disks.
pattern() { tr '\000' "$1" </dev/zero | head -c 1048576; }

alive() {
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
	[ -n "$st" ] && [ "$st" != Z ]
}

wait_file() {
	n=0
	while [ $n -lt $(($3 * 2)) ]; do
		grep -qE "$2" "$1" 2>/dev/null && return 0
		sleep 0.5
		n=$((n + 1))
	done
	return 1
}

# vm_start NAME RUNNER-ARGS...: L2 on $VM_KERNEL/$VM_INITRD (default the
# fixture's own); 0 once the runner said OK on its ready pipe.
vm_start() {
	VM=$1
	shift
	rm -f "$D/$VM".*
	mkfifo "$D/$VM.in"
	exec 9<>"$D/$VM.in"
	timeout -s KILL 600 $VMM --socket "$D/$VM.sock" --console-stdio --ready-fd 3 \
		--kernel "${VM_KERNEL:-$K}" --initrd "${VM_INITRD:-$I}" "$@" \
		3>"$D/$VM.ready" <"$D/$VM.in" >"$D/$VM.con" 2>"$D/$VM.log" &
	VMPID=$!
	VMT0=$(cut -d. -f1 /proc/uptime)
	wait_file "$D/$VM.ready" '^(OK|ERR)' 60 && grep -q '^OK' "$D/$VM.ready" && return 0
	vm_kill
	return 1
}

vm_wait() { wait_file "$D/$VM.con" "$1" "$2"; }
vm_count() { tr -d '\r' <"$D/$VM.con" | grep -cE "$1"; }

# vm_wait_count REGEX N SECS: until REGEX has matched N lines.
vm_wait_count() {
	n=0
	while [ $n -lt $(($3 * 2)) ]; do
		[ "$(vm_count "$1")" -ge "$2" ] && return 0
		sleep 0.5
		n=$((n + 1))
	done
	return 1
}

vm_type() { printf '%s\r' "$1" >&9; }
vm_req() { printf '%s\n' "$1" | timeout 60 socat -t 60 - "UNIX-CONNECT:$D/$VM.sock" 2>&1 | tr -d '\r'; }

# vm_end_wait SECS: until the runner ends; VMRC its exit status.
vm_end_wait() {
	n=0
	while alive $VMPID; do
		[ $n -ge $(($1 * 2)) ] && return 1
		sleep 0.5
		n=$((n + 1))
	done
	wait $VMPID
	VMRC=$?
	exec 9>&-
	up=$(tr -d '\r' <"$D/$VM.con" | sed -n 's/^L2: init (up \(.*\) s)/\1/p' | tr '\n' ' ')
	diag - "L2 $VM: $(($(cut -d. -f1 /proc/uptime) - VMT0)) s from start to end${up:+, its /init at $up s of its uptime}"
	return 0
}

vm_exit_line() { grep 'vmm: exit reason=' "$D/$VM.log" | tail -n 1 | sed 's/.*vmm: exit //'; }
vm_reason() { vm_exit_line | sed -n 's/^reason=\([a-z-]*\).*/\1/p'; }

vm_kill() {
	if alive $VMPID; then
		vm_req KILL >/dev/null
		vm_end_wait 10 || { kill -9 $VMPID; vm_end_wait 10; }
	else
		vm_end_wait 1
	fi
}

# vm_diag ID: the last lines of L2's console and of its runner's log.
vm_diag() {
	tr -d '\r' <"$D/$VM.con" | grep -v '^ *$' | tail -n 8 | while IFS= read -r l; do diag "$1" "console: $l"; done
	tail -n 2 "$D/$VM.log" | while IFS= read -r l; do diag "$1" "runner: $l"; done
}

# l2_get CHECK: L2's own verdict on CHECK, in L2ST (ok/fail) and L2TXT.
l2_get() {
	line=$(tr -d '\r' <"$D/$VM.con" | grep -m 1 "^L2: result $1 ")
	if [ -z "$line" ]; then
		L2ST=fail
		L2TXT="L2 reported no result for $1"
	else
		L2ST=$(echo "$line" | cut -d' ' -f4)
		L2TXT=$(echo "$line" | cut -d' ' -f5-)
	fi
}

l2_report() {
	l2_get "$2"
	res "$1" "$L2ST" "$L2TXT"
	[ "$L2ST" = ok ] || vm_diag "$1"
}

# The main group: one L2 with 2 vCPUs, three disks, a user network and the
# rng; L2 checks what it can see, L1 checks what L2 sent and wrote.
main_disks() {
	qemu-img create -q -f raw $D/img/raw.img 64M &&
		qemu-io -f raw -c 'write -P 0x5a 0 1M' $D/img/raw.img >/dev/null &&
		qemu-img create -q -f qcow2 $D/img/disk.qcow2 64M &&
		qemu-io -f qcow2 -c 'write -P 0x5a 0 1M' $D/img/disk.qcow2 >/dev/null &&
		qemu-img create -q -f raw $D/img/ro.img 16M &&
		qemu-io -f raw -c 'write -P 0x77 0 1M' $D/img/ro.img >/dev/null
}

# disk_verify FORMAT IMAGE OFFSET: qemu-io finds L2's 0xc3 MiB at OFFSET.
disk_verify() {
	out=$(qemu-io -r -f "$1" -c "read -P 0xc3 $3 1M" "$2" 2>&1)
	echo "$out" | grep -q 'read 1048576/1048576' && ! echo "$out" | grep -q 'verification failed'
}

main_net() {
	# L2's nc ends once its token is in L2's socket buffer, not in L1's server.
	late=0
	while [ "$(tr -d '\r\n' <$D/tcp.got)" != "$token" ] && [ $late -lt 120 ]; do
		sleep 1
		late=$((late + 1))
	done
	[ $late = 0 ] || diag tcp "L1's server had the token $late s after L2 was ready"
	got=$(tr -d '\r\n' <$D/tcp.got)
	l2_get tcp
	if [ "$L2ST" = ok ] && [ "$got" = "$token" ]; then
		res tcp ok "L1's server on 127.0.0.1:5555 got L2's token from 10.0.2.2"
	else
		res tcp fail "$L2TXT; L1's server got '$got', want '$token'"
	fi
	if [ "$fwd_got" = "$token2" ]; then
		res fwd ok "127.0.0.1:6666 in L1 reached L2's port 7777 and read its token"
	else
		res fwd fail "127.0.0.1:6666 in L1 read '$fwd_got', want '$token2'"
	fi
}

main_shell() {
	if vm_wait '^L2: shell' 30; then
		sleep 1
		vm_type 'echo shell-$((6*7))'
		if vm_wait '^shell-42' 60; then
			res serial ok "typed 'echo shell-\$((6*7))', the shell answered shell-42"
		else
			res serial fail "no shell-42 in 60 s after typing into ttyS0"
			vm_diag serial
		fi
	else
		res serial fail "L2 never started its shell"
	fi
	vm_type 'poweroff -f'
	if vm_end_wait 30; then
		if [ "$(vm_reason)" = poweroff ]; then
			res d2-poweroff ok "the runner ended: $(vm_exit_line), status $VMRC"
		else
			res d2-poweroff fail "the runner ended with $(vm_exit_line), not poweroff"
		fi
	else
		res d2-poweroff fail "the VM still runs 30 s after poweroff -f in L2 (state: $(vm_req STATE))"
		vm_diag d2-poweroff
		vm_kill
	fi
}

main_disk_results() {
	l2_get raw
	if [ "$L2ST" = ok ] && disk_verify raw $D/img/raw.img 1M; then
		res raw ok "$L2TXT; qemu-io read it back"
	else
		res raw fail "$L2TXT; qemu-io: $(qemu-io -r -f raw -c 'read -P 0xc3 1M 1M' $D/img/raw.img 2>&1 | head -n 2)"
	fi
	l2_get qcow2
	chk=$(qemu-img check -f qcow2 $D/img/disk.qcow2 2>&1 | head -n 1)
	if [ "$L2ST" = ok ] && disk_verify qcow2 $D/img/disk.qcow2 3M &&
		qemu-img check -q -f qcow2 $D/img/disk.qcow2 >/dev/null 2>&1; then
		res qcow2 ok "$L2TXT; qemu-io read it back, qemu-img check: $chk"
	else
		res qcow2 fail "$L2TXT; qemu-img check: $chk; qemu-io: $(qemu-io -r -f qcow2 -c 'read -P 0xc3 3M 1M' $D/img/disk.qcow2 2>&1 | head -n 2)"
	fi
	l2_get ro
	after=$(md5sum <$D/img/ro.img)
	if [ "$L2ST" = ok ] && [ "$after" = "$ro_before" ]; then
		res ro ok "$L2TXT; the image is unchanged"
	else
		res ro fail "$L2TXT; image md5 before $ro_before, after $after"
	fi
}

group_main() {
	ids="smp2 raw qcow2 ro dhcp tcp fwd ping serial d1-hwrng d7-irq d2-poweroff"
	main_disks || { fail_ids "$ids" "cannot make the disk images with qemu-img and qemu-io"; return; }
	md5=$(pattern Z | md5sum | cut -d' ' -f1)
	md5ro=$(pattern w | md5sum | cut -d' ' -f1)
	ro_before=$(md5sum <$D/img/ro.img)
	token=tcp-$(date +%s)-$$
	token2=fwd-$(date +%s)-$$
	rm -f $D/tcp.got
	timeout 600 nc -l -p 5555 >$D/tcp.got &
	lpid=$!
	if ! vm_start main --vcpus 2 --memory 512 --disk $D/img/raw.img \
		--disk $D/img/disk.qcow2,format=qcow2 --disk $D/img/ro.img,readonly \
		--net user,fwd=tcp:127.0.0.1:6666:7777 \
		--cmdline "$BASE fixture.mode=main fixture.cpus=2 fixture.md5=$md5 fixture.md5ro=$md5ro fixture.token=$token fixture.token2=$token2"; then
		fail_ids "$ids" "the runner did not start: $(cat $D/main.ready $D/main.log | tail -n 2)"
		kill $lpid
		return
	fi
	fwd_got=
	if vm_wait '^L2: fwd-listening' $BOOT; then
		fwd_got=$(timeout 120 nc 127.0.0.1 6666 </dev/null | tr -d '\r\n')
	fi
	if ! vm_wait '^L2: ready' $BOOT; then
		fail_ids "$ids" "L2 did not finish its checks in $BOOT s"
		vm_diag main
		vm_kill
		kill $lpid
		return
	fi
	l2_report smp2 smp
	l2_report dhcp dhcp
	main_net
	l2_report ping ping
	l2_report d1-hwrng hwrng
	l2_report d7-irq irq
	main_shell
	kill $lpid 2>/dev/null
	main_disk_results
}

# L2 counts its vCPUs and memory.
group_big() {
	if ! vm_start big --vcpus 4 --memory 4608 --cmdline "$BASE fixture.mode=info fixture.cpus=4"; then
		fail_ids "smp4 mem" "the runner did not start: $(tail -n 2 $D/big.log)"
		return
	fi
	if vm_wait '^L2: ready' $BOOT; then
		l2_report smp4 smp
		l2_report mem mem
	else
		fail_ids "smp4 mem" "L2 did not finish its checks in $BOOT s"
		vm_diag big
	fi
	vm_kill
}

group_entry32() {
	if ! vm_start e32 --boot-entry 32 --memory 256 --cmdline "$BASE fixture.mode=info fixture.cpus=1"; then
		res entry32 fail "the runner did not start: $(tail -n 2 $D/e32.log)"
		return
	fi
	if vm_wait '^L2: ready' $BOOT; then
		l2_get smp
		res entry32 "$L2ST" "L2's /init ran after the 32-bit entry: $L2TXT"
	else
		res entry32 fail "L2 did not reach its /init in $BOOT s"
		vm_diag entry32
	fi
	vm_kill
}

group_intx() {
	md5=$(pattern Z | md5sum | cut -d' ' -f1)
	qemu-img create -q -f raw $D/img/intx.img 16M && qemu-io -f raw -c 'write -P 0x5a 0 1M' $D/img/intx.img >/dev/null
	if ! vm_start intx --memory 256 --disk $D/img/intx.img --net user \
		--cmdline "$BASE pci=nomsi fixture.mode=intx fixture.md5=$md5"; then
		res intx fail "the runner did not start: $(tail -n 2 $D/intx.log)"
		return
	fi
	if vm_wait '^L2: ready' $BOOT; then
		all=ok text=
		for c in raw dhcp intx; do
			l2_get $c
			[ "$L2ST" = ok ] || all=fail
			text="$text$c $L2ST: $L2TXT; "
		done
		res intx $all "$text"
		[ $all = ok ] || vm_diag intx
	else
		res intx fail "L2 did not finish its checks in $BOOT s"
		vm_diag intx
	fi
	vm_kill
}

# scripts/get-linux-guest's own initrd, as a user runs it: an ext2 disk and
# a user network, nothing of the fixture's.
group_guest() {
	if ! { dd if=/dev/zero of=$D/img/ext2.img bs=1M count=16 2>/dev/null &&
		mke2fs -F $D/img/ext2.img >$D/mke2fs.out 2>&1; }; then
		res d4-guest fail "cannot make an ext2 image: $(tail -n 1 $D/mke2fs.out)"
		return
	fi
	if ! VM_KERNEL=/guest/default/vmlinuz VM_INITRD=/guest/default/initrd.img \
		vm_start guest --memory 256 --disk $D/img/ext2.img --net user --cmdline "$BASE"; then
		res d4-guest fail "the runner did not start: $(tail -n 2 $D/guest.log)"
		return
	fi
	if vm_wait '^vmtui-guest: up' $BOOT; then
		disk=$(tr -d '\r' <$D/guest.con | grep -m 1 '^vmtui-guest: .*vda')
		net=$(tr -d '\r' <$D/guest.con | grep -m 1 '^vmtui-guest: eth0')
		if [ "$disk" = "vmtui-guest: /dev/vda on /mnt" ] && [ "$net" = "vmtui-guest: eth0 10.0.2.15/24" ]; then
			res d4-guest ok "$disk; $net"
		else
			res d4-guest fail "disk: '${disk:-no line about /dev/vda}'; network: '${net:-no line about eth0}'"
			vm_diag d4-guest
		fi
	else
		res d4-guest fail "the guest did not come up in $BOOT s"
		vm_diag d4-guest
	fi
	vm_kill
}

group_reboot() {
	if vm_start rbx --memory 256 --on-reboot exit --cmdline "$BASE fixture.mode=reboot"; then
		if vm_end_wait $BOOT; then
			if [ "$(vm_reason)" = reset ] && [ $VMRC = 0 ] && vm_wait '^L2: ready, rebooting' 1; then
				res reboot-exit ok "L2 rebooted, the runner ended: $(vm_exit_line), status 0"
			else
				res reboot-exit fail "the runner ended: $(vm_exit_line), status $VMRC"
				vm_diag reboot-exit
			fi
		else
			res reboot-exit fail "the runner still runs $BOOT s after it started"
			vm_diag reboot-exit
			vm_kill
		fi
	else
		res reboot-exit fail "the runner did not start: $(tail -n 2 $D/rbx.log)"
	fi
	if vm_start rbr --memory 256 --on-reboot restart --cmdline "$BASE fixture.mode=reboot"; then
		if vm_wait_count '^L2: init' 1 $BOOT && vm_wait_count '^L2: init' 2 $BOOT; then
			res reboot-restart ok "L2 rebooted and its /init ran again"
		else
			res reboot-restart fail "L2's /init ran $(vm_count '^L2: init') times, want 2"
			vm_diag reboot-restart
		fi
		vm_kill
	else
		res reboot-restart fail "the runner did not start: $(tail -n 2 $D/rbr.log)"
	fi
}

vcpu_ns() { vm_req STATS | awk '/^vcpu[0-9]+\.guest_ns / {s += $2} END {print s + 0}'; }

ctl_pause() {
	r=$(vm_req PAUSE)
	sleep 1
	s=$(vm_req STATE)
	a=$(vcpu_ns)
	t1=$(vm_count '^L2: tick')
	sleep 3
	b=$(vcpu_ns)
	t2=$(vm_count '^L2: tick')
	if [ "$r" = OK ] && [ "$s" = "OK paused" ] && [ "$a" = "$b" ] && [ "$t1" = "$t2" ]; then
		res pause ok "PAUSE: $r, STATE: $s, vCPU time stayed $a ns and ticks at $t1 over 3 s"
	else
		res pause fail "PAUSE: $r, STATE: $s, vCPU time $a then $b ns, ticks $t1 then $t2"
	fi
	r=$(vm_req RESUME)
	s=$(vm_req STATE)
	if [ "$r" = OK ] && [ "$s" = "OK running" ] && vm_wait_count '^L2: tick' $((t2 + 1)) 60; then
		res resume ok "RESUME: $r, STATE: $s, the ticks went on"
	else
		res resume fail "RESUME: $r, STATE: $s, ticks $(vm_count '^L2: tick') (were $t2)"
	fi
}

ctl_button() {
	r=$(vm_req POWERDOWN)
	if ! vm_end_wait 30; then
		res d2-button fail "POWERDOWN: $r; the VM still runs 30 s later$(vm_wait '^L2: ctrl-alt-del' 1 && echo ': L2 saw Ctrl-Alt-Del, not an ACPI power button')"
		vm_diag d2-button
		vm_kill
	elif vm_wait '^L2: power button, powering off' 1 && [ "$(vm_reason)" = poweroff ]; then
		res d2-button ok "POWERDOWN: $r; L2's acpid saw the power button and powered off; $(vm_exit_line)"
	elif vm_wait '^L2: ctrl-alt-del' 1; then
		res d2-button fail "POWERDOWN: $r; L2 got Ctrl-Alt-Del and rebooted (a distribution reboots on it), no ACPI power button; $(vm_exit_line)"
	else
		res d2-button fail "POWERDOWN: $r; L2 never saw a power button; $(vm_exit_line)"
		vm_diag d2-button
	fi
}

group_ctl() {
	ids="pause resume reset d2-button"
	if ! vm_start ctl --vcpus 2 --memory 256 --cmdline "$BASE fixture.mode=idle"; then
		fail_ids "$ids" "the runner did not start: $(tail -n 2 $D/ctl.log)"
		return
	fi
	if ! vm_wait '^L2: tick 2' $BOOT; then
		fail_ids "$ids" "L2 did not come up in $BOOT s"
		vm_diag ctl
		vm_kill
		return
	fi
	ctl_pause
	r=$(vm_req RESET)
	if [ "$r" = OK ] && vm_wait_count '^L2: ready' 2 $BOOT; then
		res reset ok "RESET: $r, L2's /init ran again"
	else
		res reset fail "RESET: $r, L2 became ready $(vm_count '^L2: ready') times, want 2"
		vm_diag reset
	fi
	vm_wait_count '^L2: tick' $(($(vm_count '^L2: tick') + 1)) 60
	ctl_button
}

group_panic() {
	if ! vm_start panic --memory 256 --cmdline "$BASE fixture.mode=panic"; then
		res d3-panic fail "the runner did not start: $(tail -n 2 $D/panic.log)"
		return
	fi
	if ! vm_wait '^L2: ready, panicking' $BOOT; then
		res d3-panic fail "L2 did not come up in $BOOT s"
		vm_diag d3-panic
		vm_kill
		return
	fi
	if ! vm_end_wait 30; then
		res d3-panic fail "the VM still runs 30 s after L2 panicked (state: $(vm_req STATE))"
		vm_diag d3-panic
		vm_kill
	elif [ "$(vm_reason)" = guest-panic ] && [ $VMRC = 3 ]; then
		res d3-panic ok "the runner ended: $(vm_exit_line), status 3, .exit: $(cat $D/panic.exit 2>/dev/null)"
	else
		res d3-panic fail "the runner ended: $(vm_exit_line), status $VMRC, not guest-panic"
		vm_diag d3-panic
	fi
}

group_resets() {
	if ! vm_start resets --vcpus 2 --memory 256 --cmdline "$BASE fixture.mode=idle"; then
		res d5-resets fail "the runner did not start: $(tail -n 2 $D/resets.log)"
		return
	fi
	i=1
	while [ $i -le 8 ] && vm_wait_count '^L2: ready' $i $BOOT; do
		[ "$(vm_req RESET)" = OK ] || break
		diag - "L2 resets: boot $i up, RESET sent"
		i=$((i + 1))
	done
	vm_wait_count '^L2: ready' 9 $BOOT
	up=$(vm_count '^L2: ready')
	bad=$(vm_count 'Oops|BUG:|Kernel panic|general protection fault|unable to handle|double fault')
	if [ "$up" = 9 ] && [ "$bad" = 0 ] && alive $VMPID; then
		res d5-resets ok "after 8 RESETs all 9 boots reached /init, no oops"
	else
		res d5-resets fail "$((i - 1)) RESETs sent, $up boots reached /init (want 9), $bad oops lines"
		tr -d '\r' <$D/resets.con | grep -E 'Oops|BUG:|Kernel panic|general protection|unable to handle|double fault|RIP:' |
			head -n 6 | while IFS= read -r l; do diag d5-resets "console: $l"; done
		vm_diag d5-resets
	fi
	vm_kill
}

# Linux's reboot=t reboots by a triple fault (an empty IDT and an int3).
group_triple() {
	if ! vm_start triple --memory 256 --on-reboot exit --cmdline "$BASE reboot=t fixture.mode=reboot"; then
		res d6-triple fail "the runner did not start: $(tail -n 2 $D/triple.log)"
		return
	fi
	if ! vm_end_wait $BOOT; then
		res d6-triple fail "the runner still runs $BOOT s after it started"
		vm_diag d6-triple
		vm_kill
		return
	fi
	line=$(vm_exit_line)
	ex=$(cat $D/triple.exit 2>/dev/null)
	if [ "$(vm_reason)" != triple-fault ]; then
		res d6-triple fail "the runner ended: $line, not a triple fault"
		vm_diag d6-triple
	elif echo "$line $ex" | grep -qiE 'rip=0x0*fff0([^0-9a-f]|$)'; then
		res d6-triple fail "reported $line (.exit: $ex): 0xfff0 is the reset vector KVM put there after the shutdown, not where L2 faulted"
	else
		res d6-triple ok "reported $line (.exit: $ex)"
	fi
}

# vmtui itself, as a user drives it: create, start, console, stats, shutdown.
vmtui_state() { vmtui list --all 2>&1 | awk '$1 == "l2"' | sed 's/  */ /g'; }

vmtui_console() {
	n=0
	while [ $n -lt $BOOT ]; do
		timeout 20 vmtui console l2 </dev/null >$D/vmtui.con 2>&1
		grep -q '^L2: ready' $D/vmtui.con && return 0
		sleep 2
		n=$((n + 3))
	done
	return 1
}

vmtui_stats() {
	timeout 60 vmtui stats l2 --count 2 >$D/vmtui.stats 2>&1
	rc=$?
	last=$(tail -n 1 $D/vmtui.stats | sed 's/  */ /g')
	if [ $rc = 0 ] && head -n 1 $D/vmtui.stats | grep -q 'CPU%.*MEMORY' &&
		echo "$last" | grep -qE '^ *[0-9:]+ +[0-9.]+% +[1-9][0-9.]* ?[KMG]'; then
		res vmtui-stats ok "vmtui stats: $last"
	else
		res vmtui-stats fail "vmtui stats exit $rc: $(tr '\n' ' ' <$D/vmtui.stats | cut -c1-300)"
	fi
}

group_vmtui() {
	export HOME=/root XDG_DATA_HOME=$D/vmtui-data XDG_CONFIG_HOME=$D/vmtui-config
	export VMTUI_RUNTIME_DIR=$D/vmtui-run VMTUI_VMM=$VMM
	mkdir -p $XDG_DATA_HOME $XDG_CONFIG_HOME
	mkdir -m 0700 -p $VMTUI_RUNTIME_DIR
	out=$(vmtui create l2 --kernel $K --initrd $I --cmdline "$BASE fixture.mode=idle" \
		--memory 256 --vcpus 2 --net user 2>&1)
	rc=$?
	st=$(vmtui_state)
	if [ $rc = 0 ] && echo "$st" | grep -q 'shut off'; then
		res vmtui-create ok "vmtui list: $st"
	else
		res vmtui-create fail "vmtui create exit $rc: $out; vmtui list: $st"
		fail_ids "vmtui-start vmtui-stats vmtui-shutdown" "no VM was created"
		return
	fi
	out=$(vmtui start l2 2>&1)
	rc=$?
	st=$(vmtui_state)
	if [ $rc = 0 ] && echo "$st" | grep -q running && vmtui_console; then
		res vmtui-start ok "vmtui list: $st; vmtui console: $(grep -m 1 '^L2: ready' $D/vmtui.con | tr -d '\r')"
	else
		res vmtui-start fail "vmtui start exit $rc: $out; vmtui list: $st; console: $(tail -n 3 $D/vmtui.con 2>/dev/null)"
	fi
	vmtui_stats
	out=$(vmtui shutdown l2 2>&1)
	rc=$?
	n=0
	while [ $n -lt 90 ] && ! vmtui_state | grep -q 'shut off'; do sleep 1; n=$((n + 1)); done
	st=$(vmtui_state)
	if [ $rc = 0 ] && echo "$st" | grep -q 'shut off'; then
		res vmtui-shutdown ok "vmtui shutdown: ${out:-no output}; vmtui list: $st"
	else
		res vmtui-shutdown fail "vmtui shutdown exit $rc: $out; vmtui list 90 s later: $st"
		vmtui destroy l2 >/dev/null 2>&1
	fi
}

# A cloud image as a user boots it: vmtui create --image, start, ssh.  The
# image, vmtui's cache (its 2 GiB raw base) and the VMs live on L1's second
# disk, /dev/vda, which linux.tap made; L2 is the image's own Debian, so
# systemd and cloud-init under nested TCG take minutes to reach SSH.
C=/scratch
CLOUD_SSH=900	# seconds for L2 to answer on SSH
cloud_state() { vmtui list --all 2>&1 | awk '$1 == "web"' | sed 's/  */ /g'; }

# cloud_json KEY: the values of "KEY": "..." in vmtui show web --json.
cloud_json() { vmtui show web --json 2>/dev/null | tr ',{}' '\n\n\n' | sed -n "s/^ *\"$1\": *\"\\([^\"]*\\)\".*/\\1/p"; }

cloud_diag() {
	timeout 20 vmtui console web </dev/null 2>&1 | tr -d '\r' | grep -v '^ *$' | tail -n 8 |
		while IFS= read -r l; do diag "$1" "console: $l"; done
}

# cloud_off SECS: until vmtui list shows web shut off.
cloud_off() {
	n=0
	while [ $n -lt "$1" ] && ! cloud_state | grep -q 'shut off'; do sleep 2; n=$((n + 2)); done
	cloud_state | grep -q 'shut off'
}

cloud_env() {
	wait_file /proc/partitions ' vda$' 20
	mkdir -p $C && mount -t ext4 /dev/vda $C 2>$D/mount.err || return 1
	rm -rf $C/home
	mkdir -p $C/home/cache $C/home/data $C/home/config /root/.ssh
	export HOME=/root XDG_CACHE_HOME=$C/home/cache XDG_DATA_HOME=$C/home/data
	export XDG_CONFIG_HOME=$C/home/config VMTUI_DB=$C/home/data/vmtui.db
	export VMTUI_RUNTIME_DIR=$D/cloud-run VMTUI_VMM=$VMM
	mkdir -m 0700 -p $VMTUI_RUNTIME_DIR
	rm -f /root/.ssh/id_ed25519 /root/.ssh/id_ed25519.pub
	ssh-keygen -q -t ed25519 -N '' -C fixture -f /root/.ssh/id_ed25519 >$D/mount.err 2>&1
}

cloud_create() {
	ct0=$(cut -d. -f1 /proc/uptime)
	out=$(vmtui create web --image $C/debian-12-generic-amd64.qcow2 --ssh-key /root/.ssh/id_ed25519.pub \
		--login debian --memory 1G 2>&1)
	rc=$?
	diag - "cloud: vmtui create took $(($(cut -d. -f1 /proc/uptime) - ct0)) s"
	kernel=$(cloud_json kernel | head -n 1)
	disks=$(cloud_json path)
	disk=$(echo "$disks" | sed -n 1p)
	seed=$(echo "$disks" | sed -n 2p)
	base=$(qemu-img info "$disk" 2>/dev/null | sed -n 's/^backing file: //p')
	# An ISO 9660 volume's label: 32 bytes at 32808.
	label=$(dd if="$seed" bs=1 skip=32808 count=32 2>/dev/null | tr -d ' ')
	if [ $rc = 0 ] && [ -s "$kernel" ] && [ -f "$base" ] && [ "$label" = cidata ] &&
		echo "$out" | grep -q "boots the image's kernel"; then
		res cloud-create ok "kernel $kernel; disk $disk reads through $base; seed $seed labelled $label"
	else
		res cloud-create fail "vmtui create exit $rc: $out; kernel '$kernel', disks '$disks', base '$base', seed label '$label'"
		return 1
	fi
}

cloud_ssh() {
	out=$(vmtui start web 2>&1)
	rc=$?
	ct0=$(cut -d. -f1 /proc/uptime)
	if [ $rc != 0 ]; then
		res cloud-ssh fail "vmtui start exit $rc: $out"
		return 1
	fi
	# A local FILE names no login (only the image catalogue does): create --login gave it.
	got=$(timeout $((CLOUD_SSH + 60)) vmtui ssh web --timeout $CLOUD_SSH -- cat /etc/hostname </dev/null 2>$D/ssh.err | tr -d '\r')
	rc=$?
	diag - "cloud: from vmtui start to ssh's answer $(($(cut -d. -f1 /proc/uptime) - ct0)) s"
	if [ "$got" = web ]; then
		res cloud-ssh ok "vmtui ssh web -- cat /etc/hostname printed '$got' as '$(cloud_json login)'"
	else
		res cloud-ssh fail "vmtui ssh exit $rc printed '$got': $(tail -n 3 $D/ssh.err); vmtui list: $(cloud_state)"
		cloud_diag cloud-ssh
		return 1
	fi
}

cloud_seed() {
	# The seed stays while the VM has snapshots (each holds it): the warm one goes first.
	vmtui snapshot web delete warm >/dev/null 2>&1
	ct0=$(cut -d. -f1 /proc/uptime)
	vmtui shutdown web >$D/cloud.out 2>&1
	how="vmtui shutdown"
	if ! cloud_off 300; then
		how="vmtui shutdown did not stop it in 300 s, vmtui destroy"
		vmtui destroy web >>$D/cloud.out 2>&1
		cloud_off 60
	fi
	diag - "cloud: $how took $(($(cut -d. -f1 /proc/uptime) - ct0)) s"
	seed=$(cloud_json path | sed -n 2p)
	grow=$(vmtui disk resize web 1 12G 2>&1)
	grow_rc=$?
	out=$(vmtui start web 2>&1)
	rc=$?
	disks=$(cloud_json path)
	n=$(echo "$disks" | grep -c .)
	if [ $rc = 0 ] && [ "$n" = 1 ] && [ ! -e "$seed" ]; then
		res cloud-seed ok "$how, vmtui start: the VM has one disk ($disks), the seed $seed is gone"
	else
		res cloud-seed fail "$how; vmtui start exit $rc: $out; disks: $(echo "$disks" | tr '\n' ' '); seed $seed$([ -e "$seed" ] && echo ' still there')"
	fi
}

# cloud_run VM CMD...: CMD's output on VM over vmtui ssh, its errors in $D/VM.ssh.err.
cloud_run() {
	vm=$1
	shift
	# A boot (a clone's, a restart's) may take as long as the first one.
	timeout $((CLOUD_SSH + 60)) vmtui ssh "$vm" --timeout $CLOUD_SSH -- "$@" </dev/null 2>$D/$vm.ssh.err |
		tr -d '\r'
}

# cloud_port VM: the host port VM's user network forwards to its SSH.
cloud_port() { vmtui show "$1" --json 2>/dev/null | grep -o '"host_port":[0-9]*' | head -n 1 | cut -d: -f2; }

cloud_took() { echo $(($(cut -d. -f1 /proc/uptime) - $1)); }

# A snapshot of the running guest holds its memory and its disk at one
# instant: after the revert the guest goes on from there, the same boot
# (its boot_id) with what it had then in memory (/dev/shm, a tmpfs) and on
# disk, and without the files written after the snapshot.
cloud_snap() {
	boot0=$(cloud_run web sh -c 'echo one >before && echo one >/dev/shm/mem-before && sync && cat /proc/sys/kernel/random/boot_id')
	ct0=$(cut -d. -f1 /proc/uptime)
	out=$(vmtui snapshot web create warm 2>&1)
	rc=$?
	diag - "cloud: vmtui snapshot create of the running 1 GiB guest took $(cloud_took $ct0) s"
	if [ $rc != 0 ] || [ -z "$boot0" ]; then
		res cloud-snap fail "vmtui snapshot web create warm exit $rc: $out; boot_id '$boot0'"
		return 1
	fi
	cloud_run web sh -c 'echo two >after && echo two >/dev/shm/mem-after && sync' >/dev/null
	ct0=$(cut -d. -f1 /proc/uptime)
	out=$(vmtui snapshot web revert warm 2>&1)
	rc=$?
	diag - "cloud: vmtui snapshot revert took $(cloud_took $ct0) s"
	ct0=$(cut -d. -f1 /proc/uptime)
	boot1=$(cloud_run web cat /proc/sys/kernel/random/boot_id)
	diag - "cloud: from the revert to ssh's answer $(cloud_took $ct0) s"
	home=$(cloud_run web ls | paste -sd' ' -)
	shm=$(cloud_run web ls /dev/shm | paste -sd' ' -)
	st=$(cloud_state)
	if [ $rc = 0 ] && [ "$boot1" = "$boot0" ] && [ "$home" = before ] && [ "$shm" = mem-before ] &&
		echo "$st" | grep -q running; then
		res cloud-snap ok "after the revert: the same boot_id $boot1, home '$home', /dev/shm '$shm'; vmtui list: $st"
	else
		res cloud-snap fail "vmtui snapshot revert exit $rc: $out; boot_id '$boot1' (before: $boot0), home '$home', /dev/shm '$shm' ($(tail -n 2 $D/web.ssh.err)); vmtui list: $st"
		cloud_diag cloud-snap
		return 1
	fi
}

# vmtui disk resize (in cloud_seed, while the VM was off): the guest sees
# a 12 GiB disk, and growpart and resize2fs inside grow its root to fit.
cloud_grow() {
	if [ "$grow_rc" != 0 ]; then
		res cloud-grow fail "vmtui disk resize web 1 12G exit $grow_rc: $grow"
		return
	fi
	# One string: ssh hands it to the guest's shell as it is.
	got=$(cloud_run web 'lsblk -b -d -n -o SIZE /dev/vda; df -B1 --output=size / | tail -n 1;
		sudo growpart /dev/vda 1 >/dev/null && sudo resize2fs /dev/vda1 >/dev/null 2>&1;
		df -B1 --output=size / | tail -n 1' | tr -d ' ' | paste -sd' ' -)
	set -- $got
	if [ $# = 3 ] && [ "$1" = 12884901888 ] && [ "$3" -gt "$2" ] && [ "$3" -gt 11000000000 ]; then
		res cloud-grow ok "$grow; the guest's /dev/vda is $1 bytes, its root $2 bytes, after growpart and resize2fs $3"
	else
		res cloud-grow fail "$grow; the guest said '$got' (want /dev/vda 12884901888 and a root that grew past 11 GB): $(tail -n 2 $D/web.ssh.err)"
	fi
}

# A clone made from the warm snapshot goes on from it beside the original:
# its own SSH port, its own overlay disk.
cloud_clone() {
	ct0=$(cut -d. -f1 /proc/uptime)
	out=$(vmtui clone web web2 --from-snapshot warm --start 2>&1)
	rc=$?
	diag - "cloud: vmtui clone --from-snapshot --start took $(cloud_took $ct0) s"
	if [ $rc != 0 ]; then
		res cloud-clone fail "vmtui clone web web2 --from-snapshot warm --start exit $rc: $out"
		return
	fi
	got=$(cloud_run web2 sh -c 'echo clone >only-clone && sync && ls' | paste -sd' ' -)
	web=$(cloud_run web ls | paste -sd' ' -)
	st="$(cloud_state); $(vmtui list --all 2>&1 | awk '$1 == "web2"' | sed 's/  */ /g')"
	fw="web $(cloud_port web), web2 $(cloud_port web2)"
	if [ "$got" = "before only-clone" ] && [ "$web" = before ] && [ "$(cloud_port web)" != "$(cloud_port web2)" ] &&
		[ "$(echo "$st" | grep -o running | wc -l)" = 2 ]; then
		res cloud-clone ok "web2 answered '$got'; web's home '$web'; SSH ports $fw; vmtui list: $st"
	else
		res cloud-clone fail "web2 answered '$got' ($(tail -n 2 $D/web2.ssh.err)); web's home '$web'; ports $fw; vmtui list: $st"
	fi
	vmtui destroy web2 >/dev/null 2>&1
	vmtui delete web2 --force --remove-disks >/dev/null 2>&1
}

group_cloud() {
	ids="cloud-create cloud-ssh cloud-snap cloud-clone cloud-seed cloud-grow"
	if ! cloud_env; then
		fail_ids "$ids" "cannot set up the cloud disk /dev/vda or the key: $(cat $D/mount.err)"
		return
	fi
	cloud_create || { fail_ids "cloud-ssh cloud-snap cloud-clone cloud-seed cloud-grow" "no VM was created"; return; }
	if cloud_ssh; then
		if cloud_snap; then
			cloud_clone
		else
			fail_ids cloud-clone "the snapshot did not revert"
		fi
		cloud_seed
		cloud_grow
		vmtui destroy web >/dev/null 2>&1
	else
		vmtui destroy web >/dev/null 2>&1
		fail_ids "cloud-snap cloud-clone cloud-seed cloud-grow" "the VM never answered on SSH"
	fi
	umount $C
}

# pvh_boot NAME KERNEL: boot KERNEL to L2's checks (its variables are
# its own: l1-init's t0 and alive's st must survive it); PVH_INIT the hundredths
# of a second from exec to "L2: init", PVH_ST/PVH_TXT the smp check's verdict.
pvh_boot() {
	pt0=$(tr -d . </proc/uptime | cut -d' ' -f1)
	PVH_INIT= PVH_ST=fail
	if ! VM_KERNEL=$2 vm_start "$1" --vcpus 2 --memory 256 --cmdline "$BASE fixture.mode=info fixture.cpus=2"; then
		PVH_TXT="the runner did not start: $(tail -n 2 $D/$1.log)"
		return 1
	fi
	if vm_wait '^L2: init' $BOOT; then
		PVH_INIT=$(($(tr -d . </proc/uptime | cut -d' ' -f1) - pt0))
	fi
	if vm_wait '^L2: ready' $BOOT; then
		l2_get smp
		PVH_ST=$L2ST PVH_TXT=$L2TXT
	else
		PVH_TXT="L2 did not reach its checks in $BOOT s: $(grep 'boot:' $D/$1.log | tail -n 1)"
		vm_diag pvh
	fi
	vm_kill
}

# The same kernel uncompressed, through its PVH entry, then as the bzImage.
group_pvh() {
	if [ ! -f /guest/vmlinux ]; then
		res pvh fail "no /guest/vmlinux in L1 (build.sh extracts it with scripts/vmlinux-extract)"
		return
	fi
	pvh_boot pvh /guest/vmlinux
	pst=$PVH_ST ptxt=$PVH_TXT elf=$PVH_INIT
	entry=$(grep -o 'boot: 32-bit entry at [0-9a-fx]*' $D/pvh.log | head -n 1)
	pvh_boot bz $K
	res pvh "$pst" "${entry:-no boot line}: $ptxt"
	[ -n "$elf" ] && [ -n "$PVH_INIT" ] &&
		diag - "pvh: exec to L2's /init: vmlinux (PVH) $((elf / 100)).$(printf %02d $((elf % 100))) s, bzImage $((PVH_INIT / 100)).$(printf %02d $((PVH_INIT % 100))) s"
}
