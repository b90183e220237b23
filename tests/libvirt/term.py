#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# term.py: runs a command on a terminal (or on pipes) and plays a script of expect/send steps against it.
"""usage: term.py [--pipe] [--limit S] STEP... -- COMMAND [ARG...]

Steps, in order:
  expect:TEXT   wait until the output so far contains TEXT
  send:TEXT     write TEXT (Python escapes: \\r, \\x1d)
  ping:TEXT     write TEXT and a CR every half second until TEXT comes back
  raw           wait until the terminal no longer echoes (the command set raw
                mode), so that what comes back is not the terminal's own echo
  close         close the command's input (pipe mode: end of stdin)
  exit:N        wait for the command to end with status N
With --pipe the command gets pipes instead of a terminal (and no
controlling terminal: it runs in a session of its own). --limit bounds
each step's wait (default 60 s); it only stops a hang. Everything the
command wrote is printed at the end; the exit status is 0 when every
step was met, else 1.
"""
import os
import pty
import select
import subprocess
import sys
import termios
import time


def start(cmd, use_pipe):
    if use_pipe:
        p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, start_new_session=True)
        return p.pid, p.stdout.fileno(), p.stdin.fileno(), p
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    return pid, fd, fd, None


def read_some(fd, out, wait):
    r, _, _ = select.select([fd], [], [], wait)
    if not r:
        return True
    try:
        data = os.read(fd, 65536)
    except OSError:
        return False
    out.extend(data)
    return bool(data)


def run_step(step, st):
    kind, _, arg = step.partition(":")
    end = time.monotonic() + st["limit"]
    if kind == "send":
        os.write(st["wfd"], arg.encode().decode("unicode_escape").encode("latin-1"))
        return True
    if kind == "ping":
        want, start_len, nxt = arg.encode(), len(st["out"]), 0.0
        while want not in st["out"][start_len:] and time.monotonic() < end:
            if time.monotonic() >= nxt:
                os.write(st["wfd"], want + b"\r")
                nxt = time.monotonic() + 0.5
            if not read_some(st["rfd"], st["out"], 0.1):
                break
        return want in st["out"][start_len:]
    if kind == "raw":
        while time.monotonic() < end:
            if not termios.tcgetattr(st["rfd"])[3] & termios.ECHO:
                return True
            read_some(st["rfd"], st["out"], 0.05)
        return False
    if kind == "close":
        os.close(st["wfd"])
        return True
    if kind == "expect":
        want = arg.encode()
        while want not in st["out"] and time.monotonic() < end:
            if not read_some(st["rfd"], st["out"], 0.1):
                break
        return want in st["out"]
    if kind == "exit":
        while time.monotonic() < end:
            read_some(st["rfd"], st["out"], 0.05)
            pid, status = os.waitpid(st["pid"], os.WNOHANG)
            if pid:
                st["done"] = True
                # What it wrote just before it ended may still be in the pty.
                while True:
                    before = len(st["out"])
                    if not read_some(st["rfd"], st["out"], 0.05) or len(st["out"]) == before:
                        break
                return os.waitstatus_to_exitcode(status) == int(arg)
        return False
    raise SystemExit("term.py: unknown step " + step)


def main(argv):
    use_pipe, limit = False, 60.0
    while argv and argv[0].startswith("--") and argv[0] != "--":
        if argv[0] == "--pipe":
            use_pipe = True
            argv = argv[1:]
        elif argv[0] == "--limit":
            limit, argv = float(argv[1]), argv[2:]
        else:
            raise SystemExit(__doc__)
    sep = argv.index("--")
    steps, cmd = argv[:sep], argv[sep + 1:]
    pid, rfd, wfd, _ = start(cmd, use_pipe)
    st = {"pid": pid, "rfd": rfd, "wfd": wfd, "out": bytearray(), "limit": limit,
          "done": False}
    ok = True
    for step in steps:
        if not run_step(step, st):
            print("term.py: step not met: " + step)
            ok = False
            break
    if not st["done"]:
        try:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        except OSError:
            pass
    sys.stdout.write(st["out"].decode("utf-8", "replace"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
