#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""seeds.py: write the seed inputs kept in tests/fuzz/corpus-*/ (run from tests/fuzz to refresh them).

Each seed reaches deep into its harness (a working request), so the
fuzzer starts from there rather than from random bytes.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def put(name, data):
    path = os.path.join(HERE, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def desc(addr, length, flags, nxt):
    return struct.pack("<QIHH", addr, length, flags, nxt)


def virtq_seed():
    """A queue of 8 at 0x1000/0x2000/0x3000 with a direct and an indirect request."""
    ram = bytearray(0x8000)
    ram[0x1000:0x1000 + 48] = desc(0x4000, 16, 1, 1) + desc(0x5000, 512, 3, 2) + desc(0x6000, 1, 2, 0)
    ram[0x1030:0x1040] = desc(0x7000, 48, 4, 0)
    ram[0x7000:0x7030] = desc(0x4000, 16, 1, 1) + desc(0x5000, 512, 3, 2) + desc(0x6000, 1, 2, 0)
    ram[0x2000:0x2008] = struct.pack("<HHHH", 0, 2, 0, 3)
    head = struct.pack("<HIIIBB", 8, 0x1000, 0x2000, 0x3000, 3, 0)
    return head + bytes(ram)


def pci_seed():
    """Set virtio-blk (slot 1) up the way a driver does, queue one read, run the I/O thread."""
    ops = b""

    def cfg_write(slot, off, val):
        return bytes([0x21, slot, off]) + struct.pack("<I", val) + bytes([0])

    def bar_write(off, val, size):
        idx = {1: 0, 2: 1, 4: 2, 8: 3}[size]
        return bytes([0x03 | idx << 4]) + struct.pack("<H", off) + bytes([1]) + struct.pack("<Q", val)

    def ram(gpa, val):
        return bytes([0x04]) + struct.pack("<I", gpa)[:3] + struct.pack("<Q", val)

    ops += cfg_write(1, 0x04, 0x6)                   # memory + bus master
    ops += cfg_write(1, 0x40, 0x80000000)            # MSI-X on
    ops += bar_write(0x14, 0x03, 1)                  # ACK | DRIVER
    ops += bar_write(0x08, 1, 4) + bar_write(0x0c, 1, 4)  # VERSION_1
    ops += bar_write(0x14, 0x0b, 1)                  # FEATURES_OK
    ops += bar_write(0x16, 0, 2) + bar_write(0x18, 8, 2) + bar_write(0x1a, 0, 2)
    ops += bar_write(0x20, 0x1000, 8) + bar_write(0x28, 0x2000, 8) + bar_write(0x30, 0x3000, 8)
    ops += bar_write(0x1c, 1, 2)                     # queue_enable
    ops += bar_write(0x14, 0x0f, 1)                  # DRIVER_OK
    for i, (a, l, f, n) in enumerate([(0x4000, 16, 1, 1), (0x5000, 512, 3, 2), (0x6000, 1, 2, 0)]):
        lo, hi = struct.unpack("<QQ", desc(a, l, f, n))
        ops += ram(0x1000 + 16 * i, lo) + ram(0x1008 + 16 * i, hi)
    ops += ram(0x2000, 0x0000000000010000)           # avail: flags 0, idx 1, ring[0] = 0
    ops += bar_write(0x3000, 0, 2)                   # notify queue 0
    ops += bytes([0x05])                             # the I/O thread runs
    return ops


def qcow2_seed():
    """A v3 image with 512-byte clusters and one data cluster, then requests."""
    cs = 512
    img = bytearray(7 * cs)
    hdr = struct.pack(">4sIQIIQIIQQIIQQQQII", b"QFI\xfb", 3, 0, 0, 9, 64 * 1024, 0, 2,
                      3 * cs, 1 * cs, 1, 0, 0, 0, 0, 0, 4, 104)
    img[:len(hdr)] = hdr
    img[cs:cs + 8] = struct.pack(">Q", 2 * cs)       # refcount table -> block at cluster 2
    for c in range(7):
        img[2 * cs + 2 * c:2 * cs + 2 * c + 2] = struct.pack(">H", 1)
    img[3 * cs:3 * cs + 8] = struct.pack(">Q", 4 * cs | 1 << 63)   # L1[0] -> L2 at cluster 4
    img[4 * cs:4 * cs + 8] = struct.pack(">Q", 5 * cs | 1 << 63)   # guest cluster 0 -> cluster 5
    img[4 * cs + 8:4 * cs + 16] = struct.pack(">Q", 6 * cs | 1 << 63 | 1)  # zero cluster
    img[5 * cs:6 * cs] = bytes(range(256)) * 2
    reqs = bytes([0]) + bytes([0, 0, 0]) + bytes([1, 0, 0x81]) + bytes([3, 0, 0x80]) + \
        bytes([100, 0, 4]) + bytes([1, 0, 1])
    return reqs + bytes(16 - len(reqs)) + bytes(img)


def qcow2_overlay_seed():
    """A v3 overlay (4 KiB clusters) naming a raw backing file, then partial writes over it."""
    cs = 4096
    img = bytearray(6 * cs)
    hdr = struct.pack(">4sIQIIQIIQQIIQQQQII", b"QFI\xfb", 3, 128, 8, 12, 64 * 1024, 0, 1,
                      3 * cs, 1 * cs, 1, 0, 0, 0, 0, 0, 4, 104)
    img[:len(hdr)] = hdr
    img[104:128] = struct.pack(">II", 0xE2792ACA, 3) + b"raw" + bytes(5) + bytes(8)
    img[128:136] = b"base.img"
    img[cs:cs + 8] = struct.pack(">Q", 2 * cs)       # refcount table -> block at cluster 2
    for c in range(6):
        img[2 * cs + 2 * c:2 * cs + 2 * c + 2] = struct.pack(">H", 1)
    img[3 * cs:3 * cs + 8] = struct.pack(">Q", 4 * cs | 1 << 63)   # L1[0] -> L2 at cluster 4
    img[4 * cs:4 * cs + 8] = struct.pack(">Q", 5 * cs | 1 << 63)   # guest cluster 0 -> cluster 5
    img[4 * cs + 16:4 * cs + 24] = struct.pack(">Q", 1)             # guest cluster 2 reads zeros
    img[5 * cs:6 * cs] = bytes(range(256)) * 16
    reqs = bytes([0]) + bytes([0, 0, 4]) + bytes([9, 0, 0x82]) + bytes([8, 0, 8]) + \
        bytes([17, 0, 0x81]) + bytes([24, 0, 0x88])
    return reqs + bytes(16 - len(reqs)) + bytes(img)


def uart_seed():
    """Divisor, FIFOs, interrupts on, a few bytes in and out, the registers read back."""
    return bytes([0x83, 0x80, 0x80, 0x01, 0x81, 0x00, 0x83, 0x03, 0x82, 0x07, 0x84, 0x0b,
                  0x81, 0x03, 0x80, 0x41, 0x40, 0x42, 0x40, 0x43, 0x02, 0, 0x05, 0, 0x00, 0,
                  0x02, 0, 0x06, 0, 0x84, 0x10, 0x80, 0x55, 0x00, 0])


def fnv(h, data):
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
    return h


def snap_seed():
    """A snapshot file with one UART section, its checksum right, no memory."""
    uart = bytes(13) + struct.pack("<I", 0) + bytes(16) + bytes(24)
    state = b"serial".ljust(16, b"\0") + struct.pack("<I", len(uart)) + uart
    hdr = bytearray(4096)
    hdr[0:8] = b"VMTUISNP"
    hdr[8:16] = struct.pack("<II", 1, 4096)
    hdr[16:16 + 15] = b"vmtui-vmm 0.1.0"
    hdr[80:80 + 5] = b"fuzz!"
    hdr[592:608] = struct.pack("<QQ", 4096, len(state))
    hdr[616:632] = struct.pack("<QQ", 8192, 0)
    hdr[608:616] = struct.pack("<Q", fnv(fnv(0xcbf29ce484222325, bytes(hdr)), state))
    return bytes([1]) + bytes(hdr) + state


def pvh_seed():
    """A vmlinux in miniature: ELF64 x86-64, one PT_LOAD at 2 MiB with a bss, and the PVH note."""
    note = struct.pack("<III", 4, 8, 18) + b"Xen\0" + struct.pack("<Q", 0x200010)
    code = b"\xf4" * 64
    phoff, n = 64, 2
    data_off = phoff + n * 56
    note_off = data_off + len(code)
    hdr = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
    hdr += struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, 0x200010, phoff, 0, 0, 64, 56, n, 64, 0, 0)
    load = struct.pack("<IIQQQQQQ", 1, 7, data_off, 0xffffffff80200000, 0x200000,
                       len(code), len(code) + 4096, 0x1000)
    pnote = struct.pack("<IIQQQQQQ", 4, 4, note_off, 0, 0, len(note), len(note), 4)
    return hdr + load + pnote + code + note


def main():
    put("corpus-virtq/seed-two-requests", virtq_seed())
    put("corpus-pci/seed-blk-read", pci_seed())
    put("corpus-qcow2/seed-small-image", qcow2_seed())
    put("corpus-qcow2/seed-overlay", qcow2_overlay_seed())
    put("corpus-uart/seed-setup-echo", uart_seed())
    put("corpus-snap/seed-uart-state", snap_seed())
    put("corpus-bzimage/seed-pvh-vmlinux", pvh_seed())


if __name__ == "__main__":
    main()
