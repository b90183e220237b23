#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""tapctl.py: the host end of a tap for the probe's network words (run inside the test's namespace).

usage:
  tapctl.py echo IF N [TIMEOUT]    wait for the probe's hello, then send N test frames
                                   one at a time and check each comes back; prints
                                   "echo ok N pps=<round trips per second>"
  tapctl.py count IF N [TIMEOUT]   count burst frames (ethertype 0x88b6) from the guest
                                   until N or a quiet second: "count got=<n>"
  tapctl.py blast IF N MAC         send N burst frames to MAC as fast as possible
"""
import os
import socket
import sys
import time
import zlib

ETH_TEST = 0x88B5
ETH_BENCH = 0x88B6
ME = bytes.fromhex("020000000001")


def open_tap(ifname, ethertype, timeout):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ethertype))
    s.bind((ifname, 0))
    s.settimeout(timeout)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    return s


def echo(ifname, n, timeout):
    s = open_tap(ifname, ETH_TEST, timeout)
    print("listening", flush=True)
    while True:
        f = s.recv(2048)
        if f[14:31] == b"vmtui-probe-hello":
            break
    guest = f[6:12]
    print("hello from %s" % guest.hex(":"), flush=True)
    t0 = time.monotonic()
    for i in range(n):
        payload = os.urandom(46 + (i * 97) % 1400)
        s.send(guest + ME + ETH_TEST.to_bytes(2, "big") + payload)
        while True:
            r = s.recv(2048)
            if r[:6] == ME and r[6:12] == guest:
                break
        if r[14:] != payload:
            print("echo %d: payload differs (crc %08x, want %08x)" %
                  (i, zlib.crc32(r[14:]), zlib.crc32(payload)), flush=True)
            return 1
    dt = time.monotonic() - t0
    print("echo ok %d pps=%.0f" % (n, n / dt if dt > 0 else 0), flush=True)
    return 0


def count(ifname, n, timeout):
    s = open_tap(ifname, ETH_BENCH, timeout)
    print("listening", flush=True)
    got = 0
    try:
        while got < n:
            s.recv(2048)
            got += 1
            s.settimeout(1.0)
    except socket.timeout:
        pass
    print("count got=%d" % got, flush=True)
    return 0


def blast(ifname, n, mac):
    s = open_tap(ifname, ETH_BENCH, 5)
    dst = bytes.fromhex(mac.replace(":", ""))
    frame = dst + ME + ETH_BENCH.to_bytes(2, "big") + bytes(46)
    sent = 0
    for _ in range(n):
        try:
            s.send(frame)
            sent += 1
        except OSError:
            time.sleep(0.0001)  # the tap's queue is full: the guest is behind
    print("blast sent=%d" % sent, flush=True)
    return 0


def main(argv):
    if len(argv) >= 4 and argv[1] == "echo":
        return echo(argv[2], int(argv[3]), float(argv[4]) if len(argv) > 4 else 30)
    if len(argv) >= 4 and argv[1] == "count":
        return count(argv[2], int(argv[3]), float(argv[4]) if len(argv) > 4 else 30)
    if len(argv) == 5 and argv[1] == "blast":
        return blast(argv[2], int(argv[3]), argv[4])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
