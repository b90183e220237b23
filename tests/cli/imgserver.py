#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# imgserver.py: a loopback HTTP server of image files for the image tests: Range, cut connections, corrupted or throttled bodies.
"""usage: imgserver.py DIR PORTFILE LOGFILE

Serves the files under DIR on 127.0.0.1 (a free port, written to PORTFILE
once listening) with GET and HEAD, honouring "Range: bytes=A-" and
"bytes=A-B" with 206 and Content-Range, 416 past the end. Each request
is logged to LOGFILE as "METHOD PATH range=RANGE status=N".

Before each request it reads DIR/.mode, whose lines change what image
bodies (any file but *SUMS, *CHECKSUM and *.sha256/*.sha512) get:
  cut N          send the headers of the whole answer, then N bytes, then
                 drop the connection
  corrupt        flip one byte in the middle of the body
  ignore-range   answer a Range request with 200 and the whole file
  no-length      send no Content-Length (the body ends when the connection does)
  slow RATE      send at most RATE bytes a second
It stops on SIGTERM or SIGINT.
"""
import http.server
import os
import re
import signal
import socket
import sys
import threading
import time

CHUNK = 16384


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    root = "."
    log_path = None
    log_lock = threading.Lock()

    def log_message(self, fmt, *args):
        pass

    def note(self, status):
        with self.log_lock, open(self.log_path, "a") as f:
            f.write("%s %s range=%s status=%d\n" % (
                self.command, self.path, self.headers.get("Range", "-"), status))

    def modes(self):
        try:
            with open(os.path.join(self.root, ".mode")) as f:
                words = [line.split() for line in f]
        except FileNotFoundError:
            return {}
        return {w[0]: (w[1] if len(w) > 1 else "") for w in words if w}

    def fail(self, status):
        self.note(status)
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self):
        self.serve(False)

    def do_GET(self):
        self.serve(True)

    def serve(self, body):
        rel = self.path.split("?", 1)[0].lstrip("/")
        path = os.path.realpath(os.path.join(self.root, rel))
        if not path.startswith(os.path.realpath(self.root) + os.sep) or not os.path.isfile(path):
            return self.fail(404)
        with open(path, "rb") as f:
            data = f.read()
        is_sums = re.search(r"(SUMS|CHECKSUM|\.sha256|\.sha512)$", path) is not None
        modes = {} if is_sums else self.modes()
        if "corrupt" in modes and len(data) > 0:
            mid = len(data) // 2
            data = data[:mid] + bytes([data[mid] ^ 0xff]) + data[mid + 1:]
        self.answer(data, modes, body)

    def answer(self, data, modes, body):
        start, end, status = 0, len(data), 200
        m = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        if m and "ignore-range" not in modes:
            start = int(m.group(1))
            if m.group(2):
                end = min(end, int(m.group(2)) + 1)
            if start >= len(data):
                self.note(416)
                self.send_response(416)
                self.send_header("Content-Range", "bytes */%d" % len(data))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            status = 206
        self.note(status)
        self.send_response(status)
        if status == 206:
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, end - 1, len(data)))
        if "no-length" in modes:
            self.send_header("Connection", "close")
            self.close_connection = True
        else:
            self.send_header("Content-Length", str(end - start))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        if body:
            try:
                self.send_body(data[start:end], modes)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

    def send_body(self, data, modes):
        limit = int(modes["cut"]) if "cut" in modes else len(data)
        rate = int(modes["slow"]) if "slow" in modes else 0
        sent = 0
        while sent < min(limit, len(data)):
            n = min(CHUNK, limit - sent)
            self.wfile.write(data[sent:sent + n])
            sent += n
            if rate:
                time.sleep(n / rate)
        self.wfile.flush()
        if sent < len(data) or "no-length" in modes:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)


def main(argv):
    if len(argv) != 3:
        raise SystemExit(__doc__)
    Handler.root, port_file, Handler.log_path = argv
    open(Handler.log_path, "a").close()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True

    def stop(sig, frame):
        threading.Thread(target=srv.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    with open(port_file + ".tmp", "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(port_file + ".tmp", port_file)
    srv.serve_forever()
    srv.server_close()


if __name__ == "__main__":
    main(sys.argv[1:])
