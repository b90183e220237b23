# SPDX-License-Identifier: GPL-2.0-or-later
# lib.sh: what every shell test shares: a private folder, clean-up however it ends, skip, fail, note, and what a test needs.
# Sourced by tests/cli/lib.sh and tests/kvm/lib.sh once top_builddir is set.

: "${PYTHON3:=python3}"
: "${VMTUI_VMM:=$top_builddir/vmtui-vmm}"
PROBE=${VMM_TEST_KERNEL:-$top_builddir/tests/guests/probe.bzImage}

TMPD=$(mktemp -d "${TMPDIR:-/tmp}/vmtui-test.XXXXXX")
CLEANUPS=
# at_exit CMD: run CMD (a shell string) when the test ends, however it ends; the last given runs first.
at_exit() { CLEANUPS="$1; $CLEANUPS"; }
cleanup() { eval "$CLEANUPS"; rm -rf "$TMPD"; }
trap cleanup EXIT
trap 'exit 1' INT TERM

skip() { echo "SKIP: $*"; exit 77; }
note() { echo "# $*"; }
# fail MSG: say why, with the last command's stderr ($TMPD/err) and the end of each log in $TMPD.
fail() {
	echo "FAIL: $*"
	[ -f "$TMPD/err" ] && sed 's/^/  stderr: /' "$TMPD/err"
	for f in "$TMPD"/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -n 30 "$f"; }; done
	exit 1
}

need_runner() {
	[ -x "$VMTUI_VMM" ] || skip "no runner at $VMTUI_VMM"
}

# need_kvm: the runner and a /dev/kvm that works; judged by what the device answers, never by CPU flags.
need_kvm() {
	need_runner
	why=$("$PYTHON3" -c '
import fcntl, os, sys
try:
    fd = os.open("/dev/kvm", os.O_RDWR)
except OSError as e:
    print("cannot open /dev/kvm: %s" % e.strerror); sys.exit(1)
v = fcntl.ioctl(fd, 0xAE00)
if v != 12:
    print("/dev/kvm answers API version %d, not 12" % v); sys.exit(1)
' 2>&1) || skip "$why"
}

# need_probe: the project's probe kernel at $PROBE, or skip the test without one.
need_probe() {
	[ -f "$PROBE" ] || skip "no probe kernel at $PROBE (make tests/guests/probe.bzImage)"
}
