#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# acpi.sh: acpica-tools, Linux's own ACPI code, accept the tables a boot writes: iasl disassembles each cleanly and compiles it back to the same bytes; acpiexec loads the DSDT and evaluates it.
. "$(dirname "$0")/lib.sh"
DUMP=${ACPI_DUMP:-$top_builddir/tests/kvm/acpi-dump}
[ -x "$DUMP" ] || skip "no table dumper at $DUMP (make tests/kvm/acpi-dump)"
for t in iasl acpiexec; do
	command -v $t >/dev/null 2>&1 || skip "$t is not installed (Debian package acpica-tools)"
done

# same_bytes A B: equal but for the checksum (offset 9) and the compiler id and revision (28-35).
same_bytes() {
	[ "$(stat -c %s "$1")" = "$(stat -c %s "$2")" ] || return 1
	[ -z "$(cmp -l "$1" "$2" | awk '$1 != 10 && ($1 < 29 || $1 > 36)')" ]
}

# machine NAME CPUS MIB [SLOT:IRQ...]: dump that machine's tables and put each through iasl.
machine() {
	name=$1
	d=$TMPD/$name
	shift
	mkdir -p "$d/re"
	"$DUMP" "$d" "$@" >"$d/dump.log" 2>&1 || fail "$name: acpi-dump $*: $(cat "$d/dump.log")"
	for f in xsdt rsdt facp facs apic dsdt; do
		[ -s "$d/$f.dat" ] || fail "$name: no $f table"
		(cd "$d" && iasl -d "$f.dat") >"$d/$f.dis.log" 2>&1 || fail "$name: iasl -d $f: $(tail -n 5 "$d/$f.dis.log")"
		if grep -iE 'error|warning|invalid|incorrect|\*\*\*\*' "$d/$f.dsl" "$d/$f.dis.log" >"$d/$f.bad"; then
			fail "$name: iasl complains about $f: $(head -n 5 "$d/$f.bad")"
		fi
		# -oa: no optimisations, so the compiler's AML can be compared with ours.
		(cd "$d" && iasl -oa -p "re/$f" "$f.dsl") >"$d/$f.asl.log" 2>&1 ||
			fail "$name: iasl cannot compile $f's disassembly: $(tail -n 5 "$d/$f.asl.log")"
		grep -q '0 Errors, 0 Warnings, 0 Remarks' "$d/$f.asl.log" ||
			fail "$name: compiling $f: $(grep -E 'Error|Warning|Remark' "$d/$f.asl.log" | head -n 5)"
		same_bytes "$d/$f.dat" "$d/re/$f.aml" || fail "$name: iasl encodes $f differently"
	done
	eval='evaluate \_S5; evaluate \_SB.PCI0._CRS'
	[ $# -gt 2 ] && eval="$eval; evaluate \_SB.PCI0._PRT"
	(cd "$d" && timeout "$LIMIT" acpiexec -b "$eval" dsdt.dat) >"$d/exec.log" 2>&1 ||
		fail "$name: acpiexec: $(tail -n 5 "$d/exec.log")"
	grep -qi 'error\|warning' "$d/exec.log" && fail "$name: acpiexec complains: $(grep -i 'error\|warning' "$d/exec.log" | head -n 5)"
	note "$name: $(grep -c . "$d/dsdt.dsl") lines of DSDT, all tables clean"
}

# has FILE TEXT...: every TEXT (a fixed string) is in FILE.
has() {
	f=$1
	shift
	for want; do
		grep -qF -- "$want" "$f" || fail "$(basename "$f") lacks '$want'"
	done
}

machine small 1 128
d=$TMPD/small
has "$d/facp.dsl" "SCI Interrupt : 0009" "SMI Command Port : 00000000" \
	"PM1A Event Block Address : 00000600" "PM1A Control Block Address : 00000604" \
	"PM1 Event Block Length : 04" "PM1 Control Block Length : 02" \
	"Control Method Power Button (V1) : 0" "Hardware Reduced (V5) : 0" \
	"8042 Present on ports 60/64 (V2) : 1" "DSDT Address : 00000000000F3000" \
	"FACS Address : 000F2140" "FACS Address : 0000000000000000"
has "$d/dsdt.dsl" 'Name (\_S5, Package (0x04)' 'EisaId ("PNP0A03")' 'Name (_BBN, Zero)' \
	'0x08000000,         // Range Minimum' '0xFEBFFFFF,         // Range Maximum'
grep -q '_PRT' "$d/dsdt.dsl" && fail "small: a _PRT without INTx devices"
# Without PCI INTx, the only override is the SCI: level, active low.
[ "$(grep -c 'Interrupt Source Override' "$d/apic.dsl")" = 1 ] || fail "small: want 1 override"
has "$d/apic.dsl" "Source : 09" "Interrupt : 00000009" "Polarity : 3" "Trigger Mode : 3"
grep -q '\[Integer\] = 0000000000000005' "$d/exec.log" || fail "small: \\_S5 does not evaluate to SLP_TYP 5"

# The wiring the runner gives disks, cards and the rng: slots 1.. on IRQs 5, 10, 11, 3, 6, 7, 14, 15.
machine full 4 4096 1:5 2:10 3:11 4:3 5:6 6:7 7:14 8:15
d=$TMPD/full
[ "$(grep -c 'Interrupt Source Override' "$d/apic.dsl")" = 9 ] || fail "full: want 9 overrides"
[ "$(grep -c 'Processor Local APIC\]' "$d/apic.dsl")" = 4 ] || fail "full: want 4 CPUs in the MADT"
for irq in 05 0A 0B 03 06 07 0E 0F; do
	grep -q "Source : $irq" "$d/apic.dsl" || fail "full: no override for IRQ 0x$irq"
done
has "$d/dsdt.dsl" 'Name (_PRT, Package (0x08)' '0xC0000000,         // Range Minimum'
for pair in 1:05 2:0A 3:0B 4:03 5:06 6:07 7:0E 8:0F; do
	slot=${pair%:*} gsi=${pair#*:}
	# acpiexec prints each _PRT entry as four integers: address, pin, source, GSI.
	awk -v a="00000000000${slot}FFFF" -v g="00000000000000$gsi" '
		/\[Integer\]/ { v[n++] = $NF }
		END { for (i = 0; i + 3 < n; i++) if (v[i] == a && v[i+1] == "0000000000000000" && v[i+3] == g) exit 0; exit 1 }
	' "$d/exec.log" || fail "full: _PRT has no entry slot $slot INTA -> GSI 0x$gsi"
done

# 64 CPUs, the most the tables hold.
machine big 64 512 1:5
[ "$(grep -c 'Processor Local APIC\]' "$TMPD/big/apic.dsl")" = 64 ] || fail "big: want 64 CPUs in the MADT"
echo "PASS: acpi"
