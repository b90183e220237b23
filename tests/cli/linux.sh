#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# linux.sh: Debian's cloud kernel on kvm:///: its early console on PVM hosts, a busybox shell elsewhere.
. "$top_srcdir/tests/cli/lib.sh"
[ -r /dev/kvm ] && [ -w /dev/kvm ] || skip "cannot open /dev/kvm"
command -v apt-get >/dev/null || skip "no apt-get to fetch Debian's kernel with"
at_exit '"$VMTUI" destroy lin >/dev/null 2>&1'

# Fetched once per build tree: the slow part is the guest, not the download.
GUEST="$top_builddir/tests/guests/linux"
"$top_srcdir/scripts/get-linux-guest" "$GUEST" || skip "cannot fetch the Linux guest from Debian's archive"

# On PVM (KVM without hardware virtualisation) a stock kernel stops after its
# early console; on real hardware it boots to the initramfs's shell.
if [ -d /sys/module/kvm_pvm ]; then
	host=pvm
	mark='BIOS-e820: \[mem 0x0000000000100000-0x000000001fffffff\] usable'
	note "PVM host: checking the early console (banner, command line, e820) only"
else
	host=hardware
	mark='vmtui-guest: up, 2 CPUs'
	note "hardware virtualisation: booting to the busybox shell"
fi
expect 0 "$VMTUI" create lin --kernel "$GUEST/vmlinuz" --initrd "$GUEST/initrd.img" \
	--memory 512 --vcpus 2 --cmdline 'console=ttyS0 earlyprintk=serial,ttyS0 vmtui.marker=42'
expect 0 "$VMTUI" start lin
# The cloud kernel takes about a minute and a half to its banner on PVM, more on a busy
# machine: wait up to ten.
i=0
until "$VMTUI" console lin </dev/null >"$TMPD/console" 2>&1 && grep -q -- "$mark" "$TMPD/console"; do
	i=$((i + 1))
	[ $i -gt 600 ] && { tail -20 "$TMPD/console"; fail "no '$mark' in 10 minutes ($host host)"; }
	sleep 1
done
grep -q '^\[ *[0-9.]*\] Linux version 6\.' "$TMPD/console" || fail "no version banner"
grep -q 'Command line: console=ttyS0 earlyprintk=serial,ttyS0 vmtui.marker=42' "$TMPD/console" ||
	fail "the command line did not arrive"
grep -q 'BIOS-e820: \[mem 0x0000000000000000-0x000000000009fbff\] usable' "$TMPD/console" ||
	fail "the low memory of the e820 map is not ours"
if [ $host = hardware ]; then
	printf 'echo shell-$((6*7))\r' | "$VMTUI" console lin >"$TMPD/shell" 2>&1
	grep -q 'shell-42' "$TMPD/shell" || fail "the busybox shell did not answer"
fi
expect 0 "$VMTUI" destroy lin
