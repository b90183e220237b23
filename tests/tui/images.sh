#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# images.sh: the TUI's image view: a download with its percentage and rate off the UI thread, stopped, resumed, verified, removed.
. "$top_srcdir/tests/tui/lib.sh"
. "$top_srcdir/tests/cli/imgserver.sh"
command -v qemu-img >/dev/null || skip "qemu-img (qemu-utils) is needed to make a test image"

head -c 4194304 /dev/urandom >"$TMPD/data.raw"
qemu-img convert -f raw -O qcow2 "$TMPD/data.raw" "$SRV/img/t.qcow2" ||
	fail "qemu-img could not make a test image"
(cd "$SRV/img" && sha256sum t.qcow2) >"$SRV/img/SHA256SUMS"
img_server_start
img_entry zz-test t.qcow2 qcow2 sha256 SHA256SUMS >"$XDG_CONFIG_HOME/vmtui/images.conf"
# Slow enough (16 s for the image) that the screen shows the download going on.
img_mode slow 262144

tui_start 100x30 -- -c test:///default
tui_keys i
tui_wait '^ IMAGE +FORMAT +USER +CACHE +WHAT'
tui_wait '^ debian-12 +qcow2 +debian +- +Debian 12'
tui_wait '^ zz-test +qcow2 +tester +- +test image zz-test'
tui_keys End Enter
# The row and the status line follow the download; keys still work meanwhile.
tui_wait '^ zz-test +qcow2 +tester +[0-9]+% of 4\.[0-9]M [0-9.]+[KM]/s'
tui_wait '^downloading zz-test: [0-9]+% of 4\.[0-9]M'
tui_keys '?'
tui_wait 'Help: keys'
tui_keys Escape
tui_wait '^ zz-test +qcow2 +tester +[0-9]+% of'
# x stops it: the .part stays, the next Enter resumes it.
tui_keys x
tui_wait 'download of zz-test stopped: pulling it again resumes it'
tui_wait '^ zz-test +qcow2 +tester +cut at [0-9.]+[KM] '
[ -s "$CACHE/zz-test.qcow2.part" ] || fail "a stopped download left no .part"
img_mode ""
tui_keys Enter
tui_wait 'zz-test: in the image cache, verified \(4\.[0-9]M\)'
tui_wait '^ zz-test +qcow2 +tester +cached 4\.[0-9]M '
cmp -s "$CACHE/zz-test.qcow2" "$SRV/img/t.qcow2" || fail "the cached image is not the served one"
grep -q '^GET /img/t.qcow2 range=bytes=[0-9]*- status=206$' "$TMPD/http.log" ||
	fail "the second download did not resume with Range: $(cat "$TMPD/http.log")"
# x on a cached image asks, then removes it.
tui_keys x
tui_wait 'Remove zz-test from the image cache\?'
tui_keys y
tui_wait 'zz-test removed from the image cache'
tui_wait '^ zz-test +qcow2 +tester +- '
[ ! -e "$CACHE/zz-test.qcow2" ] || fail "the image is still in the cache"
tui_keys Escape
tui_wait_gone '^ IMAGE +FORMAT'
tui_keys q
tui_wait 'vmtui exited 0'
