#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# boot.sh: the probe sees the command line, initrd and e820 map the runner promised, on both entries.
. "$(dirname "$0")/lib.sh"
need_kvm; need_probe

head -c 300000 /dev/urandom >"$TMPD/initrd.img"
want_crc=$($CTL crc32 "$TMPD/initrd.img")
cmdline="console=ttyS0 probe.poweroff quoted=\"a b\" x=1"

for entry in auto 32; do
	timeout -s KILL "$LIMIT" "$VMTUI_VMM" --kernel "$PROBE" --initrd "$TMPD/initrd.img" \
		--cmdline "$cmdline" --memory 128 --console-stdio --boot-entry $entry \
		</dev/null >"$TMPD/boot-$entry.out" 2>"$TMPD/boot-$entry.log" || fail "entry $entry: status $?"
	out="$TMPD/boot-$entry.out"
	case $entry in auto) want=64 ;; *) want=$entry ;; esac
	grep -q "^probe: boot entry=$want" "$out" || fail "entry $entry: no 'boot entry=$want'"
	grep -qF "probe: cmdline=$cmdline" "$out" || fail "entry $entry: command line not intact"
	grep -q "^probe: initrd size=300000 crc32=$want_crc" "$out" || fail "entry $entry: initrd not intact (want crc32 $want_crc)"
	# 128 MiB: usable RAM is everything but the EBDA and BIOS holes below 1 MiB.
	want_ram=$(( 0x9fc00 + 128 * 1024 * 1024 - 0x100000 ))
	grep -q "^probe: e820 entries=4 ram=$want_ram" "$out" || fail "entry $entry: e820 does not match 128 MiB (want ram=$want_ram)"
	grep -q "^probe: e820 100000 7f00000 1" "$out" || fail "entry $entry: no RAM entry 1 MiB..128 MiB"
	[ "$(exit_reason boot-$entry)" = poweroff ] || fail "entry $entry: reason $(exit_reason boot-$entry)"
	note "entry $entry: ok"
done

# Above 3 GiB the RAM splits around the hole: 4 GiB of RAM ends at 5 GiB.
timeout -s KILL "$LIMIT" "$VMTUI_VMM" --kernel "$PROBE" --cmdline "probe.poweroff" --memory 4096 \
	--console-stdio </dev/null >"$TMPD/big.out" 2>"$TMPD/big.log" || fail "4 GiB: status $?"
grep -q "^probe: e820 100000000 40000000 1" "$TMPD/big.out" || fail "4 GiB: no RAM entry above 4 GiB"
grep -q "^probe: e820 100000 bff00000 1" "$TMPD/big.out" || fail "4 GiB: low RAM does not stop at 3 GiB"
echo "PASS: boot"
