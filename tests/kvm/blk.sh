#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# blk.sh: virtio-blk on raw and qcow2 images and qcow2 overlays: the guest reads what the test wrote and the test reads what the guest wrote.
. "$(dirname "$0")/lib.sh"
need_kvm; need_probe
command -v qemu-img >/dev/null || skip "no qemu-img to make and check qcow2 images"

# Three disks: raw with random data, the same data as qcow2, an empty qcow2.
head -c $((8 << 20)) /dev/urandom >"$TMPD/data.img"
cp "$TMPD/data.img" "$TMPD/raw.img"
qemu-img convert -f raw -O qcow2 -o cluster_size=65536 "$TMPD/data.img" "$TMPD/data.qcow2" ||
	fail "qemu-img convert"
qemu-img create -q -f qcow2 -o cluster_size=65536,refcount_bits=16 "$TMPD/empty.qcow2" 64M ||
	fail "qemu-img create"

# crc FILE SECTOR COUNT: the CRC-32 the probe should report.
crc() {
	"$PYTHON3" -c 'import sys, zlib
d = open(sys.argv[1], "rb").read()[int(sys.argv[2]) * 512:(int(sys.argv[2]) + int(sys.argv[3])) * 512]
print("%08x" % zlib.crc32(d))' "$@"
}

words="probe.blk.crc=0,0,8 probe.blk.crc=0,100,16 probe.blk.crc=1,100,16 probe.blk.crc=2,0,8
	probe.blk.write=0,7,3,5 probe.blk.write=1,300,20,9 probe.blk.write=2,131000,8,1
	probe.blk.crc=1,300,20 probe.blk.flush=0 probe.blk.flush=1 probe.blk.id=0 probe.rng=64"
run_vm d --kernel "$PROBE" --cmdline "console=ttyS0 $(echo $words)" --memory 64 \
	--disk "$TMPD/raw.img" --disk "$TMPD/data.qcow2,format=qcow2" --disk "$TMPD/empty.qcow2,format=qcow2"
$CTL "$TMPD/d.sock" console --expect 'probe: rng bytes=[0-9]+ nonzero=[0-9]+\r' --timeout "$LIMIT" >"$TMPD/d.out" ||
	fail "the probe did not get through its words"
grep -q '^probe: virtio blk2 pci 00:03.0' "$TMPD/d.out" || fail "three disks are not in PCI slots 1-3"
grep -q '^probe: blk 2 capacity=131072 ro=0 msix=1' "$TMPD/d.out" || fail "empty qcow2 capacity"
for spec in "0 0 8 raw.img" "0 100 16 raw.img" "1 100 16 data.qcow2" "2 0 8 empty.qcow2"; do
	set -- $spec
	src=$TMPD/data.img
	[ "$4" = empty.qcow2 ] && { head -c 4096 /dev/zero >"$TMPD/zeros"; src=$TMPD/zeros; }
	want=$(crc "$src" "$2" "$3")
	grep -q "^probe: blk $1 crc sector=$2 count=$3 status=0 crc32=$want irqs=[1-9]" "$TMPD/d.out" ||
		fail "disk $1 sectors $2+$3: want crc32 $want and an MSI-X interrupt"
done
for d in 0 1 2; do
	grep -q "^probe: blk $d write sector=[0-9]* count=[0-9]* status=0" "$TMPD/d.out" || fail "disk $d write"
done
grep -q "^probe: blk 1 crc sector=300 count=20 status=0 crc32=$("$PYTHON3" -c '
import zlib; print("%08x" % zlib.crc32(bytes((9 + j) & 0xff for j in range(20 * 512))))')" "$TMPD/d.out" ||
	fail "qcow2 read-back after write"
grep -q '^probe: blk 0 flush status=0' "$TMPD/d.out" || fail "flush"
grep -q '^probe: blk 0 id=vmtui-disk0 status=0' "$TMPD/d.out" || fail "get id"
grep -q '^probe: rng bytes=64 nonzero=[1-9]' "$TMPD/d.out" || fail "virtio-rng gave nothing"

# Counters, then a hard reset: the devices come back at power-on and work again.
$CTL "$TMPD/d.sock" STATS >"$TMPD/stats.txt" || fail "STATS"
for k in blk.rd_bytes blk.wr_bytes blk.rd_reqs blk.wr_reqs blk0.rd_bytes blk2.wr_reqs blk1.broken \
	virtio.broken rng.bytes; do
	grep -q "^$k [0-9]\+$" "$TMPD/stats.txt" || fail "STATS lacks $k"
done
[ "$(sed -n 's/^blk.wr_bytes //p' "$TMPD/stats.txt")" = $(((3 + 20 + 8) * 512)) ] || fail "blk.wr_bytes"
[ "$(sed -n 's/^virtio.broken //p' "$TMPD/stats.txt")" = 0 ] || fail "a device broke"
$CTL "$TMPD/d.sock" INFO | grep -q "^disk1 $TMPD/data.qcow2,format=qcow2$" || fail "INFO lacks disk1"
$CTL "$TMPD/d.sock" RESET >/dev/null || fail "RESET"
$CTL "$TMPD/d.sock" console --expect '(?s)probe: ready.*probe: ready.*probe: rng bytes=64 nonzero=[1-9]' \
	--timeout "$LIMIT" >"$TMPD/d2.out" || fail "the words did not run again after a reset"
$CTL "$TMPD/d.sock" KILL >/dev/null
wait_exit $VM_PID

# What the guest wrote is in the files, and nothing else changed.
qemu-img check -q "$TMPD/data.qcow2" || fail "qemu-img check of the written qcow2"
qemu-img check -q "$TMPD/empty.qcow2" || fail "qemu-img check of the grown qcow2"
qemu-img convert -O raw "$TMPD/data.qcow2" "$TMPD/data.out"
qemu-img convert -O raw "$TMPD/empty.qcow2" "$TMPD/empty.out"
"$PYTHON3" - "$TMPD" <<'PY' || fail "written data"
import sys
d = sys.argv[1]
orig = bytearray(open(d + "/data.img", "rb").read())
def pat(seed, n): return bytes((seed + j) & 0xff for j in range(n * 512))
raw = bytearray(orig); raw[7 * 512:10 * 512] = pat(5, 3)
q = bytearray(orig); q[300 * 512:320 * 512] = pat(9, 20)
e = bytearray(64 << 20); e[131000 * 512:131008 * 512] = pat(1, 8)
for name, want in (("raw.img", raw), ("data.out", q), ("empty.out", e)):
    if open(d + "/" + name, "rb").read() != want:
        sys.exit("%s differs from what the guest wrote" % name)
PY
note "raw, qcow2 with data and empty qcow2: reads, writes, flush, reset all good"

# A read-only disk: writes fail with IOERR, reads work, and two VMs may share it.
run_vm ro1 --kernel "$PROBE" --cmdline "console=ttyS0 probe.blk.write=0,0,1,1 probe.blk.crc=0,0,8" \
	--memory 64 --disk "$TMPD/raw.img,readonly"
$CTL "$TMPD/ro1.sock" console --expect 'probe: blk 0 crc .* irqs=[0-9]+\r' --timeout "$LIMIT" >"$TMPD/ro1.out" ||
	fail "ro guest"
ro1_pid=$VM_PID
grep -q '^probe: blk 0 capacity=16384 ro=1' "$TMPD/ro1.out" || fail "VIRTIO_BLK_F_RO not offered"
grep -q '^probe: blk 0 write sector=0 count=1 status=1' "$TMPD/ro1.out" || fail "a write to a read-only disk"
grep -q "^probe: blk 0 crc sector=0 count=8 status=0 crc32=$(crc "$TMPD/raw.img" 0 8)" "$TMPD/ro1.out" ||
	fail "read-only disk read"
run_vm ro2 --kernel "$PROBE" --memory 64 --disk "$TMPD/raw.img,readonly"
ro2_pid=$VM_PID

# A disk in use: a writer is refused while readers hold it, and the other way round.
expect_setup() {
	name=$1 pattern=$2; shift 2
	st=0
	timeout -s KILL "$LIMIT" "$VMTUI_VMM" --ready-fd 3 --kernel "$PROBE" --memory 64 "$@" \
		3>"$TMPD/$name.ready" </dev/null >/dev/null 2>"$TMPD/$name.log" || st=$?
	[ $st -eq 1 ] || fail "$name: status $st, want 1"
	grep -q "^ERR .*$pattern" "$TMPD/$name.ready" || fail "$name: '$(cat "$TMPD/$name.ready")', want /$pattern/"
	note "$name: $(cat "$TMPD/$name.ready")"
}
expect_setup busy "disk $TMPD/raw.img is in use by another VM or program" --disk "$TMPD/raw.img"
$CTL "$TMPD/ro1.sock" KILL >/dev/null
$CTL "$TMPD/ro2.sock" KILL >/dev/null
wait_exit $ro1_pid
wait_exit $ro2_pid
run_vm rw --kernel "$PROBE" --memory 64 --disk "$TMPD/raw.img"
expect_setup busy2 "disk $TMPD/raw.img is in use" --disk "$TMPD/raw.img,readonly"
$CTL "$TMPD/rw.sock" KILL >/dev/null

# Bad disk arguments are refused with a reason.
expect_setup magic "starts with a qcow2 header: say format=qcow2" --disk "$TMPD/data.qcow2"
expect_setup notq "is not a qcow2 image" --disk "$TMPD/data.img,format=qcow2"
expect_setup nofile "No such file or directory" --disk "$TMPD/nonexistent.img"
qemu-img create -q -f qcow2 -u -b "$TMPD/nonexistent.img" -F raw "$TMPD/lost.qcow2" 8M
expect_setup lost "backing file: disk $TMPD/nonexistent.img: No such file" --disk "$TMPD/lost.qcow2,format=qcow2"

# Overlays (linked clones): what the overlay has not written reads from its
# backing file (raw by a relative name, or a qcow2 by an absolute one); a
# write to part of a cluster copies the rest of it from the backing first;
# the backing files stay as they were, and no VM may write them meanwhile.
cp "$TMPD/data.img" "$TMPD/base.img"
(cd "$TMPD" && qemu-img create -q -f qcow2 -b base.img -F raw ov-raw.qcow2) || fail "qemu-img create ov-raw"
qemu-img create -q -f qcow2 -b "$TMPD/data.qcow2" -F qcow2 "$TMPD/ov-q.qcow2" || fail "qemu-img create ov-q"
cp "$TMPD/data.qcow2" "$TMPD/data-before.qcow2"
words="probe.blk.crc=0,0,16 probe.blk.crc=0,4000,64 probe.blk.crc=1,300,20 probe.blk.write=0,7,3,5
	probe.blk.crc=0,0,16 probe.blk.write=1,1000,128,3 probe.blk.crc=1,990,128"
run_vm ov --kernel "$PROBE" --cmdline "console=ttyS0 $(echo $words)" --memory 64 \
	--disk "$TMPD/ov-raw.qcow2,format=qcow2" --disk "$TMPD/ov-q.qcow2,format=qcow2"
$CTL "$TMPD/ov.sock" console --expect 'probe: blk 1 crc sector=990 count=128 .*\r' --timeout "$LIMIT" \
	>"$TMPD/ov.out" || fail "the probe did not get through its overlay words"
expect_setup busy3 "disk $TMPD/base.img is in use" --disk "$TMPD/base.img"
"$PYTHON3" - "$TMPD" <<'PY' >"$TMPD/ov.want" || fail "the overlays' checksums"
import sys, zlib
d = sys.argv[1]
data = bytearray(open(d + "/data.img", "rb").read())
def pat(seed, n): return bytes((seed + j) & 0xff for j in range(n * 512))
def crc(b, s, n): return "%08x" % zlib.crc32(bytes(b[s * 512:(s + n) * 512]))
q = bytearray(data); q[300 * 512:320 * 512] = pat(9, 20)
r = bytearray(data); r[7 * 512:10 * 512] = pat(5, 3)
q2 = bytearray(q); q2[1000 * 512:1128 * 512] = pat(3, 128)
print("blk 0 crc sector=0 count=16 status=0 crc32=%s" % crc(data, 0, 16))
print("blk 0 crc sector=4000 count=64 status=0 crc32=%s" % crc(data, 4000, 64))
print("blk 1 crc sector=300 count=20 status=0 crc32=%s" % crc(q, 300, 20))
print("blk 0 crc sector=0 count=16 status=0 crc32=%s" % crc(r, 0, 16))
print("blk 1 crc sector=990 count=128 status=0 crc32=%s" % crc(q2, 990, 128))
open(d + "/ov-raw.want", "wb").write(r)
open(d + "/ov-q.want", "wb").write(q2)
PY
sed -n 's/^probe: \(blk [01] crc .* crc32=[0-9a-f]*\).*/\1/p' "$TMPD/ov.out" | awk 1 >"$TMPD/ov.got"
diff "$TMPD/ov.want" "$TMPD/ov.got" || fail "reads through the overlays differ from their backing files"
$CTL "$TMPD/ov.sock" KILL >/dev/null
wait_exit $VM_PID
cmp "$TMPD/data.img" "$TMPD/base.img" || fail "the raw backing file changed"
cmp "$TMPD/data-before.qcow2" "$TMPD/data.qcow2" || fail "the qcow2 backing file changed"
for ov in ov-raw ov-q; do
	qemu-img check -q "$TMPD/$ov.qcow2" || fail "qemu-img check of $ov"
	qemu-img convert -O raw "$TMPD/$ov.qcow2" "$TMPD/$ov.out"
	cmp "$TMPD/$ov.want" "$TMPD/$ov.out" || fail "$ov holds other data than the guest wrote over its backing"
done
note "overlays: read through raw and qcow2 backing files, copy-on-write, backing files untouched and locked"
st=0; "$VMTUI_VMM" --kernel "$PROBE" --disk "$TMPD/raw.img,bogus" >/dev/null 2>"$TMPD/usage.err" || st=$?
[ $st -eq 2 ] && grep -q "unknown option 'bogus'" "$TMPD/usage.err" || fail "bad disk option: status $st"
echo "PASS: blk"
