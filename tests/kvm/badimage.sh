#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# badimage.sh: broken or oversized kernels are refused with a message naming the problem.
. "$(dirname "$0")/lib.sh"
need_kvm; need_probe

# expect NAME PATTERN ARGS...: set-up must fail with status 1, ERR on the ready fd matching PATTERN.
expect() {
	name=$1 pattern=$2; shift 2
	st=0
	timeout -s KILL "$LIMIT" "$VMTUI_VMM" --ready-fd 3 "$@" 3>"$TMPD/$name.ready" \
		</dev/null >/dev/null 2>"$TMPD/$name.log" || st=$?
	[ $st -eq 1 ] || fail "$name: status $st, want 1"
	grep -q "^ERR .*$pattern" "$TMPD/$name.ready" || fail "$name: ready said '$(cat "$TMPD/$name.ready")', want /$pattern/"
	grep -q "vmm: exit reason=error" "$TMPD/$name.log" || fail "$name: no exit line"
	note "$name: $(cat "$TMPD/$name.ready")"
}

size=$(wc -c <"$PROBE")
head -c 1000 "$PROBE" >"$TMPD/short.img"
head -c $((size - 64)) "$PROBE" >"$TMPD/cut.img"
"$PYTHON3" - "$PROBE" "$TMPD" <<'PY'
import sys
src, d = sys.argv[1], sys.argv[2]
img = bytearray(open(src, "rb").read())
def put(name, off, val):
    b = bytearray(img); b[off:off + len(val)] = val; open(d + "/" + name, "wb").write(b)
put("magic.img", 0x202, b"HdrX")
put("old.img", 0x206, (0x0205).to_bytes(2, "little"))
put("zimage.img", 0x211, bytes([img[0x211] & ~1 & 0xff]))
put("huge.img", 0x260, (200 << 20).to_bytes(4, "little"))
PY
expect truncated "truncated" --kernel "$TMPD/short.img"
expect cut "truncated" --kernel "$TMPD/cut.img"
expect magic "not a bzImage (no HdrS magic at 0x202)" --kernel "$TMPD/magic.img"
expect old "boot protocol 2.05 is too old" --kernel "$TMPD/old.img"
expect zimage "zImage" --kernel "$TMPD/zimage.img"
expect huge "too large for memory" --kernel "$TMPD/huge.img" --memory 64
expect missing "No such file" --kernel "$TMPD/nonexistent"
# ELF files are booted through their PVH entry: one without it, or that does not fit, is refused.
pvh=$top_srcdir/tests/fuzz/corpus-bzimage/seed-pvh-vmlinux
"$PYTHON3" - "$pvh" "$TMPD" <<'PY'
import sys
img = bytearray(open(sys.argv[1], "rb").read())
nopvh = bytearray(img); nopvh[-16:-12] = (17).to_bytes(4, "little")
open(sys.argv[2] + "/nopvh.elf", "wb").write(nopvh)
PY
expect nopvh "no PVH entry note (Xen note 18)" --kernel "$TMPD/nopvh.elf"
expect pvh64 "--boot-entry 64 is for a bzImage" --kernel "$pvh" --boot-entry 64
expect notexec "not an x86-64 executable" --kernel "$VMTUI_VMM"
head -c $((40 << 20)) /dev/zero >"$TMPD/big.initrd"
expect initrd "initrd too large" --kernel "$PROBE" --initrd "$TMPD/big.initrd" --memory 32
long=$("$PYTHON3" -c 'print("x" * 70000)')
expect cmdline "command line too long" --kernel "$PROBE" --cmdline "$long"

# Usage errors are status 2.
st=0; "$VMTUI_VMM" --memory lots >/dev/null 2>&1 || st=$?
[ $st -eq 2 ] || fail "usage error: status $st, want 2"
"$VMTUI_VMM" --help | grep -q -- "--on-reboot" || fail "--help does not list the options"
echo "PASS: badimage"
