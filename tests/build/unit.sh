#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# unit.sh: data/vmtui-autostart.service, with this build's vmtui in it, passes systemd-analyze verify.
set -u
: "${top_srcdir:?run through make check}"
: "${top_builddir:?run through make check}"
command -v systemd-analyze >/dev/null 2>&1 || { echo "SKIP: no systemd-analyze"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmtui-unit.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# The same substitution make install makes.
sed "s|@bindir@|$top_builddir|g" "$top_srcdir/data/vmtui-autostart.service" >"$tmp/vmtui-autostart.service"
grep -q '^ExecStart=.*/vmtui autostart --boot$' "$tmp/vmtui-autostart.service" ||
	{ echo "FAIL: the unit does not run vmtui autostart --boot"; exit 1; }
out=$(cd "$tmp" && systemd-analyze verify --man=no ./vmtui-autostart.service 2>&1) ||
	{ echo "FAIL: systemd-analyze verify: $out"; exit 1; }
[ -z "$out" ] || { echo "FAIL: systemd-analyze verify warns: $out"; exit 1; }
echo "PASS: the unit verifies"
