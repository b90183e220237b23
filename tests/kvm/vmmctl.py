#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""vmmctl.py: talk to a vmtui-vmm control socket from the runner's shell tests.

usage:
  vmmctl.py SOCK REQUEST                 print the reply; exit 0 on OK, 1 on ERR
  vmmctl.py SOCK console [--send TEXT] [--expect REGEX] [--absent REGEX]
            [--timeout S] [--out FILE] [--shut 1]
                                         attach to the console; exit 0 once
                                         REGEX matched (or, with --absent, once
                                         S seconds passed without it), else 1;
                                         --shut 1 shuts the sending side after
                                         --send (output must keep coming)
  vmmctl.py wait-file FILE REGEX S       wait until FILE matches REGEX
  vmmctl.py crc32 FILE                   print zlib.crc32 of FILE as 8 hex digits
"""
import re
import socket
import sys
import time
import zlib


def request(path, line, timeout=30.0):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(path)
    s.sendall(line.encode() + b"\n")
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    return data.decode(errors="replace")


def console(path, send, expect, absent, timeout, out, shut=False):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(0.2)
    s.connect(path)
    s.sendall(b"CONSOLE\n")
    buf = b""
    deadline = time.monotonic() + timeout
    while b"\n" not in buf and time.monotonic() < deadline:
        try:
            buf += s.recv(4096)
        except socket.timeout:
            pass
    head, _, rest = buf.partition(b"\n")
    if head != b"OK":
        print("console: bad answer %r" % head, file=sys.stderr)
        return 1
    if send:
        s.sendall(send.encode().decode("unicode_escape").encode("latin-1"))
    if shut:
        s.shutdown(socket.SHUT_WR)
    data = rest
    pattern = re.compile((absent or expect or "$^").encode())
    matched = False
    while time.monotonic() < deadline:
        if pattern.search(data):
            matched = True
            break
        try:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        except socket.timeout:
            pass
    s.close()
    if out:
        with open(out, "wb") as f:
            f.write(data)
    sys.stdout.write(data.decode(errors="replace"))
    if absent:
        return 1 if matched else 0
    return 0 if matched else 1


def wait_file(path, regex, timeout):
    pattern = re.compile(regex)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open(path, errors="replace") as f:
                if pattern.search(f.read()):
                    return 0
        except FileNotFoundError:
            pass
        time.sleep(0.05)
    print("wait-file: %s never matched %r" % (path, regex), file=sys.stderr)
    return 1


def main(argv):
    if len(argv) >= 3 and argv[1] == "crc32":
        with open(argv[2], "rb") as f:
            print("%08x" % (zlib.crc32(f.read()) & 0xFFFFFFFF))
        return 0
    if len(argv) == 5 and argv[1] == "wait-file":
        return wait_file(argv[2], argv[3], float(argv[4]))
    if len(argv) >= 3 and argv[2] == "console":
        opts = {"--send": None, "--expect": None, "--absent": None, "--timeout": "20", "--out": None,
                "--shut": None}
        args = argv[3:]
        while args:
            key = args.pop(0)
            if key not in opts or not args:
                print(__doc__, file=sys.stderr)
                return 2
            opts[key] = args.pop(0)
        return console(argv[1], opts["--send"], opts["--expect"], opts["--absent"],
                       float(opts["--timeout"]), opts["--out"], bool(opts["--shut"]))
    if len(argv) == 3:
        reply = request(argv[1], argv[2])
        sys.stdout.write(reply)
        return 0 if reply.startswith("OK") else 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
