#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""initramfs.py: packs kernel modules with their dependencies, and writes newc cpio archives, for test guests.

usage:
  initramfs.py modules MODDIR ROOT NAME...
      MODDIR is a kernel package's lib/modules/VERSION.  Copies each named
      module and every module it depends on (its .modinfo "depends=") to
      ROOT/lib/modules/, and writes ROOT/lib/modules/load-order: one file
      name a line, each after the modules it needs, for a busybox /init to
      insmod in that order.  A name built into the kernel is left out.
      Debian's kernel package has no modules.dep (depmod makes it on
      install), so the dependencies are read from the modules themselves.
  initramfs.py cpio ROOT OUT
      writes the tree ROOT (files, directories, symbolic links) as a newc
      cpio archive OUT, as the kernel unpacks an initramfs, owned by root.

scripts/get-linux-guest and the nested fixture (tests/nested/) both use it.
"""
import os
import shutil
import struct
import sys


def die(msg):
    print("initramfs.py: " + msg, file=sys.stderr)
    sys.exit(1)


def norm(name):
    """Module names treat '-' and '_' alike (virtio-rng is virtio_rng)."""
    return name.replace("-", "_")


def elf_modinfo(path):
    """The key=value strings of a module's .modinfo section."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 64 or data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        die("%s is not a little-endian 64-bit ELF module" % path)
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    if shentsize < 64 or shstrndx >= shnum or shoff + shnum * shentsize > len(data):
        die("%s has a broken section table" % path)

    def section(i):
        off = shoff + i * shentsize
        name, _, _, _, soff, size = struct.unpack_from("<IIQQQQ", data, off)
        if soff + size > len(data):
            die("%s: section %d lies outside the file" % (path, i))
        return name, soff, size

    _, stroff, strsize = section(shstrndx)
    for i in range(shnum):
        name, soff, size = section(i)
        if name >= strsize:
            continue
        end = data.index(b"\0", stroff + name)
        if data[stroff + name:end] == b".modinfo":
            return [s.decode("utf-8", "replace") for s in data[soff:soff + size].split(b"\0") if s]
    return []


def module_index(moddir):
    """name -> path of every .ko under MODDIR, and the set of built-in names."""
    index = {}
    for dirpath, _, files in os.walk(os.path.join(moddir, "kernel")):
        for f in files:
            if f.endswith(".ko"):
                index[norm(f[:-3])] = os.path.join(dirpath, f)
    builtin = set()
    try:
        with open(os.path.join(moddir, "modules.builtin")) as f:
            for line in f:
                base = os.path.basename(line.strip())
                if base.endswith(".ko"):
                    builtin.add(norm(base[:-3]))
    except FileNotFoundError:
        pass
    return index, builtin


def modules_pack(moddir, root, names):
    if not os.path.isdir(os.path.join(moddir, "kernel")):
        die("%s is not a kernel's lib/modules/VERSION directory (no kernel/ in it)" % moddir)
    index, builtin = module_index(moddir)
    order, state = [], {}

    def visit(name, chain):
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            die("modules depend on each other in a loop: %s" % " -> ".join(chain + [name]))
        if name not in index:
            if name in builtin:
                return
            die("no module %s in %s, and it is not built into the kernel" % (name, moddir))
        state[name] = "visiting"
        for info in elf_modinfo(index[name]):
            if info.startswith("depends="):
                for dep in filter(None, info[len("depends="):].split(",")):
                    visit(norm(dep), chain + [name])
        state[name] = "done"
        order.append(name)

    for n in names:
        visit(norm(n), [])
    dest = os.path.join(root, "lib", "modules")
    os.makedirs(dest, exist_ok=True)
    with open(os.path.join(dest, "load-order"), "w") as f:
        for name in order:
            base = os.path.basename(index[name])
            shutil.copyfile(index[name], os.path.join(dest, base))
            f.write(base + "\n")


def cpio_write(root, out):
    ino = [1]

    def entry(f, name, mode, data=b""):
        fields = (ino[0], mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name) + 1, 0)
        ino[0] += 1
        f.write(("070701" + "".join("%08x" % v for v in fields)).encode())
        f.write(name.encode() + b"\0")
        f.write(b"\0" * ((4 - (110 + len(name) + 1) % 4) % 4))
        f.write(data)
        f.write(b"\0" * ((4 - len(data) % 4) % 4))

    if not os.path.isdir(root):
        die("%s is not a directory" % root)
    with open(out, "wb") as f:
        for dirpath, dirs, files in os.walk(root):
            dirs.sort()
            rel = os.path.relpath(dirpath, root)
            if rel != ".":
                entry(f, rel, 0o40755)
            # os.walk lists links to directories with the directories.
            for n in sorted(files + [d for d in dirs if os.path.islink(os.path.join(dirpath, d))]):
                p = os.path.join(dirpath, n)
                name = os.path.normpath(os.path.join(rel, n))
                if os.path.islink(p):
                    entry(f, name, 0o120777, os.readlink(p).encode())
                else:
                    with open(p, "rb") as src:
                        entry(f, name, 0o100000 | (os.stat(p).st_mode & 0o7777), src.read())
        entry(f, "TRAILER!!!", 0)


def main(argv):
    if len(argv) >= 4 and argv[1] == "modules":
        modules_pack(argv[2], argv[3], argv[4:])
        return 0
    if len(argv) == 4 and argv[1] == "cpio":
        cpio_write(argv[2], argv[3])
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
