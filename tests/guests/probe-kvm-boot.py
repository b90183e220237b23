#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# probe-kvm-boot.py: a minimal /dev/kvm loader that boots the probe kernel
# through its 16-, 32- or 64-bit entry, as a bare VMM would, and prints the
# serial output; the probe's entry paths and MP-table code get tested here.
"""Boot the probe kernel on /dev/kvm with no firmware at all.

The VM is what a minimal VMM offers: RAM from 0, an e820 map, an MP table
in the EBDA (no ACPI), the in-kernel irqchip and PIT, a write-only 16550,
an i8042 that can send Ctrl-Alt-Del, and the vmtui ports 0x510-0x512.
Any access to memory that is not RAM ends the run with an error, so the
probe is also checked against touching what a bare VMM does not back.

Exit status: the probe's exit-port byte; 2 for a shutdown (triple fault);
3 for an i8042 reset; 4 for a time-out; 5 for any other failure; 77 when
/dev/kvm cannot be used.
"""

import argparse
import ctypes
import errno
import mmap
import os
import struct
import sys
import threading
import time

KVMIO = 0xAE
KVM_GET_API_VERSION = 0xAE00
KVM_CREATE_VM = 0xAE01
KVM_GET_VCPU_MMAP_SIZE = 0xAE04
KVM_CREATE_VCPU = 0xAE41
KVM_SET_TSS_ADDR = 0xAE47
KVM_CREATE_IRQCHIP = 0xAE60
KVM_RUN = 0xAE80


def _ioc(direction, nr, size):
    return (direction << 30) | (size << 16) | (KVMIO << 8) | nr


KVM_GET_SUPPORTED_CPUID = _ioc(3, 0x05, 8)
KVM_SET_USER_MEMORY_REGION = _ioc(1, 0x46, 32)
KVM_IRQ_LINE = _ioc(1, 0x61, 8)
KVM_CREATE_PIT2 = _ioc(1, 0x77, 64)
KVM_GET_REGS = _ioc(2, 0x81, 144)
KVM_SET_REGS = _ioc(1, 0x82, 144)
KVM_GET_SREGS = _ioc(2, 0x83, 312)
KVM_SET_SREGS = _ioc(1, 0x84, 312)
KVM_SET_CPUID2 = _ioc(1, 0x90, 8)

EXIT_IO, EXIT_HLT, EXIT_MMIO, EXIT_SHUTDOWN = 2, 5, 6, 8

MEM_SIZE = 128 << 20
BP_ADDR = 0x7000           # zero page for the 32/64-bit entries
GDT_ADDR = 0x500
PML4_ADDR = 0x9000
SETUP_SEG = 0x1000         # real-mode setup at 0x10000, as kvmtool does
CMDLINE_ADDR = 0x20000
EBDA_ADDR = 0x9fc00

libc = ctypes.CDLL(None, use_errno=True)
libc.ioctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p]
libc.ioctl.restype = ctypes.c_int


def ioctl(fd, req, arg=None):
    """ioctl through libc, which drops the GIL while KVM_RUN blocks."""
    if isinstance(arg, int):
        arg = ctypes.c_void_p(arg)
    elif arg is not None:
        arg = ctypes.cast(ctypes.pointer(arg), ctypes.c_void_p)
    ret = libc.ioctl(fd, req, arg)
    if ret < 0:
        err = ctypes.get_errno()
        raise OSError(err, "ioctl 0x%x: %s" % (req, os.strerror(err)))
    return ret


class Segment(ctypes.Structure):
    _fields_ = [("base", ctypes.c_uint64), ("limit", ctypes.c_uint32),
                ("selector", ctypes.c_uint16), ("type", ctypes.c_uint8),
                ("present", ctypes.c_uint8), ("dpl", ctypes.c_uint8),
                ("db", ctypes.c_uint8), ("s", ctypes.c_uint8),
                ("l", ctypes.c_uint8), ("g", ctypes.c_uint8),
                ("avl", ctypes.c_uint8), ("unusable", ctypes.c_uint8),
                ("padding", ctypes.c_uint8)]


class DTable(ctypes.Structure):
    _fields_ = [("base", ctypes.c_uint64), ("limit", ctypes.c_uint16),
                ("padding", ctypes.c_uint16 * 3)]


class Sregs(ctypes.Structure):
    _fields_ = [("cs", Segment), ("ds", Segment), ("es", Segment),
                ("fs", Segment), ("gs", Segment), ("ss", Segment),
                ("tr", Segment), ("ldt", Segment), ("gdt", DTable),
                ("idt", DTable), ("cr0", ctypes.c_uint64),
                ("cr2", ctypes.c_uint64), ("cr3", ctypes.c_uint64),
                ("cr4", ctypes.c_uint64), ("cr8", ctypes.c_uint64),
                ("efer", ctypes.c_uint64), ("apic_base", ctypes.c_uint64),
                ("interrupt_bitmap", ctypes.c_uint64 * 4)]


class Regs(ctypes.Structure):
    _fields_ = [(n, ctypes.c_uint64) for n in (
        "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp", "r8", "r9",
        "r10", "r11", "r12", "r13", "r14", "r15", "rip", "rflags")]


class CpuidEntry(ctypes.Structure):
    _fields_ = [("function", ctypes.c_uint32), ("index", ctypes.c_uint32),
                ("flags", ctypes.c_uint32), ("eax", ctypes.c_uint32),
                ("ebx", ctypes.c_uint32), ("ecx", ctypes.c_uint32),
                ("edx", ctypes.c_uint32), ("padding", ctypes.c_uint32 * 3)]


class Cpuid(ctypes.Structure):
    _fields_ = [("nent", ctypes.c_uint32), ("padding", ctypes.c_uint32),
                ("entries", CpuidEntry * 100)]


class MemRegion(ctypes.Structure):
    _fields_ = [("slot", ctypes.c_uint32), ("flags", ctypes.c_uint32),
                ("guest_phys_addr", ctypes.c_uint64),
                ("memory_size", ctypes.c_uint64),
                ("userspace_addr", ctypes.c_uint64)]


class Guest:
    """Guest RAM from physical 0, as a bytearray-like mmap."""

    def __init__(self, vm_fd):
        self.mem = mmap.mmap(-1, MEM_SIZE, mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
        addr = ctypes.addressof(ctypes.c_char.from_buffer(self.mem))
        ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION,
              MemRegion(0, 0, 0, MEM_SIZE, addr))

    def write(self, addr, data):
        self.mem[addr:addr + len(data)] = data


def checksum_fix(blob, at):
    """Sets byte `at` so that the bytes of blob sum to 0."""
    blob[at] = (-sum(blob)) & 0xff


def mp_table(ncpus):
    """An MP floating pointer and configuration table: CPUs, ISA bus, IOAPIC
    (id ncpus), ISA IRQs 0-15 identity-mapped (IRQ 0 to pin 2)."""
    entries = b""
    for cpu in range(ncpus):
        entries += struct.pack("<BBBBIIQ", 0, cpu, 0x14, 1 | (2 if cpu == 0 else 0),
                               0x600, 0x201, 0)
    entries += struct.pack("<BB6s", 1, 0, b"ISA   ")
    entries += struct.pack("<BBBBI", 2, ncpus, 0x11, 1, 0xfec00000)
    for irq in range(16):
        pin = 2 if irq == 0 else irq
        entries += struct.pack("<BBHBBBB", 3, 0, 0, 0, irq, ncpus, pin)
    count = ncpus + 2 + 16
    table = bytearray(struct.pack("<4sHBB8s12sIHHIHBB", b"PCMP", 44 + len(entries),
                                  4, 0, b"VMTUI   ", b"PROBE-TEST  ", 0, 0, count,
                                  0xfee00000, 0, 0, 0) + entries)
    checksum_fix(table, 7)
    fp = bytearray(struct.pack("<4sIBBBBBBBB", b"_MP_", EBDA_ADDR + 16, 1, 4,
                               0, 0, 0, 0, 0, 0))
    checksum_fix(fp, 10)
    return bytes(fp) + bytes(table)


def e820_map():
    return [(0, EBDA_ADDR, 1), (EBDA_ADDR, 0xa0000 - EBDA_ADDR, 2),
            (0xf0000, 0x10000, 2), (0x100000, MEM_SIZE - 0x100000, 1)]


def boot_params(image, cmdline, initrd_addr, initrd_size):
    """A zero page: the image's setup header plus what a loader fills in."""
    bp = bytearray(4096)
    hdr_end = 0x202 + image[0x201]
    bp[0x1f1:hdr_end] = image[0x1f1:hdr_end]
    bp[0x210] = 0xff                                    # type_of_loader
    struct.pack_into("<I", bp, 0x228, CMDLINE_ADDR)
    struct.pack_into("<II", bp, 0x218, initrd_addr, initrd_size)
    e820 = e820_map()
    bp[0x1e8] = len(e820)
    for i, (start, size, kind) in enumerate(e820):
        struct.pack_into("<QQI", bp, 0x2d0 + 20 * i, start, size, kind)
    return bp


def seg(selector, base, limit, kind, code64=False, db=True, gran=True):
    return Segment(base, limit, selector, kind, 1, 0, 0 if code64 else int(db),
                   1, int(code64), int(gran), 0, 0, 0)


class Vcpu:
    def __init__(self, kvm_fd, vm_fd, index, cpuid):
        self.fd = ioctl(vm_fd, KVM_CREATE_VCPU, index)
        size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE)
        self.run = mmap.mmap(self.fd, size, mmap.MAP_SHARED,
                             mmap.PROT_READ | mmap.PROT_WRITE)
        for i in range(cpuid.nent):
            e = cpuid.entries[i]
            if e.function == 1:
                e.ebx = (e.ebx & 0x00ffffff) | (index << 24)
            elif e.function in (0xb, 0x1f):
                e.edx = index
        ioctl(self.fd, KVM_SET_CPUID2, cpuid)

    def set_entry(self, entry, image_setup_len):
        sregs, regs = Sregs(), Regs()
        ioctl(self.fd, KVM_GET_SREGS, sregs)
        regs.rflags = 2
        if entry == 16:
            for name in ("ds", "es", "ss", "fs", "gs"):
                setattr(sregs, name, seg(SETUP_SEG, SETUP_SEG << 4, 0xffff, 3,
                                         db=False, gran=False))
            sregs.cs = seg(SETUP_SEG + 0x20, (SETUP_SEG + 0x20) << 4, 0xffff, 11,
                           db=False, gran=False)
            regs.rsp = 0xfff0
        else:
            code = seg(0x10, 0, 0xffffffff, 11, code64=entry == 64)
            data = seg(0x18, 0, 0xffffffff, 3)
            sregs.cs = code
            sregs.ds = sregs.es = sregs.ss = sregs.fs = sregs.gs = data
            sregs.gdt = DTable(GDT_ADDR, 31)
            sregs.cr0 = 0x11
            regs.rip = 0x100000
            regs.rsi = BP_ADDR
            if entry == 64:
                sregs.cr0 |= 0x80000000
                sregs.cr3, sregs.cr4, sregs.efer = PML4_ADDR, 0x20, 0x500
                regs.rip = 0x100200
                regs.rsp = 0x8ff0
        ioctl(self.fd, KVM_SET_SREGS, sregs)
        ioctl(self.fd, KVM_SET_REGS, regs)


class Machine:
    def __init__(self, args):
        self.args = args
        self.kvm = os.open("/dev/kvm", os.O_RDWR | os.O_CLOEXEC)
        if ioctl(self.kvm, KVM_GET_API_VERSION) != 12:
            raise OSError("unexpected KVM API version")
        self.vm = ioctl(self.kvm, KVM_CREATE_VM, 0)
        try:
            ioctl(self.vm, KVM_SET_TSS_ADDR, 0xfffbd000)
        except OSError:
            pass
        ioctl(self.vm, KVM_CREATE_IRQCHIP)
        ioctl(self.vm, KVM_CREATE_PIT2, (ctypes.c_uint8 * 64)())
        self.guest = Guest(self.vm)
        cpuid = Cpuid(nent=100)
        ioctl(self.kvm, KVM_GET_SUPPORTED_CPUID, cpuid)
        self.vcpus = [Vcpu(self.kvm, self.vm, i, cpuid) for i in range(args.cpus)]
        self.kbd = []
        self.lcr = 0
        self.ready = False
        self.bench_writes = 0

    def load(self):
        image = open(self.args.kernel, "rb").read()
        setup_len = ((image[0x1f1] or 4) + 1) * 512
        g = self.guest
        g.write(0x100000, image[setup_len:])
        cmdline = self.args.append.encode() + b"\0"
        g.write(CMDLINE_ADDR, cmdline)
        initrd = open(self.args.initrd, "rb").read() if self.args.initrd else b""
        initrd_addr = (MEM_SIZE - len(initrd) - 0x100000) & ~0xfff if initrd else 0
        g.write(initrd_addr, initrd)
        if self.args.mptable != "none":
            mp = bytearray(mp_table(self.args.cpus))
            if self.args.mptable == "bad":
                mp[16 + 44] ^= 0xff              # first processor entry
            g.write(EBDA_ADDR, mp)
        g.write(0x40e, struct.pack("<H", EBDA_ADDR >> 4))
        g.write(0x413, struct.pack("<H", 639))
        bp = boot_params(image, cmdline, initrd_addr, len(initrd))
        if self.args.entry == 16:
            # a real-mode loader fills in the header where the setup lies;
            # this one also leaves an e820 map there, as the probe allows
            hdr_end = 0x202 + image[0x201]
            setup = bytearray(image[:setup_len])
            setup[0x1f1:hdr_end] = bp[0x1f1:hdr_end]
            setup[0x1e8] = bp[0x1e8]
            setup[0x2d0:0x2d0 + 20 * bp[0x1e8]] = bp[0x2d0:0x2d0 + 20 * bp[0x1e8]]
            g.write(SETUP_SEG << 4, setup)
        else:
            g.write(BP_ADDR, bp)
            g.write(GDT_ADDR, struct.pack("<4Q", 0, 0, 0x00af9a000000ffff,
                                          0x00cf92000000ffff))
            self.identity_map()
        self.vcpus[0].set_entry(self.args.entry, setup_len)

    def identity_map(self):
        """The first GiB with 2 MiB pages: enough for a 64-bit entry."""
        g = self.guest
        g.write(PML4_ADDR, struct.pack("<Q", (PML4_ADDR + 0x1000) | 3))
        g.write(PML4_ADDR + 0x1000, struct.pack("<Q", (PML4_ADDR + 0x2000) | 3))
        g.write(PML4_ADDR + 0x2000,
                b"".join(struct.pack("<Q", (i << 21) | 0x83) for i in range(512)))

    def irq_pulse(self, irq):
        for level in (1, 0):
            ioctl(self.vm, KVM_IRQ_LINE, (ctypes.c_uint32 * 2)(irq, level))

    def port_in(self, port):
        if port == 0x3fd:
            return 0x60                          # THR and line empty
        if port == 0x64:
            return 0x1c | (1 if self.kbd else 0)
        if port == 0x60:
            return self.kbd.pop(0) if self.kbd else 0
        return 0xff

    def port_out(self, port, value, size):
        """Returns an exit status to stop the run, or None."""
        if port == 0x3fb:
            self.lcr = value & 0xff
        elif port == 0x3f8 and not self.lcr & 0x80:     # not the divisor latch
            sys.stdout.buffer.write(bytes([value & 0xff]))
            sys.stdout.flush()
        elif port == 0x510:
            self.ready = True
            if self.args.ctrl_alt_del:
                self.kbd += [0x1d, 0x38, 0xe0, 0x53]
                self.irq_pulse(1)
        elif port == 0x511:
            return value & 0xff
        elif port == 0x512:
            self.bench_writes += 1
        elif port == 0x64 and value == 0xfe:
            return 3
        return None

    def handle_io(self, run):
        direction, size, port, count, offset = struct.unpack_from("<BBHIQ", run, 32)
        for i in range(count):
            at = offset + i * size
            if direction == 0:
                run[at:at + size] = self.port_in(port).to_bytes(size, "little")[:size]
                continue
            status = self.port_out(port, int.from_bytes(run[at:at + size], "little"), size)
            if status is not None:
                return status
        return None

    def run_bsp(self):
        vcpu = self.vcpus[0]
        while True:
            ioctl(vcpu.fd, KVM_RUN)
            reason = struct.unpack_from("<I", vcpu.run, 8)[0]
            if reason == EXIT_IO:
                status = self.handle_io(vcpu.run)
                if status is not None:
                    return status
            elif reason == EXIT_SHUTDOWN:
                print("\n[kvm-boot] shutdown (triple fault)", file=sys.stderr)
                return 2
            elif reason == EXIT_MMIO:
                addr, = struct.unpack_from("<Q", vcpu.run, 32)
                print("\n[kvm-boot] the probe touched %#x, which is not RAM" % addr,
                      file=sys.stderr)
                return 5
            else:
                print("\n[kvm-boot] unexpected exit reason %d" % reason, file=sys.stderr)
                return 5


def run_ap(fd):
    """APs wait for INIT/SIPI in the kernel; KVM_RUN returns EAGAIN once the
    SIPI arrives and must be called again.  They never exit to us but for a
    fault, which the BSP's report shows as a missing check-in."""
    while True:
        try:
            ioctl(fd, KVM_RUN)
        except OSError as e:
            if e.errno not in (errno.EAGAIN, errno.EINTR):
                print("\n[kvm-boot] AP: %s" % e, file=sys.stderr)
                return


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--initrd")
    ap.add_argument("--append", default="")
    ap.add_argument("--entry", type=int, choices=(16, 32, 64), default=64)
    ap.add_argument("--cpus", type=int, default=2)
    ap.add_argument("--mptable", choices=("good", "bad", "none"), default="good",
                    help="an MP table, one with a bad checksum, or none")
    ap.add_argument("--ctrl-alt-del", action="store_true",
                    help="send Ctrl-Alt-Del through the i8042 once the probe is ready")
    ap.add_argument("--timeout", type=float, default=30)
    args = ap.parse_args()

    try:
        machine = Machine(args)
    except OSError as e:
        print("[kvm-boot] /dev/kvm is not usable: %s" % e, file=sys.stderr)
        sys.exit(77)
    machine.load()
    for vcpu in machine.vcpus[1:]:
        threading.Thread(target=run_ap, args=(vcpu.fd,), daemon=True).start()
    result = []
    bsp = threading.Thread(target=lambda: result.append(machine.run_bsp()), daemon=True)
    bsp.start()
    bsp.join(args.timeout)
    status = result[0] if result else 4
    if not result:
        print("\n[kvm-boot] time-out after %g s" % args.timeout, file=sys.stderr)
    print("\n[kvm-boot] status %d, ready=%s, bench writes=%d"
          % (status, machine.ready, machine.bench_writes), file=sys.stderr)
    sys.stdout.flush()
    os._exit(status)


if __name__ == "__main__":
    main()
