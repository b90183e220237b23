#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# hostsvc.py: services on the host's loopback for a guest on a user network to reach.
"""
usage: hostsvc.py LIMIT SERVICE...

SERVICE is udp (answers one datagram in capitals), tcp (accepts one
connection) or dns (on port 53: answers one query, saying vmtui.test is
192.0.2.7).  Prints "SERVICE PORT" for each, then "listening"; then
"udp answered TEXT", "tcp accepted", "dns answered NAME" as each is served.
Exits when every service was used once, or after LIMIT seconds (status 1).
"""
import select
import socket
import sys
import time


def dns_answer(q):
    """An answer to query q: its question, then one A record for it."""
    end = 12
    while q[end]:
        end += q[end] + 1
    end += 5                                    # the root label, type, class
    name = []
    at = 12
    while q[at]:
        name.append(q[at + 1:at + 1 + q[at]].decode(errors="replace"))
        at += q[at] + 1
    head = q[:2] + b"\x81\x80" + q[4:6] + b"\x00\x01\x00\x00\x00\x00"
    record = b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04" + bytes([192, 0, 2, 7])
    return head + q[12:end] + record, ".".join(name)


def main(argv):
    limit, wanted = float(argv[1]), argv[2:]
    socks = {}
    for name in wanted:
        if name == "tcp":
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", 0))
            s.listen(1)
        else:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind(("127.0.0.1", 53 if name == "dns" else 0))
        socks[s] = name
        print(name, s.getsockname()[1], flush=True)
    print("listening", flush=True)
    end = time.monotonic() + limit
    while socks:
        left = end - time.monotonic()
        ready = select.select(list(socks), [], [], max(left, 0))[0] if left > 0 else []
        if not ready:
            print("timeout: nothing for", " ".join(socks.values()), flush=True)
            return 1
        for s in ready:
            name = socks.pop(s)
            if name == "tcp":
                conn, _ = s.accept()
                conn.close()
                print("tcp accepted", flush=True)
            elif name == "dns":
                q, peer = s.recvfrom(512)
                answer, qname = dns_answer(q)
                s.sendto(answer, peer)
                print("dns answered", qname, flush=True)
            else:
                data, peer = s.recvfrom(2048)
                s.sendto(data.upper(), peer)
                print("udp answered", data.decode(errors="replace"), flush=True)
            s.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
