# SPDX-License-Identifier: GPL-2.0-or-later
# lib.sh: drive the real vmtui in a private tmux server: start, type, wait for text, compare screens.
. "$top_srcdir/tests/cli/lib.sh"

: "${TMUX_BIN:=tmux}"
command -v "$TMUX_BIN" >/dev/null 2>&1 || skip "tmux is not installed"
TMUX_SOCK=vmtui-test-$$
export TZ=UTC
# No cloud images: create forms offer the kernel and ISO boots these
# screens were made with (tests/tui/cloud.sh makes a VM from an image).
: >"$TMPD/no-images.conf"
export VMTUI_IMAGES_CONF="$TMPD/no-images.conf"
tmx() { "$TMUX_BIN" -L "$TMUX_SOCK" -f /dev/null "$@"; }
at_exit 'tmx kill-server 2>/dev/null'
# Time-outs only stop a hang: they never decide a result.
TUI_LIMIT=${TUI_LIMIT:-20}

# tui_start COLSxROWS [ENV=VALUE...] -- ARGS...: run vmtui in a new session.
tui_start() {
	size=$1; shift
	envs=
	while [ $# -gt 0 ] && [ "$1" != -- ]; do envs="$envs $1"; shift; done
	[ "$1" = -- ] && shift
	# A server that is still going away after its last session refuses us: retry.
	i=0
	until tmx new-session -d -x "${size%x*}" -y "${size#*x}" \
		"env LANG=C.UTF-8 TERM=tmux-256color $envs '$VMTUI' $* 2>>'$TMPD/vmtui.stderr'; echo \"vmtui exited \$?\"; sleep 600" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 50 ] && fail "tmux does not start"
		sleep 0.1
	done
	tui_wait 'vmtui .*VMs'
}

# tui_pid: the vmtui of this test's pane (never another test's, which may run beside it).
tui_pid() {
	pgrep -P "$(tmx display -p -t 0 '#{pane_pid}')" -f "^$VMTUI( |\$)"
}

# tui_keys KEY...: tmux key names (Enter, Down, C-c) or literal text with -l.
tui_keys() { tmx send-keys -t 0 "$@"; }

tui_screen() { LANG=C.UTF-8 tmx capture-pane -p -t 0; }

# tui_wait REGEX: wait until the screen matches (extended regex).
tui_wait() {
	i=0
	while ! tui_screen | grep -Eq -- "$1"; do
		i=$((i + 1))
		if [ $i -gt $((TUI_LIMIT * 10)) ]; then
			echo "--- screen:"; tui_screen; echo "---"
			fail "the screen never showed '$1'"
		fi
		sleep 0.1
	done
}

# tui_wait_text REGEX: wait until the screen's text, its lines joined with
# spaces (as a message wrapped at spaces reads), matches.
tui_wait_text() {
	i=0
	while ! tui_screen | sed 's/ *$//' | tr '\n' ' ' | grep -Eq -- "$1"; do
		i=$((i + 1))
		if [ $i -gt $((TUI_LIMIT * 10)) ]; then
			echo "--- screen:"; tui_screen; echo "---"
			fail "the screen's text never read '$1'"
		fi
		sleep 0.1
	done
}

# tui_wait_gone REGEX: wait until the screen no longer matches.
tui_wait_gone() {
	i=0
	while tui_screen | grep -Eq -- "$1"; do
		i=$((i + 1))
		[ $i -gt $((TUI_LIMIT * 10)) ] && { tui_screen; fail "the screen kept showing '$1'"; }
		sleep 0.1
	done
}

# tui_expect NAME: the screen equals tests/tui/expected/NAME.txt, where
# "@@" in an expected line matches any text (times, CPU figures, UUIDs).
# With TUI_RECORD=1 the screen is written there instead (the host's load
# in the title masked), to be read and approved by a person.
tui_expect() {
	tui_screen >"$TMPD/screen.txt"
	if [ "${TUI_RECORD:-}" = 1 ]; then
		sed -e '1s/Host CPU .*Mem [^ ]* /Host CPU@@Mem @@/' "$TMPD/screen.txt" \
			>"$top_srcdir/tests/tui/expected/$1.txt"
		return 0
	fi
	"$PYTHON3" - "$top_srcdir/tests/tui/expected/$1.txt" "$TMPD/screen.txt" <<'PY' ||
import re, sys
want = open(sys.argv[1], encoding="utf-8").read().rstrip("\n").split("\n")
got = open(sys.argv[2], encoding="utf-8").read().rstrip("\n").split("\n")
got += [""] * (len(want) - len(got))
bad = 0
for i, w in enumerate(want):
    pat = "^" + ".*".join(re.escape(p) for p in w.rstrip().split("@@")) + "$"
    if not re.match(pat, got[i].rstrip()):
        print("line %d differs:\n  want: %s\n  got:  %s" % (i + 1, w.rstrip(), got[i].rstrip()))
        bad += 1
for extra in got[len(want):]:
    if extra.strip():
        print("unexpected line: %s" % extra)
        bad += 1
sys.exit(1 if bad else 0)
PY
	{ echo "--- screen:"; cat "$TMPD/screen.txt"; fail "the screen is not tests/tui/expected/$1.txt"; }
}

# A fake bzImage is enough for definitions that never start.
fake_kernel() {
	"$PYTHON3" -c 'import sys; b = bytearray(1024); b[0x202:0x206] = b"HdrS"; open(sys.argv[1], "wb").write(b)' "$1"
}
