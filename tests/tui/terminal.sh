#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# terminal.sh: every TERM and locale draws, every way out restores the terminal, the config and mouse work.
. "$top_srcdir/tests/tui/lib.sh"

fake_kernel "$TMPD/bzImage"
expect 0 "$VMTUI" create alpha --kernel "$TMPD/bzImage"
expect 0 "$VMTUI" create beta --kernel "$TMPD/bzImage" --memory 256

# Terminals with and without colours, Unicode and ASCII.
for term in xterm xterm-256color screen tmux linux vt100; do
	i=0
	until tmx new-session -d -x 80 -y 24 -s "t-$term" \
		"env LANG=C TERM=$term '$VMTUI'; echo \"vmtui exited \$?\"; sleep 600" 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 50 ] && fail "tmux does not start"; sleep 0.1
	done
	i=0
	until LANG=C.UTF-8 tmx capture-pane -p -t "t-$term" | grep -q '^ beta '; do
		i=$((i + 1)); [ $i -gt 200 ] && fail "TERM=$term: no list"; sleep 0.1
	done
	# ASCII locale: no braille, blocks or UTF-8 arrows on the screen.
	LANG=C.UTF-8 tmx capture-pane -p -t "t-$term" | LC_ALL=C grep -q '[^ -~]' &&
		fail "TERM=$term LANG=C drew Unicode"
	LANG=C.UTF-8 tmx capture-pane -p -t "t-$term" | grep -q 'NAME^' ||
		fail "TERM=$term LANG=C: no ASCII sort mark"
	tmx send-keys -t "t-$term" q
	tmx kill-session -t "t-$term"
done

# Everything written up to the first screen with the list: no frame says
# "connecting" or "No VMs yet" before the VMs come, and starting does not
# reset the terminal's palette (OSC 104).
"$PYTHON3" - "$VMTUI" <<'PY' || fail "the first screen is not the list"
import os, pty, select, signal, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
seen, end = b"", time.monotonic() + 20
while b" beta " not in seen and time.monotonic() < end:
    if select.select([fd], [], [], 1)[0]:
        try:
            seen += os.read(fd, 65536)
        except OSError:
            break
os.kill(pid, signal.SIGTERM)
os.waitpid(pid, 0)
for bad in (b"connecting", b"No VMs yet", b"\x1b]104"):
    if bad in seen:
        sys.exit("before the list: %r" % bad)
sys.exit(0 if b" beta " in seen else "no list within 20 s")
PY

# NO_COLOR: the selection still shows (reverse video, not colour).
tui_start 80x24 NO_COLOR=1 --
tui_wait '^ beta '
tui_keys q
tui_wait 'vmtui exited 0'
tmx kill-server

# Every way out gives the terminal back: not in the alternate screen,
# cursor shown, exit status as it should be.
restored() {
	[ "$(tmx display -p -t 0 '#{alternate_on}')" = 0 ] || fail "$1: still in the alternate screen"
	[ "$(tmx display -p -t 0 '#{cursor_flag}')" = 1 ] || fail "$1: the cursor is hidden"
}
tui_start 80x24 --
tui_keys C-c
tui_wait 'vmtui exited 0'
restored Ctrl-C
tmx kill-server
for sig in TERM HUP; do
	tui_start 80x24 --
	kill -$sig "$(tui_pid)" || fail "no vmtui to signal"
	tui_wait 'vmtui exited 0'
	restored "SIG$sig"
	tmx kill-server
done
tui_start 80x24 --
kill -SEGV "$(tui_pid)" || fail "no vmtui to signal"
tui_wait 'vmtui exited 139'
grep -q 'vmtui: crashed; the terminal was restored' "$TMPD/vmtui.stderr" ||
	fail "no word of the crash on stderr"
restored SIGSEGV
tmx kill-server

# The config file: bad lines are named and skipped; the good ones apply.
mkdir -p "$XDG_CONFIG_HOME/vmtui"
cat >"$XDG_CONFIG_HOME/vmtui/config" <<'CFG'
# vmtui test config
refresh = 2
columns = name,state,mem
colour.running = green
key.start = F5
key.stop = x
CFG
tui_start 132x30 --
tui_wait "vmtui/config: line 4: unknown setting 'colour.running' \(skipped\); line 6: no action 'stop' to bind"
tui_wait '^ NAME.* STATE +MEM *$'
tui_keys '?'
tui_wait 'F5 +start'
tui_keys Escape
tmx kill-server

# The mouse: a click on a row selects it, a click on a title sorts by it.
rm "$XDG_CONFIG_HOME/vmtui/config"
tui_start 80x24 --
tui_wait '^ beta '
# xterm mouse reports, as tmux-256color announces them: ESC [ M, then
# 32 + button (3: released), 32 + column, 32 + row, both 1-based.
click() {
	x=$(printf '%03o' $((32 + $1)))
	y=$(printf '%03o' $((32 + $2)))
	tui_keys -l "$(printf "\\033[M \\$x\\$y\\033[M#\\$x\\$y")"
}
click 3 4
tui_keys Enter
tui_wait '^ beta +1 Info'
tui_keys Escape
click 3 2
tui_wait 'NAME▼'
tui_keys q
tui_wait 'vmtui exited 0'
